"""Collaboration ideas and their action plans (PRODUCT.md §3 "Idea").

An idea has a kind, a status in the pipeline ``idea → planned → proposed →
accepted → done`` (or ``declined`` / ``dropped``), the contacts involved, an
effort estimate in hours, notes, tags, explicit keys, and an action plan: steps
numbered 1..N in order, each with an optional due date, effort and done time.

Choices a user can see:

- Any move between statuses is allowed (people skip ``planned``, or reopen a
  declined idea); each move is recorded in ``idea_event`` with its date, which
  ``idea show`` prints as the history and the ideas report reads for the
  proposed → accepted conversion. Creating an idea records its first event.
- Step numbers are positions in the plan, kept contiguous: dropping step 2 of
  3 makes the old step 3 the new step 2. Due rows and handles use step ids,
  which never change.
- The article's warning, "a proposal that needs too much preparation never
  happens", becomes flags on *open* ideas (statuses ``idea``, ``planned``,
  ``proposed``, ``accepted``; finished ones are never flagged):

  - ``no-plan``: no step at all;
  - ``heavy``: the open steps add up to more than :data:`HEAVY_HOURS` (a working
    day). A step counts its own ``effort_hours``; a step without one counts an
    equal share of the idea's estimate (idea effort / number of steps); an idea
    without steps counts its whole estimate;
  - ``stalled``: nothing happened for :data:`STALLED_DAYS` days — no move, no
    edit, no step added or done.

Writes take a session and flush (the command commits); reads take a
:class:`~netcrm.store.reader.Reader` and plain SQL, so ``idea list`` and
``idea show`` never import SQLAlchemy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from netcrm.domain import labels
from netcrm.domain.changes import UNSET, given
from netcrm.domain.figures import HEAVY_HOURS, STALLED_DAYS
from netcrm.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.domain.models import Idea, IdeaStep
    from netcrm.store.reader import Reader, Row

IDEA_KINDS = (
    "contest",
    "article",
    "interview",
    "event",
    "partnership",
    "guest-post",
    "podcast",
    "product",
    "other",
)
IDEA_STATUSES = ("idea", "planned", "proposed", "accepted", "done", "declined", "dropped")
OPEN_STATUSES = ("idea", "planned", "proposed", "accepted")
# ``idea list --status open`` means every status still in play.
STATUS_FILTERS = (*IDEA_STATUSES, "open")

# A sanity bound: an estimate above a working year is a typo.
MAX_EFFORT_HOURS = 2000.0

_STATUS_ORDER = {status: i for i, status in enumerate(IDEA_STATUSES)}


# --- validation ----------------------------------------------------------------------


def _token(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().casefold())


def check_kind(text: str) -> str:
    """A kind of idea (``guest post`` and ``Guest_Post`` are ``guest-post``)."""
    kind = _token(text)
    if kind == "guestpost":
        kind = "guest-post"
    if kind not in IDEA_KINDS:
        raise InvalidInput(f"unknown idea kind {text!r}; use one of {', '.join(IDEA_KINDS)}")
    return kind


def check_status(text: str, *, allow_open: bool = False) -> str:
    """A status of the pipeline; ``open`` too when filtering."""
    status = _token(text)
    valid = STATUS_FILTERS if allow_open else IDEA_STATUSES
    if status not in valid:
        raise InvalidInput(f"unknown idea status {text!r}; use one of {', '.join(valid)}")
    return status


def check_title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise InvalidInput("an idea needs a title")
    return title


def check_step_text(text: str) -> str:
    step = " ".join(text.split())
    if not step:
        raise InvalidInput("a step needs a text, e.g. 'Send the outline'")
    return step


def check_effort(hours: float | None) -> float | None:
    if hours is None:
        return None
    if hours != hours or hours < 0 or hours > MAX_EFFORT_HOURS:  # NaN too
        raise InvalidInput(
            f"an effort is 0 to {MAX_EFFORT_HOURS:g} hours, not {hours:g}; try 2, 1.5 or 45min"
        )
    return round(float(hours), 2)


_HOURS_WORD = r"(?:h|hr|hrs|hours?|heures?)"
_MINUTES_WORD = r"(?:m|min|mins|minutes?)"
_EFFORT_HOURS = re.compile(
    rf"(?P<h>\d+(?:[.,]\d+)?)\s*(?:{_HOURS_WORD}(?:\s*(?P<hm>\d{{1,2}})\s*(?:{_MINUTES_WORD})?)?)?"
)
_EFFORT_MINUTES = re.compile(rf"(?P<m>\d+)\s*{_MINUTES_WORD}")


def parse_effort(text: str) -> float:
    """Hours from ``2``, ``1.5``, ``1,5``, ``2h``, ``1h30``, ``45min``."""
    key = text.strip().casefold()
    if match := _EFFORT_MINUTES.fullmatch(key):
        hours = int(match["m"]) / 60
    elif match := _EFFORT_HOURS.fullmatch(key):
        hours = float(match["h"].replace(",", "."))
        if match["hm"] is not None:
            if not match["h"].isdigit() or int(match["hm"]) >= 60:
                raise InvalidInput(f"cannot read the effort {text!r}; try 1h30 or 1.5")
            hours += int(match["hm"]) / 60
    else:
        raise InvalidInput(f"cannot read the effort {text!r}; try 2, 1.5, 2h, 1h30 or 45min")
    checked = check_effort(hours)
    assert checked is not None
    return checked


def parse_idea_id(text: str) -> int:
    """An idea id as typed: ``3`` or ``#3``."""
    value = text.strip().removeprefix("#")
    if not value.isdigit() or not value.isascii():
        raise InvalidInput(f"{text!r} is not an idea id; ideas are numbered (netcrm idea list)")
    return int(value)


