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

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from netcrm.domain.due.base import (
    BIRTHDAY_GRACE_DAYS,
    BIRTHDAY_SNOOZE_DAYS,
    DEFAULT_WITHIN_DAYS,
    DUE_KEYS,
    DoneOptions,
    DueItem,
    DueKind,
    section_of,
)
from netcrm.domain.due.birthdays import BIRTHDAY
from netcrm.domain.due.sources import FOLLOWUP, KEEP_IN_TOUCH, STEP
from netcrm.errors import InvalidInput, NotFound
from netcrm.store.query import rows_for
from netcrm.text import normalize

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.store.reader import Reader

__all__ = [
    "BIRTHDAY_GRACE_DAYS",
    "BIRTHDAY_SNOOZE_DAYS",
    "DEFAULT_WITHIN_DAYS",
    "DUE_KEYS",
    "KINDS",
    "DoneOptions",
    "DueItem",
    "DueKind",
    "anything_due",
    "complete_item",
    "due_items",
    "has_contacts",
    "parse_handle",
    "resolve_handle",
    "section_of",
    "snooze_item",
    "with_channels",
]

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
    sql = (
        "SELECT contact_id, kind, value, label FROM channel "
        "WHERE contact_id IN ({ids}) ORDER BY contact_id, position, id"
    )
    for r in rows_for(reader, sql, ids):
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
