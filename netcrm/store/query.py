"""Reads by many ids, written once: ids in slices, ``IN (…)`` lists, and child
rows grouped by their parent.

Why: a listing reads its rows with one query, then each child table (channels,
tags, keys, steps, people…) with one query per slice of ids, never one per
row; a slice stays under every driver's limit on bound parameters (SQLite's
is 32,766 today but 999 in older builds). The SQL of each entity lives in the
entity's module and leaves ``{ids}`` where the list goes.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netcrm.store.reader import Reader, Row
    from netcrm.store.values import Convert

CHUNK = 500


def in_clause(values: Sequence[Any], prefix: str = "id") -> tuple[str, dict[str, Any]]:
    """``:id0, :id1, …`` and its parameters, for ``IN (…)`` on any driver."""
    names = [f"{prefix}{i}" for i in range(len(values))]
    return ", ".join(f":{n}" for n in names), dict(zip(names, values, strict=True))


def chunks(ids: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """Slices small enough for any driver's limit on bound parameters."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rows_for(
    reader: Reader,
    sql: str,
    ids: Iterable[Any],
    params: Mapping[str, Any] | None = None,
    types: Mapping[str, Convert] | None = None,
) -> list[Row]:
    """The rows of ``sql`` (with ``{ids}`` where the ``IN`` list goes) for
    every slice of ``ids``, slice after slice; ``types`` as for ``Reader.rows``."""
    rows: list[Row] = []
    for part in chunks(list(ids)):
        placeholders, id_params = in_clause(part)
        sql_part = sql.replace("{ids}", placeholders)
        rows += reader.rows(sql_part, {**(params or {}), **id_params}, types)
    return rows


def grouped(
    reader: Reader,
    sql: str,
    ids: Iterable[Hashable],
    *,
    by: str,
    params: Mapping[str, Any] | None = None,
) -> dict[Any, list[Row]]:
    """Child rows grouped by their parent's id (column ``by``): every id of
    ``ids`` is a key, with ``[]`` when it has none; each list keeps the
    query's order."""
    wanted = list(dict.fromkeys(ids))
    result: dict[Any, list[Row]] = {i: [] for i in wanted}
    for row in rows_for(reader, sql, wanted, params):
        result[row[by]].append(row)
    return result
