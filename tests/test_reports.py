"""The four reports on a hand-built network whose expected numbers are worked
out by hand below; each report's --csv parsed back equals its --json."""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat

import pytest

from netcrm.domain import activity, reports
from netcrm.io.csvcells import cell
from tests.conftest import refused

pytestmark = pytest.mark.both_engines


def at(monkeypatch, day: str) -> None:
    monkeypatch.setenv("NETCRM_TODAY", day)


def build_network(run, monkeypatch) -> None:
    """Six contacts, eight interactions, five ideas, two follow-ups, each on a
    known day; today is 2026-11-27 and the default period starts 2026-08-29."""
    at(monkeypatch, "2025-01-01")
    run("add", "Dana Old")  # 1, archived below
    at(monkeypatch, "2026-01-05")
    run("add", "Eve Ward", "--met-via", "blog", "--email", "eve@ex.com")  # 2
    at(monkeypatch, "2026-02-01")
    run("add", "Chloé Petit", "--met-via", "forum", "--relationship", "personal", "--warmth", "5")
    at(monkeypatch, "2026-03-01")
    run("add", "Omar Haddad", "--met-via", "event", "--every", "30d", "--email", "omar@ex.com")
    at(monkeypatch, "2026-10-10")
    run("add", "Bruno Keller", "--met-via", "linkedin")  # 5, never contacted
    at(monkeypatch, "2026-11-01")
    run(
        "add",
        "Léa Martin",
        "--met-via",
        "linkedin",
        "--relationship",
        "mixed",
        "--bigger",
        "--every",
        "30d",
        "--email",
        "lea@ex.fr",
    )  # 6

    at(monkeypatch, "2026-11-27")
    run("edit", "dana", "--archive")
    run("log", "omar", "Met at the meetup", "--on", "2026-03-05", "--via", "in-person")  # 1
    run("log", "eve", "Commented on her blog", "--on", "2026-04-01", "--via", "other")  # 2
    run("log", "chloe", "Birthday drinks", "--on", "2026-05-01", "--via", "in-person")  # 3
    run("log", "omar", "He asked about rates", "--on", "2026-10-10", "--via", "email", "--in")
    run(
        "log",
        "lea",
        "Invited her to a webinar",
        "--on",
        "2026-11-02",
        "--via",
        "linkedin",
        "--key",
        "opportunity",
    )  # 5
    run("log", "lea", "She called back", "--on", "2026-11-20", "--via", "call", "--in")  # 6
    run("log", "lea", "Thanks on WhatsApp", "--on", "2026-11-24", "--via", "whatsapp", "--in")
    run("log", "lea", "Dates by email", "--on", "2026-11-24", "--via", "email", "--in")  # 8

    at(monkeypatch, "2025-12-01")
    run("idea", "add", "Reader contest", "--kind", "contest")  # 1
    at(monkeypatch, "2026-01-10")
    run("idea", "move", "1", "dropped")
    at(monkeypatch, "2026-06-01")
    run("idea", "add", "Guest post swap", "--kind", "guest-post", "--with", "eve", "--effort", "20")
    run("idea", "step", "2", "Outline")
    at(monkeypatch, "2026-06-15")
    run("idea", "move", "2", "proposed")
    at(monkeypatch, "2026-09-10")
    run("idea", "move", "2", "declined")
    at(monkeypatch, "2026-09-01")
    run("idea", "add", "Joint webinar", "--kind", "event", "--with", "omar")  # 3
    at(monkeypatch, "2026-09-02")
    run("idea", "move", "3", "planned")
    at(monkeypatch, "2026-11-03")
    run("idea", "add", "Interview Léa", "--kind", "interview", "--with", "lea", "--key", "crea")
    run("idea", "step", "4", "Draft questions", "--effort", "1")
    at(monkeypatch, "2026-11-10")
    run("idea", "move", "4", "proposed")
    at(monkeypatch, "2026-11-20")
    run("idea", "move", "4", "accepted")
    at(monkeypatch, "2026-11-25")
    run("idea", "add", "Podcast with Omar", "--kind", "podcast", "--with", "omar", "--effort", "12")
    run("idea", "step", "5", "Book the studio", "--due", "2026-12-10")
    at(monkeypatch, "2026-11-26")
    run("idea", "move", "5", "proposed")

    at(monkeypatch, "2026-11-27")
    run("remind", "lea", "Send the outline", "--on", "2026-12-01")
    run("remind", "omar", "Call back", "--on", "2026-12-03", "--key", "action-plan")


