"""Corrections (issue 12): deleting one side of a link keeps the other,
reopening follow-ups, listing/editing/deleting interactions — through the
real CLI with today pinned (2026-11-27), plus the domain rules under them."""

from __future__ import annotations

import json

import pytest

from netcrm.cli.common import reading
from netcrm.domain.contact_views import contact_footprint
from netcrm.domain.exporting import INTERACTION_KEYS
from tests.conftest import count_rows, refused


def rows(run, *args: str) -> list[dict]:
    return json.loads(run(*args, "--json").stdout)


# --- links: deleting one side keeps the other ------------------------------------------


def test_rm_contact_keeps_a_followup_that_also_belongs_to_an_idea(run, db_file):
    run("add", "Léa Martin", "--email", "lea@ex.fr")
    run("add", "Paul Durand")
    run("idea", "add", "Jury of the contest", "--with", "lea")
    run("remind", "lea", "Answer Léa's questions about the jury", "--idea", "1")
    run("remind", "lea", "Send the outline")
    run("log", "lea", "Lunch", "--with", "paul", "--on", "2026-11-20")
    run("log", "lea", "Call", "--on", "2026-11-25")
    with reading() as reader:
        counts = contact_footprint(reader, 1)
    assert (counts["followups"], counts["followups_shared"]) == (2, 1)
    before = count_rows(db_file)
    deleted = run("rm", "lea", "--yes")
    assert deleted.stderr == "Deleted #1 Léa Martin (1 channel, 1 interaction, 1 follow-up).\n"
    after = count_rows(db_file)
    assert after["followup"] == before["followup"] - 1
    assert after["interaction"] == before["interaction"] - 1
    kept = rows(run, "followups")
    assert [(f["text"], f["contact"], f["idea"]) for f in kept] == [
        ("Answer Léa's questions about the jury", None, "Jury of the contest")
    ]
    # The lunch shared with Paul stays, his clock still set by it.
    paul = rows(run, "show", "paul")
    assert paul["last_contact"] == "2026-11-20"


# --- followups reopen ----------------------------------------------------------------------


def test_reopen_a_done_followup_keeps_its_date_unless_given(run, db_file):
    run("add", "Léa Martin")
    run("remind", "lea", "Send the outline", "--on", "2026-11-30")
    run("remind", "Renew the domain", "--on", "2026-12-31")
    run("done", "f1", "--note", "sent")
    run("done", "f2")
    # Editing the date of a done follow-up is refused, pointing to reopen.
    refused(
        run,
        db_file,
        "followups",
        "edit",
        "f1",
        "--on",
        "tomorrow",
        message="follow-up f1 is done, so it has no date to change; "
        "reopen it first: netcrm followups reopen f1",
    )
    refused(run, db_file, "followups", "edit", "f1", "--every", "weekly")
    # Its text is still correctable once done.
    run("followups", "edit", "f1", "--text", "Send the outline (v2)")
    result = run("followups", "reopen", "f1")
    assert result.stderr == (
        "Reopened f1 Send the outline (v2) with Léa Martin: due 2026-11-30 (in 3 days)\n"
    )
    # A year-end date given explicitly (and 29 February of a leap year).
    run("followups", "reopen", "f2", "--on", "2028-02-29")
    listed = rows(run, "followups")
    assert [(f["handle"], f["due"], f["done"], f["done_note"]) for f in listed] == [
        ("f1", "2026-11-30", False, None),
        ("f2", "2028-02-29", False, None),
    ]
    refused(
        run,
        db_file,
        "followups",
        "reopen",
        "f1",
        message="follow-up f1 is not done; nothing to reopen",
    )
    refused(run, db_file, "followups", "reopen", "f9")
    # Reopened, it is due again; done again, it closes.
    run("followups", "edit", "f1", "--on", "2026-12-31")
    run("done", "f1")
    assert [f["handle"] for f in rows(run, "followups")] == ["f2"]


def test_reopen_several_at_once_and_a_recurring_copy(run):
    run("remind", "Weekly review", "--on", "2026-11-27", "--every", "weekly")
    run("done", "f1")  # leaves a done copy, f2; f1 moves to 2026-12-04
    result = run("followups", "reopen", "f2", "2", "--on", "today")
    assert result.stderr == "Reopened f2 Weekly review: due 2026-11-27 (today)\n"
    listed = rows(run, "followups")
    assert [(f["handle"], f["due"], bool(f["recurrence"])) for f in listed] == [
        ("f2", "2026-11-27", False),
        ("f1", "2026-12-04", True),
    ]


