"""Opening the database for writing: file permissions, pragmas, the write lock,
and migrations.

Every connection gets WAL, foreign keys, ``secure_delete`` and a busy timeout.
Every transaction starts with ``BEGIN IMMEDIATE`` (SQLAlchemy's pysqlite
"serializable isolation / savepoints / transactional DDL" recipe), so two shells
writing at once queue on the lock instead of failing half-way with "database is
locked".

Opening runs pending Alembic migrations inside one such transaction, after a
0600 backup of the file beside it. A cheap read-only preflight (plain
``sqlite3``) refuses, without touching a byte, a file that is garbage, a
directory, a foreign SQLite database or one whose schema is newer than this
version.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from netcrm.errors import DatabaseError
from netcrm.store.location import DbLocation
from netcrm.store.schema import HEAD, REVISIONS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 10_000

_engines: dict[str, Engine] = {}


# --- files and permissions ---------------------------------------------------------


def prepare_sqlite_file(path: Path) -> None:
    """Create the directory (0700) and an empty file (0600) if missing.

    Only what netcrm creates is chmod-ed: pointing ``--db`` into an existing
    folder must not change that folder's mode. SQLite gives ``-wal`` and
    ``-shm`` the mode of the database file, so they are 0600 too.
    """
    parent = path.parent
    if not parent.exists():
        try:
            os.makedirs(parent, mode=0o700, exist_ok=True)
            os.chmod(parent, 0o700)
        except OSError as exc:
            raise DatabaseError(f"cannot create the folder {parent}: {exc.strerror}") from exc
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except FileExistsError:
            pass  # another process created it first; it set the same mode
        except OSError as exc:
            raise DatabaseError(f"cannot create {path}: {exc.strerror}") from exc
        os.chmod(path, 0o600)


def create_private_file(path: Path) -> int:
    """Open a new file 0600 for writing, refusing to overwrite; returns the fd."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        from netcrm.errors import InvalidInput

        raise InvalidInput(f"{path} already exists; choose another name") from None
    except OSError as exc:
        from netcrm.errors import InvalidInput

        raise InvalidInput(f"cannot write {path}: {exc.strerror}") from exc
    os.fchmod(fd, 0o600)
    return fd


def refuse_existing(path: Path, *, force: bool) -> None:
    """Refuse to write over a folder, or over a file unless ``--force``."""
    from netcrm.errors import InvalidInput

    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name")
    if not force and (path.exists() or path.is_symlink()):
        raise InvalidInput(f"{path} already exists; choose another name or add --force")


