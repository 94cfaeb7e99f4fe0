"""Recurrence rules: reading shorthand and RFC 5545 rules, the next occurrence, a description.

See :mod:`netcrm.dates` for the choices a user can see.
"""

from __future__ import annotations

from datetime import MAXYEAR, date, datetime, time
from functools import lru_cache

from netcrm.dates.vocabulary import (
    _AMOUNT_RE,
    _MAX_LENGTH,
    _MONTH_ABBREVIATIONS,
    _RULE_HINT,
    _UNIT_RE,
    _UNITS,
    _WEEKDAY_CODES,
    _WEEKDAY_NAMES,
    _WEEKDAY_RE,
    _WEEKDAYS,
    _amount,
    _Lazy,
)
from netcrm.errors import InvalidInput
from netcrm.text import normalize

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


def _anchor_clamp(freq: str, anchor: date | None) -> str | None:
    """The month-end clamp a monthly or yearly series starting on ``anchor`` needs."""
    if anchor is None:
        return None
    if freq == "MONTHLY" and anchor.day > 28:
        return _month_end_clamp(anchor.day)
    if freq == "YEARLY" and (anchor.month, anchor.day) == (2, 29):
        return _FEB_29_CLAMP
    return None


def _shorthand(count: int, unit: str, anchor: date | None) -> str:
    body = f"FREQ={_FREQUENCIES[unit]};INTERVAL={count}"
    clamp = _anchor_clamp(_FREQUENCIES[unit], anchor)
    return f"{body};{clamp}" if clamp else body


def _is_clamp(freq: str, by: dict[str, str]) -> bool:
    """True for the month-end clamp netcrm writes for a shorthand (see _anchor_clamp)."""
    if freq == "YEARLY":
        return _join(by) == _FEB_29_CLAMP
    return freq == "MONTHLY" and any(_join(by) == _month_end_clamp(d) for d in (29, 30, 31))


def anchor_rule(rule: str, due: date, *, from_done: bool) -> str:
    """A stored rule after its due date or its counting changed.

    The month-end clamp of a monthly or yearly shorthand belongs to the due
    date it was typed for: it follows the new date, and goes when the rule is
    counted from completion (then each completion day is the start, and the
    clamp applies from there, as ``relativedelta`` does). Any other rule is
    kept as written.
    """
    parts = _rule_parts(rule)
    by = {name: value for name, value in parts.items() if name.startswith("BY")}
    if by and not _is_clamp(parts["FREQ"], by):
        return rule
    plain = {name: value for name, value in parts.items() if name not in by}
    clamp = _anchor_clamp(parts["FREQ"], None if from_done else due)
    return _join(plain) + (f";{clamp}" if clamp else "")


def split_count(rule: str) -> tuple[str, int | None]:
    """(the rule without COUNT, its COUNT or None)."""
    parts = _rule_parts(rule)
    count = parts.pop("COUNT", None)
    return _join(parts), int(count) if count is not None else None


def with_count(rule: str, count: int) -> str:
    """The rule with its COUNT set to ``count``."""
    return _join({**_rule_parts(rule), "COUNT": str(count)})


def read_frequency(key: str, original: str) -> tuple[int, str] | None:
    """(count, unit letter) of an amount or a frequency — '3m', '30 days',
    'monthly', 'quarterly', 'every 2 weeks', 'every other week' — or None for
    anything else (a weekday, a raw rule). ``key`` is the normalized text."""
    if key in _RULE_ADJECTIVES:
        found = _RULE_ADJECTIVES[key]
    elif match := _RULE_AMOUNT_RE.fullmatch(key):
        count, unit = _amount(match)
        found = (-count if match["sign"] == "-" else count, unit)
    elif match := _RULE_EVERY_UNIT_RE.fullmatch(key):
        found = (2 if match["other"] else 1, _UNITS[match["u"]])
    else:
        return None
    if found[0] < 1:
        raise _bad_rule(original, "the interval must be at least 1")
    return found


def _read_rule(key: str, original: str, anchor: date | None) -> str:
    if (found := read_frequency(key, original)) is not None:
        return _shorthand(*found, anchor)
    if match := _RULE_WEEKDAY_RE.fullmatch(key):
        return f"FREQ=WEEKLY;INTERVAL=1;BYDAY={_WEEKDAY_CODES[_WEEKDAYS[match['wd']]]}"
    if "=" in key:
        return _join(_rule_parts(original))
    raise _bad_rule(original)


def parse_recurrence(text: str, *, anchor: date, from_done: bool = False) -> str:
    """Canonical RRULE body for '3d', 'monthly', 'every 2 weeks', 'tous les jours', a raw rule.

    ``anchor`` is the first due date: it decides the month-end clamp of a
    shorthand counted from the due date (none when counted from completion,
    ``from_done``), and the rule must have an occurrence after it. ``COUNT``
    counts the anchor as the first occurrence, so ``COUNT=1`` is "just once".
    """
    original = text.strip()
    key = normalize(text)
    if not key:
        raise InvalidInput(f"a recurrence is required; {_RULE_HINT}")
    if len(key) > 4 * _MAX_LENGTH:
        raise _bad_rule(original)
    rule = _read_rule(key, original, None if from_done else anchor)
    next_occurrence(split_count(rule)[0], anchor)
    return rule


# Where rule_gap_days starts counting, and how many gaps it averages.
_GAP_REFERENCE = date(2001, 1, 1)
_GAP_STEPS = 12


@lru_cache(maxsize=64)
def rule_gap_days(rule: str) -> int:
    """The average number of days between a rule's occurrences (COUNT and
    UNTIL aside): 7 for ``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH``, 30 for
    ``FREQ=MONTHLY;BYDAY=1MO``."""
    parts = _rule_parts(rule)
    parts.pop("COUNT", None)
    parts.pop("UNTIL", None)
    endless = _join(parts)
    first = day = next_occurrence(endless, _GAP_REFERENCE)
    for _ in range(_GAP_STEPS):
        day = next_occurrence(endless, day)
    return max(1, round((day - first).days / _GAP_STEPS))


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
