"""Dates and recurrence rules: every date or rule a user types is read here.

Pure functions without I/O. "Today" is always a parameter, never the wall
clock, so tests and ``due`` agree on what today is. dateutil is imported inside
the functions that need it (``import netcrm.dates`` stays cheap for ``--help``).
Every bad input raises :class:`~netcrm.errors.InvalidInput` with an example of a
valid form; nothing else escapes, whatever dateutil does with odd text.

Choices a user can see:

- ``friday``, ``next friday``, ``on friday``, ``vendredi``, ``vendredi prochain``
  all mean the next Friday *strictly after* today: a reminder typed on a Friday
  "for friday" is meant for next week, not for today. ``this friday`` and
  ``ce vendredi`` include today. ``last friday`` / ``vendredi dernier`` are the
  latest Friday strictly before today.
- ``next week`` / ``la semaine prochaine`` (and month, year) mean one unit from
  today; ``last week`` one unit before.
- ``m`` is always months, never minutes. Months and years move by calendar
  (``+1m`` from 31 January is 28 or 29 February, as ``relativedelta`` does);
  as a number of days (:func:`parse_duration_days`) a month is 30 days and a
  year 365.
- A date without a year (``Dec 5``, ``5 décembre``) is in today's year, even if
  that is already past (as dateutil does). Two-digit years land within 50 years
  of *today* (dateutil's rule, but against the injected today).
- Numbers with ``/`` or ``-`` (``12/04``, ``25-12-2026``) are read day-first or
  month-first only when that is unambiguous (a number above 12, or both the
  same); otherwise the error offers both readings as ISO dates. Dotted dates
  (``5.12.2026``) are day-first, as everywhere dots are used. A year first
  (``2026/12/01``) is always year-month-day; ``20261201`` is ISO too. Bare
  numbers (``5``) are refused. For birthdays ``04-12`` and ``--04-12`` are
  month-day, as in vCard.
- A birthday year 1604 or 0000 means "no year": Apple and some vCard exports
  write that for a birthday without one.

Recurrence rules are stored as RFC 5545 RRULE bodies (no ``RRULE:`` prefix) and
evaluated with ``dateutil.rrule``. Only DAILY, WEEKLY, MONTHLY and YEARLY rules
with date-level parts are accepted (no BYHOUR…): netcrm schedules days.

- Shorthand: ``3d``, ``2w``, ``1m``, ``1y``, ``30 days``, ``daily`` …
  ``yearly``, ``fortnightly``, ``quarterly``, ``every 2 weeks``, ``every other
  week``, ``every monday``, and the French ``tous les jours``, ``chaque
  semaine``, ``toutes les 2 semaines``, ``mensuel``, ``tous les lundis``.
  Raw rules follow RFC 5545's restrictions (BYYEARDAY and BYWEEKNO only with
  YEARLY, no BYMONTHDAY with WEEKLY, not both COUNT and UNTIL) and netcrm adds
  one: no BYSETPOS with DAILY, where it can only mean "every day" or "never".
- Shorthand monthly rules anchored on a day some months lack (29, 30, 31) carry
  an end-of-month clamp (``BYMONTHDAY=28,29,30,31;BYSETPOS=-1``), so "every
  month from 31 January" is Jan 31, Feb 28, Mar 31, Apr 30 instead of RFC
  5545's skipping of short months; a yearly rule from 29 February falls on
  28 February in other years.
- :func:`next_occurrence` counts from ``after`` (it is the rule's DTSTART). A
  plain monthly or yearly rule (no BY… parts) counted from such a day gets the
  same clamp, like ``relativedelta``, rather than skipping a month. ``COUNT``
  therefore counts from each ``after``; ``UNTIL`` is kept as a date.
- The next occurrence is searched for within 100 years; a rule with none there
  is refused. ``BYMONTH=2;BYMONTHDAY=30`` is refused up front, since dateutil
  would scan every day to year 9999 to find it never happens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import MAXYEAR, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from netcrm.errors import InvalidInput

if TYPE_CHECKING:
    from dateutil.parser import parser as DateutilParser

__all__ = [
    "describe_relative",
    "describe_rule",
    "next_occurrence",
    "normalize",
    "parse_birthday",
    "parse_date",
    "parse_duration_days",
    "parse_recurrence",
    "parse_since",
    "strip_accents",
]

_DATE_HINT = "try 2026-12-01, tomorrow, +3d, 'next friday' or 'dans 3 jours'"
_BIRTHDAY_HINT = "try 1990-04-12, 04-12 (month-day), --04-12, '12 April' or '12 avril'"
_RULE_HINT = "try 30d, 2w, monthly, 'every 2 weeks' or FREQ=MONTHLY;BYDAY=1MO"
_DURATION_HINT = "try 7d, 2w, 1m, 14 or '10 days'"

# Longer than any date anyone types; keeps dateutil away from pathological input.
_MAX_LENGTH = 80


# --- text normalisation -------------------------------------------------------

# NFKD leaves these letters alone because they are not letter + accent.
_LETTER_FOLDS = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
    }
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'"})


def strip_accents(text: str) -> str:
    """``"Léa Œuvré"`` → ``"Lea OEuvre"``; case is kept."""
    if text.isascii():  # most names: skip the Unicode work (1 s per 100k on import)
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.translate(_LETTER_FOLDS)


def normalize(text: str) -> str:
    """Casefolded, accent-free, single-spaced form used for every loose match.

    Typographic apostrophes become ``'`` too, so "O’Brien" matches "O'Brien".
    """
    return " ".join(strip_accents(text.casefold()).split())


# --- vocabulary ---------------------------------------------------------------

_NUMBER_WORDS = {
    "a": 1,
    "one": 1,
    "un": 1,
    "une": 1,
    "two": 2,
    "deux": 2,
    "three": 3,
    "trois": 3,
    "four": 4,
    "quatre": 4,
    "five": 5,
    "cinq": 5,
    "six": 6,
    "seven": 7,
    "sept": 7,
    "eight": 8,
    "huit": 8,
    "nine": 9,
    "neuf": 9,
    "ten": 10,
    "dix": 10,
    "eleven": 11,
    "onze": 11,
    "twelve": 12,
    "douze": 12,
}

# d, w, m, y: days, weeks, months, years.
_UNITS = {
    **dict.fromkeys(("d", "day", "days", "j", "jour", "jours"), "d"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks", "sem", "semaine", "semaines"), "w"),
    **dict.fromkeys(("m", "mo", "mos", "month", "months", "mois"), "m"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years", "an", "ans", "annee", "annees"), "y"),
}

_WEEKDAYS = {
    **dict.fromkeys(("monday", "mon", "lundi"), 0),
    **dict.fromkeys(("tuesday", "tue", "tues", "mardi"), 1),
    **dict.fromkeys(("wednesday", "wed", "weds", "mercredi"), 2),
    **dict.fromkeys(("thursday", "thu", "thur", "thurs", "jeudi"), 3),
    **dict.fromkeys(("friday", "fri", "vendredi"), 4),
    **dict.fromkeys(("saturday", "sat", "samedi"), 5),
    **dict.fromkeys(("sunday", "sun", "dimanche"), 6),
}
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTHS = {
    **dict.fromkeys(("january", "jan", "janvier", "janv"), 1),
    **dict.fromkeys(("february", "feb", "fevrier", "fev", "fevr"), 2),
    **dict.fromkeys(("march", "mar", "mars"), 3),
    **dict.fromkeys(("april", "apr", "avril", "avr"), 4),
    **dict.fromkeys(("may", "mai"), 5),
    **dict.fromkeys(("june", "jun", "juin"), 6),
    **dict.fromkeys(("july", "jul", "juillet", "juil"), 7),
    **dict.fromkeys(("august", "aug", "aout"), 8),
    **dict.fromkeys(("september", "sep", "sept", "septembre"), 9),
    **dict.fromkeys(("october", "oct", "octobre"), 10),
    **dict.fromkeys(("november", "nov", "novembre"), 11),
    **dict.fromkeys(("december", "dec", "decembre"), 12),
}
_MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


class _Lazy:
    """A regular expression compiled on first use.

    Compiling them all at import would cost ~10 ms on every command, ``--help``
    included (STYLE.md rule 5).
    """

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self._pattern().fullmatch(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self._pattern().match(text)


def _alternation(words: Iterable[str]) -> str:
    # Longest first so that "semaines" is tried before "sem".
    return "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))


_UNIT_RE = _alternation(_UNITS)
_WEEKDAY_RE = _alternation(_WEEKDAYS)
_MONTH_RE = _alternation(_MONTHS)
_AMOUNT_RE = rf"(?:(?P<n>[0-9]{{1,6}})\s*|(?P<w>{_alternation(_NUMBER_WORDS)})\s+)(?P<u>{_UNIT_RE})"
_DAY_RE = r"(?P<d>[0-9]{1,2})(?:er|re|eme|e|st|nd|rd|th)?"


def _amount(match: re.Match[str]) -> tuple[int, str]:
    """(count, unit letter) from a match of ``_AMOUNT_RE``."""
    count = int(match["n"]) if match["n"] is not None else _NUMBER_WORDS[match["w"]]
    return count, _UNITS[match["u"]]


def _shift(day: date, count: int, unit: str, text: str) -> date:
    from dateutil.relativedelta import relativedelta

    try:
        if unit == "d":
            return day + timedelta(days=count)
        if unit == "w":
            return day + timedelta(weeks=count)
        if unit == "m":
            return day + relativedelta(months=count)
        return day + relativedelta(years=count)
    except (OverflowError, ValueError) as exc:
        raise _bad_date(text, "out of range") from exc


# --- dates --------------------------------------------------------------------

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


def _bad_date(text: str, reason: str = "") -> InvalidInput:
    detail = f" ({reason})" if reason else ""
    return InvalidInput(f"cannot read the date {text!r}{detail}; {_DATE_HINT}")


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _bad_date(text, "no such day") from exc


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


def _weekday_date(match: re.Match[str], today: date) -> date | None:
    pre, post = match["pre"], match["post"]
    if pre is not None and post is not None:
        return None
    target = _WEEKDAYS[match["wd"]]
    if pre == "last" or post == "dernier":
        return today - timedelta(days=(today.weekday() - target - 1) % 7 + 1)
    if pre in ("this", "ce"):
        return today + timedelta(days=(target - today.weekday()) % 7)
    return today + timedelta(days=(target - today.weekday() - 1) % 7 + 1)


def _day_month(text: str, original: str, today: date | None) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) for '5 décembre 2026', 'Dec 5', '1er mars'."""
    match = _DAY_MONTH_RE.fullmatch(text) or _MONTH_DAY_RE.fullmatch(text)
    if match is None:
        return None
    year = int(match["y"]) if match["y"] is not None else None
    month, day = _MONTHS[match["m"]], int(match["d"])
    # A leap year accepts 29 February when the year is left out.
    _make_date(year if year is not None else (today.year if today else 2000), month, day, original)
    return year, month, day


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


