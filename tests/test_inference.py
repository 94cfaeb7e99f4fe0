"""The inference rules of netcrm.domain.inference, each on its own, on both
readers; and the counting rule: explicit and inferred never overlap."""

from __future__ import annotations

from datetime import date

import pytest

from netcrm.domain import inference
from netcrm.domain.inference import RULES, Period, count_keys, key_items
from netcrm.domain.keys import KEY_SLUGS

# The period of every test: the 90 days before the pinned today (2026-11-27).
PERIOD = Period(date(2026, 8, 29), date(2026, 11, 27))
RULE = {rule.slug: rule for rule in RULES}


@pytest.fixture(params=["sqlite", "sqlalchemy"])
def reader(request, db_file):
    """Both readers over the test's database, opened at the first call (once
    the test has written its data) and closed at the end."""
    from netcrm.store.engine import ensure_schema
    from netcrm.store.location import resolve_location
    from netcrm.store.reader import SqlAlchemyReader, open_sqlite_reader

    opened = []

    def open_reader():
        if not opened:
            if request.param == "sqlite":
                opened.append(open_sqlite_reader(str(db_file)))
            else:
                opened.append(SqlAlchemyReader(ensure_schema(resolve_location(str(db_file)))))
        return opened[0]

    yield open_reader
    for r in opened:
        r.close()


def at(monkeypatch, day: str) -> None:
    monkeypatch.setenv("NETCRM_TODAY", day)


def matched(reader, slug: str) -> set[int]:
    return RULE[slug].items(reader(), PERIOD)


