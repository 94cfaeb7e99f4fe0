"""Keep-in-touch cadences: how long after the last contact the next touch is due.

A cadence is stored (``contact.cadence``) in one of two forms:

- a **duration**, written as an ISO 8601 duration of one unit: ``P30D``,
  ``P2W``, ``P3M``, ``P1Y``. Everything a person types as an amount or a
  frequency becomes one: ``30d``, ``2w``, ``3m``, ``1y``, ``30 days``,
  ``daily``, ``weekly``, ``fortnightly``, ``monthly``, ``quarterly``,
  ``yearly``, ``every 2 weeks``, ``every other week``, ``tous les mois``,
  ``P3M``. The next touch is the last contact plus that much, by calendar
  arithmetic (``relativedelta``): 10 February + 3 months is 10 May, and a day
  the target month lacks is clamped to its last day (31 January + 1 month is
  28 February; 29 February + 1 year is 28 February).
- an **RFC 5545 rule** (``FREQ=MONTHLY;BYDAY=1MO``, or ``every monday``, which
  names days rather than an amount), evaluated from the last contact with
  :func:`netcrm.dates.recurrence.next_occurrence`: the first occurrence after it.

:func:`cadence_days` is "the cadence in days", the one figure reports compare a
silence against: a month is 30 days, a year 365, and a rule counts the average
gap between its occurrences.
"""

from __future__ import annotations

from datetime import date

from netcrm.dates.recurrence import (
    describe_rule,
    next_occurrence,
    parse_recurrence,
    read_frequency,
    rule_gap_days,
)
from netcrm.dates.vocabulary import _RULE_HINT, _Lazy
from netcrm.errors import InvalidInput
from netcrm.text import normalize

__all__ = ["cadence_days", "describe_cadence", "next_touch_after", "parse_cadence"]

_ISO_RE = _Lazy(r"p(?P<n>[0-9]{1,6})(?P<u>[dwmy])")
_DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}
_UNIT_NAMES = {"d": "day", "w": "week", "m": "month", "y": "year"}
_ADVERBS = {"d": "daily", "w": "weekly", "m": "monthly", "y": "yearly"}
_MAX_DAYS = 100 * 366


def _duration(cadence: str) -> tuple[int, str] | None:
    """(count, unit letter) of a stored duration (``P3M``), or None for a rule."""
    match = _ISO_RE.fullmatch(cadence.strip().lower())
    if match is None:
        return None
    return int(match["n"]), match["u"]


def _canonical(count: int, unit: str, text: str) -> str:
    if count < 1:
        raise InvalidInput(f"cannot read the cadence {text!r} (at least 1); {_RULE_HINT}")
    if count * _DAYS_PER_UNIT[unit] > _MAX_DAYS:
        raise InvalidInput(f"the cadence {text!r} is too long (100 years at most)")
    return f"P{count}{unit.upper()}"


def parse_cadence(text: str, *, today: date) -> str:
    """The stored form of a typed cadence: a duration (``P3M``) or an RRULE body."""
    original = text.strip()
    key = normalize(text)
    if match := _ISO_RE.fullmatch(key):
        return _canonical(int(match["n"]), match["u"], original)
    if (found := read_frequency(key, original)) is not None:
        return _canonical(*found, original)
    return parse_recurrence(text, anchor=today)


def next_touch_after(cadence: str, last: date) -> date:
    """The next touch for ``cadence`` after a contact on ``last``."""
    from dateutil.relativedelta import relativedelta

    found = _duration(cadence)
    if found is None:
        return next_occurrence(cadence, last)
    count, unit = found
    step = {
        "d": relativedelta(days=count),
        "w": relativedelta(weeks=count),
        "m": relativedelta(months=count),
        "y": relativedelta(years=count),
    }[unit]
    try:
        return last + step
    except (OverflowError, ValueError):
        raise InvalidInput(
            f"{last.isoformat()} plus {describe_cadence(cadence)} is past the end of the calendar"
        ) from None


def describe_cadence(cadence: str) -> str:
    """'every 3 months', 'monthly', 'every 30 days'; a rule as :func:`describe_rule` says it."""
    found = _duration(cadence)
    if found is None:
        return describe_rule(cadence)
    count, unit = found
    if count == 1:
        return _ADVERBS[unit]
    return f"every {count} {_UNIT_NAMES[unit]}s"


def cadence_days(cadence: str) -> int:
    """The cadence in days: 30 for a month, 365 for a year, a rule's average gap."""
    found = _duration(cadence)
    if found is None:
        return rule_gap_days(cadence)
    count, unit = found
    return count * _DAYS_PER_UNIT[unit]
