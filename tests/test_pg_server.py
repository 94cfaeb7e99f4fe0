"""What only a server has (issue 13, PRODUCT.md §8): its search index kept by
triggers, ``db check`` there, the one-line errors of a server that is down,
refuses the login or drops the connection, libpq's environment honoured, and
a password that never appears in any output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from netcrm.errors import DatabaseError
from netcrm.store.location import resolve_location
from tests import pg


@pytest.fixture
def url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test's own server database, empty, at HEAD; NETCRM_DB points at it."""
    found = pg.fresh_database(request)
    monkeypatch.setenv("NETCRM_DB", found)
    return found


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def titles(run, text: str) -> list[tuple[str, str]]:
    return [(h["type"], h["title"]) for h in json.loads(run("search", text, "--json").stdout)]


# --- search on the server --------------------------------------------------------------


def test_search_folds_accents_and_case_and_keeps_up_with_writes(run, url):
    run("add", "Élodie Quéméner", "--company", "Atelier Vélo", "--email", "elo@ex.fr")
    run("add", "Marc Durand", "--note", "Rencontré chez Élodie")
    assert titles(run, "ELODIE") == [("contact", "Élodie Quéméner"), ("contact", "Marc Durand")]
    assert titles(run, "velo") == [("contact", "Élodie Quéméner")]
    assert titles(run, "quem") == [("contact", "Élodie Quéméner")]  # the last word a prefix
    run("edit", "marc", "--company", "Vélos & Cie")
    assert ("contact", "Marc Durand") in titles(run, "velos")
    run("log", "marc", "Webinar sur le vélo en ville")
    assert ("interaction", "Webinar sur le vélo en ville") in titles(run, "webinar")
    run("rm", "élodie", "--yes")
    assert titles(run, "quem") == []
    assert run("db", "check").stdout.strip() == "ok"


def test_operators_and_quotes_are_plain_words_on_the_server(run, url):
    run("add", "Anne Or", "--note", "l'été: a*b (c) & d | !e <-> f")
    for text in ["or", "l'été", "a*b", "(c)", "& d", "!e", "<->", "'", "f:*"]:
        result = run("search", "--json", "--", text, code=None)
        assert result.exit_code in (0, 2), result.stderr
        if result.exit_code == 0:
            assert isinstance(json.loads(result.stdout), list)


def test_the_index_is_a_gin_index(url):
    rows = pg.query(url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'search_index'")
    assert any("USING gin (doc)" in r["indexdef"] for r in rows)


# --- db check ---------------------------------------------------------------------------


def test_db_check_finds_a_stale_index_and_orphans(run, url):
    run("add", "Léa Martin", "--email", "lea@ex.fr")
    run("log", "lea", "Coffee")
    assert run("db", "check").stdout.strip() == "ok"
    with pg.connect(url) as conn:
        conn.execute("UPDATE search_index SET title = 'tampered' WHERE rowid > 2 * 2^40")
        conn.execute("ALTER TABLE channel DISABLE TRIGGER ALL")
        conn.execute(
            "INSERT INTO channel (contact_id, kind, value, value_norm, position) "
            "VALUES (999, 'email', 'x@ex.fr', 'x@ex.fr', 0)"
        )
        conn.execute("ALTER TABLE channel ENABLE TRIGGER ALL")
    result = run("db", "check", code=3)
    assert "problem(s)" in result.stderr
    assert "channel row(s) point to a missing contact" in result.stderr
    assert "search:" in result.stderr


# --- failures: one line, exit 3 ---------------------------------------------------------


def test_a_server_that_is_down(run):
    result = run("--db", "postgresql+psycopg://me:s3cret-pw@127.0.0.1:1/crm", "due", code=3)
    line = one_error_line(result.stderr)
    assert "cannot be reached" in line
    assert "s3cret-pw" not in result.stderr + result.stdout


def test_a_login_the_server_refuses(run, url):
    refused = pg.with_database(url, "crm").replace(":///", "://no_such_role:pw-x1@127.0.0.1/")
    for argv in (("due",), ("add", "Léa")):
        result = run("--db", refused, *argv, code=3)
        line = one_error_line(result.stderr)
        assert "no_such_role" in line and "pw-x1" not in result.stderr


def test_a_connection_dropped_mid_command(url):
    from netcrm.store.engine import write_session
    from netcrm.store.pg import open_pg_reader

    loc = resolve_location(url)
    reader = open_pg_reader(loc)
    reader.rows("SELECT 1 AS one")
    with pg.connect(url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    with pytest.raises(DatabaseError) as caught:
        reader.rows("SELECT 1 AS one")
    assert "\n" not in caught.value.message
    assert "connection" in caught.value.message
    reader.close()

    with pytest.raises(DatabaseError) as caught, write_session(loc) as session:
        from sqlalchemy import text

        session.execute(text("SELECT 1"))
        with pg.connect(url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        session.execute(text("SELECT 1"))
    assert "\n" not in caught.value.message
    assert "nothing was committed" in caught.value.message


# --- passwords and libpq's environment ---------------------------------------------------


def test_db_path_masks_the_password(run):
    for url, secret in [
        ("postgresql+psycopg://me:s3cr%40t@host/crm", "s3cr%40t"),
        ("postgresql://me@host/crm?password=hunter2&sslmode=require", "hunter2"),
    ]:
        shown = run("--db", url, "db", "path").stdout
        assert secret not in shown and "s3cr@t" not in shown and "***" in shown


@pytest.fixture
def role(url: str):
    """A role with a password (dropped after), allowed into the test's database."""
    name, password = f"netcrm_pw_{os.getpid()}", "Pa55-wörd-never-shown"
    with pg.connect(autocommit=True) as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{name}"')
        admin.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'")
    database = url.rsplit("/", 1)[1]
    with pg.connect(url, autocommit=True) as conn:
        conn.execute(f'GRANT ALL ON SCHEMA public TO "{name}"')
        conn.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{name}"')
        conn.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{name}"')
        conn.execute(f'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO "{name}"')
    yield name, password, database
    from netcrm.store.engine import dispose_engines

    dispose_engines()
    with pg.connect(autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,)
        )
    with pg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP OWNED BY "{name}"')
    with pg.connect(autocommit=True) as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{name}"')


def test_the_password_comes_from_pgpass(run, role, tmp_path: Path, monkeypatch):
    """No password in the URL: libpq reads PGPASSFILE (``~/.pgpass``); PGHOST
    names the server. Nothing netcrm prints holds the password."""
    name, password, database = role
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:{database}:{name}:{password}\n", encoding="utf-8")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    crm = f"postgresql://{name}@/{database}"
    outputs = [
        run("--db", crm, "add", "Léa Martin", "--email", "lea@ex.fr"),
        run("--db", crm, "log", "lea", "Coffee"),
        run("--db", crm, "due"),
        run("--db", crm, "search", "lea"),
        run("--db", crm, "db", "path"),
        run("--db", crm, "db", "check"),
    ]
    assert "Léa Martin" in outputs[3].stdout
    for result in outputs:
        assert password not in result.stdout + result.stderr
    # The same password in the URL instead: masked wherever the URL is shown.
    in_url = f"postgresql://{name}:{password}@127.0.0.1:1/{database}"
    for argv in (("db", "path"), ("due",), ("add", "X")):
        result = run("--db", in_url, *argv, code=None)
        assert password not in result.stdout + result.stderr
