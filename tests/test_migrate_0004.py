"""Migration 0004 on a database made by the release before it (schema 0003,
``tests/data/netcrm-0003.db``, built by ``tests/data/make-netcrm-0003.sh``):
anchored shorthand cadences become durations, next touches are recomputed,
every row survives, and the file is backed up first."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from netcrm.store import engine
from netcrm.store.location import resolve_location
from netcrm.store.schema import HEAD

DATA = Path(__file__).parent / "data"

# (name, cadence, last_contact, next_touch) after the upgrade. In 0003 Alice
# (3m typed on 31 January, last met 11 October) was due on 31 October.
EXPECTED_CONTACTS = [
    ("Alice Dupont", "P3M", "2026-10-11", "2027-01-11"),
    ("Bruno Petit", "P1M", "2026-10-11", "2026-11-11"),
    ("Chloé Roux", "P3M", "2026-11-29", "2027-02-28"),
    ("David Morel", "P1M", "2026-06-15", "2026-07-15"),
    ("Emma Leap", "P1Y", None, "2025-02-28"),
    ("Farid Benali", "P1Y", None, "2026-12-31"),
    ("Gaëlle Le Gall", "P2W", None, "2026-09-14"),
    ("Hugo Blanc", "P30D", None, "2026-11-30"),
    ("Inès Faure", "P2M", "2026-09-01", "2026-11-01"),
    # Rules a person wrote stay rules, with their next touch.
    ("Jules Garnier", "FREQ=MONTHLY;BYDAY=1MO", "2026-11-29", "2026-12-07"),
    ("Karim Haddad", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", None, "2026-04-06"),
    ("Léa Martin", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", None, "2026-04-14"),
    ("Manon Simon", None, None, None),
]

TABLES = (
    "contact",
    "channel",
    "interaction",
    "interaction_contact",
    "followup",
    "idea",
    "idea_step",
    "tag",
)


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in TABLES}


def _everything_but_cadences(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table, contacts without the columns 0004 changes."""
    rows = {}
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search%' "
        # contact_word: the name index revision 0006 adds (tests/test_store.py).
        "AND name NOT IN ('alembic_version', 'contact', 'followup', 'contact_word')"
    ):
        rows[table] = conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
    rows["contact"] = conn.execute(
        "SELECT id, name, company, role, location, met_via, met_on, birthday_year, "
        "birthday_month, birthday_day, warmth, bigger, relationship, notes, archived, "
        "last_contact, created_at, updated_at FROM contact ORDER BY id"
    ).fetchall()
    rows["followup"] = conn.execute(
        "SELECT id, text, due, contact_id, idea_id, from_done, done_at, done_note, created_at "
        "FROM followup ORDER BY id"
    ).fetchall()
    return rows


