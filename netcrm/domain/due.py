"""What needs attention: the rows of ``netcrm due``, and ``done`` / ``snooze``.

The list is the union of independent *sources*, one per kind of row, each a
:class:`DueKind` registered in :data:`KINDS`: it knows how to fetch its rows
up to a date, how to fetch one row by id (for handles), and what ``done`` and
``snooze`` do to it. A new kind of due item is one more entry; nothing else
changes. Every source is an indexed range query whose cost follows the number
of rows it returns, never the size of the network (issue 3):

- ``followup`` — open follow-ups, partial index ``ix_followup_open_due``;
- ``step`` — dated open steps of ideas still in play (not done, declined or
  dropped), partial index ``ix_idea_step_open_due``;
- ``keep-in-touch`` — contacts whose cadence has run out, on the cached
  ``contact.next_touch`` (counted from the last interaction, or from the day
  the contact was added; kept current by ``contacts.refresh_touch``);
- ``birthday`` — ``(birthday_month, birthday_day)`` ranges of the index
  ``ix_contact_birthday``, one per month of the window, split at the year end.

Archived contacts are left out of every source (an idea's step stays, without
them).

**Handles** are short, typed and stable: a letter for the kind and the id of
the row it comes from — ``f12`` follow-up 12 (a bare ``12`` is a follow-up
too), ``s3`` idea step 3, ``k7`` keeping in touch with contact 7, ``b7`` the
birthday of contact 7. They do not change when the list does, so a handle read
in the morning still names the same thing in the evening.

**Birthdays**: 29 February falls on 28 February in other years; a birthday
without a year shows all the same. ``done`` marks the birthday wished for its
year (``birthday_wished_year``); ``snooze`` moves the row to a day from the
birthday up to :data:`BIRTHDAY_SNOOZE_DAYS` later (``birthday_snoozed_to``). An
unwished birthday stays in *Overdue* for :data:`BIRTHDAY_GRACE_DAYS` days — a
belated wish still counts — and then leaves the list until next year. Both
bounds keep the birthday source a range query.

**Sections**: ``overdue`` (before today), ``today``, ``coming`` (up to
``today + within_days``). Rows are ordered most overdue first, then by kind in
the order of :data:`KINDS`, then by text.

**Done and snooze**: a follow-up is completed (see :mod:`netcrm.domain.followups`
for recurrences); a step is marked done; a keep-in-touch row logs an
interaction (``--via`` or the contact's preferred channel), which resets the
clock; a birthday is marked wished. ``log`` also logs an interaction for a
follow-up, a step or a birthday; a note or a channel given for a step or a
birthday implies it, since it would have nowhere else to go. Snoozing moves a
follow-up's or step's due date, sets ``contact.next_touch`` (until the next
interaction recomputes it) or the birthday's snooze date; without a date it
moves to tomorrow, or to the day after the row's date when that is later.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from netcrm.dates import describe_cadence, describe_relative
from netcrm.domain import labels
from netcrm.errors import InvalidInput, NotFound
from netcrm.text import normalize

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.store.reader import Reader

DEFAULT_WITHIN_DAYS = 7
BIRTHDAY_GRACE_DAYS = 7
BIRTHDAY_SNOOZE_DAYS = 30
# Ideas in these statuses no longer need their steps done.
CLOSED_IDEA_STATUSES = ("done", "declined", "dropped")

DUE_KEYS: tuple[str, ...] = (
    "handle",
    "kind",
    "text",
    "contact",
    "contact_id",
    "due",
    "days_overdue",
    "section",
    "when",
    "channel",
)


@dataclass(frozen=True)
class DueItem:
    """One row of ``netcrm due``."""

    handle: str
    kind: str
    ref_id: int  # the follow-up, step or contact id behind the handle
    text: str
    contact: str | None
    contact_id: int | None
    due: date
    days_overdue: int
    section: str
    when: str
    channel: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` / ``--csv`` row (keys :data:`DUE_KEYS`)."""
        return {
            "handle": self.handle,
            "kind": self.kind,
            "text": self.text,
            "contact": self.contact,
            "contact_id": self.contact_id,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue,
            "section": self.section,
            "when": self.when,
            "channel": self.channel,
        }