# --- smaller items of point 12 -------------------------------------------------------------


def test_log_in_the_future_suggests_a_quoted_remind(run, db_file, monkeypatch):
    run("add", "Léa Martin")
    message = refused(run, db_file, "log", "Léa Martin", "Hi", "--on", "next year")
    assert message == (
        "Error: 2027-11-27 is in the future; log what happened, and plan what will with: "
        "netcrm remind 'Léa Martin' \"…\" --on 'next year'"
    )
    # On 31 December, "tomorrow" is next year's first day.
    monkeypatch.setenv("NETCRM_TODAY", "2026-12-31")
    assert refused(run, db_file, "log", "lea", "Hi", "--on", "tomorrow").endswith(
        "2027-01-01 is in the future; log what happened, and plan what will with: "
        'netcrm remind lea "…" --on tomorrow'
    )


def test_search_shows_followups_by_their_handle(run):
    run("add", "Léa Martin")
    run("remind", "lea", "Call about the webinar")
    run("remind", "lea", "Send the webinar outline", "--on", "2026-12-04")
    table = run("search", "outline").stdout
    assert "f2" in table and "#2" not in table
    assert "Handle" in table


def test_show_completion_for_the_named_shell(run):
    assert run("--show-completion", "zsh").stdout.startswith("#compdef netcrm")
    assert "complete --command netcrm" in run("--show-completion=fish").stdout
    assert run("--show-completion", "bash").stdout.lstrip().startswith("_netcrm_completion()")
    bad = run("--show-completion", "tcsh", code=2)
    assert bad.stderr == (
        "Error: unknown shell 'tcsh'; use one of bash, zsh, fish, powershell, pwsh\n"
    )


# --- validation ------------------------------------------------------------------------------

LONG_NAME = "L" * 201
LONG_TEXT = "t" * 10_001


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("add", "Léa", "--linkedin", "notaurl"),
            "'notaurl' is not a linkedin URL (example: https://www.linkedin.com/in/lea-martin)",
        ),
        (
            ("add", "Léa", "--facebook", "lea martin"),
            "'lea martin' is not a facebook URL (example: https://www.facebook.com/lea.martin)",
        ),
        (
            ("add", "Léa", "--website", "https://x"),
            "'https://x' is not a website URL (example: https://lea-martin.fr)",
        ),
        (
            ("add", "Léa", "--channel", "website:notaurl"),
            "'notaurl' is not a website URL (example: https://lea-martin.fr)",
        ),
        (
            ("add", "Léa", "--channel", ":empty"),
            "':empty' is not a channel; give a kind and a value, e.g. shapr:lea.martin",
        ),
        (
            ("add", "Léa", "--channel", "shapr:"),
            "'shapr:' is not a channel; give a kind and a value, e.g. shapr:lea.martin",
        ),
        (
            ("add", "Léa", "--channel", "shapr:  "),
            "'shapr:' is not a channel; give a kind and a value, e.g. shapr:lea.martin",
        ),
        (("add", "L" * 100_000), "the name is 100,000 characters long; the limit is 200"),
        (("add", LONG_NAME), "the name is 201 characters long; the limit is 200"),
        (
            ("add", "Léa", "--note", LONG_TEXT),
            "the note is 10,001 characters long; the limit is 10,000",
        ),
        (
            ("add", "Léa", "--company", LONG_TEXT),
            "the company is 10,001 characters long; the limit is 10,000",
        ),
        (("add", "Léa", "--tag", LONG_NAME), "a tag is 201 characters long; the limit is 200"),
        (
            ("edit", "paul", "--name", LONG_NAME),
            "the name is 201 characters long; the limit is 200",
        ),
        (
            ("edit", "paul", "--role", LONG_TEXT),
            "the role is 10,001 characters long; the limit is 10,000",
        ),
        (
            ("edit", "paul", "--add-channel", "linkedin:paul"),
            "'paul' is not a linkedin URL (example: https://www.linkedin.com/in/lea-martin)",
        ),
        (
            ("log", "paul", LONG_TEXT),
            "the summary is 10,001 characters long; the limit is 10,000",
        ),
        (
            ("remind", "paul", LONG_TEXT),
            "a follow-up's text is 10,001 characters long; the limit is 10,000",
        ),
        (
            ("done", "f1", "--note", LONG_TEXT),
            "the note is 10,001 characters long; the limit is 10,000",
        ),
        (("idea", "add", LONG_NAME), "the title is 201 characters long; the limit is 200"),
        (
            ("idea", "add", "Talk", "--note", LONG_TEXT),
            "the note is 10,001 characters long; the limit is 10,000",
        ),
        (
            ("idea", "step", "1", LONG_TEXT),
            "a step's text is 10,001 characters long; the limit is 10,000",
        ),
        (
            ("idea", "edit", "1", "--title", LONG_NAME),
            "the title is 201 characters long; the limit is 200",
        ),
    ],
)
def test_writers_refuse_what_is_too_long_or_not_a_url(run, db_file, args, message):
    run("add", "Paul Durand")
    run("remind", "paul", "Call back")
    run("idea", "add", "Podcast")
    refused(run, db_file, *args, message=message)


