"""Follow-ups: things to do by a date, about a contact, an idea, or nothing.

A follow-up is open until it is done (``done_at`` set). It may recur
(``recurrence``, a canonical RRULE body from :func:`netcrm.dates.parse_recurrence`,
anchored on its first due date). Completing a recurring follow-up does two
things, so that history and the schedule both stay true:

- a *done copy* is written — same text, contact, idea, tags and keys, the due
  date that was met, ``done_at`` and the note — which is what ``followups
  --all``, exports and reports see as "done";
- the open row moves to its next occurrence. By default the rule is counted
  from the due date (``dateutil.rrule`` with the due date as DTSTART, so "the
  first Monday of the month" keeps its phase, and "monthly" typed for the 31st
  falls on each month's last day); occurrences already past are skipped,
  because a weekly call missed three times is not owed three times. With
  ``from_done`` it is counted from the day it was done instead (Taskwarrior
  #203), by calendar arithmetic: done on 10 February, "every 3 months" is next
  on 10 May.
- ``UNTIL`` and ``COUNT`` end the series. The open row with its rule is always
  an RFC 5545 series starting at its due date: ``COUNT`` is what is left of it,
  the due date included, so each move lowers it by the occurrences passed
  (skipped ones count, as they are the series' dates; counted from completion,
  each completion is one). When none is left, or none falls before ``UNTIL``,
  completing the follow-up closes it: ``--every "FREQ=DAILY;COUNT=2"`` comes
  back once, then closes.

Handles: a follow-up is ``f12`` (or just ``12``) on the command line, see
:mod:`netcrm.domain.due` for the scheme of every kind of due row.

Reads are plain SQL for the fast read path (:mod:`netcrm.store.reader`); writes
use SQLModel sessions and never commit (the command's transaction does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from netcrm.dates import describe_relative, describe_rule, next_occurrence, parse_recurrence
from netcrm.dates.recurrence import anchor_rule, split_count, with_count
from netcrm.domain import labels
from netcrm.domain.changes import UNSET, given
from netcrm.errors import InvalidInput, NotFound
from netcrm.io.limits import check_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.domain.models import Followup
    from netcrm.store.reader import Reader, Row

# Bounds the catch-up loop of a recurrence (a daily rule ten years overdue is
# 3650 steps); past it the rule is counted from today instead.
_MAX_CATCH_UP = 5000

_HANDLE = re.compile(r"^(?:f|#)?(\d+)$", re.IGNORECASE)


def handle_of(followup_id: int) -> str:
    return f"f{followup_id}"


def parse_followup_id(text: str) -> int:
    """``f12``, ``12`` or ``#12`` → 12."""
    match = _HANDLE.match(text.strip())
    if not match:
        raise InvalidInput(f"{text!r} is not a follow-up; use its handle, e.g. f12")
    return int(match.group(1))


# --- writes -------------------------------------------------------------------------


