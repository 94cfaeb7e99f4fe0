"""iCalendar out (``netcrm export followups --format ics``), with icalendar.

Each open follow-up and each open idea step with a due date becomes an all-day
``VEVENT`` — the component every calendar shows (Google Calendar ignores
``VTODO``) — on its due day:

- ``SUMMARY`` is the text; ``DESCRIPTION`` names the contact and the idea;
  ``CATEGORIES`` carries the tags;
- a recurring follow-up carries its ``RRULE`` (netcrm stores the canonical
  RFC 5545 body, so it is copied as is) from its current due date. A rule
  counted from completion (``--from-done``) cannot be said in iCalendar; its
  events follow the rule from the current due date, which is where netcrm
  would put the next one if done on time;
- ``UID`` is ``followup-<id>@netcrm`` or ``step-<id>@netcrm``: stable, so a
  calendar that re-imports the file updates its events instead of doubling
  them.

Done follow-ups and steps are left out: a calendar is for what is ahead.

With ``--as todo`` each becomes a ``VTODO`` instead, for a task app
(Thunderbird, Apple Reminders, Nextcloud Tasks): ``DUE`` (a date), ``STATUS``
``NEEDS-ACTION``, the same ``RRULE``, ``UID``, ``DESCRIPTION`` and
``CATEGORIES``; done follow-ups are kept, with ``STATUS:COMPLETED`` and
their ``COMPLETED`` time (UTC), so the task app shows them ticked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar

PRODID = "-//netcrm//netcrm export//EN"


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _event(uid: str, summary: str, due: date, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", due)
    event.add("dtend", due + timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
    return event


def _todo(uid: str, summary: str, due: date, stamp: datetime, done_at: Any) -> icalendar.Todo:
    todo = icalendar.Todo()
    todo.add("uid", uid)
    todo.add("dtstamp", stamp)
    todo.add("summary", summary)
    todo.add("due", due)
    if done_at:
        done = done_at if isinstance(done_at, datetime) else datetime.fromisoformat(str(done_at))
        todo.add("status", "COMPLETED")
        # netcrm keeps local times; iCalendar's COMPLETED is UTC.
        todo.add("completed", done.astimezone(UTC).replace(microsecond=0))
    else:
        todo.add("status", "NEEDS-ACTION")
    return todo


AS = ("event", "todo")


def write_calendar(
    followups: Sequence[dict[str, Any]],
    steps: Sequence[dict[str, Any]],
    *,
    now: datetime,
    as_: str = "event",
) -> bytes:
    """The calendar of ``followups`` (export rows of ``netcrm.domain.
    exporting``) and dated idea ``steps`` (``calendar_steps`` rows): the open
    ones as events, or every one as a to-do (``as_="todo"``)."""
    stamp = now.astimezone(UTC).replace(microsecond=0)
    todo = as_ == "todo"
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "netcrm follow-ups")

    def item(uid: str, row: dict[str, Any]) -> Any:
        if todo:
            return _todo(uid, row["text"], _day(row["due"]), stamp, row.get("done_at"))
        return _event(uid, row["text"], _day(row["due"]), stamp)

    for row in followups:
        if row.get("done_at") and not todo:
            continue
        event = item(f"followup-{row['id']}@netcrm", row)
        about = []
        if row.get("contact"):
            about.append(f"Contact: {row['contact']}")
        if row.get("idea"):
            about.append(f"Idea: {row['idea']}")
        elif row.get("idea_id"):
            about.append(f"Idea #{row['idea_id']}")
        if row.get("from_done"):
            about.append("Repeats counted from when it is done.")
        if about:
            event.add("description", "\n".join(about))
        if row.get("tags"):
            event.add("categories", list(row["tags"]))
        if row.get("recurrence"):
            event.add("rrule", icalendar.vRecur.from_ical(row["recurrence"]))
        cal.add_component(event)
    for row in steps:
        if (row.get("done_at") and not todo) or not row.get("due"):
            continue
        event = item(f"step-{row['id']}@netcrm", row)
        event.add("description", f"Step {row['position']} of the idea: {row['idea']}")
        cal.add_component(event)
    return bytes(cal.to_ical())
