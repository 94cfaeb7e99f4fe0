"""Faults (issue 7, PRODUCT.md §4 and §8): a database netcrm cannot use is
exit 3 with one ``Error:`` line, no traceback, and its bytes untouched — for a
write command (``add``) and for read commands (``list``, ``due``).

How each fault is made:

- garbage, truncated, foreign SQLite, a directory: real files;
- read-only: ``chattr +i`` (immutable: even root cannot write it) when the
  tests run as root, ``chmod 0400`` otherwise; if neither works, SQLite's own
  read-only error is injected with ``PRAGMA query_only``. A read-only file is
  still readable, so ``list`` and ``due`` must *work* on it (exit 0): §4 keeps
  exit 3 for a database that cannot be opened, and this one can, to read;
- disk full: SQLite's real ``SQLITE_FULL`` path, by capping the file with
  ``PRAGMA max_page_count`` on every connection netcrm opens (no root, no loop
  device), and an ``sqlite3.OperationalError("database or disk is full")``
  raised after rows were written, as a full disk does at commit time;
- locked past the timeout: another connection holds the write lock longer than
  a (shortened) busy timeout.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from netcrm.store import engine
from tests.conftest import count_rows
from tests.reliability_helpers import (
    assert_one_error_line,
    digest,
    forget_engine,
    fresh_db,
    start_netcrm,
    structural_problems,
    wait_all,
)

WRITE = ("add", "Zoé Faultless", "--email", "zoe@example.org")
COMMANDS: dict[str, tuple[str, ...]] = {"add": WRITE, "list": ("list",), "due": ("due",)}
NOW = datetime(2026, 11, 27, 9, 0)


def seeded(path: Path) -> Path:
    """A real netcrm database with a few rows, checkpointed (no -wal)."""
    from netcrm.domain.contacts import ContactInput, create_contact
    from netcrm.domain.followups import FollowupInput, create_followup
    from netcrm.store.engine import write_session
    from netcrm.store.location import resolve_location

    fresh_db(path)
    with write_session(resolve_location(str(path))) as session:
        for i in range(40):
            contact = create_contact(
                session,
                ContactInput(
                    fields={"name": f"Person {i}", "notes": "x" * 300},
                    channels=[("email", f"p{i}@example.org")],
                ),
                now=NOW,
            )
        assert contact.id is not None
        create_followup(
            session,
            FollowupInput(text="Call back", due=NOW.date(), contact_id=contact.id),
            now=NOW,
        )
    forget_engine(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


# --- bad files ----------------------------------------------------------------------


def _garbage(path: Path) -> Path:
    path.write_bytes(random.Random(7).randbytes(8192))
    return path


def _garbage_with_a_sqlite_header(path: Path) -> Path:
    path.write_bytes(b"SQLite format 3\x00" + random.Random(8).randbytes(8192 - 16))
    return path


def _cut(path: Path, size: Callable[[int], int]) -> Path:
    seeded(path)
    data = path.read_bytes()
    path.write_bytes(data[: size(len(data))])
    return path


def _truncated_to_the_header(path: Path) -> Path:
    return _cut(path, lambda n: 100)


def _truncated_to_half(path: Path) -> Path:
    return _cut(path, lambda n: n // 2 // 4096 * 4096)


def _truncated_by_its_last_page(path: Path) -> Path:
    return _cut(path, lambda n: n - 4096)


def _truncated_mid_page(path: Path) -> Path:
    # Not a whole number of pages: no SQLite file ends like this.
    return _cut(path, lambda n: n - 1000)


def _foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.execute("INSERT INTO photos (path) VALUES ('/home/me/cat.jpg')")
    conn.commit()
    conn.close()
    return path


def _directory(path: Path) -> Path:
    path.mkdir()
    (path / "keep.txt").write_text("mine")
    return path


BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "garbage": _garbage,
    "garbage-with-sqlite-header": _garbage_with_a_sqlite_header,
    "truncated-to-header": _truncated_to_the_header,
    "truncated-to-half": _truncated_to_half,
    "truncated-by-last-page": _truncated_by_its_last_page,
    "truncated-mid-page": _truncated_mid_page,
    "foreign-sqlite": _foreign,
    "directory": _directory,
}


def _snapshot(path: Path) -> object:
    if path.is_dir():
        return ("dir", sorted(p.name for p in path.iterdir()))
    return ("file", digest(path), oct(path.stat().st_mode))


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("fault", list(BAD_FILES))
def test_a_bad_file_is_exit_3_one_line_untouched(run, tmp_path, fault, command):
    path = BAD_FILES[fault](tmp_path / "bad.db")
    before = _snapshot(path)
    result = run("--db", str(path), *COMMANDS[command], code=None)
    assert result.exit_code == 3, (result.exit_code, result.stdout, result.stderr)
    assert_one_error_line(result.stderr)
    assert result.stdout == ""
    assert _snapshot(path) == before
    if path.is_file():
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0


def test_bad_files_through_the_entry_point(tmp_path):
    """The same refusals from ``python -m netcrm`` in separate processes (all at
    once), so nothing but the one line reaches a real stderr."""
    cases = ["garbage", "truncated-to-half", "foreign-sqlite", "directory"]
    jobs = []
    for fault in cases:
        for command in ("add", "due"):
            path = BAD_FILES[fault](tmp_path / f"{fault}-{command}.db")
            jobs.append((fault, command, path, _snapshot(path)))
    procs = [start_netcrm("--db", str(path), *COMMANDS[command]) for _, command, path, _ in jobs]
    for (fault, command, path, before), (code, out, err) in zip(jobs, wait_all(procs), strict=True):
        assert code == 3, (fault, command, code, err)
        assert_one_error_line(err)
        assert out == ""
        assert _snapshot(path) == before, (fault, command)


# --- read-only -------------------------------------------------------------------------


@contextmanager
def read_only(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Make ``path`` read-only for this process; yields how it was done."""
    if os.geteuid() != 0:
        os.chmod(path, 0o400)
        try:
            yield "chmod 0400"
        finally:
            os.chmod(path, 0o600)
        return
    chattr = shutil.which("chattr")
    done = chattr and subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode == 0
    if done:
        try:
            yield "chattr +i"
        finally:
            subprocess.run([chattr, "-i", str(path)], check=True)
        return
    # Root without the immutable flag: SQLite's own read-only error, injected.
    original = engine._configure_sqlite

    def query_only(eng):
        from sqlalchemy import event

        original(eng)

        @event.listens_for(eng, "connect")
        def _ro(dbapi_conn, _record):
            dbapi_conn.execute("PRAGMA query_only=ON")

    monkeypatch.setattr(engine, "_configure_sqlite", query_only)
    yield "PRAGMA query_only (injected)"