def test_urls_as_people_type_them_are_accepted(run):
    run(
        "add",
        "Léa Martin",
        "--linkedin",
        "linkedin.com/in/lea-martin",
        "--facebook",
        "https://www.facebook.com/lea.martin?ref=bookmarks",
        "--website",
        "lumière-photo.fr/blog",
    )
    card = rows(run, "show", "lea")
    assert [c["value"] for c in card["channels"]] == [
        "linkedin.com/in/lea-martin",
        "https://www.facebook.com/lea.martin?ref=bookmarks",
        "lumière-photo.fr/blog",
    ]
    # At the limits exactly: accepted.
    run("add", "N" * 200, "--note", "t" * 10_000)


def test_a_namesake_is_noted_not_refused(run):
    run("add", "Léa Martin", "--email", "lea@ex.fr")
    second = run("add", "lea  MARTIN")
    assert second.stdout == "#2 lea MARTIN\n"
    assert second.stderr == (
        "Added #2 lea MARTIN\n"
        "Note: #1 Léa Martin already has this name; if they are the same person: "
        "netcrm merge 2 1\n"
    )
    third = run("add", "Léa Martin")
    assert "Note: #1 Léa Martin, #2 lea MARTIN already have this name" in third.stderr
    assert "Note:" not in run("add", "Léa Martinez").stderr


def test_effort_still_ahead_counts_only_steps_with_an_effort(run):
    run("idea", "add", "Interview Léa", "--effort", "2h")
    run("idea", "step", "1", "Questions", "--effort", "1h")
    run("idea", "step", "1", "Book a call")
    run("idea", "step", "1", "Edit", "--effort", "30min")
    (idea,) = rows(run, "idea", "list")
    assert idea["open_effort_hours"] == 1.5
    assert "2h estimated; 1.5h still ahead (and 1 step without an effort)" in (
        run("idea", "show", "1").stdout
    )
    run("idea", "check", "1", "1")
    assert rows(run, "idea", "list")[0]["open_effort_hours"] == 0.5


def test_limits_in_the_domain():
    from netcrm.domain.contacts import check_channel, parse_channel_spec
    from netcrm.errors import InvalidInput
    from netcrm.io import limits

    assert limits.check_name("N" * 200) == "N" * 200
    with pytest.raises(InvalidInput, match="the limit is 200"):
        limits.check_name("N" * 201)
    assert limits.check_text("t" * 10_000, "the note") == "t" * 10_000
    with pytest.raises(InvalidInput, match="the note is 10,001 characters long"):
        limits.check_text("t" * 10_001, "the note")
    for url in ("lea.fr", "http://lea.fr:8080/a?b=c", "https://www.linkedin.com/in/x", "été.fr"):
        assert limits.check_url(url, "website", "https://lea.fr") == url
    for bad in ("notaurl", "https://x", "a b.fr", "x.y", "1.2", ""):
        with pytest.raises(InvalidInput, match="is not a website URL"):
            limits.check_url(bad, "website", "https://lea.fr")
    assert check_channel("website", " lea.fr ") == ("website", "lea.fr")
    with pytest.raises(InvalidInput, match="the other channel is 10,001"):
        check_channel("other", "x" * 10_001)
    assert parse_channel_spec("shapr:lea.m") == ("other", "lea.m", "shapr")
    for bad in (":empty", "shapr:", ":"):
        with pytest.raises(InvalidInput, match="is not a channel"):
            parse_channel_spec(bad)


# --- interactions: list, edit, rm ----------------------------------------------------------


