"""``netcrm done`` and ``netcrm snooze`` on every kind of handle (issue 3).
Today is Friday 2026-11-27."""

from __future__ import annotations

from datetime import date

import pytest

from netcrm.domain import due as due_domain
from netcrm.errors import InvalidInput
from tests.conftest import db_query, refused
from tests.test_due import add_contact, add_followup, add_step, contact_row, days, due_rows, log

pytestmark = pytest.mark.both_engines


def interactions() -> list[tuple]:
    """(date, channel, summary, contact ids) of every interaction, oldest first."""
    rows = db_query(
        "SELECT i.id, i.occurred_on, i.channel, i.summary FROM interaction i ORDER BY i.id"
    )
    return [
        (
            r["occurred_on"],
            r["channel"],
            r["summary"],
            [
                link["contact_id"]
                for link in db_query(
                    "SELECT contact_id FROM interaction_contact WHERE interaction_id = ? "
                    "ORDER BY contact_id",
                    (r["id"],),
                )
            ],
        )
        for r in rows
    ]


def step_row(step_id: int) -> tuple:
    rows = db_query(
        "SELECT due, done_at IS NOT NULL AS done FROM idea_step WHERE id = ?", (step_id,)
    )
    return (rows[0]["due"], rows[0]["done"]) if rows else None  # type: ignore[return-value]


# --- done ---------------------------------------------------------------------------


def test_done_a_follow_up(run):
    lea = add_contact("Léa Martin", email="lea@ex.fr")
    add_followup("Send the outline", days(-1), contact=lea)
    result = run("done", "f1", "--note", "Sent by email")
    assert result.stdout == ""
    assert result.stderr == "Done: f1 Send the outline\n"
    assert due_rows(run) == []
    assert interactions() == []  # no --log: nothing logged


def test_done_with_a_bare_number_is_a_follow_up(run):
    add_followup("Renew the domain", days(0))
    assert run("done", "1").stderr == "Done: f1 Renew the domain\n"


def test_done_log_on_a_follow_up_logs_and_resets_the_clock(run):
    lea = add_contact("Léa Martin", phone="+33 6 12 34 56 78", every="30d", added=date(2026, 9, 1))
    add_followup("Call about the webinar", days(0), contact=lea)
    assert [r["handle"] for r in due_rows(run)] == ["k1", "f1"]
    run("done", "f1", "--log")
    assert interactions() == [("2026-11-27", "call", "Call about the webinar", [lea])]
    assert due_rows(run) == []
    assert contact_row(lea)["next_touch"] == "2026-12-27"


def test_done_log_with_via_and_note(run):
    lea = add_contact("Léa Martin", email="lea@ex.fr")
    add_followup("Ask for the deck", days(0), contact=lea)
    run("done", "f1", "--via", "whatsapp", "--note", "She sends it Monday")
    assert interactions() == [("2026-11-27", "whatsapp", "She sends it Monday", [lea])]


def test_done_keep_in_touch_logs_on_the_preferred_channel(run):
    lea = add_contact("Léa Martin", email="lea@ex.fr", every="2w", added=date(2026, 11, 1))
    result = run("done", "k1")
    assert result.stderr == "Done: k1 kept in touch with Léa Martin; next on 2026-12-11\n"
    assert interactions() == [("2026-11-27", "email", "Kept in touch", [lea])]
    assert contact_row(lea)["last_contact"] == "2026-11-27"
    assert due_rows(run) == []


def test_done_keep_in_touch_with_via(run):
    bob = add_contact("Bob Dupont", every="1w", added=date(2026, 11, 1))
    run("done", "k1", "--via", "coffee", "--note", "Coffee at the market")
    assert interactions() == [("2026-11-27", "in-person", "Coffee at the market", [bob])]


def test_done_birthday_marks_it_wished_for_this_year(run):
    bob = add_contact("Bob Dupont", birthday="1990-11-28")
    assert run("done", "b1").stderr == "Done: b1 wished Bob Dupont a happy birthday\n"
    assert contact_row(bob)["birthday_wished_year"] == 2026
    assert interactions() == []
    assert due_rows(run) == []


