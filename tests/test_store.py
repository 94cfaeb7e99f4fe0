"""Storage promises of PRODUCT.md §8: where the file is, its permissions,
pragmas, migrations, and the refusal of files netcrm must not touch."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from netcrm.store import engine
from netcrm.store.location import default_path, resolve_location
from netcrm.store.schema import HEAD, REVISIONS

pytestmark = pytest.mark.both_engines

DATA = Path(__file__).parent / "data"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- location -----------------------------------------------------------------------


def test_location_option_beats_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NETCRM_DB", str(tmp_path / "env.db"))
    assert resolve_location(str(tmp_path / "opt.db")).path == tmp_path / "opt.db"
    assert resolve_location(None).path == tmp_path / "env.db"


def test_location_default_is_the_user_data_dir(monkeypatch):
    monkeypatch.delenv("NETCRM_DB")
    loc = resolve_location(None)
    assert loc.path == default_path()
    assert loc.path.name == "netcrm.db"


def test_location_url(monkeypatch):
    loc = resolve_location("postgresql+psycopg://me:secret@host/crm")
    assert loc.path is None
    assert loc.describe() == "postgresql+psycopg://me:***@host/crm"
    assert resolve_location("sqlite:////tmp/x.db").path == Path("/tmp/x.db")


@pytest.mark.sqlite_only  # the file itself: its path, pragmas, locks or backups
def test_db_path_command(run, db_file):
    assert run("db", "path").stdout.strip() == str(db_file)
    other = db_file.parent / "other.db"
    assert run("--db", str(other), "db", "path").stdout.strip() == str(other)


# --- permissions and pragmas ----------------------------------------------------------


def test_new_database_is_private_under_umask_022(tmp_path):
    target = tmp_path / "fresh" / "deeper" / "netcrm.db"
    code = (
        "import os, sys; os.umask(0o022); sys.argv=['netcrm','--db',sys.argv[1],'db','check'];"
        "from netcrm.cli import main; main()"
    )
    # A write through the CLI in a separate process, with a typical umask.
    subprocess.run([sys.executable, "-c", code, str(target)], check=True, capture_output=True)
    assert mode(target.parent) == 0o700
    assert mode(target) == 0o600
    # Keep the WAL open while we look at it: the files exist only while in use.
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    for suffix in ("-wal", "-shm"):
        side = target.with_name(target.name + suffix)
        assert side.exists()
        assert mode(side) == 0o600, suffix
    conn.close()


def test_existing_folder_mode_is_left_alone(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    engine.ensure_schema(resolve_location(str(folder / "netcrm.db")))
    assert mode(folder) == 0o755
    assert mode(folder / "netcrm.db") == 0o600


@pytest.mark.sqlite_only  # the file itself: its path, pragmas, locks or backups
def test_every_connection_has_wal_foreign_keys_and_busy_timeout(db_file):
    from sqlalchemy import text

    eng = engine.ensure_schema(resolve_location(str(db_file)))
    with eng.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1


@pytest.mark.sqlite_only  # the file itself: its path, pragmas, locks or backups
def test_write_transactions_take_the_lock_up_front(db_file):
    """A write session holds the RESERVED lock from its first statement, so a
    second writer waits instead of failing half-way."""
    loc = resolve_location(str(db_file))
    engine.ensure_schema(loc)
    from sqlalchemy import text

    with engine.write_session(loc) as session:
        session.connection().execute(text("SELECT 1"))
        other = sqlite3.connect(db_file, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


# --- schema and migrations ---------------------------------------------------------------


def test_revisions_list_matches_the_alembic_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(engine.__file__).parent / "migrations"))
    script = ScriptDirectory.from_config(cfg)
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert tuple(chain) == REVISIONS
    assert script.get_current_head() == HEAD


def test_migrated_schema_matches_the_models(db_file):
    """The frozen migrations and the SQLModel classes describe one schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from netcrm.domain.models import SQLModel

    eng = engine.ensure_schema(resolve_location(str(db_file)))
    with eng.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, parent: (
                    not (name or "").startswith(("search", "alembic"))
                ),
            },
        )
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == []


def test_upgrade_from_the_first_release_keeps_every_row(tmp_path, run):
    old = tmp_path / "old.db"
    shutil.copy(DATA / "netcrm-0001.db", old)
    os.chmod(old, 0o600)
    engine.ensure_schema(resolve_location(str(old)))
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    assert conn.execute("SELECT name FROM contact ORDER BY id").fetchall() == [
        ("Léa Martin",),
        ("Émile Durand",),
    ]
    assert conn.execute("SELECT value FROM channel ORDER BY id").fetchall() == [
        ("lea@example.fr",),
        ("+33 6 12 34 56 78",),
    ]
    assert conn.execute("SELECT contact_id FROM interaction_contact ORDER BY 1").fetchall() == [
        (1,),
        (2,),
    ]
    assert conn.execute("SELECT key FROM interaction_key").fetchall() == [("opportunity",)]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    backups = list(tmp_path.glob("old.db.bak-0001-*"))
    assert len(backups) == 1
    assert mode(backups[0]) == 0o600
    assert (
        digest(backups[0]) != ""
        and sqlite3.connect(backups[0])
        .execute("SELECT version_num FROM alembic_version")
        .fetchone()[0]
        == "0001"
    )


@pytest.mark.sqlite_only  # the file itself: its path, pragmas, locks or backups
def test_an_up_to_date_database_is_not_backed_up_again(db_file):
    loc = resolve_location(str(db_file))
    engine.ensure_schema(loc)
    engine.dispose_engines()
    engine.ensure_schema(loc)
    assert list(db_file.parent.glob("*.bak-*")) == []


