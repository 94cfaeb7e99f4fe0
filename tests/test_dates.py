"""netcrm.dates: every form PRODUCT.md §5 promises, the month-end clamp, and
properties that hold for any text a user might type."""

from __future__ import annotations

import calendar
import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcrm.dates import (
    describe_relative,
    describe_rule,
    next_occurrence,
    parse_birthday,
    parse_date,
    parse_duration_days,
    parse_recurrence,
    parse_since,
)
from netcrm.errors import InvalidInput
from netcrm.text import normalize, strip_accents

# A Friday.
TODAY = date(2026, 11, 27)


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- parse_date ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ISO and other all-number forms
        ("2026-12-01", "2026-12-01"),
        ("  2026-12-01  ", "2026-12-01"),
        ("2026-1-5", "2026-01-05"),
        ("2026/12/01", "2026-12-01"),
        ("20261201", "2026-12-01"),
        ("2026-12-01T10:00", "2026-12-01"),
        ("2026-12-01 10:00", "2026-12-01"),
        ("25/12", "2026-12-25"),
        ("12/25", "2026-12-25"),
        ("25/12/2027", "2027-12-25"),
        ("25/12/27", "2027-12-25"),
        ("5/5", "2027-05-05"),
        ("5.12.2026", "2026-12-05"),
        ("25-12-2026", "2026-12-25"),
        # words
        ("today", "2026-11-27"),
        ("TODAY", "2026-11-27"),
        ("now", "2026-11-27"),
        ("tomorrow", "2026-11-28"),
        ("yesterday", "2026-11-26"),
        ("day after tomorrow", "2026-11-29"),
        # shorthand
        ("+3d", "2026-11-30"),
        ("3d", "2026-11-30"),
        ("+ 3d", "2026-11-30"),
        ("-2w", "2026-11-13"),
        ("+1m", "2026-12-27"),
        ("+1y", "2027-11-27"),
        ("-1y", "2025-11-27"),
        ("+0d", "2026-11-27"),
        ("10 days", "2026-12-07"),
        # phrases
        ("in 3 days", "2026-11-30"),
        ("in 1 day", "2026-11-28"),
        ("in a week", "2026-12-04"),
        ("in two weeks", "2026-12-11"),
        ("3 weeks ago", "2026-11-06"),
        ("a year ago", "2025-11-27"),
        ("in 2 months", "2027-01-27"),
        ("2 days from now", "2026-11-29"),
        ("next week", "2026-12-04"),
        ("next month", "2026-12-27"),
        ("last year", "2025-11-27"),
        # weekdays: strictly after today, today being a Friday
        ("friday", "2026-12-04"),
        ("Friday", "2026-12-04"),
        ("fri", "2026-12-04"),
        ("next friday", "2026-12-04"),
        ("on friday", "2026-12-04"),
        ("this friday", "2026-11-27"),
        ("last friday", "2026-11-20"),
        ("saturday", "2026-11-28"),
        ("monday", "2026-11-30"),
        ("next monday", "2026-11-30"),
        ("thursday", "2026-12-03"),
        ("last thursday", "2026-11-26"),
        ("this thursday", "2026-12-03"),
        # dateutil and month names
        ("Dec 5", "2026-12-05"),
        ("5 Dec 2026", "2026-12-05"),
        ("December 5th, 2027", "2027-12-05"),
        ("the 5th of December", "2026-12-05"),
        ("Fri, 4 Dec 2026", "2026-12-04"),
        ("Jan 3", "2027-01-03"),
        ("Dec 5 2026 10:00", "2026-12-05"),
        # French
        ("aujourd'hui", "2026-11-27"),
        ("aujourd’hui", "2026-11-27"),
        ("Aujourdhui", "2026-11-27"),
        ("demain", "2026-11-28"),
        ("hier", "2026-11-26"),
        ("après-demain", "2026-11-29"),
        ("apres demain", "2026-11-29"),
        ("avant-hier", "2026-11-25"),
        ("lundi prochain", "2026-11-30"),
        ("vendredi", "2026-12-04"),
        ("vendredi prochain", "2026-12-04"),
        ("ce vendredi", "2026-11-27"),
        ("vendredi dernier", "2026-11-20"),
        ("Mercredi", "2026-12-02"),
        ("dans 3 jours", "2026-11-30"),
        ("dans 2 semaines", "2026-12-11"),
        ("dans 1 mois", "2026-12-27"),
        ("dans un an", "2027-11-27"),
        ("dans une semaine", "2026-12-04"),
        ("il y a 3 jours", "2026-11-24"),
        ("3j", "2026-11-30"),
        ("la semaine prochaine", "2026-12-04"),
        ("le mois prochain", "2026-12-27"),
        ("l'an dernier", "2025-11-27"),
        ("5 décembre", "2026-12-05"),
        ("5 DÉCEMBRE", "2026-12-05"),
        ("5 decembre 2026", "2026-12-05"),
        ("le 5 décembre 2027", "2027-12-05"),
        ("1er mars", "2027-03-01"),
        ("1er mars 2027", "2027-03-01"),
        ("15 août", "2027-08-15"),
        ("vendredi 4 décembre", "2026-12-04"),
        ("Friday, December 4", "2026-12-04"),
        ("3 févr.", "2027-02-03"),
    ],
)
def test_parse_date(text: str, expected: str) -> None:
    assert parse_date(text, today=TODAY, sense="next") == d(expected)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # across the year end
        ("tomorrow", "2026-12-31", "2027-01-01"),
        ("+1d", "2026-12-31", "2027-01-01"),
        ("-1d", "2027-01-01", "2026-12-31"),
        ("friday", "2026-12-30", "2027-01-01"),
        ("last friday", "2027-01-01", "2026-12-25"),
        ("+2w", "2026-12-25", "2027-01-08"),
        ("+1m", "2026-12-15", "2027-01-15"),
        # months keep the calendar day, clamped to the month's end
        ("+1m", "2026-01-31", "2026-02-28"),
        ("+1m", "2028-01-31", "2028-02-29"),
        ("in 1 month", "2026-03-31", "2026-04-30"),
        # leap days
        ("+1y", "2028-02-29", "2029-02-28"),
        ("+4y", "2028-02-29", "2032-02-29"),
        ("tomorrow", "2028-02-28", "2028-02-29"),
        ("tomorrow", "2028-02-29", "2028-03-01"),
        ("29 feb", "2028-01-10", "2028-02-29"),
        ("2028-02-29", "2026-11-27", "2028-02-29"),
        # two-digit years stay within 50 years of today
        ("25/12/80", "2026-11-27", "1980-12-25"),
        ("25/12/75", "2026-11-27", "2075-12-25"),
        # ...also when dateutil reads them, against the injected today
        ("Dec 5 80", "2026-11-27", "1980-12-05"),
        ("Dec 5 80", "2100-01-01", "2080-12-05"),
    ],
)
def test_parse_date_edges(text: str, today: str, expected: str) -> None:
    assert parse_date(text, today=d(today), sense="next") == d(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "5",
        "2026",
        "5 5",
        "garbage",
        "xyz",
        "december",
        "10:00",
        "the 5th",
        "2026-02-30",
        "2026-13-01",
        "31 avril",
        "friday 10am",
        "next",
        "in days",
        "dans jours",
        "+d",
        "next friday last",
        "+99999999y",
        "9999-12-31 +1d",
        "a" * 200,
    ],
)
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_date(text, today=TODAY, sense="next")


