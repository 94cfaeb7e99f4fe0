"""Contacts: creating, editing, merging and deleting them, their channels, and
the caches ``last_contact`` / ``next_touch`` that keep ``netcrm due`` cheap.

Validation lives here (not in the CLI) so every way in — the command line,
imports, the model-based tests — obeys the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from netcrm.domain import labels, merging
from netcrm.errors import InvalidInput, NotFound

# The channel rules are pure text, shared with the import readers; the domain's
# callers keep reaching them here.
from netcrm.io.channels import CHANNEL_KINDS as CHANNEL_KINDS
from netcrm.io.channels import channel_matches, check_channel, normalize_channel
from netcrm.io.channels import channel_spec as channel_spec
from netcrm.io.channels import parse_channel_spec as parse_channel_spec
from netcrm.io.limits import check_name, check_text
from netcrm.text import normalize

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.domain.models import Contact

MET_VIA = ("linkedin", "shapr", "forum", "blog", "event", "irl", "referral", "other")
RELATIONSHIPS = ("business", "mixed", "personal")

# (kind, value) or (kind, value, label): a label names an ``other`` channel.
ChannelSpec = tuple[str, str] | tuple[str, str, str | None]

# Columns with a default but no NULL: create_contact reads None as "the default",
# an update refuses it.
_NOT_NULL = frozenset({"relationship", "bigger", "archived"})


# --- names and channels ---------------------------------------------------------------


def name_keys(name: str) -> tuple[str, str]:
    """(name_norm, surname_norm): the folded whole name, and the same without
    its first word, both indexed for WHO lookups by prefix."""
    norm = normalize(name)
    _, _, rest = norm.partition(" ")
    return norm, rest


def index_name(session: Session, contact_id: int, name: str) -> None:
    """(Re)write the ``contact_word`` rows WHO looks a name up by."""
    from sqlalchemy import text

    from netcrm.text import name_words

    conn = session.connection()
    conn.execute(text("DELETE FROM contact_word WHERE contact_id = :c"), {"c": contact_id})
    words = name_words(name)  # none for a name of punctuation only ("-")
    if words:
        conn.execute(
            text("INSERT INTO contact_word (word, contact_id) VALUES (:w, :c)"),
            [{"w": word, "c": contact_id} for word in words],
        )


# --- field validation -------------------------------------------------------------------


def check_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate and clean contact fields (any subset); raises InvalidInput."""
    out = dict(fields)
    if "name" in out:
        name = " ".join((out["name"] or "").split())
        if not name:
            raise InvalidInput("a contact needs a name")
        out["name"] = check_name(name)
    for key in ("company", "role", "location", "notes"):
        if key in out and out[key] is not None:
            out[key] = check_text(out[key].strip(), f"the {key.removesuffix('s')}") or None
    if out.get("met_via") is not None:
        via = out["met_via"].strip().casefold() or None
        if via is not None and via not in MET_VIA:
            raise InvalidInput(f"unknown --met-via {via!r}; use one of {', '.join(MET_VIA)}")
        out["met_via"] = via
    if out.get("relationship") is not None:
        rel = out["relationship"].strip().casefold()
        if rel not in RELATIONSHIPS:
            raise InvalidInput(
                f"unknown relationship {rel!r}; use one of {', '.join(RELATIONSHIPS)}"
            )
        out["relationship"] = rel
    if out.get("warmth") is not None:
        out["warmth"] = check_warmth(out["warmth"])
    for key in _NOT_NULL:
        if key in out and out[key] is None:
            raise InvalidInput(f"{key} cannot be left empty")
    return out


def check_warmth(value: Any) -> int:
    """Warmth 1-5 from an int or typed text ("4")."""
    try:
        warmth = int(str(value).strip())
    except ValueError:
        warmth = 0
    if not 1 <= warmth <= 5:
        raise InvalidInput(f"warmth must be from 1 (cold) to 5 (close), not {value!r}")
    return warmth


@dataclass
class ContactInput:
    """Everything a new contact may carry; ``fields`` are Contact columns."""

    fields: dict[str, Any]
    # (kind, value) or (kind, value, label); see parse_channel_spec.
    channels: list[ChannelSpec] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


# --- writes ---------------------------------------------------------------------------


def get_contact(session: Session, contact_id: int) -> Contact:
    from netcrm.domain.models import Contact

    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"no contact #{contact_id}")
    return contact


