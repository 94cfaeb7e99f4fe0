"""Times whole ``netcrm`` processes on generated networks, against a floor.

    python bench/run.py                       # 1k, 10k, 100k; 15 runs each
    python bench/run.py --sizes 10k --runs 30 --only due,show

The floor F2 is ``python -c "import typer, rich.table, sqlite3"``: what any
Typer + rich + sqlite3 program pays before doing anything. Every timed command
runs right after an F2 run (interleaved), so a machine that slows down slows
both; the table gives medians and each command's median divided by F2's, for
wall time (what a person waits; the targets) and for CPU time (user + system,
from ``wait4``), which a busy machine disturbs less.

Fair conditions, the same for netcrm and F2:
- the console script and the interpreter are called directly (``sys.executable``
  and the ``netcrm`` beside it), never through a pyenv/asdf shim, which would add
  its own shell start-ups;
- byte code is cached (``PYTHONPYCACHEPREFIX`` in the bench folder, and
  ``PYTHONDONTWRITEBYTECODE`` unset), as in any installed package — otherwise
  every run would compile netcrm's sources again;
- one warm-up round is thrown away (page cache, byte-code cache);
- "today" is pinned (``NETCRM_TODAY``) to the generator's day.

Write commands (``add``, ``log``, ``done``) run on a copy of the network, a new
contact / interaction / follow-up each time. A command that fails in the warm-up
(not written yet, say) is skipped and reported, not timed. Where Taskwarrior's
``task`` is installed, ``task next`` on as many generated tasks is timed in the
same rounds, as the peer to beat.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import BENCH_WHO, TODAY, generate, generate_tasks  # noqa: E402

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
F2 = [sys.executable, "-c", "import typer, rich.table, sqlite3"]
# What `search` looks for: a surname (typed without its accent) that about one
# contact in 150 carries, and a word found in many interactions.
SEARCH_NAME = "theriault"
SEARCH_WORD = "webinar"

# Ratio-to-F2 targets on the 10k network (issue 6), and growth 10k -> 100k.
TARGETS = {
    "--help": 1.5,
    "complete WHO": 1.5,
    "due": 2.0,
    "due --check": 2.0,
    "show WHO": 2.2,
    "list --limit 50": 2.2,
    f"search {SEARCH_NAME}": 2.2,
    "add": 6.0,
    "log": 6.0,
    "done": 6.0,
}
GROWTH_TARGET = 1.2
GROWTH_CHECKED = ("due", "due --check", "show WHO", f"search {SEARCH_NAME}")


@dataclass
class Command:
    name: str
    # Builds (argv, extra env) for the i-th run.
    build: Callable[[int], tuple[list[str], dict[str, str]]]
    ok_codes: tuple[int, ...] = (0,)
    writes: bool = False
    times: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    skipped: str | None = None


def netcrm_executable() -> list[str]:
    script = Path(sys.executable).parent / "netcrm"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "netcrm"]


def open_followups(db: Path) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT id FROM followup WHERE done_at IS NULL AND recurrence IS NULL ORDER BY id"
            )
        ]
    finally:
        conn.close()


def commands(
    exe: list[str],
    read_db: Path | str,
    write_db: Path | str,
    taskrc: Path | None,
    handles: list[int],
) -> list[Command]:
    def read(*args: str) -> Callable[[int], tuple[list[str], dict[str, str]]]:
        return lambda i: ([*exe, *args], {"NETCRM_DB": str(read_db)})

    def done(i: int) -> tuple[list[str], dict[str, str]]:
        return [*exe, "done", f"f{handles[i % len(handles)]}"], {"NETCRM_DB": str(write_db)}

    complete_env = {
        "NETCRM_DB": str(read_db),
        "_NETCRM_COMPLETE": "complete_bash",
        "COMP_WORDS": "netcrm show Élo",
        "COMP_CWORD": "2",
    }
    out = [
        Command("--help", read("--help")),
        Command("complete WHO", lambda i: (list(exe), complete_env)),
        Command("due", read("due")),
        Command("due --check", read("due", "--check"), ok_codes=(0, 1)),
        Command("show WHO", read("show", BENCH_WHO)),
        Command("list --limit 50", read("list", "--limit", "50")),
        Command(f"search {SEARCH_NAME}", read("search", SEARCH_NAME)),
        Command(f"search {SEARCH_WORD}", read("search", SEARCH_WORD)),
        Command(
            "add",
            lambda i: (
                [*exe, "add", f"Bench Person {i}", "--email", f"bench{i}@example.org"],
                {"NETCRM_DB": str(write_db)},
            ),
            writes=True,
        ),
        Command(
            "log",
            lambda i: (
                [*exe, "log", BENCH_WHO, f"Bench call {i}", "--via", "call"],
                {"NETCRM_DB": str(write_db)},
            ),
            writes=True,
        ),
        Command("done", done, writes=True),
    ]
    if taskrc is not None:
        out.append(
            Command(
                "task next (Taskwarrior)",
                lambda i: (
                    ["task", "next"],
                    {"TASKRC": str(taskrc), "TASKDATA": str(taskrc.parent)},
                ),
            )
        )
    return out


@dataclass
class Timing:
    wall: float
    cpu: float  # user + system seconds of the process
    code: int
    stderr: str


def timed(argv: list[str], env: dict[str, str]) -> Timing:
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = err.read().decode(errors="replace")
    return Timing(wall, usage.ru_utime + usage.ru_stime, proc.returncode, message)


def base_env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NETCRM_", "_NETCRM"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(data / "pycache")
    env["NETCRM_TODAY"] = TODAY.isoformat()
    env["COLUMNS"] = "120"
    return env


def fingerprint() -> str:
    """Changes when the generator or the schema does: a stale network is never reused."""
    digest = hashlib.sha256((ROOT / "bench" / "generate.py").read_bytes())
    for path in sorted((ROOT / "netcrm" / "store" / "migrations" / "versions").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def network(data: Path, size: str, seed: int, regenerate: bool) -> Path:
    from netcrm.store.schema import HEAD

    path = data / f"net-{size}-seed{seed}-{fingerprint()}.db"
    if path.exists() and not regenerate:
        conn = sqlite3.connect(path)
        try:
            current = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            current = None
        finally:
            conn.close()
        if current and current[0] == HEAD:
            return path
    print(f"generating the {size} network in {path} …", file=sys.stderr, flush=True)
    generate(path, SIZES[size], seed=seed)
    return path


def bench_size(
    size: str, args: argparse.Namespace, data: Path, env: dict[str, str]
) -> list[Command]:
    network_db = network(data, size, args.seed, args.regenerate)
    handles = open_followups(network_db)
    read_db: Path | str = network_db
    write_db: Path | str = data / f"write-{size}.db"
    if args.db:
        # The server: the network copied there (replacing what the database
        # held), and both reads and writes run on it.
        from netcrm.store.copy import copy_database
        from netcrm.store.engine import dispose_engines
        from netcrm.store.location import resolve_location

        print(f"copying the {size} network to the server …", file=sys.stderr, flush=True)
        copy_database(resolve_location(str(network_db)), resolve_location(args.db), force=True)
        dispose_engines()
        read_db = write_db = args.db
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{write_db}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(network_db, write_db)
        Path(write_db).chmod(0o600)
    taskrc = None
    if shutil.which("task") and size == args.task_size:
        task_dir = data / f"tasks-{size}"
        taskrc = task_dir / "taskrc"
        if not (task_dir / "generated").exists():
            shutil.rmtree(task_dir, ignore_errors=True)
            generate_tasks(task_dir, SIZES[size], seed=args.seed)
    cmds = commands(netcrm_executable(), read_db, write_db, taskrc, handles)
    if args.only:
        wanted = set(args.only.split(","))
        cmds = [c for c in cmds if c.name in wanted or c.name.lstrip("-").split()[0] in wanted]
    for round_no in range(args.runs + 1):
        for n, cmd in enumerate(cmds):
            if cmd.skipped:
                continue
            argv, extra = cmd.build(round_no * len(cmds) + n)
            floor = timed(F2, env)
            run = timed(argv, {**env, **extra})
            if run.code not in cmd.ok_codes:
                last = (run.stderr.strip().splitlines() or ["no message"])[-1]
                cmd.skipped = f"exit {run.code}: {last[:100]}"
                continue
            if round_no > 0:  # round 0 warms the caches
                cmd.times.append(run.wall)
                cmd.floor.append(floor.wall)
                cmd.cpu.append(run.cpu)
                cmd.floor_cpu.append(floor.cpu)
        print(f"  {size}: round {round_no}/{args.runs}", file=sys.stderr, end="\r", flush=True)
    print(file=sys.stderr)
    return cmds


def summarise(results: dict[str, list[Command]]) -> list[dict[str, object]]:
    rows: dict[str, dict[str, object]] = {}
    for size, cmds in results.items():
        for cmd in cmds:
            row = rows.setdefault(cmd.name, {"command": cmd.name})
            if cmd.skipped or not cmd.times:
                row[size] = None
                row.setdefault("skipped", cmd.skipped)
                continue
            median = statistics.median(cmd.times)
            floor = statistics.median(cmd.floor)
            row[size] = {
                "median_ms": round(median * 1000, 1),
                "f2_ms": round(floor * 1000, 1),
                "ratio": round(median / floor, 2),
                "cpu_ratio": round(
                    statistics.median(cmd.cpu) / statistics.median(cmd.floor_cpu), 2
                ),
            }
    for row in rows.values():
        name = str(row["command"])
        target = TARGETS.get(name)
        row["target"] = target
        ten = row.get("10k")
        if target is not None and isinstance(ten, dict):
            row["meets"] = ten["ratio"] <= target
        big = row.get("100k")
        if isinstance(ten, dict) and isinstance(big, dict):
            growth = round(big["ratio"] / ten["ratio"], 2)
            row["growth"] = growth
            if name in GROWTH_CHECKED:
                row["growth_ok"] = growth <= GROWTH_TARGET
    return list(rows.values())


def print_table(rows: list[dict[str, object]], sizes: list[str], f2: dict[str, float]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title="netcrm start-to-exit: median wall ms (wall × F2 / cpu × F2)", title_justify="left"
    )
    table.add_column("command")
    for size in sizes:
        table.add_column(f"{size}", justify="right")
    table.add_column("target (10k)", justify="right")
    table.add_column("10k→100k", justify="right")
    table.add_column("")
    for row in rows:
        cells = []
        for size in sizes:
            value = row.get(size)
            cells.append(
                f"{value['median_ms']:.0f} ({value['ratio']:.2f}× / {value['cpu_ratio']:.2f}×)"
                if isinstance(value, dict)
                else "skipped"
            )
        target = row.get("target")
        growth = row.get("growth")
        verdicts = []
        if "meets" in row:
            verdicts.append("ok" if row["meets"] else "SLOW")
        if "growth_ok" in row:
            verdicts.append("flat" if row["growth_ok"] else "GROWS")
        if row.get("skipped"):
            verdicts.append(str(row["skipped"]))
        table.add_row(
            str(row["command"]),
            *cells,
            f"≤ {target}×" if target else "",
            f"{growth:.2f}×" if isinstance(growth, float) else "",
            " ".join(verdicts),
        )
    table.add_row("F2 (floor)", *[f"{f2[s] * 1000:.0f}" for s in sizes], "", "", "")
    Console(width=160).print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time netcrm against the F2 floor.")
    parser.add_argument("--sizes", default="1k,10k,100k", help="comma-separated: 1k,10k,100k")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command and size")
    parser.add_argument("--only", help="comma-separated command names (e.g. due,show,search)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(tempfile.gettempdir()) / "netcrm-bench",
        help="where networks, copies and byte code are kept",
    )
    parser.add_argument("--regenerate", action="store_true", help="rebuild the networks")
    parser.add_argument("--task-size", default="10k", help="network size for `task next`")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--db",
        help="run on this database URL instead (e.g. postgresql+psycopg:///bench): "
        "each network is copied there first, replacing what it holds",
    )
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        if size not in SIZES:
            parser.error(f"unknown size {size!r}; use {', '.join(SIZES)}")
    args.data.mkdir(parents=True, exist_ok=True)
    env = base_env(args.data)
    results = {size: bench_size(size, args, args.data, env) for size in sizes}
    f2 = {
        size: statistics.median([t for c in cmds for t in c.floor] or [float("nan")])
        for size, cmds in results.items()
    }
    rows = summarise(results)
    print_table(rows, sizes, f2)
    if not shutil.which("task"):
        print("task (Taskwarrior) is not installed: its peer timing was skipped.")
    if args.json:
        args.json.write_text(json.dumps({"f2": f2, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
