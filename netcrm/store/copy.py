"""``netcrm db copy``: one CRM moved between any two databases (a SQLite file
or a server URL, either direction), and ``db backup`` of a server.

How, and why so:

- Both ends are opened the usual way (``ensure_schema``), so the target is
  created and migrated to the current schema and the source is at it too: the
  two then have the same tables and columns, which are read from the target
  itself (SQLAlchemy reflection), not from the models — ``store`` knows no
  domain, and a table a later migration adds is copied without a change here.
- Every row goes in ONE transaction on the target, parents before children,
  ids kept (an interaction still points at its contacts, ``show 12`` is the
  same contact on both). A non-empty target is refused unless ``force``, which
  empties it in that same transaction: a copy that fails half-way leaves the
  target exactly as it was.
- The source is read in one transaction too, which holds netcrm's write lock
  there (``BEGIN IMMEDIATE`` on SQLite, the advisory lock on a server): a
  shell writing meanwhile waits, and the copy is one consistent state.
- The search index is the target's own: its triggers fill it as the rows go
  in (FTS5 on SQLite, the tsvector columns on PostgreSQL), so it is rebuilt
  for the target's engine, never copied.
- On PostgreSQL each table's id sequence is set past the highest copied id,
  or the next ``add`` would collide with a copied row.
- Before committing, the rows of every table are counted on both sides; any
  difference rolls the whole copy back and is reported. A server then gets
  its planner statistics at once (``ANALYZE``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netcrm.errors import DatabaseError, InvalidInput
from netcrm.store.location import DbLocation

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

BATCH = 1000


@dataclass
class CopyResult:
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, as copied
    replaced: bool = False  # the target held rows that --force replaced

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _is_copied(table: str) -> bool:
    """Everything but the schema revision (each side has its own, at HEAD) and
    the search index (each engine builds its own)."""
    return table != "alembic_version" and not table.startswith(("search_index", "sqlite_"))


def _tables(conn: Connection) -> list[Any]:
    """The data tables of ``conn``, reflected, parents before children."""
    from sqlalchemy import MetaData, inspect

    names = [t for t in inspect(conn).get_table_names() if _is_copied(t)]
    meta = MetaData()
    meta.reflect(bind=conn, only=names)
    return list(meta.sorted_tables)


def _counts(conn: Connection, tables: list[Any]) -> dict[str, int]:
    from sqlalchemy import func, select

    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}


def same_database(a: DbLocation, b: DbLocation) -> bool:
    if a.path is not None and b.path is not None:
        try:
            return a.path.resolve() == b.path.resolve()
        except OSError:
            return a.path == b.path
    return a.url == b.url


def copy_database(source: DbLocation, target: DbLocation, *, force: bool = False) -> CopyResult:
    """Copy every row of ``source`` into ``target``; see the module docstring."""
    from netcrm.store.engine import ensure_schema, translate_db_errors

    if same_database(source, target):
        raise InvalidInput("the source and the target are the same database")
    if source.path is not None and not source.path.exists():
        raise InvalidInput(f"{source.path} does not exist; nothing to copy")
    source_engine = ensure_schema(source)
    target_engine = ensure_schema(target)
    result = CopyResult()
    with (
        translate_db_errors(source),
        source_engine.begin() as src,
        translate_db_errors(target),
        target_engine.begin() as dst,
    ):
        tables = _tables(dst)
        source_tables = {t.name for t in _tables(src)}
        missing = source_tables - {t.name for t in tables}
        if missing:  # pragma: no cover - both ends are at the same revision
            raise DatabaseError(
                f"{target.describe()} lacks the tables {', '.join(sorted(missing))}"
            )
        held = {name: n for name, n in _counts(dst, tables).items() if n}
        if held and not force:
            raise InvalidInput(
                f"{target.describe()} already holds a CRM ({sum(held.values())} rows); "
                "add --force to replace it"
            )
        if held:
            for table in reversed(tables):
                dst.execute(table.delete())
            result.replaced = True
        for table in tables:
            result.counts[table.name] = _copy_table(src, dst, table)
        if target_engine.dialect.name == "postgresql":
            _reset_sequences(dst, tables)
        _verify(target, _counts(src, tables), _counts(dst, tables))
        if target_engine.dialect.name == "postgresql":
            # Statistics for the planner now, not when autovacuum gets to it: a
            # fresh copy read without them took 2-3x longer per query (bench/).
            for table in [*tables, "search_index"]:
                dst.exec_driver_sql(f'ANALYZE "{getattr(table, "name", table)}"')
    return result


def _copy_table(src: Connection, dst: Connection, table: Any) -> int:
    from sqlalchemy import select

    order = list(table.primary_key.columns) or list(table.columns)
    rows = src.execution_options(yield_per=BATCH).execute(select(table).order_by(*order))
    copied = 0
    for batch in rows.mappings().partitions(BATCH):
        dst.execute(table.insert(), [dict(r) for r in batch])
        copied += len(batch)
    return copied


def _reset_sequences(dst: Connection, tables: list[Any]) -> None:
    """Each serial column's sequence continues after the highest copied value."""
    from sqlalchemy import text

    for table in tables:
        for column in table.primary_key.columns:
            seq = dst.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if seq is None:
                continue
            dst.execute(
                text(
                    f'SELECT setval(:seq, coalesce(max("{column.name}"), 1), '
                    f'max("{column.name}") IS NOT NULL) FROM "{table.name}"'
                ),
                {"seq": seq},
            )


def _verify(target: DbLocation, expected: dict[str, int], found: dict[str, int]) -> None:
    wrong = [f"{t}: {found.get(t, 0)} of {n}" for t, n in expected.items() if found.get(t) != n]
    if wrong:  # pragma: no cover - a row lost between reading and writing
        raise DatabaseError(
            f"the copy into {target.describe()} does not add up; nothing was written",
            details=wrong,
        )


def backup_server(source: DbLocation, dest_path: Any) -> CopyResult:
    """``db backup FILE`` of a server database: a new SQLite file (0600)."""
    from netcrm.store.location import resolve_location

    if dest_path.exists():
        raise InvalidInput(f"{dest_path} already exists; choose another name")
    return copy_database(source, resolve_location(str(dest_path)))