def create_contact(session: Session, data: ContactInput, *, now: datetime) -> Contact:
    from netcrm.domain.models import Contact

    given = {k: v for k, v in data.fields.items() if v is not None or k not in _NOT_NULL}
    fields = check_fields({"relationship": "business", **given})
    channels = [_checked(spec) for spec in data.channels]
    norm, surname = name_keys(fields["name"])
    contact = Contact(
        **fields, name_norm=norm, surname_norm=surname, created_at=now, updated_at=now
    )
    session.add(contact)
    session.flush()
    assert contact.id is not None
    index_name(session, contact.id, contact.name)
    add_channels(session, contact.id, channels)
    labels.add_tags(session, "contact", contact.id, data.tags)
    labels.add_keys(session, "contact", contact.id, data.keys)
    refresh_touch(session, contact)
    return contact


def _checked(spec: ChannelSpec) -> tuple[str, str, str | None]:
    kind, value = check_channel(spec[0], spec[1])
    label = spec[2] if len(spec) > 2 else None
    return kind, value, label


def _channels_of(session: Session, contact_id: int) -> list[Any]:
    from sqlmodel import col, select

    from netcrm.domain.models import Channel

    query = (
        select(Channel)
        .where(Channel.contact_id == contact_id)
        .order_by(col(Channel.position), col(Channel.id))
    )
    return list(session.exec(query))


def add_channels(session: Session, contact_id: int, channels: Iterable[ChannelSpec]) -> None:
    """Append channels (already checked), skipping ones the contact has; the
    first channel a contact gets is its preferred one."""
    from netcrm.domain.models import Channel

    existing = _channels_of(session, contact_id)
    seen = {(c.kind, c.value_norm) for c in existing}
    position = max((c.position for c in existing), default=-1)
    for spec in channels:
        kind, value = spec[0], spec[1]
        label = spec[2] if len(spec) > 2 else None
        norm = normalize_channel(kind, value)
        if (kind, norm) in seen:
            continue
        position += 1
        seen.add((kind, norm))
        session.add(
            Channel(
                contact_id=contact_id,
                kind=kind,
                value=value,
                value_norm=norm,
                label=label,
                position=position,
            )
        )
    session.flush()


def replace_channels(
    session: Session,
    contact_id: int,
    kind: str,
    channels: Sequence[ChannelSpec],
    *,
    label: str | None = None,
) -> None:
    """Make ``channels`` the contact's only channels of ``kind`` (``edit --email``).

    For ``other`` channels only those with the same ``label`` are replaced
    (``--channel shapr:…`` leaves the Signal handle alone). The new ones take
    the place of the first old one in the preference order, so replacing the
    preferred email keeps email preferred.
    """
    from netcrm.domain.models import Channel

    checked = [_checked(spec) for spec in channels]
    existing = _channels_of(session, contact_id)
    ordered: list[Any] = []
    inserted = False
    for channel in existing:
        if channel.kind != kind or (kind == "other" and channel.label != label):
            ordered.append(channel)
            continue
        session.delete(channel)
        if not inserted:
            ordered.append(None)  # where the new ones go
            inserted = True
    session.flush()
    if not inserted:
        ordered.append(None)
    fresh: list[Any] = []
    seen: set[str] = set()
    for k, value, label in checked:
        norm = normalize_channel(k, value)
        if norm in seen:
            continue
        seen.add(norm)
        fresh.append(
            Channel(contact_id=contact_id, kind=k, value=value, value_norm=norm, label=label)
        )
    position = 0
    for item in ordered:
        for channel in fresh if item is None else [item]:
            channel.position = position
            position += 1
            session.add(channel)
    session.flush()


def prefer_channel(session: Session, contact_id: int, value: str) -> None:
    """Make the channel with this value the preferred one (first)."""
    existing = _channels_of(session, contact_id)
    chosen = [c for c in existing if channel_matches(c.kind, c.value_norm, c.label, value)]
    if not chosen:
        raise InvalidInput(f"contact #{contact_id} has no channel {value!r}")
    rest = [c for c in existing if c not in chosen]
    for position, channel in enumerate([*chosen, *rest]):
        channel.position = position
        session.add(channel)
    session.flush()


def remove_channels(session: Session, contact_id: int, values: Iterable[str]) -> None:
    """Remove channels by value (any kind); an unknown value is an error."""
    existing = _channels_of(session, contact_id)
    for value in values:
        matches = [c for c in existing if channel_matches(c.kind, c.value_norm, c.label, value)]
        if not matches:
            raise InvalidInput(f"contact #{contact_id} has no channel {value!r}")
        for c in matches:
            session.delete(c)
            existing.remove(c)
    session.flush()