def test_done_birthday_with_a_note_logs_it(run):
    bob = add_contact("Bob Dupont", email="bob@ex.fr", birthday="11-27")
    run("done", "b1", "--note", "Sent a card")
    assert interactions() == [("2026-11-27", "email", "Sent a card", [bob])]


def test_done_birthday_of_the_new_year_seen_in_december(run, monkeypatch):
    monkeypatch.setenv("NETCRM_TODAY", "2026-12-30")
    bob = add_contact("Bob Dupont", birthday="01-02")
    run("done", "b1")
    assert contact_row(bob)["birthday_wished_year"] == 2027
    assert due_rows(run, "--within", "400d")[0]["due"] == "2028-01-02"


def test_done_step(run):
    lea = add_contact("Léa Martin", email="lea@ex.fr")
    step = add_step("Interview Léa", "Draft the questions", days(-2), contacts=[lea])
    assert run("done", "s1").stderr == "Done: s1 Draft the questions\n"
    assert step_row(step) == ("2026-11-25", 1)
    assert due_rows(run) == []
    assert interactions() == []


def test_done_step_with_log_logs_with_the_idea_contacts(run):
    lea = add_contact("Léa Martin", email="lea@ex.fr")
    bob = add_contact("Bob Dupont")
    add_step("Joint webinar", "Send the proposal", days(0), contacts=[bob, lea])
    run("done", "s1", "--log")
    # The channel is the first contact's (by name: Bob, who has none).
    assert interactions() == [("2026-11-27", "other", "Send the proposal", [lea, bob])]


def test_done_several_handles_at_once(run):
    add_contact("Bob Dupont", birthday="11-28")
    add_followup("One", days(0))
    add_step("Idea", "Step", days(1))
    run("done", "f1", "b1", "s1")
    assert due_rows(run) == []


# --- done refused -------------------------------------------------------------------


def test_done_unknown_handles_write_nothing(run, db_file):
    add_contact("Léa Martin", email="lea@ex.fr", every="30d")  # k1 exists but is not due
    add_followup("Real", days(0))
    refused(
        run, db_file, "done", "f9", message="no open follow-up f9; the handles are in: netcrm due"
    )
    refused(run, db_file, "done", "f1", "s4")  # one unknown: f1 stays open
    refused(run, db_file, "done", "b1")  # Léa has no birthday
    refused(run, db_file, "done", "k2")
    refused(run, db_file, "done", "x1")
    refused(run, db_file, "done", "lea")
    assert [r["handle"] for r in due_rows(run)] == ["f1"]


def test_done_twice_is_refused(run, db_file):
    add_followup("Once", days(0))
    run("done", "f1")
    refused(run, db_file, "done", "f1")


def test_done_log_needs_someone_to_log_with(run, db_file):
    add_followup("About no one", days(0))
    add_step("Solo idea", "Solo step", days(0))
    refused(
        run,
        db_file,
        "done",
        "f1",
        "--log",
        message="follow-up f1 concerns no one; there is nobody to log with",
    )
    refused(run, db_file, "done", "s1", "--note", "Did it")
    assert len(due_rows(run)) == 2


def test_done_with_a_bad_channel_is_refused(run, db_file):
    add_contact("Léa Martin", every="1w", added=date(2026, 11, 1))
    refused(run, db_file, "done", "k1", "--via", "pigeon")


# --- snooze -----------------------------------------------------------------------


def test_snooze_a_follow_up_defaults_to_tomorrow(run):
    add_followup("Late", days(-3))
    assert run("snooze", "f1").stderr == "Snoozed f1 to 2026-11-28 (in 1 day)\n"
    assert [(r["handle"], r["due"]) for r in due_rows(run)] == [("f1", "2026-11-28")]


def test_snooze_a_coming_row_moves_it_a_day_past_its_date(run):
    add_followup("Soon", days(3))
    run("snooze", "f1")
    assert due_rows(run)[0]["due"] == "2026-12-01"


def test_snooze_to_a_date(run):
    add_followup("Later", days(0))
    run("snooze", "f1", "next monday")
    assert due_rows(run)[0]["due"] == "2026-11-30"