def test_every_rule_is_documented_and_every_key_has_one():
    assert len({r.slug for r in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.key in KEY_SLUGS
        assert rule.explanation.endswith(".") and "\n" not in rule.explanation
        assert len(rule.explanation) < 100
    assert {r.key for r in RULES} == set(KEY_SLUGS)
    assert [r.slug for r in inference.rules_for("self-esteem")] == [
        "outreach-to-bigger",
        "proposal-to-bigger",
    ]


# --- creativity ------------------------------------------------------------------------


def test_any_idea_active_in_the_period(run, reader, monkeypatch):
    at(monkeypatch, "2026-05-01")
    run("idea", "add", "Old and untouched")  # 1
    run("idea", "add", "Old, moved in the period")  # 2
    run("idea", "add", "Old, a step done in the period: not moved, so not active")  # 3
    run("idea", "step", "3", "s")
    at(monkeypatch, "2026-09-15")
    run("idea", "move", "2", "planned")
    run("idea", "check", "3", "1")
    run("idea", "add", "New")  # 4
    assert matched(reader, "any-idea") == {2, 4}


# --- action-plan -----------------------------------------------------------------------


def test_idea_with_plan(run, reader, monkeypatch):
    at(monkeypatch, "2026-05-01")
    run("idea", "add", "Old with a plan, untouched")  # 1
    run("idea", "step", "1", "s")
    at(monkeypatch, "2026-11-27")
    run("idea", "add", "New with a plan")  # 2
    run("idea", "step", "2", "s")
    run("idea", "add", "New without a plan")  # 3
    assert matched(reader, "idea-with-plan") == {2}


def test_dated_followup_created_or_done_in_the_period(run, reader, monkeypatch):
    at(monkeypatch, "2026-05-01")
    run("remind", "Old, never done", "--on", "2026-05-10")  # f1
    run("remind", "Old, done in the period", "--on", "2026-05-10")  # f2
    at(monkeypatch, "2026-10-01")
    run("done", "f2")
    run("remind", "New", "--on", "2026-12-01")  # f3
    assert matched(reader, "dated-followup") == {2, 3}


# --- self-esteem -----------------------------------------------------------------------


def test_outreach_to_bigger(run, reader, monkeypatch):
    run("add", "Big Name", "--bigger", "--email", "big@ex.com")
    run("add", "Small Name", "--email", "small@ex.com")
    run("log", "big", "I wrote first", "--on", "2026-11-01")  # 1 yes
    run("log", "big", "They wrote", "--in", "--on", "2026-11-02")  # 2 no: inbound
    run("log", "small", "I wrote to a peer", "--on", "2026-11-03")  # 3 no: not bigger
    run("log", "small", "Group mail", "--with", "big", "--on", "2026-11-04")  # 4 yes
    run("log", "big", "Long ago", "--on", "2026-03-01")  # 5 no: before the period
    assert matched(reader, "outreach-to-bigger") == {1, 4}


def test_proposal_to_bigger(run, reader, monkeypatch):
    at(monkeypatch, "2026-05-01")
    run("add", "Big Name", "--bigger")
    run("add", "Peer")
    run("idea", "add", "Proposed long ago", "--with", "big")  # 1
    run("idea", "move", "1", "proposed")
    at(monkeypatch, "2026-11-27")
    run("idea", "add", "Proposed now", "--with", "big")  # 2 yes
    run("idea", "move", "2", "proposed")
    run("idea", "add", "Straight to accepted", "--with", "big", "--with", "peer")  # 3 yes
    run("idea", "move", "3", "accepted")
    run("idea", "add", "Proposed to a peer", "--with", "peer")  # 4 no
    run("idea", "move", "4", "proposed")
    run("idea", "add", "Only an idea", "--with", "big")  # 5 no
    run("idea", "move", "1", "accepted")  # 1: accepted now, but proposed before
    assert matched(reader, "proposal-to-bigger") == {2, 3}


def test_a_proposal_counts_when_the_move_is_in_the_period(run, reader, monkeypatch):
    at(monkeypatch, "2026-05-01")
    run("add", "Big Name", "--bigger")
    run("idea", "add", "Proposed long ago", "--with", "big")
    run("idea", "move", "1", "proposed")
    run("idea", "move", "1", "planned")
    assert matched(reader, "proposal-to-bigger") == set()


# --- opportunity -----------------------------------------------------------------------


def test_new_contact(run, reader, monkeypatch):
    at(monkeypatch, "2026-08-28")
    run("add", "Added the day before the period")
    at(monkeypatch, "2026-08-29")
    run("add", "Added on its first day")
    at(monkeypatch, "2026-11-27")
    run("add", "Added today")
    assert matched(reader, "new-contact") == {2, 3}


def test_first_exchange(run, reader, monkeypatch):
    run("add", "Known Person", "--email", "known@ex.com")
    run("add", "New Person", "--email", "new@ex.com")
    run("add", "Third Person", "--email", "third@ex.com")
    run("log", "known", "Met at an event", "--on", "2026-06-01")  # 1: first, but before
    run("log", "known", "Again", "--on", "2026-10-01")  # 2: not first
    run("log", "known", "With a newcomer", "--with", "new", "--on", "2026-10-02")  # 3: see 6
    run("log", "third", "Same day, logged first", "--on", "2026-10-05")  # 4: first
    run("log", "third", "Same day, logged second", "--on", "2026-10-05")  # 5: not first
    # Logged later but happened earlier: this one is the first exchange.
    run("log", "new", "Backdated", "--on", "2026-09-01")  # 6
    assert matched(reader, "first-exchange") == {4, 6}


# --- emotional intelligence -------------------------------------------------------------


def test_close_contact(run, reader, monkeypatch):
    at(monkeypatch, "2026-05-01")
    run("add", "Old Friend", "--relationship", "personal")
    at(monkeypatch, "2026-11-27")
    run("add", "New Friend", "--relationship", "personal")
    run("add", "New Mixed", "--relationship", "mixed")
    run("add", "New Client")
    assert matched(reader, "close-contact") == {2, 3}


def test_close_exchange(run, reader, monkeypatch):
    run("add", "Friend", "--relationship", "personal", "--email", "f@ex.com")
    run("add", "Mixed", "--relationship", "mixed", "--email", "m@ex.com")
    run("add", "Client", "--email", "c@ex.com")
    run("log", "friend", "Dinner", "--on", "2026-11-01")  # 1
    run("log", "mixed", "Coffee", "--on", "2026-11-02", "--in")  # 2
    run("log", "client", "Invoice", "--on", "2026-11-03")  # 3
    run("log", "client", "Group", "--with", "friend", "--on", "2026-11-04")  # 4
    run("log", "friend", "Long ago", "--on", "2026-01-04")  # 5
    assert matched(reader, "close-exchange") == {1, 2, 4}


# --- counting ---------------------------------------------------------------------------


def test_explicit_and_inferred_never_double_count(run, reader, monkeypatch):
    run("add", "Big Friend", "--bigger", "--relationship", "personal", "--key", "opportunity")
    # Inferred for opportunity (first exchange), self-esteem and EI; explicit self-esteem.
    run("log", "big", "Dared to write", "--key", "self-esteem")
    run("idea", "add", "Explicit creativity", "--key", "creativity", "--key", "action-plan")
    run("idea", "step", "1", "s")
    run("idea", "add", "Inferred creativity")
    items = key_items(reader(), PERIOD)
    for key in KEY_SLUGS:
        for entity in ("contact", "interaction", "idea", "followup"):
            assert not items.explicit[key][entity] & items.inferred[key][entity], (key, entity)
    assert items.explicit["opportunity"]["contact"] == {1}
    assert items.inferred["opportunity"]["contact"] == set()  # new, but explicit already
    assert items.inferred["opportunity"]["interaction"] == {1}
    assert items.explicit["self-esteem"]["interaction"] == {1}
    assert items.inferred["self-esteem"]["interaction"] == set()
    assert items.explicit["creativity"]["idea"] == {1}
    assert items.inferred["creativity"]["idea"] == {2}
    assert items.explicit["action-plan"]["idea"] == {1}
    assert items.inferred["action-plan"]["idea"] == set()

    counts = {c.key: (c.explicit, c.inferred, c.total) for c in count_keys(reader(), PERIOD)}
    assert counts == {
        "creativity": (1, 1, 2),
        "action-plan": (1, 0, 1),
        "self-esteem": (1, 0, 1),
        "opportunity": (1, 1, 2),
        # The personal contact (new) and the exchange with them.
        "emotional-intelligence": (0, 2, 2),
    }


def test_an_item_matching_two_rules_of_a_key_counts_once(run, reader, monkeypatch):
    run("idea", "add", "One idea")
    run("idea", "step", "1", "s")
    twin = inference.Rule(
        slug="twin",
        key="creativity",
        entity="idea",
        explanation="The same items again.",
        sql=RULE["idea-with-plan"].sql,
    )
    monkeypatch.setattr(inference, "RULES", (*RULES, twin))
    counts = {c.key: c.total for c in count_keys(reader(), PERIOD)}
    assert counts["creativity"] == 1
    assert counts["action-plan"] == 1


def test_one_exchange_counts_for_several_keys(run, reader):
    # The first exchange with a new personal friend: one item, counted once
    # for opportunity and once for emotional intelligence.
    run("add", "Friend", "--relationship", "personal")
    run("log", "friend", "Hello")
    items = key_items(reader(), PERIOD)
    assert items.inferred["opportunity"]["interaction"] == {1}
    assert items.inferred["emotional-intelligence"]["interaction"] == {1}
    counts = {c.key: c.total for c in count_keys(reader(), PERIOD)}
    assert counts["emotional-intelligence"] == 2  # the contact and the exchange
    assert counts["opportunity"] == 2


def test_explicit_keys_count_only_in_the_period(run, reader, monkeypatch):
    at(monkeypatch, "2026-01-01")
    run("add", "Old", "--key", "emo")
    run("log", "old", "Old exchange", "--key", "opp")
    at(monkeypatch, "2026-11-27")
    counts = {c.key: (c.explicit, c.inferred) for c in count_keys(reader(), PERIOD)}
    assert counts["emotional-intelligence"] == (0, 0)
    assert counts["opportunity"] == (0, 0)


def test_inferred_keys_of_one_item(run, reader, today):
    run("add", "Big", "--bigger")
    run("idea", "add", "With a plan", "--with", "big")
    run("idea", "step", "1", "s")
    run("idea", "move", "1", "proposed")
    assert inference.inferred_keys_of(reader(), "idea", 1, today=today) == [
        "creativity",
        "action-plan",
        "self-esteem",
    ]
