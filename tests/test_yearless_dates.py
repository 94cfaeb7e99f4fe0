"""Dates without a year, weekdays that contradict the date, and future dates for
what already happened (issue 12, points 3 and 9). Through the real CLI with
today pinned at the year boundary and around 29 February, and unit tests."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcrm.dates import parse_date
from netcrm.errors import InvalidInput
from netcrm.store.location import resolve_location
from tests.conftest import refused


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- unit ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("2 janvier", "2026-12-28", "2027-01-02"),
        ("Jan 2", "2026-12-28", "2027-01-02"),
        ("13/01", "2026-12-28", "2027-01-13"),
        ("January 2nd", "2026-12-28", "2027-01-02"),
        ("28 décembre", "2026-12-28", "2026-12-28"),  # today counts
        ("27 décembre", "2026-12-28", "2027-12-27"),
        ("31 décembre", "2026-12-31", "2026-12-31"),
        ("1er janvier", "2026-12-31", "2027-01-01"),
        ("Dec 31", "2027-01-01", "2027-12-31"),
        ("29 février", "2026-11-30", "2028-02-29"),
        ("29/02", "2028-02-29", "2028-02-29"),
        ("Feb 29", "2028-03-01", "2032-02-29"),
        ("30 novembre", "2026-11-30", "2026-11-30"),
        ("31 mars", "2026-11-30", "2027-03-31"),
        ("Dec 5 10:00", "2026-12-28", "2027-12-05"),
    ],
)
def test_something_to_do_is_on_the_next_such_date(text, today, expected):
    assert parse_date(text, today=d(today), sense="next") == d(expected)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("2 janvier", "2026-12-28", "2026-01-02"),
        ("28 décembre", "2026-12-28", "2026-12-28"),
        ("29 décembre", "2026-12-28", "2025-12-29"),
        ("31/12", "2027-01-01", "2026-12-31"),
        ("Dec 30", "2027-01-02", "2026-12-30"),
        ("29 février", "2026-11-30", "2024-02-29"),
        ("29 feb", "2028-02-29", "2028-02-29"),
        ("31 octobre", "2026-11-30", "2026-10-31"),
        ("Dec 5 10:00", "2026-12-01", "2025-12-05"),
        # a bare weekday is the latest one, today included
        ("friday", "2026-11-27", "2026-11-27"),
        ("vendredi", "2026-11-30", "2026-11-27"),
        ("thursday", "2027-01-01", "2026-12-31"),
        # explicit words keep their meaning
        ("last friday", "2026-11-27", "2026-11-20"),
        ("next friday", "2026-11-27", "2026-12-04"),
    ],
)
def test_something_that_happened_is_on_the_latest_such_date(text, today, expected):
    assert parse_date(text, today=d(today), sense="past") == d(expected)


@pytest.mark.parametrize(
    ("text", "real", "said"),
    [
        ("jeudi 4 décembre", "Friday", "Thursday"),
        ("thursday 4 december", "Friday", "Thursday"),
        ("Thursday, December 4", "Friday", "Thursday"),
        ("Thu, 4 Dec 2026", "Friday", "Thursday"),
        ("lundi 4 décembre 2026", "Friday", "Monday"),
        ("mardi 29 février", "Tuesday", "Tuesday"),  # 2028-02-29 is a Tuesday: fine
    ],
)
def test_a_weekday_must_match_the_date(text, real, said):
    today = date(2026, 11, 30)
    if real == said:
        assert parse_date(text, today=today, sense="next") == date(2028, 2, 29)
        return
    with pytest.raises(InvalidInput) as caught:
        parse_date(text, today=today, sense="next")
    assert f"is a {real}, not a {said}" in caught.value.message


def test_a_matching_weekday_is_accepted():
    assert parse_date("vendredi 4 décembre", today=date(2026, 11, 30), sense="next") == date(
        2026, 12, 4
    )
    assert parse_date("Fri, Dec 4 2026", today=date(2026, 11, 30), sense="past") == date(
        2026, 12, 4
    )


@pytest.mark.parametrize("text", ["30 février", "31 avril", "31/04", "Feb 30"])
def test_days_no_year_has_are_refused(text):
    for sense in ("next", "past"):
        with pytest.raises(InvalidInput):
            parse_date(text, today=date(2026, 11, 30), sense=sense)


MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_days = st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31))
_month_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31))


@given(today=_days, day=_month_days)
def test_year_less_dates_are_the_nearest_on_the_right_side(today, day):
    text = f"{day.day} {MOIS[day.month - 1]}"
    upcoming = parse_date(text, today=today, sense="next")
    before = parse_date(text, today=today, sense="past")
    assert (upcoming.month, upcoming.day) == (before.month, before.day) == (day.month, day.day)
    assert before <= today <= upcoming
    # The nearest: no such day lies between today and it (29 February aside, within a year).
    limit = 8 * 366 if (day.month, day.day) == (2, 29) else 366
    assert (upcoming - today).days < limit and (today - before).days < limit
    if before != upcoming:
        assert (upcoming - before).days <= limit


@given(today=_days, weekday=st.integers(0, 6))
def test_a_past_weekday_is_within_the_last_week(today, weekday):
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    found = parse_date(names[weekday], today=today, sense="past")
    assert found.weekday() == weekday
    assert today - timedelta(days=6) <= found <= today


# --- through the CLI ------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["2 janvier", "Jan 2", "02.01.2027"])
def test_remind_on_28_december_for_2_january_is_next_year(at, typed):
    at("2026-12-28", "add", "Zoé Leroy")
    result = at("2026-12-28", "remind", "zoe", "Send the wishes", "--on", typed)
    assert "due 2027-01-02 (in 5 days)" in result.stderr


def test_an_ambiguous_year_less_date_offers_readings_on_the_right_side(at, run, db_file):
    at("2026-12-30", "list")
    error = refused(run, db_file, "remind", "Call", "--on", "5/01", alone=True)
    assert "write 2027-01-05 or 2027-05-01" in error


def test_remind_13_01_on_28_december(at):
    result = at("2026-12-28", "remind", "Plan the year", "--on", "13/01")
    assert "due 2027-01-13 (in 16 days)" in result.stderr


def test_remind_on_29_february_is_the_next_leap_day(at):
    result = at("2026-11-30", "remind", "Leap day post", "--on", "29 février")
    assert "due 2028-02-29" in result.stderr


def test_snooze_and_followups_edit_and_idea_steps_look_ahead(at):
    at("2026-12-30", "remind", "Call the bank", "--on", "today")
    assert "2027-01-04" in at("2026-12-30", "snooze", "f1", "4 janvier").stderr
    at("2026-12-30", "followups", "edit", "f1", "--on", "Jan 3")
    rows = json.loads(at("2026-12-30", "followups", "--json").stdout)
    assert rows[0]["due"] == "2027-01-03"
    at("2026-12-30", "idea", "add", "New year interview", "--kind", "interview")
    assert "due 2027-01-25" in at("2026-12-30", "idea", "step", "1", "Ask", "--due", "25/01").stderr


def test_log_on_a_year_less_date_is_the_latest_one(at):
    at("2027-01-02", "add", "Zoé Leroy")
    result = at("2027-01-02", "log", "zoe", "End of year drinks", "--on", "30 décembre")
    assert "on 2026-12-30" in result.stderr
    result = at("2027-01-02", "log", "zoe", "Leap call", "--on", "29/02")
    assert "on 2024-02-29" in result.stderr


def test_met_on_a_year_less_date_is_the_latest_one(at):
    at("2027-01-02", "add", "Zoé Leroy", "--met-on", "31 décembre")
    card = json.loads(at("2027-01-02", "show", "zoe", "--json").stdout)
    assert card["met_on"] == "2026-12-31"
    at("2027-01-02", "edit", "zoe", "--met-on", "Feb 29")
    card = json.loads(at("2027-01-02", "show", "zoe", "--json").stdout)
    assert card["met_on"] == "2024-02-29"


@pytest.mark.parametrize("typed", ["next year", "tomorrow", "2027-01-01", "next friday"])
def test_a_future_met_on_is_refused_and_nothing_is_written(at, run, db_file, typed):
    at("2026-12-31", "add", "Zoé Leroy")
    error = refused(run, db_file, "add", "Paul Dubois", "--met-on", typed, alone=True)
    assert "is in the future" in error
    error = refused(run, db_file, "edit", "zoe", "--met-on", typed, alone=True)
    assert "is in the future" in error
    conn = sqlite3.connect(resolve_location().path)
    assert conn.execute("SELECT met_on FROM contact").fetchall() == [(None,)]
    conn.close()


def test_met_on_today_is_fine(at):
    at("2026-12-31", "add", "Zoé Leroy", "--met-on", "today")


@pytest.mark.parametrize(
    ("command", "typed", "real", "said"),
    [
        (("remind", "Call", "--on"), "jeudi 4 décembre", "Friday", "Thursday"),
        (("remind", "Call", "--on"), "thursday 4 december", "Friday", "Thursday"),
        (("log", "zoe", "Call", "--on"), "mercredi 25 novembre", "Wednesday", "Wednesday"),
        (("log", "zoe", "Call", "--on"), "jeudi 26 novembre 2026", "Thursday", "Thursday"),
        (("log", "zoe", "Call", "--on"), "lundi 26 novembre", "Thursday", "Monday"),
        (("add", "Paul", "--met-on"), "Sunday, November 1", "Sunday", "Sunday"),
        (("add", "Paul", "--met-on"), "Saturday, November 1", "Sunday", "Saturday"),
    ],
)
def test_a_contradicting_weekday_is_exit_2_naming_the_real_one(
    at, run, db_file, command, typed, real, said
):
    at("2026-11-30", "add", "Zoé Leroy")
    if real == said:
        at("2026-11-30", *command, typed)
        return
    error = refused(run, db_file, *command, typed, alone=True)
    assert f"is a {real}, not a {said}" in error
