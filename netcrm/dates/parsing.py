"""Reading dates and birthdays as people type them; see :mod:`netcrm.dates`."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from netcrm.dates.vocabulary import (
    _AMOUNT_RE,
    _BIRTHDAY_HINT,
    _DATE_HINT,
    _DAY_RE,
    _MAX_LENGTH,
    _MONTH_RE,
    _MONTHS,
    _UNITS,
    _WEEKDAY_NAMES,
    _WEEKDAY_RE,
    _WEEKDAYS,
    MONTH_NAMES,
    _amount,
    _bad_date,
    _Lazy,
    _make_date,
    _shift,
)
from netcrm.errors import InvalidInput
from netcrm.text import normalize

if TYPE_CHECKING:
    from dateutil.parser import parser as DateutilParser

# --- dates --------------------------------------------------------------------

Sense = Literal["next", "past"]
"""What a date is for: ``"next"`` something to do, ``"past"`` something that happened.

It decides a date without a year (the next such date, or the latest one; today
counts either way) and a bare weekday (``friday``: the next one strictly after
today, or the latest one, today included)."""

_DAY_OFFSETS = {
    "today": 0,
    "now": 0,
    "aujourd'hui": 0,
    "aujourdhui": 0,
    "tomorrow": 1,
    "demain": 1,
    "yesterday": -1,
    "hier": -1,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
    "apres-demain": 2,
    "apres demain": 2,
    "day before yesterday": -2,
    "the day before yesterday": -2,
    "avant-hier": -2,
    "avant hier": -2,
}

_SIGNED_RE = _Lazy(rf"(?P<sign>[+-])?\s*{_AMOUNT_RE}")
_FUTURE_RES = (
    _Lazy(rf"(?:in|dans|d'ici)\s+{_AMOUNT_RE}"),
    _Lazy(rf"{_AMOUNT_RE}\s+(?:from now|later|plus tard)"),
)
_PAST_RES = (
    _Lazy(rf"{_AMOUNT_RE}\s+(?:ago|earlier)"),
    _Lazy(rf"il y a\s+{_AMOUNT_RE}"),
)
_NEXT_UNIT_EN_RE = _Lazy(r"(?P<dir>next|last)\s+(?P<u>week|month|year)")
_NEXT_UNIT_FR_RE = _Lazy(
    r"(?:(?:la|le|l')\s*)?(?P<u>semaine|mois|annee|an)\s+(?P<dir>prochaine?|derniere?)"
)
_WEEKDAY_FORM_RE = _Lazy(
    rf"(?:(?P<pre>next|this|last|on|coming|ce)\s+)?(?P<wd>{_WEEKDAY_RE})"
    r"(?:\s+(?P<post>prochain|dernier))?"
)
_DAY_MONTH_RE = _Lazy(
    rf"(?:(?:le|on|the)\s+)?(?:(?:{_WEEKDAY_RE}),?\s+)?(?:(?:le|the)\s+)?{_DAY_RE}"
    rf"\s+(?:of\s+)?(?P<m>{_MONTH_RE})\.?,?(?:\s+(?P<y>[0-9]{{4}}))?"
)
_MONTH_DAY_RE = _Lazy(
    rf"(?:(?:{_WEEKDAY_RE}),?\s+)?(?P<m>{_MONTH_RE})\.?\s+{_DAY_RE},?(?:\s+(?P<y>[0-9]{{4}}))?"
)
_YEAR_FIRST_RE = _Lazy(r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})")
_BASIC_ISO_RE = _Lazy(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})")
_NUMERIC_RE = _Lazy(
    r"(?P<a>[0-9]{1,2})(?P<sep>[-/.])(?P<b>[0-9]{1,2})(?:(?P=sep)(?P<y>[0-9]{4}|[0-9]{2}))?"
)
_ISO_DATETIME_RE = _Lazy(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ t]")


def _full_year(year: int, digits: int, this_year: int) -> int:
    """Two-digit years land within 50 years of this year, as dateutil does."""
    if digits > 2:
        return year
    year += this_year // 100 * 100
    if year >= this_year + 50:
        year -= 100
    elif year < this_year - 50:
        year += 100
    return year


def _weekday_date(match: re.Match[str], today: date, sense: Sense) -> date | None:
    pre, post = match["pre"], match["post"]
    if pre is not None and post is not None:
        return None
    target = _WEEKDAYS[match["wd"]]
    if sense == "past" and pre in (None, "on") and post is None:
        return today - timedelta(days=(today.weekday() - target) % 7)
    if pre == "last" or post == "dernier":
        return today - timedelta(days=(today.weekday() - target - 1) % 7 + 1)
    if pre in ("this", "ce"):
        return today + timedelta(days=(target - today.weekday()) % 7)
    return today + timedelta(days=(target - today.weekday() - 1) % 7 + 1)


def _day_month(text: str, original: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) for '5 décembre 2026', 'Dec 5', '1er mars'."""
    match = _DAY_MONTH_RE.fullmatch(text) or _MONTH_DAY_RE.fullmatch(text)
    if match is None:
        return None
    year = int(match["y"]) if match["y"] is not None else None
    month, day = _MONTHS[match["m"]], int(match["d"])
    # A leap year accepts 29 February when the year is left out.
    _make_date(year if year is not None else 2000, month, day, original)
    return year, month, day