@pytest.fixture
def logged(run):
    run("add", "Léa Martin", "--email", "lea@ex.fr", "--every", "30d")
    run("add", "Paul Durand", "--every", "2w")
    run("log", "lea", "Call about the webinar", "--on", "2026-11-20", "--tag", "webinar")
    run("log", "lea", "Lunch", "--with", "paul", "--on", "2026-11-25", "--at", "12:30")
    run("log", "paul", "Coffee", "--on", "2026-11-25", "--via", "in-person", "--in")


def touch(run, who: str) -> tuple[str | None, str | None]:
    card = rows(run, "show", who)
    return card["last_contact"], card["next_touch"]


def test_interactions_lists_newest_first_for_everyone_or_one(run, logged):
    listed = rows(run, "interactions")
    assert [(i["id"], i["date"], i["time"], i["contacts"]) for i in listed] == [
        (2, "2026-11-25", "12:30", ["Léa Martin", "Paul Durand"]),
        (3, "2026-11-25", None, ["Paul Durand"]),
        (1, "2026-11-20", None, ["Léa Martin"]),
    ]
    assert tuple(listed[0]) == INTERACTION_KEYS  # the export's rows, the same keys
    assert listed[1]["direction"] == "in" and listed[1]["channel"] == "in-person"
    assert [i["id"] for i in rows(run, "interactions", "lea")] == [2, 1]
    assert [i["id"] for i in json.loads(run("interactions", "--json", "paul").stdout)] == [2, 3]
    csv_out = run("interactions", "lea", "--csv").stdout.splitlines()
    assert csv_out[0] == "id,date,time,channel,direction,summary,contacts,contact_ids,tags,keys"
    assert csv_out[2] == "1,2026-11-20,,email,out,Call about the webinar,Léa Martin,1,webinar,"
    table = run("interactions").stdout
    assert "Call about the webinar" in table and "#3" in table
    run("interactions", "nobody", code=2)


def test_interactions_empty_says_how_to_log(run):
    result = run("interactions")
    assert result.stdout == ""
    assert result.stderr.startswith("No interactions yet.")


def test_edit_an_interaction_moves_the_clocks_of_everyone_involved(run, logged, db_file):
    assert touch(run, "lea") == ("2026-11-25", "2026-12-25")
    assert touch(run, "paul") == ("2026-11-25", "2026-12-09")
    # The lunch was in fact on 31 October, and without Paul but with Zoé.
    run("add", "Zoé Leroy", "--every", "1m")
    result = run(
        "interactions", "edit", "#2", "--on", "2026-10-31", "--without", "paul", "--with", "zoe"
    )
    assert result.stderr == "Updated interaction #2.\n"
    assert touch(run, "lea") == ("2026-11-20", "2026-12-20")
    assert touch(run, "paul") == ("2026-11-25", "2026-12-09")  # the coffee remains
    assert touch(run, "zoe")[0] == "2026-10-31"
    (lunch,) = [i for i in rows(run, "interactions") if i["id"] == 2]
    assert lunch["contacts"] == ["Léa Martin", "Zoé Leroy"]
    run("interactions", "edit", "2", "--summary", "Lunch at Lumière", "--via", "meeting")
    run("interactions", "edit", "2", "--at", "none", "--in")
    (lunch,) = [i for i in rows(run, "interactions") if i["id"] == 2]
    assert (lunch["summary"], lunch["channel"], lunch["time"], lunch["direction"]) == (
        "Lunch at Lumière",
        "meeting",
        None,
        "in",
    )
    # Added and removed at once: removed.
    run("interactions", "edit", "2", "--with", "paul", "--without", "paul")
    assert [i["contacts"] for i in rows(run, "interactions") if i["id"] == 2] == [
        ["Léa Martin", "Zoé Leroy"]
    ]
    # 29 February of a leap year is a date like any other.
    run("interactions", "edit", "1", "--on", "2024-02-29")
    assert touch(run, "lea")[0] == "2026-10-31"


