"""Follow-ups (issue 3): ``remind``, ``followups`` and its ``edit``/``rm``,
recurrences, and the domain functions others call (``followups_of_contact``).
Today is Friday 2026-11-27."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from netcrm.domain import followups as fu
from netcrm.domain.followups import next_due
from netcrm.io.csvcells import unneutralize
from netcrm.store.location import resolve_location
from tests.conftest import TODAY, refused
from tests.test_due import add_contact, add_followup, days, due_rows

pytestmark = pytest.mark.both_engines


def listed(run, *args: str) -> list[dict]:
    return json.loads(run("followups", "--json", *args).stdout)


# --- remind ---------------------------------------------------------------------------


def test_remind_with_a_contact_prints_the_handle(run):
    add_contact("Léa Martin", email="lea@ex.fr")
    result = run("remind", "lea", "Send the webinar outline", "--on", "next friday")
    assert result.stdout == "f1\n"
    assert result.stderr == (
        "Reminder f1 Send the webinar outline with Léa Martin: due 2026-12-04 (in 7 days)\n"
    )
    (row,) = listed(run)
    assert (row["text"], row["contact"], row["contact_id"], row["due"]) == (
        "Send the webinar outline",
        "Léa Martin",
        1,
        "2026-12-04",
    )


def test_remind_with_one_argument_concerns_no_one_and_defaults_to_tomorrow(run):
    add_contact("Renew Someone")  # a name the text could be mistaken for
    assert run("remind", "Renew domain").stdout == "f1\n"
    (row,) = listed(run)
    assert (row["text"], row["contact"], row["due"], row["when"]) == (
        "Renew domain",
        None,
        "2026-11-28",
        "in 1 day",
    )


def test_remind_with_three_arguments_is_refused(run, db_file):
    add_contact("Léa Martin")
    refused(
        run,
        db_file,
        "remind",
        "lea",
        "Send",
        "the outline",
        message="remind takes [WHO] TEXT, not 3 arguments; quote a text of several words: "
        'netcrm remind lea "Send the outline"',
    )


def test_remind_stores_keys_tags_recurrence_and_idea(run):
    from netcrm.domain.models import Idea
    from tests.test_due import write

    with write() as session:
        session.add(Idea(title="Webinar"))
    add_contact("Léa Martin")
    run(
        "remind",
        "lea",
        "Monthly check-in",
        "--on",
        "2026-12-01",
        "--every",
        "monthly",
        "--from-done",
        "--idea",
        "1",
        "--key",
        "plan",
        "--key",
        "opp",
        "--tag",
        "Webinar",
    )
    (row,) = listed(run)
    assert {k: row[k] for k in ("recurrence", "repeats", "from_done", "idea_id", "idea")} == {
        "recurrence": "FREQ=MONTHLY;INTERVAL=1",
        "repeats": "monthly",
        "from_done": True,
        "idea_id": 1,
        "idea": "Webinar",
    }
    assert row["keys"] == ["action-plan", "opportunity"]
    assert row["tags"] == ["webinar"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("remind", "Do it", "--on", "someday"), None),
        (("remind", "nobody", "Do it"), "no contact matches 'nobody'"),
        (("remind", "Do it", "--every", "sometimes"), None),
        (
            ("remind", "Do it", "--from-done"),
            "--from-done goes with --every (it says how a recurrence counts)",
        ),
        (("remind", "Do it", "--idea", "9"), "no idea #9 (see netcrm idea list)"),
        (("remind", "Do it", "--idea", "x"), None),
        (("remind", "Do it", "--key", "nokey"), None),
        (("remind", "   "), None),
    ],
)
def test_bad_remind_writes_nothing(run, db_file, args, message):
    add_contact("Léa Martin")
    refused(run, db_file, *args, message=message)


def test_remind_with_an_ambiguous_contact_lists_the_candidates(run, db_file):
    add_contact("Léa Martin")
    add_contact("Léa Dubois")
    refused(run, db_file, "remind", "léa", "Call")
    result = run("remind", "léa", "Call", code=2)
    assert "#1  Léa Martin" in result.stderr and "#2  Léa Dubois" in result.stderr


# --- followups ------------------------------------------------------------------------


def test_followups_lists_open_ones_by_due_date_and_all_with_done(run):
    lea = add_contact("Léa Martin")
    add_followup("Later", days(5), contact=lea)
    add_followup("Sooner", days(-1))
    add_followup("Finished", days(-3))
    run("done", "f3")
    assert [(r["handle"], r["done"]) for r in listed(run)] == [("f2", False), ("f1", False)]
    everything = listed(run, "--all")
    assert [
        (r["handle"], r["done"], r["done_at"][:10] if r["done_at"] else None) for r in everything
    ] == [
        ("f2", False, None),
        ("f1", False, None),
        ("f3", True, "2026-11-27"),
    ]
    assert list(everything[0].keys()) == list(fu.FOLLOWUP_KEYS)


def test_followups_table(run):
    add_contact("Léa Martin")
    run("remind", "lea", "Send the outline", "--on", "2026-12-01", "--tag", "webinar")
    run("remind", "Renew the domain", "--on", "2026-11-20", "--every", "yearly")
    lines = [line.rstrip() for line in run("followups").stdout.splitlines()]
    assert lines[1].split() == ["Handle", "Due", "When", "Follow-up", "Contact", "Repeats", "Tags"]
    assert lines[3].split() == [
        "f2",
        "2026-11-20",
        "7",
        "days",
        "overdue",
        "Renew",
        "the",
        "domain",
        "yearly",
    ]
    assert lines[4].split() == [
        "f1",
        "2026-12-01",
        "in",
        "4",
        "days",
        "Send",
        "the",
        "outline",
        "Léa",
        "Martin",
        "webinar",
    ]


def test_followups_empty(run):
    result = run("followups")
    assert result.stdout == ""
    assert result.stderr.startswith("No open follow-ups.")
    assert listed(run) == []


def test_followups_json_and_csv_agree(run):
    lea = add_contact("Léa Martin")
    add_followup("One", days(1), contact=lea, every="2w")
    add_followup("-Two", days(2))
    rows = listed(run)
    table = list(csv.DictReader(io.StringIO(run("followups", "--csv").stdout)))
    assert [unneutralize(r["text"]) for r in table] == [r["text"] for r in rows] == ["One", "-Two"]
    assert [r["recurrence"] for r in table] == ["FREQ=WEEKLY;INTERVAL=2", ""]
    assert table[0]["handle"] == "f1" and table[0]["due"] == "2026-11-28"


def test_followups_help_has_an_example(run):
    assert "Example: netcrm followups" in " ".join(run("followups", "--help").stdout.split())
    assert "Example: netcrm remind" in " ".join(run("remind", "--help").stdout.split())


# --- edit and rm ----------------------------------------------------------------------


def test_edit_changes_what_it_is_told(run):
    add_contact("Léa Martin")
    add_contact("Bob Dupont")
    run("remind", "lea", "Send", "--on", "2026-12-01", "--every", "weekly")
    result = run(
        "followups",
        "edit",
        "f1",
        "--text",
        "Send the deck",
        "--on",
        "+3d",
        "--who",
        "bob",
        "--tag",
        "deck",
    )
    assert (
        result.stderr
        == "Updated f1 Send the deck with Bob Dupont: due 2026-11-30 (in 3 days), weekly\n"
    )
    (row,) = listed(run)
    assert (row["text"], row["due"], row["contact"], row["recurrence"], row["tags"]) == (
        "Send the deck",
        "2026-11-30",
        "Bob Dupont",
        "FREQ=WEEKLY;INTERVAL=1",
        ["deck"],
    )
    run("followups", "edit", "1", "--every", "none", "--who", "none")
    (row,) = listed(run)
    assert (row["recurrence"], row["contact"], row["from_done"]) == (None, None, False)


def test_edit_from_done_needs_a_recurrence(run, db_file):
    add_followup("Plain", days(1))
    refused(run, db_file, "followups", "edit", "f1", "--from-done")
    refused(
        run,
        db_file,
        "followups",
        "edit",
        "f1",
        message=("nothing to change; give --text, --on, --every, --who, --idea, --tag…"),
    )
    refused(run, db_file, "followups", "edit", "f9", "--text", "x")
    refused(run, db_file, "followups", "edit", "f1", "--on", "never")
    refused(run, db_file, "followups", "edit", "zz", "--text", "x")


def test_rm_deletes_follow_ups(run, db_file):
    add_followup("One", days(1))
    add_followup("Two", days(2))
    result = run("followups", "rm", "f1", "2")
    assert result.stderr == "Deleted f1 One\nDeleted f2 Two\n"
    assert listed(run, "--all") == []
    add_followup("Three", days(3))
    refused(run, db_file, "followups", "rm", "f3", "f4")  # one unknown: none deleted
    assert [r["text"] for r in listed(run)] == ["Three"]


# --- recurrence -------------------------------------------------------------------------


def test_monthly_from_31_january_keeps_to_month_ends(run):
    run("remind", "Invoice", "--on", "2027-01-31", "--every", "1m")
    dues = []
    for _ in range(3):
        result = run("done", "f1")
        dues.append(listed(run)[0]["due"])
        assert result.stderr.startswith("Done: f1 Invoice; next on ")
    assert dues == ["2027-02-28", "2027-03-31", "2027-04-30"]
    # 2028 is a leap year: February ends on the 29th.
    run("followups", "edit", "f1", "--on", "2028-01-31", "--every", "1m")
    run("done", "f1")
    assert listed(run)[0]["due"] == "2028-02-29"


def test_first_monday_of_the_month(run):
    run("remind", "Newsletter", "--on", "2026-12-07", "--every", "FREQ=MONTHLY;BYDAY=1MO")
    run("done", "f1")
    assert listed(run)[0]["due"] == "2027-01-04"
    run("done", "f1")
    assert listed(run)[0]["due"] == "2027-02-01"


def test_from_done_counts_from_today(run):
    run("remind", "Water the plants", "--on", "2026-11-20", "--every", "1w", "--from-done")
    run("remind", "Weekly review", "--on", "2026-11-20", "--every", "1w")
    run("done", "f1", "f2")
    by_text = {r["text"]: r["due"] for r in listed(run)}
    assert by_text == {"Water the plants": "2026-12-04", "Weekly review": "2026-12-04"}
    run("remind", "Stretch", "--on", "2026-11-26", "--every", "3d", "--from-done")
    run("remind", "Backup", "--on", "2026-11-26", "--every", "3d")
    run("done", "f5", "f6")
    by_text = {r["text"]: r["due"] for r in listed(run)}
    assert (by_text["Stretch"], by_text["Backup"]) == ("2026-11-30", "2026-11-29")


def test_a_recurring_follow_up_leaves_a_done_copy_with_its_labels(run):
    add_contact("Léa Martin")
    run(
        "remind",
        "lea",
        "Call",
        "--on",
        "2026-11-27",
        "--every",
        "2w",
        "--key",
        "emo",
        "--tag",
        "calls",
    )
    run("done", "f1", "--note", "Talked about the podcast")
    rows = listed(run, "--all")
    assert [(r["handle"], r["due"], r["done"]) for r in rows] == [
        ("f1", "2026-12-11", False),
        ("f2", "2026-11-27", True),
    ]
    copy = rows[1]
    assert (copy["text"], copy["contact"], copy["done_note"], copy["recurrence"]) == (
        "Call",
        "Léa Martin",
        "Talked about the podcast",
        None,
    )
    assert (copy["keys"], copy["tags"]) == (["emotional-intelligence"], ["calls"])


def test_next_due_skips_missed_occurrences_and_ends_with_count():
    today = date(2026, 11, 27)
    weekly = "FREQ=WEEKLY;INTERVAL=1"
    # Three weeks late: the missed occurrences are not owed, the phase is kept.
    assert next_due(weekly, date(2026, 11, 2), from_done=False, today=today) == (
        date(2026, 11, 30),
        weekly,
    )
    assert next_due(weekly, date(2026, 11, 27), from_done=False, today=today) == (
        date(2026, 12, 4),
        weekly,
    )
    assert next_due(weekly, date(2026, 12, 10), from_done=False, today=today) == (
        date(2026, 12, 17),
        weekly,
    )
    assert next_due(weekly, date(2026, 11, 2), from_done=True, today=today) == (
        date(2026, 12, 4),
        weekly,
    )
    assert (
        next_due(
            "FREQ=DAILY;INTERVAL=1;UNTIL=20261127", date(2026, 11, 26), from_done=False, today=today
        )
        is None
    )


def test_an_exhausted_recurrence_is_simply_done(run):
    run("remind", "Three times", "--on", "2026-11-27", "--every", "FREQ=DAILY;UNTIL=20261128")
    assert run("done", "f1").stderr == "Done: f1 Three times; next on 2026-11-28 (in 1 day)\n"
    assert run("done", "f1").stderr == "Done: f1 Three times\n"
    assert listed(run) == []
    assert len(listed(run, "--all")) == 2


# --- for show -------------------------------------------------------------------------


def test_followups_of_contact(run):
    from netcrm.store.reader import open_reader

    lea = add_contact("Léa Martin")
    bob = add_contact("Bob Dupont")
    add_followup("Later", days(4), contact=lea, every="monthly")
    add_followup("Now", days(-2), contact=lea)
    add_followup("Bob's", days(1), contact=bob)
    add_followup("Done already", days(0), contact=lea)
    run("done", "f4")
    reader = open_reader(resolve_location())
    try:
        rows = fu.followups_of_contact(reader, lea, today=TODAY)
    finally:
        reader.close()
    assert rows == [
        {
            "id": 2,
            "handle": "f2",
            "text": "Now",
            "due": date(2026, 11, 25),
            "relative": "2 days overdue",
            "recurrence": None,
            "repeats": None,
            "idea_id": None,
        },
        {
            "id": 1,
            "handle": "f1",
            "text": "Later",
            "due": date(2026, 12, 1),
            "relative": "in 4 days",
            "recurrence": "FREQ=MONTHLY;INTERVAL=1",
            "repeats": "monthly",
            "idea_id": None,
        },
    ]


def test_show_lists_open_follow_ups(run):
    lea = add_contact("Léa Martin")
    add_followup("Send the outline", days(2), contact=lea)
    card = json.loads(run("show", "lea", "--json").stdout)
    assert [(f["handle"], f["text"]) for f in card["followups"]] == [("f1", "Send the outline")]


def test_parse_followup_id():
    assert [fu.parse_followup_id(t) for t in ("f12", "12", "#12", "F3")] == [12, 12, 12, 3]
    with pytest.raises(Exception, match="not a follow-up"):
        fu.parse_followup_id("k3")


def test_a_follow_up_shows_in_due(run):
    add_contact("Léa Martin", email="lea@ex.fr")
    run("remind", "lea", "Send", "--on", "today")
    assert [(r["handle"], r["kind"], r["contact"]) for r in due_rows(run)] == [
        ("f1", "followup", "Léa Martin")
    ]


def test_brackets_in_a_text_are_text(run):
    result = run("remind", "Fix the [draft] and [/x] parts", "--on", "2026-11-30")
    assert (
        result.stderr == "Reminder f1 Fix the [draft] and [/x] parts: due 2026-11-30 (in 3 days)\n"
    )
    assert run("done", "f1").stderr == "Done: f1 Fix the [draft] and [/x] parts\n"