# 29 February comes back within 8 years (2096 to 2104 skips a leap year).
_LEAP_SEARCH = 9


def _yearless(month: int, day: int, today: date, sense: Sense, original: str) -> date:
    """The next such day from today (``"next"``), or the latest (``"past"``); today counts."""
    step = 1 if sense == "next" else -1
    for year in range(today.year, today.year + step * _LEAP_SEARCH, step):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if (found >= today) if sense == "next" else (found <= today):
            return found
    raise _bad_date(original, "no such day")


def _check_weekday(key: str, found: date, original: str) -> None:
    """A weekday written with a date must be that date's ("jeudi 4 décembre")."""
    for word in re.findall("[a-z]+", key):
        said = _WEEKDAYS.get(word)
        if said is not None and said != found.weekday():
            raise InvalidInput(
                f"{found.day} {MONTH_NAMES[found.month - 1]} {found.year} is a "
                f"{_WEEKDAY_NAMES[found.weekday()]}, not a {_WEEKDAY_NAMES[said]} "
                f"({original!r}); fix the date or leave the weekday out"
            )


def _numeric_order(first: int, second: int) -> tuple[int, int] | None:
    """(month, day) from two numbers that may be day/month or month/day; None if unclear."""
    if first == second or second > 12:
        return first, second
    if first > 12:
        return second, first
    return None


