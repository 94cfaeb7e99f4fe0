"""Birthdays in ``netcrm due`` (see :mod:`netcrm.domain.due`): the day a
birthday is kept in a year, the rows of a window, ``done`` (wished) and
``snooze``."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from netcrm.domain.due.base import (
    BIRTHDAY_GRACE_DAYS,
    BIRTHDAY_SNOOZE_DAYS,
    DoneOptions,
    DueItem,
    DueKind,
    log_done,
    make_item,
    snoozed,
)
from netcrm.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.store.reader import Reader


def birthday_in(year: int, month: int, day: int) -> date:
    """The day a birthday is kept in ``year``: 29 February is 28 February in
    other years."""
    if (month, day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def birthday_due(
    month: int,
    day: int,
    *,
    wished_year: int | None,
    snoozed_to: date | None,
    today: date,
    until: date,
) -> tuple[date, date] | None:
    """(the day the row shows, the birthday it is for) of the earliest birthday
    not yet wished whose row falls between ``today - BIRTHDAY_GRACE_DAYS`` and
    ``until``; None when there is none. A snooze date belongs to the birthday
    it follows by at most :data:`BIRTHDAY_SNOOZE_DAYS` days; older ones are
    ignored."""
    earliest = today - timedelta(days=BIRTHDAY_GRACE_DAYS + BIRTHDAY_SNOOZE_DAYS)
    for year in range(earliest.year, until.year + 1):
        birthday = birthday_in(year, month, day)
        if not earliest <= birthday <= until:
            continue
        if wished_year is not None and year <= wished_year:
            continue
        shown = birthday
        if snoozed_to is not None and 0 <= (snoozed_to - birthday).days <= BIRTHDAY_SNOOZE_DAYS:
            shown = snoozed_to
        if today - timedelta(days=BIRTHDAY_GRACE_DAYS) <= shown <= until:
            return shown, birthday
    return None


def birthday_ranges(first: date, last: date) -> list[tuple[int, int, int]]:
    """(month, first day, last day) ranges covering the birthdays kept from
    ``first`` to ``last``: one per month, split at the year end, 29 February
    included where a non-leap 28 February is."""
    if (last - first).days >= 365:
        return [(month, 1, 31) for month in range(1, 13)]
    spans: dict[tuple[int, int], list[int]] = {}
    day = first
    while day <= last:
        span = spans.setdefault((day.year, day.month), [day.day, day.day])
        span[1] = day.day
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            span[1] = 29
        day += timedelta(days=1)
    return [(month, lo, hi) for (_, month), (lo, hi) in spans.items()]


_BIRTHDAY_COLUMNS = (
    "SELECT id, name, birthday_year, birthday_month, birthday_day, "
    "birthday_wished_year, birthday_snoozed_to FROM contact "
)


def _fetch_birthdays(
    reader: Reader, *, today: date, until: date, ref_id: int | None = None, limit: int | None = None
) -> list[DueItem]:
    # ``limit`` cannot apply in SQL here: a row found may be wished already.
    if ref_id is not None:
        # One contact: its next birthday row, however far.
        until = today + timedelta(days=366 + BIRTHDAY_SNOOZE_DAYS)
        rows = reader.rows(
            _BIRTHDAY_COLUMNS + "WHERE id = :id AND birthday_month IS NOT NULL", {"id": ref_id}
        )
    else:
        first = today - timedelta(days=BIRTHDAY_GRACE_DAYS + BIRTHDAY_SNOOZE_DAYS)
        parts: list[str] = []
        params: dict[str, Any] = {"archived": False}
        for n, (month, lo, hi) in enumerate(birthday_ranges(first, until)):
            parts.append(
                _BIRTHDAY_COLUMNS + f"WHERE birthday_month = :m{n} "
                f"AND birthday_day BETWEEN :lo{n} AND :hi{n} AND archived = :archived"
            )
            params.update({f"m{n}": month, f"lo{n}": lo, f"hi{n}": hi})
        rows = reader.rows(" UNION ALL ".join(parts), params) if parts else []
    items: dict[int, DueItem] = {}
    for r in rows:
        found = birthday_due(
            r["birthday_month"],
            r["birthday_day"],
            wished_year=r["birthday_wished_year"],
            snoozed_to=r["birthday_snoozed_to"],
            today=today,
            until=until,
        )
        if found is None:
            continue
        shown, birthday = found
        text = "Birthday"
        if r["birthday_year"]:
            text += f", turns {birthday.year - r['birthday_year']}"
        if shown != birthday:
            text += f" (snoozed from {birthday.isoformat()})"
        items[r["id"]] = make_item(
            BIRTHDAY,
            r["id"],
            text,
            shown,
            today=today,
            contact=r["name"],
            contact_id=r["id"],
        )
    return list(items.values())


def _current_birthday(session: Session, contact_id: int, today: date) -> tuple[Any, date, date]:
    """(contact, shown day, birthday) of the birthday row a handle names."""
    from netcrm.domain.contacts import get_contact

    contact = get_contact(session, contact_id)
    found = None
    if contact.birthday_month is not None and contact.birthday_day is not None:
        found = birthday_due(
            contact.birthday_month,
            contact.birthday_day,
            wished_year=contact.birthday_wished_year,
            snoozed_to=contact.birthday_snoozed_to,
            today=today,
            until=today + timedelta(days=366 + BIRTHDAY_SNOOZE_DAYS),
        )
    if found is None:
        raise NotFound(f"no birthday to wish for b{contact_id}")
    return contact, found[0], found[1]


def _done_birthday(
    session: Session, item: DueItem, options: DoneOptions, today: date, now: datetime
) -> str:
    contact, _, birthday = _current_birthday(session, item.ref_id, today)
    contact.birthday_wished_year = birthday.year
    contact.birthday_snoozed_to = None
    session.add(contact)
    session.flush()
    if options.log or options.note is not None or options.via is not None:
        log_done(session, [item.ref_id], options.note or "Birthday wishes", options, today, now)
    return f"Done: {item.handle} wished {item.contact} a happy birthday"


def _snooze_birthday(
    session: Session, item: DueItem, when: date, today: date, now: datetime
) -> str:
    contact, _, birthday = _current_birthday(session, item.ref_id, today)
    latest = birthday + timedelta(days=BIRTHDAY_SNOOZE_DAYS)
    if not birthday <= when <= latest:
        raise InvalidInput(
            f"a birthday can be snoozed from its day up to {BIRTHDAY_SNOOZE_DAYS} days later "
            f"({birthday.isoformat()} to {latest.isoformat()}); for later, use: "
            f'netcrm remind {item.ref_id} "Belated birthday wishes" --on DATE'
        )
    contact.birthday_snoozed_to = when
    session.add(contact)
    session.flush()
    return snoozed(item, when, today)


BIRTHDAY = DueKind("birthday", "b", "birthday", _fetch_birthdays, _done_birthday, _snooze_birthday)
