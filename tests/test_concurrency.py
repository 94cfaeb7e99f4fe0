"""Concurrency (issue 7, PRODUCT.md §8): two shells writing at once never lose
data nor fail with "database is locked"; a merge racing a stream of ``log``
calls loses no interaction; five processes opening a brand-new database at
once make one schema.

Each writer is a separate Python process running the real command line
(the root ``NetcrmGroup`` of ``netcrm.cli.app`` with ``standalone_mode=False``:
the same parsing, error translation and exit codes, without paying the
interpreter's start-up on every command, and closing its connections after
each command as a process would); a start file releases them together once
their imports are done.
The ``python -m netcrm`` entry point itself runs in the last test.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netcrm.store.schema import HEAD
from tests.reliability_helpers import (
    TODAY_ISO,
    cli_env,
    count,
    fresh_db,
    netcrm_command,
    structural_problems,
    template_db,
    wait_all,
)

# Long reliability test: left out of the fast run (python -m pytest -m "not slow").
pytestmark = [pytest.mark.slow, pytest.mark.both_engines]

ROOT = Path(__file__).resolve().parent.parent

# argv: database, start file, result file, commands file (one command per line,
# its words separated by \x1f). Writes "<exit code>\t<command>" per command.
CLI_LOOP = r"""
import os, sys, time
import sqlalchemy, sqlmodel, alembic  # imported before the start, as a warm shell would
import netcrm.cli
from netcrm import render
from netcrm.cli.app import app
from netcrm.store import engine
import typer.main

# The click command tree, built once as a `netcrm` process does (typer
# rebuilds it on every `app(...)` call, two thirds of a command's time).
command = typer.main.get_command(app)

db, start, result, todo, keep = sys.argv[1:6]
with open(todo, encoding="utf-8") as fh:
    commands = [line.rstrip("\n").split("\x1f") for line in fh if line.strip()]
open(result + ".ready", "w").close()
while not os.path.exists(start):
    time.sleep(0.001)
with open(result, "w") as out:
    for words in commands:
        render.reset_consoles()
        code = command.main(["--db", db, *words], prog_name="netcrm", standalone_mode=False)
        if keep != "keep":
            # Close the connections as the end of a `netcrm` process would;
            # "keep" runs like a long-lived program instead, its connection
            # (and its locks) kept from one command to the next.
            engine.dispose_engines()
        out.write(f"{code}\t{' '.join(words)}\n")
        out.flush()
"""


def _launch(
    db: Path, start: Path, result: Path, commands: list[list[str]], *, keep: bool = False
) -> subprocess.Popen:
    """A CLI_LOOP process running ``commands`` once the start file exists."""
    todo = result.with_suffix(".todo")
    todo.write_text("".join("\x1f".join(words) + "\n" for words in commands), encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-c", CLI_LOOP, str(db), str(start), str(result), str(todo)]
        + ["keep" if keep else "close"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
        cwd=ROOT,
    )


def _wait_ready(results: list[Path], timeout: float = 120) -> None:
    """Until every CLI_LOOP process has done its imports and waits to start."""
    deadline = time.monotonic() + timeout
    while not all(Path(f"{r}.ready").exists() for r in results):
        assert time.monotonic() < deadline, "a process did not get ready"
        time.sleep(0.01)


def _results(path: Path) -> list[tuple[int, str]]:
    rows = []
    for line in path.read_text().splitlines():
        code, command = line.split("\t", 1)
        rows.append((int(code), command))
    return rows


def _finish(procs: list[subprocess.Popen], timeout: float = 240) -> list[str]:
    errors = []
    for proc in procs:
        assert proc.stderr is not None
        _, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, err
        errors.append(err)
    return errors


# --- two shells adding 500 contacts each --------------------------------------------------


def _rows(db: Path | str, sql: str) -> list[tuple]:
    """Rows of a SQLite file or a server database."""
    if isinstance(db, Path):
        conn = sqlite3.connect(db)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    from tests import pg

    return [tuple(r.values()) for r in pg.query(db, sql)]


def _problems(db: Path | str) -> list[str]:
    if isinstance(db, Path):
        conn = sqlite3.connect(db)
        try:
            return structural_problems(conn)
        finally:
            conn.close()
    from netcrm.store.engine import check_database
    from netcrm.store.location import resolve_location

    return check_database(resolve_location(db))


def test_two_processes_adding_500_contacts_each_lose_nothing(tmp_path, engine, db_file):
    """On SQLite the writers queue on the file's write lock; on PostgreSQL on
    netcrm's advisory lock (``netcrm.store.engine``)."""
    db = fresh_db(tmp_path / "shared.db") if engine == "sqlite" else db_file
    start = tmp_path / "go"
    writers = {}
    for who in ("Alice", "Bruno"):
        commands = [
            ["add", f"{who} Writer{i:03d}", "--email", f"{who.lower()}{i}@example.org"]
            for i in range(500)
        ]
        writers[who] = (tmp_path / f"{who}.txt", commands)
    # Alice closes her connection after each command, as `netcrm` processes do;
    # Bruno keeps his, as a script or a long-lived program would.
    procs = [
        _launch(db, start, result, commands, keep=who == "Bruno")
        for who, (result, commands) in writers.items()
    ]
    _wait_ready([result for result, _ in writers.values()])
    started = time.monotonic()
    start.touch()
    stderrs = _finish(procs)
    elapsed = time.monotonic() - started

    for (result, commands), err in zip(writers.values(), stderrs, strict=True):
        codes = _results(result)
        assert len(codes) == len(commands) == 500
        assert [c for c, _ in codes if c != 0] == [], err
        assert "locked" not in err and "Error" not in err, err
    assert _rows(db, "SELECT COUNT(*) FROM contact") == [(1000,)]
    assert _rows(db, "SELECT COUNT(DISTINCT name) FROM contact") == [(1000,)]
    emails = {r[0] for r in _rows(db, "SELECT value FROM channel WHERE kind = 'email'")}
    assert emails == {f"{who}{i}@example.org" for who in ("alice", "bruno") for i in range(500)}
    assert _problems(db) == []
    print(f"{engine}: 2 x 500 adds at once in {elapsed:.1f} s ({1000 / elapsed:.0f} adds/s)")