def _dateutil_date(text: str, today: date) -> date | None:
    """A date dateutil reads fully (day and month; the year may be left out)."""
    reader = _dateutil_parser(today.year)
    try:
        # Two different defaults reveal whether the text left the day or the
        # month out ("december", "10:00"), which dateutil silently fills in.
        first = reader.parse(text, default=datetime(today.year, 1, 1), ignoretz=True)
        second = reader.parse(text, default=datetime(today.year, 2, 2), ignoretz=True)
    except Exception:  # dateutil reports odd text with many exception types
        return None
    if (first.month, first.day) != (second.month, second.day):
        return None
    return first.date()


def parse_date(text: str, *, today: date) -> date:
    """Read a user-typed date; see the module docstring for the forms."""
    try:
        return _parse_date(text, today=today)
    except (OverflowError, ValueError):
        # "tomorrow" on 9999-12-31 and friends: past the ends of the calendar.
        raise InvalidInput(
            f"{text.strip()!r} falls outside the calendar netcrm can store; {_DATE_HINT}"
        ) from None


def _parse_date(text: str, *, today: date) -> date:
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
        if (found := _weekday_date(match, today)) is not None:
            return found
        raise _bad_date(original)

    if (parts := _day_month(key, original, today)) is not None:
        year, month, day = parts
        return date(year if year is not None else today.year, month, day)

    if match := _YEAR_FIRST_RE.fullmatch(key) or _BASIC_ISO_RE.fullmatch(key):
        return _make_date(int(match["y"]), int(match["m"]), int(match["d"]), original)
    if match := _NUMERIC_RE.fullmatch(key):
        year_text = match["y"]
        year = _full_year(int(year_text), len(year_text), today.year) if year_text else today.year
        first, second = int(match["a"]), int(match["b"])
        # Nobody writes month.day.year: dotted dates are day-first.
        order = (second, first) if match["sep"] == "." else _numeric_order(first, second)
        if order is None:
            raise InvalidInput(
                f"the date {original!r} is ambiguous (day/month or month/day?); write "
                f"{_iso_or_none(year, second, first)} or {_iso_or_none(year, first, second)}"
            )
        return _make_date(year, *order, original)

    # dateutil only sees text with words in it (or an ISO date with a time):
    # on bare numbers ("5", "5 5") it guesses.
    readable = re.search("[a-z]", key) or _ISO_DATETIME_RE.match(key)
    if readable and (found := _dateutil_date(original, today)) is not None:
        return found
    raise _bad_date(original)


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
            parts = _day_month(key, original, None)
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
    """Start of a period: a duration back from today ('90d', '3m', '1y'), or a date.

    A bare number is days ('90'), except a four-digit one, which is a year
    ('2025' is 2025-01-01).
    """
    original = text.strip()
    if re.fullmatch("[0-9]{4}", original):
        return _make_date(int(original), 1, 1, original)
    found = _duration(original) if len(original) <= _MAX_LENGTH else None
    if found is None:
        return parse_date(text, today=today)
    count, unit = found
    return _shift(today, -count, unit, original)


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