def _replace_private(path: Path, fill: Callable[[Path], None]) -> None:
    """Make ``path`` (0600) by filling a new file beside it, then renaming it over:
    the result is private whatever the old file's mode, and never half written."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fill(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_private(path: Path, text: str, *, force: bool = False) -> None:
    """The one writer of private files (``-o``, ``--html``, ``export``): 0600,
    UTF-8; refuses an existing file unless ``force``."""
    refuse_existing(path, force=force)

    def fill(target: Path) -> None:
        fd = create_private_file(target)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)

    if path.exists() or path.is_symlink():
        _replace_private(path, fill)
    else:
        fill(path)


# --- preflight ------------------------------------------------------------------


def preflight(path: Path) -> str | None:
    """Check a SQLite file without writing to it.

    Returns its schema revision, or None for a file that does not exist yet or
    is empty. Raises DatabaseError for anything netcrm must not open.

    The file is never opened with Python's own ``open()``: closing any
    descriptor of a file drops every POSIX lock the process holds on it, the
    locks of this process's SQLite connections included (SQLite's "How To
    Corrupt", 2.2). Only SQLite opens it, and ``stat`` answers the rest.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseError(f"{path} is a directory, not a netcrm database")
    if info.st_size == 0:
        return None
    not_sqlite = f"{path} is not a SQLite database (corrupt or another kind of file)"
    try:
        # mode=rw: never create a file; not mode=ro, which fails with "disk I/O
        # error" when the last writer has just removed the -shm file.
        conn = sqlite3.connect(
            f"file:{quote(str(path), safe='/')}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    try:
        conn.execute("PRAGMA query_only = ON")
        try:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(not_sqlite) from exc
        if info.st_size % page_size:
            # A file cut mid-page (a failed copy, a full disk) is not one to write into.
            raise DatabaseError(f"{path} is truncated or corrupt (not a whole number of pages)")
        return revision_of(conn, str(path))
    finally:
        conn.close()


def revision_of(conn: sqlite3.Connection, name: str) -> str | None:
    """The schema revision recorded in an open sqlite3 connection, checked."""
    try:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise DatabaseError(f"{name} is a SQLite database but not a netcrm one")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{name} cannot be read: {exc}") from exc
    if row is None:
        raise DatabaseError(f"{name} has no schema revision; it is not a netcrm database")
    return check_revision(row[0], name)


def check_revision(revision: str, name: str) -> str:
    if revision not in REVISIONS:
        from netcrm import __version__

        raise DatabaseError(
            f"{name} uses schema {revision}, newer than this netcrm {__version__} knows "
            "(up to {HEAD}); upgrade netcrm to open it".replace("{HEAD}", HEAD)
        )
    return revision


# --- engine ---------------------------------------------------------------------


def _configure_sqlite(engine: Engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # The driver must not open transactions behind our back: we emit
        # BEGIN IMMEDIATE ourselves in the "begin" hook below.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA secure_delete=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _server_options(loc: DbLocation) -> dict[str, Any]:
    if not loc.is_postgresql:
        return {}
    from netcrm.store.pg import CONNECT_TIMEOUT_S

    return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_S}}


def _configure_postgresql(engine: Engine) -> None:
    """Every transaction takes netcrm's advisory lock first, as SQLite's BEGIN
    IMMEDIATE takes the write lock: two shells writing at once queue instead of
    one reading what the other is about to change (a merge racing a log).
    Reads go through psycopg (``pg.py``) and never wait for it."""
    from sqlalchemy import event

    from netcrm.store.pg import WRITE_LOCK

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