# --- a merge racing a stream of log calls -------------------------------------------------

SOURCES = 5


def _race_network(db: Path) -> None:
    from datetime import datetime

    from netcrm.domain.contacts import ContactInput, create_contact
    from netcrm.store.engine import write_session
    from netcrm.store.location import resolve_location
    from tests.reliability_helpers import forget_engine

    now = datetime(2026, 11, 20, 9, 0)
    with write_session(resolve_location(str(db))) as session:
        create_contact(
            session,
            ContactInput(fields={"name": "Tara Target"}, channels=[("email", "t@example.org")]),
            now=now,
        )
        for k in range(SOURCES):
            create_contact(
                session,
                ContactInput(
                    fields={"name": f"Sam Source{k}", "cadence": "FREQ=DAILY;INTERVAL=10"},
                    channels=[("email", f"s{k}@example.org")],
                    tags=[f"source{k}"],
                ),
                now=now,
            )
    forget_engine(db)


@pytest.mark.sqlite_only  # watches the file with sqlite3 while the race runs
def test_a_merge_racing_a_stream_of_logs_loses_no_interaction(tmp_path):
    db = fresh_db(tmp_path / "race.db")
    _race_network(db)
    start = tmp_path / "go"
    rounds = 120
    # Logger A names each source by its e-mail, which moves to the target with
    # the merge: every one of its logs must succeed, before or after.
    by_email = [
        ["log", f"s{i % SOURCES}@example.org", f"race A{i}", "--via", "email"]
        for i in range(rounds)
    ]
    # Logger B names a source by id, with the target: once that source is merged
    # away the log is refused (exit 2) and must leave nothing behind.
    by_id = [
        ["log", str(2 + i % SOURCES), f"race B{i}", "--with", "t@example.org"]
        for i in range(rounds)
    ]
    loggers = [
        _launch(db, start, tmp_path / "a.txt", by_email, keep=True),
        _launch(db, start, tmp_path / "b.txt", by_id),
    ]
    # The merges wait, warm, for their own start file; each is released once
    # the loggers have logged a little more, so that all five land mid-stream.
    merges = [["merge", f"s{k}@example.org", "t@example.org", "--yes"] for k in range(SOURCES)]
    mergers = [
        (_launch(db, tmp_path / f"go-merge{k}", tmp_path / f"m{k}.txt", [words]), k)
        for k, words in enumerate(merges)
    ]
    _wait_ready([tmp_path / n for n in ("a.txt", "b.txt", *(f"m{k}.txt" for k in range(SOURCES)))])
    start.touch()
    for proc, k in mergers:
        _wait_for_interactions(db, 10 + 15 * k)
        (tmp_path / f"go-merge{k}").touch()
        _finish([proc])
        assert _results(tmp_path / f"m{k}.txt")[0][0] == 0, (tmp_path / f"m{k}.txt").read_text()
    errs = _finish(loggers)
    assert "locked" not in "".join(errs), errs

    a = _results(tmp_path / "a.txt")
    b = _results(tmp_path / "b.txt")
    assert len(a) == len(b) == rounds
    assert [c for c, _ in a if c != 0] == [], errs[0]
    assert {c for c, _ in b} <= {0, 2}, errs[1]
    refused = [cmd for c, cmd in b if c == 2]
    assert len(refused) == errs[1].count("Error: no contact matches"), errs[1]
    logged = [
        words[2]
        for results, commands in ((a, by_email), (b, by_id))
        for (code, _), words in zip(results, commands, strict=True)
        if code == 0
    ]

    conn = sqlite3.connect(db)
    try:
        target = conn.execute("SELECT id FROM contact WHERE name = 'Tara Target'").fetchone()[0]
        assert conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0] == 1
        rows = conn.execute(
            "SELECT i.summary, group_concat(ic.contact_id) FROM interaction i "
            "JOIN interaction_contact ic ON ic.interaction_id = i.id GROUP BY i.id"
        ).fetchall()
        summaries = [summary for summary, _ in rows]
        assert sorted(summaries) == sorted(logged), "lost or extra interactions"
        assert {who for _, who in rows} == {str(target)}
        last = conn.execute("SELECT last_contact FROM contact").fetchone()[0]
        assert last == TODAY_ISO
        tags = {
            r[0]
            for r in conn.execute(
                "SELECT t.name FROM tag t JOIN contact_tag ct ON ct.tag_id = t.id"
            )
        }
        assert tags == {f"source{k}" for k in range(SOURCES)}
        assert structural_problems(conn) == []
    finally:
        conn.close()
    stats = (len(logged), len(refused))
    print(f"race: {stats[0]} interactions logged and kept, {stats[1]} logs refused after merges")