def refresh_touch(session: Session, contact: Contact) -> None:
    """Recompute ``last_contact`` from the interaction log and ``next_touch``
    from the cadence, counted from the last interaction or, if none, from the
    day the contact was added."""
    from sqlalchemy import text

    from netcrm.domain.keep_in_touch import next_touch

    last = (
        session.connection()
        .execute(
            text(
                "SELECT MAX(i.occurred_on) FROM interaction i "
                "JOIN interaction_contact ic ON ic.interaction_id = i.id "
                "WHERE ic.contact_id = :cid"
            ),
            {"cid": contact.id},
        )
        .scalar()
    )
    if isinstance(last, str):
        last = date.fromisoformat(last)
    contact.last_contact = last
    contact.next_touch = next_touch(contact.cadence, last, contact.created_at)
    session.add(contact)
    session.flush()


def delete_contact(session: Session, contact_id: int) -> None:
    """Delete a contact and everything that belongs only to it: interactions it
    alone took part in, its follow-ups, channels, tags and keys. Shared
    interactions, ideas and follow-ups that also belong to an idea stay,
    without it. One transaction (the caller's)."""
    from sqlalchemy import text

    contact = get_contact(session, contact_id)
    conn = session.connection()
    # A follow-up about this person *and* an idea belongs to the idea too.
    conn.execute(
        text(
            "UPDATE followup SET contact_id = NULL WHERE contact_id = :cid AND idea_id IS NOT NULL"
        ),
        {"cid": contact_id},
    )
    conn.execute(
        text(
            "DELETE FROM interaction WHERE id IN ("
            " SELECT ic.interaction_id FROM interaction_contact ic"
            " WHERE ic.contact_id = :cid AND NOT EXISTS ("
            "  SELECT 1 FROM interaction_contact o"
            "  WHERE o.interaction_id = ic.interaction_id AND o.contact_id <> :cid))"
        ),
        {"cid": contact_id},
    )
    session.delete(contact)
    session.flush()
    # Foreign keys cascade the rest (channels, links, its own follow-ups).
    labels.prune_unused_tags(session)
    forget_deleted_text(session)


def merge_contacts(session: Session, source_id: int, target_id: int, *, now: datetime) -> Contact:
    """Merge ``source`` into ``target``: channels, interactions, follow-ups,
    ideas, tags and keys move; the fields merge by ``merging.merge_fields``
    (the rule import uses too); ``source`` is deleted."""
    from sqlalchemy import text

    if source_id == target_id:
        raise InvalidInput("cannot merge a contact into itself")
    source = get_contact(session, source_id)
    target = get_contact(session, target_id)
    conn = session.connection()
    changes = merging.merge_fields(
        {c: getattr(target, c) for c in merging.COLUMNS},
        {c: getattr(source, c) for c in merging.COLUMNS},
    )
    for column, value in changes.items():
        setattr(target, column, value)
    target.created_at = min(target.created_at, source.created_at)
    target.updated_at = now
    params = {"src": source_id, "dst": target_id}
    # Link tables: copy what the target lacks; the source's rows go with it.
    for table, other in (
        ("interaction_contact", "interaction_id"),
        ("idea_contact", "idea_id"),
        ("contact_tag", "tag_id"),
        ("contact_key", "key"),
    ):
        conn.execute(
            text(
                f"INSERT INTO {table} (contact_id, {other}) "
                f"SELECT :dst, {other} FROM {table} s WHERE s.contact_id = :src "
                f"AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.contact_id = :dst "
                f"AND t.{other} = s.{other})"
            ),
            params,
        )
    conn.execute(text("UPDATE followup SET contact_id = :dst WHERE contact_id = :src"), params)
    moved: list[ChannelSpec] = [
        (r[0], r[1], r[2])
        for r in conn.execute(
            text(
                "SELECT kind, value, label FROM channel WHERE contact_id = :src "
                "ORDER BY position, id"
            ),
            params,
        )
    ]
    session.delete(source)
    session.flush()
    add_channels(session, target_id, moved)
    refresh_touch(session, target)
    labels.prune_unused_tags(session)
    return target


def forget_deleted_text(session: Session) -> None:
    """Make deleted words unreadable in the search index too.

    FTS5 deletes by appending delete markers that still carry the terms, so a
    removed contact's name would linger in ``search_index_data`` until the
    segments merge; ``optimize`` merges them now (secure_delete then zeroes the
    freed pages). It rewrites the index, which takes a moment on a very large
    network; deleting a person is rare and must not leave them behind.
    """
    from sqlalchemy import text

    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO search_index(search_index) VALUES ('optimize')"))


def contacts_by_ids(session: Session, ids: Sequence[int]) -> list[Contact]:
    return [get_contact(session, i) for i in ids]
