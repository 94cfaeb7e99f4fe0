"""``netcrm demo`` and the example network it loads (issues 2 and 4)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from netcrm.domain.demo import load_network
from netcrm.domain.keys import get_key
from netcrm.errors import InvalidInput
from tests.conftest import TODAY, count_rows

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "network.json"
NOW = datetime.combine(TODAY, time(14, 30))


@pytest.fixture(scope="module")
def network() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def load(path: Path, data: dict[str, Any], *, today: date = TODAY, now: datetime = NOW):
    from netcrm.store.engine import write_session
    from netcrm.store.location import resolve_location

    with write_session(resolve_location(str(path))) as session:
        return load_network(session, data, today=today, now=now)


def dump(path: Path) -> dict[str, list[str]]:
    """Every row of every table, in a stable order."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {t: sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{t}"')) for t in tables}
    finally:
        conn.close()


# --- the command ---------------------------------------------------------------------


def test_demo_shows_the_due_view_of_a_throwaway_database(run, db_file, tmp_path, monkeypatch):
    import tempfile

    from netcrm.cli import state

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = run("demo")
    titles = re.findall(r"^(Overdue|Today|Coming up) \((\d+)\)", result.stdout, re.MULTILINE)
    assert [title for title, _ in titles] == ["Overdue", "Today", "Coming up"]
    assert all(int(count) > 0 for _, count in titles)
    # Rows of every kind, each with its handle in the first column.
    handles = re.findall(r"^  ([fskb])\d+ ", result.stdout, re.MULTILINE)
    assert set(handles) == {"f", "s", "k", "b"}
    assert len(handles) == sum(int(count) for _, count in titles)
    assert result.stderr.startswith("Demo network: 30 contacts, 68 interactions, 8 ideas")
    assert "throwaway" in result.stderr
    # Nothing of the user's, nothing left behind, the option restored.
    assert not db_file.exists()
    assert list(scratch.iterdir()) == []
    assert state.STATE.db_option is None


def test_demo_never_touches_the_database_of_db_or_netcrm_db(run, db_file, tmp_path):
    run("add", "Léa Martin", "--email", "lea@example.fr")
    before, stamp = count_rows(db_file), db_file.stat().st_mtime_ns
    other = tmp_path / "other.db"
    run("demo")
    run("--db", str(other), "demo")
    assert count_rows(db_file) == before == {**before, "contact": 1}
    assert db_file.stat().st_mtime_ns == stamp
    assert not other.exists()
    assert run("list", "-q").stdout == "1\n"


def test_keep_saves_a_database_matching_the_example(run, tmp_path, network, db_file):
    kept = tmp_path / "new" / "demo.db"
    result = run("demo", "--keep", str(kept))
    assert f"saved in {kept}" in " ".join(result.stderr.split())
    assert (os.stat(kept).st_mode & 0o777, os.stat(kept.parent).st_mode & 0o777) == (0o600, 0o700)
    rows = count_rows(kept)
    assert rows["contact"] == len(network["contacts"]) == 30
    assert rows["interaction"] == len(network["interactions"])
    assert rows["idea"] == len(network["ideas"])
    assert rows["idea_step"] == sum(len(i.get("steps", [])) for i in network["ideas"])
    assert rows["followup"] == len(network["followups"])
    assert not db_file.exists()
    # The kept database is a normal netcrm database.
    assert run("--db", str(kept), "db", "check").stdout == "ok\n"
    kinds = {r["kind"] for r in json.loads(run("--db", str(kept), "due", "--json").stdout)}
    assert kinds == {"followup", "step", "keep-in-touch", "birthday"}


def test_keep_refuses_an_existing_file(run, tmp_path):
    kept = tmp_path / "demo.db"
    kept.write_bytes(b"mine")
    result = run("demo", "--keep", str(kept), code=2)
    assert result.stderr.startswith("Error: ") and "already exists" in result.stderr
    assert kept.read_bytes() == b"mine"
    assert result.stdout == ""


