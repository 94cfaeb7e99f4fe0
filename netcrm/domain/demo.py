"""Loading an example network (``examples/network.json``) for ``netcrm demo``.

The file describes people, exchanges, ideas and follow-ups with every date
*relative* to the day it is loaded (``"days_ago": 12``, ``"due_in_days": -2``,
``"birthday_in_days": 3``), so that the demo always has something overdue,
something due today and something coming up. ``examples/README.md`` documents
the format.

Everything goes through the same domain functions as the commands
(:func:`~netcrm.domain.contacts.create_contact`,
:func:`~netcrm.domain.interactions.log_interaction`, the ideas and follow-ups
functions), so the example obeys every rule a user's data obeys. Past events
are written with past timestamps (``now`` minus the offset), in chronological
order, so that keep-in-touch clocks, idea histories ("stalled", "no movement")
and the period of the reports come out as they would for a real network.

A malformed file raises :class:`~netcrm.errors.InvalidInput` naming the place
(``contacts[3] (Léa Martin): unknown field 'emial'``); its shape, refs and
links are checked before anything is written, the rest as each item is
written, inside the caller's transaction, which then writes nothing. The
result depends only on the file, ``today`` and ``now``.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from netcrm.errors import InvalidInput, NetcrmError

if TYPE_CHECKING:
    from sqlmodel import Session

FORMAT = "netcrm-example/1"
SECTIONS = ("contacts", "interactions", "ideas", "followups")
# A sanity bound on every day offset: a century either way.
MAX_DAYS = 36_600

_TOP_FIELDS = frozenset({"format", "about", *SECTIONS})
_CONTACT_FIELDS = frozenset(
    {
        "ref",
        "name",
        "company",
        "role",
        "location",
        "met_via",
        "met_days_ago",
        "added_days_ago",
        "channels",
        "birthday",
        "birthday_in_days",
        "birthday_year",
        "warmth",
        "bigger",
        "relationship",
        "every",
        "tags",
        "keys",
        "notes",
        "archived",
    }
)
_INTERACTION_FIELDS = frozenset(
    {"with", "days_ago", "time", "via", "direction", "summary", "tags", "keys"}
)
_IDEA_FIELDS = frozenset(
    {
        "ref",
        "title",
        "kind",
        "with",
        "effort_hours",
        "created_days_ago",
        "notes",
        "tags",
        "keys",
        "moves",
        "steps",
    }
)
_MOVE_FIELDS = frozenset({"status", "days_ago"})
_STEP_FIELDS = frozenset({"text", "due_in_days", "effort_hours", "done_days_ago"})
_FOLLOWUP_FIELDS = frozenset(
    {
        "text",
        "due_in_days",
        "with",
        "idea",
        "every",
        "from_done",
        "created_days_ago",
        "done_days_ago",
        "note",
        "tags",
        "keys",
    }
)


# --- reading the JSON shape ------------------------------------------------------------


class _Item:
    """One JSON object of the file, with its place for error messages."""

    def __init__(
        self, value: Any, where: str, allowed: frozenset[str], *, label: str | None = None
    ) -> None:
        if not isinstance(value, dict):
            raise InvalidInput(f"{where}: expected an object, not {_json_type(value)}")
        self.where = where
        self.data: dict[str, Any] = value
        if label is not None:
            self.named(value.get(label))
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.error(
                f"unknown field {unknown[0]!r}; expected some of " + ", ".join(sorted(allowed))
            )

    def named(self, label: Any) -> None:
        """Add a name to the place: ``contacts[3] (Léa Martin)``."""
        if isinstance(label, str) and label.strip():
            self.where = f"{self.where} ({label.strip()})"

    def error(self, text: str) -> InvalidInput:
        return InvalidInput(f"{self.where}: {text}")

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(f"{key!r} is required")
            return None
        if not isinstance(value, str):
            raise self.error(f"{key!r} must be a string, not {_json_type(value)}")
        if required and not value.strip():
            raise self.error(f"{key!r} cannot be empty")
        return value

    def days(self, key: str, *, default: int | None = None, past: bool = False) -> int | None:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{key!r} must be a whole number of days, not {value!r}")
        if abs(value) > MAX_DAYS or (past and value < 0):
            bound = f"0 to {MAX_DAYS}" if past else f"-{MAX_DAYS} to {MAX_DAYS}"
            raise self.error(f"{key!r} must be from {bound}, not {value}")
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"{key!r} must be a number, not {value!r}")
        return float(value)

    def flag(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.error(f"{key!r} must be true or false, not {value!r}")
        return value

    def strings(self, key: str) -> list[str]:
        """A list of strings; a single string counts as a list of one."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"{key!r} must be a string or a list of strings")
        return list(value)

    def objects(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"{key!r} must be a list, not {_json_type(value)}")
        return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


