"""Editing a contact: what ``netcrm edit`` may change (:class:`ContactChanges`)
and the one operation that applies it, fields, channels, notes, tags and keys
together, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from netcrm.domain import labels
from netcrm.domain.changes import UNSET, field_names, given
from netcrm.domain.contacts import (
    ChannelSpec,
    add_channels,
    check_fields,
    get_contact,
    index_name,
    name_keys,
    prefer_channel,
    refresh_touch,
    remove_channels,
    replace_channels,
)
from netcrm.errors import InvalidInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.domain.models import Contact


# What ContactChanges carries besides columns (a birthday is one: year, month, day).
_NOT_COLUMNS = frozenset(
    {"add_note", "channels", "add_channels", "remove_channels", "prefer", "labels"}
)


@dataclass
class ContactChanges:
    """What ``edit`` does to a contact. A field left :data:`UNSET` is not
    touched; None clears it. ``channels`` *set* the channels of their kinds
    (``--email`` replaces the emails), ``add_channels`` append, and
    ``remove_channels``/``prefer`` take typed values; ``add_note`` appends a
    paragraph to the notes (on top of ``notes`` when both are given)."""

    name: Any = UNSET
    company: Any = UNSET
    role: Any = UNSET
    location: Any = UNSET
    met_via: Any = UNSET
    met_on: Any = UNSET
    birthday: Any = UNSET
    warmth: Any = UNSET
    bigger: Any = UNSET
    relationship: Any = UNSET
    cadence: Any = UNSET
    notes: Any = UNSET
    archived: Any = UNSET
    add_note: str | None = None
    channels: Sequence[ChannelSpec] = ()
    add_channels: Sequence[ChannelSpec] = ()
    remove_channels: Sequence[str] = ()
    prefer: str | None = None
    labels: labels.LabelChanges = field(default_factory=labels.LabelChanges)

    def columns(self) -> dict[str, Any]:
        """The checked column values this edit sets (birthday as three columns)."""
        fields = given(self, EDITABLE)
        if "birthday" in fields:
            year, month, day = fields.pop("birthday") or (None, None, None)
            fields.update(birthday_year=year, birthday_month=month, birthday_day=day)
        return check_fields(fields)

    def what(self) -> list[str]:
        """What the edit changes, in words (``Updated #1 Léa: company, tags.``)."""
        what = [n if n != "cadence" else "every" for n in given(self, EDITABLE)]
        if self.channels or self.add_channels or self.remove_channels or self.prefer:
            what.append("channels")
        if self.labels.touches_tags:
            what.append("tags")
        if self.labels.touches_keys:
            what.append("keys")
        if self.add_note and "notes" not in what:
            what.append("notes")
        return what


# The columns ``edit`` may set, in the order a message names them.
EDITABLE = tuple(n for n in field_names(ContactChanges) if n not in _NOT_COLUMNS)


def edit_contact(
    session: Session, contact_id: int, changes: ContactChanges, *, now: datetime
) -> Contact:
    """Apply an ``edit``: fields, channels, notes, tags and keys, in one
    transaction (the caller's)."""
    columns = changes.columns()
    if not changes.what():
        raise InvalidInput("nothing to change; see netcrm edit --help")
    if changes.add_note:
        # On top of the new notes when both are given, else of the stored ones.
        old = columns["notes"] if "notes" in columns else get_contact(session, contact_id).notes
        note = changes.add_note.strip()
        columns["notes"] = f"{old}\n\n{note}" if old else note
    contact = update_contact(session, contact_id, columns, now=now)
    if changes.remove_channels:
        remove_channels(session, contact_id, changes.remove_channels)
    by_kind: dict[tuple[str, str | None], list[ChannelSpec]] = {}
    for spec in changes.channels:
        by_kind.setdefault((spec[0], spec[2] if len(spec) > 2 else None), []).append(spec)
    for (kind, label), specs in by_kind.items():
        replace_channels(session, contact_id, kind, specs, label=label)
    add_channels(session, contact_id, changes.add_channels)
    if changes.prefer:
        prefer_channel(session, contact_id, changes.prefer)
    labels.change_labels(session, "contact", contact_id, changes.labels)
    return contact


def update_contact(
    session: Session, contact_id: int, changes: dict[str, Any], *, now: datetime
) -> Contact:
    """Apply checked column changes (any subset of the contact's columns)."""
    contact = get_contact(session, contact_id)
    changes = check_fields(changes)
    for key, value in changes.items():
        setattr(contact, key, value)
    if "name" in changes:
        contact.name_norm, contact.surname_norm = name_keys(contact.name)
        assert contact.id is not None
        index_name(session, contact.id, contact.name)
    if {"birthday_month", "birthday_day"} & changes.keys():
        # A corrected birthday is a new date: "wished this year" and a snooze
        # belonged to the old one and would hide the new one.
        contact.birthday_wished_year = None
        contact.birthday_snoozed_to = None
    contact.updated_at = now
    session.add(contact)
    if "cadence" in changes:
        refresh_touch(session, contact)
    session.flush()
    return contact