@pytest.fixture(scope="module")
def network_template(tmp_path_factory):
    """The network, built once per module (it takes ~50 commands)."""
    from netcrm.cli import state
    from netcrm.store import engine
    from tests.conftest import TODAY, Run

    path = tmp_path_factory.mktemp("network") / "netcrm.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NETCRM_DB", str(path))
        mp.setenv("NETCRM_TODAY", TODAY.isoformat())
        state.STATE.db_option = None
        build_network(Run(), mp)
    engine.dispose_engines()
    return path


@pytest.fixture
def network(network_template, db_file):
    """A copy of the network as the test's own database."""
    if isinstance(db_file, str):  # PostgreSQL: the rows copied onto the server
        from netcrm.store.copy import copy_database
        from netcrm.store.engine import dispose_engines
        from netcrm.store.location import resolve_location

        copy_database(resolve_location(str(network_template)), resolve_location(db_file))
        dispose_engines()
        return
    for suffix in ("", "-wal", "-shm"):
        source = network_template.with_name(network_template.name + suffix)
        if source.exists():
            shutil.copy(source, db_file.with_name(db_file.name + suffix))


def report_json(run, name: str, *args: str) -> list[dict]:
    return json.loads(run("report", name, "--json", *args).stdout)


def csv_equals_json(run, name: str, columns: tuple[str, ...], *args: str) -> None:
    rows = report_json(run, name, *args)
    text = run("report", name, "--csv", *args).stdout
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert tuple(csv.reader(io.StringIO(text)).__next__()) == columns
    assert parsed == [{k: cell(v) for k, v in row.items()} for row in rows]
    for row in rows:
        assert tuple(row) == columns


# --- keys --------------------------------------------------------------------------------

# creativity: "Interview Léa" explicit; the other ideas active in the period
#   (guest post declined 09-10, webinar, podcast) inferred. The contest is older.
# action-plan: the "Call back" follow-up explicit; ideas with steps active in the
#   period (guest post, interview, podcast) and the other follow-up inferred.
# self-esteem: the outreach to Léa (bigger) on 11-02, and the interview proposed
#   to her on 11-10; the podcast goes to Omar, who is not bigger.
# opportunity: the 11-02 exchange carries it explicitly (so its "first exchange"
#   does not count again); Bruno and Léa are new contacts.
# emotional-intelligence: Léa is new and mixed; four exchanges with her in the period.
EXPECTED_KEYS = [
    {"key": k, "explicit": e, "inferred": i, "total": e + i, "share": (e + i) / 19, "percent": p}
    for k, e, i, p in (
        # 19 in all: 21.05, 26.32, 10.53, 15.79, 26.32 -> the two largest
        # remainders (opportunity, self-esteem) take the two points left.
        ("creativity", 1, 3, 21),
        ("action-plan", 1, 4, 26),
        ("self-esteem", 0, 2, 11),
        ("opportunity", 1, 2, 16),
        ("emotional-intelligence", 0, 5, 26),
    )
]


def test_keys_report(run, network):
    assert report_json(run, "keys") == EXPECTED_KEYS
    csv_equals_json(run, "keys", reports.KEYS_COLUMNS)


def test_keys_report_table_has_bars_and_coaching(run, network):
    lines = run("report", "keys").stdout.splitlines()
    assert lines[0].strip() == "The five keys, 2026-08-30 to 2026-11-27"
    body = {line.split()[0]: line for line in lines if line.strip()}
    # Bars: the biggest total (5) fills 24 cells; explicit █ then inferred ░.
    assert body["Creativity"].split()[1:] == ["1", "3", "4", "21%", "█████░░░░░░░░░░░░░░"]
    assert body["Self-esteem"].split()[1:] == ["0", "2", "2", "11%", "░░░░░░░░░░"]
    # Two inferred outreaches: the line says so instead of claiming there were none.
    assert lines[-1] == (
        "Self-esteem: Outreach and proposals to bigger names: only 2 in 90 days — qui ne "
        "tente rien n'a rien: who would you love to interview?"
    )


