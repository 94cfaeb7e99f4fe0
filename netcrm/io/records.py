"""What every import reader yields, and the CSV plumbing the CSV readers share.

A reader turns one file format into a stream of items, each tied to the line of
the file it came from so that errors can name it:

- :class:`ImportRecord`: one contact, already normalized — ``fields`` holds
  contact columns (``name``, ``company``, ``met_on`` as a ``date``,
  ``birthday_year``/``_month``/``_day``, ``cadence`` in its stored form
  (``P3M``, or an RRULE body) …), ``channels`` holds ``(kind, value)`` pairs, ``tags`` and ``keys``
  the labels as written. The domain (``netcrm.domain.importing``) validates the
  rest and decides what to do with it;
  A value that cannot be read is left out and noted in ``warnings``;
- :class:`RowError`: a row that cannot become a contact, with the reason;
- :class:`Ignored`: a row that is not a contact at all (a LinkedIn row holding
  only a date, for a member who left), counted in the summary but no error.

:class:`CsvTable` reads a decoded CSV text row by row with the line on which
each row *starts* (a quoted cell may hold newlines), finds the header row by
scanning rather than by skipping a fixed count, pads short rows, reports long
ones, and answers columns by header name case-insensitively, duplicate headers
included (their cells are read in order).
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from netcrm.errors import InvalidInput

# How many rows may come before the header (LinkedIn's "Notes:" preamble is 3).
HEADER_SCAN_ROWS = 100


@dataclass(slots=True)
class ImportRecord:
    line: int
    fields: dict[str, Any]
    # (kind, value, label); the label names an ``other`` channel ("shapr").
    channels: list[tuple[str, str, str | None]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    # (field, value, why) of the values that could not be read and were left
    # out: the rest of the row still imports.
    warnings: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(slots=True)
class RowError:
    line: int
    message: str
    name: str = ""  # the contact's name, when the row got that far


@dataclass(slots=True)
class Ignored:
    line: int
    reason: str


Item = ImportRecord | RowError | Ignored


def header_key(text: str) -> str:
    """How header cells are compared: trimmed, case-folded, single spaces."""
    return " ".join(text.replace("\ufeff", "").split()).casefold()


def lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, one at a time.

    What ``io.StringIO(text, newline="")`` gives the csv module, without its
    copy of the whole file (four bytes a character). A file from an old Mac
    ends its lines with a bare CR: those become line ends too.
    """
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def allow_big_cells(text: str) -> None:
    """Let the csv module read a cell as long as the whole file.

    Its default limit (131,072 characters) turns one long note into a crash;
    the file is already in memory, so no cell can be longer than it.
    """
    wanted = min(max(len(text) + 1, csv.field_size_limit()), sys.maxsize // 2)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)


class CsvTable:
    """A CSV text with its header found; iterate :meth:`rows` for the data."""

    def __init__(self, text: str, delimiter: str, header_ok: Callable[[list[str]], bool]) -> None:
        allow_big_cells(text)
        self.delimiter = delimiter
        self._reader = csv.reader(lines(text), delimiter=delimiter)
        self._last_line = 0
        self.header: list[str] = []
        self.header_line = 0
        for scanned, (line, cells) in enumerate(self._raw_rows()):
            if scanned >= HEADER_SCAN_ROWS:
                break
            keys = [header_key(c) for c in cells]
            if any(keys) and header_ok(keys):
                self.header = keys
                self.header_line = line
                break
        self._index: dict[str, list[int]] = {}
        for i, key in enumerate(self.header):
            if key:
                self._index.setdefault(key, []).append(i)

    @property
    def found(self) -> bool:
        return bool(self.header)

    def _raw_rows(self) -> Iterator[tuple[int, list[str]]]:
        while True:
            start = self._last_line + 1
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InvalidInput(f"line {start}: cannot read the CSV: {exc}") from None
            self._last_line = self._reader.line_num
            yield start, cells

    def rows(self) -> Iterator[tuple[int, list[str] | RowError]]:
        """(line, cells) for each data row after the header; blank rows are
        skipped; a row with more non-empty cells than the header has columns
        comes back as a RowError (its cells would land in the wrong fields)."""
        width = len(self.header)
        for line, cells in self._raw_rows():
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > width:
                if any(c.strip() for c in cells[width:]):
                    yield (
                        line,
                        RowError(
                            line,
                            f"{len(cells)} cells but the header has {width} columns "
                            "(an unquoted separator?)",
                        ),
                    )
                    continue
                cells = cells[:width]
            elif len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            yield line, cells

    def has(self, name: str) -> bool:
        return name in self._index

    def columns(self, name: str) -> list[int]:
        return self._index.get(name, [])

    def get(self, cells: Sequence[str], name: str) -> str:
        """The first non-empty cell under header ``name`` (trimmed), else ''."""
        for i in self._index.get(name, ()):
            value = cells[i].strip()
            if value:
                return value
        return ""

    def get_all(self, cells: Sequence[str], name: str) -> list[str]:
        """Every non-empty cell under header ``name`` (duplicate headers)."""
        return [cells[i].strip() for i in self._index.get(name, ()) if cells[i].strip()]

    def raw(self, cells: Sequence[str], name: str) -> str:
        """The first non-empty cell under ``name``, untrimmed (notes keep their
        layout)."""
        for i in self._index.get(name, ()):
            if cells[i].strip():
                return cells[i]
        return ""


def url_channel(url: str) -> tuple[str, str, str | None]:
    """A web address as a channel: LinkedIn and Facebook profiles by their
    host, anything else a website."""
    host = url.strip().casefold()
    host = host.split("://", 1)[-1].split("/", 1)[0]
    if host == "linkedin.com" or host.endswith(".linkedin.com") or host == "lnkd.in":
        return "linkedin", url.strip(), None
    if host in ("facebook.com", "fb.com", "m.facebook.com") or host.endswith(".facebook.com"):
        return "facebook", url.strip(), None
    return "website", url.strip(), None


def join_name(*parts: str) -> str:
    return " ".join(" ".join(parts).split())


_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


def us_date(text: str, today: date) -> str:
    """``1/8/18, 6:14 PM`` (month/day/year, as LinkedIn's older exports and
    Outlook's English export write it) as ISO ``2018-01-08``, for
    ``netcrm.dates`` to read; any other text unchanged but for a time after a
    comma. A two-digit year is 20YY when that is not in the future, else 19YY."""
    head = text.split(",", 1)[0].strip() if "/" in text else text.strip()
    match = _US_DATE.fullmatch(head)
    if not match:
        return head
    month, day, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:
        year += 2000 if year <= today.year % 100 else 1900
    return f"{year:04d}-{month:02d}-{day:02d}"
