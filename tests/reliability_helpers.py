"""Shared plumbing of the reliability tests (issue 7): a pre-migrated template
database copied instead of migrated again, the real CLI in subprocesses, the
"one Error line, no traceback" check, and the structural checks every
database must pass (integrity, foreign keys, orphans, search index)."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY_ISO = "2026-11-27"

_template: Path | None = None


def template_db() -> Path:
    """A database migrated to HEAD once per test process; copy it with
    :func:`fresh_db` rather than running the migrations again."""
    global _template
    if _template is None or not _template.exists():
        from netcrm.store import engine
        from netcrm.store.location import resolve_location

        folder = Path(tempfile.mkdtemp(prefix="netcrm-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.db"
        loc = resolve_location(str(path))
        engine.ensure_schema(loc)
        # Close its pooled connections: the copy must hold everything (no -wal).
        eng = engine._engines.pop(loc.url, None)
        if eng is not None:
            eng.dispose()
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        _template = path
    return _template


def fresh_db(dest: Path) -> Path:
    """A new, empty, migrated database file at ``dest`` (0600)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template_db(), dest)
    os.chmod(dest, 0o600)
    return dest


def forget_engine(path: Path) -> None:
    """Dispose of the pooled engine of one database file (and only that one)."""
    from netcrm.store import engine
    from netcrm.store.location import resolve_location

    eng = engine._engines.pop(resolve_location(str(path)).url, None)
    if eng is not None:
        eng.dispose()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the real command line in another process -------------------------------------------


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NETCRM_DEBUG", None)
    env.update(
        NETCRM_TODAY=TODAY_ISO,
        COLUMNS="120",
        NO_COLOR="1",
        TERM="dumb",
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    env.update(extra)
    return env


def netcrm_command(*args: str) -> list[str]:
    """``netcrm ARGS`` through the package's entry point (``python -m netcrm``
    runs ``netcrm.cli:main``, the console script's target)."""
    return [sys.executable, "-m", "netcrm", *args]


def run_netcrm(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        netcrm_command(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cli_env(**env),
        cwd=ROOT,
    )


def start_netcrm(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        netcrm_command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(**env),
        cwd=ROOT,
    )


def start_python(code: str, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(**env),
        cwd=ROOT,
    )


def assert_one_error_line(stderr: str, *, needle: str | None = None) -> str:
    """Exactly one line on stderr, starting with ``Error:``, no traceback."""
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, f"expected one Error line, got:\n{stderr}"
    assert lines[0].startswith("Error: "), stderr
    if needle is not None:
        assert needle in lines[0], lines[0]
    return lines[0]


def assert_error_first(stderr: str) -> str:
    """The first stderr line is the Error line (candidates may follow); no traceback."""
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr, stderr
    assert lines and lines[0].startswith("Error: "), stderr
    return lines[0]


# --- structure of a database ---------------------------------------------------------

# (table, column, parent table): every link a row may hold. A NULL column is
# no link (follow-ups about no one, or no idea).
LINKS: tuple[tuple[str, str, str], ...] = (
    ("channel", "contact_id", "contact"),
    ("contact_tag", "contact_id", "contact"),
    ("contact_tag", "tag_id", "tag"),
    ("contact_key", "contact_id", "contact"),
    ("interaction_contact", "interaction_id", "interaction"),
    ("interaction_contact", "contact_id", "contact"),
    ("interaction_tag", "interaction_id", "interaction"),
    ("interaction_tag", "tag_id", "tag"),
    ("interaction_key", "interaction_id", "interaction"),
    ("idea_contact", "idea_id", "idea"),
    ("idea_contact", "contact_id", "contact"),
    ("idea_tag", "idea_id", "idea"),
    ("idea_tag", "tag_id", "tag"),
    ("idea_key", "idea_id", "idea"),
    ("idea_step", "idea_id", "idea"),
    ("idea_event", "idea_id", "idea"),
    ("followup", "contact_id", "contact"),
    ("followup", "idea_id", "idea"),
    ("followup_tag", "followup_id", "followup"),
    ("followup_tag", "tag_id", "tag"),
    ("followup_key", "followup_id", "followup"),
)


def has_search_index(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_index'").fetchone()
        is not None
    )


def structural_problems(conn: sqlite3.Connection) -> list[str]:
    """Everything wrong with the shape of a netcrm database: integrity, foreign
    keys, rows pointing at nothing, interactions with nobody, tags nothing
    carries, and a search index out of step with the tables."""
    problems: list[str] = []
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.append(f"integrity_check: {integrity[:5]}")
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        problems.append(f"foreign_key_check: {fk[:5]}")
    for table, column, parent in LINKS:
        orphans = conn.execute(
            f"SELECT rowid, {column} FROM {table} WHERE {column} IS NOT NULL "
            f"AND {column} NOT IN (SELECT id FROM {parent})"
        ).fetchall()
        if orphans:
            problems.append(f"orphan {table}.{column} → {parent}: {orphans[:5]}")
    lonely = conn.execute(
        "SELECT id FROM interaction "
        "WHERE id NOT IN (SELECT interaction_id FROM interaction_contact)"
    ).fetchall()
    if lonely:
        problems.append(f"interactions with no participant: {lonely[:5]}")
    unused = conn.execute(
        "SELECT name FROM tag WHERE id NOT IN (SELECT tag_id FROM contact_tag) "
        "AND id NOT IN (SELECT tag_id FROM interaction_tag) "
        "AND id NOT IN (SELECT tag_id FROM idea_tag) "
        "AND id NOT IN (SELECT tag_id FROM followup_tag)"
    ).fetchall()
    if unused:
        problems.append(f"tags nothing carries: {unused[:5]}")
    if has_search_index(conn):
        problems += search_index_problems(conn)
    return problems


def search_index_problems(conn: sqlite3.Connection) -> list[str]:
    """The index holds exactly one entry per row of the four indexed tables,
    with the very text migration 0003's ``ENTRIES`` queries build for it."""
    import importlib

    search = importlib.import_module("netcrm.store.migrations.versions.0003_search")
    # The words of ``detail`` are compared as a multiset: reordering a contact's
    # channels (``edit --prefer``) leaves them in the old order, which no search sees.
    stored = {
        _entry(row) for row in conn.execute("SELECT rowid, title, detail, body FROM search_index")
    }
    expected = {_entry(row) for sql in search.ENTRIES.values() for row in conn.execute(sql)}
    problems: list[str] = []
    extra = {e[0] for e in stored} - {e[0] for e in expected}
    missing = {e[0] for e in expected} - {e[0] for e in stored}
    if extra or missing:
        problems.append(
            f"search_index out of step: entries of rows that are gone {sorted(extra)[:5]}, "
            f"rows without an entry {sorted(missing)[:5]}"
        )
    elif stored != expected:
        problems.append(
            f"search_index text out of step: stale {sorted(stored - expected)[:3]}, "
            f"expected {sorted(expected - stored)[:3]}"
        )
    return problems


def _entry(row: Sequence[object]) -> tuple[object, ...]:
    rowid, title, detail, body = row
    return rowid, title, tuple(sorted(str(detail or "").split())), body


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def wait_all(
    procs: Sequence[subprocess.Popen[str]], timeout: float = 300
) -> list[tuple[int, str, str]]:
    """(returncode, stdout, stderr) of each process, in order."""
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        results.append((proc.returncode, out, err))
    return results