def test_keys_report_period(run, network):
    # From 2026-11-15: the interview's acceptance (11-20) keeps it active, its
    # proposal (11-10) is out; exchanges of 11-20 and 11-24 only.
    rows = {r["key"]: r for r in report_json(run, "keys", "--since", "2026-11-15")}
    assert {k: (r["explicit"], r["inferred"]) for k, r in rows.items()} == {
        "creativity": (1, 1),
        "action-plan": (1, 3),
        "self-esteem": (0, 0),
        "opportunity": (0, 0),
        "emotional-intelligence": (0, 3),
    }


def test_keys_report_on_an_empty_database(run):
    rows = report_json(run, "keys")
    assert [(r["key"], r["total"], r["share"], r["percent"]) for r in rows] == [
        ("creativity", 0, 0.0, 0),
        ("action-plan", 0, 0.0, 0),
        ("self-esteem", 0, 0.0, 0),
        ("opportunity", 0, 0.0, 0),
        ("emotional-intelligence", 0, 0.0, 0),
    ]
    assert (
        run("report", "keys")
        .stdout.splitlines()[-1]
        .startswith("Creativity: No collaboration idea created or moved in 90 days")
    )


# --- network -----------------------------------------------------------------------------


def _row(section: str, item: str, **values) -> dict:
    return {**dict.fromkeys(reports.NETWORK_COLUMNS), "section": section, "item": item, **values}


def test_network_report(run, network):
    assert report_json(run, "network") == [
        _row("total", "contacts", contacts=5, new=2),  # Dana is archived
        _row("source", "linkedin", contacts=2, new=2),
        _row("source", "forum", contacts=1, new=0),
        _row("source", "blog", contacts=1, new=0),
        _row("source", "event", contacts=1, new=0),
        _row("relationship", "business", contacts=3, new=1),
        _row("relationship", "mixed", contacts=1, new=1),
        _row("relationship", "personal", contacts=1, new=0),
        # Léa: 3 days, cadence 30. Omar: 48 days, cadence 30 (within two).
        # Eve: 240 and Chloé: 210 days, default cadence 90. Bruno: never.
        _row("temperature", "warm", contacts=1),
        _row("temperature", "cooling", contacts=1),
        _row("temperature", "cold", contacts=2),
        _row("temperature", "untouched", contacts=1),
        _row(
            "new-contact",
            "Bruno Keller",
            contact_id=5,
            source="linkedin",
            relationship="business",
            state="untouched",
            cadence_days=90,
        ),
        _row(
            "new-contact",
            "Léa Martin",
            contact_id=6,
            source="linkedin",
            relationship="mixed",
            state="warm",
            last_contact="2026-11-24",
            days_since=3,
            cadence_days=30,
        ),
        # Chloé is cold but close (warmth 5); Eve is cold, neither close nor on a
        # cadence: not "losing touch". The cooling come first.
        _row(
            "losing-touch",
            "Omar Haddad",
            contact_id=4,
            source="event",
            relationship="business",
            state="cooling",
            last_contact="2026-10-10",
            days_since=48,
            cadence_days=30,
        ),
        _row(
            "losing-touch",
            "Chloé Petit",
            contact_id=3,
            source="forum",
            relationship="personal",
            state="cold",
            last_contact="2026-05-01",
            days_since=210,
            cadence_days=90,
        ),
    ]
    csv_equals_json(run, "network", reports.NETWORK_COLUMNS)


def test_network_table(run, network):
    out = run("report", "network").stdout
    assert out.startswith("Network: 5 contacts, 2 added since 2026-08-30.\n")
    assert "Losing touch" in out
    lines = [line.split() for line in out.splitlines()]
    assert ["linkedin", "2", "2", "█" * 24] in lines
    assert ["forum", "1", "0", "█" * 12] in lines
    assert ["3", "Chloé", "Petit", "2026-05-01", "210", "90d", "cold"] in lines


