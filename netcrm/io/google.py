"""Google Contacts CSV (contacts.google.com → Export → Google CSV).

Columns are mapped by header name, for both header sets Google has used:

- current: ``First Name``, ``Middle Name``, ``Last Name``, ``Organization
  Name``, ``Organization Title``, ``Labels``, ``E-mail 1 - Label``,
  ``E-mail 1 - Value``, ``Phone 1 - Value``, ``Address 1 - City``,
  ``Website 1 - Value`` …;
- legacy: ``Name``, ``Given Name``, ``Additional Name``, ``Family Name``,
  ``Group Membership``, ``E-mail 1 - Type``, ``Organization 1 - Name``,
  ``Organization 1 - Title``, ``Location`` ….

Numbered groups (``Phone 7 - Value``) are read whatever their count, and a
cell may hold several values separated by ``:::`` (Google's way of packing a
second address of the same label). Labels (groups) become tags, except the
system group ``* myContacts`` every contact is in; the ``* `` of other system
groups (``* starred``) is dropped. A phone labelled WhatsApp becomes a
whatsapp channel, a LinkedIn or Facebook URL a channel of that kind, an IM
address an ``other`` channel labelled with its service. Notes keep their lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from netcrm.errors import InvalidInput
from netcrm.io.records import CsvTable, ImportRecord, Item, RowError, join_name, url_channel

_NUMBERED = re.compile(r"^(.+?) (\d+) - (.+)$")
_SYSTEM_GROUPS = frozenset({"mycontacts", "my contacts"})


def is_header(keys: list[str]) -> bool:
    names = set(keys)
    if {"given name", "family name"} <= names or "group membership" in names:
        return True
    return {"first name", "last name"} <= names and (
        "organization name" in names or "labels" in names or "e-mail 1 - value" in names
    )


def split_values(text: str) -> list[str]:
    return [part.strip() for part in text.split(":::") if part.strip()]


def _groups(table: CsvTable) -> dict[str, dict[int, dict[str, list[int]]]]:
    """``{"phone": {1: {"value": [cols], "label": [cols]}}}`` from the header."""
    groups: dict[str, dict[int, dict[str, list[int]]]] = {}
    for i, key in enumerate(table.header):
        match = _NUMBERED.match(key)
        if match:
            group, number, part = match.group(1), int(match.group(2)), match.group(3)
            part = "label" if part == "type" else part
            groups.setdefault(group, {}).setdefault(number, {}).setdefault(part, []).append(i)
    return groups


def _cell(cells: list[str], columns: dict[str, list[int]], part: str) -> str:
    for i in columns.get(part, ()):
        if cells[i].strip():
            return cells[i].strip()
    return ""


def read(table: CsvTable, *, today: date) -> Iterator[Item]:
    from netcrm.dates import parse_birthday

    groups = _groups(table)
    for line, cells in table.rows():
        if isinstance(cells, RowError):
            yield cells
            continue
        record = ImportRecord(line, {})
        fields = record.fields

        organization = groups.get("organization", {})
        first_org = organization[min(organization)] if organization else {}
        fields["company"] = table.get(cells, "organization name") or _cell(cells, first_org, "name")
        fields["role"] = table.get(cells, "organization title") or _cell(cells, first_org, "title")

        for number in sorted(groups.get("e-mail", {})):
            for value in split_values(_cell(cells, groups["e-mail"][number], "value")):
                record.channels.append(("email", value, None))
        for number in sorted(groups.get("phone", {})):
            columns = groups["phone"][number]
            label = _cell(cells, columns, "label").casefold()
            kind = "whatsapp" if "whatsapp" in label else "phone"
            for value in split_values(_cell(cells, columns, "value")):
                record.channels.append((kind, value, None))
        for number in sorted(groups.get("website", {})):
            for value in split_values(_cell(cells, groups["website"][number], "value")):
                record.channels.append(url_channel(value))
        for number in sorted(groups.get("im", {})):
            columns = groups["im"][number]
            service = _cell(cells, columns, "service").casefold() or None
            for value in split_values(_cell(cells, columns, "value")):
                record.channels.append(("other", value, service))

        name = table.get(cells, "name") or join_name(
            table.get(cells, "first name") or table.get(cells, "given name"),
            table.get(cells, "middle name") or table.get(cells, "additional name"),
            table.get(cells, "last name") or table.get(cells, "family name"),
        )
        name = (
            name
            or table.get(cells, "nickname")
            or table.get(cells, "file as")
            or fields["company"]
            or next((v for k, v, _ in record.channels if k == "email"), "")
        )
        if not name:
            yield RowError(line, "no name, company or e-mail to name the contact by")
            continue
        fields["name"] = name
        fields["location"] = _location(cells, groups.get("address", {})) or table.get(
            cells, "location"
        )
        notes = table.raw(cells, "notes").strip()
        fields["notes"] = notes or None

        birthday = table.get(cells, "birthday")
        if birthday:
            try:
                year, month, day = parse_birthday(birthday, today=today)
                fields.update(birthday_year=year, birthday_month=month, birthday_day=day)
            except InvalidInput as exc:
                record.warnings.append(("Birthday", birthday, exc.message))

        for value in (table.get(cells, "labels"), table.get(cells, "group membership")):
            for label in split_values(value):
                tag = label.removeprefix("*").strip()
                if tag and tag.casefold() not in _SYSTEM_GROUPS:
                    record.tags.append(tag)
        for key in ("company", "role", "location"):
            fields[key] = fields[key] or None
        yield record


def _location(cells: list[str], addresses: dict[int, dict[str, list[int]]]) -> str:
    """City, region, country of the first address that has any, else its
    formatted text on one line."""
    for number in sorted(addresses):
        columns = addresses[number]
        parts = [_cell(cells, columns, p) for p in ("city", "region", "country")]
        place = ", ".join(p for p in parts if p)
        if place:
            return place
        formatted = _cell(cells, columns, "formatted")
        if formatted:
            return ", ".join(line.strip() for line in formatted.splitlines() if line.strip())
    return ""