def _iso_or_none(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return "2026-12-01"


@lru_cache(maxsize=8)
def _dateutil_parser(this_year: int) -> DateutilParser:
    from dateutil import parser

    class _Info(parser.parserinfo):
        def convertyear(self, year: int, century_specified: bool = False) -> int:
            if century_specified:
                return year
            return _full_year(year, len(str(year)), this_year)

    return parser.parser(_Info())


def _dateutil_date(text: str, today: date) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of a date dateutil reads fully (the year may be left out)."""
    reader = _dateutil_parser(today.year)
    try:
        # Two different defaults reveal whether the text left the year, the
        # day or the month out ("december", "10:00"), which dateutil silently
        # fills in. Both are leap years, so that "Feb 29" reads.
        first = reader.parse(text, default=datetime(2000, 1, 1), ignoretz=True)
        second = reader.parse(text, default=datetime(2004, 2, 2), ignoretz=True)
    except Exception:  # dateutil reports odd text with many exception types
        return None
    if (first.month, first.day) != (second.month, second.day):
        return None
    return (first.year if first.year == second.year else None), first.month, first.day


def parse_date(text: str, *, today: date, sense: Sense) -> date:
    """Read a user-typed date; see the module docstring for the forms.

    ``sense`` says what the date is for (:data:`Sense`): without a year,
    ``"next"`` is the next such date and ``"past"`` the latest. A weekday
    that contradicts the date is refused, naming the real one.
    """
    try:
        return _parse_date(text, today=today, sense=sense)
    except (OverflowError, ValueError):
        # "tomorrow" on 9999-12-31 and friends: past the ends of the calendar.
        raise InvalidInput(
            f"{text.strip()!r} falls outside the calendar netcrm can store; {_DATE_HINT}"
        ) from None


def _parse_date(text: str, *, today: date, sense: Sense) -> date:
    original = text.strip()
    key = normalize(text)
    if not key:
        raise InvalidInput(f"a date is required; {_DATE_HINT}")
    if len(key) > _MAX_LENGTH:
        raise _bad_date(original)

    if key in _DAY_OFFSETS:
        return today + timedelta(days=_DAY_OFFSETS[key])

    if match := _SIGNED_RE.fullmatch(key):
        count, unit = _amount(match)
        return _shift(today, -count if match["sign"] == "-" else count, unit, original)
    for pattern in _FUTURE_RES:
        if match := pattern.fullmatch(key):
            return _shift(today, *_amount(match), original)
    for pattern in _PAST_RES:
        if match := pattern.fullmatch(key):
            count, unit = _amount(match)
            return _shift(today, -count, unit, original)
    if match := _NEXT_UNIT_EN_RE.fullmatch(key) or _NEXT_UNIT_FR_RE.fullmatch(key):
        step = -1 if match["dir"] in ("last", "dernier", "derniere") else 1
        return _shift(today, step, _UNITS[match["u"]], original)

    if match := _WEEKDAY_FORM_RE.fullmatch(key):
        if (found := _weekday_date(match, today, sense)) is not None:
            return found
        raise _bad_date(original)

    parts = _calendar_date(key, original, today, sense)
    if parts is None:
        raise _bad_date(original)
    year, month, day = parts
    if year is None:
        found = _yearless(month, day, today, sense, original)
    else:
        found = _make_date(year, month, day, original)
    _check_weekday(key, found, original)
    return found


def _calendar_date(
    key: str, original: str, today: date, sense: Sense
) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of a date written out ('5 décembre', '13/01', ISO)."""
    if (parts := _day_month(key, original)) is not None:
        return parts
    if match := _YEAR_FIRST_RE.fullmatch(key) or _BASIC_ISO_RE.fullmatch(key):
        return int(match["y"]), int(match["m"]), int(match["d"])
    if match := _NUMERIC_RE.fullmatch(key):
        year_text = match["y"]
        year = _full_year(int(year_text), len(year_text), today.year) if year_text else None
        first, second = int(match["a"]), int(match["b"])
        # Nobody writes month.day.year: dotted dates are day-first.
        order = (second, first) if match["sep"] == "." else _numeric_order(first, second)
        if order is None:
            readings = [
                _iso_or_none(year, month, day)
                if year is not None
                else _yearless(month, day, today, sense, original).isoformat()
                for month, day in ((second, first), (first, second))
            ]
            raise InvalidInput(
                f"the date {original!r} is ambiguous (day/month or month/day?); write "
                f"{readings[0]} or {readings[1]}"
            )
        return year, *order
    # dateutil only sees text with words in it (or an ISO date with a time):
    # on bare numbers ("5", "5 5") it guesses.
    if re.search("[a-z]", key) or _ISO_DATETIME_RE.match(key):
        return _dateutil_date(original, today)
    return None


# --- birthdays ----------------------------------------------------------------

_BIRTHDAY_ISO_RE = _Lazy(r"(?P<y>[0-9]{4})-?(?P<m>[0-9]{2})-?(?P<d>[0-9]{2})(?:t[0-9:]*z?)?")
_MONTH_DAY_NUMERIC_RE = _Lazy(
    r"(?:--)?(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})|--(?P<m2>[0-9]{2})(?P<d2>[0-9]{2})"
)
_SLASHED_RE = _Lazy(r"(?P<a>[0-9]{1,2})(?P<sep>[/.])(?P<b>[0-9]{1,2})(?:(?P=sep)(?P<y>[0-9]{4}))?")
# Apple Contacts and some vCard exports write these years for "no year".
_NO_YEAR_MARKERS = (0, 1604)


def _bad_birthday(text: str, reason: str = "") -> InvalidInput:
    detail = f" ({reason})" if reason else ""
    return InvalidInput(f"cannot read the birthday {text!r}{detail}; {_BIRTHDAY_HINT}")


def parse_birthday(text: str, *, today: date) -> tuple[int | None, int, int]:
    """(year or None, month, day) of a birthday; the year may be left out.

    ``12/04`` is read only when unambiguous (``25/12``, ``12/25``, ``5/5``);
    29 February is accepted without a year, since it exists in leap years.
    """
    original = text.strip()
    key = normalize(text)
    if not key:
        raise InvalidInput(f"a birthday is required; {_BIRTHDAY_HINT}")
    if len(key) > _MAX_LENGTH:
        raise _bad_birthday(original)

    year: int | None
    if match := _BIRTHDAY_ISO_RE.fullmatch(key):
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    elif match := _MONTH_DAY_NUMERIC_RE.fullmatch(key):
        year = None
        month, day = int(match["m"] or match["m2"]), int(match["d"] or match["d2"])
    elif match := _SLASHED_RE.fullmatch(key):
        year = int(match["y"]) if match["y"] else None
        first, second = int(match["a"]), int(match["b"])
        order = (second, first) if match["sep"] == "." else _numeric_order(first, second)
        if order is None:
            raise InvalidInput(
                f"the birthday {original!r} is ambiguous (day/month or month/day?); write "
                f"{second:02}-{first:02} or {first:02}-{second:02} (month-day), or '12 April'"
            )
        month, day = order
    else:
        try:
            parts = _day_month(key, original)
        except InvalidInput:
            raise _bad_birthday(original, "no such day") from None
        if parts is None:
            raise _bad_birthday(original)
        year, month, day = parts

    if year in _NO_YEAR_MARKERS:
        year = None
    try:
        born = date(year if year is not None else 2000, month, day)
    except ValueError as exc:
        raise _bad_birthday(original, "no such day") from exc
    if born > today and year is not None:
        raise _bad_birthday(original, "that is in the future")
    return year, month, day
