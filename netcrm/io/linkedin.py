"""LinkedIn's ``Connections.csv`` (Settings → Data privacy → Get a copy of your data).

Today's export starts with a preamble — a ``Notes:`` line, a quoted notice
about missing e-mail addresses, a blank line — before the header
``First Name,Last Name,URL,Email Address,Company,Position,Connected On``.
Older exports have no preamble and no ``URL`` column. The header is found by
scanning (:class:`~netcrm.io.records.CsvTable`), never by skipping a fixed
number of lines, so either shape (and a future longer notice) reads.

Each connection becomes a contact met via ``linkedin``, on the *Connected On*
day (``09 Oct 2024``, or ``1/8/18, 6:14 PM`` in older exports), with the
profile URL as a linkedin channel, the e-mail when the member shares it, the
company and the position as role. A row holding nothing but a date is a member
who left LinkedIn: it is ignored, not an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from netcrm.errors import InvalidInput
from netcrm.io.records import CsvTable, Ignored, ImportRecord, Item, RowError, join_name, us_date


def is_header(keys: list[str]) -> bool:
    names = set(keys)
    return {"first name", "last name"} <= names and (
        "connected on" in names or {"company", "position"} <= names
    )


@lru_cache(maxsize=8192)
def connected_on(text: str, *, today: date) -> date:
    """The day of ``09 Oct 2024`` (today's export), ``1/8/18, 6:14 PM`` (older
    exports: month/day/year and a time), or any date netcrm reads.

    Cached: a network of 100,000 connections holds a few thousand distinct
    days, and ``parse_date`` costs about 60 µs (6 s on such a file)."""
    from netcrm.dates import parse_date

    return parse_date(us_date(text, today), today=today, sense="past")


def read(table: CsvTable, *, today: date) -> Iterator[Item]:
    for line, cells in table.rows():
        if isinstance(cells, RowError):
            yield cells
            continue
        name = join_name(table.get(cells, "first name"), table.get(cells, "last name"))
        url = table.get(cells, "url") or table.get(cells, "profile url")
        email = table.get(cells, "email address")
        company = table.get(cells, "company")
        position = table.get(cells, "position")
        connected = table.get(cells, "connected on")
        if not name and not (url or email or company or position):
            yield Ignored(line, "no name (a member who left LinkedIn)")
            continue
        # No name: the domain names the contact from its e-mail, if any.
        fields: dict[str, object] = {
            "name": name or None,
            "company": company or None,
            "role": position or None,
            "met_via": "linkedin",
        }
        record = ImportRecord(line, fields)
        if connected:
            try:
                fields["met_on"] = connected_on(connected, today=today)
            except InvalidInput as exc:
                record.warnings.append(("Connected On", connected, exc.message))
        if url:
            record.channels.append(("linkedin", url, None))
        if email:
            record.channels.append(("email", email, None))
        yield record