@pytest.fixture
def old(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    shutil.copy(DATA / "netcrm-0003.db", path)
    os.chmod(path, 0o600)
    return path


def test_upgrade_turns_shorthand_cadences_into_durations(old: Path, tmp_path: Path):
    before = sqlite3.connect(old)
    counts, kept = _counts(before), _everything_but_cadences(before)
    assert before.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0003"
    before.close()

    engine.ensure_schema(resolve_location(str(old)))
    engine.dispose_engines()

    conn = sqlite3.connect(old)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    assert _counts(conn) == counts
    assert _everything_but_cadences(conn) == kept
    assert (
        conn.execute(
            "SELECT name, cadence, last_contact, next_touch FROM contact ORDER BY id"
        ).fetchall()
        == EXPECTED_CONTACTS
    )
    # Counted from completion, the shorthand loses its month-end anchor; counted
    # from the due date it keeps it (31 Jan, 28 Feb, 31 Mar…). Raw rules stay.
    assert conn.execute("SELECT id, recurrence FROM followup ORDER BY id").fetchall() == [
        (1, "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"),
        (2, "FREQ=MONTHLY;INTERVAL=3"),
        (3, "FREQ=DAILY;COUNT=2"),
        (4, "FREQ=WEEKLY;UNTIL=20261231"),
        (5, None),
        (6, None),
        (7, None),
        (8, None),
    ]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()

    backups = list(tmp_path.glob("old.db.bak-0003-*"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    backup = sqlite3.connect(backups[0])
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0003"
    assert backup.execute("SELECT cadence FROM contact WHERE id = 1").fetchone()[0] == (
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
    )
    backup.close()


def test_the_upgraded_database_answers_in_words(old: Path, run, monkeypatch):
    monkeypatch.setenv("NETCRM_TODAY", "2026-11-30")
    rows = json.loads(run("--db", str(old), "due", "--json", "--within", "30d").stdout)
    texts = {r["contact"]: r["text"] for r in rows if r["kind"] == "keep-in-touch"}
    assert texts["Hugo Blanc"] == "Keep in touch (every 30 days; never contacted)"
    assert texts["Bruno Petit"] == "Keep in touch (monthly; last contact 2026-10-11)"
    assert "Alice Dupont" not in texts  # due on 11 January, no longer on 31 October
    # Logging now counts three months from today.
    result = run("--db", str(old), "log", "alice", "call")
    assert "Next touch with Alice Dupont: 2027-02-28." in result.stderr


def test_a_snoozed_touch_survives_the_upgrade(old: Path):
    conn = sqlite3.connect(old)
    conn.execute("UPDATE contact SET next_touch = '2027-03-01' WHERE name = 'Alice Dupont'")
    conn.commit()
    conn.close()
    engine.ensure_schema(resolve_location(str(old)))
    engine.dispose_engines()
    conn = sqlite3.connect(old)
    assert conn.execute(
        "SELECT next_touch FROM contact WHERE name = 'Alice Dupont'"
    ).fetchone() == ("2027-03-01",)
    conn.close()


def test_downgrade_writes_durations_back_as_plain_rules(old: Path):
    from alembic import command
    from alembic.config import Config

    loc = resolve_location(str(old))
    eng = engine.ensure_schema(loc)
    with eng.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(Path(engine.__file__).parent / "migrations"))
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
    engine.dispose_engines()
    conn = sqlite3.connect(old)
    cadences = [r[0] for r in conn.execute("SELECT cadence FROM contact ORDER BY id")]
    conn.close()
    assert cadences[:4] == [
        "FREQ=MONTHLY;INTERVAL=3",
        "FREQ=MONTHLY;INTERVAL=1",
        "FREQ=MONTHLY;INTERVAL=3",
        "FREQ=MONTHLY;INTERVAL=1",
    ]
    assert cadences[7] == "FREQ=DAILY;INTERVAL=30"


# --- the same upgrade on PostgreSQL --------------------------------------------------------

PG_ADMIN = "postgresql+psycopg://postgres@localhost/postgres"
# Parents before children, so that foreign keys hold while copying.
COPY_ORDER = (
    "contact",
    "channel",
    "tag",
    "contact_tag",
    "contact_key",
    "interaction",
    "interaction_contact",
    "interaction_tag",
    "interaction_key",
    "idea",
    "idea_contact",
    "idea_step",
    "idea_event",
    "idea_tag",
    "idea_key",
    "followup",
    "followup_tag",
    "followup_key",
)


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database, dropped afterwards; skips without a server."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    pytest.importorskip("psycopg")
    name = f"netcrm_mig_{os.getpid()}"
    try:
        admin = sqlalchemy.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server, no rights
        pytest.skip(f"no PostgreSQL to test on: {exc}")
    yield f"postgresql+psycopg://postgres@localhost/{name}"
    engine.dispose_engines()
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _migrate(conn, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(engine.__file__).parent / "migrations"))
    config.attributes["connection"] = conn
    command.upgrade(config, target)


def test_upgrade_on_postgresql(pg_url: str):
    """netcrm-0003.db's rows copied into PostgreSQL at 0003, then upgraded."""
    import sqlalchemy as sa

    pg = sa.create_engine(pg_url)
    source = sa.create_engine(f"sqlite:///{DATA / 'netcrm-0003.db'}")
    with pg.begin() as conn:
        _migrate(conn, "0003")
        meta = sa.MetaData()
        meta.reflect(conn)
        with source.connect() as old:
            for table in COPY_ORDER:
                rows = [dict(r._mapping) for r in old.execute(sa.text(f'SELECT * FROM "{table}"'))]
                if rows:
                    conn.execute(meta.tables[table].insert(), rows)
        for table in COPY_ORDER:
            if "id" in meta.tables[table].c:
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f'coalesce((SELECT max(id) FROM "{table}"), 1))'
                    )
                )
    with pg.begin() as conn:
        _migrate(conn, "head")
    with pg.connect() as conn:
        got = conn.execute(
            sa.text("SELECT name, cadence, last_contact, next_touch FROM contact ORDER BY id")
        ).all()
        recurrences = conn.execute(
            sa.text("SELECT recurrence FROM followup WHERE from_done ORDER BY id")
        ).all()
    pg.dispose()
    source.dispose()
    assert [
        (name, cadence, last and last.isoformat(), nxt and nxt.isoformat())
        for name, cadence, last, nxt in got
    ] == EXPECTED_CONTACTS
    assert recurrences == [("FREQ=MONTHLY;INTERVAL=3",)]