def test_edit_an_interaction_sets_or_changes_its_labels_as_every_edit_does(run, logged):
    def labels(interaction_id: int) -> tuple[list[str], list[str]]:
        (row,) = [i for i in rows(run, "interactions") if i["id"] == interaction_id]
        return row["tags"], row["keys"]

    run("interactions", "edit", "2", "--tag", "Déjeuner", "--tag", "lumiere", "--key", "emo")
    assert labels(2) == (["déjeuner", "lumiere"], ["emotional-intelligence"])
    # --tag sets the list (as on add); accents and case are ignored when comparing,
    # the first spelling (case-folded, as every tag is stored) is kept.
    run("interactions", "edit", "2", "--tag", "dejeuner")
    assert labels(2) == (["déjeuner"], ["emotional-intelligence"])
    run("interactions", "edit", "2", "--add-tag", "vélo", "--add-key", "opp")
    run("interactions", "edit", "2", "--remove-tag", "DEJEUNER", "--remove-key", "emo")
    assert labels(2) == (["vélo"], ["opportunity"])
    assert labels(1)[1] == []  # the other interaction is untouched


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("2", "--without", "lea", "--without", "paul"),
            "interaction #2 would concern no one; delete it with: netcrm interactions rm 2",
        ),
        (
            ("2", "--on", "tomorrow"),
            "2026-11-28 is in the future; an interaction is what already happened",
        ),
        (("2", "--via", "pigeon"), None),
        (("2", "--at", "25:00"), "cannot read the time '25:00'; try 14:30"),
        (("2", "--summary", " "), "an interaction needs a summary"),
        (("2",), "nothing to change; give --on, --at, --summary, --via, --with, --tag…"),
        (("2", "--key", "nokey"), None),
        (("9", "--summary", "x"), "no interaction #9 (see netcrm interactions)"),
        (("two", "--summary", "x"), "'two' is not an interaction id; see netcrm interactions"),
        (("2", "--with", "nobody"), None),
    ],
)
def test_edit_an_interaction_refuses_bad_input(run, logged, db_file, args, message):
    refused(run, db_file, "interactions", "edit", *args, message=message)


def test_rm_interactions_asks_then_moves_the_clocks_back(run, logged, db_file):
    before = count_rows(db_file)
    asked = run("interactions", "rm", "2", code=2)
    assert asked.stderr == "Error: cannot ask for confirmation here; add --yes\n"
    no = run("interactions", "rm", "2", input="n\n", code=1)
    assert "Nothing was changed." in no.stderr
    assert count_rows(db_file) == before
    done = run("interactions", "rm", "2", "#1", input="y\n")
    assert done.stderr.splitlines() == [
        "Deleted interaction #2 of 2026-11-25 with Léa Martin, Paul Durand: Lunch.",
        "Deleted interaction #1 of 2026-11-20 with Léa Martin: Call about the webinar.",
    ]
    # Léa has no exchange left: her clock counts from the day she was added.
    assert touch(run, "lea") == (None, "2026-12-27")
    assert touch(run, "paul") == ("2026-11-25", "2026-12-09")
    after = count_rows(db_file)
    assert after["interaction"] == 1 and after["interaction_contact"] == 1
    assert after["tag"] == 0  # "webinar" was carried by the deleted call only
    refused(
        run,
        db_file,
        "interactions",
        "rm",
        "3",
        "7",
        "--yes",
        message="no interaction #7 (see netcrm interactions)",
    )


def test_interaction_edit_in_the_domain_refreshes_before_and_after(run, logged):
    from datetime import date

    from netcrm.cli.common import writing
    from netcrm.domain.contacts import get_contact
    from netcrm.domain.interactions import (
        InteractionChanges,
        delete_interaction,
        edit_interaction,
    )
    from netcrm.errors import InvalidInput, NotFound

    today = date(2026, 11, 27)
    with writing() as session:
        changes = InteractionChanges(on=date(2026, 11, 1), remove_contacts=[1])
        edited = edit_interaction(session, 2, changes, today=today)
        assert (edited.occurred_on, edited.summary) == (date(2026, 11, 1), "Lunch")
        lea, paul = get_contact(session, 1), get_contact(session, 2)
        assert (lea.last_contact, lea.next_touch) == (date(2026, 11, 20), date(2026, 12, 20))
        assert paul.last_contact == date(2026, 11, 25)
        delete_interaction(session, 3)
        assert (paul.last_contact, paul.next_touch) == (date(2026, 11, 1), date(2026, 11, 15))
        with pytest.raises(InvalidInput):
            edit_interaction(session, 2, InteractionChanges(remove_contacts=[2]), today=today)
        with pytest.raises(NotFound):
            edit_interaction(session, 2, InteractionChanges(add_contacts=[99]), today=today)
        with pytest.raises(NotFound):
            delete_interaction(session, 99)
