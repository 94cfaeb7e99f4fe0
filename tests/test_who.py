"""WHO resolution (PRODUCT.md §4) and contact-name completion, on both readers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from netcrm.domain.who import complete_names, find_candidates, resolve_who
from netcrm.errors import Ambiguous, InvalidInput, NotFound
from tests.conftest import count_rows, refused


@pytest.fixture
def network(run) -> None:
    run("add", "Léa Martin", "--email", "lea@ex.fr", "--company", "ACME Studio")
    run("add", "Paul Durand", "--email", "paul@ex.fr")
    run("add", "Émilie Lefèvre", "--email", "emilie@ex.fr")
    run("add", "Leonard Cohen")
    run("add", "Old Friend", "--email", "old@ex.fr")
    run("edit", "old friend", "--archive")


@pytest.fixture(params=["sqlite3", "sqlalchemy"])
def reader(request, network) -> Iterator:
    """Both readers over the same database: the SQL must mean the same on each."""
    from netcrm.store.engine import ensure_schema
    from netcrm.store.location import resolve_location
    from netcrm.store.reader import SqlAlchemyReader, open_sqlite_reader

    loc = resolve_location(None)
    ensure_schema(loc)
    r = (
        open_sqlite_reader(str(loc.path))
        if request.param == "sqlite3"
        else SqlAlchemyReader(ensure_schema(loc))
    )
    yield r
    r.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("#2", 2),
        ("lea@ex.fr", 1),
        ("LEA@EX.FR", 1),
        ("  paul@ex.fr ", 2),
        ("Léa Martin", 1),
        ("lea martin", 1),
        ("LÉA MARTIN", 1),
        ("léa", 1),  # "lea" alone is a prefix of Léa and Leonard: see the ambiguous test
        ("MARTIN", 1),  # last-name prefix
        ("mart", 1),
        ("durand", 2),
        ("emilie", 3),  # accents left out
        ("lefevre", 3),
        ("LEFÈVRE", 3),
        ("leo", 4),
        ("old", 5),  # archived, but the only match
    ],
)
def test_resolve_who(reader, text, expected):
    assert resolve_who(reader, text) == expected


def test_accent_free_prefix_of_a_first_name(run):
    run("add", "Léa Martin")
    run("add", "Paul Durand")
    assert run("show", "lea", "--json").stdout.count('"name": "Léa Martin"') == 1


def test_ambiguous_lists_candidates_with_ids(reader):
    with pytest.raises(Ambiguous) as err:
        resolve_who(reader, "le")
    assert err.value.message == ("'le' matches 3 contacts; name one by its id or its full name")
    assert err.value.details == [
        "#3  Émilie Lefèvre",
        "#1  Léa Martin (ACME Studio)",
        "#4  Leonard Cohen",
    ]


def test_archived_contacts_answer_only_when_no_active_one_does(run, reader):
    run("add", "Old Timer")
    # "old" now matches an active and an archived contact: the active one wins.
    assert resolve_who(reader, "old") == 6
    run("edit", "6", "--archive")
    with pytest.raises(Ambiguous) as err:
        resolve_who(reader, "old")
    assert err.value.details == ["#5  Old Friend [archived]", "#6  Old Timer [archived]"]


def test_an_exact_name_beats_prefixes(run, reader):
    run("add", "Paul")
    # "paul" is the whole name of #6 and a prefix of #2 Paul Durand.
    assert resolve_who(reader, "paul") == 6
    assert resolve_who(reader, "paul d") == 2


def test_an_archived_exact_name_does_not_hide_an_active_prefix_match(run, reader):
    run("add", "Paul")
    run("edit", "6", "--archive")
    # "paul" is the whole name of archived #6, and a prefix of active #2.
    assert resolve_who(reader, "paul") == 2
    run("edit", "2", "--archive")
    # With no active match left, the exact name wins over the prefix.
    assert resolve_who(reader, "paul") == 6


def test_only_ascii_digits_are_ids(reader):
    with pytest.raises(NotFound):
        resolve_who(reader, "²")
    with pytest.raises(NotFound):
        resolve_who(reader, "#١")


def test_unknown_suggests_the_closest_names(reader):
    with pytest.raises(NotFound) as err:
        resolve_who(reader, "lea martn")
    assert err.value.message == "no contact matches 'lea martn'"
    assert err.value.details[0] == "did you mean:"
    assert err.value.details[1] == "#1  Léa Martin (ACME Studio)"


def test_unknown_email_falls_back_to_names_then_fails(reader):
    with pytest.raises(NotFound):
        resolve_who(reader, "nobody@ex.fr")


def test_unknown_id(reader):
    with pytest.raises(NotFound) as err:
        resolve_who(reader, "99")
    assert err.value.message == "no contact matches '99'"


def test_blank_who_is_bad_input(reader):
    with pytest.raises(InvalidInput):
        resolve_who(reader, "   ")


def test_empty_database_says_how_to_add(run):
    result = run("show", "lea", code=2)
    assert result.stderr.splitlines() == [
        "Error: no contact matches 'lea'",
        '  the database has no contacts yet; add one with: netcrm add "Léa Martin"',
    ]


def test_many_candidates_are_cut_at_ten(run, reader):
    for i in range(12):
        run("add", f"Marc Number{i:02d}")
    with pytest.raises(Ambiguous) as err:
        resolve_who(reader, "marc")
    assert len(err.value.details) == 11
    assert err.value.details[-1] == "… and 2 more"


def test_find_candidates_orders_by_folded_name(reader):
    names = [r["name"] for r in find_candidates(reader, "le")]
    assert names == ["Émilie Lefèvre", "Léa Martin", "Leonard Cohen"]


# --- through the CLI ------------------------------------------------------------------


def test_cli_ambiguous_is_exit_2_with_candidates_and_writes_nothing(run, network, db_file):
    before = count_rows(db_file)
    result = run("log", "le", "Coffee", code=2)
    assert result.stderr.splitlines() == [
        "Error: 'le' matches 3 contacts; name one by its id or its full name",
        "  #3  Émilie Lefèvre",
        "  #1  Léa Martin (ACME Studio)",
        "  #4  Leonard Cohen",
    ]
    assert result.stdout == ""
    assert count_rows(db_file) == before


def test_cli_unknown_is_exit_2_with_suggestions(run, network, db_file):
    refused(run, db_file, "tag", "paul durnd", "podcast", message="no contact matches 'paul durnd'")
    lines = run("tag", "paul durnd", "podcast", code=2).stderr.splitlines()
    assert lines[1:3] == ["  did you mean:", "  #2  Paul Durand"]


# --- completion --------------------------------------------------------------------------


def test_complete_names(reader):
    assert complete_names(reader, "le") == [
        ("Émilie Lefèvre", "#3"),
        ("Léa Martin", "ACME Studio"),
        ("Leonard Cohen", "#4"),
    ]
    assert complete_names(reader, "LÉ") == complete_names(reader, "le")
    assert complete_names(reader, "dur") == [("Paul Durand", "#2")]
    # Archived contacts are not offered.
    assert complete_names(reader, "old") == []
    assert [n for n, _ in complete_names(reader, "")] == [
        "Émilie Lefèvre",
        "Léa Martin",
        "Leonard Cohen",
        "Paul Durand",
    ]
    assert len(complete_names(reader, "", limit=2)) == 2


def _complete(shell: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "netcrm"],
        env={**os.environ, "_NETCRM_COMPLETE": f"complete_{shell}", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_bash_completion_offers_contact_names(network):
    offered = _complete("bash", COMP_WORDS="netcrm show le", COMP_CWORD="2").splitlines()
    # Case- and accent-free, first or last name; bash inserts a completion
    # verbatim, so the space is escaped to keep the name one argument.
    assert offered == ["Émilie\\ Lefèvre", "Léa\\ Martin", "Leonard\\ Cohen"]
    assert _complete("bash", COMP_WORDS="netcrm show mar", COMP_CWORD="2") == "Léa\\ Martin\n"
    # Every WHO argument and option completes, e.g. log --with.
    assert "Paul\\ Durand" in _complete(
        "bash", COMP_WORDS="netcrm log lea Coffee --with pa", COMP_CWORD="5"
    )


def test_zsh_completion_offers_contact_names_with_their_company(network):
    offered = _complete("zsh", _TYPER_COMPLETE_ARGS="netcrm show mart")
    assert '"Léa Martin":"ACME Studio"' in offered


# --- by any word of the name (issue 12) ---------------------------------------------------


@pytest.fixture
def particles(run) -> None:
    run("add", "Pierre-Yves Le Gall")
    run("add", "Léa Martin-Roux")
    run("add", "Jean de La Fontaine")
    run("add", "Sean D’Arcy")  # a typographic apostrophe
    run("add", "Yves Legrand")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("pierre yves", "Pierre-Yves Le Gall"),
        ("pierre-yves", "Pierre-Yves Le Gall"),
        ("le gall", "Pierre-Yves Le Gall"),
        ("gall", "Pierre-Yves Le Gall"),
        ("yves le g", "Pierre-Yves Le Gall"),
        ("p y l g", "Pierre-Yves Le Gall"),
        ("roux", "Léa Martin-Roux"),
        ("martin-roux", "Léa Martin-Roux"),
        ("MARTIN ROUX", "Léa Martin-Roux"),
        ("lea roux", None),  # not consecutive
        ("fontaine", "Jean de La Fontaine"),
        ("la fontaine", "Jean de La Fontaine"),
        ("de la font", "Jean de La Fontaine"),
        ("darcy", "Sean D’Arcy"),
        ("arcy", "Sean D’Arcy"),
        ("d'arcy", "Sean D’Arcy"),
        ("D’ARCY", "Sean D’Arcy"),
        ("sean d", "Sean D’Arcy"),
        ("legrand", "Yves Legrand"),
    ],
)
def test_who_by_any_word(run, particles, text, name):
    result = run("show", text, "--json", code=None)
    if name is None:
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: no contact matches {text!r}")
    else:
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["name"] == name


def test_who_by_a_word_shared_by_several_lists_them(run, particles, db_file):
    before = count_rows(db_file)
    result = run("log", "yves", "Coffee", code=2)
    assert result.stderr.splitlines() == [
        "Error: 'yves' matches 2 contacts; name one by its id or its full name",
        "  #1  Pierre-Yves Le Gall",
        "  #5  Yves Legrand",
    ]
    assert count_rows(db_file) == before
    # "le" starts a word of "Léa", "Le Gall" and "Legrand".
    assert "matches 3 contacts" in run("show", "le", code=2).stderr
    # The exact whole name still wins over a longer name holding it.
    run("add", "Léa Martin")
    assert json.loads(run("show", "lea martin", "--json").stdout)["id"] == 6


def test_who_follows_a_renamed_contact(run, particles):
    run("edit", "gall", "--name", "Pierre-Yves Kerouac")
    assert json.loads(run("show", "kerouac", "--json").stdout)["id"] == 1
    run("show", "gall", code=2)
    run("rm", "kerouac", "--yes")
    run("show", "pierre", code=2)


def test_who_finds_imported_contacts_by_any_word(run, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("name,emails\nAnne-Sophie de Villiers,as@ex.fr\n", encoding="utf-8")
    run("import", str(source))
    assert json.loads(run("show", "villiers", "--json").stdout)["name"] == (
        "Anne-Sophie de Villiers"
    )
    assert json.loads(run("show", "sophie de", "--json").stdout)["id"] == 1


def test_name_words_and_matching_rules():
    from netcrm.text import name_words, words_match

    assert name_words("Sean D’Arcy") == ["arcy", "d", "darcy", "sean"]
    assert name_words("Pierre-Yves  Le Gall") == ["gall", "le", "pierre", "yves"]
    assert name_words("Émile Œuvré") == ["emile", "oeuvre"]
    assert words_match("le gall", "Pierre-Yves Le Gall")
    assert words_match("o brien", "Liam O'Brien") and words_match("obrien", "Liam O'Brien")
    assert not words_match("gall le", "Pierre-Yves Le Gall")
    assert not words_match("", "Pierre-Yves Le Gall")


def test_a_name_without_words_is_still_found_whole(run):
    run("add", "-")  # punctuation only: nothing to index by word
    assert json.loads(run("show", "-", "--json").stdout)["id"] == 1
    run("show", "x", code=2)