# --- recurrence rules ---------------------------------------------------------

_FREQUENCIES = {"d": "DAILY", "w": "WEEKLY", "m": "MONTHLY", "y": "YEARLY"}
_ALLOWED_PARTS = frozenset(
    ("FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY", "BYMONTHDAY", "BYYEARDAY")
    + ("BYWEEKNO", "BYMONTH", "BYSETPOS")
)
_RULE_ADJECTIVES = {
    **dict.fromkeys(("daily", "quotidien", "quotidienne", "everyday"), (1, "d")),
    **dict.fromkeys(("weekly", "hebdomadaire", "hebdo"), (1, "w")),
    **dict.fromkeys(("fortnightly",), (2, "w")),
    **dict.fromkeys(("monthly", "mensuel", "mensuelle"), (1, "m")),
    **dict.fromkeys(("quarterly", "trimestriel", "trimestrielle"), (3, "m")),
    **dict.fromkeys(("semestriel", "semestrielle"), (6, "m")),
    **dict.fromkeys(("yearly", "annually", "annual", "annuel", "annuelle"), (1, "y")),
}
_EVERY_RE = r"(?:every|each|chaque|tous les|toutes les)"
_RULE_AMOUNT_RE = _Lazy(rf"(?:{_EVERY_RE}\s+)?(?P<sign>[+-])?{_AMOUNT_RE}")
_RULE_EVERY_UNIT_RE = _Lazy(rf"{_EVERY_RE}\s+(?P<other>other\s+)?(?P<u>{_UNIT_RE})")
_RULE_WEEKDAY_RE = _Lazy(rf"(?:{_EVERY_RE}|on)\s+(?P<wd>{_WEEKDAY_RE})s?")
_BYDAY_RE = _Lazy(r"(?P<n>[+-]?[0-9]{1,2})?(?P<code>MO|TU|WE|TH|FR|SA|SU)")
_UNTIL_RE = _Lazy(r"(?P<day>[0-9]{8})(?:T[0-9]{6}Z?)?")
# A search window in years; see the module docstring.
_SEARCH_YEARS = 100