def _clean_notes(text: str | None) -> str | None:
    if text is None:
        return None
    return text.strip() or None


# --- writes -------------------------------------------------------------------------


@dataclass
class IdeaInput:
    """Everything a new idea may carry; keys are resolved slugs."""

    title: str
    kind: str = "other"
    contact_ids: list[int] = field(default_factory=list)
    effort_hours: float | None = None
    notes: str | None = None
    tags: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def get_idea(session: Session, idea_id: int) -> Idea:
    from netcrm.domain.models import Idea

    idea = session.get(Idea, idea_id)
    if idea is None:
        raise NotFound(f"no idea #{idea_id} (netcrm idea list shows them)")
    return idea


def create_idea(session: Session, data: IdeaInput, *, now: datetime) -> Idea:
    from netcrm.domain.contacts import get_contact
    from netcrm.domain.models import Idea, IdeaContact, IdeaEvent

    title = check_title(data.title)
    kind = check_kind(data.kind)
    effort = check_effort(data.effort_hours)
    tags = labels.clean_tags(data.tags)
    contacts = [get_contact(session, cid) for cid in dict.fromkeys(data.contact_ids)]
    idea = Idea(
        title=title,
        kind=kind,
        status="idea",
        effort_hours=effort,
        notes=_clean_notes(data.notes),
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    session.add(idea)
    session.flush()
    assert idea.id is not None
    for contact in contacts:
        assert contact.id is not None
        session.add(IdeaContact(idea_id=idea.id, contact_id=contact.id))
    session.add(IdeaEvent(idea_id=idea.id, status="idea", at=now))
    session.flush()
    labels.add_tags(session, "idea", idea.id, tags)
    labels.add_keys(session, "idea", idea.id, data.keys)
    return idea


UPDATABLE = ("title", "kind", "effort_hours", "notes")


@dataclass
class IdeaChanges:
    """What ``idea edit`` does: a field left :data:`UNSET` is not touched,
    None clears it (effort, notes); ``drop_step`` removes step N of the plan."""

    title: Any = UNSET
    kind: Any = UNSET
    effort_hours: Any = UNSET
    notes: Any = UNSET
    drop_step: int | None = None
    labels: labels.LabelChanges = field(default_factory=labels.LabelChanges)

    def check(self) -> dict[str, Any]:
        """The checked field values; InvalidInput when the edit changes nothing."""
        fields = given(self, UPDATABLE)
        if not (fields or self.labels or self.drop_step):
            raise InvalidInput("nothing to change; see: netcrm idea edit --help")
        return _checked_fields(fields)


def edit_idea(session: Session, idea_id: int, changes: IdeaChanges, *, now: datetime) -> Idea:
    """Apply an ``idea edit``: plan, fields, tags and keys, in the caller's transaction."""
    fields = changes.check()
    if changes.drop_step is not None:
        drop_step(session, idea_id, changes.drop_step, now=now)
    idea = update_idea(session, idea_id, fields, now=now)
    labels.change_labels(session, "idea", idea_id, changes.labels)
    return idea


def _checked_fields(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} of an idea")
    clean: dict[str, Any] = {}
    if "title" in changes:
        clean["title"] = check_title(changes["title"] or "")
    if "kind" in changes:
        clean["kind"] = check_kind(changes["kind"] or "")
    if "effort_hours" in changes:
        clean["effort_hours"] = check_effort(changes["effort_hours"])
    if "notes" in changes:
        clean["notes"] = _clean_notes(changes["notes"])
    return clean


def update_idea(session: Session, idea_id: int, changes: dict[str, Any], *, now: datetime) -> Idea:
    """Apply field changes (any of :data:`UPDATABLE`)."""
    idea = get_idea(session, idea_id)
    for name, value in _checked_fields(changes).items():
        setattr(idea, name, value)
    touch(session, idea, now=now)
    return idea


def touch(session: Session, idea: Idea, *, now: datetime) -> None:
    """Mark the idea as changed: "no movement" counts from here."""
    idea.updated_at = now
    session.add(idea)
    session.flush()


def delete_idea(session: Session, idea_id: int) -> None:
    """Delete an idea with its plan, history, links and follow-ups (the
    foreign keys cascade); contacts stay."""
    idea = get_idea(session, idea_id)
    session.delete(idea)
    session.flush()
    labels.prune_unused_tags(session)


def _linked_ids(session: Session, idea_id: int) -> list[int]:
    from sqlmodel import select

    from netcrm.domain.models import IdeaContact

    return [
        link.contact_id
        for link in session.exec(select(IdeaContact).where(IdeaContact.idea_id == idea_id))
    ]


def link_contacts(
    session: Session, idea_id: int, contact_ids: Sequence[int], *, now: datetime
) -> list[int]:
    """Link contacts to an idea; returns the ids newly linked (the others
    already were). Linking only contacts already there is an error."""
    from netcrm.domain.contacts import get_contact
    from netcrm.domain.models import IdeaContact

    idea = get_idea(session, idea_id)
    wanted = [get_contact(session, cid).id for cid in dict.fromkeys(contact_ids)]
    existing = set(_linked_ids(session, idea_id))
    new = [cid for cid in wanted if cid is not None and cid not in existing]
    if not new:
        raise InvalidInput(f"already linked to idea #{idea_id}; nothing to do")
    for cid in new:
        session.add(IdeaContact(idea_id=idea_id, contact_id=cid))
    touch(session, idea, now=now)
    return new


def unlink_contacts(
    session: Session, idea_id: int, contact_ids: Sequence[int], *, now: datetime
) -> None:
    """Unlink contacts from an idea; each must be linked (checked before any change)."""
    from sqlmodel import col, delete

    from netcrm.domain.models import IdeaContact

    idea = get_idea(session, idea_id)
    existing = set(_linked_ids(session, idea_id))
    ids = list(dict.fromkeys(contact_ids))
    missing = [cid for cid in ids if cid not in existing]
    if missing:
        raise InvalidInput(
            f"contact #{missing[0]} is not linked to idea #{idea_id}; nothing was changed"
        )
    session.exec(  # type: ignore[call-overload]
        delete(IdeaContact)
        .where(col(IdeaContact.idea_id) == idea_id)
        .where(col(IdeaContact.contact_id).in_(ids))
    )
    touch(session, idea, now=now)


def _steps(session: Session, idea_id: int) -> list[IdeaStep]:
    from sqlmodel import col, select

    from netcrm.domain.models import IdeaStep

    return list(
        session.exec(
            select(IdeaStep)
            .where(IdeaStep.idea_id == idea_id)
            .order_by(col(IdeaStep.position), col(IdeaStep.id))
        )
    )


def add_step(
    session: Session,
    idea_id: int,
    text: str,
    *,
    due: date | None = None,
    effort_hours: float | None = None,
    now: datetime,
) -> IdeaStep:
    """Append a step to the plan; returns it (its ``position`` is its number)."""
    from netcrm.domain.models import IdeaStep

    idea = get_idea(session, idea_id)
    step_text = check_step_text(text)
    effort = check_effort(effort_hours)
    position = max((s.position for s in _steps(session, idea_id)), default=0) + 1
    step = IdeaStep(
        idea_id=idea_id, position=position, text=step_text, due=due, effort_hours=effort
    )
    session.add(step)
    touch(session, idea, now=now)
    return step


def _step_at(session: Session, idea_id: int, number: int) -> IdeaStep:
    steps = _steps(session, idea_id)
    if not steps:
        raise InvalidInput(
            f"idea #{idea_id} has no action plan yet; add a step with: "
            f'netcrm idea step {idea_id} "Send the outline"'
        )
    for step in steps:
        if step.position == number:
            return step
    raise InvalidInput(
        f"idea #{idea_id} has {len(steps)} step{'s' if len(steps) != 1 else ''}; "
        f"choose a step number from 1 to {len(steps)}"
    )


def check_step(
    session: Session, idea_id: int, number: int, *, now: datetime, undo: bool = False
) -> IdeaStep:
    """Mark step ``number`` (1-based) done, or not done with ``undo``."""
    idea = get_idea(session, idea_id)
    step = _step_at(session, idea_id, number)
    if undo:
        if step.done_at is None:
            raise InvalidInput(f"step {number} of idea #{idea_id} is not done")
        step.done_at = None
    else:
        if step.done_at is not None:
            raise InvalidInput(f"step {number} of idea #{idea_id} is already done")
        step.done_at = now
    session.add(step)
    touch(session, idea, now=now)
    return step


def drop_step(session: Session, idea_id: int, number: int, *, now: datetime) -> IdeaStep:
    """Remove step ``number``; the later steps move up one place."""
    idea = get_idea(session, idea_id)
    step = _step_at(session, idea_id, number)
    session.delete(step)
    session.flush()
    for later in _steps(session, idea_id):
        if later.position > number:
            later.position -= 1
            session.add(later)
    touch(session, idea, now=now)
    return step


def move_idea(
    session: Session, idea_id: int, status: str, *, now: datetime, on: date | None = None
) -> Idea:
    """Move an idea to ``status``, recording when (``on``, a past day, backdates it)."""
    from sqlmodel import col, func, select

    from netcrm.domain.models import IdeaEvent

    idea = get_idea(session, idea_id)
    target = check_status(status)
    if idea.status == target:
        raise InvalidInput(f"idea #{idea_id} is already {target}")
    at = now if on is None or on == now.date() else datetime.combine(on, now.time())
    if at > now:
        raise InvalidInput(f"a move cannot be dated in the future ({at.date().isoformat()})")
    latest = session.exec(
        select(func.max(IdeaEvent.at)).where(col(IdeaEvent.idea_id) == idea_id)
    ).one()
    if latest is not None and at.date() < latest.date():
        raise InvalidInput(
            f"idea #{idea_id} last moved on {latest.date().isoformat()}; "
            "a move cannot be dated before that"
        )
    idea.status = target
    idea.status_changed_at = at
    session.add(IdeaEvent(idea_id=idea_id, status=target, at=at))
    touch(session, idea, now=now)
    return idea


# --- reads --------------------------------------------------------------------------


def _timestamp(value: Any) -> str | None:
    """``YYYY-MM-DD HH:MM:SS`` whatever the driver returned (SQLite keeps
    microseconds in the text; PostgreSQL returns a datetime)."""
    if value is None:
        return None
    return str(value).replace("T", " ")[:19]


def _day(value: Any) -> date | None:
    if value is None:
        return None
    return date.fromisoformat(str(value)[:10])


def status_rank(status: str) -> int:
    return _STATUS_ORDER.get(status, len(_STATUS_ORDER))


_OPEN_STEP_SQL = (
    "SELECT i.id, i.title, i.kind, i.status, "
    "(SELECT COUNT(*) FROM idea_step s WHERE s.idea_id = i.id AND s.done_at IS NULL) "
    "AS open_steps, "
    "(SELECT MIN(s.due) FROM idea_step s WHERE s.idea_id = i.id AND s.done_at IS NULL) "
    "AS next_step_due "
    "FROM idea i JOIN idea_contact ic ON ic.idea_id = i.id "
    "WHERE ic.contact_id = :cid ORDER BY i.id"
)


def ideas_of_contact(reader: Reader, contact_id: int) -> list[dict[str, Any]]:
    """The ideas a contact is part of, for ``show WHO``: ``id``, ``title``,
    ``kind``, ``status``, ``open_steps``, ``next_step_due`` (ISO or None);
    open ideas first, in pipeline order, then by id."""
    rows = reader.rows(_OPEN_STEP_SQL, {"cid": contact_id})
    out = [
        {
            "id": row["id"],
            "title": row["title"],
            "kind": row["kind"],
            "status": row["status"],
            "open_steps": int(row["open_steps"]),
            "next_step_due": str(row["next_step_due"])[:10] if row["next_step_due"] else None,
        }
        for row in rows
    ]
    out.sort(key=lambda r: (status_rank(r["status"]), r["id"]))
    return out


@dataclass(frozen=True)
class PlanStep:
    """What the flags need to know of a step."""

    due: date | None
    effort_hours: float | None
    done_at: str | None


def open_effort(idea_effort: float | None, steps: Sequence[PlanStep]) -> float | None:
    """Hours of preparation still ahead (see the module docstring); None when
    nothing about the effort is known."""
    if not steps:
        return idea_effort
    share = idea_effort / len(steps) if idea_effort is not None else None
    known = False
    total = 0.0
    for step in steps:
        hours = step.effort_hours if step.effort_hours is not None else share
        if hours is None:
            continue
        known = True
        if step.done_at is None:
            total += hours
    return round(total, 2) if known else None


def idea_flags(
    status: str, steps: Sequence[PlanStep], effort: float | None, idle_days: int
) -> list[str]:
    """``no-plan``, ``heavy``, ``stalled`` for an open idea; [] for a finished one."""
    if status not in OPEN_STATUSES:
        return []
    flags = []
    if not steps:
        flags.append("no-plan")
    if effort is not None and effort > HEAVY_HOURS:
        flags.append("heavy")
    if idle_days >= STALLED_DAYS:
        flags.append("stalled")
    return flags


_IDEAS_SQL = (
    "SELECT i.id, i.title, i.kind, i.status, i.effort_hours, i.notes, "
    "i.created_at, i.updated_at, i.status_changed_at FROM idea i"
)


def _steps_by_idea(reader: Reader, ids: Sequence[int]) -> dict[int, list[Row]]:
    found: dict[int, list[Row]] = {i: [] for i in ids}
    for part in labels.chunks(ids):
        placeholders, params = labels.in_clause(part)
        for row in reader.rows(
            "SELECT id, idea_id, position, text, due, effort_hours, done_at FROM idea_step "
            f"WHERE idea_id IN ({placeholders}) ORDER BY idea_id, position, id",
            params,
        ):
            found[row["idea_id"]].append(row)
    return found


def _people_by_idea(reader: Reader, ids: Sequence[int]) -> dict[int, list[Row]]:
    found: dict[int, list[Row]] = {i: [] for i in ids}
    for part in labels.chunks(ids):
        placeholders, params = labels.in_clause(part)
        for row in reader.rows(
            "SELECT ic.idea_id, c.id, c.name, c.company, c.bigger FROM idea_contact ic "
            "JOIN contact c ON c.id = ic.contact_id "
            f"WHERE ic.idea_id IN ({placeholders}) ORDER BY ic.idea_id, c.name_norm, c.id",
            params,
        ):
            found[row["idea_id"]].append(row)
    return found


def _plan(step_rows: Sequence[Row]) -> list[PlanStep]:
    return [
        PlanStep(
            due=_day(r["due"]),
            effort_hours=r["effort_hours"],
            done_at=_timestamp(r["done_at"]),
        )
        for r in step_rows
    ]


def _record(
    row: Row,
    steps: Sequence[Row],
    people: Sequence[Row],
    tags: list[str],
    keys: list[str],
    today: date,
) -> dict[str, Any]:
    plan = _plan(steps)
    effort = open_effort(row["effort_hours"], plan)
    moments = [_timestamp(row["updated_at"]), _timestamp(row["status_changed_at"])]
    moments += [s.done_at for s in plan]
    last_moved = max(m for m in moments if m is not None)
    idle_days = max((today - date.fromisoformat(last_moved[:10])).days, 0)
    open_dues = [s.due for s in plan if s.done_at is None and s.due is not None]
    return {
        "id": row["id"],
        "title": row["title"],
        "kind": row["kind"],
        "status": row["status"],
        "contacts": [p["name"] for p in people],
        "contact_ids": [p["id"] for p in people],
        "effort_hours": row["effort_hours"],
        "steps": len(plan),
        "open_steps": sum(1 for s in plan if s.done_at is None),
        "next_step_due": min(open_dues).isoformat() if open_dues else None,
        "open_effort_hours": effort,
        "idle_days": idle_days,
        "flags": idea_flags(row["status"], plan, effort, idle_days),
        "tags": tags,
        "keys": keys,
        "notes": row["notes"],
        "status_changed_at": _timestamp(row["status_changed_at"]),
        "created_at": _timestamp(row["created_at"]),
        "updated_at": _timestamp(row["updated_at"]),
    }


RECORD_KEYS = (
    "id",
    "title",
    "kind",
    "status",
    "contacts",
    "contact_ids",
    "effort_hours",
    "steps",
    "open_steps",
    "next_step_due",
    "open_effort_hours",
    "idle_days",
    "flags",
    "tags",
    "keys",
    "notes",
    "status_changed_at",
    "created_at",
    "updated_at",
)


def idea_records(
    reader: Reader,
    *,
    status: str | None = None,
    kind: str | None = None,
    contact_id: int | None = None,
    today: date,
) -> list[dict[str, Any]]:
    """The ``idea list --json`` rows (keys :data:`RECORD_KEYS`), in pipeline
    order then by id. ``status`` may be ``open``; filters are validated."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if status is not None:
        checked = check_status(status, allow_open=True)
        if checked == "open":
            placeholders = ", ".join(f":st{i}" for i in range(len(OPEN_STATUSES)))
            where.append(f"i.status IN ({placeholders})")
            params.update({f"st{i}": s for i, s in enumerate(OPEN_STATUSES)})
        else:
            where.append("i.status = :status")
            params["status"] = checked
    if kind is not None:
        where.append("i.kind = :kind")
        params["kind"] = check_kind(kind)
    if contact_id is not None:
        where.append(
            "EXISTS (SELECT 1 FROM idea_contact ic WHERE ic.idea_id = i.id "
            "AND ic.contact_id = :cid)"
        )
        params["cid"] = contact_id
    sql = _IDEAS_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY i.id"
    rows = reader.rows(sql, params)
    ids = [r["id"] for r in rows]
    steps = _steps_by_idea(reader, ids)
    people = _people_by_idea(reader, ids)
    tags = labels.tags_of(reader, "idea", ids)
    keys = labels.keys_of(reader, "idea", ids)
    records = [
        _record(r, steps[r["id"]], people[r["id"]], tags[r["id"]], keys[r["id"]], today)
        for r in rows
    ]
    records.sort(key=lambda r: (status_rank(r["status"]), r["id"]))
    return records


def idea_card(reader: Reader, idea_id: int, *, today: date) -> dict[str, Any]:
    """Everything ``idea show`` prints: the record, plus ``plan`` (steps with
    ``number``/``of``, due, done), ``people``, ``history`` (status moves with
    their dates) and ``inferred_keys`` (keys the rules give it, beyond the
    explicit ones)."""
    from netcrm.domain.inference import inferred_keys_of

    rows = reader.rows(_IDEAS_SQL + " WHERE i.id = :id", {"id": idea_id})
    if not rows:
        raise NotFound(f"no idea #{idea_id} (netcrm idea list shows them)")
    row = rows[0]
    step_rows = _steps_by_idea(reader, [idea_id])[idea_id]
    people = _people_by_idea(reader, [idea_id])[idea_id]
    tags = labels.tags_of(reader, "idea", [idea_id])[idea_id]
    keys = labels.keys_of(reader, "idea", [idea_id])[idea_id]
    card = _record(row, step_rows, people, tags, keys, today)
    total = len(step_rows)
    card["plan"] = [
        {
            "id": s["id"],
            "number": s["position"],
            "of": total,
            "text": s["text"],
            "due": str(s["due"])[:10] if s["due"] else None,
            "effort_hours": s["effort_hours"],
            "done": s["done_at"] is not None,
            "done_at": _timestamp(s["done_at"]),
        }
        for s in step_rows
    ]
    card["people"] = [
        {"id": p["id"], "name": p["name"], "company": p["company"], "bigger": bool(p["bigger"])}
        for p in people
    ]
    card["history"] = [
        {"status": e["status"], "at": _timestamp(e["at"])}
        for e in reader.rows(
            "SELECT status, at FROM idea_event WHERE idea_id = :id ORDER BY at, id",
            {"id": idea_id},
        )
    ]
    explicit = set(keys)
    card["inferred_keys"] = [
        k for k in inferred_keys_of(reader, "idea", idea_id, today=today) if k not in explicit
    ]
    return card


def count_followups(reader: Reader, idea_id: int) -> int:
    """Follow-ups attached to an idea (deleted with it)."""
    rows = reader.rows("SELECT COUNT(*) AS n FROM followup WHERE idea_id = :id", {"id": idea_id})
    return int(rows[0]["n"])


def open_step_count(reader: Reader, idea_id: int) -> int:
    rows = reader.rows(
        "SELECT COUNT(*) AS n FROM idea_step WHERE idea_id = :id AND done_at IS NULL",
        {"id": idea_id},
    )
    return int(rows[0]["n"])


def contact_names(reader: Reader, ids: Iterable[int]) -> dict[int, str]:
    """Names of contacts by id, for messages."""
    wanted = list(dict.fromkeys(ids))
    found: dict[int, str] = {}
    for part in labels.chunks(wanted):
        placeholders, params = labels.in_clause(part)
        for row in reader.rows(
            f"SELECT id, name FROM contact WHERE id IN ({placeholders})", params
        ):
            found[row["id"]] = row["name"]
    return found
