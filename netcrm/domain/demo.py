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
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from netcrm.domain.demo_plan import MOVE_FIELDS, STEP_FIELDS, Item, at_place, read_plan

if TYPE_CHECKING:
    from sqlmodel import Session

# --- loading -------------------------------------------------------------------------


def load_network(
    session: Session, data: dict[str, Any], *, today: date, now: datetime
) -> dict[str, int]:
    """Load an example network into the session's database (flushes, never
    commits) and return how many of each thing it wrote: ``contacts``,
    ``interactions``, ``ideas``, ``steps``, ``followups``."""
    plan = read_plan(data)

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


def _keys(item: Item) -> list[str]:
    from netcrm.domain.keys import resolve_keys

    with at_place(item.where):
        return resolve_keys(item.strings("keys"))


def _tags(item: Item) -> list[str]:
    from netcrm.domain.labels import clean_tags

    with at_place(item.where):
        return clean_tags(item.strings("tags"))


def _birthday(item: Item, today: date) -> tuple[int | None, int | None, int | None]:
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
        with at_place(item.where):
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
    session: Session, item: Item, *, today: date, stamp: Callable[[int], datetime]
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
    with at_place(item.where):
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
    item: Item,
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
    with at_place(item.where):
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
    item: Item,
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
        Item(v, f"{item.where}.moves[{i}]", MOVE_FIELDS)
        for i, v in enumerate(item.objects("moves"))
    ]
    steps = [
        Item(v, f"{item.where}.steps[{i}]", STEP_FIELDS)
        for i, v in enumerate(item.objects("steps"))
    ]
    # (days ago, tie-break, what, status or step number, place in the file)
    history: list[tuple[int, int, str, Any, Item]] = []
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

    with at_place(item.where):
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
        with at_place(step.where):
            add_step(
                session,
                idea.id,
                step.text("text", required=True) or "",
                due=today + timedelta(days=due) if due is not None else None,
                effort_hours=step.number("effort_hours"),
                now=stamp(created),
            )
    for days_ago, _, what, arg, place in sorted(history, key=lambda h: (-h[0], h[1])):
        with at_place(place.where):
            if what == "move":
                move_idea(session, idea.id, arg, now=stamp(days_ago))
            else:
                check_step(session, idea.id, arg, now=stamp(days_ago))
    return idea.id, len(steps)


def _load_followup(
    session: Session,
    item: Item,
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
    with at_place(item.where):
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