def _bad_rule(text: str, reason: str = "") -> InvalidInput:
    detail = f" ({reason})" if reason else ""
    return InvalidInput(f"cannot read the recurrence {text!r}{detail}; {_RULE_HINT}")


def _month_end_clamp(day: int) -> str:
    days = ",".join(str(n) for n in range(28, day + 1))
    return f"BYMONTHDAY={days};BYSETPOS=-1"


_FEB_29_CLAMP = "BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"


# Allowed range of each numeric list part (RFC 5545 §3.3.10); negatives count
# from the end, except for months.
_NUMBER_PARTS = {
    "BYMONTH": 12,
    "BYMONTHDAY": 31,
    "BYYEARDAY": 366,
    "BYWEEKNO": 53,
    "BYSETPOS": 366,
}
_NUMBER_ITEM_RE = _Lazy(r"[+-]?[0-9]{1,3}")
_COUNTER_RE = _Lazy(r"[0-9]{1,6}")


def _check_numbers(rule: str, parts: dict[str, str]) -> None:
    for name, highest in _NUMBER_PARTS.items():
        for item in parts[name].split(",") if name in parts else ():
            low = 1 if name == "BYMONTH" else -highest
            valid = _NUMBER_ITEM_RE.fullmatch(item) and low <= int(item) <= highest
            if not valid or int(item) == 0:
                raise _bad_rule(rule, f"{name} values run from {low} to {highest}, not 0")
    for item in parts["BYDAY"].split(",") if "BYDAY" in parts else ():
        match = _BYDAY_RE.fullmatch(item)
        if match is None:
            raise _bad_rule(rule, "BYDAY holds days like MO, TU or 1MO (first Monday)")
        if match["n"] is None:
            continue
        if parts["FREQ"] not in ("MONTHLY", "YEARLY"):
            raise _bad_rule(rule, "a numbered BYDAY (1MO) needs FREQ=MONTHLY or YEARLY")
        highest = 5 if parts["FREQ"] == "MONTHLY" else 53
        if not 1 <= abs(int(match["n"])) <= highest:
            raise _bad_rule(rule, f"BYDAY positions run from -{highest} to {highest}, not 0")
    if "WKST" in parts and parts["WKST"] not in _WEEKDAY_CODES:
        raise _bad_rule(rule, "WKST must be a day like MO")