def make_engine(loc: DbLocation) -> Engine:
    from sqlalchemy import create_engine

    if loc.url in _engines:
        return _engines[loc.url]
    if loc.is_sqlite_file:
        engine = create_engine(loc.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
    else:
        try:
            engine = create_engine(loc.url, pool_pre_ping=True, **_server_options(loc))
        except Exception as exc:  # bad URL, missing driver
            raise DatabaseError(
                loc.scrub(f"cannot use the database URL {loc.describe()}: {exc}")
            ) from exc
        if loc.is_postgresql:
            _configure_postgresql(engine)
    _engines[loc.url] = engine
    return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests, and before a checkpoint)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def translate_db_errors(loc: DbLocation) -> Iterator[None]:
    """Turn driver errors into DatabaseError (exit 3) with one clear line."""
    from sqlalchemy import exc as sa_exc

    try:
        yield
    except sa_exc.OperationalError as exc:
        if loc.is_postgresql:
            from netcrm.store.pg import describe_error

            raise DatabaseError(describe_error(loc, exc.orig or exc)) from None
        raise DatabaseError(_describe_operational(loc, exc.orig or exc)) from exc
    except sa_exc.DatabaseError as exc:
        if isinstance(exc, sa_exc.IntegrityError):
            raise
        if loc.is_postgresql:
            from netcrm.store.pg import describe_error

            raise DatabaseError(describe_error(loc, exc.orig or exc)) from None
        raise DatabaseError(f"{loc.describe()}: {exc.orig or exc}") from exc
    except sqlite3.OperationalError as exc:
        raise DatabaseError(_describe_operational(loc, exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{loc.describe()}: {exc}") from exc


def _describe_operational(loc: DbLocation, exc: BaseException) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return (
            f"{loc.describe()} is locked by another program for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s; try again"
        )
    if "readonly" in text or "read-only" in text:
        return f"{loc.describe()} is read-only; netcrm cannot write to it"
    if "disk" in text and "full" in text:
        return f"the disk holding {loc.describe()} is full; nothing was written"
    return f"{loc.describe()}: {text}"


# --- schema -------------------------------------------------------------------------


def ensure_schema(loc: DbLocation) -> Engine:
    """Open the database for writing, migrating it to HEAD first if needed."""
    if loc.path is not None:
        if preflight(loc.path) == HEAD:
            return make_engine(loc)
        prepare_sqlite_file(loc.path)
    engine = make_engine(loc)
    with translate_db_errors(loc), engine.begin() as conn:
        # Re-read under the write lock: five processes opening a new file at
        # once must run the migrations exactly once.
        current = _revision_locked(conn, loc)
        if current == HEAD:
            return engine
        if current is not None and loc.path is not None:
            backup_locked(loc.path, current)
        _upgrade(conn)
    return engine


def _revision_locked(conn: Connection, loc: DbLocation) -> str | None:
    from sqlalchemy import inspect, text

    tables = [t for t in inspect(conn).get_table_names() if not t.startswith("sqlite_")]
    if not tables:
        return None
    if "alembic_version" not in tables:
        raise DatabaseError(f"{loc.describe()} is a database but not a netcrm one")
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        raise DatabaseError(f"{loc.describe()} has no schema revision; it is not a netcrm database")
    return check_revision(str(revision), loc.describe())


def _upgrade(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def backup_locked(path: Path, revision: str) -> Path:
    """Copy the file (under the lock we hold) before migrating it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
    n = 1
    while dest.exists():
        n += 1
        dest = path.with_name(f"{path.name}.bak-{revision}-{stamp}-{n}")
    # A second connection reads the file while ours holds the write lock (a
    # connection cannot back itself up from inside its own transaction); in WAL
    # mode readers and one writer coexist, and nothing is written yet.
    source = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        _backup_into(source, dest)
    finally:
        source.close()
    return dest


def _backup_into(source: Any, dest: Path) -> None:
    fd = create_private_file(dest)
    os.close(fd)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        target.close()
    os.chmod(dest, 0o600)


def backup_database(loc: DbLocation, dest: Path, *, force: bool = False) -> None:
    """``netcrm db backup``: an online copy through SQLite's backup API; with
    ``force`` it replaces an existing file (the copy is made beside it first)."""
    if loc.path is None:
        from netcrm.errors import InvalidInput

        raise InvalidInput("db backup works on SQLite files; use your server's tools (pg_dump)")
    ensure_schema(loc)
    refuse_existing(dest, force=force)
    source = sqlite3.connect(loc.path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        with translate_db_errors(loc):
            if dest.exists() or dest.is_symlink():
                _replace_private(dest, lambda temp: _backup_into(source, temp))
            else:
                _backup_into(source, dest)
    finally:
        source.close()


def check_database(loc: DbLocation) -> list[str]:
    """``netcrm db check``: integrity and foreign keys; returns the problems."""
    from sqlalchemy import text

    engine = ensure_schema(loc)
    problems: list[str] = []
    with translate_db_errors(loc), engine.connect() as conn:
        if loc.is_sqlite_file:
            for (line,) in conn.execute(text("PRAGMA integrity_check")):
                if line != "ok":
                    problems.append(f"integrity: {line}")
            for row in conn.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"foreign key: {row[0]} row {row[1]} points to a missing {row[2]}")
        elif loc.is_postgresql:
            from netcrm.store.pg import server_problems

            problems += server_problems(conn)
        else:
            conn.execute(text("SELECT 1"))
    return problems


@contextmanager
def write_session(loc: DbLocation) -> Iterator[Session]:
    """A session whose transaction holds the write lock from its first statement;
    committed when the block ends without error, rolled back otherwise."""
    from sqlmodel import Session

    engine = ensure_schema(loc)
    with translate_db_errors(loc), Session(engine) as session, session.begin():
        yield session
