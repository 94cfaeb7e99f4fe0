"""Start fast (STYLE.md rule 5, issue 6) and document every command (rule 6).

The import checks run netcrm in a subprocess with ``-X importtime`` and read
the modules it really imported: ``--help``, shell completion of a contact name
and the read commands on an up-to-date SQLite database must not import
SQLAlchemy, SQLModel, Alembic or pydantic (each costs more than the whole
start-up budget).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main

from netcrm.cli import app

# mcp (the SDK, an optional extra) is imported by `netcrm mcp` alone.
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic", "mcp", "anyio")
# Also never needed to print help or complete a name.
HEAVY_FOR_HELP = (*HEAVY, "dateutil", "rapidfuzz", "vobject", "icalendar")


def imported_modules(args: list[str], env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """Top-level packages a ``python -m netcrm ARGS`` process imported, and its stdout."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("NETCRM_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "netcrm", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    modules = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            modules.add(name.split(".")[0])
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return modules, proc.stdout


@pytest.fixture
def current_db(run, db_file: Path) -> Path:
    """A database already at the current schema, with a contact to complete."""
    run("add", "Léa Martin", "--email", "lea@ex.fr")
    run("remind", "lea", "Send the outline", "--on", "2026-11-30")
    return db_file


@pytest.mark.parametrize(
    "args, shown",
    [(["--help"], "Every morning: netcrm due"), (["mcp", "--help"], "netcrm mcp --read-only")],
    ids=["--help", "mcp --help"],
)
def test_help_imports_nothing_heavy(args, shown):
    modules, out = imported_modules(args)
    assert shown in out
    assert not modules & set(HEAVY_FOR_HELP), sorted(modules & set(HEAVY_FOR_HELP))


@pytest.mark.parametrize(
    "shell, env",
    [
        (
            "bash",
            {
                "_NETCRM_COMPLETE": "complete_bash",
                "COMP_WORDS": "netcrm show lé",
                "COMP_CWORD": "2",
            },
        ),
        ("zsh", {"_NETCRM_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "netcrm show lé"}),
    ],
)
def test_completion_imports_nothing_heavy(current_db, shell, env):
    modules, out = imported_modules([], env)
    assert "Léa" in out, out
    assert not modules & set(HEAVY_FOR_HELP), sorted(modules & set(HEAVY_FOR_HELP))


@pytest.mark.parametrize(
    "args",
    [
        ["due"],
        ["due", "--check"],
        ["show", "lea"],
        ["list", "--limit", "50"],
        ["search", "outline"],
        ["followups"],
        ["idea", "list"],
        ["report", "keys"],
    ],
    ids=" ".join,
)
def test_read_commands_stay_on_the_fast_path(current_db, args):
    modules, _ = imported_modules(args)
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_a_database_to_migrate_takes_the_write_path_once(tmp_path):
    """The first read of a new file creates it (heavy, once); the next is light."""
    env = {"NETCRM_DB": str(tmp_path / "new.db")}
    first, _ = imported_modules(["search", "anything"], env)
    assert "alembic" in first
    second, _ = imported_modules(["search", "anything"], env)
    assert not second & set(HEAVY)


# --- every command documents itself -----------------------------------------------------------


def commands() -> Iterator[tuple[list[str], typer.core.TyperCommand | typer.core.TyperGroup]]:
    def walk(cmd, path):  # type: ignore[no-untyped-def]
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_command(app), [])


ALL = list(commands())


def test_every_command_is_registered():
    names = {" ".join(path) for path, _ in ALL}
    for expected in ("add", "list", "show", "due", "done", "search", "log", "db check"):
        assert expected in names


@pytest.mark.parametrize("path, cmd", ALL, ids=[" ".join(p) or "netcrm" for p, _ in ALL])
def test_every_command_has_help(run, path, cmd):
    text = (cmd.help or "").strip()
    assert text, f"netcrm {' '.join(path)} has no help"
    first = text.splitlines()[0]
    assert first.strip() and len(first) <= 100, f"first line of help: {first!r}"
    result = run(*path, "--help")
    assert first.split()[0] in result.stdout


# Groups that only hold subcommands show their commands instead of an example.
LEAVES = [
    (p, c)
    for p, c in ALL
    if not getattr(c, "commands", None) or getattr(c, "invoke_without_command", False)
]


@pytest.mark.parametrize("path, cmd", LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
def test_every_command_ends_with_an_example(run, path, cmd):
    last = (cmd.help or "").strip().splitlines()[-1].strip()
    assert last.startswith("Example: netcrm "), f"netcrm {' '.join(path)}: last line {last!r}"
    shown = " ".join(run(*path, "--help").stdout.split())
    assert " ".join(last.split()) in shown


# --- the read path opens one connection, and refuses what the write path refuses -----------


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 16)


def _text(path: Path) -> None:
    path.write_text("these are my notes, not a database\n")


def _foreign(path: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "make, needle",
    [
        (_garbage, "not a SQLite database"),
        (_text, "not a SQLite database"),
        (_foreign, "not a netcrm one"),
        (_newer, "newer than this netcrm"),
        (lambda p: p.mkdir(), "is a directory"),
    ],
    ids=["garbage", "text", "foreign", "newer", "directory"],
)
@pytest.mark.parametrize("args", [["search", "lea"], ["due"], ["show", "lea"]], ids=" ".join)
def test_read_commands_refuse_what_they_must_not_open(run, tmp_path, make, needle, args):
    import hashlib

    path = tmp_path / "other.db"
    make(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    result = run("--db", str(path), *args, code=3)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and needle in lines[0], lines
    if before is not None:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_an_up_to_date_database_is_read_through_one_connection(current_db, monkeypatch):
    import sqlite3

    from netcrm.store import reader as reader_module

    opened: list[str] = []
    real_connect = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        opened.append(str(args[0]))
        return real_connect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader_module.sqlite3, "connect", connect)
    reader = reader_module.open_reader(
        reader_module.DbLocation(f"sqlite:///{current_db}", current_db)
    )
    try:
        assert reader.rows("SELECT count(*) AS n FROM contact") == [{"n": 1}]
    finally:
        reader.close()
    assert len(opened) == 1 and opened[0].endswith("?mode=rw")
