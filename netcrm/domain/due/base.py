"""The parts every source of ``netcrm due`` shares: the row, the kind of row,
what ``done`` was told, and the helpers ``done`` and ``snooze`` use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from netcrm.dates import describe_cadence as _describe_cadence
from netcrm.dates import describe_relative

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.store.reader import Reader

DEFAULT_WITHIN_DAYS = 7
BIRTHDAY_GRACE_DAYS = 7
BIRTHDAY_SNOOZE_DAYS = 30
# Ideas in these statuses no longer need their steps done.
CLOSED_IDEA_STATUSES = ("done", "declined", "dropped")

DUE_KEYS: tuple[str, ...] = (
    "handle",
    "kind",
    "text",
    "contact",
    "contact_id",
    "due",
    "days_overdue",
    "section",
    "when",
    "channel",
)


@dataclass(frozen=True)
class DueItem:
    """One row of ``netcrm due``."""

    handle: str
    kind: str
    ref_id: int  # the follow-up, step or contact id behind the handle
    text: str
    contact: str | None
    contact_id: int | None
    due: date
    days_overdue: int
    section: str
    when: str
    channel: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` / ``--csv`` row (keys :data:`DUE_KEYS`)."""
        return {
            "handle": self.handle,
            "kind": self.kind,
            "text": self.text,
            "contact": self.contact,
            "contact_id": self.contact_id,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue,
            "section": self.section,
            "when": self.when,
            "channel": self.channel,
        }


def section_of(days_overdue: int) -> str:
    if days_overdue > 0:
        return "overdue"
    return "today" if days_overdue == 0 else "coming"


def make_item(
    kind: DueKind,
    ref_id: int,
    text: str,
    due: date,
    *,
    today: date,
    contact: str | None = None,
    contact_id: int | None = None,
) -> DueItem:
    days = (today - due).days
    return DueItem(
        handle=f"{kind.prefix}{ref_id}",
        kind=kind.kind,
        ref_id=ref_id,
        text=text,
        contact=contact,
        contact_id=contact_id,
        due=due,
        days_overdue=days,
        section=section_of(days),
        when=describe_relative(due, today=today),
    )


@dataclass(frozen=True)
class DoneOptions:
    """What ``netcrm done`` was told besides the handle."""

    note: str | None = None
    log: bool = False
    via: str | None = None  # an interaction channel, already checked


# fetch(reader, today=, until=, ref_id=, limit=): rows due up to ``until`` (at
# least ``limit`` of them if there are, for ``--check``), or the one open row
# ``ref_id`` whatever its date (``until`` then ignored).
Fetch = Callable[..., list[DueItem]]
Done = Callable[["Session", DueItem, DoneOptions, date, datetime], str]
Snooze = Callable[["Session", DueItem, date, date, datetime], str]


@dataclass(frozen=True)
class DueKind:
    kind: str
    prefix: str
    label: str  # "follow-up", in messages
    fetch: Fetch
    done: Done
    snooze: Snooze


# A network has a handful of distinct cadences: describe each once.
describe_cadence = lru_cache(maxsize=64)(_describe_cadence)


def snoozed(item: DueItem, when: date, today: date) -> str:
    return f"Snoozed {item.handle} to {when.isoformat()} ({describe_relative(when, today=today)})"


def session_reader(session: Session) -> Reader:
    from netcrm.store.reader import SqlAlchemyReader

    return SqlAlchemyReader(session)


def log_done(
    session: Session,
    contact_ids: Sequence[int],
    summary: str,
    options: DoneOptions,
    today: date,
    now: datetime,
) -> None:
    """Log an interaction with the contacts, today, on ``options.via`` or the
    first contact's preferred channel; this resets their keep-in-touch clocks."""
    from netcrm.domain.interactions import (
        InteractionInput,
        log_interaction,
        preferred_interaction_channel,
    )

    channel = options.via
    if channel is None:
        kinds = session_reader(session).rows(
            "SELECT kind FROM channel WHERE contact_id = :cid ORDER BY position, id",
            {"cid": contact_ids[0]},
        )
        channel = preferred_interaction_channel([r["kind"] for r in kinds])
    log_interaction(
        session,
        InteractionInput(contact_ids=list(contact_ids), summary=summary, on=today, channel=channel),
        now=now,
    )


def limit_clause(limit: int | None) -> str:
    return "" if limit is None else " LIMIT :limit"
