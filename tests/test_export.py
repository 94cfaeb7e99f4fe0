"""``netcrm export``: contacts, interactions, ideas and follow-ups as CSV and
JSON, contacts as vCard, follow-ups and dated idea steps as iCalendar (parsed
back by icalendar); files 0600, never overwritten; formula cells neutralized
unless --raw."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date, datetime

import icalendar
import pytest
import time_machine
import vobject

from netcrm.domain.contact_views import RECORD_KEYS
from tests.conftest import count_rows

pytestmark = pytest.mark.both_engines

FROZEN = datetime(2026, 11, 27, 10, 0, 0)


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


@pytest.fixture
def network(run, frozen):
    """Two contacts, an interaction, three follow-ups (one done), an idea with a
    done dated step, an open dated step and an undated one."""
    run(
        "add",
        "Léa Martin",
        "--email",
        "lea@ex.fr",
        "--phone",
        "+33 6 12 34 56 78",
        "--company",
        "Studio Lumière",
        "--tag",
        "podcast",
        "--key",
        "opp",
        "--every",
        "30d",
    )
    run("add", "=SUM(A1)", "--note", "-2 points", "--birthday", "04-12")
    run(
        "log",
        "lea",
        "Call about the webinar",
        "--with",
        "2",
        "--via",
        "call",
        "--on",
        "2026-11-20",
        "--at",
        "14:30",
        "--in",
        "--tag",
        "webinar",
        "--key",
        "opp",
    )
    run(
        "remind",
        "lea",
        "Send the outline",
        "--on",
        "2026-12-01",
        "--every",
        "monthly",
        "--tag",
        "webinar",
    )
    run("remind", "Plan the quarter", "--on", "2026-12-15")
    run("remind", "lea", "Old thing", "--on", "2026-11-20")
    run("done", "f3")
    run(
        "idea",
        "add",
        "Interview Léa",
        "--kind",
        "interview",
        "--with",
        "lea",
        "--with",
        "2",
        "--effort",
        "2",
        "--note",
        "For the blog",
        "--tag",
        "blog",
    )
    run("idea", "step", "1", "Draft questions", "--due", "2026-12-03")
    run("idea", "step", "1", "Record it", "--due", "2026-12-10")
    run("idea", "step", "1", "Publish")
    run("idea", "check", "1", "1")


CONTACTS_CSV = (
    ",".join(RECORD_KEYS) + "\n"
    "2,'=SUM(A1),,,,,,,,,,,,,'--04-12,,0,business,,,,'-2 points,0,2026-11-20,,"
    "2026-11-27 10:00:00,2026-11-27 10:00:00\n"
    "1,Léa Martin,Studio Lumière,,,lea@ex.fr,'+33 6 12 34 56 78,,,,,,,,,,0,business,"
    "P30D,podcast,opportunity,,0,2026-11-20,2026-12-20,"
    "2026-11-27 10:00:00,2026-11-27 10:00:00\n"
)


def test_contacts_csv_neutralizes_formula_cells(run, network):
    result = run("export", "contacts")
    assert result.stdout == CONTACTS_CSV
    assert result.stderr == ""


def test_contacts_csv_raw(run, network):
    raw = run("export", "contacts", "--format", "csv", "--raw").stdout
    assert raw == CONTACTS_CSV.replace("'", "")


def test_contacts_json_is_the_canonical_record(run, network):
    rows = json.loads(run("export", "contacts", "--format", "json").stdout)
    assert [list(r) for r in rows] == [list(RECORD_KEYS)] * 2
    # The same records as `list --json --all`, and the CSV's columns.
    assert rows == json.loads(run("list", "--json", "--all").stdout)
    lea = rows[1]
    assert (lea["name"], lea["phones"], lea["tags"], lea["keys"], lea["every"]) == (
        "Léa Martin",
        ["+33 6 12 34 56 78"],
        ["podcast"],
        ["opportunity"],
        "P30D",
    )


def test_archived_contacts_are_exported_too(run, frozen):
    run("add", "Ana Lopes")
    run("edit", "ana", "--archive")
    rows = json.loads(run("export", "contacts", "--format", "json").stdout)
    assert [(r["name"], r["archived"]) for r in rows] == [("Ana Lopes", True)]


def test_interactions(run, network):
    assert run("export", "interactions").stdout == (
        "id,date,time,channel,direction,summary,contacts,contact_ids,tags,keys\n"
        "1,2026-11-20,14:30,call,in,Call about the webinar,'=SUM(A1); Léa Martin,2; 1,"
        "webinar,opportunity\n"
    )
    assert json.loads(run("export", "interactions", "--format", "json").stdout) == [
        {
            "id": 1,
            "date": "2026-11-20",
            "time": "14:30",
            "channel": "call",
            "direction": "in",
            "summary": "Call about the webinar",
            "contacts": ["=SUM(A1)", "Léa Martin"],
            "contact_ids": [2, 1],
            "tags": ["webinar"],
            "keys": ["opportunity"],
        }
    ]


def test_followups(run, network):
    assert run("export", "followups").stdout == (
        "id,text,due,contact,contact_id,idea_id,recurrence,from_done,done_at,tags,keys,"
        "created_at\n"
        "3,Old thing,2026-11-20,Léa Martin,1,,,0,2026-11-27 10:00:00,,,2026-11-27 10:00:00\n"
        "1,Send the outline,2026-12-01,Léa Martin,1,,FREQ=MONTHLY;INTERVAL=1,0,,webinar,,"
        "2026-11-27 10:00:00\n"
        "2,Plan the quarter,2026-12-15,,,,,0,,,,2026-11-27 10:00:00\n"
    )
    rows = json.loads(run("export", "followups", "--format", "json").stdout)
    assert rows[1] == {
        "id": 1,
        "text": "Send the outline",
        "due": "2026-12-01",
        "contact": "Léa Martin",
        "contact_id": 1,
        "idea_id": None,
        "recurrence": "FREQ=MONTHLY;INTERVAL=1",
        "from_done": False,
        "done_at": None,
        "tags": ["webinar"],
        "keys": [],
        "created_at": "2026-11-27 10:00:00",
    }


def test_ideas(run, network):
    assert run("export", "ideas").stdout == (
        "id,title,kind,status,effort_hours,contacts,steps,notes,tags,keys,created_at,"
        "status_changed_at,contact_ids,updated_at,history,step_efforts,steps_done_at\n"
        "1,Interview Léa,interview,idea,2.0,'=SUM(A1); Léa Martin,"
        "1. Draft questions (due 2026-12-03) [x]; 2. Record it (due 2026-12-10); 3. Publish,"
        "For the blog,blog,,2026-11-27 10:00:00,2026-11-27 10:00:00,2; 1,2026-11-27 10:00:00,"
        "2026-11-27 10:00:00 idea,; ; ,2026-11-27 10:00:00; ; \n"
    )


def test_ics_parsed_back_by_icalendar(run, network):
    text = run("export", "followups", "--format", "ics").stdout
    calendar = icalendar.Calendar.from_ical(text)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    # The done follow-up (f3) and the done step are left out.
    assert sorted(events) == ["followup-1@netcrm", "followup-2@netcrm", "step-2@netcrm"]
    outline = events["followup-1@netcrm"]
    assert str(outline["summary"]) == "Send the outline"
    assert outline.decoded("dtstart") == date(2026, 12, 1)
    assert outline.decoded("dtend") == date(2026, 12, 2)
    assert outline["rrule"].to_ical() == b"FREQ=MONTHLY;INTERVAL=1"
    assert str(outline["description"]) == "Contact: Léa Martin"
    assert outline["categories"].cats == ["webinar"]
    assert "rrule" not in events["followup-2@netcrm"]
    step = events["step-2@netcrm"]
    assert (str(step["summary"]), step.decoded("dtstart")) == ("Record it", date(2026, 12, 10))
    assert str(step["description"]) == "Step 2 of the idea: Interview Léa"
    assert (str(calendar["version"]), str(calendar["prodid"])) == (
        "2.0",
        "-//netcrm//netcrm export//EN",
    )


def test_ics_as_todo_for_a_task_app(run, network):
    default = run("export", "followups", "--format", "ics").stdout
    assert default == run("export", "followups", "--format", "ics", "--as", "event").stdout
    text = run("export", "followups", "--format", "ics", "--as", "todo").stdout
    calendar = icalendar.Calendar.from_ical(text)
    assert list(calendar.walk("VEVENT")) == []
    todos = {str(t["uid"]): t for t in calendar.walk("VTODO")}
    # The done follow-up is kept, ticked; the done step is not a dated open step.
    assert sorted(todos) == [
        "followup-1@netcrm",
        "followup-2@netcrm",
        "followup-3@netcrm",
        "step-2@netcrm",
    ]
    outline = todos["followup-1@netcrm"]
    assert outline.decoded("due") == date(2026, 12, 1)
    assert str(outline["status"]) == "NEEDS-ACTION"
    assert outline["rrule"].to_ical() == b"FREQ=MONTHLY;INTERVAL=1"
    assert "completed" not in outline
    done = todos["followup-3@netcrm"]
    assert str(done["status"]) == "COMPLETED"
    assert done.decoded("completed").tzinfo is not None
    assert todos["step-2@netcrm"].decoded("due") == date(2026, 12, 10)


def test_ics_as_todo_written_to_a_file_and_refused_elsewhere(run, network, tmp_path):
    path = tmp_path / "tasks.ics"
    result = run("export", "followups", "--format", "ics", "--as", "todo", "-o", str(path))
    assert result.stderr == f"Exported 4 tasks to {path}\n"
    result = run("export", "followups", "--format", "csv", "--as", "todo", code=2)
    assert result.stderr == "Error: --as is for --format ics (event or todo)\n"
    result = run("export", "followups", "--format", "ics", "--as", "alarm", code=2)
    assert result.stderr.startswith("Usage:") or "alarm" in result.stderr


def test_ics_uids_are_stable(run, network):
    first = run("export", "followups", "--format", "ics").stdout
    second = run("export", "followups", "--format", "ics").stdout
    assert first == second  # time is frozen: even DTSTAMP agrees


def test_vcard_export_is_read_by_vobject(run, network):
    text = run("export", "contacts", "--format", "vcard").stdout
    cards = list(vobject.readComponents(text))
    assert [c.fn.value for c in cards] == ["=SUM(A1)", "Léa Martin"]
    lea = cards[1]
    assert lea.version.value == "3.0"
    assert lea.email.value == "lea@ex.fr"
    assert lea.tel.value == "+33 6 12 34 56 78"
    assert lea.org.value == ["Studio Lumière"]
    assert lea.categories.value == ["podcast"]
    assert lea.contents["x-netcrm-every"][0].value == "P30D"
    assert lea.contents["x-netcrm-keys"][0].value == "opportunity"
    assert cards[0].bday.value == "--0412"
    assert cards[0].note.value == "-2 points"


def test_output_file_is_private_and_never_overwritten(run, network, tmp_path, db_file):
    target = tmp_path / "out" / "contacts.csv"
    target.parent.mkdir()
    os.umask(0o022)
    result = run("export", "contacts", "-o", str(target))
    assert result.stdout == ""
    assert result.stderr == f"Exported 2 contacts to {target}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == CONTACTS_CSV
    target.write_text("keep me")
    before = count_rows(db_file)
    result = run("export", "ideas", "--output", str(target), code=2)
    assert result.stderr == f"Error: {target} already exists; choose another name or add --force\n"
    assert target.read_text() == "keep me"
    assert count_rows(db_file) == before
    ics = tmp_path / "due.ics"
    result = run("export", "followups", "--format", "ics", "-o", str(ics))
    assert result.stderr == f"Exported 3 events to {ics}\n"
    assert stat.S_IMODE(ics.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("what", "fmt", "allowed"),
    [
        ("interactions", "vcard", "csv, json"),
        ("ideas", "ics", "csv, json"),
        ("contacts", "ics", "csv, json, vcard"),
        ("followups", "vcard", "csv, json, ics"),
    ],
)
def test_formats_that_do_not_fit(run, what, fmt, allowed):
    result = run("export", what, "--format", fmt, code=2)
    assert result.stderr == f"Error: {what} export as {allowed}, not {fmt}\n"
    assert result.stdout == ""


def test_empty_database_exports_headers_only(run):
    assert run("export", "contacts").stdout == ",".join(RECORD_KEYS) + "\n"
    assert run("export", "followups", "--format", "json").stdout == "[]\n"


def test_export_runs_on_the_read_path_without_sqlalchemy(run, network, db_file):
    code = (
        "import sys\n"
        "from netcrm.cli import app\n"
        "try:\n"
        "    app(['export', 'contacts', '--format', 'json'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel'))\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    env = {**os.environ, "NETCRM_DB": str(db_file)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stderr == "[]"
    assert json.loads(done.stdout)[1]["name"] == "Léa Martin"