def test_parse_date_message_has_an_example() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date("garbage", today=TODAY, sense="next")
    assert caught.value.message == (
        "cannot read the date 'garbage'; try 2026-12-01, tomorrow, +3d, "
        "'next friday' or 'dans 3 jours'"
    )


def test_ambiguous_slashes_offer_both_readings() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_date("12/04", today=TODAY, sense="next")
    assert "ambiguous" in caught.value.message
    assert "2027-04-12" in caught.value.message
    assert "2026-12-04" in caught.value.message


def test_overflow_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="out of range"):
        parse_date("+1d", today=date(9999, 12, 31), sense="next")


# --- parse_birthday -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-04-12", (1990, 4, 12)),
        ("19900412", (1990, 4, 12)),
        ("1990-04-12T00:00:00Z", (1990, 4, 12)),
        ("04-12", (None, 4, 12)),
        ("4-12", (None, 4, 12)),
        ("--04-12", (None, 4, 12)),
        ("--0412", (None, 4, 12)),
        ("12 April", (None, 4, 12)),
        ("April 12", (None, 4, 12)),
        ("april 12th", (None, 4, 12)),
        ("12 avril", (None, 4, 12)),
        ("12 Avril 1990", (1990, 4, 12)),
        ("12 April 1990", (1990, 4, 12)),
        ("April 12, 1990", (1990, 4, 12)),
        ("1er mars", (None, 3, 1)),
        ("le 1er mars 1985", (1985, 3, 1)),
        ("15 août", (None, 8, 15)),
        ("29 February", (None, 2, 29)),
        ("02-29", (None, 2, 29)),
        ("29 février 2000", (2000, 2, 29)),
        ("25/12", (None, 12, 25)),
        ("12/25", (None, 12, 25)),
        ("25/12/1990", (1990, 12, 25)),
        ("5/5", (None, 5, 5)),
        ("25.12.1990", (1990, 12, 25)),
        ("1604-04-12", (None, 4, 12)),
        ("0000-04-12", (None, 4, 12)),
        ("2026-11-27", (2026, 11, 27)),
    ],
)
def test_parse_birthday(text: str, expected: tuple[int | None, int, int]) -> None:
    assert parse_birthday(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12",
        "April",
        "1990",
        "12/04",
        "02-30",
        "04-31",
        "13-01",
        "31 avril",
        "29 February 2027",
        "1990-02-29",
        "2026-11-28",
        "2030-01-01",
        "--04",
        "tomorrow",
        "not a date",
    ],
)
def test_parse_birthday_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_birthday(text, today=TODAY)


