"""Tables for people (rich for short ones, plain aligned text for long ones), cards,
and :func:`emit`, which prints rows as a table, JSON or CSV from the same columns.

``rich.table`` is imported only when a table is actually drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from netcrm.render.console import console, message, out
from netcrm.render.formats import Format, rows_to_json, to_csv, to_json


@dataclass(frozen=True)
class Column:
    """A column of a table: ``key`` in the row dict, ``header`` shown to people,
    ``show`` an optional formatter for the table view only."""

    key: str
    header: str
    show: Callable[[Any], str] | None = None
    justify: str = "left"
    style: str | None = None
    # Never cut nor wrapped: dates, handles, ids, counts, short keywords.
    keep: bool = False
    # When the table is too wide, columns with the highest ``drop`` go first;
    # 0 never goes. (Issue 12: low-value columns drop first, channel before contact.)
    drop: int = 0


# A wrapped column keeps at least this many cells (or its longest header word).
WRAP_MIN = 12


def _cell_width(text: str) -> int:
    from rich.cells import cell_len
    from rich.text import Text

    return max((cell_len(line) for line in Text.from_markup(text).plain.split("\n")), default=0)


def fitting(cells: Sequence[Sequence[str]], columns: Sequence[Column], width: int) -> list[int]:
    """The indexes of the columns that fit in ``width`` terminal cells: each kept
    column at its full width, each other at :data:`WRAP_MIN` (or less if its text
    is shorter), dropping the columns of highest ``drop`` first."""
    natural = [
        max([_cell_width(col.header), *(_cell_width(row[i]) for row in cells)])
        for i, col in enumerate(columns)
    ]
    floor = [
        natural[i] if col.keep else min(natural[i], max(WRAP_MIN, *map(len, col.header.split())))
        for i, col in enumerate(columns)
    ]
    shown = list(range(len(columns)))
    # SIMPLE_HEAD: a space at each edge, one between columns, one of padding on each side.
    while sum(floor[i] for i in shown) + 3 * len(shown) + 1 > width:
        droppable = [i for i in shown if columns[i].drop > 0]
        if not droppable:
            break
        shown.remove(max(droppable, key=lambda i: (columns[i].drop, i)))
    return shown


def table(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    width: int | None = None,
) -> Any:
    """A rich table; with ``width``, only the columns that fit it (:func:`fitting`).
    Kept columns are never cut or wrapped; the others wrap, folding a word longer
    than the column rather than cutting it with an ellipsis."""
    from rich import box
    from rich.table import Table

    cells = [[_show(col, row.get(col.key)) for col in columns] for row in rows]
    shown = fitting(cells, columns, width) if width else list(range(len(columns)))
    t = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    for i in shown:
        col = columns[i]
        t.add_column(
            col.header,
            justify=col.justify,  # type: ignore[arg-type]
            style=col.style,
            no_wrap=col.keep,
            overflow="fold",
            min_width=max([_cell_width(col.header), *(_cell_width(r[i]) for r in cells)])
            if col.keep
            else None,
        )
    for row in cells:
        t.add_row(*[row[i] for i in shown])
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
        out(plain_table(rows, columns, title=title, width=console().width), end="")
    else:
        con = console()
        con.print(table(rows, columns, title=title, width=con.width))


# Past this many rows a rich Table costs ~0.5 ms a row (5 s for a 10k-contact
# `list`, half of `due`'s time on a busy week); a plain aligned table reads the
# same without the layout engine. Short tables keep rich's wrapping and styles.
LARGE_TABLE = 60
MAX_PLAIN_WIDTH = 40


def plain_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    width: int | None = None,
) -> str:
    """Rows as aligned text, like ``box.SIMPLE_HEAD``: a header, a rule, rows.
    Widths count terminal cells (accents, emoji); with ``width``, only the
    columns that fit it (:func:`fitting`); long cells of columns not kept are
    cut with …."""
    from rich.cells import cell_len, set_cell_size
    from rich.text import Text

    def plain(col: Column, value: Any) -> str:
        text = Text.from_markup(_show(col, value)).plain.replace("\n", " ")
        if not col.keep and cell_len(text) > MAX_PLAIN_WIDTH:
            text = set_cell_size(text, MAX_PLAIN_WIDTH - 1) + "…"
        return text

    cells = [[plain(col, row.get(col.key)) for col in columns] for row in rows]
    if width:
        shown = fitting(cells, columns, width)
        columns = [columns[i] for i in shown]
        cells = [[row[i] for i in shown] for row in cells]
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