@contextmanager
def _at(where: str) -> Iterator[None]:
    """Prefix the domain's own errors with the place in the file."""
    try:
        yield
    except NetcrmError as exc:
        if exc.message.startswith(where):
            raise
        raise InvalidInput(f"{where}: {exc.message}", details=exc.details) from exc


# --- the plan: the file's shape, checked before anything is written -------------------


@dataclass
class _Plan:
    contacts: list[_Item] = field(default_factory=list)
    interactions: list[_Item] = field(default_factory=list)
    ideas: list[_Item] = field(default_factory=list)
    followups: list[_Item] = field(default_factory=list)
    contact_refs: set[str] = field(default_factory=set)
    idea_refs: set[str] = field(default_factory=set)


_SECTION_FIELDS = {
    "contacts": (_CONTACT_FIELDS, "name"),
    "interactions": (_INTERACTION_FIELDS, "summary"),
    "ideas": (_IDEA_FIELDS, "title"),
    "followups": (_FOLLOWUP_FIELDS, "text"),
}


def _read_plan(data: Any) -> _Plan:
    if not isinstance(data, dict):
        raise InvalidInput(f"an example network is a JSON object, not {_json_type(data)}")
    unknown = sorted(set(data) - _TOP_FIELDS)
    if unknown:
        raise InvalidInput(
            f"unknown section {unknown[0]!r}; expected some of {', '.join(sorted(_TOP_FIELDS))}"
        )
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise InvalidInput(f"unknown format {fmt!r}; this netcrm reads {FORMAT!r}")
    plan = _Plan()
    for name in SECTIONS:
        allowed, label = _SECTION_FIELDS[name]
        values = data.get(name, [])
        if not isinstance(values, list):
            raise InvalidInput(f"{name!r} must be a list, not {_json_type(values)}")
        bucket: list[_Item] = getattr(plan, name)
        for i, value in enumerate(values):
            bucket.append(_Item(value, f"{name}[{i}]", allowed, label=label))
    plan.contact_refs = _refs(plan.contacts, "contacts", required=True)
    plan.idea_refs = _refs(plan.ideas, "ideas", required=False)
    _check_links(plan)
    return plan


def _refs(items: list[_Item], section: str, *, required: bool) -> set[str]:
    found: set[str] = set()
    for item in items:
        ref = item.text("ref", required=required)
        if ref is None:
            continue
        if ref in found:
            raise item.error(f"the ref {ref!r} is used twice in {section}")
        found.add(ref)
    return found


def _check_links(plan: _Plan) -> None:
    """Every ``with`` and ``idea`` names something in the file."""
    known = ", ".join(sorted(plan.contact_refs)) or "none"
    for section in ("interactions", "ideas", "followups"):
        for item in getattr(plan, section):
            people = item.strings("with")
            for ref in people:
                if ref not in plan.contact_refs:
                    raise item.error(f"no contact with ref {ref!r} (known refs: {known})")
            if section == "interactions" and not people:
                raise item.error("an interaction needs 'with': a contact ref or a list of them")
            if section == "followups":
                if len(people) > 1:
                    raise item.error("a follow-up concerns one contact at most")
                idea = item.text("idea")
                if idea is not None and idea not in plan.idea_refs:
                    raise item.error(f"no idea with ref {idea!r}")


# --- loading -------------------------------------------------------------------------


def load_network(
    session: Session, data: dict[str, Any], *, today: date, now: datetime
) -> dict[str, int]:
    """Load an example network into the session's database (flushes, never
    commits) and return how many of each thing it wrote: ``contacts``,
    ``interactions``, ``ideas``, ``steps``, ``followups``."""
    plan = _read_plan(data)

    def stamp(days_ago: int) -> datetime:
        return now - timedelta(days=days_ago)

    counts = dict.fromkeys(("contacts", "interactions", "ideas", "steps", "followups"), 0)
    contact_ids: dict[str, int] = {}
    for item in plan.contacts:
        ref = item.text("ref", required=True) or ""
        contact_ids[ref] = _load_contact(session, item, today=today, stamp=stamp)
        counts["contacts"] += 1
    # Oldest first, so that ids follow time as they would have day by day.
    by_age = sorted(plan.interactions, key=lambda it: -(it.days("days_ago", default=0) or 0))
    for item in by_age:
        _load_interaction(session, item, contact_ids, today=today, stamp=stamp)
        counts["interactions"] += 1
    idea_ids: dict[str, int] = {}
    for item in plan.ideas:
        idea_id, steps = _load_idea(session, item, contact_ids, today=today, stamp=stamp)
        idea_ref = item.text("ref")
        if idea_ref is not None:
            idea_ids[idea_ref] = idea_id
        counts["ideas"] += 1
        counts["steps"] += steps
    for item in plan.followups:
        _load_followup(session, item, contact_ids, idea_ids, today=today, stamp=stamp)
        counts["followups"] += 1
    return counts


