"""The interaction log. Logging an exchange resets each participant's
keep-in-touch clock (``contact.last_contact`` / ``next_touch``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from netcrm.domain import labels
from netcrm.errors import InvalidInput, NotFound

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


def log_interaction(session: Session, data: InteractionInput, *, now: datetime) -> Interaction:
    from netcrm.domain.contacts import get_contact, refresh_touch
    from netcrm.domain.models import Interaction, InteractionContact

    summary = data.summary.strip()
    if not summary:
        raise InvalidInput("an interaction needs a summary")
    if not data.contact_ids:
        raise InvalidInput("an interaction needs at least one contact")
    if data.direction not in ("out", "in"):
        raise InvalidInput("direction is 'out' (I reached out) or 'in' (they did)")
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


def delete_interaction(session: Session, interaction_id: int) -> None:
    from sqlmodel import select

    from netcrm.domain.contacts import get_contact, refresh_touch
    from netcrm.domain.models import Interaction, InteractionContact

    interaction = session.get(Interaction, interaction_id)
    if interaction is None:
        raise NotFound(f"no interaction #{interaction_id}")
    ids = [
        link.contact_id
        for link in session.exec(
            select(InteractionContact).where(InteractionContact.interaction_id == interaction_id)
        )
    ]
    session.delete(interaction)
    session.flush()
    for cid in ids:
        refresh_touch(session, get_contact(session, cid))
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