def test_ambiguous_birthday_offers_both_readings() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_birthday("12/04", today=TODAY)
    assert "04-12 or 12-04" in caught.value.message


# --- durations and --since ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("7d", 7),
        ("7 d", 7),
        ("+7d", 7),
        ("2w", 14),
        ("14", 14),
        ("0", 0),
        ("1m", 30),
        ("3m", 90),
        ("1y", 365),
        ("10 days", 10),
        ("1 day", 1),
        ("a week", 7),
        ("2 semaines", 14),
        ("3 jours", 3),
        ("1 mois", 30),
        ("1 an", 365),
        ("  2W ", 14),
    ],
)
def test_parse_duration_days(text: str, days: int) -> None:
    assert parse_duration_days(text) == days


@pytest.mark.parametrize("text", ["", "-3d", "x", "7x", "d", "1.5d", "99999999d", "tomorrow"])
def test_parse_duration_days_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_duration_days(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A duration is the last that many days, today included: 90d starts on today - 89.
        ("90d", "2026-08-30"),
        ("90", "2026-08-30"),
        ("1d", "2026-11-27"),
        ("3m", "2026-08-28"),
        ("1y", "2025-11-28"),
        ("2w", "2026-11-14"),
        ("3 mois", "2026-08-28"),
        ("2025", "2025-01-01"),
        ("2026-01-01", "2026-01-01"),
        ("last friday", "2026-11-20"),
        ("3 weeks ago", "2026-11-06"),
    ],
)
def test_parse_since(text: str, expected: str) -> None:
    assert parse_since(text, today=TODAY) == d(expected)


