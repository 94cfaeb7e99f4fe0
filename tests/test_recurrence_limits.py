"""Recurring follow-ups: COUNT and UNTIL end a series, counted from the due date
or from completion, and "every 3 months --from-done" is calendar arithmetic
from the day it is done (issue 12, points 1 and 2). Today is pinned per step."""

from __future__ import annotations

import json
from datetime import date

import pytest

from netcrm.dates.recurrence import anchor_rule, parse_recurrence, split_count, with_count
from netcrm.domain.followups import next_due


def followups(at, day: str, *extra: str) -> list[dict]:
    return json.loads(at(day, "followups", "--json", *extra).stdout)


# --- COUNT ----------------------------------------------------------------------------


def test_count_two_comes_back_once_then_closes(at):
    at("2026-11-27", "remind", "Twice only", "--on", "today", "--every", "FREQ=DAILY;COUNT=2")
    done = at("2026-11-27", "done", "f1")
    assert done.stderr == "Done: f1 Twice only; next on 2026-11-28 (in 1 day)\n"
    [row] = followups(at, "2026-11-28")
    assert (row["due"], row["recurrence"]) == ("2026-11-28", "FREQ=DAILY;COUNT=1")
    assert at("2026-11-28", "done", "f1").stderr == "Done: f1 Twice only\n"
    assert followups(at, "2026-11-29") == []
    assert [r["due"] for r in followups(at, "2026-11-29", "--all")] == [
        "2026-11-27",
        "2026-11-28",
    ]
    at("2026-11-29", "done", "f1", code=2)


def test_count_counted_from_completion(at):
    at("2026-12-30", "remind", "Three", "--on", "today", "--every", "3d;COUNT=3", code=2)
    at(
        "2026-12-30",
        "remind",
        "Three",
        "--on",
        "today",
        "--every",
        "FREQ=WEEKLY;COUNT=3",
        "--from-done",
    )
    assert "next on 2027-01-08" in at("2027-01-01", "done", "f1").stderr
    assert "next on 2027-01-17" in at("2027-01-10", "done", "f1").stderr
    assert at("2027-01-17", "done", "f1").stderr == "Done: f1 Three\n"
    assert followups(at, "2027-01-18") == []


def test_missed_occurrences_use_up_the_count(at):
    # Weekly from Monday 2 November, five times: 2, 9, 16, 23, 30 November.
    at("2026-11-02", "remind", "Five", "--on", "today", "--every", "FREQ=WEEKLY;COUNT=5")
    assert "next on 2026-11-30" in at("2026-11-27", "done", "f1").stderr
    [row] = followups(at, "2026-11-27")
    assert row["recurrence"] == "FREQ=WEEKLY;COUNT=1"
    assert at("2026-11-30", "done", "f1").stderr == "Done: f1 Five\n"


def test_a_series_whose_occurrences_all_passed_is_closed(at):
    at("2026-11-02", "remind", "Three", "--on", "today", "--every", "FREQ=WEEKLY;COUNT=3")
    assert at("2026-11-27", "done", "f1").stderr == "Done: f1 Three\n"
    assert followups(at, "2026-11-27") == []


def test_count_one_is_just_once(at):
    at("2026-11-27", "remind", "Once", "--on", "today", "--every", "FREQ=MONTHLY;COUNT=1")
    assert at("2026-11-27", "done", "f1").stderr == "Done: f1 Once\n"


def test_until_counted_from_completion(at):
    at(
        "2026-11-27",
        "remind",
        "Until Saturday",
        "--on",
        "today",
        "--every",
        "FREQ=DAILY;UNTIL=20261128",
        "--from-done",
    )
    assert "next on 2026-11-28" in at("2026-11-27", "done", "f1").stderr
    assert at("2026-11-28", "done", "f1").stderr == "Done: f1 Until Saturday\n"


def test_until_across_the_year_boundary(at):
    at("2026-12-28", "remind", "Daily", "--on", "today", "--every", "FREQ=DAILY;UNTIL=20270101")
    for day, nxt in (
        ("2026-12-28", "2026-12-29"),
        ("2026-12-29", "2026-12-30"),
        ("2026-12-30", "2026-12-31"),
        ("2026-12-31", "2027-01-01"),
    ):
        assert f"next on {nxt}" in at(day, "done", "f1").stderr
    assert at("2027-01-01", "done", "f1").stderr == "Done: f1 Daily\n"


def test_the_ical_export_carries_what_is_left_of_the_series(at, tmp_path):
    from icalendar import Calendar

    at("2026-11-27", "remind", "Thrice", "--on", "today", "--every", "FREQ=DAILY;COUNT=3")
    at("2026-11-27", "done", "f1")
    out = tmp_path / "f.ics"
    at("2026-11-27", "export", "followups", "--format", "ics", "-o", str(out))
    events = [
        c for c in Calendar.from_ical(out.read_bytes()).walk() if c.name in ("VEVENT", "VTODO")
    ]
    open_event = [e for e in events if e.get("rrule")]
    assert len(open_event) == 1
    assert open_event[0]["rrule"].to_ical() == b"FREQ=DAILY;COUNT=2"


