"""One meaning of the label options of ``edit`` on every entity (issue 10):
``--tag``/``--key`` set the list, as on ``add``; ``--add-…``/``--remove-…``
change it. Tags compare with case and accents ignored everywhere (issue 12
point 6), and ``none`` (or "") clears every optional field (point 7)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import count_rows


def _contact(run) -> dict:
    return json.loads(run("show", "paul", "--json").stdout)


def _idea(run) -> dict:
    return json.loads(run("idea", "show", "1", "--json").stdout)


def _followup(run) -> dict:
    return json.loads(run("followups", "--json").stdout)[0]


# (setup, edit command prefix, read-back) for each entity with an ``edit``.
ENTITIES = {
    "contact": (
        [("add", "Paul Durand", "--tag", "old", "--key", "opp")],
        ("edit", "paul"),
        _contact,
    ),
    "idea": (
        [("idea", "add", "Podcast", "--tag", "old", "--key", "opp")],
        ("idea", "edit", "1"),
        _idea,
    ),
    "follow-up": (
        [("remind", "Call back", "--on", "2026-12-01", "--tag", "old", "--key", "opp")],
        ("followups", "edit", "f1"),
        _followup,
    ),
}


def _labels(run, entity: str, *args: str) -> tuple[list[str], list[str]]:
    setup, edit, read = ENTITIES[entity]
    for step in setup:
        run(*step)
    run(*edit, *args)
    record = read(run)
    return record["tags"], record["keys"]


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_tag_and_key_set_the_lists(run, entity):
    assert _labels(run, entity, "--tag", "x", "--tag", "y", "--key", "emo") == (
        ["x", "y"],
        ["emotional-intelligence"],
    )


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_add_and_remove_change_the_lists(run, entity):
    args = ("--add-tag", "x", "--remove-tag", "OLD", "--add-key", "emo", "--remove-key", "opp")
    assert _labels(run, entity, *args) == (["x"], ["emotional-intelligence"])


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_set_then_add_then_remove(run, entity):
    args = ("--tag", "a", "--tag", "b", "--add-tag", "c", "--remove-tag", "a")
    assert _labels(run, entity, *args) == (["b", "c"], ["opportunity"])


def test_idea_edit_keeps_untag_and_unkey_as_other_names(run):
    run("idea", "add", "Podcast", "--tag", "old", "--tag", "kept", "--key", "opp")
    run("idea", "edit", "1", "--untag", "old", "--unkey", "opp")
    assert (_idea(run)["tags"], _idea(run)["keys"]) == (["kept"], [])


# --- tags ignore case and accents ----------------------------------------------------


def test_a_tag_filter_ignores_accents_and_case(run):
    run("add", "Paul Durand")
    run("add", "Léa Martin")
    run("tag", "paul", "Vélo")
    for typed in ("velo", "VELO", "vélo", "Vélo"):
        listed = json.loads(run("list", "--tag", typed, "--json").stdout)
        assert [r["name"] for r in listed] == ["Paul Durand"], typed


def test_untag_ignores_accents_and_case(run):
    run("add", "Paul Durand")
    run("tag", "paul", "Vélo", "lyon")
    result = run("untag", "paul", "velo")
    assert result.stderr == "Untagged #1 Paul Durand: velo.\n"
    assert _contact(run)["tags"] == ["lyon"]


def test_the_first_spelling_is_kept_and_variants_are_one_tag(run, db_file):
    run("add", "Paul Durand")
    run("add", "Léa Martin")
    run("tag", "paul", "Vélo", "velo", "VÉLO")
    run("tag", "lea", "velo")
    run("edit", "lea", "--add-tag", "Velo")
    assert _contact(run)["tags"] == ["vélo"]
    assert json.loads(run("show", "lea", "--json").stdout)["tags"] == ["vélo"]
    assert count_rows(db_file)["tag"] == 1


def test_removing_a_tag_spelt_differently_from_an_idea(run):
    run("idea", "add", "Podcast", "--tag", "Été")
    run("idea", "edit", "1", "--remove-tag", "ete")
    assert _idea(run)["tags"] == []


# --- none clears every optional field --------------------------------------------------


@pytest.mark.parametrize("word", ["none", "NONE", "", "-"])
def test_none_clears_the_text_fields_of_a_contact(run, word):
    run(
        "add",
        "Paul Durand",
        "--company",
        "ACME",
        "--role",
        "CTO",
        "--location",
        "Lyon",
        "--note",
        "Met at the fair",
        "--met-via",
        "event",
        "--warmth",
        "3",
        "--every",
        "30d",
    )
    args = ["--company", "--role", "--location", "--note", "--met-via", "--warmth", "--every"]
    run("edit", "paul", *[x for flag in args for x in (flag, word)])
    record = _contact(run)
    for field in ("company", "role", "location", "notes", "met_via", "warmth", "every"):
        assert record[field] is None, field


def test_none_clears_an_ideas_notes_and_effort(run):
    run("idea", "add", "Podcast", "--note", "Ask Léa", "--effort", "2h")
    run("idea", "edit", "1", "--note", "none", "--effort", "none")
    idea = _idea(run)
    assert (idea["notes"], idea["effort_hours"]) == (None, None)


def test_a_name_is_not_optional(run, db_file):
    run("add", "Paul Durand")
    before = count_rows(db_file)
    result = run("edit", "paul", "--name", "", code=2)
    assert result.stderr == "Error: a contact needs a name\n"
    assert count_rows(db_file) == before