def section_of(days_overdue: int) -> str:
    if days_overdue > 0:
        return "overdue"
    return "today" if days_overdue == 0 else "coming"


def _item(
    kind: DueKind,
    ref_id: int,
    text: str,
    due: date,
    *,
    today: date,
    contact: str | None = None,
    contact_id: int | None = None,
) -> DueItem:
    days = (today - due).days
    return DueItem(
        handle=f"{kind.prefix}{ref_id}",
        kind=kind.kind,
        ref_id=ref_id,
        text=text,
        contact=contact,
        contact_id=contact_id,
        due=due,
        days_overdue=days,
        section=section_of(days),
        when=describe_relative(due, today=today),
    )


def _day(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class DoneOptions:
    """What ``netcrm done`` was told besides the handle."""

    note: str | None = None
    log: bool = False
    via: str | None = None  # an interaction channel, already checked


# fetch(reader, today=, until=, ref_id=, limit=): rows due up to ``until`` (at
# least ``limit`` of them if there are, for ``--check``), or the one open row
# ``ref_id`` whatever its date (``until`` then ignored).
Fetch = Callable[..., list[DueItem]]
Done = Callable[["Session", DueItem, DoneOptions, date, datetime], str]
Snooze = Callable[["Session", DueItem, date, date, datetime], str]


@dataclass(frozen=True)
class DueKind:
    kind: str
    prefix: str
    label: str  # "follow-up", in messages
    fetch: Fetch
    done: Done
    snooze: Snooze


# --- follow-ups ---------------------------------------------------------------------


def _fetch_followups(
    reader: Reader, *, today: date, until: date, ref_id: int | None = None, limit: int | None = None
) -> list[DueItem]:
    # ``f.done_at IS NULL`` is spelt out so SQLite uses the partial index. A
    # handle reaches a follow-up of an archived contact too (``followups``
    # lists it); only the daily list leaves those out.
    if ref_id is not None:
        where = "f.id = :id"
    else:
        where = "f.due <= :until AND (f.contact_id IS NULL OR c.archived = :archived)"
    rows = reader.rows(
        "SELECT f.id, f.text, f.due, f.contact_id, c.name AS contact "
        "FROM followup f LEFT JOIN contact c ON c.id = f.contact_id "
        f"WHERE f.done_at IS NULL AND {where}" + _limit(limit),
        {"until": until.isoformat(), "id": ref_id, "archived": False, "limit": limit},
    )
    return [
        _item(
            FOLLOWUP,
            r["id"],
            r["text"],
            _day(r["due"]),
            today=today,
            contact=r["contact"],
            contact_id=r["contact_id"],
        )
        for r in rows
    ]


def _done_followup(
    session: Session, item: DueItem, options: DoneOptions, today: date, now: datetime
) -> str:
    from netcrm.domain.followups import complete_followup

    log_with = [item.contact_id] if item.contact_id is not None else []
    logging = options.log or options.via is not None
    if logging and not log_with:
        raise InvalidInput(f"follow-up {item.handle} concerns no one; there is nobody to log with")
    done = complete_followup(session, item.ref_id, today=today, now=now, note=options.note)
    if logging:
        _log(session, log_with, options.note or item.text, options, today, now)
    if done.next_due is not None:
        return (
            f"Done: {item.handle} {item.text}; next on {done.next_due.isoformat()} "
            f"({describe_relative(done.next_due, today=today)})"
        )
    return f"Done: {item.handle} {item.text}"


def _snooze_followup(
    session: Session, item: DueItem, when: date, today: date, now: datetime
) -> str:
    from netcrm.domain.followups import snooze_followup

    snooze_followup(session, item.ref_id, when, today=today, now=now)
    return _snoozed(item, when, today)


# --- idea steps ---------------------------------------------------------------------


def _fetch_steps(
    reader: Reader, *, today: date, until: date, ref_id: int | None = None, limit: int | None = None
) -> list[DueItem]:
    where = "s.id = :id" if ref_id is not None else "s.due <= :until"
    closed, params = _named("st", CLOSED_IDEA_STATUSES)
    rows = reader.rows(
        "SELECT s.id, s.text, s.due, i.id AS idea_id, i.title "
        "FROM idea_step s JOIN idea i ON i.id = s.idea_id "
        f"WHERE s.done_at IS NULL AND s.due IS NOT NULL AND {where} "
        f"AND i.status NOT IN ({closed})" + _limit(limit),
        {"until": until.isoformat(), "id": ref_id, "limit": limit, **params},
    )
    people = _idea_contacts(reader, sorted({r["idea_id"] for r in rows}))
    items = []
    for r in rows:
        names = people.get(r["idea_id"], [])
        items.append(
            _item(
                STEP,
                r["id"],
                f"{r['text']} (idea #{r['idea_id']}: {r['title']})",
                _day(r["due"]),
                today=today,
                contact=", ".join(n for _, n in names) or None,
                contact_id=names[0][0] if names else None,
            )
        )
    return items


def _idea_contacts(reader: Reader, idea_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """Active contacts of each idea, by name: (id, name)."""
    result: dict[int, list[tuple[int, str]]] = {}
    for part in labels.chunks(list(idea_ids)):
        placeholders, params = labels.in_clause(part)
        for r in reader.rows(
            "SELECT ic.idea_id, c.id, c.name FROM idea_contact ic "
            "JOIN contact c ON c.id = ic.contact_id "
            f"WHERE ic.idea_id IN ({placeholders}) AND c.archived = :archived "
            "ORDER BY ic.idea_id, c.name_norm, c.id",
            {**params, "archived": False},
        ):
            result.setdefault(r["idea_id"], []).append((r["id"], r["name"]))
    return result


def _done_step(
    session: Session, item: DueItem, options: DoneOptions, today: date, now: datetime
) -> str:
    from netcrm.domain.models import IdeaStep

    logging = options.log or options.note is not None or options.via is not None
    step = session.get(IdeaStep, item.ref_id)
    assert step is not None  # resolved in this transaction
    ids = _step_contact_ids(session, step.idea_id) if logging else []
    if logging and not ids:
        raise InvalidInput(f"the idea of step {item.handle} involves no one to log with")
    step.done_at = now
    session.add(step)
    session.flush()
    if logging:
        _log(session, ids, options.note or step.text, options, today, now)
    return f"Done: {item.handle} {step.text}"


def _step_contact_ids(session: Session, idea_id: int) -> list[int]:
    rows = _session_reader(session).rows(
        "SELECT ic.contact_id FROM idea_contact ic JOIN contact c ON c.id = ic.contact_id "
        "WHERE ic.idea_id = :idea AND c.archived = :archived ORDER BY c.name_norm, c.id",
        {"idea": idea_id, "archived": False},
    )
    return [int(r["contact_id"]) for r in rows]


def _snooze_step(session: Session, item: DueItem, when: date, today: date, now: datetime) -> str:
    from netcrm.domain.models import IdeaStep

    step = session.get(IdeaStep, item.ref_id)
    assert step is not None
    step.due = when
    session.add(step)
    session.flush()
    return _snoozed(item, when, today)


# --- keep in touch -----------------------------------------------------------------


def _fetch_keep_in_touch(
    reader: Reader, *, today: date, until: date, ref_id: int | None = None, limit: int | None = None
) -> list[DueItem]:
    params: dict[str, Any]
    if ref_id is not None:
        where, params = "id = :id AND cadence IS NOT NULL", {"id": ref_id}
    else:
        where = "next_touch <= :until AND archived = :archived"
        params = {"until": until.isoformat(), "archived": False}
    rows = reader.rows(
        "SELECT id, name, cadence, next_touch, last_contact FROM contact "
        f"WHERE next_touch IS NOT NULL AND {where}" + _limit(limit),
        {**params, "limit": limit},
    )
    items = []
    for r in rows:
        since = (
            f"last contact {str(r['last_contact'])[:10]}"
            if r["last_contact"]
            else "never contacted"
        )
        items.append(
            _item(
                KEEP_IN_TOUCH,
                r["id"],
                f"Keep in touch ({_describe_cadence(r['cadence'])}; {since})",
                _day(r["next_touch"]),
                today=today,
                contact=r["name"],
                contact_id=r["id"],
            )
        )
    return items


def _done_keep_in_touch(
    session: Session, item: DueItem, options: DoneOptions, today: date, now: datetime
) -> str:
    assert item.contact_id is not None
    _log(session, [item.contact_id], options.note or "Kept in touch", options, today, now)
    from netcrm.domain.models import Contact

    contact = session.get(Contact, item.contact_id)
    following = contact.next_touch if contact is not None else None
    tail = f"; next on {following.isoformat()}" if following else ""
    return f"Done: {item.handle} kept in touch with {item.contact}{tail}"


def _snooze_keep_in_touch(
    session: Session, item: DueItem, when: date, today: date, now: datetime
) -> str:
    from netcrm.domain.contacts import get_contact

    contact = get_contact(session, item.ref_id)
    contact.next_touch = when
    session.add(contact)
    session.flush()
    return _snoozed(item, when, today)


# --- birthdays ------------------------------------------------------------------------


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
            snoozed_to=_day(r["birthday_snoozed_to"]) if r["birthday_snoozed_to"] else None,
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
        items[r["id"]] = _item(
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
        _log(session, [item.ref_id], options.note or "Birthday wishes", options, today, now)
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
    return _snoozed(item, when, today)


# --- the registry -------------------------------------------------------------------

FOLLOWUP = DueKind("followup", "f", "follow-up", _fetch_followups, _done_followup, _snooze_followup)
STEP = DueKind("step", "s", "idea step", _fetch_steps, _done_step, _snooze_step)
KEEP_IN_TOUCH = DueKind(
    "keep-in-touch",
    "k",
    "keep-in-touch",
    _fetch_keep_in_touch,
    _done_keep_in_touch,
    _snooze_keep_in_touch,
)
BIRTHDAY = DueKind("birthday", "b", "birthday", _fetch_birthdays, _done_birthday, _snooze_birthday)

# The order of this tuple is the order of kinds within a day.
KINDS: tuple[DueKind, ...] = (FOLLOWUP, STEP, KEEP_IN_TOUCH, BIRTHDAY)
KIND_NAMES: tuple[str, ...] = tuple(k.kind for k in KINDS)
_BY_PREFIX = {k.prefix: k for k in KINDS}


# --- reads -------------------------------------------------------------------------


def due_items(
    reader: Reader, *, today: date, within_days: int = DEFAULT_WITHIN_DAYS
) -> list[DueItem]:
    """Everything overdue, due today, or due within ``within_days`` days."""
    if within_days < 0:
        raise InvalidInput("--within cannot be negative; try 7d")
    until = today + timedelta(days=within_days)
    items = [item for kind in KINDS for item in kind.fetch(reader, today=today, until=until)]
    order = {name: n for n, name in enumerate(KIND_NAMES)}
    items.sort(
        key=lambda i: (
            i.due,
            order[i.kind],
            _sortable(i.text),
            _sortable(i.contact or ""),
            i.ref_id,
        )
    )
    return with_channels(reader, items)


# A network has a handful of distinct cadences: describe each once.
_describe_cadence = lru_cache(maxsize=64)(describe_cadence)


def _sortable(text: str) -> str:
    # ``normalize`` costs a Unicode decomposition; most texts are plain ASCII.
    return text.casefold() if text.isascii() else normalize(text)


def anything_due(reader: Reader, *, today: date) -> bool:
    """Is anything overdue or due today? (``due --check``)"""
    return any(kind.fetch(reader, today=today, until=today, limit=1) for kind in KINDS)


def has_contacts(reader: Reader) -> bool:
    return bool(reader.rows("SELECT id FROM contact LIMIT 1"))


def with_channels(reader: Reader, items: list[DueItem]) -> list[DueItem]:
    """Fill in each row's preferred channel: the contact's first, e.g.
    ``email: lea@ex.fr`` (an ``other`` channel is named by its label)."""
    ids = sorted({i.contact_id for i in items if i.contact_id is not None})
    first: dict[int, str] = {}
    for part in labels.chunks(ids):
        placeholders, params = labels.in_clause(part)
        for r in reader.rows(
            "SELECT contact_id, kind, value, label FROM channel "
            f"WHERE contact_id IN ({placeholders}) ORDER BY contact_id, position, id",
            params,
        ):
            if r["contact_id"] not in first:
                name = r["label"] if r["kind"] == "other" and r["label"] else r["kind"]
                first[r["contact_id"]] = f"{name}: {r['value']}"
    return [
        replace(i, channel=first.get(i.contact_id)) if i.contact_id is not None else i
        for i in items
    ]


_HANDLE = re.compile(r"^([a-z])?#?(\d+)$")


def parse_handle(text: str) -> tuple[DueKind, int]:
    """(kind, id) of ``f12``, ``s3``, ``k7``, ``b7`` or ``12`` (a follow-up)."""
    match = _HANDLE.match(text.strip().casefold())
    kind = _BY_PREFIX.get(match.group(1) or "f") if match else None
    if match is None or kind is None:
        raise InvalidInput(
            f"{text!r} is not a handle; use one shown by netcrm due: f12 (follow-up), "
            "s3 (idea step), k7 (keep in touch), b7 (birthday)"
        )
    return kind, int(match.group(2))


def resolve_handle(reader: Reader, handle: str, *, today: date) -> DueItem:
    """The open row a handle names, whatever its date; NotFound otherwise."""
    kind, ref_id = parse_handle(handle)
    found = kind.fetch(reader, today=today, until=today, ref_id=ref_id)
    if not found:
        raise NotFound(
            f"no open {kind.label} {kind.prefix}{ref_id}; the handles are in: netcrm due"
        )
    return with_channels(reader, found)[0]


# --- writes ------------------------------------------------------------------------


def complete_item(
    session: Session,
    item: DueItem,
    options: DoneOptions,
    *,
    today: date,
    now: datetime,
) -> str:
    """``netcrm done``: see the module docstring; returns a message for people."""
    kind = _BY_PREFIX[item.handle[0]]
    return kind.done(session, item, options, today, now)


def snooze_item(
    session: Session, item: DueItem, when: date | None, *, today: date, now: datetime
) -> str:
    """``netcrm snooze``: move the row to ``when`` (default: the day after today
    or after the row's date, whichever is later); returns a message."""
    target = when or max(today, item.due) + timedelta(days=1)
    if target < today:
        raise InvalidInput(f"cannot snooze to {target.isoformat()}, which is past")
    kind = _BY_PREFIX[item.handle[0]]
    return kind.snooze(session, item, target, today, now)


def _snoozed(item: DueItem, when: date, today: date) -> str:
    return f"Snoozed {item.handle} to {when.isoformat()} ({describe_relative(when, today=today)})"


def _session_reader(session: Session) -> Reader:
    from netcrm.store.reader import SqlAlchemyReader

    return SqlAlchemyReader(session)


def _log(
    session: Session,
    contact_ids: Sequence[int],
    summary: str,
    options: DoneOptions,
    today: date,
    now: datetime,
) -> None:
    """Log an interaction with the contacts, today, on ``options.via`` or the
    first contact's preferred channel; this resets their keep-in-touch clocks."""
    from netcrm.domain.interactions import (
        InteractionInput,
        log_interaction,
        preferred_interaction_channel,
    )

    channel = options.via
    if channel is None:
        kinds = _session_reader(session).rows(
            "SELECT kind FROM channel WHERE contact_id = :cid ORDER BY position, id",
            {"cid": contact_ids[0]},
        )
        channel = preferred_interaction_channel([r["kind"] for r in kinds])
    log_interaction(
        session,
        InteractionInput(contact_ids=list(contact_ids), summary=summary, on=today, channel=channel),
        now=now,
    )


def _limit(limit: int | None) -> str:
    return "" if limit is None else " LIMIT :limit"


def _named(prefix: str, values: Sequence[str]) -> tuple[str, dict[str, str]]:
    names = [f"{prefix}{n}" for n in range(len(values))]
    return ", ".join(f":{n}" for n in names), dict(zip(names, values, strict=True))