def test_read_only_database_refuses_writes_and_still_reads(run, tmp_path, monkeypatch):
    path = seeded(tmp_path / "ro.db")
    before = digest(path)
    rows = count_rows(path)
    with read_only(path, monkeypatch) as how:
        result = run("--db", str(path), *WRITE, code=None)
        assert result.exit_code == 3, (how, result.stdout, result.stderr)
        assert_one_error_line(result.stderr, needle="read-only")
        assert result.stdout == ""
        listed = run("--db", str(path), "list", "-q", code=None)
        assert listed.exit_code == 0, (how, listed.stderr)
        assert len(listed.stdout.split()) == 40
        due = run("--db", str(path), "due", "--json", code=None)
        assert due.exit_code == 0, (how, due.stderr)
        assert '"Call back"' in due.stdout
    assert digest(path) == before
    assert count_rows(path) == rows


# --- disk full ---------------------------------------------------------------------------


@pytest.fixture
def disk_full(monkeypatch):
    """Call it: every connection netcrm opens from then on may not grow its file."""

    def cap() -> None:
        engine.dispose_engines()
        monkeypatch.setattr(engine, "_configure_sqlite", _capped(engine._configure_sqlite))

    return cap


def _capped(original):

    def capped(eng):
        from sqlalchemy import event

        original(eng)

        @event.listens_for(eng, "connect")
        def _cap(dbapi_conn, _record):
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count={max(pages, 1)}")

    return capped