def test_snooze_a_step(run):
    step = add_step("Idea", "Step", days(-1))
    run("snooze", "s1", "+2d")
    assert step_row(step) == ("2026-11-29", 0)
    assert [r["due"] for r in due_rows(run)] == ["2026-11-29"]


def test_snooze_keep_in_touch_until_the_next_interaction(run):
    lea = add_contact("Léa Martin", every="30d", added=date(2026, 10, 1))
    run("snooze", "k1", "2026-12-10")
    assert contact_row(lea)["next_touch"] == "2026-12-10"
    assert due_rows(run) == []
    log([lea], date(2026, 11, 26))  # the interaction recomputes the date
    assert contact_row(lea)["next_touch"] == "2026-12-26"


def test_snooze_a_birthday(run):
    bob = add_contact("Bob Dupont", birthday="1990-11-27")
    run("snooze", "b1")
    assert contact_row(bob)["birthday_snoozed_to"] == "2026-11-28"
    (row,) = due_rows(run)
    assert (row["due"], row["text"]) == (
        "2026-11-28",
        "Birthday, turns 36 (snoozed from 2026-11-27)",
    )
    run("done", "b1")
    assert (contact_row(bob)["birthday_wished_year"], contact_row(bob)["birthday_snoozed_to"]) == (
        2026,
        None,
    )


def test_snooze_refusals(run, db_file):
    add_contact("Bob Dupont", birthday="11-27")
    add_followup("Task", days(0))
    refused(run, db_file, "snooze", "f1", "yesterday")
    refused(run, db_file, "snooze", "f1", "someday")
    refused(run, db_file, "snooze", "f7")
    refused(run, db_file, "snooze", "b1", "2027-01-15")  # more than 30 days after the birthday
    run("done", "f1")
    refused(run, db_file, "snooze", "f1")


# --- handles ----------------------------------------------------------------------------


def test_parse_handle():
    assert [
        (k.kind, n) for k, n in map(due_domain.parse_handle, ["f12", "12", "S3", "k7", "b7"])
    ] == [
        ("followup", 12),
        ("followup", 12),
        ("step", 3),
        ("keep-in-touch", 7),
        ("birthday", 7),
    ]
    for bad in ("", "x1", "f", "f-1", "k 7", "lea"):
        with pytest.raises(InvalidInput):
            due_domain.parse_handle(bad)


def test_every_handle_due_shows_is_accepted(run):
    lea = add_contact(
        "Léa Martin", email="lea@ex.fr", every="2w", birthday="11-29", added=date(2026, 11, 1)
    )
    add_followup("Follow", days(0), contact=lea)
    add_step("Idea", "Step", days(2), contacts=[lea])
    handles = [r["handle"] for r in due_rows(run)]
    assert sorted(handles) == ["b1", "f1", "k1", "s1"]
    for handle in handles:
        run("snooze", handle, "2026-11-30")
    assert {r["handle"]: r["due"] for r in due_rows(run)} == dict.fromkeys(handles, "2026-11-30")
    run("done", *handles)
    assert due_rows(run) == []


def test_done_and_snooze_help_have_examples(run):
    for command in ("done", "snooze"):
        assert f"Example: netcrm {command}" in " ".join(run(command, "--help").stdout.split())


def test_a_follow_up_of_an_archived_contact_is_still_reachable_by_its_handle(run):
    gone = add_contact("Ancien Contact", archived=True)
    add_followup("Return the book", days(0), contact=gone)
    assert due_rows(run) == []
    assert run("done", "f1").stderr == "Done: f1 Return the book\n"


def test_a_corrected_birthday_is_due_again_after_the_old_one_was_wished(run):
    """Wishing a birthday marks that date for the year; correcting the date
    must not carry the mark over and hide the real birthday."""
    import json

    run("add", "Béa Roux", "--birthday", "11-25")
    run("done", "b1")
    assert json.loads(run("due", "--json").stdout) == []
    result = run("edit", "1", "--birthday", "11-29")
    assert result.stderr.count("birthday") == 1
    rows = json.loads(run("due", "--json").stdout)
    assert [(r["handle"], r["due"]) for r in rows] == [("b1", "2026-11-29")]
