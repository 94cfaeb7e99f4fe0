"""The interaction log. Logging an exchange resets each participant's
keep-in-touch clock (``contact.last_contact`` / ``next_touch``); so does
correcting one (``netcrm interactions edit``: its date, people, channel…) or
deleting it, for everyone it concerned before and after the change."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from netcrm.domain import labels
from netcrm.errors import InvalidInput, NotFound
from netcrm.io.limits import check_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.domain.models import Interaction

INTERACTION_CHANNELS = (
    "email",
    "call",
    "video",
    "meeting",
    "message",
    "whatsapp",
    "facebook",
    "linkedin",
    "event",
    "in-person",
    "other",
)
# What people type for a channel, beyond the canonical names.
CHANNEL_ALIASES = {
    "mail": "email",
    "e-mail": "email",
    "phone": "call",
    "tel": "call",
    "visio": "video",
    "zoom": "video",
    "meet": "meeting",
    "sms": "message",
    "text": "message",
    "dm": "message",
    "wa": "whatsapp",
    "fb": "facebook",
    "messenger": "facebook",
    "li": "linkedin",
    "irl": "in-person",
    "inperson": "in-person",
    "in person": "in-person",
    "coffee": "in-person",
}
# A contact's channel kind → the interaction channel used when nothing is said.
FROM_CONTACT_CHANNEL = {
    "email": "email",
    "phone": "call",
    "whatsapp": "whatsapp",
    "linkedin": "linkedin",
    "facebook": "facebook",
    "website": "other",
    "other": "other",
}


def check_interaction_channel(text: str) -> str:
    value = text.strip().casefold()
    value = CHANNEL_ALIASES.get(value, value)
    if value not in INTERACTION_CHANNELS:
        raise InvalidInput(
            f"unknown channel {text!r}; use one of {', '.join(INTERACTION_CHANNELS)}"
        )
    return value


_TIME = re.compile(r"^([01]?\d|2[0-3])[:h]([0-5]\d)$", re.IGNORECASE)


def check_time(text: str) -> str:
    m = _TIME.match(text.strip())
    if not m:
        raise InvalidInput(f"cannot read the time {text!r}; try 14:30")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


@dataclass
class InteractionInput:
    contact_ids: list[int]
    summary: str
    on: date
    channel: str = "other"
    direction: str = "out"
    time: str | None = None
    tags: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def check_summary(text: str) -> str:
    summary = text.strip()
    if not summary:
        raise InvalidInput("an interaction needs a summary")
    return check_text(summary, "the summary")


def check_direction(text: str) -> str:
    if text not in ("out", "in"):
        raise InvalidInput("direction is 'out' (I reached out) or 'in' (they did)")
    return text


def check_past(day: date, today: date, *, plan: str | None = None) -> date:
    """An exchange happened: today or before. ``plan`` says how the caller's
    user plans the future instead (the remind command, the remind tool)."""
    if day > today:
        if plan is not None:
            raise InvalidInput(
                f"{day.isoformat()} is in the future; log what happened, and plan what will {plan}"
            )
        raise InvalidInput(
            f"{day.isoformat()} is in the future; an interaction is what already happened"
        )
    return day


def log_interaction(session: Session, data: InteractionInput, *, now: datetime) -> Interaction:
    from netcrm.domain.contacts import get_contact, refresh_touch
    from netcrm.domain.models import Interaction, InteractionContact

    summary = check_summary(data.summary)
    if not data.contact_ids:
        raise InvalidInput("an interaction needs at least one contact")
    check_direction(data.direction)
    channel = check_interaction_channel(data.channel)
    contacts = [get_contact(session, cid) for cid in dict.fromkeys(data.contact_ids)]
    interaction = Interaction(
        occurred_on=data.on,
        occurred_time=data.time,
        channel=channel,
        direction=data.direction,
        summary=summary,
        created_at=now,
    )
    session.add(interaction)
    session.flush()
    assert interaction.id is not None
    for contact in contacts:
        assert contact.id is not None
        session.add(InteractionContact(interaction_id=interaction.id, contact_id=contact.id))
    session.flush()
    labels.add_tags(session, "interaction", interaction.id, data.tags)
    labels.add_keys(session, "interaction", interaction.id, data.keys)
    for contact in contacts:
        refresh_touch(session, contact)
    return interaction


def get_interaction(session: Session, interaction_id: int) -> Interaction:
    from netcrm.domain.models import Interaction

    interaction = session.get(Interaction, interaction_id)
    if interaction is None:
        raise NotFound(f"no interaction #{interaction_id} (see netcrm interactions)")
    return interaction


def parse_interaction_id(text: str) -> int:
    """``7`` or ``#7`` → 7."""
    value = text.strip().removeprefix("#")
    if not value.isdigit() or not value.isascii():
        raise InvalidInput(f"{text!r} is not an interaction id; see netcrm interactions")
    return int(value)


