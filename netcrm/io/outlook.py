"""Outlook's CSV export (File → Open & Export → Export to a file → Comma
Separated Values), English headers:

``First Name,Middle Name,Last Name,Title,Suffix,…,Company,Department,Job
Title,Business Street,…,Business City,Business State,…,Business
Country/Region,…,Business Phone,Business Phone 2,Mobile Phone,Home Phone,…,
Birthday,Categories,…,E-mail Address,E-mail Display Name,E-mail 2 Address,
E-mail 3 Address,…,Notes,…,Web Page``.

Phones, e-mails and the web page become channels (a LinkedIn or Facebook URL
a channel of that kind); the business address (else the home one) gives the
location; ``Birthday`` is month/day/year, and Outlook's ``0/0/00`` means none;
``Categories`` (separated by ``;``) become tags. A value that cannot be read
(a phone cell holding ``BusinessPhone``, as Outlook 2003 wrote) is left to the
domain, which drops that field with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from netcrm.errors import InvalidInput
from netcrm.io.records import (
    CsvTable,
    ImportRecord,
    Item,
    RowError,
    join_name,
    url_channel,
    us_date,
)

PHONES = (
    "mobile phone",
    "business phone",
    "business phone 2",
    "home phone",
    "home phone 2",
    "other phone",
    "primary phone",
    "company main phone",
    "car phone",
)
EMAILS = ("e-mail address", "e-mail 2 address", "e-mail 3 address")
_NO_DATE = frozenset({"0/0/00", "0/0/0000", "00/00/00", "00/00/0000"})


def is_header(keys: list[str]) -> bool:
    names = set(keys)
    return {"first name", "last name"} <= names and (
        "e-mail address" in names or "job title" in names or "business phone" in names
    )


def _place(table: CsvTable, cells: list[str], where: str) -> str:
    parts = [table.get(cells, f"{where} {p}") for p in ("city", "state", "country/region")]
    return ", ".join(p for p in parts if p)


def read(table: CsvTable, *, today: date) -> Iterator[Item]:
    from netcrm.dates import parse_birthday

    for line, cells in table.rows():
        if isinstance(cells, RowError):
            yield cells
            continue
        name = join_name(
            table.get(cells, "first name"),
            table.get(cells, "middle name"),
            table.get(cells, "last name"),
        )
        company = table.get(cells, "company")
        record = ImportRecord(
            line,
            {
                # No name: the company, else the domain names it from its e-mail.
                "name": name or company or None,
                "company": company or None,
                "role": table.get(cells, "job title") or None,
                "location": _place(table, cells, "business")
                or _place(table, cells, "home")
                or None,
                "notes": table.raw(cells, "notes").strip() or None,
            },
        )
        for column in EMAILS:
            for value in table.get_all(cells, column):
                record.channels.append(("email", value, None))
        for column in PHONES:
            for value in table.get_all(cells, column):
                record.channels.append(("phone", value, None))
        for value in table.get_all(cells, "web page"):
            record.channels.append(url_channel(value))
        birthday = table.get(cells, "birthday")
        if birthday and birthday not in _NO_DATE:
            try:
                year, month, day = parse_birthday(us_date(birthday, today), today=today)
                record.fields.update(birthday_year=year, birthday_month=month, birthday_day=day)
            except InvalidInput as exc:
                record.warnings.append(("Birthday", birthday, exc.message))
        for category in table.get(cells, "categories").split(";"):
            if category.strip():
                record.tags.append(category.strip())
        yield record
