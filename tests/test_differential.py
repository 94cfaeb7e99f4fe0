"""The readers agree (issue 6): every read query of the domain returns the
same rows, in the same order, through ``SqliteReader`` (stdlib ``sqlite3``, the
fast path) and ``SqlAlchemyReader`` (SQLAlchemy ``text()``, the path of other
database URLs and of write transactions) — and, on the ``postgresql`` engine
(issue 13), through ``SqliteReader`` on the file and ``PsycopgReader`` on a
copy of it on the server (``netcrm db copy``): both engines, same rows. Search
ranks are the engines' own numbers (bm25 against ts_rank), so across engines
the hits and their order are compared, not the rank values.

The networks come from the benchmark's generator (``bench/generate.py``) at
small sizes and two seeds: accented names, shared interactions, archived
contacts, recurring and done follow-ups, ideas with plans. What this catches:
SQL that one driver binds differently (a ``:word`` inside a string literal is a
parameter to SQLAlchemy, not to sqlite3), values that come back in another
type or shape, an order that is not fully specified.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.generate import BENCH_WHO, generate
from netcrm.errors import NetcrmError
from netcrm.store.location import resolve_location
from netcrm.store.reader import Reader, SqlAlchemyReader, open_sqlite_reader
from tests.conftest import TODAY

pytestmark = pytest.mark.both_engines

Pair = tuple[Reader, Reader]


@pytest.fixture(scope="module", params=[(80, 1), (400, 2)], ids=["80-contacts", "400-contacts"])
def network(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    size, seed = request.param
    path = tmp_path_factory.mktemp("differential") / f"net-{size}.db"
    generate(path, size, seed=seed, today=TODAY)
    return path


@pytest.fixture(scope="module")
def pg_network(request: pytest.FixtureRequest, network: Path) -> str:
    """The network copied onto the server, once per module and network."""
    from netcrm.store.copy import copy_database
    from netcrm.store.engine import dispose_engines
    from tests import pg

    url = pg.empty_database(request)
    copy_database(resolve_location(str(network)), resolve_location(url))
    dispose_engines()
    return url


@pytest.fixture
def readers(network: Path, engine: str, request: pytest.FixtureRequest) -> Iterator[Pair]:
    from sqlalchemy import create_engine

    fast = open_sqlite_reader(str(network))
    if engine == "postgresql":
        from netcrm.store.pg import open_pg_reader

        server = open_pg_reader(resolve_location(request.getfixturevalue("pg_network")))
        try:
            yield fast, server
        finally:
            fast.close()
            server.close()
        return
    # A plain engine on the same file: the reference path, without netcrm's
    # write-lock hook (these are reads).
    engine = create_engine(resolve_location(str(network)).url)
    reference = SqlAlchemyReader(engine)
    assert fast.dialect == reference.dialect == "sqlite"
    try:
        yield fast, reference
    finally:
        fast.close()
        engine.dispose()


def plain(value: Any) -> Any:
    """Dataclasses as dicts, so a difference shows field by field."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def same(readers: Pair, call: Callable[[Reader], Any]) -> Any:
    """Run ``call`` on both readers; the results (or errors) must be equal."""
    outcomes: list[tuple[Any, ...]] = []
    for reader in readers:
        try:
            outcomes.append(("ok", plain(call(reader))))
        except NetcrmError as exc:
            outcomes.append((type(exc).__name__, exc.message, exc.details))
    fast, reference = outcomes
    assert fast == reference
    return fast[1] if fast[0] == "ok" else None


def sample_ids(network: Path, sql: str, n: int = 12) -> list[int]:
    conn = sqlite3.connect(network)
    try:
        ids = [r[0] for r in conn.execute(sql)]
    finally:
        conn.close()
    step = max(1, len(ids) // n)
    return ids[::step][:n]


def emails(network: Path) -> list[str]:
    conn = sqlite3.connect(network)
    try:
        return [
            r[0] for r in conn.execute("SELECT value FROM channel WHERE kind = 'email' LIMIT 5")
        ]
    finally:
        conn.close()


# --- WHO and completion --------------------------------------------------------------------


def test_who_candidates(readers, network):
    from netcrm.domain.who import complete_names, find_candidates, resolve_who

    texts = [
        "1",
        "#2",
        "999999",
        BENCH_WHO,
        "séverine",
        "QUÉMÉ",
        "lea",
        "Léa",
        "martin",
        "élodie m",
        "zzz",
        "jérôme",
        "de la",
        *emails(network),
    ]
    for text in texts:
        rows = same(readers, lambda r, t=text: find_candidates(r, t))
        assert rows is not None
        same(readers, lambda r, t=text: resolve_who(r, t))
        same(readers, lambda r, t=text: complete_names(r, t))
    assert same(readers, lambda r: resolve_who(r, BENCH_WHO)) is not None


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, kwargs",
    [
        ("webinar", {}),
        ("relancer podcast", {}),
        ("theriault", {"types": ["contact"]}),
        ("lyon", {"limit": 5}),
        ("élo", {}),
        ("brief", {"types": ["idea", "followup"]}),
        ("orange.fr", {}),
        ("fait", {"types": ["followup"]}),
    ],
)
def test_search(readers, text, kwargs):
    from netcrm.domain.search import search

    if readers[0].dialect == readers[1].dialect:
        same(readers, lambda r: search(r, text, **kwargs))
        same(readers, lambda r: search(r, text, marks=("[", "]"), **kwargs))
        return
    # Across engines: every hit (no limit), each with the same title, names,
    # date and snippet; the order of close calls is each engine's ranking's.
    every = {k: v for k, v in kwargs.items() if k != "limit"}

    def hits(reader: Reader) -> list[dict[str, Any]]:
        found = search(reader, text, limit=100_000, marks=("[", "]"), **every)
        unranked = [{k: v for k, v in hit.items() if k != "rank"} for hit in found]
        return sorted(unranked, key=lambda h: (h["type"], h["id"]))

    assert same(readers, hits) is not None