def test_report_keys_on_the_demo_names_a_weak_key_with_coaching(run, tmp_path):
    kept = tmp_path / "demo.db"
    run("demo", "--keep", str(kept))
    rows = json.loads(run("--db", str(kept), "report", "keys", "--json").stdout)
    totals = {r["key"]: r["total"] for r in rows}
    assert min(totals, key=lambda k: totals[k]) == "self-esteem"
    assert all(
        total > totals["self-esteem"] for key, total in totals.items() if key != "self-esteem"
    )
    text = " ".join(run("--db", str(kept), "report", "keys").stdout.split())
    coaching = get_key("self-esteem").coach("90 days", totals["self-esteem"])
    assert f"Self-esteem: {coaching}" in text


def test_the_ideas_report_flags_too_much_preparation(run, tmp_path):
    kept = tmp_path / "demo.db"
    run("demo", "--keep", str(kept))
    ideas = json.loads(run("--db", str(kept), "idea", "list", "--json").stdout)
    flagged = {i["title"]: i["flags"] for i in ideas if i["flags"]}
    podcast = flagged["Co-host an episode of Le Podcast des Chemins"]
    assert {"no-plan", "heavy"} <= set(podcast)
    assert {i["status"] for i in ideas} >= {"idea", "planned", "accepted", "done", "declined"}


def test_a_broken_example_writes_nothing(run, tmp_path, monkeypatch):
    from netcrm.cli import demo as demo_cli

    bad = {"contacts": [{"ref": "lea", "name": "Léa Martin", "emial": "x"}]}
    monkeypatch.setattr(demo_cli, "example_network", lambda: (bad, "bad.json"))
    kept = tmp_path / "demo.db"
    result = run("demo", "--keep", str(kept), code=2)
    assert result.stderr.splitlines()[0].startswith(
        "Error: contacts[0] (Léa Martin): unknown field 'emial'"
    )
    assert not kept.exists()


def test_the_example_is_found_in_a_wheel_first(tmp_path, monkeypatch, network):
    import importlib.resources

    from netcrm.cli.demo import example_network

    data, where = example_network()
    assert data == network and Path(where) == EXAMPLE  # a source checkout
    packaged = tmp_path / "_examples"
    packaged.mkdir()
    (packaged / "network.json").write_text('{"contacts": []}', encoding="utf-8")
    monkeypatch.setattr(importlib.resources, "files", lambda name: tmp_path)
    assert example_network() == ({"contacts": []}, str(packaged / "network.json"))


# --- the loader ----------------------------------------------------------------------


def test_the_loader_is_deterministic_for_a_given_day(tmp_path, network):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    assert load(first, network) == load(second, network)
    assert dump(first) == dump(second)


@pytest.mark.parametrize(
    "today", [TODAY, date(2028, 2, 29), date(2026, 12, 31), date(2027, 1, 1), date(2027, 6, 3)]
)
def test_every_day_has_something_overdue_due_today_and_coming(tmp_path, network, today):
    from netcrm.domain.due import due_items
    from netcrm.store.location import resolve_location
    from netcrm.store.reader import open_reader

    path = tmp_path / "demo.db"
    load(path, network, today=today, now=datetime.combine(today, time(8, 5)))
    reader = open_reader(resolve_location(str(path)))
    try:
        items = due_items(reader, today=today, within_days=7)
    finally:
        reader.close()
    sections = {item.section for item in items}
    assert sections == {"overdue", "today", "coming"}
    birthdays = {(i.contact, i.days_overdue) for i in items if i.kind == "birthday"}
    assert {("Thomas Moreau", -3), ("Giulia Romano", 2)} <= birthdays


