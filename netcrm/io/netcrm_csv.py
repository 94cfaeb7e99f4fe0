"""netcrm's own CSV (the round trip of ``netcrm export contacts``), and any CSV
described with ``--map``.

netcrm's CSV has one column per key of the contact record (``name``,
``emails``, ``phones``, ``company``, ``tags``, ``keys`` …, see
``netcrm.domain.contact_views.RECORD_KEYS``), lists joined by ``; ``. It is
recognised by those headers (:func:`is_header`): a file with only some of them
(``name,emails,company``) imports too, as long as it has ``name``; a file with
other columns too only when one of its columns is netcrm's own rather than
generic (``ID,Name,Phone,E-mail`` is not netcrm's). ``id``, ``last_contact``,
``next_touch`` and ``updated_at`` are computed by netcrm and ignored;
``created_at`` is kept, so a network exported and imported into a new
database keeps its history (and its keep-in-touch dates).

Every cell first loses the ``'`` that export puts before a cell a spreadsheet
would run as a formula (``netcrm.io.csvcells``), so ``+33 6 …`` comes back as
it left. List cells are split on ``;``.

``--map "Full name=name,Mail=emails,Job=role"`` maps any other CSV's headers
(case-insensitive) to these fields, plus ``first_name`` / ``last_name``
(joined into the name) and the singular ``email``, ``phone``, ``website``,
``tag``, ``key``. Unmapped columns are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from netcrm.errors import InvalidInput
from netcrm.io.csvcells import unneutralize
from netcrm.io.records import CsvTable, ImportRecord, Item, RowError, header_key, join_name

# The record's channel lists and the channel kind each holds.
CHANNEL_COLUMNS = {
    "emails": "email",
    "phones": "phone",
    "linkedin": "linkedin",
    "whatsapp": "whatsapp",
    "facebook": "facebook",
    "websites": "website",
}
TEXT_COLUMNS = ("name", "company", "role", "location", "met_via", "relationship", "warmth")
IMPORTED = (
    *TEXT_COLUMNS,
    *CHANNEL_COLUMNS,
    "other_channels",
    "met_on",
    "birthday",
    "bigger",
    "every",
    "tags",
    "keys",
    "notes",
    "archived",
    "created_at",
)
# Record keys netcrm computes: present in its CSV, never imported.
COMPUTED = ("id", "last_contact", "next_touch", "updated_at")
ALIASES = {
    "email": "emails",
    "phone": "phones",
    "website": "websites",
    "tag": "tags",
    "key": "keys",
    "other": "other_channels",
}
MAP_TARGETS = (*IMPORTED, "first_name", "last_name", *ALIASES)

_TRUE = frozenset({"1", "true", "yes", "y", "x", "oui", "vrai"})
_FALSE = frozenset({"0", "false", "no", "n", "non", "faux", ""})


def known(header: str) -> bool:
    return header in IMPORTED or header in COMPUTED


# Headers other CSVs have too: a file is netcrm's only with one of its own.
_GENERIC = frozenset({"id", "name", "company", "role", "location", "notes"})


def is_header(keys: list[str]) -> bool:
    """netcrm's own header set: ``name`` and only netcrm's columns; or, with
    other columns too, more of netcrm's, one at least netcrm's own (``emails``,
    ``tags``…, not a generic ``id`` or ``company``). Never two generic columns
    (``ID``, ``Name``) of some other CSV, whose e-mail and phone columns would
    be dropped."""
    names = {k for k in keys if k}
    mine = {k for k in names if known(k)}
    if "name" not in names:
        return False
    return mine == names or (bool(mine - _GENERIC) and len(mine) > len(names - mine))


def parse_mapping(text: str) -> dict[str, str]:
    """``{header key: field}`` from ``"Full name=name,Mail=emails"``."""
    mapping: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        header, sep, target = part.rpartition("=")
        header, target = header_key(header), target.strip().casefold().replace("-", "_")
        if not sep or not header or not target:
            raise InvalidInput(f'cannot read --map item {part.strip()!r}; write "Header=field"')
        if target not in MAP_TARGETS:
            raise InvalidInput(
                f"--map: unknown field {target!r}; use one of {', '.join(MAP_TARGETS)}"
            )
        if header in mapping:
            raise InvalidInput(f"--map names the column {header!r} twice")
        mapping[header] = ALIASES.get(target, target)
    if not mapping:
        raise InvalidInput('--map is empty; write "Header=field,…"')
    if not {"name", "first_name", "last_name"} & set(mapping.values()):
        raise InvalidInput("--map must give a column for name (or first_name / last_name)")
    return mapping


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_flag(text: str) -> bool:
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidInput(f"{text!r} is not yes or no (write 1 or 0)")


def read(table: CsvTable, *, today: date, mapping: dict[str, str] | None = None) -> Iterator[Item]:
    if mapping is None:
        mapping = {h: h for h in table.header if h in IMPORTED}
    # field → the columns feeding it, in file order (duplicate headers included).
    plan: dict[str, list[int]] = {}
    for header, target in mapping.items():
        plan.setdefault(target, []).extend(table.columns(header))
    for columns in plan.values():
        columns.sort()
    for line, cells in table.rows():
        if isinstance(cells, RowError):
            yield cells
            continue
        try:
            yield _record(line, cells, plan, today)
        except InvalidInput as exc:
            name = join_name(*(unneutralize(cells[i]) for i in plan.get("name", [])[:1]))
            yield RowError(line, exc.message, name)


def _values(cells: list[str], columns: list[int]) -> list[str]:
    return [unneutralize(cells[i]) for i in columns if cells[i].strip()]


def _record(line: int, cells: list[str], plan: dict[str, list[int]], today: date) -> ImportRecord:
    from netcrm.dates import parse_birthday, parse_cadence, parse_date
    from netcrm.io.channels import parse_channel_spec

    record = ImportRecord(line, {})
    fields: dict[str, Any] = record.fields
    for target, columns in plan.items():
        values = _values(cells, columns)
        if not values:
            continue
        first = values[0].strip()
        try:
            if target in CHANNEL_COLUMNS:
                kind = CHANNEL_COLUMNS[target]
                record.channels += [(kind, v, None) for text in values for v in split_list(text)]
            elif target == "other_channels":
                for v in (v for text in values for v in split_list(text)):
                    try:
                        record.channels.append(parse_channel_spec(v))
                    except InvalidInput as exc:
                        record.warnings.append((target, v, exc.message))
            elif target == "tags":
                record.tags += [v for text in values for v in split_list(text)]
            elif target == "keys":
                record.keys += [v for text in values for v in split_list(text)]
            elif target == "notes":
                fields["notes"] = values[0]
            elif target in ("first_name", "last_name"):
                fields[target] = first
            elif target == "met_on":
                fields["met_on"] = parse_date(first, today=today, sense="past")
            elif target == "birthday":
                year, month, day = parse_birthday(first, today=today)
                fields.update(birthday_year=year, birthday_month=month, birthday_day=day)
            elif target in ("bigger", "archived"):
                fields[target] = parse_flag(first)
            elif target == "every":
                fields["cadence"] = parse_cadence(first, today=today)
            elif target == "created_at":
                fields["created_at"] = parse_timestamp(first)
            else:
                fields[target] = first
        except InvalidInput as exc:
            # That value only is lost; the rest of the row imports.
            record.warnings.append((target, first, exc.message))
    first_name, last_name = fields.pop("first_name", ""), fields.pop("last_name", "")
    if not fields.get("name"):
        # No name: the domain names the contact from its e-mail, if any.
        fields["name"] = join_name(first_name, last_name) or None
    return record


def parse_timestamp(text: str) -> datetime:
    """A ``created_at`` as netcrm writes it (ISO, seconds); the vCard reader shares it."""
    try:
        return datetime.fromisoformat(text).replace(microsecond=0, tzinfo=None)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a timestamp like 2026-11-27 09:30:00") from None