# --- calendar arithmetic of follow-ups --------------------------------------------------


def test_every_three_months_from_done_is_counted_from_the_day_done(at):
    at("2026-01-31", "remind", "Quarterly review", "--on", "today", "--every", "3m", "--from-done")
    [row] = followups(at, "2026-01-31")
    assert row["recurrence"] == "FREQ=MONTHLY;INTERVAL=3"
    assert "next on 2026-05-10" in at("2026-02-10", "done", "f1").stderr
    assert "next on 2026-08-31" in at("2026-05-31", "done", "f1").stderr
    assert "next on 2027-02-28" in at("2026-11-30", "done", "f1").stderr


def test_yearly_from_done_on_29_february(at):
    at("2028-02-29", "remind", "Leap", "--on", "today", "--every", "1y", "--from-done")
    assert "next on 2029-02-28" in at("2028-02-29", "done", "f1").stderr


def test_monthly_from_the_due_date_keeps_the_month_end(at):
    at("2026-01-31", "remind", "Newsletter", "--on", "today", "--every", "monthly")
    assert "next on 2026-02-28" in at("2026-01-31", "done", "f1").stderr
    assert "next on 2026-03-31" in at("2026-02-28", "done", "f1").stderr
    assert "next on 2026-04-30" in at("2026-03-31", "done", "f1").stderr


def test_switching_to_from_done_drops_the_month_end_anchor(at):
    at("2026-01-31", "remind", "Newsletter", "--on", "today", "--every", "3m")
    at("2026-01-31", "followups", "edit", "f1", "--from-done")
    [row] = followups(at, "2026-01-31")
    assert row["recurrence"] == "FREQ=MONTHLY;INTERVAL=3"
    assert "next on 2026-05-10" in at("2026-02-10", "done", "f1").stderr


def test_moving_the_date_moves_the_anchor(at):
    at("2026-01-15", "remind", "Newsletter", "--on", "today", "--every", "monthly")
    at("2026-01-15", "followups", "edit", "f1", "--on", "2026-01-31")
    assert "next on 2026-02-28" in at("2026-01-31", "done", "f1").stderr
    assert "next on 2026-03-31" in at("2026-02-28", "done", "f1").stderr


# --- unit tests -------------------------------------------------------------------------


def test_split_and_set_count():
    assert split_count("FREQ=DAILY;COUNT=2") == ("FREQ=DAILY", 2)
    assert split_count("FREQ=DAILY;UNTIL=20261231") == ("FREQ=DAILY;UNTIL=20261231", None)
    assert with_count("FREQ=WEEKLY;COUNT=5;BYDAY=MO", 3) == "FREQ=WEEKLY;COUNT=3;BYDAY=MO"


@pytest.mark.parametrize(
    ("rule", "due", "from_done", "expected"),
    [
        ("FREQ=MONTHLY;INTERVAL=1", date(2026, 1, 31), False, None),
        ("FREQ=MONTHLY;INTERVAL=1", date(2026, 1, 30), False, "BYMONTHDAY=28,29,30;BYSETPOS=-1"),
        (
            "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30;BYSETPOS=-1",
            date(2026, 1, 15),
            False,
            "",
        ),
        ("FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", date(2026, 1, 31), True, ""),
        (
            "FREQ=YEARLY;INTERVAL=1",
            date(2028, 2, 29),
            False,
            "BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
        ),
    ],
)
def test_anchor_rule(rule, due, from_done, expected):
    anchored = anchor_rule(rule, due, from_done=from_done)
    base = rule.split(";BY")[0]
    if expected is None:
        assert anchored == f"{base};BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
    else:
        assert anchored == (f"{base};{expected}" if expected else base)


def test_a_rule_a_person_wrote_keeps_its_parts():
    rule = "FREQ=MONTHLY;BYDAY=1MO"
    assert anchor_rule(rule, date(2026, 1, 31), from_done=True) == rule


def test_from_done_shorthands_carry_no_anchor():
    assert parse_recurrence("monthly", anchor=date(2026, 1, 31), from_done=True) == (
        "FREQ=MONTHLY;INTERVAL=1"
    )
    assert parse_recurrence("monthly", anchor=date(2026, 1, 31)) == (
        "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
    )


def test_next_due_lowers_the_count():
    today = date(2026, 11, 27)
    assert next_due("FREQ=DAILY;COUNT=3", today, from_done=False, today=today) == (
        date(2026, 11, 28),
        "FREQ=DAILY;COUNT=2",
    )
    assert next_due("FREQ=DAILY;COUNT=1", today, from_done=True, today=today) is None
