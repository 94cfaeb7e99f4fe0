"""Collaboration ideas and their action plans (PRODUCT.md §3 "Idea", issue 4)
through the real CLI, plus the domain's reads on both readers."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date, datetime

import pytest

from netcrm.domain import idea_views
from netcrm.domain.idea_views import PlanStep, open_effort
from netcrm.domain.ideas import parse_effort
from netcrm.errors import InvalidInput
from netcrm.io.csvcells import cell
from tests.conftest import count_rows, refused

pytestmark = pytest.mark.both_engines


def listed(run, *args: str) -> list[dict]:
    return json.loads(run("idea", "list", "--json", *args).stdout)


def card(run, idea_id: int) -> dict:
    return json.loads(run("idea", "show", str(idea_id), "--json").stdout)


def at(monkeypatch, day: str) -> None:
    """Pin "today" for the commands that follow."""
    monkeypatch.setenv("NETCRM_TODAY", day)


@pytest.fixture
def people(run):
    run("add", "Léa Martin", "--email", "lea@ex.fr", "--bigger", "--company", "Studio L")
    run("add", "Omar Haddad", "--email", "omar@ex.com")
    run("add", "Omar Benali")


# --- add -------------------------------------------------------------------------------


def test_add_prints_the_id_and_stores_every_field(run, people):
    result = run(
        "idea",
        "add",
        "Interview Léa for the blog",
        "--kind",
        "Interview",
        "--with",
        "lea",
        "--with",
        "omar@ex.com",
        "--key",
        "crea",
        "--effort",
        "1h30",
        "--note",
        " Ask about the book ",
        "--tag",
        "Blog",
    )
    assert result.stdout == "#1 Interview Léa for the blog\n"
    assert result.stderr.startswith("Added idea #1 Interview Léa for the blog (interview).")
    (row,) = listed(run)
    assert row == {
        "id": 1,
        "title": "Interview Léa for the blog",
        "kind": "interview",
        "status": "idea",
        "contacts": ["Léa Martin", "Omar Haddad"],
        "contact_ids": [1, 2],
        "effort_hours": 1.5,
        "steps": 0,
        "open_steps": 0,
        "next_step_due": None,
        "open_effort_hours": 1.5,
        "idle_days": 0,
        "flags": ["no-plan"],
        "tags": ["blog"],
        "keys": ["creativity"],
        "notes": "Ask about the book",
        "status_changed_at": row["created_at"],
        "created_at": row["created_at"],
        "updated_at": row["created_at"],
    }
    assert row["created_at"].startswith("2026-11-27 ")
    assert len(row["created_at"]) == 19


def test_add_defaults(run):
    run("idea", "add", "A contest for my readers")
    (row,) = listed(run)
    assert (row["kind"], row["status"], row["contacts"], row["effort_hours"]) == (
        "other",
        "idea",
        [],
        None,
    )
    assert row["open_effort_hours"] is None


@pytest.mark.parametrize("kind", ["guest post", "Guest_Post", "guestpost", "GUEST-POST"])
def test_kind_spellings(run, kind):
    run("idea", "add", "Swap posts", "--kind", kind)
    assert listed(run)[0]["kind"] == "guest-post"


def test_unknown_kind_lists_the_valid_ones(run, db_file):
    run("idea", "add", "Something")
    line = refused(run, db_file, "idea", "add", "X", "--kind", "webinar")
    assert line == (
        "Error: unknown idea kind 'webinar'; use one of contest, article, interview, event, "
        "partnership, guest-post, podcast, product, other"
    )


def test_unknown_or_ambiguous_contact_writes_nothing(run, db_file, people):
    refused(run, db_file, "idea", "add", "X", "--with", "lea", "--with", "zoe")
    line = refused(run, db_file, "idea", "add", "X", "--with", "omar")
    assert "matches 2 contacts" in line
    assert listed(run) == []


@pytest.mark.parametrize(
    "args",
    [
        ("idea", "add", "   "),
        ("idea", "add", "X", "--effort", "lots"),
        ("idea", "add", "X", "--effort", "-2"),
        ("idea", "add", "X", "--effort", "5000"),
        ("idea", "add", "X", "--key", "charisma"),
        ("idea", "add", "X", "--tag", " "),
    ],
)
def test_bad_input_on_add_writes_nothing(run, db_file, args):
    run("idea", "add", "Existing")
    refused(run, db_file, *args)


def test_parse_effort():
    assert parse_effort("2") == 2.0
    assert parse_effort("1.5") == 1.5
    assert parse_effort("1,5") == 1.5
    assert parse_effort("2h") == 2.0
    assert parse_effort("3 hours") == 3.0
    assert parse_effort("1h30") == 1.5
    assert parse_effort("1h 15min") == 1.25
    assert parse_effort("45min") == 0.75
    assert parse_effort("90 minutes") == 1.5
    assert parse_effort("0") == 0.0
    for bad in ("", "h", "1h75", "1.5h30", "two", "-1"):
        with pytest.raises(InvalidInput):
            parse_effort(bad)


# --- steps -------------------------------------------------------------------------------


def test_steps_are_numbered_and_checked(run, db_file):
    run("idea", "add", "Webinar with Omar")
    assert run("idea", "step", "1", "Draft the outline", "--due", "friday", "--effort", "2")
    result = run("idea", "step", "#1", "Send it", "--due", "2026-12-10")
    assert result.stderr == "Added step 2 to idea #1, due 2026-12-10.\n"
    run("idea", "step", "1", "Book the room")
    plan = card(run, 1)["plan"]
    assert [
        (s["number"], s["of"], s["text"], s["due"], s["effort_hours"], s["done"]) for s in plan
    ] == [
        (1, 3, "Draft the outline", "2026-12-04", 2.0, False),
        (2, 3, "Send it", "2026-12-10", None, False),
        (3, 3, "Book the room", None, None, False),
    ]
    assert listed(run)[0]["next_step_due"] == "2026-12-04"

    done = run("idea", "check", "1", "1")
    assert done.stderr == "Done: step 1 of idea #1, Draft the outline.\n"
    row = listed(run)[0]
    assert (row["steps"], row["open_steps"], row["next_step_due"]) == (3, 2, "2026-12-10")
    assert card(run, 1)["plan"][0]["done_at"].startswith("2026-11-27 ")

    refused(run, db_file, "idea", "check", "1", "1")  # already done
    refused(run, db_file, "idea", "check", "1", "4")
    refused(run, db_file, "idea", "check", "1", "0")
    refused(run, db_file, "idea", "check", "9", "1")
    refused(run, db_file, "idea", "step", "1", "  ")
    refused(run, db_file, "idea", "step", "1", "X", "--due", "someday")
    refused(run, db_file, "idea", "step", "2", "X")

    run("idea", "check", "1", "1", "--undo")
    assert card(run, 1)["plan"][0]["done"] is False
    refused(run, db_file, "idea", "check", "1", "1", "--undo")


def test_checking_the_last_step_suggests_moving_on(run):
    run("idea", "add", "Short one")
    run("idea", "step", "1", "Only step")
    result = run("idea", "check", "1", "1")
    assert "The whole plan is done; move the idea on: netcrm idea move 1 proposed" in result.stderr


def test_check_without_a_plan_says_how_to_make_one(run, db_file):
    run("idea", "add", "Planless")
    line = refused(run, db_file, "idea", "check", "1", "1")
    assert line == (
        "Error: idea #1 has no action plan yet; add a step with: "
        'netcrm idea step 1 "Send the outline"'
    )


def test_drop_step_renumbers_the_plan(run):
    run("idea", "add", "Plan")
    for text in ("one", "two", "three"):
        run("idea", "step", "1", text)
    run("idea", "edit", "1", "--drop-step", "2")
    plan = card(run, 1)["plan"]
    assert [(s["number"], s["of"], s["text"]) for s in plan] == [(1, 2, "one"), (2, 2, "three")]
    run("idea", "step", "1", "four")
    assert [s["number"] for s in card(run, 1)["plan"]] == [1, 2, 3]


# --- move --------------------------------------------------------------------------------


def test_move_records_the_history(run, db_file, monkeypatch):
    at(monkeypatch, "2026-11-01")
    run("idea", "add", "Podcast episode", "--kind", "podcast")
    at(monkeypatch, "2026-11-10")
    result = run("idea", "move", "1", "Planned")
    assert result.stderr == "Idea #1 is now planned (since 2026-11-10).\n"
    at(monkeypatch, "2026-11-27")
    run("idea", "move", "1", "proposed", "--on", "2026-11-20")
    c = card(run, 1)
    assert c["status"] == "proposed"
    assert c["status_changed_at"].startswith("2026-11-20 ")
    assert [(e["status"], e["at"][:10]) for e in c["history"]] == [
        ("idea", "2026-11-01"),
        ("planned", "2026-11-10"),
        ("proposed", "2026-11-20"),
    ]
    line = refused(run, db_file, "idea", "move", "1", "sent")
    assert line == (
        "Error: unknown idea status 'sent'; use one of idea, planned, proposed, accepted, "
        "done, declined, dropped"
    )
    assert refused(run, db_file, "idea", "move", "1", "proposed") == (
        "Error: idea #1 is already proposed"
    )
    refused(run, db_file, "idea", "move", "1", "accepted", "--on", "tomorrow")
    refused(run, db_file, "idea", "move", "1", "accepted", "--on", "2026-11-15")
    refused(run, db_file, "idea", "move", "2", "accepted")
    refused(run, db_file, "idea", "move", "abc", "accepted")


def test_any_move_is_allowed_even_reopening(run):
    run("idea", "add", "Reopened")
    run("idea", "move", "1", "declined")
    run("idea", "move", "1", "idea")
    assert [e["status"] for e in card(run, 1)["history"]] == ["idea", "declined", "idea"]


# --- flags -------------------------------------------------------------------------------


def test_open_effort_rules():
    def step(effort=None, done=False):
        return PlanStep(
            due=None, effort_hours=effort, done_at=datetime(2026, 11, 27, 10) if done else None
        )

    assert open_effort(None, []) is None
    assert open_effort(12.0, []) == 12.0
    # Steps without their own effort share the idea's estimate equally.
    assert open_effort(12.0, [step(), step(), step(done=True)]) == 8.0
    # Once a step has an effort, only steps with one count (issue 12: not 2.17h).
    assert open_effort(12.0, [step(2.0), step(), step(done=True)]) == 2.0
    assert open_effort(2.0, [step(1.0), step(), step(0.5)]) == 1.5
    assert open_effort(2.0, [step(1.0, done=True), step(), step(0.5)]) == 0.5
    assert open_effort(None, [step(3.0), step(), step(6.0, done=True)]) == 3.0
    assert open_effort(None, [step(), step()]) is None
    assert open_effort(10.0, [step(done=True)]) == 0.0


def test_flags_no_plan_heavy_stalled(run, monkeypatch):
    at(monkeypatch, "2026-10-01")
    run("idea", "add", "Stalled since October")  # 1: no plan, stalled
    run("idea", "add", "Heavy contest", "--effort", "20")  # 2
    run("idea", "step", "2", "Write the rules")
    at(monkeypatch, "2026-11-27")
    run("idea", "add", "Light one", "--effort", "20")  # 3: steps carry the effort
    run("idea", "step", "3", "Email", "--effort", "30min")
    run("idea", "step", "3", "Call", "--effort", "1h")
    run("idea", "add", "Eight hours is not too much")  # 4
    run("idea", "step", "4", "Prepare", "--effort", "8")
    run("idea", "add", "Finished ideas are never flagged")  # 5
    run("idea", "move", "5", "done")
    flags = {r["id"]: r["flags"] for r in listed(run)}
    assert flags == {1: ["no-plan", "stalled"], 2: ["heavy", "stalled"], 3: [], 4: [], 5: []}
    rows = {r["id"]: r for r in listed(run)}
    assert rows[1]["idle_days"] == 57
    assert rows[3]["open_effort_hours"] == 1.5

    table = run("idea", "list")
    assert "Warning: 2 ideas flagged" in table.stderr
    lines = {
        line.split()[0]: line for line in table.stdout.splitlines() if line.strip()[:1].isdigit()
    }
    assert "no-plan, stalled" in lines["1"]
    assert "heavy, stalled" in lines["2"]

    # Any movement resets the clock.
    run("idea", "step", "1", "Write to them")
    assert listed(run, "--status", "idea")[0]["flags"] == []


def test_show_explains_the_flags(run):
    run("idea", "add", "Big documentary", "--effort", "40")
    out = run("idea", "show", "1").stdout
    assert 'Warning  no action plan yet: add a small first step (netcrm idea step 1 "…")' in out
    assert "more than 8 hours of preparation still ahead" in out


# --- list --------------------------------------------------------------------------------


def test_list_filters_and_order(run, db_file, people):
    run("idea", "add", "A", "--kind", "article", "--with", "lea")
    run("idea", "add", "B", "--kind", "podcast")
    run("idea", "add", "C", "--kind", "article", "--with", "Omar Haddad")
    run("idea", "add", "D")
    run("idea", "move", "1", "accepted")
    run("idea", "move", "2", "done")
    run("idea", "move", "4", "planned")
    # Pipeline order, then id.
    assert [r["id"] for r in listed(run)] == [3, 4, 1, 2]
    assert [r["id"] for r in listed(run, "--status", "open")] == [3, 4, 1]
    assert [r["id"] for r in listed(run, "--status", "done")] == [2]
    assert [r["id"] for r in listed(run, "--kind", "article")] == [3, 1]
    assert [r["id"] for r in listed(run, "--with", "lea")] == [1]
    assert [
        r["id"]
        for r in listed(run, "--kind", "article", "--status", "open", "--with", "omar@ex.com")
    ] == [3]
    assert listed(run, "--kind", "contest") == []
    assert run("idea", "list", "--kind", "contest").stderr == "No ideas match.\n"
    refused(run, db_file, "idea", "list", "--status", "finished")
    refused(run, db_file, "idea", "list", "--kind", "webinar")
    refused(run, db_file, "idea", "list", "--with", "nobody")
    refused(run, db_file, "idea", "list", "--json", "--csv")


def test_list_csv_is_the_json(run, people):
    run(
        "idea",
        "add",
        '=HYPERLINK("x")',
        "--with",
        "lea",
        "--with",
        "omar@ex.com",
        "--tag",
        "a",
        "--tag",
        "b",
    )
    run("idea", "step", "1", "s", "--due", "2026-12-24", "--effort", "2")
    run("idea", "add", "Second", "--note", "line one\nline two")
    rows = listed(run)
    parsed = list(csv.DictReader(io.StringIO(run("idea", "list", "--csv").stdout)))
    assert list(parsed[0].keys()) == list(idea_views.RECORD_KEYS)
    assert parsed == [{k: cell(v) for k, v in r.items()} for r in rows]
    assert parsed[0]["title"] == '\'=HYPERLINK("x")'
    assert parsed[0]["contacts"] == "Léa Martin; Omar Haddad"


def test_empty_list_says_how_to_start(run):
    result = run("idea", "list")
    assert result.stdout == ""
    assert result.stderr.startswith("No ideas yet; add one with: netcrm idea add")


# --- show ---------------------------------------------------------------------------------


def test_show_card(run, people, monkeypatch):
    at(monkeypatch, "2026-11-20")
    run(
        "idea",
        "add",
        "Interview Léa",
        "--kind",
        "interview",
        "--with",
        "lea",
        "--effort",
        "4",
        "--key",
        "self-esteem",
        "--tag",
        "blog",
    )
    run("idea", "step", "1", "Draft questions", "--due", "2026-11-25", "--effort", "1")
    run("idea", "step", "1", "Record")
    at(monkeypatch, "2026-11-27")
    run("idea", "check", "1", "1")
    run("idea", "move", "1", "proposed")
    c = card(run, 1)
    assert c["people"] == [{"id": 1, "name": "Léa Martin", "company": "Studio L", "bigger": True}]
    assert c["keys"] == ["self-esteem"]
    # Explicit keys are not repeated among the inferred ones.
    assert c["inferred_keys"] == ["creativity", "action-plan"]
    # Once a step has an effort, one without counts nothing (issue 12).
    assert c["open_effort_hours"] == 0.0
    assert [(s["number"], s["done"]) for s in c["plan"]] == [(1, True), (2, False)]
    assert [e["status"] for e in c["history"]] == ["idea", "proposed"]

    out = run("idea", "show", "1").stdout.splitlines()
    assert out[0] == "#1 Interview Léa"
    assert "Kind    interview" in out[1]
    assert out[2].startswith("Status  proposed since 2026-11-27")
    assert out[3].startswith("With    #1 Léa Martin (Studio L) [bigger]")
    assert out[4].startswith("Effort  4h estimated; 0h still ahead (and 1 step without an effort)")
    assert out[6].startswith("Keys    self-esteem; inferred: creativity, action-plan")
    assert "  1/2  [x] Draft questions  due 2026-11-25  1h  done 2026-11-27" in out
    assert "  2/2  [ ] Record" in out
    assert "History" in out


def test_show_csv_is_the_list_row(run, people):
    run("idea", "add", "Row", "--with", "lea", "--tag", "x", "--tag", "y")
    shown = run("idea", "show", "1", "--csv").stdout
    listed_csv = run("idea", "list", "--csv").stdout
    assert shown == listed_csv
    assert shown.splitlines()[1].startswith("1,Row,other,idea,Léa Martin,1,")


def test_show_unknown_idea(run, db_file):
    run("idea", "add", "Only one")
    assert refused(run, db_file, "idea", "show", "7") == (
        "Error: no idea #7 (netcrm idea list shows them)"
    )
    assert refused(run, db_file, "idea", "show", "seven").startswith(
        "Error: 'seven' is not an idea id"
    )


# --- edit, rm -------------------------------------------------------------------------------


def test_edit(run, db_file):
    run(
        "idea",
        "add",
        "Draft title",
        "--effort",
        "3",
        "--tag",
        "old",
        "--key",
        "crea",
        "--note",
        "n",
    )
    run(
        "idea",
        "edit",
        "1",
        "--title",
        "Final  title",
        "--kind",
        "article",
        "--effort",
        "none",
        "--untag",
        "old",
        "--tag",
        "new",
        "--key",
        "plan",
        "--unkey",
        "creativity",
        "--note",
        "",
    )
    row = listed(run)[0]
    assert (
        row["title"],
        row["kind"],
        row["effort_hours"],
        row["tags"],
        row["keys"],
        row["notes"],
    ) == (
        "Final title",
        "article",
        None,
        ["new"],
        ["action-plan"],
        None,
    )
    refused(run, db_file, "idea", "edit", "1")
    refused(run, db_file, "idea", "edit", "1", "--kind", "webinar")
    refused(run, db_file, "idea", "edit", "1", "--title", " ")
    refused(run, db_file, "idea", "edit", "1", "--drop-step", "1")
    refused(run, db_file, "idea", "edit", "2", "--title", "x")


def test_rm_asks_and_takes_plan_history_and_followups(run, db_file, people):
    run("idea", "add", "Doomed", "--with", "lea", "--tag", "gone")
    run("idea", "step", "1", "s1")
    run("idea", "step", "1", "s2")
    run("remind", "Book the room", "--idea", "1", "--on", "2026-12-01")
    run("remind", "lea", "Answer Léa's questions about the jury", "--idea", "1")
    # No terminal to ask on: a usage error, nothing deleted.
    unasked = run("idea", "rm", "1", code=2)
    assert unasked.stderr == "Error: cannot ask for confirmation here; add --yes\n"
    before = count_rows(db_file)
    no = run("idea", "rm", "1", input="n\n", code=1)
    assert "Nothing was changed." in no.stderr
    assert count_rows(db_file) == before
    result = run("idea", "rm", "1", "--yes")
    assert result.stderr == (
        "Deleted idea #1 Doomed (2 steps, 1 follow-up); "
        "1 follow-up about a contact stays, unlinked.\n"
    )
    after = count_rows(db_file)
    for table in ("idea", "idea_step", "idea_event", "idea_contact", "idea_tag", "tag"):
        assert after[table] == 0, table
    assert after["contact"] == 3
    # The follow-up about Léa outlives the idea, unlinked from it.
    kept = json.loads(run("followups", "--json").stdout)
    assert [(f["handle"], f["text"], f["contact"], f["idea_id"]) for f in kept] == [
        ("f2", "Answer Léa's questions about the jury", "Léa Martin", None)
    ]


# --- link, unlink ---------------------------------------------------------------------------


def test_link_and_unlink(run, db_file, people):
    run("idea", "add", "Together")
    result = run("idea", "link", "1", "lea", "omar@ex.com")
    assert result.stderr == "Linked #1 Léa Martin, #2 Omar Haddad to idea #1.\n"
    again = run("idea", "link", "1", "lea", "Omar Benali")
    assert "Warning: #1 Léa Martin was already linked to idea #1" in again.stderr
    # People are listed by name.
    assert listed(run)[0]["contacts"] == ["Léa Martin", "Omar Benali", "Omar Haddad"]
    assert listed(run)[0]["contact_ids"] == [1, 3, 2]
    refused(run, db_file, "idea", "link", "1", "lea")
    refused(run, db_file, "idea", "unlink", "1", "lea", "nobody")
    run("idea", "unlink", "1", "lea", "3")
    assert listed(run)[0]["contacts"] == ["Omar Haddad"]
    refused(run, db_file, "idea", "unlink", "1", "lea")


# --- reads on both readers ------------------------------------------------------------------


def readers(db_file):
    from netcrm.store.engine import ensure_schema
    from netcrm.store.location import resolve_location
    from netcrm.store.reader import SqlAlchemyReader, open_reader

    loc = resolve_location(str(db_file))
    return open_reader(loc), SqlAlchemyReader(ensure_schema(loc))


def test_ideas_of_contact_on_both_readers(run, db_file, people, today):
    run("idea", "add", "Done one", "--with", "lea")
    run("idea", "add", "Open one", "--with", "lea", "--kind", "podcast")
    run("idea", "add", "Not hers", "--with", "omar@ex.com")
    run("idea", "step", "2", "a", "--due", "2026-12-20")
    run("idea", "step", "2", "b", "--due", "2026-12-05")
    run("idea", "step", "2", "c")
    run("idea", "check", "2", "2")
    run("idea", "move", "1", "done")
    run("idea", "move", "2", "planned")
    expected = [
        {
            "id": 2,
            "title": "Open one",
            "kind": "podcast",
            "status": "planned",
            "open_steps": 2,
            "next_step_due": date(2026, 12, 20),
        },
        {
            "id": 1,
            "title": "Done one",
            "kind": "other",
            "status": "done",
            "open_steps": 0,
            "next_step_due": None,
        },
    ]
    fast, reference = readers(db_file)
    try:
        assert idea_views.ideas_of_contact(fast, 1) == expected
        assert idea_views.ideas_of_contact(reference, 1) == expected
        assert idea_views.ideas_of_contact(fast, 3) == []
        assert idea_views.idea_records(fast, today=today) == idea_views.idea_records(
            reference, today=today
        )
        assert idea_views.idea_card(fast, 2, today=today) == idea_views.idea_card(
            reference, 2, today=today
        )
    finally:
        fast.close()
        reference.close()


def test_read_commands_do_not_import_sqlalchemy(run, db_file):
    run("idea", "add", "Fast", "--effort", "2")
    run("idea", "step", "1", "s")
    code = (
        "import sys; from netcrm.cli import app; "
        "from typer.testing import CliRunner; "
        "r = CliRunner().invoke(app, sys.argv[1:]); "
        "assert r.exit_code == 0, r.output; "
        "heavy = {'sqlalchemy', 'sqlmodel', 'alembic'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    env = {**os.environ, "NETCRM_DB": str(db_file)}
    for args in (["idea", "list"], ["idea", "show", "1"], ["idea", "list", "--json"]):
        proc = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
        )
        assert proc.stdout.strip().splitlines()[-1] == "[]", (args, proc.stdout, proc.stderr)


def test_brackets_in_titles_are_not_markup(run):
    title = "[/x] Plan [bold]B[/bold]"
    assert run("idea", "add", title).stderr.startswith(f"Added idea #1 {title} (other).")
    run("idea", "step", "1", "[red]step[/]")
    checked = run("idea", "check", "1", "1").stderr
    assert checked.startswith("Done: step 1 of idea #1, [red]step[/].\n")
    assert run("idea", "show", "1").stdout.splitlines()[0] == f"#1 {title}"
    assert title in run("idea", "list").stdout
    assert run("idea", "rm", "1", "--yes").stderr == f"Deleted idea #1 {title} (1 step).\n"
