"""PostgreSQL without SQLAlchemy: the read path on psycopg, and the one-line
errors of a server that is down, refuses the login or drops the connection.

Why: a read command on a server paid SQLAlchemy's import (6.3x the import
floor for ``netcrm due``, against 2x on SQLite). ``PsycopgReader`` is the
sibling of ``SqliteReader``: it runs the very same SQL (the ``:name``
parameters rewritten once per statement into psycopg's ``%(name)s``) and hands
back rows of the same shape (``netcrm.store.values``).

The connection string is the URL itself (``postgresql+psycopg://`` becomes
libpq's ``postgresql://``), so libpq's environment — ``PGHOST``,
``PGPASSWORD``, ``PGSERVICE``, ``~/.pgpass`` or ``PGPASSFILE``, ``sslmode`` in
the query string — applies exactly as it does to SQLAlchemy's connections.
A reader's queries share one read-only, repeatable-read transaction: one
snapshot per command, and nothing a reader runs can write.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from netcrm.errors import DatabaseError
from netcrm.store.location import DbLocation
from netcrm.store.schema import HEAD
from netcrm.store.values import Convert, shaper

Row = dict[str, Any]
Params = Mapping[str, Any] | None
Types = Mapping[str, Convert] | None
CONNECT_TIMEOUT_S = 10
# Every PostgreSQL write transaction takes this advisory lock first (engine.py):
# the server's form of SQLite's BEGIN IMMEDIATE. Any fixed number will do.
WRITE_LOCK = 0x6E657463


def libpq_url(url: str) -> str:
    """The libpq form of an SQLAlchemy URL: the driver part of the scheme dropped."""
    scheme, sep, rest = url.partition("://")
    return scheme.split("+", 1)[0] + sep + rest


# A ``:name`` parameter outside quotes (``::`` is a cast, not a parameter).
_TOKENS = re.compile(r"('(?:[^']|'')*')|(?<![:\w]):([A-Za-z_]\w*)|(%)")


@lru_cache(maxsize=256)
def pyformat(sql: str) -> str:
    """``:name`` → ``%(name)s``, and a literal ``%`` doubled, outside string literals."""

    def sub(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1).replace("%", "%%")
        if m.group(2) is not None:
            return f"%({m.group(2)})s"
        return "%%"

    return _TOKENS.sub(sub, sql)


def describe_error(loc: DbLocation, exc: BaseException) -> str:
    """One line for a driver error, the password never in it."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        what = "refused the login (check the user and password, or ~/.pgpass)"
    elif "does not exist" in lowered and "database" in lowered:
        what = "has no such database (create it first: createdb NAME)"
    elif (
        "connection refused" in lowered
        or "could not connect" in lowered
        or "timeout expired" in lowered
        or "could not translate host name" in lowered
        or "no such file or directory" in lowered
    ):
        what = "cannot be reached (is the server running?)"
    elif "server closed the connection" in lowered or "terminating connection" in lowered:
        what = "closed the connection in the middle of the command; nothing was committed"
    elif "connection" in lowered and ("lost" in lowered or "closed" in lowered):
        what = "lost the connection in the middle of the command; nothing was committed"
    else:
        return loc.scrub(f"{loc.describe()}: {text}")
    return loc.scrub(f"the database server at {loc.describe()} {what}: {text}")


def connect(loc: DbLocation, **kwargs: Any) -> Any:
    import psycopg

    try:
        return psycopg.connect(libpq_url(loc.url), connect_timeout=CONNECT_TIMEOUT_S, **kwargs)
    except psycopg.Error as exc:
        raise DatabaseError(describe_error(loc, exc)) from None


class PsycopgReader:
    dialect = "postgresql"

    def __init__(self, conn: Any, loc: DbLocation) -> None:
        self._conn = conn
        self._loc = loc

    def rows(self, sql: str, params: Params = None, types: Types = None) -> list[Row]:
        import psycopg

        try:
            cur = self._conn.execute(pyformat(sql), dict(params or {}), prepare=False)
            shape = shaper([d.name for d in cur.description or ()], types)
            return [shape(r) for r in cur.fetchall()]
        except psycopg.Error as exc:
            raise DatabaseError(describe_error(self._loc, exc)) from None

    def close(self) -> None:
        self._conn.close()


