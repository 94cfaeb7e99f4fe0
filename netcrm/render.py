"""One output layer (STYLE.md rule 4): rich tables for people, ``--json`` and
``--csv`` for scripts, from the same rows and the same column definitions.

Data goes to stdout; messages, warnings and errors to stderr. ``rich.table`` is
imported only when a table is actually drawn.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Column:
    """A column of a table: ``key`` in the row dict, ``header`` shown to people,
    ``show`` an optional formatter for the table view only."""

    key: str
    header: str
    show: Callable[[Any], str] | None = None
    justify: str = "left"
    style: str | None = None


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


def out(text: str = "", *, end: str = "\n") -> None:
    """Write data to stdout."""
    sys.stdout.write(text + end)


def message(text: str) -> None:
    """A message for people, on stderr."""
    err_console().print(text, highlight=False)


def warn(text: str) -> None:
    err_console().print(f"[yellow]Warning:[/yellow] {text}", highlight=False)


_consoles: dict[str, Any] = {}


def console() -> Any:
    if "out" not in _consoles:
        from rich.console import Console

        _consoles["out"] = Console(highlight=False, soft_wrap=False)
    return _consoles["out"]


def err_console() -> Any:
    if "err" not in _consoles:
        from rich.console import Console

        # soft_wrap: a message is one line, even when stderr is not a terminal.
        _consoles["err"] = Console(stderr=True, highlight=False, soft_wrap=True)
    return _consoles["err"]


def reset_consoles() -> None:
    """Forget the consoles (tests swap sys.stdout between CLI runs)."""
    _consoles.clear()


def table(
    rows: Iterable[dict[str, Any]], columns: Sequence[Column], *, title: str | None = None
) -> Any:
    from rich import box
    from rich.table import Table

    t = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    for col in columns:
        t.add_column(col.header, justify=col.justify, style=col.style)  # type: ignore[arg-type]
    for row in rows:
        t.add_row(*[_show(col, row.get(col.key)) for col in columns])
    return t


def _show(col: Column, value: Any) -> str:
    from rich.markup import escape

    if col.show is not None:
        return col.show(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list | tuple):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value))


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    *,
    title: str | None = None,
    json_keys: Sequence[str] | None = None,
    raw: bool = False,
    empty: str | None = None,
) -> None:
    """Print rows as a table, JSON or CSV. ``json_keys`` (default: the keys of
    the first row, else the columns) fixes the keys of JSON and CSV rows."""
    keys = list(json_keys or (rows[0].keys() if rows else [c.key for c in columns]))
    if fmt is Format.json:
        out(rows_to_json([{k: r.get(k) for k in keys} for r in rows]))
    elif fmt is Format.csv:
        out(to_csv(rows, keys, raw=raw), end="")
    elif not rows and empty:
        message(empty)
    elif len(rows) > LARGE_TABLE:
        out(plain_table(rows, columns, title=title), end="")
    else:
        console().print(table(rows, columns, title=title))


# Past this many rows a rich Table costs ~0.5 ms a row (5 s for a 10k-contact
# `list`, half of `due`'s time on a busy week); a plain aligned table reads the
# same without the layout engine. Short tables keep rich's wrapping and styles.
LARGE_TABLE = 60
MAX_PLAIN_WIDTH = 40


def plain_table(
    rows: Sequence[dict[str, Any]], columns: Sequence[Column], *, title: str | None = None
) -> str:
    """Rows as aligned text, like ``box.SIMPLE_HEAD``: a header, a rule, rows.
    Widths count terminal cells (accents, emoji); long cells are cut with …."""
    from rich.cells import cell_len, set_cell_size
    from rich.text import Text

    def plain(col: Column, value: Any) -> str:
        text = Text.from_markup(_show(col, value)).plain.replace("\n", " ")
        if cell_len(text) > MAX_PLAIN_WIDTH:
            text = set_cell_size(text, MAX_PLAIN_WIDTH - 1) + "…"
        return text

    cells = [[plain(col, row.get(col.key)) for col in columns] for row in rows]
    widths = [
        max([cell_len(col.header), *(cell_len(r[i]) for r in cells)])
        for i, col in enumerate(columns)
    ]

    def line(values: Sequence[str]) -> str:
        parts = []
        for value, width, col in zip(values, widths, columns, strict=True):
            pad = " " * (width - cell_len(value))
            parts.append(pad + value if col.justify == "right" else value + pad)
        return (" " + "  ".join(parts)).rstrip() + "\n"

    text = f"{title}\n" if title else ""
    text += line([c.header for c in columns])
    text += " " + "  ".join("─" * w for w in widths) + "\n"
    return text + "".join(line(r) for r in cells)


def card_value(value: Any) -> str:
    """A field of a card (``show``, ``idea show``) as rich markup: user text
    escaped, lists joined, a dim dash for nothing."""
    from rich.markup import escape

    if value in (None, "", []):
        return "[dim]-[/dim]"
    if isinstance(value, list):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value))


def emit_card(
    card: dict[str, Any], record_keys: Sequence[str], fmt: Format, draw: Callable[[], None]
) -> None:
    """One record with nested sections: ``--json`` gives the whole card;
    ``--csv`` its record fields (one CSV row cannot hold the sections), the
    same columns as the matching listing; the table view is ``draw()``."""
    if fmt is Format.json:
        out(to_json(card))
    elif fmt is Format.csv:
        out(to_csv([card], record_keys), end="")
    else:
        draw()


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