def _check_combinations(rule: str, parts: dict[str, str]) -> None:
    """RFC 5545's restrictions, which also keep dateutil off its slowest paths."""
    freq = parts["FREQ"]
    if freq != "YEARLY":
        for name in ("BYYEARDAY", "BYWEEKNO"):
            if name in parts:
                raise _bad_rule(rule, f"{name} needs FREQ=YEARLY")
    if freq == "WEEKLY" and "BYMONTHDAY" in parts:
        raise _bad_rule(rule, "BYMONTHDAY cannot go with FREQ=WEEKLY")
    if "BYSETPOS" in parts:
        if freq == "DAILY":
            raise _bad_rule(rule, "BYSETPOS cannot go with FREQ=DAILY")
        if not any(name.startswith("BY") and name != "BYSETPOS" for name in parts):
            raise _bad_rule(rule, "BYSETPOS needs another BY… part, such as BYDAY")


def _rule_parts(rule: str) -> dict[str, str]:
    """Validated parts of an RRULE body, in their written order, FREQ first."""
    body = "".join(rule.split()).upper()
    body = body.removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for item in filter(None, body.split(";")):
        name, sep, value = item.partition("=")
        if not sep or not value:
            raise _bad_rule(rule)
        if name not in _ALLOWED_PARTS:
            raise _bad_rule(rule, f"{name} is not supported")
        if name in parts:
            raise _bad_rule(rule, f"{name} is given twice")
        parts[name] = value
    if parts.get("FREQ") not in _FREQUENCIES.values():
        raise _bad_rule(rule, "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
    for name in ("INTERVAL", "COUNT"):
        if name in parts and not _COUNTER_RE.fullmatch(parts[name]):
            raise _bad_rule(rule, f"{name} must be a whole number")
        if name in parts and int(parts[name]) < 1:
            raise _bad_rule(rule, f"{name} must be at least 1")
    if "COUNT" in parts and "UNTIL" in parts:
        raise _bad_rule(rule, "give COUNT or UNTIL, not both")
    if "UNTIL" in parts:
        match = _UNTIL_RE.fullmatch(parts["UNTIL"])
        if match is None:
            raise _bad_rule(rule, "UNTIL must be a date like 20261231")
        # netcrm schedules days: a UTC time of day would clash with naive dates.
        parts["UNTIL"] = match["day"]
    _check_numbers(rule, parts)
    _check_combinations(rule, parts)
    return {"FREQ": parts.pop("FREQ"), **parts}


def _join(parts: dict[str, str]) -> str:
    return ";".join(f"{name}={value}" for name, value in parts.items())


def _clamped_for(parts: dict[str, str], after: date) -> dict[str, str]:
    """A plain monthly/yearly rule counted from a day some months lack, clamped."""
    if any(name.startswith("BY") for name in parts):
        return parts
    if parts["FREQ"] == "MONTHLY" and after.day > 28:
        clamp = _month_end_clamp(after.day)
    elif parts["FREQ"] == "YEARLY" and (after.month, after.day) == (2, 29):
        clamp = _FEB_29_CLAMP
    else:
        return parts
    extra = dict(item.split("=", 1) for item in clamp.split(";"))
    return {**parts, **extra}


# Days in each month of a leap year.
_MONTH_LENGTHS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _never_happens(parts: dict[str, str]) -> bool:
    """True for a BYMONTH/BYMONTHDAY pair no calendar has (30 February).

    dateutil only notices such a rule by scanning every day up to year 9999,
    which takes seconds; the search window does not stop it, because dateutil
    checks UNTIL only against dates that match.
    """
    if "BYMONTH" not in parts or "BYMONTHDAY" not in parts:
        return False
    try:
        months = [int(value) for value in parts["BYMONTH"].split(",")]
        days = [int(value) for value in parts["BYMONTHDAY"].split(",")]
    except ValueError:
        return False
    if not all(1 <= month <= 12 for month in months):
        return False
    # A negative day counts from the month's end: -31 needs 31 days as much as 31 does.
    return not any(abs(day) <= _MONTH_LENGTHS[month - 1] for month in months for day in days)


def next_occurrence(rule: str, after: date) -> date:
    """The first occurrence of ``rule`` strictly after ``after``, counted from ``after``."""
    from dateutil.rrule import rrule, rrulestr

    parts = _clamped_for(_rule_parts(rule), after)
    if _never_happens(parts):
        raise _bad_rule(rule, "no month has that day")
    start = datetime.combine(after, time())
    limit = datetime(min(after.year + _SEARCH_YEARS, MAXYEAR), 12, 31)
    try:
        full = rrulestr(_join(parts), dtstart=start)
        if not isinstance(full, rrule):
            raise _bad_rule(rule)
        # The bounded copy finds the candidate quickly even for a rule that
        # never happens; the full rule then confirms COUNT and UNTIL allow it.
        candidate = full.replace(count=None, until=limit).after(start)
        if candidate is not None and candidate in full:
            return candidate.date()
    except InvalidInput:
        raise
    except Exception as exc:  # dateutil reports bad parts with many exception types
        raise _bad_rule(rule, str(exc) or type(exc).__name__) from exc
    raise InvalidInput(
        f"the recurrence {rule!r} has no occurrence after {after.isoformat()}; {_RULE_HINT}"
    )


def _shorthand(count: int, unit: str, anchor: date, text: str) -> str:
    if count < 1:
        raise _bad_rule(text, "the interval must be at least 1")
    body = f"FREQ={_FREQUENCIES[unit]};INTERVAL={count}"
    if unit == "m" and anchor.day > 28:
        body += ";" + _month_end_clamp(anchor.day)
    elif unit == "y" and (anchor.month, anchor.day) == (2, 29):
        body += ";" + _FEB_29_CLAMP
    return body


def _read_rule(key: str, original: str, anchor: date) -> str:
    if key in _RULE_ADJECTIVES:
        return _shorthand(*_RULE_ADJECTIVES[key], anchor, original)
    if match := _RULE_AMOUNT_RE.fullmatch(key):
        count, unit = _amount(match)
        return _shorthand(-count if match["sign"] == "-" else count, unit, anchor, original)
    if match := _RULE_EVERY_UNIT_RE.fullmatch(key):
        return _shorthand(2 if match["other"] else 1, _UNITS[match["u"]], anchor, original)
    if match := _RULE_WEEKDAY_RE.fullmatch(key):
        return f"FREQ=WEEKLY;INTERVAL=1;BYDAY={_WEEKDAY_CODES[_WEEKDAYS[match['wd']]]}"
    if "=" in key:
        return _join(_rule_parts(original))
    raise _bad_rule(original)


def parse_recurrence(text: str, *, anchor: date) -> str:
    """Canonical RRULE body for '3d', 'monthly', 'every 2 weeks', 'tous les jours', a raw rule.

    ``anchor`` is the first due date: it decides the month-end clamp and the
    rule must have an occurrence after it.
    """
    original = text.strip()
    key = normalize(text)
    if not key:
        raise InvalidInput(f"a recurrence is required; {_RULE_HINT}")
    if len(key) > 4 * _MAX_LENGTH:
        raise _bad_rule(original)
    rule = _read_rule(key, original, anchor)
    next_occurrence(rule, anchor)
    return rule


_UNIT_NAMES = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_ADVERBS = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}
_POSITIONS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _describe_bydays(value: str) -> str | None:
    names = []
    for item in value.split(","):
        match = _BYDAY_RE.fullmatch(item)
        if match is None:
            return None
        name = _WEEKDAY_NAMES[_WEEKDAY_CODES.index(match["code"])]
        if match["n"] is None:
            names.append(name)
        elif int(match["n"]) in _POSITIONS:
            names.append(f"the {_POSITIONS[int(match['n'])]} {name}")
        else:
            return None
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _describe_by_parts(freq: str, every: str, interval: int, by: dict[str, str]) -> str | None:
    clamp = by.get("BYSETPOS") == "-1"
    month_days = by.get("BYMONTHDAY", "")
    if freq == "MONTHLY" and clamp and set(by) == {"BYMONTHDAY", "BYSETPOS"}:
        for last in (29, 30, 31):
            if month_days == ",".join(str(n) for n in range(28, last + 1)):
                if last == 31:
                    return f"{every} on the last day"
                return f"{every} on the {_ordinal(last)} (or the last day)"
        return None
    if freq == "YEARLY" and by == {"BYMONTH": "2", "BYMONTHDAY": "28,29", "BYSETPOS": "-1"}:
        return f"{every} on Feb 29 (Feb 28 in other years)"
    if set(by) == {"BYMONTHDAY"} and freq == "MONTHLY" and month_days.lstrip("-").isdigit():
        day = int(month_days)
        if day == -1:
            return f"{every} on the last day"
        return f"{every} on the {_ordinal(day)}" if 1 <= day <= 31 else None
    if set(by) == {"BYDAY"} and freq in ("WEEKLY", "MONTHLY"):
        days = _describe_bydays(by["BYDAY"])
        if days is None or (freq == "WEEKLY" and "the " in days):
            return None
        if freq == "WEEKLY" and interval == 1:
            return f"every {days}"
        return f"{every} on {days}"
    plain_date = by.get("BYMONTH", "").isdigit() and by.get("BYMONTHDAY", "").isdigit()
    if freq == "YEARLY" and set(by) == {"BYMONTH", "BYMONTHDAY"} and plain_date:
        month, day = int(by["BYMONTH"]), int(by["BYMONTHDAY"])
        if 1 <= month <= 12:
            return f"{every} on {_MONTH_ABBREVIATIONS[month - 1]} {day}"
    return None


def describe_rule(rule: str) -> str:
    """Short human text for a rule ('every 3 days', 'monthly'); the raw rule otherwise."""
    try:
        parts = _rule_parts(rule)
    except InvalidInput:
        return rule
    freq = parts.pop("FREQ")
    interval = int(parts.pop("INTERVAL", "1"))
    parts.pop("WKST", None)
    count, until = parts.pop("COUNT", None), parts.pop("UNTIL", None)
    unit = _UNIT_NAMES[freq]
    every = f"every {unit}" if interval == 1 else f"every {interval} {unit}s"
    if parts:
        text = _describe_by_parts(freq, every, interval, parts)
        if text is None:
            return rule
    else:
        text = _ADVERBS[freq] if interval == 1 else every
    if count is not None:
        text += f", {count} time{'' if count == '1' else 's'}"
    if until is not None:
        text += f", until {until[:4]}-{until[4:6]}-{until[6:]}"
    return text