def test_temperature_thresholds():
    from datetime import date

    from netcrm.domain import figures

    today = date(2026, 11, 27)

    def t(last, every):
        cadence = figures.cadence_days(every)
        return figures.temperature(last, cadence, today), cadence

    assert t(None, None) == ("untouched", 90)
    assert t(date(2026, 8, 29), None) == ("warm", 90)
    assert t(date(2026, 8, 28), None) == ("cooling", 90)
    assert t(date(2026, 5, 31), None) == ("cooling", 90)
    assert t(date(2026, 5, 30), None) == ("cold", 90)
    # The cadence itself, not the distance to the next touch: a month is 30
    # days, a quarter 90, a weekly rule 7.
    assert t(date(2026, 11, 13), "FREQ=WEEKLY;INTERVAL=1") == ("cooling", 7)
    assert t(date(2026, 11, 12), "P1W") == ("cold", 7)
    assert t(date(2026, 10, 28), "P1M") == ("warm", 30)
    assert t(date(2026, 10, 27), "P1M") == ("cooling", 30)
    assert t(date(2026, 6, 1), "P3M") == ("cooling", 90)
    assert t(date(2026, 5, 30), "P3M") == ("cold", 90)


# --- ideas -------------------------------------------------------------------------------


def _idea_row(section: str, item: str, **values) -> dict:
    return {**dict.fromkeys(reports.IDEAS_COLUMNS), "section": section, "item": item, **values}


def test_ideas_report(run, network):
    assert report_json(run, "ideas") == [
        _idea_row("total", "ideas", count=5, in_period=3),
        # Now; and how many entered each status in the period.
        _idea_row("status", "idea", count=0, in_period=3),
        _idea_row("status", "planned", count=1, in_period=1),
        _idea_row("status", "proposed", count=1, in_period=2),
        _idea_row("status", "accepted", count=1, in_period=1),
        _idea_row("status", "done", count=0, in_period=0),
        _idea_row("status", "declined", count=1, in_period=1),
        _idea_row("status", "dropped", count=1, in_period=0),
        _idea_row("kind", "contest", count=1, in_period=0),
        _idea_row("kind", "article", count=0, in_period=0),
        _idea_row("kind", "interview", count=1, in_period=1),
        _idea_row("kind", "event", count=1, in_period=1),
        _idea_row("kind", "partnership", count=0, in_period=0),
        _idea_row("kind", "guest-post", count=1, in_period=0),
        _idea_row("kind", "podcast", count=1, in_period=1),
        _idea_row("kind", "product", count=0, in_period=0),
        _idea_row("kind", "other", count=0, in_period=0),
        # Proposed in the period: the interview (accepted) and the podcast
        # (pending); the guest post was proposed in June.
        _idea_row("conversion", "proposed", count=2),
        _idea_row("conversion", "accepted", count=1, share=0.5, percent=50),
        _idea_row("conversion", "declined", count=0, share=0.0, percent=0),
        _idea_row("conversion", "dropped", count=0, share=0.0, percent=0),
        _idea_row("conversion", "pending", count=1, share=0.5, percent=50),
        # The webinar: no plan, untouched since 09-02. The podcast: 12 hours
        # of preparation in one step.
        _idea_row(
            "stuck",
            "Joint webinar",
            idea_id=3,
            status="planned",
            flags=["no-plan", "stalled"],
            idle_days=86,
        ),
        _idea_row(
            "stuck", "Podcast with Omar", idea_id=5, status="proposed", flags=["heavy"], idle_days=1
        ),
    ]
    csv_equals_json(run, "ideas", reports.IDEAS_COLUMNS)


def test_ideas_table(run, network):
    out = run("report", "ideas").stdout
    assert out.startswith("Ideas: 5 in all, 3 new since 2026-08-30.\n")
    assert (
        "Proposed → accepted: 2 proposals in the period: 1 accepted (50%), 0 declined (0%), "
        "0 dropped (0%), 1 pending (50%)." in out
    )
    lines = [line.split() for line in out.splitlines()]
    assert ["3", "Joint", "webinar", "planned", "no-plan,", "stalled", "86d"] in lines
    assert ["5", "Podcast", "with", "Omar", "proposed", "heavy", "1d"] in lines


# --- activity ----------------------------------------------------------------------------


