"""``netcrm db copy`` and ``db backup`` of a server (issue 13, PRODUCT.md §8):
a CRM moves between SQLite and PostgreSQL and back with every row, every id
and every answer intact; a target holding a CRM is refused unless --force."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from tests import pg
from tests.conftest import count_rows

READS = (
    ("list", "--all"),
    ("followups", "--all"),
    ("idea", "list"),
    ("due", "--within", "30d"),
    ("report", "keys"),
)


@pytest.fixture
def demo(run, tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    run("demo", "--keep", str(path))
    return path


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> str:
    """An empty PostgreSQL database at HEAD (skipped without a server)."""
    return pg.fresh_database(request)


def answers(run, db: Path | str) -> dict[str, object]:
    return {" ".join(cmd): json.loads(run("--db", str(db), *cmd, "--json").stdout) for cmd in READS}


def test_sqlite_to_postgresql_and_back_answers_the_same(run, demo, pg_url, tmp_path):
    back = tmp_path / "back.db"
    copied = run("db", "copy", str(demo), pg_url)
    assert "counts checked" in copied.stderr
    run("db", "copy", pg_url, str(back))
    before = answers(run, demo)
    assert before["list --all"], "the demo network is not empty"
    assert answers(run, pg_url) == before
    assert answers(run, back) == before
    assert count_rows(back) == count_rows(demo) == count_rows(pg_url)
    # The search index was built for each engine as the rows went in.
    hits = run("--db", str(back), "search", "webinar", "--json").stdout
    assert json.loads(hits) == json.loads(
        run("--db", str(demo), "search", "webinar", "--json").stdout
    )


def test_ids_are_kept_and_new_rows_follow_them(run, demo, pg_url):
    run("db", "copy", str(demo), pg_url)
    highest = max(
        c["id"] for c in json.loads(run("--db", pg_url, "list", "--all", "--json").stdout)
    )
    run("--db", pg_url, "add", "Nouvelle Personne")
    added = json.loads(run("--db", pg_url, "show", "Nouvelle Personne", "--json").stdout)
    assert added["id"] == highest + 1


def test_a_target_holding_a_crm_is_refused_unless_forced(run, demo, pg_url, tmp_path):
    run("db", "copy", str(demo), pg_url)
    other = tmp_path / "other.db"
    run("--db", str(other), "add", "Seule Personne")
    before = count_rows(pg_url)
    refused = run("db", "copy", str(other), pg_url, code=2)
    assert refused.stderr.startswith("Error: ") and "--force" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert count_rows(pg_url) == before
    replaced = run("db", "copy", str(other), pg_url, "--force")
    assert "Replaced" in replaced.stderr
    assert count_rows(pg_url) == count_rows(other)
    names = [c["name"] for c in json.loads(run("--db", pg_url, "list", "--all", "--json").stdout)]
    assert names == ["Seule Personne"]


def test_sqlite_to_sqlite_needs_no_server(run, demo, tmp_path):
    target = tmp_path / "sub" / "copy.db"
    run("db", "copy", str(demo), str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert answers(run, target) == answers(run, demo)
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_copy_refuses_the_same_database_and_a_missing_source(run, demo, tmp_path):
    same = run("db", "copy", str(demo), str(demo), code=2)
    assert "same database" in same.stderr
    missing = run("db", "copy", str(tmp_path / "nope.db"), str(tmp_path / "t.db"), code=2)
    assert "does not exist" in missing.stderr
    assert not (tmp_path / "t.db").exists()


def test_backup_of_a_server_writes_a_sqlite_copy(run, demo, pg_url, tmp_path):
    run("db", "copy", str(demo), pg_url)
    dest = tmp_path / "backup.db"
    run("--db", pg_url, "db", "backup", str(dest))
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert answers(run, dest) == answers(run, demo)
    again = run("--db", pg_url, "db", "backup", str(dest), code=2)
    assert "already exists" in again.stderr