def test_disk_full_during_add(run, tmp_path, disk_full):
    path = seeded(tmp_path / "full.db")
    before, rows = digest(path), count_rows(path)
    disk_full()
    result = run("--db", str(path), "add", "Big Notes", "--note", "n" * 10_000, code=None)
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert_one_error_line(result.stderr, needle="full")
    assert result.stdout == ""
    engine.dispose_engines()
    assert digest(path) == before
    assert count_rows(path) == rows
    conn = sqlite3.connect(path)
    assert structural_problems(conn) == []
    conn.close()


def test_disk_full_during_an_import_writes_none_of_it(run, tmp_path, disk_full):
    path = seeded(tmp_path / "full.db")
    before, rows = digest(path), count_rows(path)
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "name,emails,notes\n"
        + "".join(f"Imported {i},imp{i}@example.org,{'y' * 500}\n" for i in range(2000))
    )
    disk_full()
    result = run("--db", str(path), "import", str(csv_file), code=None)
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert_one_error_line(result.stderr, needle="full")
    engine.dispose_engines()
    assert digest(path) == before
    assert count_rows(path) == rows


def test_disk_full_after_rows_were_written(run, tmp_path, monkeypatch):
    """The write fails after the contact, its channel and its index entry are in
    the transaction (as a full disk does at commit): all of it is rolled back."""
    import netcrm.domain.contacts as contacts

    path = seeded(tmp_path / "full.db")
    before, rows = digest(path), count_rows(path)
    real = contacts.create_contact

    def create_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(contacts, "create_contact", create_then_fail)
    result = run("--db", str(path), *WRITE, code=None)
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert_one_error_line(result.stderr, needle="full")
    engine.dispose_engines()
    assert digest(path) == before
    assert count_rows(path) == rows


@pytest.mark.parametrize("command", ["list", "due", "add"])
def test_disk_full_while_creating_a_new_database(run, tmp_path, disk_full, command):
    """A first command must create and migrate the file: a full disk then is
    exit 3 and leaves no half-made schema behind; the next command starts over."""
    path = tmp_path / "new.db"
    disk_full()
    result = run("--db", str(path), *COMMANDS[command], code=None)
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert_one_error_line(result.stderr, needle="full")
    engine.dispose_engines()
    if path.exists() and path.stat().st_size:
        conn = sqlite3.connect(path)
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        conn.close()
        assert tables == []


def test_a_new_database_works_after_a_full_disk_is_freed(run, tmp_path, monkeypatch):
    path = tmp_path / "new.db"
    original = engine._configure_sqlite

    def capped(eng):
        from sqlalchemy import event

        original(eng)

        @event.listens_for(eng, "connect")
        def _cap(dbapi_conn, _record):
            dbapi_conn.execute("PRAGMA max_page_count=1")

    monkeypatch.setattr(engine, "_configure_sqlite", capped)
    assert run("--db", str(path), *WRITE, code=None).exit_code == 3
    engine.dispose_engines()
    monkeypatch.setattr(engine, "_configure_sqlite", original)
    run("--db", str(path), *WRITE)
    assert run("--db", str(path), "list", "-q").stdout.split() == ["1"]
    assert run("--db", str(path), "db", "check").stdout.strip() == "ok"


# --- locked past the timeout ----------------------------------------------------------


def test_locked_past_the_timeout_is_exit_3_and_reads_still_work(run, tmp_path, monkeypatch):
    path = seeded(tmp_path / "locked.db")
    rows = count_rows(path)
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(path, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = run("--db", str(path), *WRITE, code=None)
        assert result.exit_code == 3, (result.stdout, result.stderr)
        assert_one_error_line(result.stderr, needle="locked")
        listed = run("--db", str(path), "list", "-q", code=None)
        assert listed.exit_code == 0, listed.stderr
        assert len(listed.stdout.split()) == 40
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    engine.dispose_engines()
    assert count_rows(path) == rows
