"""Durations ('7d', '2 weeks'), the start of a period ('90d', '2025') and 'in 3 days'."""

from __future__ import annotations

import re
from datetime import date, timedelta

from netcrm.dates.parsing import parse_date
from netcrm.dates.vocabulary import (
    _AMOUNT_RE,
    _DURATION_HINT,
    _MAX_LENGTH,
    _amount,
    _Lazy,
    _make_date,
    _shift,
)
from netcrm.errors import InvalidInput
from netcrm.text import normalize

# --- durations ----------------------------------------------------------------

_DURATION_RE = _Lazy(rf"\+?(?:(?P<bare>[0-9]{{1,6}})|{_AMOUNT_RE})")
_DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}
_MAX_DURATION_DAYS = 100 * 366


def _duration(text: str) -> tuple[int, str] | None:
    """(count, unit letter) of '7d', '2 weeks', '14' (days), or None."""
    match = _DURATION_RE.fullmatch(normalize(text))
    if match is None:
        return None
    if match["bare"] is not None:
        return int(match["bare"]), "d"
    return _amount(match)


def parse_duration_days(text: str) -> int:
    """Days in '7d', '2w', '1m' (30 days), '1y' (365), '14', '10 days', '2 semaines'."""
    original = text.strip()
    if len(original) > _MAX_LENGTH or (found := _duration(original)) is None:
        raise InvalidInput(f"cannot read the duration {original!r}; {_DURATION_HINT}")
    count, unit = found
    days = count * _DAYS_PER_UNIT[unit]
    if days > _MAX_DURATION_DAYS:
        raise InvalidInput(f"the duration {original!r} is too long (100 years at most)")
    return days


def parse_since(text: str, *, today: date) -> date:
    """Start of a period that ends today: a duration ('90d', '3m', '1y') or a date.

    A duration is the last that many days, weeks, months or years, today
    included: '90d' starts on today − 89, '1m' on the day after today − 1 month.
    A bare number is days ('90'), except a four-digit one, which is a year
    ('2025' is 2025-01-01).
    """
    original = text.strip()
    if re.fullmatch("[0-9]{4}", original):
        return _make_date(int(original), 1, 1, original)
    found = _duration(original) if len(original) <= _MAX_LENGTH else None
    if found is None:
        return parse_date(text, today=today, sense="past")
    count, unit = found
    return _shift(today, -count, unit, original) + timedelta(days=1)


# --- relative descriptions ----------------------------------------------------


def describe_relative(d: date, *, today: date) -> str:
    """'today', 'in 2 days', '3 days overdue' — for due rows."""
    days = (d - today).days
    if days == 0:
        return "today"
    plural = "" if abs(days) == 1 else "s"
    if days > 0:
        return f"in {days} day{plural}"
    return f"{-days} day{plural} overdue"
