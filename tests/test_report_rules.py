"""The written rules of the reports (netcrm/domain/figures.py, issue 17): the
window, proposals, "in the period", archived contacts, same-day order, shares
that add up, and the rules printed wherever a report is read."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from netcrm.domain import figures


def at(monkeypatch, day: str) -> None:
    monkeypatch.setenv("NETCRM_TODAY", day)


def report(run, name: str, *args: str) -> list[dict]:
    return json.loads(run("report", name, "--json", *args).stdout)


def period_row(run, since: str) -> dict:
    return report(run, "activity", "--since", since)[-1]


# --- the window ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "since", "start", "days"),
    [
        ("2026-11-27", "90d", "2026-08-30", 90),
        ("2026-11-30", "90d", "2026-09-02", 90),
        ("2026-11-30", "30d", "2026-11-01", 30),
        ("2026-11-30", "1d", "2026-11-30", 1),
        # Across the year end and 29 February.
        ("2027-01-02", "7d", "2026-12-27", 7),
        ("2028-03-01", "2d", "2028-02-29", 2),
        ("2028-02-29", "1y", "2027-03-01", 366),
        ("2026-03-31", "1m", "2026-03-01", 31),
        # A date starts on that date.
        ("2026-11-30", "2026-09-01", "2026-09-01", 91),
    ],
)
def test_since_is_the_last_n_days_today_included(run, monkeypatch, today, since, start, days):
    at(monkeypatch, today)
    row = period_row(run, since)
    assert (row["start"], row["days"], row["item"]) == (start, days, f"{start}..{today}")
    title = run("report", "keys", "--since", since).stdout.splitlines()[0].strip()
    assert title == f"The five keys, {start} to {today}"


def test_the_coaching_line_names_the_window_it_counts(run, monkeypatch):
    at(monkeypatch, "2026-11-30")
    for since, words in (("90d", "in 90 days"), ("30d", "in 30 days"), ("1d", "in 1 day")):
        last = run("report", "keys", "--since", since).stdout.splitlines()[-1]
        assert words in last, (since, last)


def test_weekly_rows_are_the_weeks_of_the_same_window(run, monkeypatch):
    # 2026 has 53 ISO weeks: the window 2026-12-24 .. 2027-01-05 touches W52
    # (Thursday to Sunday), W53 and 2027-W01 (Monday and Tuesday).
    at(monkeypatch, "2026-01-01")
    run("add", "Ann Lee")
    for day in ("2026-12-23", "2026-12-24", "2026-12-31", "2027-01-04", "2027-01-05"):
        at(monkeypatch, day)
        run("log", "ann", "Hi", "--via", "email")
    at(monkeypatch, "2027-01-05")
    rows = report(run, "activity", "--since", "13d")
    weeks = [
        (r["item"], r["days"], r["partial"], r["total"]) for r in rows if r["section"] == "week"
    ]
    assert weeks == [("2026-W52", 4, True, 1), ("2026-W53", 7, False, 1), ("2027-W01", 2, True, 2)]
    assert rows[-1]["total"] == 4 == sum(w[3] for w in weeks)
    assert sum(r["total"] for r in rows if r["section"] == "channel") == 4


def test_weeks_is_gone_in_favour_of_since(run):
    result = run("report", "activity", "--weeks", "4", code=2)
    assert result.stderr.startswith("Error: ")


# --- proposals ------------------------------------------------------------------------------


def test_a_proposal_is_the_first_move_into_proposed_accepted_or_declined(run, monkeypatch):
    at(monkeypatch, "2026-01-01")
    run("add", "Big Name", "--bigger")
    run("add", "Small Name")
    run("idea", "add", "Straight to accepted", "--with", "big")  # 1
    run("idea", "add", "Proposed in May", "--with", "big")  # 2
    run("idea", "add", "Never proposed", "--with", "big")  # 3
    run("idea", "add", "Declined, then proposed again", "--with", "small")  # 4
    at(monkeypatch, "2026-05-10")
    run("idea", "move", "2", "proposed")
    at(monkeypatch, "2026-11-10")
    run("idea", "move", "1", "accepted")  # a proposal, though never logged as proposed
    run("idea", "move", "2", "accepted")  # proposed in May: not a proposal now
    run("idea", "move", "3", "planned")
    run("idea", "move", "4", "declined")
    run("idea", "move", "4", "proposed")  # not a second proposal
    at(monkeypatch, "2026-11-27")
    rows = report(run, "ideas", "--since", "30d")
    status = {r["item"]: r["in_period"] for r in rows if r["section"] == "status"}
    conversion = {r["item"]: r["count"] for r in rows if r["section"] == "conversion"}
    # The status table's proposed row and the conversion count the same proposals.
    assert status["proposed"] == conversion["proposed"] == 2
    assert status["accepted"] == 2 and status["declined"] == 1
    # Idea 4 was declined after its proposal, whatever came next.
    assert conversion == {"proposed": 2, "accepted": 1, "declined": 1, "dropped": 0, "pending": 0}
    # Self-esteem counts the proposal to the bigger name (idea 1) only.
    keys = {r["key"]: r for r in report(run, "keys", "--since", "30d")}
    assert keys["self-esteem"]["total"] == 1
    # At a year, idea 2's proposal (May) is in the window too.
    rows = report(run, "ideas", "--since", "1y")
    status = {r["item"]: r["in_period"] for r in rows if r["section"] == "status"}
    conversion = {r["item"]: r["count"] for r in rows if r["section"] == "conversion"}
    assert status["proposed"] == conversion["proposed"] == 3
    assert conversion["accepted"] == 2


def test_the_demo_status_and_conversion_rows_agree(run, tmp_path):
    kept = tmp_path / "demo.db"
    run("demo", "--keep", str(kept))
    for since in ("30d", "90d", "365d"):
        rows = json.loads(
            run("--db", str(kept), "report", "ideas", "--json", "--since", since).stdout
        )
        proposed = next(r for r in rows if r["section"] == "status" and r["item"] == "proposed")
        conversion = [r for r in rows if r["section"] == "conversion"]
        assert proposed["in_period"] == conversion[0]["count"], since
        outcomes = conversion[1:]
        assert sum(r["count"] for r in outcomes) == conversion[0]["count"]
        if conversion[0]["count"]:
            assert sum(r["percent"] for r in outcomes) == 100


# --- in the period, archived contacts, same-day order ------------------------------------


def test_a_checked_step_does_not_put_an_idea_in_the_period(run, monkeypatch):
    at(monkeypatch, "2026-01-01")
    run("idea", "add", "Old idea")
    run("idea", "step", "1", "A step")
    at(monkeypatch, "2026-11-20")
    run("idea", "check", "1", "1")
    at(monkeypatch, "2026-11-27")
    keys = {r["key"]: r["total"] for r in report(run, "keys", "--since", "30d")}
    assert keys["creativity"] == 0 and keys["action-plan"] == 0
    assert (
        run("report", "keys", "--since", "30d")
        .stdout.splitlines()[-1]
        .startswith("Creativity: No collaboration idea created or moved in 30 days")
    )


def test_archived_contacts_leave_the_network_not_the_history(run, monkeypatch):
    at(monkeypatch, "2026-11-20")
    run("add", "Gone Friend", "--relationship", "personal")
    run("log", "gone", "Coffee", "--via", "meeting")
    run("edit", "gone", "--archive")
    at(monkeypatch, "2026-11-27")
    keys = {r["key"]: r for r in report(run, "keys", "--since", "30d")}
    # Not a new contact (opportunity, emotional intelligence count no contact)...
    network = report(run, "network", "--since", "30d")
    assert network[0]["contacts"] == network[0]["new"] == 0
    # ...but the coffee still happened: a first exchange, a close exchange, activity.
    assert keys["opportunity"]["total"] == 1
    assert keys["emotional-intelligence"]["total"] == 1
    assert period_row(run, "30d")["total"] == 1


def test_the_first_exchange_of_a_day_is_the_earliest_by_time(run, monkeypatch):
    at(monkeypatch, "2026-01-01")
    run("add", "Ann Lee")
    at(monkeypatch, "2026-11-20")
    # Logged first but later in the day, and tagged opportunity by hand.
    run("log", "ann", "Afternoon call", "--via", "call", "--at", "15:00", "--key", "opportunity")
    run("log", "ann", "Morning email", "--via", "email", "--at", "09:00")
    at(monkeypatch, "2026-11-27")
    opportunity = next(
        r for r in report(run, "keys", "--since", "30d") if r["key"] == "opportunity"
    )
    # The morning email is the first exchange (inferred); the call counts explicitly.
    assert (opportunity["explicit"], opportunity["inferred"]) == (1, 1)


# --- shares ----------------------------------------------------------------------------------


def test_shares_add_up_to_100_by_largest_remainder():
    # Rounded one by one these give 11 + 30 + 3 + 19 + 38 = 101.
    assert [round(100 * n / 37) for n in (4, 11, 1, 7, 14)] == [11, 30, 3, 19, 38]
    assert figures.percentages([4, 11, 1, 7, 14]) == [11, 30, 2, 19, 38]
    assert figures.percentages([1, 1, 1]) == [34, 33, 33]  # a tie: the first row
    assert figures.percentages([0, 0]) == [0, 0]
    assert figures.percentages([0, 5]) == [0, 100]


def test_the_weakest_key_ties_to_the_article_order():
    assert figures.weakest([("a", 2), ("b", 1), ("c", 1)]) == "b"
    assert figures.weakest([("a", 0), ("b", 0)]) == "a"


def test_iso_weeks_of_a_window():
    period = figures.Period(date(2026, 8, 30), date(2026, 11, 27))
    weeks = figures.iso_weeks(period)
    assert weeks[0] == (date(2026, 8, 24), 1) and weeks[-1] == (date(2026, 11, 23), 5)
    assert sum(days for _, days in weeks) == period.days == 90


# --- every rule readable ---------------------------------------------------------------------


def _words(text: str) -> str:
    # Help text is wrapped, and may break a line after a hyphen.
    return re.sub(r"-\s+", "-", " ".join(text.split()))


@pytest.mark.parametrize("name", ["keys", "network", "ideas", "activity"])
def test_each_report_help_states_its_rules(run, name):
    shown = _words(run("report", name, "--help").stdout)
    for note in figures.NOTES[name]:
        assert _words(note) in shown, note


def test_the_readme_states_every_rule():
    readme = _words((Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8"))
    for notes in figures.NOTES.values():
        for note in notes:
            assert _words(note) in readme, note


def test_netcrm_keys_prints_the_counting_rules(run):
    shown = _words(run("keys").stdout)
    for note in figures.NOTES["keys"]:
        assert _words(note) in shown, note


def test_the_thresholds_in_words_are_the_thresholds_in_use():
    text = " ".join(" ".join(notes) for notes in figures.NOTES.values())
    assert f"{figures.DEFAULT_CADENCE_DAYS} days for a contact without one" in text
    assert f"warmth {figures.CLOSE_WARMTH} or 5" in text
    assert f"over {figures.HEAVY_HOURS:g} hours" in text
    assert f"stalled ({figures.STALLED_DAYS} days or more" in text
    assert re.search(r"from today - 89", text)


def test_the_html_page_says_how_figures_are_computed(run, tmp_path):
    page = tmp_path / "page.html"
    run("report", "all", "--html", str(page))
    text = page.read_text(encoding="utf-8")
    assert "How these figures are computed" in text
    assert "The chart shows the ideas in each status now (all time)" in text
    import html

    shown = _words(html.unescape(re.sub(r"<[^>]+>", " ", text)))
    for notes in figures.NOTES.values():
        for note in notes:
            assert _words(note) in shown, note


def test_a_long_window_draws_one_character_per_week(run, monkeypatch):
    at(monkeypatch, "2026-11-27")
    run("add", "Ann Lee")
    run("log", "ann", "Hi", "--via", "email", "--on", "2026-01-01")  # a Thursday, 2026-W01
    lines = run("report", "activity", "--since", "1y").stdout.splitlines()
    # 2025-11-28 .. 2026-11-27: 53 ISO weeks, too many for a column each at 120.
    assert lines[1].split() == ["2025-W48", "…", "2026-W48"]
    # Piped output carries no trailing spaces: a row ending in weeks outside the
    # window (blank) is shorter; pad it back to read the weeks by position.
    assert all(len(line) <= 5 + 53 and line == line.rstrip() for line in lines[2:9])
    grid = {line[:3]: line[5:].ljust(53) for line in lines[2:9]}
    assert list(grid) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    # Thursday of the first week (2025-11-27) is before the window: blank.
    assert grid["Thu"][5] == "█" and grid["Thu"][0] == " " and grid["Thu"].count("·") == 51
    # The first week holds only Friday to Sunday; the last Monday to Friday.
    assert grid["Mon"][0] == " " and grid["Fri"][0] == "·" and grid["Sat"][-1] == " "
