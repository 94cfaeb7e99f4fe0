"""Three sources of ``netcrm due``: open follow-ups, dated steps of ideas still
in play, and contacts whose keep-in-touch cadence has run out (see
:mod:`netcrm.domain.due`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from netcrm.dates import describe_relative
from netcrm.domain.due.base import (
    CLOSED_IDEA_STATUSES,
    DoneOptions,
    DueItem,
    DueKind,
    describe_cadence,
    limit_clause,
    log_done,
    make_item,
    session_reader,
    snoozed,
)
from netcrm.errors import InvalidInput
from netcrm.store.query import grouped, in_clause

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.store.reader import Reader


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
        f"WHERE f.done_at IS NULL AND {where}" + limit_clause(limit),
        {"until": until.isoformat(), "id": ref_id, "archived": False, "limit": limit},
    )
    return [
        make_item(
            FOLLOWUP,
            r["id"],
            r["text"],
            r["due"],
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
        log_done(session, log_with, options.note or item.text, options, today, now)
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
    return snoozed(item, when, today)


# --- idea steps ---------------------------------------------------------------------


def _fetch_steps(
    reader: Reader, *, today: date, until: date, ref_id: int | None = None, limit: int | None = None
) -> list[DueItem]:
    where = "s.id = :id" if ref_id is not None else "s.due <= :until"
    closed, params = in_clause(CLOSED_IDEA_STATUSES, "st")
    rows = reader.rows(
        "SELECT s.id, s.text, s.due, i.id AS idea_id, i.title "
        "FROM idea_step s JOIN idea i ON i.id = s.idea_id "
        f"WHERE s.done_at IS NULL AND s.due IS NOT NULL AND {where} "
        f"AND i.status NOT IN ({closed})" + limit_clause(limit),
        {"until": until.isoformat(), "id": ref_id, "limit": limit, **params},
    )
    people = _idea_contacts(reader, sorted({r["idea_id"] for r in rows}))
    items = []
    for r in rows:
        names = people.get(r["idea_id"], [])
        items.append(
            make_item(
                STEP,
                r["id"],
                f"{r['text']} (idea #{r['idea_id']}: {r['title']})",
                r["due"],
                today=today,
                contact=", ".join(n for _, n in names) or None,
                contact_id=names[0][0] if names else None,
            )
        )
    return items


def _idea_contacts(reader: Reader, idea_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """Active contacts of each idea, by name: (id, name)."""
    sql = (
        "SELECT ic.idea_id, c.id, c.name FROM idea_contact ic "
        "JOIN contact c ON c.id = ic.contact_id "
        "WHERE ic.idea_id IN ({ids}) AND c.archived = :archived "
        "ORDER BY ic.idea_id, c.name_norm, c.id"
    )
    people = grouped(reader, sql, idea_ids, by="idea_id", params={"archived": False})
    return {i: [(r["id"], r["name"]) for r in rows] for i, rows in people.items()}


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
        log_done(session, ids, options.note or step.text, options, today, now)
    return f"Done: {item.handle} {step.text}"


def _step_contact_ids(session: Session, idea_id: int) -> list[int]:
    rows = session_reader(session).rows(
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
    return snoozed(item, when, today)


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
        f"WHERE next_touch IS NOT NULL AND {where}" + limit_clause(limit),
        {**params, "limit": limit},
    )
    items = []
    for r in rows:
        since = (
            f"last contact {r['last_contact'].isoformat()}"
            if r["last_contact"]
            else "never contacted"
        )
        items.append(
            make_item(
                KEEP_IN_TOUCH,
                r["id"],
                f"Keep in touch ({describe_cadence(r['cadence'])}; {since})",
                r["next_touch"],
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
    log_done(session, [item.contact_id], options.note or "Kept in touch", options, today, now)
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
    return snoozed(item, when, today)


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