def _wait_for_interactions(db: Path, at_least: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            if conn.execute("SELECT COUNT(*) FROM interaction").fetchone()[0] >= at_least:
                return
        finally:
            conn.close()
        time.sleep(0.01)
    raise AssertionError(f"the loggers did not reach {at_least} interactions")


# --- five processes opening a new database -------------------------------------------------


def _schema(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(
            conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        )
    finally:
        conn.close()


@pytest.mark.sqlite_only  # a new file: its schema, its mode, no backup of it
def test_five_processes_opening_a_new_database_make_one_schema(tmp_path):
    expected = _schema(template_db())
    rounds = {
        "checks": [["db", "check"]] * 5,
        "mixed": [["add", "Ada One"], ["list"], ["due"], ["add", "Bea Two"], ["db", "check"]],
    }
    for name, commands in rounds.items():
        folder = tmp_path / name
        folder.mkdir()
        db = folder / "new.db"
        start = folder / "go"
        procs = [
            _launch(db, start, folder / f"r{i}.txt", [words]) for i, words in enumerate(commands)
        ]
        _wait_ready([folder / f"r{i}.txt" for i in range(len(commands))])
        start.touch()
        errs = _finish(procs)
        for i, err in enumerate(errs):
            assert _results(folder / f"r{i}.txt")[0][0] == 0, (name, commands[i], err)
            assert "Error" not in err, (name, err)
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
            assert structural_problems(conn) == []
            adds = sum(1 for words in commands if words[0] == "add")
            assert conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0] == adds
        finally:
            conn.close()
        schema = _schema(db)
        assert len(schema) == len(set(schema))
        assert schema == expected, name
        assert list(folder.glob("*.bak-*")) == [], "a new database was backed up as if old"
        assert oct(os.stat(db).st_mode & 0o777) == "0o600"


@pytest.mark.sqlite_only  # a new SQLite file
def test_two_shells_running_the_entry_point_at_once(tmp_path):
    """The real ``python -m netcrm`` processes, three per shell, both shells at once."""
    db = fresh_db(tmp_path / "shells.db")
    shell = 'for i in 0 1 2; do {cmd} add "{who} $i" || echo FAIL $i; done'
    command = " ".join(f"'{w}'" for w in netcrm_command("--db", str(db)))
    procs = [
        subprocess.Popen(
            ["sh", "-c", shell.format(cmd=command, who=who)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
            cwd=ROOT,
        )
        for who in ("Shell One", "Shell Two")
    ]
    for code, out, err in wait_all(procs):
        assert code == 0
        assert "FAIL" not in out, err
        assert "Error" not in err and "locked" not in err, err
    assert count(db, "contact") == 6


# --- the locks of a process that keeps its connection -------------------------------------

LOCK_PROBE = r"""
import os, subprocess, sys
from datetime import datetime
from netcrm.domain.contacts import ContactInput, create_contact
from netcrm.store import engine
from netcrm.store.location import resolve_location

path = sys.argv[1]
loc = resolve_location(path)
with engine.write_session(loc) as session:
    create_contact(session, ContactInput(fields={"name": "Kept Open"}), now=datetime(2026, 11, 27))
# The pooled connection stays open, holding its shared lock, like any process
# that runs more than one command (a script, a test, a long-lived program).
with engine.write_session(loc) as session:
    pass
other = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
    "c.execute('SELECT COUNT(*) FROM contact').fetchall(); c.close()"
)
subprocess.run([sys.executable, "-c", other, path], check=True)
print("wal kept" if os.path.exists(path + "-wal") else "wal deleted under an open connection")
"""


@pytest.mark.sqlite_only  # SQLite's POSIX locks
def test_preflight_keeps_the_locks_of_open_connections(tmp_path):
    """A second write session in a process must not drop the first one's locks:
    while our connection is open, another process closing its own connection
    must not think it is the last one and delete the WAL."""
    db = fresh_db(tmp_path / "locks.db")
    proc = subprocess.run(
        [sys.executable, "-c", LOCK_PROBE, str(db)],
        capture_output=True,
        text=True,
        env=cli_env(),
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "wal kept"