def _week(n: int, start: str, days: int = 7, **counts) -> dict:
    return {
        "section": "week",
        "item": f"2026-W{n:02d}",
        "start": start,
        "days": days,
        "partial": days < 7,
        **dict.fromkeys(reports.WEEKDAYS, 0),
        "total": 0,
        "outreach": 0,
        "inbound": 0,
        **counts,
    }


def test_activity_report(run, network):
    from datetime import date, timedelta

    # The window 2026-08-30 (a Sunday) .. 2026-11-27 (a Friday) touches 14 ISO
    # weeks: W35 holds one day of it, W48 five; both are marked partial.
    mondays = [date(2026, 8, 24) + timedelta(weeks=i) for i in range(14)]
    weeks = [_week(35 + i, monday.isoformat()) for i, monday in enumerate(mondays)]
    weeks[0].update(days=1, partial=True)
    weeks[-1].update(days=5, partial=True)
    weeks[6].update(sat=1, total=1, inbound=1)  # 10-10, Omar
    weeks[10].update(mon=1, total=1, outreach=1)  # 11-02, Léa
    weeks[12].update(fri=1, total=1, inbound=1)  # 11-20, Léa
    weeks[13].update(tue=2, total=2, inbound=2)  # 11-24, Léa twice
    zero = dict.fromkeys(reports.WEEKDAYS, 0)

    def channel(name, total, outreach, inbound, **days):
        return {
            "section": "channel",
            "item": name,
            "start": None,
            "days": None,
            "partial": None,
            **zero,
            **days,
            "total": total,
            "outreach": outreach,
            "inbound": inbound,
        }

    rows = report_json(run, "activity")
    assert rows == [
        *weeks,
        channel("email", 2, 0, 2, tue=1, sat=1),
        channel("call", 1, 0, 1, fri=1),
        channel("linkedin", 1, 1, 0, mon=1),
        channel("whatsapp", 1, 0, 1, tue=1),
        {
            "section": "period",
            "item": "2026-08-30..2026-11-27",
            "start": "2026-08-30",
            "days": 90,
            "partial": None,
            **zero,
            "mon": 1,
            "tue": 2,
            "fri": 1,
            "sat": 1,
            "total": 5,
            "outreach": 1,
            "inbound": 4,
        },
    ]
    # One window: the weeks add up to the period, and their days to its 90.
    assert sum(r["total"] for r in rows if r["section"] == "week") == rows[-1]["total"]
    assert sum(r["days"] for r in rows if r["section"] == "week") == 90
    csv_equals_json(run, "activity", activity.ACTIVITY_COLUMNS)
    four = report_json(run, "activity", "--since", "2026-11-02")
    assert [(r["item"], r["days"]) for r in four if r["section"] == "week"] == [
        ("2026-W45", 7),
        ("2026-W46", 7),
        ("2026-W47", 7),
        ("2026-W48", 5),
    ]
    assert four[-1]["total"] == 4
    csv_equals_json(run, "activity", activity.ACTIVITY_COLUMNS, "--since", "4w")


def test_activity_heat_map(run, network):
    lines = run("report", "activity", "--since", "2026-11-02").stdout.splitlines()
    assert lines[0].strip() == (
        "Interactions per week, 2026-11-02 to 2026-11-27: 4 ISO weeks, * partly in the "
        "period (· none … █ busiest day; blank: outside the period)"
    )
    assert lines[2].split() == ["W45", "W46", "W47", "W48"]
    grid = {line.split()[0]: line.split()[1:] for line in lines[4:11]}
    # The busiest day (Tuesday of W48, two exchanges) is the darkest; one is half.
    # Saturday and Sunday of W48 are after today: blank.
    assert grid == {
        "Mon": ["▒", "·", "·", "·"],
        "Tue": ["·", "·", "·", "█"],
        "Wed": ["·", "·", "·", "·"],
        "Thu": ["·", "·", "·", "·"],
        "Fri": ["·", "·", "▒", "·"],
        "Sat": ["·", "·", "·"],
        "Sun": ["·", "·", "·"],
    }
    assert ["2026-W48", "2026-11-23", "5*", "2", "0", "2", "█" * 24] in [
        line.split() for line in lines
    ]


