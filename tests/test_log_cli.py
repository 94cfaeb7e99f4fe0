"""``netcrm log``: the interaction log through the real CLI (PRODUCT.md §3)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import refused

pytestmark = pytest.mark.both_engines


def card(run, who: str) -> dict:
    return json.loads(run("show", who, "--json").stdout)


@pytest.fixture
def people(run) -> None:
    run("add", "Léa Martin", "--email", "lea@ex.fr", "--every", "30d")
    run("add", "Paul Durand", "--phone", "06 11 22 33 44", "--every", "2w")
    run("add", "Zoé Bernard", "--whatsapp", "+33 6 00 00 00 00")
    run("add", "Marc Petit")


def test_log_prints_the_id_and_records_the_exchange(run, people):
    result = run("log", "lea", "Call about a joint webinar", "--via", "call", "--key", "opp")
    assert result.stdout == "#1\n"
    assert result.stderr.splitlines() == [
        "Logged #1: call with #1 Léa Martin on 2026-11-27.",
        "Next touch with Léa Martin: 2026-12-27.",
    ]
    lea = card(run, "lea")
    assert lea["interactions"] == [
        {
            "id": 1,
            "date": "2026-11-27",
            "time": None,
            "channel": "call",
            "direction": "out",
            "summary": "Call about a joint webinar",
            "with": [],
            "tags": [],
            "keys": ["opportunity"],
        }
    ]
    assert (lea["last_contact"], lea["next_touch"]) == ("2026-11-27", "2026-12-27")
    assert run("log", "paul", "Second").stdout == "#2\n"


def test_log_with_every_option(run, people):
    run(
        "log",
        "lea",
        "  Lunch to plan the podcast  ",
        "--with",
        "paul",
        "--with",
        "zoé",
        "--with",
        "lea@ex.fr",  # Léa again: counted once
        "--via",
        "coffee",
        "--on",
        "hier",
        "--at",
        "12H30",
        "--in",
        "--key",
        "crea,emo",
        "--tag",
        "Podcast",
        "--tag",
        "lunch",
    )
    expected = {
        "id": 1,
        "date": "2026-11-26",
        "time": "12:30",
        "channel": "in-person",
        "direction": "in",
        "summary": "Lunch to plan the podcast",
        "tags": ["lunch", "podcast"],
        "keys": ["creativity", "emotional-intelligence"],
    }
    assert card(run, "lea")["interactions"] == [
        {**expected, "with": ["Paul Durand", "Zoé Bernard"]}
    ]
    assert card(run, "zoe")["interactions"] == [{**expected, "with": ["Léa Martin", "Paul Durand"]}]
    # Every participant's clock is reset; each by their own cadence.
    assert [
        (card(run, w)["last_contact"], card(run, w)["next_touch"]) for w in ("lea", "paul", "zoe")
    ] == [
        ("2026-11-26", "2026-12-26"),
        ("2026-11-26", "2026-12-10"),
        ("2026-11-26", None),
    ]
    assert card(run, "marc")["last_contact"] is None


@pytest.mark.parametrize(
    ("who", "channel"),
    [("lea", "email"), ("paul", "call"), ("zoé", "whatsapp"), ("marc", "other")],
)
def test_via_defaults_to_the_preferred_channel(run, people, who, channel):
    run("log", who, "Hello")
    assert card(run, who)["interactions"][0]["channel"] == channel


def test_via_skips_channels_one_does_not_talk_through(run):
    run(
        "add",
        "Léa Martin",
        "--website",
        "https://lea.fr",
        "--channel",
        "shapr:lea",
        "--phone",
        "0612",
    )
    run("log", "lea", "Hello")
    assert card(run, "lea")["interactions"][0]["channel"] == "call"


def test_via_follows_the_preferred_channel_after_edit(run, people):
    run("edit", "lea", "--add-whatsapp", "+33 6 99 99 99 99", "--prefer", "+33699999999")
    run("log", "lea", "Hello")
    assert card(run, "lea")["interactions"][0]["channel"] == "whatsapp"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("EMAIL", "email"),
        ("mail", "email"),
        ("phone", "call"),
        ("zoom", "video"),
        ("sms", "message"),
        ("wa", "whatsapp"),
        ("messenger", "facebook"),
        ("li", "linkedin"),
        ("irl", "in-person"),
        ("event", "event"),
    ],
)
def test_via_aliases(run, people, typed, stored):
    run("log", "lea", "Hello", "--via", typed)
    assert card(run, "lea")["interactions"][0]["channel"] == stored


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-11-20", "2026-11-20"),
        ("yesterday", "2026-11-26"),
        ("-1w", "2026-11-20"),
        ("3 days ago", "2026-11-24"),
        ("last monday", "2026-11-23"),
        ("20 novembre", "2026-11-20"),
        ("today", "2026-11-27"),
    ],
)
def test_on_takes_every_date_form(run, people, typed, day):
    run("log", "lea", "Hello", "--on", typed)
    assert card(run, "lea")["interactions"][0]["date"] == day


def test_a_back_dated_log_does_not_move_last_contact_back(run, people):
    run("log", "lea", "Recent", "--on", "2026-11-25")
    run("log", "lea", "Older", "--on", "2026-10-01")
    lea = card(run, "lea")
    assert lea["last_contact"] == "2026-11-25"
    assert lea["next_touch"] == "2026-12-25"
    assert [i["summary"] for i in lea["interactions"]] == ["Recent", "Older"]
    assert lea["interaction_count"] == 2


def test_same_day_interactions_are_ordered_by_time_then_entry(run, people):
    run("log", "lea", "Untimed")
    run("log", "lea", "Morning", "--at", "09:00")
    run("log", "lea", "Evening", "--at", "18:45")
    run("log", "lea", "Untimed too")
    assert [i["summary"] for i in card(run, "lea")["interactions"]] == [
        "Evening",
        "Morning",
        "Untimed too",
        "Untimed",
    ]


def test_list_shows_last_contact(run, people):
    run("log", "paul", "Coffee", "--on", "2026-11-15")
    rows = json.loads(run("list", "--json").stdout)
    assert [(r["name"], r["last_contact"]) for r in rows] == [
        ("Léa Martin", None),
        ("Marc Petit", None),
        ("Paul Durand", "2026-11-15"),
        ("Zoé Bernard", None),
    ]


def test_log_help_has_an_example(run):
    assert "Example: netcrm log lea" in run("log", "--help").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nobody", "Hi"), "no contact matches 'nobody'"),
        (("lea", "Hi", "--with", "nobody"), "no contact matches 'nobody'"),
        (
            ("lea", "Hi", "--with", "ma"),  # Marc Petit and Léa Martin
            "'ma' matches 2 contacts; name one by its id or its full name",
        ),
        (
            ("lea", "Hi", "--via", "pigeon"),
            "unknown channel 'pigeon'; use one of email, call, video, meeting, message, "
            "whatsapp, facebook, linkedin, event, in-person, other",
        ),
        (("lea", "Hi", "--at", "25:00"), "cannot read the time '25:00'; try 14:30"),
        (("lea", "Hi", "--at", "noon"), "cannot read the time 'noon'; try 14:30"),
        (
            ("lea", "Hi", "--key", "luck"),
            "unknown key 'luck'; the five keys are: creativity, action-plan, self-esteem, "
            "opportunity, emotional-intelligence",
        ),
        (("lea", "Hi", "--tag", ""), "a tag cannot be empty"),
        (("lea", "   "), "an interaction needs a summary"),
        (
            ("lea", "Hi", "--on", "tomorrow"),
            "2026-11-28 is in the future; log what happened, and plan what will with: "
            'netcrm remind lea "…" --on tomorrow',
        ),
    ],
)
def test_log_refuses_bad_input(run, people, db_file, args, message):
    refused(run, db_file, "log", *args, message=message)


def test_log_refuses_an_unreadable_date_with_an_example(run, people, db_file):
    first = refused(run, db_file, "log", "lea", "Hi", "--on", "the day after the party")
    assert first.startswith("Error: cannot read the date 'the day after the party'")
    assert "2026-12-01" in first


def test_log_ambiguous_who_lists_candidates(run, people):
    result = run("log", "ma", "Hi", code=2)
    assert result.stderr.splitlines() == [
        "Error: 'ma' matches 2 contacts; name one by its id or its full name",
        "  #1  Léa Martin",
        "  #4  Marc Petit",
    ]
