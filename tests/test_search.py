"""``netcrm search`` and the FTS5 index behind it (issue 6): accents, ranking,
each type, prefixes, query syntax in user text, and the triggers that keep the
index exact through every write — including deletes and raw SQL."""

from __future__ import annotations

import importlib
import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcrm.domain.search import (
    SPAN,
    check_types,
    fts_query,
    make_snippet,
    search,
    search_terms,
)
from netcrm.errors import InvalidInput
from netcrm.store.location import resolve_location
from netcrm.store.reader import open_reader
from tests.conftest import count_rows

pytestmark = pytest.mark.both_engines

MIGRATION = importlib.import_module("netcrm.store.migrations.versions.0003_search")


def hits(run: Any, *args: str) -> list[dict[str, Any]]:
    return json.loads(run("search", *args, "--json").stdout)


def found(run: Any, *args: str) -> list[tuple[str, int]]:
    return [(h["type"], h["id"]) for h in hits(run, *args)]


def index_rows(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT rowid, title, detail, body FROM search_index ORDER BY rowid"
        ).fetchall()
    finally:
        conn.close()


def rebuilt_rows(db: Path) -> list[tuple[Any, ...]]:
    """What the index would hold if built from scratch now (the migration's fill)."""
    conn = sqlite3.connect(db)
    try:
        rows: list[tuple[Any, ...]] = []
        for entry in MIGRATION.ENTRIES.values():
            rows += conn.execute(entry).fetchall()
        return sorted(rows)
    finally:
        conn.close()


def assert_index_exact(db: Path) -> None:
    assert index_rows(db) == rebuilt_rows(db)


@pytest.fixture
def network(run: Any) -> None:
    run(
        "add",
        "Élodie Dupré",
        "--email",
        "elodie@atelier.fr",
        "--company",
        "Atelier Nord",
        "--phone",
        "+33 6 12 34 56 78",
        "--note",
        "Écrit une newsletter sur le podcast",
    )
    run("add", "Léa Martin", "--email", "lea@ex.fr", "--role", "podcasteuse", "--location", "Lyon")
    run("add", "Martin Garnier", "--company", "Studio Martin")
    run(
        "log",
        "lea",
        "Call about a joint webinar",
        "--via",
        "call",
        "--on",
        "2026-11-20",
        "--with",
        "elodie",
    )
    run("remind", "lea", "Send the webinar outline", "--on", "2026-12-04")
    run(
        "idea",
        "add",
        "Interview Élodie for the blog",
        "--kind",
        "interview",
        "--with",
        "elodie",
        "--note",
        "Questions about her newsletter",
    )


# --- accents, case, prefixes -----------------------------------------------------------


@pytest.mark.parametrize("text", ["elodie", "ÉLODIE", "Élodie", "elo", "dupre", "DUPRÉ"])
def test_accents_and_case_do_not_matter(run, network, text):
    assert ("contact", 1) in found(run, text, "--type", "contact")


def test_prefix_only_on_the_last_word(run, network):
    assert sorted(found(run, "webi")) == [("followup", 1), ("interaction", 1)]
    assert found(run, "outline webi") == [("followup", 1)]
    # "webi" is not the last word here, so it must be a whole word.
    assert found(run, "webi outline") == []


def test_several_words_must_all_match(run, network):
    assert found(run, "joint webinar") == [("interaction", 1)]
    assert found(run, "joint newsletter") == []


def test_channels_are_searchable(run, network):
    assert found(run, "elodie@atelier.fr") == [("contact", 1)]
    # A phone number also answers in its digits-only form.
    assert found(run, "33612345678") == [("contact", 1)]
    assert found(run, "12 34 56") == [("contact", 1)]


# --- each type, and what a result says -------------------------------------------------------