def _current_connection(loc: DbLocation) -> Any | None:
    """A read-only connection to a database already at HEAD, or None (the caller
    migrates it first). A server that cannot be reached raises DatabaseError."""
    import psycopg

    conn = connect(loc)
    conn.read_only = True
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except psycopg.errors.UndefinedTable:
        row = None
    except psycopg.Error as exc:
        conn.close()
        raise DatabaseError(describe_error(loc, exc)) from None
    if row is not None and row[0] == HEAD:
        return conn
    conn.close()
    return None


def open_pg_reader(loc: DbLocation) -> PsycopgReader:
    """The psycopg reader for ``loc``; creates or migrates the schema first
    when it is missing or behind (which needs the write path, once)."""
    conn = _current_connection(loc)
    if conn is None:
        from netcrm.store.engine import ensure_schema

        ensure_schema(loc)
        conn = _current_connection(loc)
        if conn is None:  # pragma: no cover - ensure_schema leaves it at HEAD
            raise DatabaseError(f"{loc.describe()} is not at schema {HEAD}")
    return PsycopgReader(conn, loc)


# --- db check -------------------------------------------------------------------------

_FOREIGN_KEYS_SQL = (
    "SELECT c.conrelid::regclass::text AS child, a.attname AS col, "
    "c.confrelid::regclass::text AS parent, p.attname AS pcol "
    "FROM pg_constraint c "
    "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
    "JOIN pg_attribute p ON p.attrelid = c.confrelid AND p.attnum = c.confkey[1] "
    "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace "
    "ORDER BY 1, 2"
)
# Every row's search entry, by rowid and title (migration 0005's scheme); the
# rest of an entry is rebuilt with its title by the same trigger call.
_SPAN = 1 << 40
_EXPECTED_ENTRIES = (
    f"SELECT {_SPAN}::bigint + id AS rowid, name AS title FROM contact "
    f"UNION ALL SELECT {2 * _SPAN}::bigint + id, summary FROM interaction "
    f"UNION ALL SELECT {3 * _SPAN}::bigint + id, title FROM idea "
    f"UNION ALL SELECT {4 * _SPAN}::bigint + id, text FROM followup"
)
_SEARCH_SQL = (
    f"WITH expected AS ({_EXPECTED_ENTRIES}) "
    "SELECT (SELECT count(*) FROM expected e WHERE NOT EXISTS (SELECT 1 FROM search_index s "
    "WHERE s.rowid = e.rowid AND s.title = e.title)) AS missing, "
    "(SELECT count(*) FROM search_index s WHERE NOT EXISTS (SELECT 1 FROM expected e "
    "WHERE e.rowid = s.rowid AND e.title = s.title)) AS stale"
)


def server_problems(conn: Any) -> list[str]:
    """``db check`` on PostgreSQL (an SQLAlchemy connection): rows pointing to a
    missing parent (possible only if someone disabled the constraints) and a
    search index out of step with the rows. The schema revision was checked on
    opening."""
    from sqlalchemy import text

    problems = []
    for child, col, parent, pcol in conn.execute(text(_FOREIGN_KEYS_SQL)).all():
        orphans = conn.execute(
            text(
                f'SELECT count(*) FROM {child} x WHERE x."{col}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM {parent} p WHERE p."{pcol}" = x."{col}")'
            )
        ).scalar_one()
        if orphans:
            problems.append(f"foreign key: {orphans} {child} row(s) point to a missing {parent}")
    missing, stale = conn.execute(text(_SEARCH_SQL)).one()
    if missing:
        problems.append(f"search: {missing} row(s) missing from the index or out of date")
    if stale:
        problems.append(f"search: {stale} index entr(ies) for rows that changed or are gone")
    return problems
