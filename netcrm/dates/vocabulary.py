"""Words, patterns and small helpers shared by the date, duration and rule parsers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from netcrm.errors import InvalidInput

_DATE_HINT = "try 2026-12-01, tomorrow, +3d, 'next friday' or 'dans 3 jours'"
_BIRTHDAY_HINT = "try 1990-04-12, 04-12 (month-day), --04-12, '12 April' or '12 avril'"
_RULE_HINT = "try 30d, 2w, monthly, 'every 2 weeks' or FREQ=MONTHLY;BYDAY=1MO"
_DURATION_HINT = "try 7d, 2w, 1m, 14 or '10 days'"

# Longer than any date anyone types; keeps dateutil away from pathological input.
_MAX_LENGTH = 80


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
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
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


def _bad_date(text: str, reason: str = "") -> InvalidInput:
    detail = f" ({reason})" if reason else ""
    return InvalidInput(f"cannot read the date {text!r}{detail}; {_DATE_HINT}")


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _bad_date(text, "no such day") from exc