@dataclass
class FollowupInput:
    """A new follow-up. ``every`` is the recurrence as typed (``1m``, ``weekly``,
    ``FREQ=MONTHLY;BYDAY=1MO``) or already canonical; it is anchored on ``due``."""

    text: str
    due: date
    contact_id: int | None = None
    idea_id: int | None = None
    every: str | None = None
    from_done: bool = False
    tags: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def _clean_text(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput('a follow-up needs a text, e.g. "Send the webinar outline"')
    return check_text(cleaned, "a follow-up's text")


def _check_links(session: Session, contact_id: int | None, idea_id: int | None) -> None:
    from netcrm.domain.models import Contact, Idea

    if contact_id is not None and session.get(Contact, contact_id) is None:
        raise NotFound(f"no contact #{contact_id}")
    if idea_id is not None and session.get(Idea, idea_id) is None:
        raise NotFound(f"no idea #{idea_id} (see netcrm idea list)")


def create_followup(session: Session, data: FollowupInput, *, now: datetime) -> Followup:
    """The ``remind`` command: validate everything, then write one follow-up."""
    from netcrm.domain.models import Followup

    text = _clean_text(data.text)
    rule = (
        parse_recurrence(data.every, anchor=data.due, from_done=data.from_done)
        if data.every
        else None
    )
    if data.from_done and rule is None:
        raise InvalidInput("--from-done goes with --every (it says how a recurrence counts)")
    _check_links(session, data.contact_id, data.idea_id)
    tags = labels.clean_tags(data.tags)
    followup = Followup(
        text=text,
        due=data.due,
        contact_id=data.contact_id,
        idea_id=data.idea_id,
        recurrence=rule,
        from_done=data.from_done if rule else False,
        created_at=now,
        updated_at=now,
    )
    session.add(followup)
    session.flush()
    assert followup.id is not None
    labels.add_tags(session, "followup", followup.id, tags)
    labels.add_keys(session, "followup", followup.id, data.keys)
    return followup


def get_followup(session: Session, followup_id: int, *, open_only: bool = False) -> Followup:
    from netcrm.domain.models import Followup

    followup = session.get(Followup, followup_id)
    if followup is None:
        raise NotFound(f"no follow-up {handle_of(followup_id)} (see netcrm followups --all)")
    if open_only and followup.done_at is not None:
        raise InvalidInput(f"follow-up {handle_of(followup_id)} is already done")
    return followup


_EDITABLE = frozenset({"text", "due", "every", "from_done", "contact_id", "idea_id"})
# What only an open follow-up has: its text, links and labels stay editable once done.
_SCHEDULE = frozenset({"due", "every", "from_done"})


@dataclass
class FollowupChanges:
    """What ``followups edit`` does: a field left :data:`UNSET` is not touched;
    None stops the recurrence (``every``) or unlinks (``contact_id``,
    ``idea_id``). ``every`` is the rule as typed."""

    text: Any = UNSET
    due: Any = UNSET
    every: Any = UNSET
    from_done: Any = UNSET
    contact_id: Any = UNSET
    idea_id: Any = UNSET
    labels: labels.LabelChanges = field(default_factory=labels.LabelChanges)

    def fields(self) -> dict[str, Any]:
        return given(self, tuple(sorted(_EDITABLE)))


def edit_followup(
    session: Session, followup_id: int, changes: FollowupChanges, *, now: datetime
) -> Followup:
    """Apply a ``followups edit``: fields, tags and keys, in the caller's transaction."""
    followup = update_followup(session, followup_id, changes.fields(), now=now)
    labels.change_labels(session, "followup", followup_id, changes.labels)
    return followup


def update_followup(
    session: Session, followup_id: int, changes: dict[str, Any], *, now: datetime
) -> Followup:
    """Edit a follow-up. ``changes`` holds only what changes: ``text``, ``due``,
    ``every`` (typed rule, or None to stop recurring), ``from_done``,
    ``contact_id`` / ``idea_id`` (None to unlink)."""
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise InvalidInput(f"cannot edit {', '.join(sorted(unknown))} of a follow-up")
    followup = get_followup(session, followup_id)
    schedule = sorted(_SCHEDULE & changes.keys())
    if followup.done_at is not None and schedule:
        # A done follow-up is never due again: a new date would be a silent no-op.
        raise InvalidInput(
            f"follow-up {handle_of(followup_id)} is done, so it has no "
            f"{'date' if schedule == ['due'] else 'schedule'} to change; reopen it first: "
            f"netcrm followups reopen {handle_of(followup_id)}"
        )
    text = _clean_text(changes["text"]) if "text" in changes else followup.text
    due = changes.get("due", followup.due)
    rule = followup.recurrence
    from_done = bool(changes.get("from_done", followup.from_done))
    if "every" in changes:
        every = changes["every"]
        rule = parse_recurrence(every, anchor=due, from_done=from_done) if every else None
    elif rule and ("due" in changes or "from_done" in changes):
        rule = anchor_rule(rule, due, from_done=from_done)
    if changes.get("from_done") and rule is None:
        raise InvalidInput("--from-done goes with --every (it says how a recurrence counts)")
    contact_id = changes.get("contact_id", followup.contact_id)
    idea_id = changes.get("idea_id", followup.idea_id)
    _check_links(session, contact_id, idea_id)

    followup.text = text
    followup.due = due
    followup.recurrence = rule
    followup.from_done = from_done if rule else False
    followup.contact_id = contact_id
    followup.idea_id = idea_id
    followup.updated_at = now
    session.add(followup)
    session.flush()
    return followup


def reopen_followup(
    session: Session, followup_id: int, *, now: datetime, due: date | None = None
) -> Followup:
    """Make a done follow-up open again (its note goes with its done mark),
    due on ``due`` or on the date it had. Reopening an open one is an error."""
    followup = get_followup(session, followup_id)
    if followup.done_at is None:
        raise InvalidInput(f"follow-up {handle_of(followup_id)} is not done; nothing to reopen")
    followup.done_at = None
    followup.done_note = None
    if due is not None:
        followup.due = due
    followup.updated_at = now
    session.add(followup)
    session.flush()
    return followup


def delete_followup(session: Session, followup_id: int) -> None:
    """Delete a follow-up (open or done); its tags and keys go with it."""
    followup = get_followup(session, followup_id)
    session.delete(followup)
    session.flush()
    labels.prune_unused_tags(session)


@dataclass(frozen=True)
class Completion:
    """What completing a follow-up did: the row marked done (the follow-up
    itself, or its done copy for a recurring one) and the next due date."""

    done_id: int
    next_due: date | None


def next_due(rule: str, due: date, *, from_done: bool, today: date) -> tuple[date, str] | None:
    """Where a recurring follow-up goes once done, with the rule that is left
    of it (a lower COUNT), or None when the series has run its course (COUNT,
    UNTIL). See the module docstring for the catch-up rule."""
    endless, left = split_count(rule)
    try:
        if from_done:
            moved, steps = next_occurrence(endless, today), 1
        else:
            moved, steps = next_occurrence(endless, due), 1
            while moved <= today:
                if steps >= _MAX_CATCH_UP:
                    moved = next_occurrence(endless, today)
                    break
                moved = next_occurrence(endless, moved)
                steps += 1
    except InvalidInput:
        # The rule was checked when stored: the only failure left is "no
        # occurrence after", i.e. UNTIL has passed.
        return None
    if left is None:
        return moved, rule
    if left - steps < 1:
        return None
    return moved, with_count(rule, left - steps)


def complete_followup(
    session: Session,
    followup_id: int,
    *,
    today: date,
    now: datetime,
    note: str | None = None,
) -> Completion:
    """Mark a follow-up done; a recurring one leaves a done copy and moves on."""
    from netcrm.domain.models import Followup

    followup = get_followup(session, followup_id, open_only=True)
    note = check_text(note.strip(), "the note") if note and note.strip() else None
    following = (
        next_due(followup.recurrence, followup.due, from_done=followup.from_done, today=today)
        if followup.recurrence
        else None
    )
    if following is None:
        followup.done_at = now
        followup.done_note = note
        followup.updated_at = now
        session.add(followup)
        session.flush()
        return Completion(done_id=followup_id, next_due=None)

    copy = Followup(
        text=followup.text,
        due=followup.due,
        contact_id=followup.contact_id,
        idea_id=followup.idea_id,
        recurrence=None,
        from_done=False,
        done_at=now,
        done_note=note,
        created_at=now,
        updated_at=now,
    )
    session.add(copy)
    session.flush()
    assert copy.id is not None
    _copy_labels(session, followup_id, copy.id)
    followup.due, followup.recurrence = following
    followup.updated_at = now
    session.add(followup)
    session.flush()
    return Completion(done_id=copy.id, next_due=following[0])


def _copy_labels(session: Session, source_id: int, target_id: int) -> None:
    from sqlalchemy import text

    conn = session.connection()
    params = {"src": source_id, "dst": target_id}
    conn.execute(
        text(
            "INSERT INTO followup_tag (followup_id, tag_id) "
            "SELECT :dst, tag_id FROM followup_tag WHERE followup_id = :src"
        ),
        params,
    )
    conn.execute(
        text(
            "INSERT INTO followup_key (followup_id, key) "
            "SELECT :dst, key FROM followup_key WHERE followup_id = :src"
        ),
        params,
    )


def snooze_followup(
    session: Session, followup_id: int, when: date | None, *, today: date, now: datetime
) -> Followup:
    """Move an open follow-up to ``when`` (default: tomorrow, or the day after
    its due date when that is later — snoozing never brings a date closer)."""
    followup = get_followup(session, followup_id, open_only=True)
    target = when or max(today, followup.due) + timedelta(days=1)
    if target < today:
        raise InvalidInput(
            f"cannot snooze to {target.isoformat()}, which is past; "
            f"use: netcrm followups edit {handle_of(followup_id)} --on DATE"
        )
    followup.due = target
    followup.updated_at = now
    session.add(followup)
    session.flush()
    return followup


# --- reads --------------------------------------------------------------------------

FOLLOWUP_KEYS: tuple[str, ...] = (
    "id",
    "handle",
    "text",
    "due",
    "when",
    "contact",
    "contact_id",
    "idea_id",
    "idea",
    "recurrence",
    "repeats",
    "from_done",
    "tags",
    "keys",
    "done",
    "done_at",
    "done_note",
    "created_at",
    "updated_at",
)

_SELECT = (
    "SELECT f.id, f.text, f.due, f.contact_id, c.name AS contact, f.idea_id, "
    "i.title AS idea, f.recurrence, f.from_done, f.done_at, f.done_note, "
    "f.created_at, f.updated_at "
    "FROM followup f LEFT JOIN contact c ON c.id = f.contact_id "
    "LEFT JOIN idea i ON i.id = f.idea_id "
)


def _record(row: Row, today: date, tags: list[str], keys: list[str]) -> dict[str, Any]:
    due = row["due"]
    done = row["done_at"] is not None
    rule = row["recurrence"]
    return {
        "id": row["id"],
        "handle": handle_of(row["id"]),
        "text": row["text"],
        "due": due,
        "when": None if done else describe_relative(due, today=today),
        "contact": row["contact"],
        "contact_id": row["contact_id"],
        "idea_id": row["idea_id"],
        "idea": row["idea"],
        "recurrence": rule,
        "repeats": describe_rule(rule) if rule else None,
        "from_done": row["from_done"],
        "tags": tags,
        "keys": keys,
        "done": done,
        "done_at": row["done_at"],
        "done_note": row["done_note"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def _records(reader: Reader, rows: list[Row], today: date) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    tags = labels.tags_of(reader, "followup", ids)
    keys = labels.keys_of(reader, "followup", ids)
    return [_record(r, today, tags[r["id"]], keys[r["id"]]) for r in rows]


def followup_rows(
    reader: Reader, *, today: date, include_done: bool = False
) -> list[dict[str, Any]]:
    """The rows of ``netcrm followups`` (keys :data:`FOLLOWUP_KEYS`): open ones by
    due date; with ``include_done`` the done ones after them, also by due date."""
    if include_done:
        sql = _SELECT + "ORDER BY CASE WHEN f.done_at IS NULL THEN 0 ELSE 1 END, f.due, f.id"
    else:
        sql = _SELECT + "WHERE f.done_at IS NULL ORDER BY f.due, f.id"
    return _records(reader, reader.rows(sql), today)


def followup_record(reader: Reader, followup_id: int, *, today: date) -> dict[str, Any]:
    """One follow-up's row (open or done); NotFound if there is none."""
    rows = reader.rows(_SELECT + "WHERE f.id = :id", {"id": followup_id})
    if not rows:
        raise NotFound(f"no follow-up {handle_of(followup_id)} (see netcrm followups --all)")
    return _records(reader, rows, today)[0]


def followups_of_contact(reader: Reader, contact_id: int, *, today: date) -> list[dict[str, Any]]:
    """A contact's open follow-ups, soonest first, for ``show``: ``id``,
    ``handle``, ``text``, ``due`` (a date), ``relative`` ("in 2 days"),
    ``recurrence`` (RRULE body or None), ``repeats`` (its description), ``idea_id``."""
    rows = reader.rows(
        "SELECT id, text, due, recurrence, idea_id FROM followup "
        "WHERE contact_id = :cid AND done_at IS NULL ORDER BY due, id",
        {"cid": contact_id},
    )
    out = []
    for row in rows:
        due = row["due"]
        rule = row["recurrence"]
        out.append(
            {
                "id": row["id"],
                "handle": handle_of(row["id"]),
                "text": row["text"],
                "due": due,
                "relative": describe_relative(due, today=today),
                "recurrence": rule,
                "repeats": describe_rule(rule) if rule else None,
                "idea_id": row["idea_id"],
            }
        )
    return out