# --- contacts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"sort": "last-contact"},
        {"sort": "added", "limit": 50},
        {"archived": None},
        {"archived": True},
        {"tag": "podcast"},
        {"key": "opportunity"},
        {"met_via": "linkedin", "limit": 10},
        {"company": "atelier"},
    ],
    ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()) or "all",
)
def test_contact_records(readers, kwargs):
    from netcrm.domain.contact_views import contact_records

    rows = same(readers, lambda r: contact_records(r, **kwargs))
    assert rows is not None


def test_contact_cards(readers, network):
    from netcrm.domain.contact_views import (
        contact_card,
        contact_footprint,
        contact_record,
        last_interactions,
    )

    for cid in sample_ids(network, "SELECT id FROM contact ORDER BY id"):
        same(readers, lambda r, c=cid: contact_card(r, c, today=TODAY))
        same(readers, lambda r, c=cid: contact_record(r, c))
        same(readers, lambda r, c=cid: contact_footprint(r, c))
        same(readers, lambda r, c=cid: last_interactions(r, c, limit=5))


# --- due, follow-ups, ideas ----------------------------------------------------------------------


@pytest.mark.parametrize("within", [0, 7, 60])
def test_due_items(readers, within):
    from netcrm.domain.due import anything_due, due_items, with_channels

    items = same(readers, lambda r: due_items(r, today=TODAY, within_days=within))
    assert items is not None
    same(readers, lambda r: with_channels(r, due_items(r, today=TODAY, within_days=within)))
    same(readers, lambda r: anything_due(r, today=TODAY))
    for day in (date(2026, 1, 1), date(2027, 2, 28)):
        same(readers, lambda r, d=day: due_items(r, today=d, within_days=within))


def test_due_handles(readers):
    from netcrm.domain.due import due_items, resolve_handle

    handles = [
        item["handle"]
        for item in same(readers, lambda r: due_items(r, today=TODAY, within_days=30))
    ]
    for handle in [*handles[:20], "f999999", "k1", "b1", "s1"]:
        same(readers, lambda r, h=handle: resolve_handle(r, h, today=TODAY))


def test_followups(readers, network):
    from netcrm.domain.followups import followup_record, followup_rows, followups_of_contact

    same(readers, lambda r: followup_rows(r, today=TODAY))
    same(readers, lambda r: followup_rows(r, today=TODAY, include_done=True))
    for fid in sample_ids(network, "SELECT id FROM followup ORDER BY id"):
        same(readers, lambda r, f=fid: followup_record(r, f, today=TODAY))
    for cid in sample_ids(network, "SELECT DISTINCT contact_id FROM followup ORDER BY 1"):
        same(readers, lambda r, c=cid: followups_of_contact(r, c, today=TODAY))


def test_ideas(readers, network):
    from netcrm.domain.idea_views import idea_card, idea_records, ideas_of_contact

    same(readers, lambda r: idea_records(r, today=TODAY))
    same(readers, lambda r: idea_records(r, status="open", today=TODAY))
    same(readers, lambda r: idea_records(r, kind="podcast", today=TODAY))
    for iid in sample_ids(network, "SELECT id FROM idea ORDER BY id"):
        same(readers, lambda r, i=iid: idea_card(r, i, today=TODAY))
    for cid in sample_ids(network, "SELECT contact_id FROM idea_contact ORDER BY 1"):
        same(readers, lambda r, c=cid: ideas_of_contact(r, c))


# --- reports and exports --------------------------------------------------------------------------


@pytest.mark.parametrize("since", [date(2026, 8, 29), date(2020, 1, 1)])
def test_reports(readers, since):
    from netcrm.domain.activity import activity_report
    from netcrm.domain.reports import ideas_report, keys_report, network_report

    same(readers, lambda r: keys_report(r, today=TODAY, since=since))
    same(readers, lambda r: network_report(r, today=TODAY, since=since))
    same(readers, lambda r: ideas_report(r, today=TODAY, since=since))
    same(readers, lambda r: activity_report(r, today=TODAY, since=since))


def test_export_rows(readers):
    from netcrm.domain import exporting

    same(readers, exporting.contact_rows)
    same(readers, exporting.interaction_rows)
    same(readers, exporting.idea_rows)
    same(readers, exporting.followup_rows)
    same(readers, lambda r: exporting.followup_rows(r, with_idea_title=True))
    same(readers, exporting.calendar_steps)
