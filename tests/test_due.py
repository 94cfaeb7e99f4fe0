"""``netcrm due`` (PRODUCT.md §4, issue 3): sources, sections, ordering, the
window, ``--check``, ``--json``/``--csv``, birthdays, keep-in-touch, and the
fast read path. Today is pinned to Friday 2026-11-27 unless a test moves it.

The helpers at the top build networks through the domain (with explicit
creation dates) and are shared with test_followups.py and test_done_snooze.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import pytest

from netcrm.domain import due as due_domain
from netcrm.domain.due import birthdays
from netcrm.io.csvcells import unneutralize
from netcrm.store.location import resolve_location
from tests.conftest import TODAY, db_query, refused

pytestmark = pytest.mark.both_engines

# --- helpers (also used by the other follow-up test modules) ----------------------


def write():
    from netcrm.store.engine import write_session

    return write_session(resolve_location())


def at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0))


def add_contact(
    name: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    every: str | None = None,
    birthday: str | None = None,
    added: date = TODAY,
    archived: bool = False,
) -> int:
    from netcrm.dates import parse_birthday, parse_cadence
    from netcrm.domain.contacts import ContactInput, create_contact

    fields: dict = {"name": name, "archived": archived}
    if every:
        fields["cadence"] = parse_cadence(every, today=added)
    if birthday:
        year, month, day = parse_birthday(birthday, today=TODAY)
        fields.update(birthday_year=year, birthday_month=month, birthday_day=day)
    channels = [("email", email)] if email else []
    channels += [("phone", phone)] if phone else []
    with write() as session:
        contact = create_contact(
            session, ContactInput(fields=fields, channels=channels), now=at(added)
        )
        assert contact.id is not None
        return contact.id


def add_followup(
    text: str,
    due: date,
    *,
    contact: int | None = None,
    every: str | None = None,
    from_done: bool = False,
) -> int:
    from netcrm.domain.followups import FollowupInput, create_followup

    with write() as session:
        followup = create_followup(
            session,
            FollowupInput(text=text, due=due, contact_id=contact, every=every, from_done=from_done),
            now=at(TODAY),
        )
        assert followup.id is not None
        return followup.id


def add_step(
    title: str,
    text: str,
    due: date | None,
    *,
    contacts: Sequence[int] = (),
    status: str = "idea",
    done: bool = False,
) -> int:
    """An idea with one step (written with the models: the ideas commands are
    another module's business)."""
    from netcrm.domain.models import Idea, IdeaContact, IdeaStep

    with write() as session:
        idea = Idea(title=title, status=status)
        session.add(idea)
        session.flush()
        assert idea.id is not None
        for cid in contacts:
            session.add(IdeaContact(idea_id=idea.id, contact_id=cid))
        step = IdeaStep(
            idea_id=idea.id, position=1, text=text, due=due, done_at=at(TODAY) if done else None
        )
        session.add(step)
        session.flush()
        assert step.id is not None
        return step.id


def log(contact_ids: Sequence[int], on: date, summary: str = "Coffee", channel: str = "call"):
    from netcrm.domain.interactions import InteractionInput, log_interaction

    with write() as session:
        log_interaction(
            session,
            InteractionInput(
                contact_ids=list(contact_ids), summary=summary, on=on, channel=channel
            ),
            now=at(on),
        )


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def due_rows(run, *args: str) -> list[dict]:
    return json.loads(run("due", "--json", *args).stdout)


def brief(rows: list[dict]) -> list[tuple]:
    return [(r["handle"], r["section"], r["days_overdue"]) for r in rows]


def contact_row(contact_id: int) -> dict:
    return db_query("SELECT * FROM contact WHERE id = ?", (contact_id,))[0]


# --- an empty or quiet network ---------------------------------------------------------


def test_empty_network_says_how_to_start(run):
    result = run("due")
    assert result.stdout == ""
    assert result.stderr.startswith("Your network is empty.")
    assert json.loads(run("due", "--json").stdout) == []
    assert run("due", "--csv").stdout == (
        "handle,kind,text,contact,contact_id,due,days_overdue,section,when,channel\n"
    )


def test_nothing_due_says_so(run):
    add_contact("Léa Martin", email="lea@ex.fr", every="30d")  # next touch in 30 days
    add_followup("Far away", days(8))
    result = run("due")
    assert result.stdout == ""
    assert result.stderr == "Nothing overdue and nothing due in the next 7 days. Enjoy your day!\n"
    assert "today. Enjoy" in run("due", "--within", "0").stderr


# --- sections, ordering, the window ---------------------------------------------------


@pytest.fixture
def network():
    lea = add_contact("Léa Martin", email="lea@ex.fr", every="30d", added=date(2026, 10, 26))
    bob = add_contact("Bob Dupont", phone="+33 6 12 34 56 78", birthday="1990-11-27")
    cleo = add_contact("Cléo Roux", every="2w", added=date(2026, 11, 10))  # due 11-24
    add_followup("Send the outline", days(-3), contact=lea)  # f1
    add_followup("Renew the domain", days(0))  # f2
    add_followup("Ask for a quote", days(0), contact=bob)  # f3
    add_followup("Coming soon", days(7), contact=cleo)  # f4, last day of the window
    add_followup("Too far", days(8))  # f5
    add_step("Interview Léa", "Draft the questions", days(-5), contacts=[lea])  # s1
    return {"lea": lea, "bob": bob, "cleo": cleo}


def test_sections_and_ordering(run, network):
    rows = due_rows(run)
    assert brief(rows) == [
        ("s1", "overdue", 5),  # most overdue first
        ("f1", "overdue", 3),  # same day: follow-up before keep-in-touch
        ("k3", "overdue", 3),
        ("k1", "overdue", 2),
        ("f3", "today", 0),  # same day, same kind: by text
        ("f2", "today", 0),
        ("b2", "today", 0),
        ("f4", "coming", -7),
    ]
    assert [r["kind"] for r in rows] == [
        "step",
        "followup",
        "keep-in-touch",
        "keep-in-touch",
        "followup",
        "followup",
        "birthday",
        "followup",
    ]


def test_table_has_the_three_sections(run, network):
    lines = [line.rstrip() for line in run("due").stdout.splitlines()]
    rule = " " + "─" * 118
    assert lines == [
        "Overdue (4)",
        "",
        "  Handle   Due          When             What                                   "
        "         Contact      Channel",
        rule,
        "  s1       2026-11-22   5 days overdue   Draft the questions (idea #1: Interview Léa)"
        "    Léa Martin   email: lea@ex.fr",
        "  f1       2026-11-24   3 days overdue   Send the outline                            "
        "    Léa Martin   email: lea@ex.fr",
        "  k3       2026-11-24   3 days overdue   Keep in touch (every 2 weeks; never         "
        "    Cléo Roux",
        "                                         contacted)",
        "  k1       2026-11-25   2 days overdue   Keep in touch (every 30 days; never         "
        "    Léa Martin   email: lea@ex.fr",
        "                                         contacted)",
        "",
        "Today (3)",
        "",
        "  Handle   Due          When    What                 Contact      Channel",
        rule[:91],
        "  f3       2026-11-27   today   Ask for a quote      Bob Dupont   "
        "phone: +33 6 12 34 56 78",
        "  f2       2026-11-27   today   Renew the domain",
        "  b2       2026-11-27   today   Birthday, turns 36   Bob Dupont   "
        "phone: +33 6 12 34 56 78",
        "",
        "Coming up (1)",
        "",
        "  Handle   Due          When        What          Contact     Channel",
        rule[:70],
        "  f4       2026-12-04   in 7 days   Coming soon   Cléo Roux",
        "",
    ]


def test_json_row_shape(run, network):
    rows = due_rows(run)
    assert rows[0] == {
        "handle": "s1",
        "kind": "step",
        "text": "Draft the questions (idea #1: Interview Léa)",
        "contact": "Léa Martin",
        "contact_id": network["lea"],
        "due": "2026-11-22",
        "days_overdue": 5,
        "section": "overdue",
        "when": "5 days overdue",
        "channel": "email: lea@ex.fr",
    }
    by_handle = {r["handle"]: r for r in rows}
    assert by_handle["f2"]["contact"] is None and by_handle["f2"]["channel"] is None
    assert by_handle["k3"]["text"] == "Keep in touch (every 2 weeks; never contacted)"
    assert by_handle["k3"]["channel"] is None  # Cléo has no channel
    assert by_handle["b2"]["text"] == "Birthday, turns 36"
    assert by_handle["b2"]["channel"] == "phone: +33 6 12 34 56 78"
    assert by_handle["f4"]["when"] == "in 7 days"


def test_json_and_csv_give_the_same_rows(run, network):
    rows = due_rows(run)
    table = list(csv.DictReader(io.StringIO(run("due", "--csv").stdout)))
    assert list(table[0].keys()) == list(due_domain.DUE_KEYS)
    # CSV cells are text, neutralised against formulas ("-7" is written "'-7").
    as_text = [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows]
    assert [{k: unneutralize(v) for k, v in row.items()} for row in table] == as_text


def test_within_widens_and_narrows_the_window(run, network):
    assert [r["handle"] for r in due_rows(run, "--within", "0")] == [
        "s1",
        "f1",
        "k3",
        "k1",
        "f3",
        "f2",
        "b2",
    ]
    wide = due_rows(run, "--within", "2w")
    assert [r["handle"] for r in wide if r["section"] == "coming"] == ["f4", "f5"]
    assert due_rows(run, "-w", "8") == wide  # 8 days reach f5 too; nothing lies beyond


def test_bad_within_is_refused(run, db_file):
    error = refused(run, db_file, "due", "--within", "soon")
    assert error.startswith("Error: cannot read the duration 'soon'")


def test_archived_contacts_are_left_out(run):
    gone = add_contact(
        "Ancien Contact", every="1w", birthday="11-28", added=date(2026, 1, 1), archived=True
    )
    add_followup("About the archived one", days(0), contact=gone)
    kept = add_contact("Nadia Ben", email="nadia@ex.fr")
    add_step("Joint event", "Book the room", days(1), contacts=[gone, kept])
    rows = due_rows(run)
    assert brief(rows) == [("s1", "coming", -1)]
    assert rows[0]["contact"] == "Nadia Ben"  # the step stays, without the archived contact


def test_steps_of_finished_ideas_and_done_steps_are_left_out(run):
    add_step("Open idea", "Open step", days(1))
    add_step("Dropped idea", "Dropped step", days(1), status="dropped")
    add_step("Declined idea", "Declined step", days(1), status="declined")
    add_step("Open idea 2", "Done step", days(1), done=True)
    add_step("Open idea 3", "Undated step", None)
    rows = due_rows(run)
    assert [(r["handle"], r["text"], r["contact"]) for r in rows] == [
        ("s1", "Open step (idea #1: Open idea)", None)
    ]


# --- --check ----------------------------------------------------------------------


def check(run, code: int) -> None:
    result = run("due", "--check", code=code)
    assert result.stdout == "" and result.stderr == ""


def test_check_on_an_empty_network(run):
    check(run, 1)


def test_check_when_nothing_is_due_today(run):
    add_contact("Léa Martin", every="30d")
    add_followup("Next week", days(3))
    check(run, 1)


def test_check_when_something_is_overdue(run):
    add_followup("Late", days(-1))
    check(run, 0)


def test_check_when_something_is_due_today(run):
    add_contact("Bob Dupont", birthday="11-27")
    check(run, 0)


# --- keep in touch ----------------------------------------------------------------


def test_keep_in_touch_counts_from_creation_when_never_contacted(run):
    lea = add_contact("Léa Martin", every="30d", added=date(2026, 10, 30))
    add_contact("Bob Dupont", every="30d", added=date(2026, 11, 1))  # due 12-01: coming
    add_contact("Cléo Roux", every="30d", added=date(2026, 11, 20))  # due 12-20: beyond
    rows = due_rows(run)
    assert [(r["handle"], r["due"]) for r in rows] == [
        (f"k{lea}", "2026-11-29"),
        ("k2", "2026-12-01"),
    ]


def test_a_logged_interaction_resets_the_clock(run):
    lea = add_contact("Léa Martin", every="30d", added=date(2026, 9, 1))
    assert brief(due_rows(run)) == [("k1", "overdue", 57)]
    log([lea], date(2026, 11, 20))
    assert due_rows(run) == []
    assert contact_row(lea)["next_touch"] == "2026-12-20"
    assert due_rows(run, "--within", "30d")[0]["text"] == (
        "Keep in touch (every 30 days; last contact 2026-11-20)"
    )


def test_an_interaction_moved_by_merge_resets_the_clock(run):
    from netcrm.domain.contacts import merge_contacts

    lea = add_contact("Léa Martin", every="30d", added=date(2026, 9, 1))
    twin = add_contact("Lea Martin", email="lea@ex.fr", added=date(2026, 9, 5))
    log([twin], date(2026, 11, 25))
    assert [r["handle"] for r in due_rows(run)] == ["k1"]
    with write() as session:
        merge_contacts(session, twin, lea, now=at(TODAY))
    assert due_rows(run) == []
    assert contact_row(lea)["next_touch"] == "2026-12-25"


def test_changing_the_cadence_moves_the_row(run):
    from netcrm.domain.contact_edit import update_contact

    lea = add_contact("Léa Martin", every="30d", added=date(2026, 11, 1))
    assert [r["due"] for r in due_rows(run)] == ["2026-12-01"]
    with write() as session:
        update_contact(session, lea, {"cadence": "FREQ=WEEKLY;INTERVAL=1"}, now=at(TODAY))
    assert brief(due_rows(run)) == [("k1", "overdue", 19)]


# --- birthdays ----------------------------------------------------------------------


def test_birthdays_across_the_year_end(run, monkeypatch):
    monkeypatch.setenv("NETCRM_TODAY", "2026-12-29")
    add_contact("Janvier Premier", birthday="1980-01-02")
    add_contact("Sans Année", birthday="01-04")
    add_contact("Trop Tard", birthday="01-06")  # 8 days ahead
    rows = due_rows(run)
    assert [(r["handle"], r["due"], r["when"], r["text"]) for r in rows] == [
        ("b1", "2027-01-02", "in 4 days", "Birthday, turns 47"),
        ("b2", "2027-01-04", "in 6 days", "Birthday"),
    ]


def test_a_december_birthday_seen_from_january(run, monkeypatch):
    monkeypatch.setenv("NETCRM_TODAY", "2027-01-02")
    add_contact("Fin Décembre", birthday="12-30")  # 3 days ago, inside the grace
    add_contact("Mi Décembre", birthday="12-20")  # 13 days ago, gone
    assert brief(due_rows(run)) == [("b1", "overdue", 3)]


def test_29_february_shows_on_28_february_in_other_years(run, monkeypatch):
    add_contact("Bissextile", birthday="2000-02-29")
    monkeypatch.setenv("NETCRM_TODAY", "2027-02-25")
    assert [(r["due"], r["text"]) for r in due_rows(run)] == [("2027-02-28", "Birthday, turns 27")]
    monkeypatch.setenv("NETCRM_TODAY", "2028-02-25")
    assert [r["due"] for r in due_rows(run)] == ["2028-02-29"]
    monkeypatch.setenv("NETCRM_TODAY", "2027-03-01")
    assert brief(due_rows(run)) == [("b1", "overdue", 1)]


def test_a_wished_birthday_leaves_the_list_until_next_year(run):
    add_contact("Bob Dupont", birthday="11-29")
    run("done", "b1")
    assert due_rows(run) == []
    assert due_rows(run, "--within", "13m")[0]["due"] == "2027-11-29"


def test_a_missed_birthday_stays_overdue_for_a_week(run, monkeypatch):
    add_contact("Bob Dupont", birthday="11-20")
    assert brief(due_rows(run)) == [("b1", "overdue", 7)]
    monkeypatch.setenv("NETCRM_TODAY", "2026-11-28")
    assert due_rows(run) == []


def test_birthday_ranges():
    assert birthdays.birthday_ranges(date(2026, 12, 29), date(2027, 1, 3)) == [
        (12, 29, 31),
        (1, 1, 3),
    ]
    # 28 February of a non-leap year also stands for 29 February.
    assert birthdays.birthday_ranges(date(2027, 2, 27), date(2027, 3, 1)) == [
        (2, 27, 29),
        (3, 1, 1),
    ]
    assert birthdays.birthday_ranges(date(2028, 2, 27), date(2028, 2, 28)) == [(2, 27, 28)]
    assert len(birthdays.birthday_ranges(date(2026, 1, 1), date(2027, 1, 1))) == 12


def test_birthday_due_rules():
    def due_of(month, day, today, *, wished=None, snoozed=None, within=7):
        return birthdays.birthday_due(
            month,
            day,
            wished_year=wished,
            snoozed_to=snoozed,
            today=today,
            until=today + timedelta(days=within),
        )

    today = date(2026, 11, 27)
    assert due_of(11, 30, today) == (date(2026, 11, 30), date(2026, 11, 30))
    assert due_of(11, 30, today, wished=2026) is None
    assert due_of(11, 30, today, wished=2026, within=400) == (
        date(2027, 11, 30),
        date(2027, 11, 30),
    )
    # A snooze date belongs to the birthday it follows by at most 30 days.
    assert due_of(11, 20, today, snoozed=date(2026, 12, 1)) == (
        date(2026, 12, 1),
        date(2026, 11, 20),
    )
    assert due_of(10, 1, today, snoozed=date(2026, 11, 28)) is None  # a 58-day-old snooze
    assert due_of(2, 29, date(2027, 2, 27)) == (date(2027, 2, 28), date(2027, 2, 28))


# --- the read path ----------------------------------------------------------------


def test_both_readers_give_the_same_rows(network):
    from netcrm.store.engine import ensure_schema
    from netcrm.store.reader import SqlAlchemyReader, open_reader

    loc = resolve_location()
    fast = open_reader(loc)
    reference = SqlAlchemyReader(ensure_schema(loc))
    try:
        for within in (0, 7, 400):
            expected = due_domain.due_items(reference, today=TODAY, within_days=within)
            assert due_domain.due_items(fast, today=TODAY, within_days=within) == expected
        assert due_domain.resolve_handle(fast, "b2", today=TODAY) == due_domain.resolve_handle(
            reference, "b2", today=TODAY
        )
    finally:
        fast.close()


def test_due_does_not_import_sqlalchemy(run, network, db_file):
    code = (
        "import sys\n"
        "sys.argv = ['netcrm', 'due', '--json']\n"
        "from netcrm.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'sqlmodel', 'alembic'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "NETCRM_DB": str(db_file)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 8
    assert result.stderr.strip().splitlines()[-1] == "HEAVY []"


def test_due_help_has_an_example(run):
    assert "Example: netcrm due" in " ".join(run("due", "--help").stdout.split())
