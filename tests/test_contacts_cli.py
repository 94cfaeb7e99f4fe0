"""The contact commands through the real CLI on a temporary database:
add, list, show, edit, rm, merge, tag, untag (PRODUCT.md §3, §4)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest

from netcrm.domain.contact_views import RECORD_KEYS
from tests.conftest import count_rows, refused

pytestmark = pytest.mark.both_engines


def record(run, who: str) -> dict:
    return json.loads(run("show", who, "--json").stdout)


def listed(run, *args: str) -> list[dict]:
    return json.loads(run("list", "--json", *args).stdout)


def names(run, *args: str) -> list[str]:
    return [r["name"] for r in listed(run, *args)]


LEA = (
    "add",
    "Léa Martin",
    "--email",
    "lea@ex.fr",
    "--phone",
    "+33 6 12 34 56 78",
    "--company",
    "ACME Studio",
    "--role",
    "Podcaster",
    "--location",
    "Lyon",
    "--met-via",
    "LinkedIn",
    "--met-on",
    "2026-03-02",
    "--birthday",
    "1990-04-12",
    "--warmth",
    "4",
    "--bigger",
    "--relationship",
    "mixed",
    "--every",
    "30d",
    "--tag",
    "Podcast",
    "--tag",
    "lyon",
    "--key",
    "opp",
    "--key",
    "émotion",
    "--note",
    "Met at the webinar",
    "--linkedin",
    "https://linkedin.com/in/lea",
    "--website",
    "https://lea.fr",
    "--facebook",
    "https://fb.com/lea",
    "--whatsapp",
    "+33 6 12 34 56 78",
    "--channel",
    "shapr:lea.m",
)


@pytest.fixture
def lea(run) -> None:
    run(*LEA)


# --- add -----------------------------------------------------------------------------


def test_add_prints_the_new_id(run):
    result = run("add", "Léa Martin", "--email", "lea@ex.fr")
    assert result.stdout == "#1 Léa Martin\n"
    assert result.stderr == "Added #1 Léa Martin\n"
    assert run("add", "Paul Durand").stdout == "#2 Paul Durand\n"


def test_add_with_every_field(run, lea):
    r = record(run, "lea")
    assert re.fullmatch(r"2026-11-27 \d\d:\d\d:\d\d", r["created_at"])
    assert r["updated_at"] == r["created_at"]
    assert {k: r[k] for k in RECORD_KEYS if k not in ("created_at", "updated_at")} == {
        "id": 1,
        "name": "Léa Martin",
        "company": "ACME Studio",
        "role": "Podcaster",
        "location": "Lyon",
        "emails": ["lea@ex.fr"],
        "phones": ["+33 6 12 34 56 78"],
        "linkedin": ["https://linkedin.com/in/lea"],
        "whatsapp": ["+33 6 12 34 56 78"],
        "facebook": ["https://fb.com/lea"],
        "websites": ["https://lea.fr"],
        "other_channels": ["shapr:lea.m"],
        "met_via": "linkedin",
        "met_on": "2026-03-02",
        "birthday": "1990-04-12",
        "warmth": 4,
        "bigger": True,
        "relationship": "mixed",
        "every": "P30D",
        "tags": ["lyon", "podcast"],
        "keys": ["opportunity", "emotional-intelligence"],
        "notes": "Met at the webinar",
        "archived": False,
        "last_contact": None,
        # No interaction yet: the cadence counts from the day the contact was added.
        "next_touch": "2026-12-27",
    }


def test_add_defaults(run):
    run("add", "  Paul   Durand ")
    r = record(run, "paul")
    assert r["name"] == "Paul Durand"
    assert (r["relationship"], r["bigger"], r["archived"], r["every"], r["next_touch"]) == (
        "business",
        False,
        False,
        None,
        None,
    )
    assert r["emails"] == r["other_channels"] == r["tags"] == r["keys"] == []


def test_birthday_without_a_year(run):
    run("add", "A", "--birthday", "04-12")
    run("add", "B", "--birthday", "12 avril")
    run("add", "C", "--birthday", "--04-12")
    assert [r["birthday"] for r in listed(run)] == ["--04-12"] * 3


def test_the_first_channel_typed_is_the_preferred_one(run):
    run("add", "Léa Martin", "--whatsapp", "+33 6 00 00 00 01", "--email", "lea@ex.fr")
    card = record(run, "lea")
    assert [c["kind"] for c in card["channels"]] == ["whatsapp", "email"]
    run("add", "Paul Durand", "--email", "paul@ex.fr", "--whatsapp", "+33 6 00 00 00 02")
    assert [c["kind"] for c in record(run, "paul")["channels"]] == ["email", "whatsapp"]


def test_channel_option_takes_known_and_other_kinds(run):
    run(
        "add",
        "Léa Martin",
        "--channel",
        "email:lea@ex.fr",
        "--channel",
        "Signal:+33 6 12",
        "--channel",
        "https://mastodon.social/@lea",
    )
    r = record(run, "lea")
    assert r["emails"] == ["lea@ex.fr"]
    assert r["other_channels"] == ["signal:+33 6 12", "https://mastodon.social/@lea"]
    assert [(c["kind"], c["label"]) for c in r["channels"]] == [
        ("email", None),
        ("other", "signal"),
        ("other", None),
    ]


def test_same_email_warns_but_adds(run):
    run("add", "Léa Martin", "--email", "lea@ex.fr")
    result = run("add", "Léa M.", "--email", "LEA@ex.fr")
    assert result.stdout == "#2 Léa M.\n"
    # rich wraps the warning at the terminal width; the words are what matter.
    assert " ".join(result.stderr.split()) == (
        "Added #2 Léa M. Warning: #1 Léa Martin already has the email LEA@ex.fr; "
        "if they are the same person: netcrm merge 2 1"
    )
    assert names(run) == ["Léa M.", "Léa Martin"]


def test_same_name_is_allowed_with_a_note(run):
    run("add", "Léa Martin")
    assert run("add", "Léa Martin").stderr == (
        "Added #2 Léa Martin\n"
        "Note: #1 Léa Martin already has this name; if they are the same person: "
        "netcrm merge 2 1\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--email", "lea-at-ex.fr"),
            "'lea-at-ex.fr' is not an email address (example: lea@example.fr)",
        ),
        (("--phone", "call me"), "'call me' is not a phone number (example: +33 6 12 34 56 78)"),
        (("--channel", "phone:ab"), "'ab' is not a phone number (example: +33 6 12 34 56 78)"),
        (("--warmth", "6"), "warmth must be from 1 (cold) to 5 (close), not '6'"),
        (("--warmth", "warm"), "warmth must be from 1 (cold) to 5 (close), not 'warm'"),
        (
            ("--relationship", "friend"),
            "unknown relationship 'friend'; use one of business, mixed, personal",
        ),
        (
            ("--met-via", "tinder"),
            "unknown --met-via 'tinder'; use one of linkedin, shapr, forum, blog, event, irl, "
            "referral, other",
        ),
        (
            ("--key", "luck"),
            "unknown key 'luck'; the five keys are: creativity, action-plan, self-esteem, "
            "opportunity, emotional-intelligence",
        ),
        (("--tag", " "), "a tag cannot be empty"),
    ],
)
def test_add_refuses_bad_input(run, db_file, args, message):
    run("add", "Someone")
    refused(run, db_file, "add", "Léa Martin", *args, message=message)


@pytest.mark.parametrize(
    "args",
    [
        ("--met-on", "someday"),
        ("--birthday", "13-45"),
        ("--every", "now and then"),
        ("--every", "FREQ=HOURLY"),
    ],
)
def test_add_refuses_bad_dates_and_cadences(run, db_file, args):
    run("add", "Someone")
    first = refused(run, db_file, "add", "Léa Martin", *args)
    assert "try" in first  # every date error shows a valid form


def test_add_refuses_an_empty_name(run, db_file):
    run("add", "Someone")
    refused(run, db_file, "add", "   ", message="a contact needs a name")


# --- list ----------------------------------------------------------------------------


@pytest.fixture
def network(run, lea) -> None:
    run("add", "Paul Durand", "--phone", "06 11 22 33 44", "--company", "Société Générale")
    run("add", "Zoé Bernard", "--met-via", "forum", "--key", "creativity")
    run("tag", "paul", "podcast")
    run("log", "paul", "Coffee", "--on", "2026-11-15")
    run("log", "lea", "Call", "--on", "2026-11-20", "--with", "zoé")


def test_list_table(run, network):
    result = run("list")
    assert [line.rstrip() for line in result.stdout.splitlines()] == [
        "",
        "  ID   Name          Company            Email / phone    Tags            Last contact   "
        "Next touch",
        " " + "─" * 98,
        "   1   Léa Martin    ACME Studio        lea@ex.fr        lyon, podcast   7 days ago     "
        "in 23 days",
        "   2   Paul Durand   Société Générale   06 11 22 33 44   podcast         12 days ago",
        "   3   Zoé Bernard                                                       7 days ago",
        "",
    ]
    assert result.stderr == ""


def test_list_json_rows(run, network):
    rows = listed(run)
    assert [list(r) for r in rows] == [list(RECORD_KEYS)] * 3
    assert [(r["id"], r["name"], r["last_contact"], r["next_touch"]) for r in rows] == [
        (1, "Léa Martin", "2026-11-20", "2026-12-20"),
        (2, "Paul Durand", "2026-11-15", None),
        (3, "Zoé Bernard", "2026-11-20", None),
    ]
    assert rows[1]["phones"] == ["06 11 22 33 44"]
    assert rows[1]["tags"] == ["podcast"]
    assert rows[2]["keys"] == ["creativity"]


def test_list_csv_parses_back_to_the_json_rows(run, network):
    rows = listed(run)
    text = run("list", "--csv").stdout
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert list(parsed[0]) == list(RECORD_KEYS)

    def as_csv(value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, list):
            return "; ".join(value)
        return str(value)

    def undo_formula_guard(value: str) -> str:
        return value[1:] if value.startswith("'") else value

    assert [{k: undo_formula_guard(v) for k, v in row.items()} for row in parsed] == [
        {k: as_csv(v) for k, v in row.items()} for row in rows
    ]
    # A phone number would be a formula in a spreadsheet: it is guarded.
    assert "'+33 6 12 34 56 78" in text


def test_list_filters(run, network):
    assert names(run, "--tag", "PODCAST") == ["Léa Martin", "Paul Durand"]
    assert names(run, "--tag", "podcast", "--tag", "lyon") == ["Léa Martin"]
    assert names(run, "--key", "crea") == ["Zoé Bernard"]
    assert names(run, "--key", "opportunity", "--key", "emo") == ["Léa Martin"]
    assert names(run, "--company", "societe") == ["Paul Durand"]
    assert names(run, "--company", "studio") == ["Léa Martin"]
    assert names(run, "--met-via", "forum") == ["Zoé Bernard"]
    assert names(run, "--met-via", "event") == []
    assert names(run, "--tag", "nothing") == []


def test_list_archived_and_all(run, network):
    run("edit", "paul", "--archive")
    assert names(run) == ["Léa Martin", "Zoé Bernard"]
    assert names(run, "--archived") == ["Paul Durand"]
    assert names(run, "--all") == ["Léa Martin", "Paul Durand", "Zoé Bernard"]
    assert listed(run, "--archived")[0]["archived"] is True


def test_list_sort_and_limit(run, network):
    run("add", "Adam Newman")
    assert names(run) == ["Adam Newman", "Léa Martin", "Paul Durand", "Zoé Bernard"]
    # Most recently contacted first, then by name; never contacted last.
    assert names(run, "--sort", "last-contact") == [
        "Léa Martin",
        "Zoé Bernard",
        "Paul Durand",
        "Adam Newman",
    ]
    assert names(run, "--sort", "added") == [
        "Adam Newman",
        "Zoé Bernard",
        "Paul Durand",
        "Léa Martin",
    ]
    assert names(run, "--sort", "added", "--limit", "2") == ["Adam Newman", "Zoé Bernard"]
    assert names(run, "--company", "e", "--limit", "1") == ["Léa Martin"]
    assert names(run, "--limit", "0") == []


def test_list_quiet_prints_ids(run, network):
    assert run("list", "-q").stdout == "1\n2\n3\n"
    assert run("list", "--quiet", "--tag", "podcast").stdout == "1\n2\n"


def test_list_empty(run):
    result = run("list")
    assert result.stdout == ""
    assert result.stderr == (
        'No contacts yet; add one with: netcrm add "Léa Martin" --email lea@ex.fr\n'
    )
    assert run("list", "--json").stdout == "[]\n"
    assert run("list", "--csv").stdout == ",".join(RECORD_KEYS) + "\n"
    run("add", "Léa")
    assert run("list", "--tag", "x").stderr == "No contacts match.\n"


def test_list_refuses_bad_options(run, network, db_file):
    refused(run, db_file, "list", "--json", "--csv", message="choose one of --json and --csv")
    refused(run, db_file, "list", "--met-via", "tinder")
    refused(run, db_file, "list", "--key", "luck")
    refused(run, db_file, "list", "--sort", "age")
    refused(run, db_file, "list", "--limit", "-1")


# --- show ----------------------------------------------------------------------------


def test_show_card(run, network):
    result = run("show", "lea")
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    added = next(i for i, line in enumerate(lines) if line.startswith("Added"))
    assert re.fullmatch(
        r"Added +2026-11-27 \d\d:\d\d:\d\d  \(updated 2026-11-27 \d\d:\d\d:\d\d\)", lines[added]
    )
    lines[added] = "Added …"
    assert lines == [
        "#1 Léa Martin",
        "Company        ACME Studio",
        "Role           Podcaster",
        "Location       Lyon",
        "Channels       email     lea@ex.fr  (preferred)",
        "               phone     +33 6 12 34 56 78",
        "               linkedin  https://linkedin.com/in/lea",
        "               website   https://lea.fr",
        "               facebook  https://fb.com/lea",
        "               whatsapp  +33 6 12 34 56 78",
        "               shapr     lea.m",
        "Met            via linkedin on 2026-03-02",
        "Birthday       12 April 1990",
        "Warmth         4/5",
        "Bigger         yes",
        "Relationship   mixed",
        "Keep in touch  every 30 days; next 2026-12-20 (in 23 days)",
        "Last contact   2026-11-20 (7 days ago)",
        "Tags           lyon, podcast",
        "Keys           opportunity, emotional-intelligence",
        "Notes          Met at the webinar",
        "Added …",
        "",
        "Last interactions (1 of 1)",
        "",
        "  #   Date         Via     From   Summary   With          Tags / keys",
        " " + "─" * 69,
        "  2   2026-11-20   email   me     Call      Zoé Bernard",
        "",
        "",
        "Open follow-ups",
        '  None; add one with: netcrm remind 1 "…" --on "next friday"',
        "",
        "Ideas",
        '  None; add one with: netcrm idea add "…" --with 1',
    ]


def test_show_empty_fields_and_no_interactions(run):
    run("add", "Zoé Bernard")
    out = [line.rstrip() for line in run("show", "zoe").stdout.splitlines()]
    assert out[:4] == ["#1 Zoé Bernard", "Company        -", "Role           -", "Location       -"]
    assert "Channels       -" in out
    assert "Keep in touch  -" in out
    assert "Last contact   -" in out
    assert "Bigger         no" in out
    assert "Interactions" in out
    assert '  None yet; log one with: netcrm log 1 "Coffee about …"' in out


def test_show_json(run, network):
    card = record(run, "zoé")
    assert list(card) == [
        *RECORD_KEYS,
        "channels",
        "interactions",
        "interaction_count",
        "followups",
        "ideas",
    ]
    assert card["interactions"] == [
        {
            "id": 2,
            "date": "2026-11-20",
            "time": None,
            "channel": "email",  # logged with Léa, whose preferred channel is email
            "direction": "out",
            "summary": "Call",
            "with": ["Léa Martin"],
            "tags": [],
            "keys": [],
        }
    ]
    assert card["interaction_count"] == 1
    assert card["followups"] == []
    assert card["ideas"] == []
    assert card["channels"] == []


def test_show_keeps_the_last_ten_interactions(run):
    run("add", "Léa Martin", "--email", "lea@ex.fr")
    for day in range(1, 13):
        run("log", "lea", f"Exchange {day}", "--on", f"2026-11-{day:02d}")
    card = record(run, "lea")
    assert card["interaction_count"] == 12
    assert [i["summary"] for i in card["interactions"]] == [
        f"Exchange {day}" for day in range(12, 2, -1)
    ]
    assert "Last interactions (10 of 12)" in run("show", "lea").stdout


def test_show_csv_is_the_record_row(run, network):
    text = run("show", "paul", "--csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert list(rows[0]) == list(RECORD_KEYS)
    assert (rows[0]["name"], rows[0]["tags"], rows[0]["last_contact"]) == (
        "Paul Durand",
        "podcast",
        "2026-11-15",
    )


def test_show_lists_follow_ups_and_ideas(run, network):
    run("remind", "lea", "Send the webinar outline", "--on", "2026-12-04")
    run("idea", "add", "Interview Léa for the blog", "--kind", "interview", "--with", "lea")
    card = record(run, "lea")
    assert [(f["text"], f["due"]) for f in card["followups"]] == [
        ("Send the webinar outline", "2026-12-04")
    ]
    assert [(i["title"], i["status"]) for i in card["ideas"]] == [
        ("Interview Léa for the blog", "idea")
    ]
    out = run("show", "lea").stdout
    assert "Send the webinar outline" in out
    assert "in 7 days" in out
    assert "Interview Léa for the blog" in out
    assert "None; add one with" not in out


def test_show_unknown_and_ambiguous(run, network, db_file):
    run("add", "Léa Dupont")
    first = refused(run, db_file, "show", "lea")
    assert first == "Error: 'lea' matches 2 contacts; name one by its id or its full name"
    refused(run, db_file, "show", "nobody", message="no contact matches 'nobody'")


# --- edit ----------------------------------------------------------------------------


def test_edit_sets_fields(run, lea):
    result = run(
        "edit",
        "lea",
        "--name",
        "Léa Martin-Roux",
        "--company",
        "Studio Roux",
        "--role",
        "",
        "--location",
        "Paris",
        "--met-via",
        "event",
        "--met-on",
        "2026-03-05",
        "--birthday",
        "12 avril",
        "--warmth",
        "5",
        "--no-bigger",
        "--relationship",
        "personal",
        "--every",
        "2w",
        "--note",
        "New notes",
    )
    assert result.stdout == ""
    assert result.stderr.startswith("Updated #1 Léa Martin-Roux: name, company, role, location")
    r = record(run, "léa martin-roux")
    assert (r["name"], r["company"], r["role"], r["location"]) == (
        "Léa Martin-Roux",
        "Studio Roux",
        None,
        "Paris",
    )
    assert (r["met_via"], r["met_on"], r["birthday"], r["warmth"], r["bigger"]) == (
        "event",
        "2026-03-05",
        "--04-12",
        5,
        False,
    )
    assert (r["relationship"], r["every"], r["next_touch"], r["notes"]) == (
        "personal",
        "P2W",
        "2026-12-11",
        "New notes",
    )
    # The old name no longer answers; the new surname does.
    run("show", "martin-roux")


def test_edit_clears_fields(run, lea):
    run(
        "edit",
        "lea",
        "--every",
        "none",
        "--birthday",
        "none",
        "--warmth",
        "none",
        "--met-via",
        "none",
        "--met-on",
        "none",
        "--company",
        "",
        "--note",
        "",
    )
    r = record(run, "lea")
    assert [r[k] for k in ("every", "next_touch", "birthday", "warmth", "met_via", "met_on")] == [
        None
    ] * 6
    assert (r["company"], r["notes"]) == (None, None)


def test_edit_add_note_appends(run, lea):
    run("edit", "lea", "--add-note", "Likes podcasts")
    assert record(run, "lea")["notes"] == "Met at the webinar\n\nLikes podcasts"
    run("add", "Paul")
    run("edit", "paul", "--add-note", "First")
    assert record(run, "paul")["notes"] == "First"


def test_edit_channels(run, lea):
    run(
        "edit",
        "lea",
        "--email",
        "lea@new.fr",
        "--add-email",
        "lea@perso.fr",
        "--add-phone",
        "06 99 99 99 99",
        "--remove-channel",
        "shapr:lea.m",
        "--remove-channel",
        "https://www.fb.com/lea/",
        "--add-channel",
        "signal:+33 6 00",
    )
    card = record(run, "lea")
    assert card["emails"] == ["lea@new.fr", "lea@perso.fr"]
    assert card["phones"] == ["+33 6 12 34 56 78", "06 99 99 99 99"]
    assert card["facebook"] == []
    assert card["other_channels"] == ["signal:+33 6 00"]
    # The replaced email kept email's place as the preferred channel.
    assert card["channels"][0]["value"] == "lea@new.fr"
    run("edit", "lea", "--prefer", "+33612345678")
    assert record(run, "lea")["channels"][0] == {
        "kind": "phone",
        "value": "+33 6 12 34 56 78",
        "label": None,
    }


def test_edit_channel_replaces_only_that_kind_or_label(run, lea):
    run("edit", "lea", "--add-channel", "signal:+33 6 00")
    run("edit", "lea", "--channel", "shapr:lea.martin", "--channel", "email:lea@acme.fr")
    r = record(run, "lea")
    assert r["other_channels"] == ["shapr:lea.martin", "signal:+33 6 00"]
    assert r["emails"] == ["lea@acme.fr"]
    assert r["phones"] == ["+33 6 12 34 56 78"]


def test_edit_tags_and_keys(run, lea):
    run("edit", "lea", "--add-tag", "Blog", "--remove-tag", "lyon", "--add-key", "crea")
    r = record(run, "lea")
    assert r["tags"] == ["blog", "podcast"]
    assert r["keys"] == ["creativity", "opportunity", "emotional-intelligence"]
    run("edit", "lea", "--remove-key", "opportunity", "--remove-key", "eq")
    assert record(run, "lea")["keys"] == ["creativity"]
    run("edit", "lea", "--tag", "one", "--tag", "two", "--key", "self")
    r = record(run, "lea")
    assert (r["tags"], r["keys"]) == (["one", "two"], ["self-esteem"])


def test_edit_archive_and_unarchive(run, lea):
    run("edit", "lea", "--archive")
    assert names(run) == []
    assert record(run, "lea")["archived"] is True
    run("edit", "lea", "--unarchive")
    assert names(run) == ["Léa Martin"]


def test_edit_nothing_to_change(run, lea, db_file):
    refused(run, db_file, "edit", "lea", message="nothing to change; see netcrm edit --help")


@pytest.mark.parametrize(
    "args",
    [
        ("--warmth", "0"),
        ("--email", "nope"),
        ("--add-email", "nope"),
        ("--relationship", "enemy"),
        ("--met-via", "bar"),
        ("--met-on", "someday"),
        ("--every", "whenever"),
        ("--birthday", "31-31"),
        ("--add-key", "luck"),
        ("--name", " "),
    ],
)
def test_edit_refuses_bad_input(run, lea, db_file, args):
    refused(run, db_file, "edit", "lea", "--company", "Other", *args)
    assert record(run, "lea")["company"] == "ACME Studio"


def test_edit_unknown_channel_rolls_back_everything(run, lea, db_file):
    before = record(run, "lea")
    refused(
        run,
        db_file,
        "edit",
        "lea",
        "--company",
        "Other",
        "--add-tag",
        "new",
        "--remove-channel",
        "nope@ex.fr",
        message="contact #1 has no channel 'nope@ex.fr'",
    )
    assert record(run, "lea") == before


# --- tag, untag ----------------------------------------------------------------------


def test_tag_and_untag(run, db_file):
    run("add", "Léa Martin")
    result = run("tag", "lea", "Podcast", "blog", "podcast")
    assert result.stderr == "Tagged #1 Léa Martin: podcast, blog.\n"
    assert record(run, "lea")["tags"] == ["blog", "podcast"]
    result = run("untag", "lea", "BLOG", "missing")
    assert result.stderr.splitlines() == [
        "Untagged #1 Léa Martin: blog.",
        "Warning: #1 Léa Martin had no tag missing",
    ]
    assert record(run, "lea")["tags"] == ["podcast"]
    # A tag nothing carries any more is forgotten.
    assert count_rows(db_file)["tag"] == 1


def test_tag_errors(run, db_file):
    run("add", "Léa Martin")
    refused(run, db_file, "tag", "nobody", "x")
    refused(run, db_file, "tag", "lea", "  ")


# --- rm ------------------------------------------------------------------------------


@pytest.fixture
def shared(run) -> None:
    run("add", "Léa Martin", "--email", "lea@ex.fr", "--tag", "only-lea", "--key", "opp")
    run("add", "Paul Durand", "--email", "paul@ex.fr", "--tag", "both")
    run("tag", "lea", "both")
    run("log", "lea", "Alone with Léa", "--on", "2026-11-10", "--tag", "lea-talk")
    run("log", "lea", "Lunch", "--with", "paul", "--on", "2026-11-20", "--key", "emo")
    run("remind", "lea", "Send the outline", "--on", "2026-12-01")
    run("idea", "add", "Podcast together", "--with", "lea", "--with", "paul")


def test_rm_removes_only_what_is_theirs(run, shared, db_file):
    before = count_rows(db_file)
    result = run("rm", "lea", "--yes")
    assert result.stderr == "Deleted #1 Léa Martin (1 channel, 1 interaction, 1 follow-up).\n"
    after = count_rows(db_file)
    assert after["contact"] == before["contact"] - 1
    assert after["channel"] == before["channel"] - 1
    assert after["interaction"] == before["interaction"] - 1
    assert after["followup"] == before["followup"] - 1
    assert after["contact_key"] == 0
    assert after["idea"] == before["idea"] == 1
    # The shared lunch stays, with Paul only, its key kept; and so does the idea.
    paul = record(run, "paul")
    assert [(i["summary"], i["with"], i["keys"]) for i in paul["interactions"]] == [
        ("Lunch", [], ["emotional-intelligence"])
    ]
    assert paul["last_contact"] == "2026-11-20"
    assert [i["title"] for i in paul["ideas"]] == ["Podcast together"]
    # Tags only Léa and her own interaction carried are gone; "both" stays.
    assert after["tag"] == 1
    assert paul["tags"] == ["both"]
    run("show", "lea", code=2)


def test_rm_asks_first(run, shared, db_file):
    before = count_rows(db_file)
    result = run("rm", "lea", input="n\n", code=1)
    assert result.stderr == "Nothing was changed.\n"
    assert result.stdout == ""
    assert count_rows(db_file) == before
    run("rm", "lea", input="y\n")
    assert count_rows(db_file)["contact"] == before["contact"] - 1


def test_rm_without_a_terminal_needs_yes(run, shared, db_file):
    first = refused(run, db_file, "rm", "lea")
    assert first == "Error: cannot ask for confirmation here; add --yes"


def test_rm_unknown_and_ambiguous(run, shared, db_file):
    run("add", "Léa Dupont")
    refused(run, db_file, "rm", "lea", "--yes")
    refused(run, db_file, "rm", "99", "--yes", message="no contact matches '99'")


# --- merge ---------------------------------------------------------------------------


def test_merge_moves_everything_and_keeps_the_richer_fields(run, db_file):
    run(
        "add",
        "Léa Martin",
        "--email",
        "lea@ex.fr",
        "--company",
        "ACME",
        "--every",
        "monthly",
        "--tag",
        "podcast",
        "--note",
        "Target notes",
    )
    run(
        "add",
        "Léa M.",
        "--email",
        "LEA@ex.fr",
        "--phone",
        "06 12 34 56 78",
        "--company",
        "ACME Studio SAS",
        "--role",
        "Host",
        "--birthday",
        "04-12",
        "--bigger",
        "--every",
        "2w",
        "--tag",
        "lyon",
        "--key",
        "self",
        "--note",
        "Source notes",
    )
    run("add", "Paul Durand")
    run("log", "lea martin", "Old call", "--on", "2026-10-01")
    run("log", "léa m.", "Recent coffee", "--on", "2026-11-25", "--with", "paul")
    run("remind", "léa m.", "Send slides", "--on", "2026-12-02")
    monthly = record(run, "lea martin")["every"]

    result = run("merge", "léa m.", "lea martin", "--yes")
    assert result.stderr == (
        "Merged #2 Léa M. into #1 Léa Martin: moved 2 channels, 1 interaction, "
        "1 follow-up, 1 tag, 1 key.\n"
    )
    r = record(run, "lea")
    assert r["id"] == 1
    assert r["emails"] == ["lea@ex.fr"]  # the same address is not doubled
    assert r["phones"] == ["06 12 34 56 78"]
    assert (r["company"], r["role"], r["birthday"], r["bigger"]) == (
        "ACME Studio SAS",
        "Host",
        "--04-12",
        True,
    )
    assert r["notes"] == "Target notes\n\nSource notes"
    assert r["every"] == monthly  # the target's cadence wins, not the longer rule
    assert r["tags"] == ["lyon", "podcast"]
    assert r["keys"] == ["self-esteem"]
    assert r["last_contact"] == "2026-11-25"
    assert r["next_touch"] == "2026-12-25"
    assert [i["summary"] for i in r["interactions"]] == ["Recent coffee", "Old call"]
    assert [f["text"] for f in r["followups"]] == ["Send slides"]
    assert record(run, "paul")["interactions"][0]["with"] == ["Léa Martin"]
    assert count_rows(db_file)["contact"] == 2


def test_merge_asks_first(run, db_file):
    run("add", "Léa Martin")
    run("add", "Léa M.")
    before = count_rows(db_file)
    result = run("merge", "2", "1", input="no\n", code=1)
    assert result.stderr == "Nothing was changed.\n"
    assert count_rows(db_file) == before
    refused(run, db_file, "merge", "2", "1")
    run("merge", "2", "1", input="y\n")
    assert count_rows(db_file)["contact"] == 1


def test_merge_errors(run, db_file):
    run("add", "Léa Martin")
    run("add", "Léa Dupont")
    refused(
        run,
        db_file,
        "merge",
        "1",
        "léa martin",
        "--yes",
        message="'1' and 'léa martin' are the same contact, #1 Léa Martin",
    )
    refused(run, db_file, "merge", "lea", "1", "--yes")
    refused(run, db_file, "merge", "1", "nobody", "--yes")


# --- help and start-up ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["add", "list", "show", "edit", "rm", "merge", "tag", "untag"])
def test_every_command_has_help_with_an_example(run, command):
    out = run(command, "--help").stdout
    assert "Example: netcrm " + command in " ".join(out.split())


def _modules_after(db_file, *argv: str) -> set[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['netcrm', *{list(argv)!r}]\n"
        "from netcrm.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "NETCRM_DB": str(db_file)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stderr.split())


def test_read_commands_do_not_import_sqlalchemy(run, network, db_file):
    for argv in (("list",), ("list", "--json"), ("show", "lea"), ("show", "lea", "--json")):
        heavy = {
            m
            for m in _modules_after(db_file, *argv)
            if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic")
        }
        assert heavy == set(), argv