def participants(session: Session, interaction_id: int) -> list[int]:
    from sqlmodel import select

    from netcrm.domain.models import InteractionContact

    return [
        link.contact_id
        for link in session.exec(
            select(InteractionContact).where(InteractionContact.interaction_id == interaction_id)
        )
    ]


def _refresh(session: Session, contact_ids: Sequence[int]) -> None:
    from netcrm.domain.contacts import get_contact, refresh_touch

    for cid in dict.fromkeys(contact_ids):
        refresh_touch(session, get_contact(session, cid))


@dataclass
class InteractionChanges:
    """What ``interactions edit`` changes; None (or empty) leaves it alone.
    ``time`` is ``""`` to clear it. Contacts are ids, checked to exist."""

    on: date | None = None
    time: str | None = None
    summary: str | None = None
    channel: str | None = None
    direction: str | None = None
    add_contacts: list[int] = field(default_factory=list)
    remove_contacts: list[int] = field(default_factory=list)
    labels: labels.LabelChanges = field(default_factory=labels.LabelChanges)


def edit_interaction(
    session: Session,
    interaction_id: int,
    changes: InteractionChanges,
    *,
    today: date,
) -> Interaction:
    """Correct an interaction; every contact it concerned before or after has
    its keep-in-touch caches recomputed. Removing its last contact is refused
    (delete it instead)."""
    from netcrm.domain.contacts import get_contact
    from netcrm.domain.models import InteractionContact

    interaction = get_interaction(session, interaction_id)
    before = participants(session, interaction_id)
    added = list(dict.fromkeys(changes.add_contacts))
    removed = set(changes.remove_contacts)
    for cid in [*added, *removed]:
        get_contact(session, cid)  # NotFound for an id that names no one
    after = [cid for cid in dict.fromkeys([*before, *added]) if cid not in removed]
    if not after:
        raise InvalidInput(
            f"interaction #{interaction_id} would concern no one; delete it with: "
            f"netcrm interactions rm {interaction_id}"
        )
    if changes.on is not None:
        interaction.occurred_on = check_past(changes.on, today)
    if changes.time is not None:
        interaction.occurred_time = check_time(changes.time) if changes.time else None
    if changes.summary is not None:
        interaction.summary = check_summary(changes.summary)
    if changes.channel is not None:
        interaction.channel = check_interaction_channel(changes.channel)
    if changes.direction is not None:
        interaction.direction = check_direction(changes.direction)
    session.add(interaction)
    # A contact both added and removed ends up removed, as ``after`` says.
    for cid in set(before) - set(after):
        session.delete(session.get(InteractionContact, (interaction_id, cid)))
    for cid in after:
        if cid not in before:
            session.add(InteractionContact(interaction_id=interaction_id, contact_id=cid))
    labels.change_labels(session, "interaction", interaction_id, changes.labels)
    session.flush()
    _refresh(session, [*before, *after])
    return interaction


def delete_interaction(session: Session, interaction_id: int) -> None:
    """Delete an interaction; its people's keep-in-touch clocks go back to
    their previous exchange."""
    interaction = get_interaction(session, interaction_id)
    ids = participants(session, interaction_id)
    session.delete(interaction)
    session.flush()
    _refresh(session, ids)
    labels.prune_unused_tags(session)


def preferred_interaction_channel(kinds: Sequence[str]) -> str:
    """The interaction channel of a contact's most preferred channel one can
    talk through: a website or an unnamed handle says nothing of how you spoke,
    so a contact with a website first and an email second is emailed."""
    for kind in kinds:
        channel = FROM_CONTACT_CHANNEL.get(kind, "other")
        if channel != "other":
            return channel
    return "other"