def test_each_type_and_its_fields(run, network):
    rows = hits(run, "newsletter")
    assert sorted((r["type"], r["id"]) for r in rows) == [("contact", 1), ("idea", 1)]
    contact, idea = sorted(rows, key=lambda r: r["type"])
    assert contact["title"] == "Élodie Dupré"
    assert contact["contact"] is None
    assert contact["snippet"] == "Écrit une newsletter sur le podcast"
    assert idea["title"] == "Interview Élodie for the blog"
    assert idea["contact"] == "Élodie Dupré"
    assert idea["snippet"] == "Questions about her newsletter"

    (interaction,) = hits(run, "joint")
    assert interaction == {
        "type": "interaction",
        "id": 1,
        "title": "Call about a joint webinar",
        "contact": "Élodie Dupré, Léa Martin",
        "date": "2026-11-20",
        "snippet": "Call about a joint webinar",
        "rank": interaction["rank"],
    }
    (followup,) = hits(run, "outline")
    assert followup["contact"] == "Léa Martin"
    assert followup["date"] == "2026-12-04"
    assert followup["title"] == "Send the webinar outline"


def test_type_filter(run, network):
    assert found(run, "webinar", "--type", "followup") == [("followup", 1)]
    assert sorted(found(run, "webinar", "--type", "interaction", "--type", "followups")) == [
        ("followup", 1),
        ("interaction", 1),
    ]
    assert found(run, "elodie", "--type", "idea") == [("idea", 1)]


def test_unknown_type_is_bad_input(run, network, db_file):
    before = count_rows(db_file)
    result = run("search", "lea", "--type", "people-i-like", code=2)
    assert result.stderr.splitlines()[0].startswith("Error: unknown type 'people-i-like'")
    assert count_rows(db_file) == before


def test_limit(run, network):
    assert len(hits(run, "e", "--limit", "2")) == 2
    result = run("search", "lea", "--limit", "0", code=2)
    assert result.stderr == "Error: --limit must be at least 1, not 0\n"


def test_idea_steps_are_searchable(run, network):
    run("idea", "step", "1", "Draft three questions", "--due", "2026-12-01")
    assert found(run, "questions", "--type", "idea") == [("idea", 1)]
    assert found(run, "draft") == [("idea", 1)]


# --- ranking ------------------------------------------------------------------------------


def test_name_outranks_company_outranks_notes(run):
    run("add", "Camille Noël", "--note", "Présentée par Bernard à Lyon")
    run("add", "Hugo Petit", "--company", "Bernard & Fils")
    run("add", "Paul Bernard")
    assert found(run, "bernard") == [("contact", 3), ("contact", 2), ("contact", 1)]


def test_more_occurrences_rank_higher(run):
    run("add", "Zoé Roux")
    run("log", "zoe", "Podcast about the festival line-up and the tickets")
    run("log", "zoe", "Podcast, podcast: the podcast pilot")
    assert [i for _, i in found(run, "podcast", "--type", "interaction")] == [2, 1]


def test_a_common_word_ranks_the_newest_matches_of_each_kind(run, monkeypatch):
    """Past WINDOW matches of one kind, only its newest are ranked, and each
    kind gets its own window (a flood of interactions cannot hide a contact)."""
    from netcrm.domain import search as search_module

    monkeypatch.setattr(search_module, "WINDOW", 3)
    run("add", "Kazoo Bernard")
    for n in range(1, 6):
        # The older the interaction, the better bm25 would rank it (more "kazoo").
        run("log", "kazoo", "kazoo " * (6 - n) + f"session {n}", "--on", f"2026-11-0{n}")
    ranked = found(run, "kazoo")
    assert sorted(ranked) == [
        ("contact", 1),
        ("interaction", 3),
        ("interaction", 4),
        ("interaction", 5),
    ]
    assert [i for kind, i in ranked if kind == "interaction"] == [3, 4, 5]
    monkeypatch.setattr(search_module, "WINDOW", 1000)
    assert found(run, "kazoo", "--type", "interaction") == [
        ("interaction", n) for n in (1, 2, 3, 4, 5)
    ]


# --- the table view -------------------------------------------------------------------------


def test_table_is_grouped_by_type(run, network):
    out = run("search", "webinar").stdout
    assert out.splitlines() == [
        "Interactions (1)",
        "",
        "   #   Date         With                       Match",
        " ─────────────────────────────────────────────────────────────────────────",
        "  #1   2026-11-20   Élodie Dupré, Léa Martin   Call about a joint webinar",
        "",
        "Follow-ups (1)",
        "",
        "  Handle   Due          Contact      Match",
        " ─────────────────────────────────────────────────────────────",
        "  f1       2026-12-04   Léa Martin   Send the webinar outline",
        "",
    ]