def _keys(item: _Item) -> list[str]:
    from netcrm.domain.keys import resolve_keys

    with _at(item.where):
        return resolve_keys(item.strings("keys"))


def _tags(item: _Item) -> list[str]:
    from netcrm.domain.labels import clean_tags

    with _at(item.where):
        return clean_tags(item.strings("tags"))


def _birthday(item: _Item, today: date) -> tuple[int | None, int | None, int | None]:
    from netcrm.dates import parse_birthday

    text = item.text("birthday")
    offset = item.days("birthday_in_days")
    year = item.data.get("birthday_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise item.error(f"'birthday_year' must be a year, not {year!r}")
    if text is not None and offset is not None:
        raise item.error("give 'birthday' or 'birthday_in_days', not both")
    if text is not None:
        if year is not None:
            raise item.error("'birthday_year' goes with 'birthday_in_days'")
        with _at(item.where):
            return parse_birthday(text, today=today)
    if offset is None:
        if year is not None:
            raise item.error("'birthday_year' goes with 'birthday_in_days'")
        return None, None, None
    day = today + timedelta(days=offset)
    if year is not None and not 1900 <= year <= today.year:
        raise item.error(f"'birthday_year' must be from 1900 to {today.year}, not {year}")
    if (day.month, day.day) == (2, 29) and year is not None and not calendar.isleap(year):
        year = None  # a 29 February birthday needs a leap year; keep the day, drop the year
    return year, day.month, day.day


def _load_contact(
    session: Session, item: _Item, *, today: date, stamp: Callable[[int], datetime]
) -> int:
    from netcrm.dates import parse_cadence
    from netcrm.domain.contacts import ContactInput, create_contact, parse_channel_spec

    added = item.days("added_days_ago", default=0, past=True) or 0
    met = item.days("met_days_ago", past=True)
    year, month, day = _birthday(item, today)
    every = item.text("every")
    warmth = item.data.get("warmth")
    if warmth is not None and (isinstance(warmth, bool) or not isinstance(warmth, int)):
        raise item.error(f"'warmth' must be a whole number from 1 to 5, not {warmth!r}")
    with _at(item.where):
        channels = [parse_channel_spec(spec) for spec in item.strings("channels")]
        fields: dict[str, Any] = {
            "name": item.text("name", required=True),
            "company": item.text("company"),
            "role": item.text("role"),
            "location": item.text("location"),
            "met_via": item.text("met_via"),
            "met_on": today - timedelta(days=met) if met is not None else None,
            "birthday_year": year,
            "birthday_month": month,
            "birthday_day": day,
            "warmth": warmth,
            "bigger": item.flag("bigger"),
            "relationship": item.text("relationship"),
            "cadence": parse_cadence(every, today=today) if every is not None else None,
            "notes": item.text("notes"),
            "archived": item.flag("archived"),
        }
        contact = create_contact(
            session,
            ContactInput(
                fields=fields, channels=list(channels), tags=_tags(item), keys=_keys(item)
            ),
            now=stamp(added),
        )
    assert contact.id is not None
    return contact.id


def _load_interaction(
    session: Session,
    item: _Item,
    contact_ids: Mapping[str, int],
    *,
    today: date,
    stamp: Callable[[int], datetime],
) -> None:
    from netcrm.domain.interactions import InteractionInput, check_time, log_interaction

    days_ago = item.days("days_ago", past=True)
    if days_ago is None:
        raise item.error("'days_ago' is required (0 is today)")
    direction = item.text("direction") or "out"
    if direction not in ("out", "in"):
        raise item.error(
            f"'direction' is 'out' (I reached out) or 'in' (they did), not {direction!r}"
        )
    time = item.text("time")
    with _at(item.where):
        log_interaction(
            session,
            InteractionInput(
                contact_ids=[contact_ids[ref] for ref in item.strings("with")],
                summary=item.text("summary", required=True) or "",
                on=today - timedelta(days=days_ago),
                channel=item.text("via") or "other",
                direction=direction,
                time=check_time(time) if time is not None else None,
                tags=_tags(item),
                keys=_keys(item),
            ),
            now=stamp(days_ago),
        )


def _load_idea(
    session: Session,
    item: _Item,
    contact_ids: Mapping[str, int],
    *,
    today: date,
    stamp: Callable[[int], datetime],
) -> tuple[int, int]:
    """Create the idea with its plan, then replay its history (status moves
    and steps done) oldest first; returns (idea id, number of steps)."""
    from netcrm.domain.ideas import IdeaInput, add_step, check_step, create_idea, move_idea

    created = item.days("created_days_ago", default=0, past=True) or 0
    moves = [
        _Item(v, f"{item.where}.moves[{i}]", _MOVE_FIELDS)
        for i, v in enumerate(item.objects("moves"))
    ]
    steps = [
        _Item(v, f"{item.where}.steps[{i}]", _STEP_FIELDS)
        for i, v in enumerate(item.objects("steps"))
    ]
    # (days ago, tie-break, what, status or step number, place in the file)
    history: list[tuple[int, int, str, Any, _Item]] = []
    previous = created
    for order, move in enumerate(moves):
        days_ago = move.days("days_ago", past=True)
        if days_ago is None:
            raise move.error("'days_ago' is required")
        if days_ago > previous:
            raise move.error(
                f"a move {days_ago} days ago comes before the event listed before it "
                f"({previous} days ago); list moves oldest first, after the idea's creation"
            )
        previous = days_ago
        history.append((days_ago, order, "move", move.text("status", required=True), move))
    for number, step in enumerate(steps, start=1):
        done = step.days("done_days_ago", past=True)
        if done is None:
            continue
        if done > created:
            raise step.error(f"done {done} days ago, before the idea ({created} days ago)")
        history.append((done, len(moves) + number, "check", number, step))

    with _at(item.where):
        idea = create_idea(
            session,
            IdeaInput(
                title=item.text("title", required=True) or "",
                kind=item.text("kind") or "other",
                contact_ids=[contact_ids[ref] for ref in item.strings("with")],
                effort_hours=item.number("effort_hours"),
                notes=item.text("notes"),
                tags=_tags(item),
                keys=_keys(item),
            ),
            now=stamp(created),
        )
    assert idea.id is not None
    for step in steps:
        due = step.days("due_in_days")
        with _at(step.where):
            add_step(
                session,
                idea.id,
                step.text("text", required=True) or "",
                due=today + timedelta(days=due) if due is not None else None,
                effort_hours=step.number("effort_hours"),
                now=stamp(created),
            )
    for days_ago, _, what, arg, place in sorted(history, key=lambda h: (-h[0], h[1])):
        with _at(place.where):
            if what == "move":
                move_idea(session, idea.id, arg, now=stamp(days_ago))
            else:
                check_step(session, idea.id, arg, now=stamp(days_ago))
    return idea.id, len(steps)


def _load_followup(
    session: Session,
    item: _Item,
    contact_ids: Mapping[str, int],
    idea_ids: Mapping[str, int],
    *,
    today: date,
    stamp: Callable[[int], datetime],
) -> None:
    from netcrm.domain.followups import FollowupInput, complete_followup, create_followup

    due = item.days("due_in_days")
    if due is None:
        raise item.error("'due_in_days' is required (0 is today, -2 two days ago)")
    created = item.days("created_days_ago", default=0, past=True) or 0
    done = item.days("done_days_ago", past=True)
    if done is not None and done > created:
        raise item.error(f"done {done} days ago, before it was created ({created} days ago)")
    note = item.text("note")
    if note is not None and done is None:
        raise item.error("'note' is the note of a done follow-up; add 'done_days_ago'")
    people = item.strings("with")
    idea = item.text("idea")
    with _at(item.where):
        followup = create_followup(
            session,
            FollowupInput(
                text=item.text("text", required=True) or "",
                due=today + timedelta(days=due),
                contact_id=contact_ids[people[0]] if people else None,
                idea_id=idea_ids[idea] if idea is not None else None,
                every=item.text("every"),
                from_done=bool(item.flag("from_done")),
                tags=_tags(item),
                keys=_keys(item),
            ),
            now=stamp(created),
        )
        assert followup.id is not None
        if done is not None:
            complete_followup(
                session,
                followup.id,
                today=today - timedelta(days=done),
                now=stamp(done),
                note=note,
            )
