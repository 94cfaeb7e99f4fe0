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
  - ``heavy``: the effort still ahead is more than :data:`HEAVY_HOURS` (a
    working day). *Effort still ahead* (``open_effort_hours``, "2h still
    ahead") is, once any step has an effort, the sum of the open steps'
    efforts — a step without one adds nothing, it is not guessed; when no
    step has one, the idea's estimate shared equally by its steps, counting
    the open ones (estimate × open steps / steps); without steps, the whole
    estimate. So ``--effort 2h`` with steps of 1h, none and 30min leaves
    1.5h ahead;
  - ``stalled``: nothing happened for :data:`STALLED_DAYS` days — no move, no
    edit, no step added or done.

Writes take a session and flush (the command commits); reads take a
:class:`~netcrm.store.reader.Reader` and plain SQL, so ``idea list`` and
``idea show`` never import SQLAlchemy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from netcrm.domain import labels
from netcrm.domain.changes import UNSET, given
from netcrm.errors import InvalidInput, NotFound
from netcrm.io.limits import check_name, check_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.domain.models import Idea, IdeaStep

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
    return check_name(title, "the title")


def check_step_text(text: str) -> str:
    step = " ".join(text.split())
    if not step:
        raise InvalidInput("a step needs a text, e.g. 'Send the outline'")
    return check_text(step, "a step's text")


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
    return check_text(text.strip(), "the note") or None


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
    """Delete an idea with its plan, history, links and its own follow-ups
    (the foreign keys cascade); contacts stay, and so do follow-ups that are
    also about a contact, unlinked from the idea."""
    from sqlalchemy import text

    idea = get_idea(session, idea_id)
    session.connection().execute(
        text("UPDATE followup SET idea_id = NULL WHERE idea_id = :id AND contact_id IS NOT NULL"),
        {"id": idea_id},
    )
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