def test_heat_shades():
    from netcrm.render.reports import shade

    assert [shade(n, 8) for n in range(9)] == ["·", "░", "░", "▒", "▒", "▓", "▓", "█", "█"]
    assert shade(1, 1) == "█"
    assert shade(0, 0) == "·"


# --- options -----------------------------------------------------------------------------


def test_output_file_is_private_and_never_overwritten(run, network, tmp_path, db_file):
    target = tmp_path / "keys.csv"
    result = run("report", "keys", "-o", str(target))
    assert result.stdout == ""
    assert result.stderr == f"Wrote the keys report to {target}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == run("report", "keys", "--csv").stdout
    assert run("report", "keys", "--csv", "-o", str(target), code=2).stderr == (
        f"Error: {target} already exists; choose another name or add --force\n"
    )
    as_json = tmp_path / "ideas.json"
    run("report", "ideas", "-o", str(as_json))
    assert json.loads(as_json.read_text()) == report_json(run, "ideas")
    text = tmp_path / "network.txt"
    run("report", "network", "-o", str(text))
    assert text.read_text().startswith("Network: 5 contacts, 2 added since 2026-08-30.\n")
    forced = tmp_path / "weeks.txt"
    run("report", "activity", "--json", "-o", str(forced))
    assert json.loads(forced.read_text()) == report_json(run, "activity")


@pytest.mark.parametrize(
    "args",
    [
        ("report", "keys", "--since", "someday"),
        ("report", "keys", "--since", "2027-01-01"),
        ("report", "network", "--json", "--csv"),
        ("report", "activity", "--since", "0d"),
        ("report", "activity", "--weeks", "4"),
        ("report", "all", "--html", "x.html", "--json"),
    ],
)
def test_bad_options(run, network, db_file, args):
    refused(run, db_file, *args)


def test_since_forms(run, network):
    by_date = report_json(run, "network", "--since", "2026-11-01")
    assert by_date[0] == _row("total", "contacts", contacts=5, new=1)
    # A year back: everyone active was added in it.
    assert report_json(run, "network", "--since", "1y")[0]["new"] == 5
    assert report_json(run, "network", "--since", "2026")[0]["new"] == 5


def test_report_all_json_holds_every_report(run, network):
    everything = json.loads(run("report", "all", "--json").stdout)
    assert everything == {
        "keys": report_json(run, "keys"),
        "network": report_json(run, "network"),
        "ideas": report_json(run, "ideas"),
        "activity": report_json(run, "activity"),
    }
    screen = run("report", "all").stdout
    for heading in ("The five keys", "Network:", "Ideas:", "Interactions per week"):
        assert heading in screen


def test_losing_touch_order():
    from datetime import date

    def person(pid: int, state: str, days: int, cadence: int) -> reports.Person:
        return reports.Person(
            id=pid,
            name=f"P{pid}",
            source=None,
            relationship="business",
            state=state,
            last_contact=date(2026, 1, 1),
            days_since=days,
            cadence_days=cadence,
            created=date(2025, 1, 1),
        )

    people = [
        person(1, "cold", 900, 90),  # lost long ago
        person(2, "cooling", 40, 30),  # just slipping
        person(3, "cold", 200, 90),  # recently lost
        person(4, "cooling", 170, 90),  # about to go cold
    ]
    from netcrm.domain.figures import losing_order

    ordered = sorted(people, key=lambda p: losing_order(p.state, p.overdue, p.id))
    assert [p.id for p in ordered] == [4, 2, 3, 1]


def test_reports_do_not_import_sqlalchemy(network, db_file, tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import sys; from netcrm.cli import app; from typer.testing import CliRunner; "
        "r = CliRunner().invoke(app, sys.argv[1:]); assert r.exit_code == 0, r.output; "
        "print(sorted({'sqlalchemy', 'sqlmodel', 'alembic'} & set(sys.modules)))"
    )
    env = {**os.environ, "NETCRM_DB": str(db_file)}
    for args in (
        ["report", "keys"],
        ["report", "network", "--csv"],
        ["report", "ideas", "--json"],
        ["report", "activity"],
        ["report", "all", "--html", str(tmp_path / "page.html")],
    ):
        proc = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
        )
        assert proc.stdout.strip().splitlines()[-1] == "[]", (args, proc.stderr)