def test_nothing_found_is_a_message_not_an_error(run, network):
    result = run("search", "xylophone")
    assert result.stdout == ""
    assert result.stderr == "Nothing matches 'xylophone'.\n"
    assert run("search", "xylophone", "--json").stdout == "[]\n"
    assert run("search", "xylophone", "--csv").stdout == "type,id,title,contact,date,snippet,rank\n"


def test_csv_rows(run, network):
    lines = run("search", "outline", "--csv").stdout.splitlines()
    assert lines[0] == "type,id,title,contact,date,snippet,rank"
    assert lines[1].startswith(
        "followup,1,Send the webinar outline,Léa Martin,2026-12-04,Send the webinar outline,"
    )


# --- query syntax in user text ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"lea',
        'lea"',
        "lea*",
        "(lea",
        "lea)",
        "-lea",
        "+lea",
        "^lea",
        "title:lea",
        "lea:",
        "NEAR(lea",
        "lea AND",
        "OR lea",
        "NOT lea",
        "{lea}",
        "lea'",
        "l'ea",
        "lea;--",
    ],
)
def test_query_syntax_in_user_text_is_plain_text(run, network, text):
    result = run("search", "--json", "--", text)
    assert isinstance(json.loads(result.stdout), list)


def test_operators_are_words(run):
    run("add", "Anne Or")
    run("add", "Near Not")
    assert found(run, "or") == [("contact", 1)]
    assert found(run, "near not") == [("contact", 2)]


def test_no_word_at_all_is_bad_input(run, network):
    result = run("search", '"*()', code=2)
    assert result.stderr.startswith("Error: '\"*()' holds no word to search for")


def test_fts_query_quotes_every_term():
    assert fts_query(['l"ea', "AND", "mar"]) == '"l""ea" "AND" "mar"*'
    assert search_terms(' "  ( lea ) -- mar* ') == ["lea", "mar*"]


def test_any_text_is_a_safe_query():
    from netcrm.domain.contacts import ContactInput, create_contact
    from netcrm.store.engine import write_session

    loc = resolve_location(None)
    with write_session(loc) as session:
        create_contact(
            session,
            ContactInput(fields={"name": 'Léa "NEAR" Martin', "notes": "a*b (c) d:e"}),
            now=datetime(2026, 11, 27, 9, 0),
        )
    reader = open_reader(loc)
    assert reader.dialect in ("sqlite", "postgresql")  # the index, not the LIKE fallback

    @given(st.text(max_size=40))
    def safe(text: str) -> None:
        try:
            rows = search(reader, text, limit=5)
        except InvalidInput:
            assert not search_terms(text)
        else:
            assert len(rows) <= 5

    try:
        safe()
    finally:
        reader.close()


# --- the index follows every write -------------------------------------------------------------


@pytest.mark.sqlite_only  # reads the FTS5 table through sqlite3
def test_deleting_a_contact_removes_its_rows(run, network, db_file):
    run("log", "elodie", "Coffee in Lyon, talked about zines", "--on", "2026-11-21")
    run("remind", "elodie", "Send her the zine list")
    assert found(run, "zines") == [("interaction", 2)]
    run("rm", "elodie", "--yes")
    assert found(run, "elodie", "--type", "contact") == []
    assert found(run, "atelier") == []
    assert found(run, "zine") == []  # her own interaction and follow-up are gone
    # The shared interaction stays, now with Léa only.
    (shared,) = hits(run, "joint")
    assert shared["contact"] == "Léa Martin"
    assert_index_exact(db_file)
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute(
            "SELECT count(*) FROM search_index WHERE rowid = :r", {"r": SPAN + 1}
        ).fetchone() == (0,)
    finally:
        conn.close()


@pytest.mark.sqlite_only  # reads the FTS5 table through sqlite3
def test_edits_update_the_index(run, network, db_file):
    run("edit", "elodie", "--company", "Nouvelle Vague", "--add-email", "e.dupre@vague.fr")
    assert found(run, "vague") == [("contact", 1)]
    assert found(run, "nord") == []
    run("edit", "elodie", "--remove-channel", "e.dupre@vague.fr", "--name", "Élodie Marchand")
    assert found(run, "dupre") == []
    assert found(run, "marchand") == [("contact", 1)]
    assert found(run, "vague") == [("contact", 1)]  # still the company
    assert found(run, "e.dupre@vague.fr") == []
    run("edit", "elodie", "--note", "")
    assert found(run, "newsletter", "--type", "contact") == []
    assert_index_exact(db_file)


