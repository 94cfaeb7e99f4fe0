"""The tables, as SQLModel class families (STYLE.md rule 2).

``XBase`` holds the fields shared by the table and its inputs, ``X`` is the
table, ``XCreate`` its input. An edit is described by the entity's changes
object in the domain (``ContactChanges``…, see ``netcrm.domain.changes``).

Conventions kept by every table:
- dates are ``date`` (ISO text in SQLite), timestamps naive local ``datetime``;
- the five keys are stored as slugs in ``*_key`` link tables (explicit keys
  only; inferred keys are computed, never stored, so they cannot be counted
  twice);
- ``contact.last_contact`` and ``contact.next_touch`` are caches kept current by
  the domain whenever interactions or cadences change, so that ``netcrm due``
  reads an index instead of grouping over every interaction;
- ``contact.name_norm`` and ``channel.value_norm`` are the accent- and
  case-folded forms that WHO resolution and duplicate detection look up.

The vocabularies (channel kinds, statuses…) live with the domain code that
validates them (``contacts``, ``interactions``, ``ideas``), which must stay
cheap to import.

The schema itself is owned by the Alembic revisions in
``netcrm/store/migrations``; a test compares these models with a migrated
database.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime, Index, text
from sqlmodel import Field, SQLModel


# Timestamps are naive local time (a personal tool lives in its user's day),
# stored with a plain DateTime: newer SQLModel releases default to a UTC-aware
# type that refuses naive values.
def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# --- contacts -----------------------------------------------------------------


class ContactBase(SQLModel):
    name: str
    company: str | None = None
    role: str | None = None
    location: str | None = None
    met_via: str | None = None
    met_on: date | None = None
    birthday_year: int | None = None
    birthday_month: int | None = None
    birthday_day: int | None = None
    warmth: int | None = None
    bigger: bool = False
    relationship: str = "business"
    cadence: str | None = None  # P3M or an RRULE body, see netcrm.dates.cadence
    notes: str | None = None
    archived: bool = False


class Contact(ContactBase, table=True):
    __tablename__ = "contact"
    __table_args__ = (Index("ix_contact_birthday", "birthday_month", "birthday_day"),)

    id: int | None = Field(default=None, primary_key=True)
    name_norm: str = Field(index=True)
    # The name without its first word ("martin" for "Léa Martin"), so that a
    # prefix of the last name is an index range too.
    surname_norm: str = Field(default="", index=True)
    last_contact: date | None = Field(default=None, index=True)
    next_touch: date | None = Field(default=None, index=True)
    birthday_wished_year: int | None = None
    birthday_snoozed_to: date | None = None
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=_now, sa_type=DateTime)


class ContactCreate(ContactBase):
    pass


class ContactWord(SQLModel, table=True):
    """The words of a contact's folded name (see ``netcrm.domain.who``), so
    that a prefix of any of them is an index range."""

    __tablename__ = "contact_word"
    # (contact_id, word): a contact's words for WHO, and its rows for a rename.
    __table_args__ = (Index("ix_contact_word_contact", "contact_id", "word"),)

    word: str = Field(primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")


class Channel(SQLModel, table=True):
    __tablename__ = "channel"
    __table_args__ = (
        Index("ix_channel_contact", "contact_id", "position"),
        Index("ix_channel_lookup", "kind", "value_norm"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE")
    kind: str
    value: str
    value_norm: str
    label: str | None = None
    position: int = 0  # the lowest is the preferred channel


class Tag(SQLModel, table=True):
    __tablename__ = "tag"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class ContactTag(SQLModel, table=True):
    __tablename__ = "contact_tag"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE", index=True)


class ContactKey(SQLModel, table=True):
    __tablename__ = "contact_key"

    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(primary_key=True)


# --- interactions -----------------------------------------------------------------


class InteractionBase(SQLModel):
    occurred_on: date
    occurred_time: str | None = None  # "HH:MM"
    channel: str = "other"
    direction: str = "out"
    summary: str


class Interaction(InteractionBase, table=True):
    __tablename__ = "interaction"
    __table_args__ = (Index("ix_interaction_occurred_on", "occurred_on"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime)


class InteractionContact(SQLModel, table=True):
    __tablename__ = "interaction_contact"
    __table_args__ = (Index("ix_interaction_contact_contact", "contact_id", "interaction_id"),)

    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")


class InteractionTag(SQLModel, table=True):
    __tablename__ = "interaction_tag"

    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE", index=True)


class InteractionKey(SQLModel, table=True):
    __tablename__ = "interaction_key"

    interaction_id: int = Field(foreign_key="interaction.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(primary_key=True)


# --- ideas ------------------------------------------------------------------------


class IdeaBase(SQLModel):
    title: str
    kind: str = "other"
    status: str = "idea"
    effort_hours: float | None = None
    notes: str | None = None


class Idea(IdeaBase, table=True):
    __tablename__ = "idea"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=_now, sa_type=DateTime)
    status_changed_at: datetime = Field(default_factory=_now, sa_type=DateTime)


class IdeaCreate(IdeaBase):
    pass


class IdeaContact(SQLModel, table=True):
    __tablename__ = "idea_contact"

    idea_id: int = Field(foreign_key="idea.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(
        foreign_key="contact.id", primary_key=True, ondelete="CASCADE", index=True
    )


class IdeaTag(SQLModel, table=True):
    __tablename__ = "idea_tag"

    idea_id: int = Field(foreign_key="idea.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE", index=True)


class IdeaKey(SQLModel, table=True):
    __tablename__ = "idea_key"

    idea_id: int = Field(foreign_key="idea.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(primary_key=True)


class IdeaStep(SQLModel, table=True):
    __tablename__ = "idea_step"
    __table_args__ = (
        Index(
            "ix_idea_step_open_due",
            "due",
            sqlite_where=text("done_at IS NULL AND due IS NOT NULL"),
            postgresql_where=text("done_at IS NULL AND due IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", ondelete="CASCADE", index=True)
    position: int
    text: str
    due: date | None = None
    effort_hours: float | None = None
    done_at: datetime | None = Field(default=None, sa_type=DateTime)


class IdeaEvent(SQLModel, table=True):
    """One status change of an idea: its history."""

    __tablename__ = "idea_event"

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", ondelete="CASCADE", index=True)
    status: str
    at: datetime = Field(default_factory=_now, sa_type=DateTime)


# --- follow-ups ---------------------------------------------------------------------


class FollowupBase(SQLModel):
    text: str
    due: date
    contact_id: int | None = Field(
        default=None, foreign_key="contact.id", ondelete="CASCADE", index=True
    )
    idea_id: int | None = Field(default=None, foreign_key="idea.id", ondelete="CASCADE", index=True)
    recurrence: str | None = None  # canonical RRULE body
    from_done: bool = False


class Followup(FollowupBase, table=True):
    __tablename__ = "followup"
    __table_args__ = (
        Index(
            "ix_followup_open_due",
            "due",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    done_at: datetime | None = Field(default=None, sa_type=DateTime)
    done_note: str | None = None
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=_now, sa_type=DateTime)


class FollowupCreate(FollowupBase):
    pass


class FollowupTag(SQLModel, table=True):
    __tablename__ = "followup_tag"

    followup_id: int = Field(foreign_key="followup.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, ondelete="CASCADE", index=True)


class FollowupKey(SQLModel, table=True):
    __tablename__ = "followup_key"

    followup_id: int = Field(foreign_key="followup.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(primary_key=True)