# --- refusals: exit 3, one line, file untouched -----------------------------------------


def _refuses(run, path: Path, needle: str) -> None:
    before = digest(path) if path.is_file() else None
    result = run("--db", str(path), "db", "check", code=3)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert needle in lines[0]
    assert "Traceback" not in result.stderr
    if before is not None:
        assert digest(path) == before
        assert not path.with_name(path.name + "-wal").exists()


def test_refuses_a_garbage_file(run, tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(os.urandom(4096))
    _refuses(run, path, "not a SQLite database")


def test_refuses_a_text_file(run, tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    _refuses(run, path, "not a SQLite database")


def test_refuses_a_foreign_sqlite_database(run, tmp_path):
    path = tmp_path / "foreign.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.execute("INSERT INTO photos (path) VALUES ('/tmp/cat.jpg')")
    conn.commit()
    conn.close()
    _refuses(run, path, "not a netcrm one")


def test_refuses_a_newer_schema(run, tmp_path):
    path = tmp_path / "future.db"
    shutil.copy(DATA / "netcrm-0001.db", path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    _refuses(run, path, "newer than this netcrm")


def test_refuses_a_directory(run, tmp_path):
    path = tmp_path / "adir.db"
    path.mkdir()
    _refuses(run, path, "is a directory")


def test_refuses_a_truncated_database(run, tmp_path):
    path = tmp_path / "cut.db"
    shutil.copy(DATA / "netcrm-0001.db", path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    before = digest(path)
    result = run("--db", str(path), "db", "check", code=3)
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert digest(path) == before


# --- db backup / check -------------------------------------------------------------------


def test_backup_is_private_and_refuses_to_overwrite(run, tmp_path):
    run("db", "check")
    dest = tmp_path / "copy.db"
    run("db", "backup", str(dest))
    assert mode(dest) == 0o600
    conn = sqlite3.connect(dest)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    conn.close()
    before = digest(dest)
    result = run("db", "backup", str(dest), code=2)
    assert result.stderr.startswith("Error: ") and "already exists" in result.stderr
    assert digest(dest) == before


def test_check_reports_ok(run):
    assert run("db", "check").stdout.strip() == "ok"


@pytest.mark.sqlite_only  # the file itself: its path, pragmas, locks or backups
def test_check_reports_a_broken_foreign_key(run, db_file):
    run("db", "check")
    conn = sqlite3.connect(db_file)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(
        "INSERT INTO channel (contact_id, kind, value, value_norm, position)"
        " VALUES (999, 'email', 'ghost@example.com', 'ghost@example.com', 0)"
    )
    conn.commit()
    conn.close()
    result = run("db", "check", code=3)
    assert result.stderr.startswith("Error: 1 problem(s)")
    assert "channel" in result.stderr


# --- concurrency ------------------------------------------------------------------------------

WRITER = """
import sys
from datetime import datetime
from netcrm.store.location import resolve_location
from netcrm.store.engine import write_session
from netcrm.domain.contacts import ContactInput, create_contact

loc = resolve_location(sys.argv[1])
for i in range(int(sys.argv[3])):
    with write_session(loc) as session:
        create_contact(session, ContactInput(fields={"name": f"{sys.argv[2]} {i}"}),
                       now=datetime(2026, 11, 27, 9, 0))
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.db"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), who, "150"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("Alice", "Bruno")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "locked" not in err
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM contact").fetchone()[0] == 300
    assert conn.execute("SELECT COUNT(DISTINCT name) FROM contact").fetchone()[0] == 300
    conn.close()


def test_upgrade_indexes_the_words_of_existing_names(tmp_path, run, monkeypatch):
    """Revision 0006 fills contact_word for the contacts already there, so a
    database of an earlier release finds them by any word at once."""
    old = tmp_path / "old.db"
    shutil.copy(DATA / "netcrm-0001.db", old)
    os.chmod(old, 0o600)
    monkeypatch.setenv("NETCRM_DB", str(old))
    assert run("show", "durand", "--json").stdout.count('"name": "Émile Durand"') == 1
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT contact_id, word FROM contact_word ORDER BY 1, 2").fetchall() == [
        (1, "lea"),
        (1, "martin"),
        (2, "durand"),
        (2, "emile"),
    ]
    conn.close()
    assert len(list(tmp_path.glob("old.db.bak-0001-*"))) == 1


def test_upgrade_from_the_release_before_finds_people_by_any_word(tmp_path, run, monkeypatch):
    """The database of release 0003 (tests/data/netcrm-0003.db), upgraded
    through 0004, 0005 and 0006: every contact's words indexed, every row kept."""
    old = tmp_path / "old.db"
    shutil.copy(DATA / "netcrm-0003.db", old)
    os.chmod(old, 0o600)
    before = sqlite3.connect(old)
    names = before.execute("SELECT id, name FROM contact ORDER BY id").fetchall()
    before.close()
    monkeypatch.setenv("NETCRM_DB", str(old))
    assert '"name": "Gaëlle Le Gall"' in run("show", "gall", "--json").stdout
    assert '"name": "Gaëlle Le Gall"' in run("show", "le gall", "--json").stdout
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT id, name FROM contact ORDER BY id").fetchall() == names
    indexed = conn.execute("SELECT COUNT(DISTINCT contact_id) FROM contact_word").fetchone()[0]
    assert indexed == len(names)
    assert conn.execute(
        "SELECT word FROM contact_word WHERE contact_id = "
        "(SELECT id FROM contact WHERE name = 'Gaëlle Le Gall') ORDER BY word"
    ).fetchall() == [("gaelle",), ("gall",), ("le",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    assert len(list(tmp_path.glob("old.db.bak-0003-*"))) == 1
