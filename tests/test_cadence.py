"""Keep-in-touch cadences are durations after the last contact (issue 12, point 1).

Through the real CLI with "today" pinned on month ends, 29 February and the
year boundary, and unit tests of :mod:`netcrm.dates.cadence`."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcrm.dates import cadence_days, describe_cadence, next_touch_after, parse_cadence
from netcrm.errors import InvalidInput
from netcrm.store.location import resolve_location


def touch(contact_id: int) -> tuple[str | None, str | None, str | None]:
    """(cadence, last_contact, next_touch) as stored."""
    conn = sqlite3.connect(resolve_location().path)
    try:
        return conn.execute(
            "SELECT cadence, last_contact, next_touch FROM contact WHERE id = ?", (contact_id,)
        ).fetchone()
    finally:
        conn.close()


# --- parse, describe, arithmetic ------------------------------------------------------

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("typed", "stored", "described"),
    [
        ("3m", "P3M", "every 3 months"),
        ("30d", "P30D", "every 30 days"),
        ("2w", "P2W", "every 2 weeks"),
        ("1y", "P1Y", "yearly"),
        ("1m", "P1M", "monthly"),
        ("monthly", "P1M", "monthly"),
        ("quarterly", "P3M", "every 3 months"),
        ("yearly", "P1Y", "yearly"),
        ("daily", "P1D", "daily"),
        ("weekly", "P1W", "weekly"),
        ("fortnightly", "P2W", "every 2 weeks"),
        ("every 2 weeks", "P2W", "every 2 weeks"),
        ("every other week", "P2W", "every 2 weeks"),
        ("every month", "P1M", "monthly"),
        ("tous les mois", "P1M", "monthly"),
        ("toutes les 2 semaines", "P2W", "every 2 weeks"),
        ("10 days", "P10D", "every 10 days"),
        ("P3M", "P3M", "every 3 months"),
        ("p6m", "P6M", "every 6 months"),
    ],
)
def test_shorthands_are_durations(typed, stored, described):
    assert parse_cadence(typed, today=TODAY) == stored
    assert describe_cadence(stored) == described


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=1MO"),
        ("every monday", "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"),
        ("FREQ=MONTHLY;INTERVAL=3", "FREQ=MONTHLY;INTERVAL=3"),
    ],
)
def test_rules_stay_rules(typed, stored):
    assert parse_cadence(typed, today=TODAY) == stored


@pytest.mark.parametrize("typed", ["0d", "-3m", "P0M", "soon", "", "1000000y", "P99999Y"])
def test_bad_cadences_are_refused(typed):
    with pytest.raises(InvalidInput):
        parse_cadence(typed, today=TODAY)


@pytest.mark.parametrize(
    ("cadence", "last", "expected"),
    [
        ("P1M", date(2026, 1, 31), date(2026, 2, 28)),
        ("P1M", date(2028, 1, 31), date(2028, 2, 29)),
        ("P3M", date(2026, 2, 10), date(2026, 5, 10)),
        ("P3M", date(2026, 1, 31), date(2026, 4, 30)),
        ("P3M", date(2026, 11, 30), date(2027, 2, 28)),
        ("P1Y", date(2028, 2, 29), date(2029, 2, 28)),
        ("P1Y", date(2026, 12, 31), date(2027, 12, 31)),
        ("P1M", date(2026, 12, 31), date(2027, 1, 31)),
        ("P2W", date(2026, 12, 28), date(2027, 1, 11)),
        ("P30D", date(2026, 12, 31), date(2027, 1, 30)),
        ("FREQ=MONTHLY;BYDAY=1MO", date(2026, 11, 27), date(2026, 12, 7)),
    ],
)
def test_next_touch_is_calendar_arithmetic(cadence, last, expected):
    assert next_touch_after(cadence, last) == expected


@pytest.mark.parametrize(
    ("cadence", "days"),
    [
        ("P30D", 30),
        ("P2W", 14),
        ("P1M", 30),
        ("P3M", 90),
        ("P1Y", 365),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", 7),
        ("FREQ=MONTHLY;BYDAY=1MO", 30),
        ("FREQ=WEEKLY;BYDAY=MO", 7),
    ],
)
def test_cadence_in_days(cadence, days):
    assert cadence_days(cadence) == days


def test_the_end_of_the_calendar_is_an_error_not_a_crash():
    with pytest.raises(InvalidInput):
        next_touch_after("P1M", date(9999, 12, 15))


_units = st.sampled_from("DWMY")
_counts = st.integers(min_value=1, max_value=24)
_days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


def _month_index(day: date) -> int:
    return day.year * 12 + day.month


@given(count=_counts, unit=_units, last=_days)
def test_next_touch_is_the_duration_after_the_last_contact(count, unit, last):
    cadence = f"P{count}{unit}"
    nxt = next_touch_after(cadence, last)
    assert nxt > last
    if unit in "DW":
        assert (nxt - last).days == count * (7 if unit == "W" else 1)
        return
    months = count * (12 if unit == "Y" else 1)
    assert _month_index(nxt) == _month_index(last) + months
    # The day of the month is kept, unless the month is too short: then its last day,
    # which is never more than 3 days earlier.
    month_end = (nxt.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    assert nxt.day == min(last.day, month_end.day)
    assert last.day - nxt.day <= 3


@given(count=_counts, unit=_units)
def test_the_stored_form_reads_back_as_itself(count, unit):
    cadence = f"P{count}{unit}"
    assert parse_cadence(cadence, today=TODAY) == cadence
    assert parse_cadence(f"{count}{unit.lower()}", today=TODAY) == cadence


# --- through the CLI ------------------------------------------------------------------


def test_the_issue_case_three_months_after_the_last_coffee(at):
    result = at("2026-01-31", "add", "Alice Dupont", "--every", "3m")
    assert "next touch 2026-04-30" in result.stderr
    result = at("2026-02-10", "log", "alice", "coffee")
    assert "Next touch with Alice Dupont: 2026-05-10." in result.stderr
    assert touch(1) == ("P3M", "2026-02-10", "2026-05-10")


@pytest.mark.parametrize(
    ("day", "every", "expected"),
    [
        ("2026-01-29", "1m", "2026-02-28"),
        ("2026-01-30", "monthly", "2026-02-28"),
        ("2026-01-31", "1m", "2026-02-28"),
        ("2028-01-31", "1m", "2028-02-29"),
        ("2026-03-31", "1m", "2026-04-30"),
        ("2026-08-31", "quarterly", "2026-11-30"),
        ("2028-02-29", "1y", "2029-02-28"),
        ("2028-02-29", "yearly", "2029-02-28"),
        ("2026-12-28", "1w", "2027-01-04"),
        ("2026-12-31", "1m", "2027-01-31"),
        ("2027-01-01", "30d", "2027-01-31"),
        ("2026-10-31", "every 2 weeks", "2026-11-14"),
    ],
)
def test_added_contacts_are_due_one_cadence_after_they_were_added(at, day, every, expected):
    result = at(day, "add", "Léa Martin", "--every", every)
    assert f"next touch {expected}" in result.stderr
    assert touch(1)[2] == expected


def test_a_cadence_typed_on_the_31st_does_not_anchor_later_touches(at):
    at("2026-05-31", "add", "David Morel", "--every", "1m")
    result = at("2026-06-15", "log", "david", "call")
    assert "Next touch with David Morel: 2026-07-15." in result.stderr


def test_edit_every_counts_from_the_last_contact(at):
    at("2026-01-01", "add", "Bruno Petit")
    at("2026-10-11", "log", "bruno", "lunch")
    at("2026-10-30", "edit", "bruno", "--every", "3m")
    assert touch(1) == ("P3M", "2026-10-11", "2027-01-11")


def test_done_keep_in_touch_on_the_30th(at):
    at("2026-07-30", "add", "Inès Faure", "--every", "3m")
    result = at("2026-10-30", "done", "k1")
    assert "next on 2027-01-30" in result.stderr
    result = at("2026-11-30", "done", "k1")
    assert "next on 2027-02-28" in result.stderr


def test_a_contact_on_the_31st_is_due_on_the_next_month_end(at):
    at("2026-01-31", "add", "Alice Dupont", "--every", "1m")
    at("2026-03-31", "log", "alice", "call")
    assert touch(1)[2] == "2026-04-30"


def test_merge_recomputes_from_the_merged_history(at):
    at("2026-01-31", "add", "Alice Dupont", "--every", "3m")
    at("2026-01-31", "add", "Alice D.")
    at("2026-02-10", "log", "Alice D.", "coffee")
    at("2026-02-11", "merge", "2", "1", "--yes")
    assert touch(1) == ("P3M", "2026-02-10", "2026-05-10")


def test_cadences_show_in_words(at):
    at("2026-01-31", "add", "Alice Dupont", "--every", "3m")
    at("2026-01-31", "add", "Bruno Petit", "--every", "FREQ=MONTHLY;BYDAY=1MO")
    shown = at("2026-02-10", "show", "alice").stdout
    assert "every 3 months; next 2026-04-30" in shown
    card = json.loads(at("2026-02-10", "show", "alice", "--json").stdout)
    assert card["every"] == "P3M"
    rows = json.loads(at("2026-04-30", "due", "--json").stdout)
    texts = {r["contact"]: r["text"] for r in rows if r["kind"] == "keep-in-touch"}
    assert texts["Alice Dupont"].startswith("Keep in touch (every 3 months;")
    assert texts["Bruno Petit"].startswith("Keep in touch (every month on the first Monday;")


def test_the_demo_on_the_30th_counts_from_each_last_contact(at, tmp_path):
    kept = tmp_path / "demo.db"
    at("2026-11-30", "demo", "--keep", str(kept))
    conn = sqlite3.connect(kept)
    rows = conn.execute(
        "SELECT cadence, last_contact, next_touch, created_at FROM contact "
        "WHERE cadence IS NOT NULL"
    ).fetchall()
    conn.close()
    assert rows
    for cadence, last, nxt, created in rows:
        base = date.fromisoformat(last or created[:10])
        assert nxt == next_touch_after(cadence, base).isoformat(), (cadence, last, nxt)