def test_parse_since_months_are_calendar_months() -> None:
    # The last month up to 31 March: from the day after 28 February.
    assert parse_since("1m", today=d("2026-03-31")) == d("2026-03-01")
    # Across 29 February and the year end.
    assert parse_since("1y", today=d("2028-02-29")) == d("2027-03-01")
    assert parse_since("7d", today=d("2027-01-02")) == d("2026-12-27")
    assert parse_since("1m", today=d("2027-01-15")) == d("2026-12-16")


@pytest.mark.parametrize("text", ["", "garbage", "-"])
def test_parse_since_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_since(text, today=TODAY)


# --- describe_relative --------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (0, "today"),
        (1, "in 1 day"),
        (2, "in 2 days"),
        (30, "in 30 days"),
        (-1, "1 day overdue"),
        (-3, "3 days overdue"),
    ],
)
def test_describe_relative(offset: int, text: str) -> None:
    assert describe_relative(TODAY + timedelta(days=offset), today=TODAY) == text


# --- normalize ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Léa Martin", "lea martin"),
        ("  LÉA   \t MARTIN ", "lea martin"),
        ("Éloïse Ñúñez", "eloise nunez"),
        ("O’Brien", "o'brien"),
        ("Straße", "strasse"),
        ("Œuvre", "oeuvre"),
        ("Łukasz", "lukasz"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_strip_accents_keeps_case() -> None:
    assert strip_accents("Léa ÉCOLE") == "Lea ECOLE"


# --- parse_recurrence ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("3d", "FREQ=DAILY;INTERVAL=3"),
        ("30d", "FREQ=DAILY;INTERVAL=30"),
        ("30 days", "FREQ=DAILY;INTERVAL=30"),
        ("2w", "FREQ=WEEKLY;INTERVAL=2"),
        ("1m", "FREQ=MONTHLY;INTERVAL=1"),
        ("1y", "FREQ=YEARLY;INTERVAL=1"),
        ("daily", "FREQ=DAILY;INTERVAL=1"),
        ("weekly", "FREQ=WEEKLY;INTERVAL=1"),
        ("Monthly", "FREQ=MONTHLY;INTERVAL=1"),
        ("yearly", "FREQ=YEARLY;INTERVAL=1"),
        ("annually", "FREQ=YEARLY;INTERVAL=1"),
        ("fortnightly", "FREQ=WEEKLY;INTERVAL=2"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("every two weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("every other week", "FREQ=WEEKLY;INTERVAL=2"),
        ("every day", "FREQ=DAILY;INTERVAL=1"),
        ("every month", "FREQ=MONTHLY;INTERVAL=1"),
        ("each year", "FREQ=YEARLY;INTERVAL=1"),
        ("every 3d", "FREQ=DAILY;INTERVAL=3"),
        ("every monday", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"),
        ("on fridays", "FREQ=WEEKLY;INTERVAL=1;BYDAY=FR"),
        ("tous les jours", "FREQ=DAILY;INTERVAL=1"),
        ("chaque semaine", "FREQ=WEEKLY;INTERVAL=1"),
        ("toutes les semaines", "FREQ=WEEKLY;INTERVAL=1"),
        ("toutes les 2 semaines", "FREQ=WEEKLY;INTERVAL=2"),
        ("toutes les deux semaines", "FREQ=WEEKLY;INTERVAL=2"),
        ("tous les 3 mois", "FREQ=MONTHLY;INTERVAL=3"),
        ("chaque année", "FREQ=YEARLY;INTERVAL=1"),
        ("mensuel", "FREQ=MONTHLY;INTERVAL=1"),
        ("hebdomadaire", "FREQ=WEEKLY;INTERVAL=1"),
        ("quotidien", "FREQ=DAILY;INTERVAL=1"),
        ("annuel", "FREQ=YEARLY;INTERVAL=1"),
        ("tous les lundis", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"),
        ("15 jours", "FREQ=DAILY;INTERVAL=15"),
        ("FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=1MO"),
        ("RRULE:FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=1MO"),
        ("rrule:freq=monthly;byday=1mo", "FREQ=MONTHLY;BYDAY=1MO"),
        ("BYDAY=1MO;FREQ=MONTHLY;", "FREQ=MONTHLY;BYDAY=1MO"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("FREQ=DAILY;COUNT=5", "FREQ=DAILY;COUNT=5"),
        ("FREQ=DAILY;UNTIL=20271231", "FREQ=DAILY;UNTIL=20271231"),
        ("FREQ=DAILY;UNTIL=20271231T235959Z", "FREQ=DAILY;UNTIL=20271231"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8"),
    ],
)
def test_parse_recurrence(text: str, rule: str) -> None:
    assert parse_recurrence(text, anchor=TODAY) == rule


@pytest.mark.parametrize(
    ("text", "anchor", "rule"),
    [
        ("1m", "2026-01-31", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"),
        ("monthly", "2026-01-30", "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30;BYSETPOS=-1"),
        ("2m", "2026-01-29", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=28,29;BYSETPOS=-1"),
        ("1m", "2026-01-28", "FREQ=MONTHLY;INTERVAL=1"),
        ("1y", "2028-02-29", "FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"),
        ("1y", "2026-01-31", "FREQ=YEARLY;INTERVAL=1"),
        ("30d", "2026-01-31", "FREQ=DAILY;INTERVAL=30"),
    ],
)
def test_parse_recurrence_month_end_clamp(text: str, anchor: str, rule: str) -> None:
    assert parse_recurrence(text, anchor=d(anchor)) == rule


@pytest.mark.parametrize(
    "text",
    [
        "",
        "sometimes",
        "0d",
        "every 0 weeks",
        "-2w",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=-1",
        "FREQ=DAILY;INTERVAL=x",
        "FREQ=HOURLY",
        "FREQ=SECONDLY;INTERVAL=1",
        "FREQ=DAILY;BYHOUR=9",
        "FREQ=DAILY;FREQ=WEEKLY",
        "INTERVAL=2",
        "FREQ=",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYDAY=1MO",
        "FREQ=MONTHLY;BYDAY=9MO",
        "FREQ=MONTHLY;BYMONTHDAY=0",
        "FREQ=MONTHLY;BYMONTHDAY=32",
        "FREQ=YEARLY;BYMONTH=13",
        "FREQ=DAILY;BYYEARDAY=1",
        "FREQ=WEEKLY;BYMONTHDAY=1",
        "FREQ=DAILY;BYSETPOS=1",
        "FREQ=MONTHLY;BYSETPOS=1",
        "FREQ=DAILY;COUNT=2;UNTIL=20271231",
        "FREQ=DAILY;UNTIL=tomorrow",
        "FREQ=DAILY;UNTIL=20260101",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTH=4,6;BYMONTHDAY=-31",
        "every 9999 years",
        "DTSTART:20260101\nRRULE:FREQ=DAILY",
    ],
)
def test_parse_recurrence_refuses(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_recurrence(text, anchor=TODAY)


def test_parse_recurrence_message_has_an_example() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_recurrence("sometimes", anchor=TODAY)
    assert caught.value.message == (
        "cannot read the recurrence 'sometimes'; try 30d, 2w, monthly, "
        "'every 2 weeks' or FREQ=MONTHLY;BYDAY=1MO"
    )


# --- next_occurrence ----------------------------------------------------------

CLAMP_31 = "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"


@pytest.mark.parametrize(
    ("rule", "after", "expected"),
    [
        ("FREQ=DAILY;INTERVAL=3", "2026-01-01", "2026-01-04"),
        ("FREQ=DAILY;INTERVAL=1", "2026-12-31", "2027-01-01"),
        ("FREQ=WEEKLY;INTERVAL=2", "2026-11-27", "2026-12-11"),
        ("FREQ=MONTHLY;INTERVAL=1", "2026-01-15", "2026-02-15"),
        ("FREQ=MONTHLY;INTERVAL=1", "2026-12-15", "2027-01-15"),
        ("FREQ=YEARLY;INTERVAL=1", "2026-11-27", "2027-11-27"),
        (CLAMP_31, "2026-01-31", "2026-02-28"),
        (CLAMP_31, "2026-02-28", "2026-03-31"),
        (CLAMP_31, "2026-03-31", "2026-04-30"),
        (CLAMP_31, "2028-01-31", "2028-02-29"),
        ("FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30;BYSETPOS=-1", "2026-02-28", "2026-03-30"),
        ("FREQ=MONTHLY;BYDAY=1MO", "2026-11-27", "2026-12-07"),
        ("RRULE:FREQ=MONTHLY;BYDAY=1MO", "2026-11-27", "2026-12-07"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "2026-11-27", "2026-12-25"),
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "2026-11-27", "2026-11-30"),
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=FR", "2026-11-27", "2026-12-04"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8", "2026-11-27", "2027-03-08"),
        ("FREQ=DAILY;UNTIL=20261130", "2026-11-27", "2026-11-28"),
        # plain rules counted from a day some months lack are clamped, not skipped
        ("FREQ=MONTHLY;INTERVAL=1", "2026-01-31", "2026-02-28"),
        ("FREQ=MONTHLY", "2026-01-30", "2026-02-28"),
        ("FREQ=MONTHLY;INTERVAL=1", "2026-03-31", "2026-04-30"),
        ("FREQ=YEARLY;INTERVAL=1", "2028-02-29", "2029-02-28"),
        ("FREQ=YEARLY;INTERVAL=4", "2028-02-29", "2032-02-29"),
        (
            "FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
            "2029-02-28",
            "2030-02-28",
        ),
        (
            "FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
            "2031-02-28",
            "2032-02-29",
        ),
    ],
)
def test_next_occurrence(rule: str, after: str, expected: str) -> None:
    assert next_occurrence(rule, d(after)) == d(expected)


def test_month_end_clamp_walks_the_calendar() -> None:
    rule = parse_recurrence("1m", anchor=d("2026-01-31"))
    day, seen = d("2026-01-31"), []
    for _ in range(4):
        day = next_occurrence(rule, day)
        seen.append(day.isoformat())
    assert seen == ["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]


def test_leap_day_yearly_rule_walks_the_calendar() -> None:
    rule = parse_recurrence("yearly", anchor=d("2028-02-29"))
    day, seen = d("2028-02-29"), []
    for _ in range(4):
        day = next_occurrence(rule, day)
        seen.append(day.isoformat())
    assert seen == ["2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"]


@pytest.mark.parametrize(
    ("rule", "after"),
    [
        ("FREQ=DAILY;UNTIL=20261127", "2026-11-27"),
        ("FREQ=DAILY;UNTIL=20260101", "2026-11-27"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "2026-11-27"),
        ("FREQ=YEARLY;INTERVAL=999", "2026-11-27"),
        ("FREQ=DAILY", "9999-12-31"),
        ("not a rule", "2026-11-27"),
        ("", "2026-11-27"),
    ],
)
def test_next_occurrence_without_one_is_invalid_input(rule: str, after: str) -> None:
    with pytest.raises(InvalidInput):
        next_occurrence(rule, d(after))


def test_count_counts_from_after() -> None:
    # DTSTART is `after`, which is itself the first occurrence of a daily rule.
    assert next_occurrence("FREQ=DAILY;COUNT=2", d("2026-11-27")) == d("2026-11-28")
    with pytest.raises(InvalidInput, match="no occurrence"):
        next_occurrence("FREQ=DAILY;COUNT=1", d("2026-11-27"))


# --- describe_rule ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("FREQ=DAILY;INTERVAL=1", "daily"),
        ("FREQ=DAILY;INTERVAL=3", "every 3 days"),
        ("FREQ=WEEKLY;INTERVAL=1", "weekly"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("FREQ=MONTHLY;INTERVAL=1", "monthly"),
        ("FREQ=MONTHLY", "monthly"),
        ("FREQ=MONTHLY;INTERVAL=3", "every 3 months"),
        ("FREQ=YEARLY;INTERVAL=1", "yearly"),
        (CLAMP_31, "every month on the last day"),
        (
            "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30;BYSETPOS=-1",
            "every month on the 30th (or the last day)",
        ),
        (
            "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=28,29;BYSETPOS=-1",
            "every 2 months on the 29th (or the last day)",
        ),
        (
            "FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
            "every year on Feb 29 (Feb 28 in other years)",
        ),
        ("FREQ=MONTHLY;BYDAY=1MO", "every month on the first Monday"),
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR", "every 2 months on the last Friday"),
        ("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO", "every Monday"),
        ("FREQ=WEEKLY;BYDAY=MO,TH", "every Monday and Thursday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "every 2 weeks on Tuesday"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "every month on the 15th"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "every month on the last day"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8", "every year on Mar 8"),
        ("FREQ=DAILY;COUNT=5", "daily, 5 times"),
        ("FREQ=WEEKLY;UNTIL=20271231", "weekly, until 2027-12-31"),
        ("FREQ=YEARLY;BYWEEKNO=20", "FREQ=YEARLY;BYWEEKNO=20"),
        ("garbage", "garbage"),
    ],
)
def test_describe_rule(rule: str, text: str) -> None:
    assert describe_rule(rule) == text


# --- properties ---------------------------------------------------------------

days = st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31))

DATE_WORDS = [
    "in", "ago", "dans", "il y a", "next", "last", "this", "on", "the", "of", "le", "er",
    "prochain", "dernier", "friday", "vendredi", "fri", "dec", "december", "décembre",
    "mars", "feb", "day", "days", "week", "w", "m", "y", "d", "jours", "mois", "an",
    "a", "une", "sept", "today", "demain", "+", "-", "/", ".", ",", ":", "T", "Z",
    "0", "1", "5", "12", "13", "29", "31", "99", "2026", "1990", "20261201", "00",
    "am", "pm", "EST", "UTC", "at", "--", "FREQ=", "RRULE:", "BYDAY", "=", ";",
]  # fmt: skip
token_text = st.lists(st.sampled_from(DATE_WORDS), max_size=6).map(" ".join)
glued_text = st.lists(st.sampled_from(DATE_WORDS), max_size=6).map("".join)
any_text = st.one_of(st.text(max_size=40), token_text, glued_text)


@given(text=any_text, today=days, sense=st.sampled_from(["next", "past"]))
def test_parse_date_raises_only_invalid_input(text: str, today: date, sense) -> None:
    with contextlib.suppress(InvalidInput):
        assert isinstance(parse_date(text, today=today, sense=sense), date)


@given(text=any_text, today=days)
def test_parse_birthday_raises_only_invalid_input(text: str, today: date) -> None:
    try:
        year, month, day = parse_birthday(text, today=today)
    except InvalidInput:
        return
    date(year or 2000, month, day)


@given(text=any_text)
def test_parse_duration_days_raises_only_invalid_input(text: str) -> None:
    with contextlib.suppress(InvalidInput):
        assert parse_duration_days(text) >= 0


@given(text=any_text, today=days)
def test_parse_since_raises_only_invalid_input(text: str, today: date) -> None:
    with contextlib.suppress(InvalidInput):
        parse_since(text, today=today)


RULE_PARTS = [
    "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "FREQ=HOURLY",
    "INTERVAL=0", "INTERVAL=1", "INTERVAL=3", "INTERVAL=-2", "INTERVAL=999999",
    "COUNT=1", "COUNT=3", "UNTIL=20270101", "UNTIL=20200101", "UNTIL=x",
    "BYDAY=MO", "BYDAY=1MO", "BYDAY=-1FR,TU", "BYDAY=5SU", "BYDAY=XX",
    "BYMONTHDAY=31", "BYMONTHDAY=-1", "BYMONTHDAY=0", "BYMONTHDAY=28,29,30",
    "BYMONTH=2", "BYMONTH=4,6", "BYSETPOS=-1", "BYSETPOS=2", "WKST=SU",
    "BYHOUR=3", "BYWEEKNO=53", "BYYEARDAY=-1", "X=1", "=", "",
]  # fmt: skip
raw_rules = st.lists(st.sampled_from(RULE_PARTS), min_size=1, max_size=5).map(";".join)
rule_words = st.lists(
    st.sampled_from(
        ["every", "each", "other", "tous les", "toutes les", "chaque", "2", "0", "-1", "a"]
        + ["deux", "day", "weeks", "month", "years", "d", "w", "m", "y", "jours", "semaines"]
        + ["mois", "ans", "monday", "lundis", "monthly", "mensuel", "+", "s", "on"]
    ),
    max_size=4,
).map(" ".join)
any_rule_text = st.one_of(st.text(max_size=40), raw_rules, rule_words)


# dateutil may scan decades before it decides a legal but rare rule has no next
# occurrence; that is slow, not wrong, so no per-example deadline here.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_rule_text, anchor=days)
def test_parse_recurrence_raises_only_invalid_input(text: str, anchor: date) -> None:
    try:
        rule = parse_recurrence(text, anchor=anchor)
    except InvalidInput:
        return
    assert next_occurrence(rule, anchor) > anchor
    assert describe_rule(rule)


shorthand_rules = st.builds(
    "{}{}".format, st.integers(min_value=1, max_value=40), st.sampled_from("dwmy")
) | st.sampled_from(["daily", "weekly", "monthly", "yearly", "every other week"])


@settings(deadline=None)
@given(text=shorthand_rules, anchor=days, after=days)
def test_next_occurrence_is_after(text: str, anchor: date, after: date) -> None:
    rule = parse_recurrence(text, anchor=anchor)
    assert next_occurrence(rule, after) > after


@settings(deadline=None)
@given(text=raw_rules, after=days)
def test_next_occurrence_of_any_rule_is_after_or_invalid(text: str, after: date) -> None:
    try:
        found = next_occurrence(text, after)
    except InvalidInput:
        return
    assert found > after


late_days = st.builds(
    lambda year, month, day: date(year, month, min(day, calendar.monthrange(year, month)[1])),
    st.integers(min_value=1901, max_value=2090),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=29, max_value=31),
).filter(lambda day: day.day > 28)


@given(anchor=late_days, months=st.integers(min_value=1, max_value=3))
def test_clamped_monthly_rule_hits_the_anchor_day_or_the_month_end(
    anchor: date, months: int
) -> None:
    rule = parse_recurrence(f"{months}m", anchor=anchor)
    day = anchor
    for _ in range(24):
        following = next_occurrence(rule, day)
        month_length = calendar.monthrange(following.year, following.month)[1]
        assert following.day == min(anchor.day, month_length)
        assert (following.year * 12 + following.month) - (day.year * 12 + day.month) == months
        day = following


@given(anchor=days)
def test_shorthand_monthly_rule_matches_relativedelta_from_anchor(anchor: date) -> None:
    # Counted from its own anchor, "1m" lands where relativedelta(months=1) does.
    from dateutil.relativedelta import relativedelta

    rule = parse_recurrence("1m", anchor=anchor)
    assert next_occurrence(rule, anchor) == anchor + relativedelta(months=1)
