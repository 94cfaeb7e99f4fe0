"""The read path: plain SQL over the standard ``sqlite3`` driver.

Why: importing SQLAlchemy/SQLModel costs 3-5x the start-up of the whole CLI
(see issue 6), and the daily read commands (``due``, ``show``, ``list``,
``search``, completion) must answer at once. So read queries are written once,
as plain SQL with ``:named`` parameters, in the domain modules, and executed by
a ``Reader``:

- ``SqliteReader`` runs them on the standard ``sqlite3`` module (no SQLAlchemy
  import) for SQLite files already at the current schema revision;
- ``PsycopgReader`` (``pg.py``) runs them on psycopg for PostgreSQL URLs, again
  without SQLAlchemy;
- ``SqlAlchemyReader`` runs the very same SQL through SQLAlchemy ``text()``
  inside write sessions and for any other URL, and serves as the reference in
  the differential tests, which require every reader to return the same rows
  in the same order.

Rows are plain dicts in one shape whatever the driver: dates as ``date``,
timestamps as ``datetime`` to the second, booleans as ``bool``
(:mod:`netcrm.store.values`), so the domain code never converts them.
Writes never go through a Reader; they use SQLModel sessions (``engine.py``).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import quote

from netcrm.errors import DatabaseError
from netcrm.store.engine import BUSY_TIMEOUT_MS, ensure_schema
from netcrm.store.location import DbLocation
from netcrm.store.schema import HEAD
from netcrm.store.values import Convert, shaper

Row = dict[str, Any]
Params = Mapping[str, Any] | None
# Types of the columns COLUMN_TYPES does not know by name (``occurred_on AS date``).
Types = Mapping[str, Convert] | None


class Reader(Protocol):
    dialect: str  # "sqlite" or "postgresql"

    def rows(self, sql: str, params: Params = None, types: Types = None) -> list[Row]:
        """The rows of ``sql``; ``types`` names the typed columns that
        :data:`~netcrm.store.values.COLUMN_TYPES` does not know by name."""
        ...

    def close(self) -> None: ...


class SqliteReader:
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, name: str) -> None:
        self._conn = conn
        self._name = name

    def rows(self, sql: str, params: Params = None, types: Types = None) -> list[Row]:
        try:
            cur = self._conn.execute(sql, dict(params or {}))
            shape = shaper([d[0] for d in cur.description or ()], types)
            return [shape(r) for r in cur.fetchall()]
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseError(
                    f"{self._name} is locked by another program; try again"
                ) from exc
            raise DatabaseError(f"{self._name}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{self._name}: {exc}") from exc

    def close(self) -> None:
        self._conn.close()


class SqlAlchemyReader:
    """Runs the read SQL through SQLAlchemy: on an engine (other database URLs),
    or inside a write session so that a write command resolves names with the
    same queries, in its own transaction.

    On an engine each query checks a connection out of the pool and back: a
    reader that someone forgets to close then holds no transaction (on a
    SQLite file, netcrm's engines begin with the write lock)."""

    def __init__(self, bind: Any) -> None:
        from sqlalchemy.engine import Engine
        from sqlalchemy.orm import Session

        self._engine: Any = bind if isinstance(bind, Engine) else None
        self._session: Any = bind if isinstance(bind, Session) else None
        self._conn: Any = None if self._engine or self._session else bind
        engine = self._engine or (self._session.get_bind() if self._session else bind.engine)
        self.dialect = engine.dialect.name

    def rows(self, sql: str, params: Params = None, types: Types = None) -> list[Row]:
        from sqlalchemy import text

        if self._engine is not None:
            with self._engine.connect() as conn:
                return _fetch(conn.execute(text(sql), dict(params or {})), types)
        conn = self._session.connection() if self._session is not None else self._conn
        return _fetch(conn.execute(text(sql), dict(params or {})), types)

    def close(self) -> None:
        pass


class EmptyReader:
    """The database a missing SQLite file would be, with no file: every query
    returns no rows. Planning an import through it lets a dry run, or an
    import that is refused, leave no database file behind."""

    dialect = "sqlite"

    def rows(self, sql: str, params: Params = None, types: Types = None) -> list[Row]:
        return []

    def close(self) -> None:
        pass


def _fetch(result: Any, types: Types) -> list[Row]:
    shape = shaper(list(result.keys()), types)
    return [shape(r) for r in result]


def _connect_ro(path: str) -> sqlite3.Connection:
    """A connection that only ever reads, to a file that must already exist.

    Not ``mode=ro``: a read-only connection to a WAL database fails with "disk
    I/O error" when the last writer has just removed the ``-shm`` file, which
    it cannot recreate. ``mode=rw`` may recreate it, and unlike a plain
    ``connect`` it never creates a missing database (which would then be born
    with the umask's mode instead of 0600, and empty). ``query_only`` makes
    sure nothing run through a reader writes.
    """
    # Quoted: a file named "a?b#c.db" must not become URI syntax.
    uri = "file:" + quote(path, safe="/") + "?mode=rw"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute("PRAGMA query_only = ON")
    return conn


def open_sqlite_reader(path: str) -> SqliteReader:
    """A read-only sqlite3 connection with the same busy timeout as writers."""
    try:
        conn = _connect_ro(path)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    return SqliteReader(conn, path)


def _current_connection(path: str) -> sqlite3.Connection | None:
    """One read-only connection to a file already at HEAD, or None.

    The common case costs one open and one ``SELECT``, and the connection goes
    on to serve the command's queries. Anything unusual — a missing, empty,
    garbage, foreign, older or newer file — returns None, and the caller hands
    over to ``ensure_schema``, whose preflight gives each case its own answer
    without writing a byte.
    """
    try:
        conn = _connect_ro(path)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        whole = os.stat(path).st_size % page_size == 0  # else truncated: preflight says so
    except (sqlite3.Error, OSError):
        row, whole = None, False
    if row is not None and row[0] == HEAD and whole:
        return conn
    conn.close()
    return None


def open_reader(loc: DbLocation) -> Reader:
    """The fastest reader for ``loc``; creates or migrates the database first if
    it is missing or behind (which needs the heavy write path once)."""
    if loc.path is not None:
        path = str(loc.path)
        conn = _current_connection(path)
        if conn is not None:
            return SqliteReader(conn, path)
        ensure_schema(loc)
        return open_sqlite_reader(path)
    if loc.is_postgresql:
        from netcrm.store.pg import open_pg_reader

        return open_pg_reader(loc)
    return SqlAlchemyReader(ensure_schema(loc))
