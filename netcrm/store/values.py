"""One value shape for every reader: dates as ``date``, timestamps as naive
``datetime`` to the second, booleans as ``bool``; text, numbers and NULL as
the driver gives them.

Why: SQLite hands dates back as ISO text, timestamps as text with
microseconds, booleans as 0/1; PostgreSQL (through SQLAlchemy or psycopg) as
``date``, ``datetime`` and ``bool``. Shaping rows once, here, lets the domain
read one shape from any reader and never convert again.

A column is typed by its name: :data:`COLUMN_TYPES` lists every date,
timestamp and boolean column of the schema (the same name never means two
types; a test checks it against the models). A query that gives a typed value
another name (``occurred_on AS date``) says so with ``types={"date": DATE}``.
A reader for another driver plugs in by building its dicts with
:func:`shaper`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

Convert = Callable[[Any], Any]


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value)[:19])


def as_bool(value: Any) -> bool:
    return bool(value)


DATE: Convert = as_date
TIMESTAMP: Convert = as_timestamp
BOOL: Convert = as_bool

COLUMN_TYPES: dict[str, Convert] = {
    # dates
    "met_on": DATE,
    "last_contact": DATE,
    "next_touch": DATE,
    "birthday_snoozed_to": DATE,
    "occurred_on": DATE,
    "due": DATE,
    # timestamps
    "created_at": TIMESTAMP,
    "updated_at": TIMESTAMP,
    "status_changed_at": TIMESTAMP,
    "done_at": TIMESTAMP,
    "at": TIMESTAMP,
    # booleans
    "bigger": BOOL,
    "archived": BOOL,
    "from_done": BOOL,
}


def shaper(
    names: Sequence[str], types: Mapping[str, Convert] | None = None
) -> Callable[[Sequence[Any]], dict[str, Any]]:
    """A function turning one driver row (values in ``names`` order) into a
    dict of the one shape. Only typed columns cost anything; NULL stays None."""
    table = {**COLUMN_TYPES, **types} if types else COLUMN_TYPES
    typed = [(n, table[n]) for n in names if n in table]
    keys = list(names)

    def shape(row: Sequence[Any]) -> dict[str, Any]:
        out = dict(zip(keys, row, strict=True))
        for name, convert in typed:
            value = out[name]
            if value is not None:
                out[name] = convert(value)
        return out

    return shape