@pytest.mark.sqlite_only  # reads the FTS5 table through sqlite3
def test_interactions_followups_and_ideas_stay_in_step(run, network, db_file):
    from netcrm.domain.interactions import delete_interaction
    from netcrm.store.engine import write_session

    run("log", "lea", "Brainstorm on the kazoo contest", "--on", "2026-11-22")
    run("remind", "Pitch the kazoo contest to the radio")
    run("idea", "add", "Kazoo contest", "--kind", "contest")
    assert found(run, "kazoo") == [("idea", 2), ("interaction", 2), ("followup", 2)]
    assert_index_exact(db_file)

    with write_session(resolve_location(None)) as session:
        delete_interaction(session, 2)
    run("followups", "rm", "f2")
    run("idea", "rm", "2", "--yes")
    assert found(run, "kazoo") == []
    assert_index_exact(db_file)


@pytest.mark.sqlite_only  # reads the FTS5 table through sqlite3
def test_writes_outside_netcrm_are_indexed_too(run, network, db_file):
    conn = sqlite3.connect(db_file)
    try:
        with conn:
            conn.execute("UPDATE contact SET notes = 'Fan de marimba' WHERE id = 2")
            conn.execute("UPDATE channel SET value = 'lea@marimba.fr' WHERE contact_id = 2")
            conn.execute("UPDATE followup SET text = 'Send the marimba outline' WHERE id = 1")
    finally:
        conn.close()
    assert sorted(found(run, "marimba")) == [("contact", 2), ("followup", 1)]
    assert found(run, "lea@ex.fr") == []
    assert_index_exact(db_file)


@pytest.mark.sqlite_only  # reads the FTS5 table through sqlite3
def test_cache_writes_do_not_touch_the_index(run, network, db_file):
    """``log`` rewrites contact.last_contact; the UPDATE trigger is limited to
    indexed columns, so the entry keeps its rowid and content untouched."""
    before = index_rows(db_file)
    conn = sqlite3.connect(db_file)
    try:
        with conn:
            conn.execute("CREATE TEMP TABLE seen (n)")
            conn.execute(
                "CREATE TEMP TRIGGER count_writes AFTER UPDATE OF last_contact ON contact "
                "BEGIN INSERT INTO seen VALUES (1); END"
            )
            conn.execute("UPDATE contact SET last_contact = '2026-11-26', warmth = 3")
        assert conn.execute("SELECT count(*) FROM seen").fetchone() == (3,)
    finally:
        conn.close()
    assert index_rows(db_file) == before


def test_migration_indexes_existing_rows(tmp_path):
    """A database made before search (revision 0002) gets every row indexed
    when netcrm opens it."""
    from alembic import command
    from alembic.config import Config

    from netcrm.store.engine import dispose_engines, make_engine

    path = tmp_path / "old.db"
    loc = resolve_location(str(path))
    engine = make_engine(loc)
    with engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option(
            "script_location",
            str(Path(__file__).parent.parent / "netcrm" / "store" / "migrations"),
        )
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    dispose_engines()
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "INSERT INTO contact (id, name, name_norm, surname_norm, bigger, relationship, "
            "archived, created_at, updated_at) VALUES (1, 'Gaël Le Roux', 'gael le roux', "
            "'le roux', 0, 'business', 0, '2026-01-01 10:00:00.000000', "
            "'2026-01-01 10:00:00.000000')"
        )
        raw.execute(
            "INSERT INTO channel (contact_id, kind, value, value_norm, position) "
            "VALUES (1, 'email', 'gael@breizh.bzh', 'gael@breizh.bzh', 0)"
        )
        raw.execute(
            "INSERT INTO interaction (id, occurred_on, channel, direction, summary, created_at) "
            "VALUES (1, '2026-02-01', 'call', 'out', 'Appel au sujet du fest-noz', "
            "'2026-02-01 10:00:00.000000')"
        )
        raw.execute("INSERT INTO interaction_contact VALUES (1, 1)")
    raw.close()

    reader = open_reader(loc)
    try:
        assert [(r["type"], r["id"]) for r in search(reader, "gael")] == [("contact", 1)]
        assert [(r["type"], r["id"]) for r in search(reader, "breizh")] == [("contact", 1)]
        assert [(r["type"], r["id"]) for r in search(reader, "fest")] == [("interaction", 1)]
    finally:
        reader.close()
    assert_index_exact(path)


