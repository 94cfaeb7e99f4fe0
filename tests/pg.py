"""The PostgreSQL side of the test suite: where the server is, a fresh database
per test, and what happens when there is no server.

- ``NETCRM_TEST_PG_URL`` names the server (an SQLAlchemy URL, default
  ``postgresql+psycopg:///postgres``: the local server through its socket, as
  the current user). Its database is only used to create and drop the tests'
  own databases, ``netcrm_test_<pid>_<n>``.
- Each test gets an empty database at HEAD: one per test process, migrated
  once and emptied before each test (see ``_Shared``); ``empty_database`` gives
  a test a brand-new one with no schema at all.
- No server: every PostgreSQL case is skipped with one reason, which the
  report header repeats. Unless ``CI`` is set: there an unreachable server
  fails each PostgreSQL case, so a CI run can never pass on SQLite alone.
"""

from __future__ import annotations

import atexit
import itertools
import os
from functools import cache
from typing import Any

import pytest

DEFAULT_URL = "postgresql+psycopg:///postgres"
_counter = itertools.count(1)


def server_url() -> str:
    return os.environ.get("NETCRM_TEST_PG_URL") or DEFAULT_URL


def _libpq(url: str) -> str:
    """The libpq form of an SQLAlchemy URL (``postgresql+psycopg://`` → ``postgresql://``)."""
    scheme, sep, rest = url.partition("://")
    return "postgresql" + sep + rest


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` instead (its query string kept)."""
    head, _, query = url.partition("?")
    scheme, sep, rest = head.partition("://")
    authority = rest.split("/", 1)[0]
    return f"{scheme}{sep}{authority}/{name}" + (f"?{query}" if query else "")


def connect(url: str | None = None, **kwargs: Any) -> Any:
    import psycopg

    return psycopg.connect(_libpq(url or server_url()), connect_timeout=5, **kwargs)


@cache
def unreachable() -> str | None:
    """Why the server cannot be used, or None when it can."""
    from netcrm.store.location import DbLocation

    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install '.[test]')"
    try:
        with connect(autocommit=True) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        where = DbLocation(url=server_url()).describe()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"no PostgreSQL server at {where} (set NETCRM_TEST_PG_URL): {first}"
    return None


def report_header() -> str:
    reason = unreachable()
    if reason is None:
        from netcrm.store.location import DbLocation

        return f"engines: sqlite, postgresql ({DbLocation(url=server_url()).describe()})"
    if os.environ.get("CI"):
        return f"engines: sqlite; postgresql FAILS in CI: {reason}"
    return f"engines: sqlite only; postgresql skipped: {reason}"


def mark_engine(request: pytest.FixtureRequest) -> None:
    """Note on the test's report that it ran on PostgreSQL (the run's summary
    counts the cases of each engine: ``tests/conftest.py``)."""
    props = getattr(request.node, "user_properties", None)
    if props is not None and ("engine", "postgresql") not in props:
        props.append(("engine", "postgresql"))


def require_server() -> None:
    reason = unreachable()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the PostgreSQL cases: {reason}", pytrace=False)
    pytest.skip(reason)


def _admin() -> Any:
    return connect(autocommit=True)


def drop_database(name: str) -> None:
    try:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception:  # the server went away: nothing left to clean
        pass


def empty_database(request: pytest.FixtureRequest) -> str:
    """The URL of a new database with nothing in it, dropped when the test ends
    (slower than :func:`fresh_database`: for the few tests that need no schema)."""
    mark_engine(request)
    require_server()
    name = f"netcrm_empty_{os.getpid()}_{next(_counter)}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def _drop() -> None:
        from netcrm.store import engine

        engine.dispose_engines()
        drop_database(name)

    request.addfinalizer(_drop)
    return with_database(server_url(), name)


class _Shared:
    """This process's test database, migrated once and emptied before each test.

    ``CREATE DATABASE`` costs 0.1-1.5 s on a busy server (it writes and syncs a
    whole directory), and a migration about as much; deleting a few rows and
    restarting the sequences costs milliseconds. A test that leaves the schema
    at another revision gets a new database."""

    def __init__(self) -> None:
        self.name = f"netcrm_test_{os.getpid()}"
        self.url = with_database(server_url(), self.name)
        self.ready = False
        self.tables: list[str] = []
        self.sequences: list[str] = []

    def create(self) -> None:
        from netcrm.store import engine
        from netcrm.store.location import resolve_location

        if not self.ready:
            atexit.register(drop_database, self.name)
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{self.name}"')
        engine.ensure_schema(resolve_location(self.url))
        engine.dispose_engines()
        with connect(self.url) as conn:
            self.tables = _children_first(conn)
            self.sequences = [
                r[0]
                for r in conn.execute(
                    "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
                )
            ]
        self.ready = True

    def reset(self) -> None:
        from netcrm.store.schema import HEAD

        if not self.ready:
            self.create()
            return
        with connect(self.url) as conn:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None or revision[0] != HEAD:
                conn.close()
                self.create()
                return
            for table in self.tables:
                conn.execute(f'DELETE FROM "{table}"')
            for seq in self.sequences:
                conn.execute(f'ALTER SEQUENCE "{seq}" RESTART')


def _children_first(conn: Any) -> list[str]:
    """The tables (but alembic_version) in an order that deletes children before
    the rows they point to."""
    tables = {
        r[0]
        for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename <> 'alembic_version'"
        )
    }
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in conn.execute(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint"
        " WHERE contype = 'f'"
    ):
        if child in parents and parent != child:
            parents[child].add(parent.strip('"'))
    order: list[str] = []
    while parents:
        # A table no remaining table points to can go now.
        free = sorted(t for t in parents if not any(t in p for p in parents.values()))
        if not free:  # a cycle: leave the rest to the database
            free = sorted(parents)
        for t in free:
            order.append(t)
            del parents[t]
    return order


_shared = _Shared()


def fresh_database(request: pytest.FixtureRequest) -> str:
    """The URL of this process's test database, migrated to HEAD and empty."""
    mark_engine(request)
    require_server()
    _shared.reset()
    return _shared.url


def count_rows(url: str) -> dict[str, int]:
    """Rows per netcrm table (``tests.conftest.count_rows`` for a URL)."""
    with connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                " AND tablename NOT LIKE 'search%'"
            )
        ]
        counts: dict[str, int] = {}
        for t in tables:
            row = conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()
            counts[t] = row[0] if row else 0
        return counts


def _as_sqlite(value: Any) -> Any:
    from datetime import date, datetime

    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def query(url: str, sql: str, params: tuple = ()) -> list[dict]:
    """``tests.conftest.db_query`` on the server."""
    from psycopg.rows import dict_row

    with connect(url, row_factory=dict_row) as conn:
        return [{k: _as_sqlite(v) for k, v in row.items()} for row in conn.execute(sql, params)]
