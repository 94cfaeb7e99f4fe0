"""Data formats for scripts: ``--json`` and ``--csv`` from rows of plain values."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from netcrm.io.csvcells import cell


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def pick_format(*, as_json: bool, as_csv: bool) -> Format:
    if as_json and as_csv:
        from netcrm.errors import InvalidInput

        raise InvalidInput("choose one of --json and --csv")
    if as_json:
        return Format.json
    if as_csv:
        return Format.csv
    return Format.table


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)


def rows_to_json(rows: Sequence[dict[str, Any]]) -> str:
    """A JSON list, one row per line: readable, and written by the C encoder
    (``indent`` switches json to its pure-Python encoder, ~10x slower on the
    thousands of rows a big ``due`` or ``list`` can have)."""
    if not rows:
        return "[]"
    body = ",\n".join("  " + json.dumps(row, ensure_ascii=False, default=_default) for row in rows)
    return "[\n" + body + "\n]"


def to_csv(rows: Sequence[dict[str, Any]], keys: Sequence[str], *, raw: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    # csv quotes a cell holding "\n" but not a bare "\r", which readers take
    # for a line end: a row with one is written fully quoted.
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(keys)
    for row in rows:
        cells = [cell(_csv_value(row.get(k)), raw=raw) for k in keys]
        (quoted if any("\r" in c for c in cells) else writer).writerow(cells)
    return buf.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value