# --- the fallback for databases without FTS5 ----------------------------------------------------


class LikeOnlyReader:
    """Presents a SQLite database as a dialect without a search index (neither
    SQLite's FTS5 nor PostgreSQL's tsvector), to run the fallback SQL."""

    dialect = "mysql"

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def rows(self, sql: str, params: Any = None, types: Any = None) -> list[dict[str, Any]]:
        assert "search_index" not in sql
        return self._inner.rows(sql, params, types)

    def close(self) -> None:
        self._inner.close()


@pytest.mark.sqlite_only  # reads the FTS5 table through sqlite3
def test_fallback_search_without_fts(run, network):
    reader = LikeOnlyReader(open_reader(resolve_location(None)))
    try:

        def ids(text: str, **kw: Any) -> list[tuple[str, int]]:
            return [(r["type"], r["id"]) for r in search(reader, text, **kw)]

        # Names and channels are compared folded: accent-insensitive there too.
        assert ids("ELODIE", types=["contact"]) == [("contact", 1)]
        assert ids("elodie@atelier") == [("contact", 1)]
        # A title holding the words ranks first.
        assert ids("martin", types=["contact"]) == [("contact", 3), ("contact", 2)]
        assert ids("webinar") == [("interaction", 1), ("followup", 1)]
        assert ids("newsletter") == [("contact", 1), ("idea", 1)]
        # LIKE wildcards in user text are plain characters.
        assert ids("a%z") == []
        assert ids("lyo_") == []
        assert ids("lyo") == [("contact", 2)]
        (row,) = search(reader, "outline", marks=("[", "]"))
        assert row["snippet"] == "Send the webinar [outline]"
        assert row["contact"] == "Léa Martin"
    finally:
        reader.close()


def test_check_types():
    assert check_types(None) == ["contact", "interaction", "idea", "followup"]
    assert check_types(["Follow-ups", "contacts"]) == ["contact", "followup"]
    with pytest.raises(InvalidInput):
        check_types(["notes"])


# --- snippets ---------------------------------------------------------------------------------


def test_snippets_mark_the_matched_words(run, network):
    reader = open_reader(resolve_location(None))
    try:
        (row,) = search(reader, "elo", types=["contact"], marks=("[", "]"))
        assert row["snippet"] == "[Élodie] Dupré"
        (row,) = search(reader, "atelier 33612", types=["contact"], marks=("[", "]"))
        assert row["snippet"] == (
            "[Atelier] Nord elodie@[atelier].fr +33 6 12 34 56 78 +[33612345678]"
        )
    finally:
        reader.close()


def test_make_snippet_windows_and_rules():
    marks = ("<", ">")
    long = " ".join(f"w{i}" for i in range(30)) + " the Zoé zone"
    assert (
        make_snippet([long], ["zoe"], marks)
        == "…w21 w22 w23 w24 w25 w26 w27 w28 w29 the <Zoé> zone"
    )
    assert make_snippet([long], ["w3"], marks) == "w0 w1 w2 <w3> w4 w5 w6 w7 w8 w9 w10 w11…"
    # Only the last query word is a prefix; earlier ones must be whole words.
    assert make_snippet(["web webinar"], ["web", "webi"], marks) == "<web> <webinar>"
    assert make_snippet(["webinar"], ["webi", "x"], marks) == "webinar"
    # The first text that matches is the one shown.
    assert make_snippet(["Léa", None, "notes about kazoos"], ["kazoo"], marks) == (
        "notes about <kazoos>"
    )
    assert make_snippet(["tlier", "atelier"], ["tlie"], marks, anywhere=True) == "<tlier>"
    assert make_snippet([None, ""], ["x"], marks) == ""