def test_timestamps_follow_the_relative_days(tmp_path, network):
    path = tmp_path / "demo.db"
    load(path, network)
    conn = sqlite3.connect(path)
    try:
        added = dict(conn.execute("SELECT name, created_at FROM contact"))
        hugo = conn.execute(
            "SELECT last_contact, next_touch FROM contact WHERE name = 'Hugo Faure'"
        ).fetchone()
        history = [
            r[0][:10]
            for r in conn.execute(
                "SELECT e.at FROM idea_event e JOIN idea i ON i.id = e.idea_id "
                "WHERE i.title LIKE 'Newsletter swap%' ORDER BY e.at"
            )
        ]
    finally:
        conn.close()
    assert added["Ana Souza"][:19] == str(NOW - timedelta(days=10))
    assert hugo == (str(TODAY - timedelta(days=60)), str(TODAY - timedelta(days=15)))
    assert history == [str(TODAY - timedelta(days=d)) for d in (110, 100, 92, 65)]


def test_interactions_are_stored_oldest_first(tmp_path, network):
    path = tmp_path / "demo.db"
    load(path, network)
    conn = sqlite3.connect(path)
    try:
        days = [r[0] for r in conn.execute("SELECT occurred_on FROM interaction ORDER BY id")]
    finally:
        conn.close()
    assert days == sorted(days)


def _with(network: dict[str, Any], section: str, index: int, **changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(network))
    data[section][index].update(changes)
    return data


@pytest.mark.parametrize(
    ("section", "index", "changes", "error"),
    [
        ("contacts", 0, {"emial": "x"}, "contacts[0] (Léa Martin): unknown field 'emial'"),
        ("contacts", 1, {"ref": "lea"}, "the ref 'lea' is used twice in contacts"),
        ("contacts", 0, {"warmth": 9}, "contacts[0] (Léa Martin): warmth must be from 1"),
        ("contacts", 0, {"every": "sometimes"}, "contacts[0] (Léa Martin): "),
        ("contacts", 0, {"added_days_ago": -3}, "'added_days_ago' must be from 0 to"),
        ("contacts", 0, {"channels": ["email:nope"]}, "is not an email address"),
        ("interactions", 0, {"with": "nobody"}, "no contact with ref 'nobody'"),
        ("interactions", 0, {"days_ago": "12"}, "'days_ago' must be a whole number of days"),
        ("interactions", 0, {"via": "pigeon"}, "unknown channel 'pigeon'"),
        ("interactions", 0, {"direction": "sideways"}, "'direction' is 'out'"),
        ("ideas", 0, {"kind": "novel"}, "ideas[0] (Interview Maëlle: Europe by night train)"),
        ("ideas", 0, {"moves": [{"status": "planned", "days_ago": 99}]}, "comes before"),
        ("ideas", 0, {"keys": ["courage?"]}, "unknown key 'courage?'"),
        ("followups", 0, {"idea": "nope"}, "no idea with ref 'nope'"),
        ("followups", 0, {"due_in_days": None}, "'due_in_days' is required"),
        ("followups", 0, {"with": ["lea", "emma"]}, "one contact at most"),
    ],
)
def test_a_malformed_network_is_refused_with_its_place(
    tmp_path, network, section, index, changes, error
):
    path = tmp_path / "demo.db"
    with pytest.raises(InvalidInput) as raised:
        load(path, _with(network, section, index, **changes))
    assert error in raised.value.message
    assert count_rows(path).get("contact", 0) == 0  # the transaction wrote nothing


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ([], "an example network is a JSON object"),
        ({"people": []}, "unknown section 'people'"),
        ({"format": "other/2"}, "unknown format 'other/2'"),
        ({"contacts": {}}, "'contacts' must be a list"),
        ({"contacts": ["Léa"]}, "contacts[0]: expected an object, not a string"),
        ({"contacts": [{"name": "Léa"}]}, "contacts[0] (Léa): 'ref' is required"),
    ],
)
def test_a_network_of_the_wrong_shape_is_refused(tmp_path, data, error):
    with pytest.raises(InvalidInput) as raised:
        load(tmp_path / "demo.db", data)
    assert error in raised.value.message


def test_an_empty_network_loads_nothing(tmp_path):
    counts = load(tmp_path / "demo.db", {"format": "netcrm-example/1"})
    assert counts == {"contacts": 0, "interactions": 0, "ideas": 0, "steps": 0, "followups": 0}
