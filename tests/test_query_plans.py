"""Every query of the daily read commands is an index lookup (issue 6).

Rather than copying SQL out of the domain modules, the test records every
statement the read path really runs — ``SqliteReader.rows`` is wrapped — while
the real commands (``due``, ``due --check``, ``show``, ``search``, WHO
resolution, completion) run on a generated network, then asks SQLite for the
plan of each with the same parameters. A full ``SCAN`` of a table that grows
with the network (contacts, their channels, interactions and their links,
follow-ups) fails, naming the statement. New queries in those commands are
checked without touching this file.

The database has no ``sqlite_stat1`` (netcrm never runs ANALYZE), as a user's
does not: plans are what SQLite picks without statistics.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.generate import BENCH_WHO, generate
from netcrm.store.reader import SqliteReader

# Tables whose size follows the network's; a scan of one is O(network).
BIG_TABLES = ("contact", "channel", "interaction", "interaction_contact", "followup")
_SCAN = re.compile(r"^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?")
_ALIAS = re.compile(
    r"\b(?:FROM|JOIN)\s+(" + "|".join(BIG_TABLES) + r")\b(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|JOIN\b"
    r"|LEFT\b|INNER\b|ORDER\b|GROUP\b|LIMIT\b|USING\b)(\w+))?",
    re.IGNORECASE,
)

Statement = tuple[str, dict[str, Any]]


@pytest.fixture
def network_db(db_file: Path) -> Path:
    generate(db_file, 400, seed=11)
    return db_file


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Statement]]:
    statements: list[Statement] = []
    original = SqliteReader.rows

    def rows(self: SqliteReader, sql: str, params: Any = None) -> list[dict[str, Any]]:
        statements.append((sql, dict(params or {})))
        return original(self, sql, params)

    monkeypatch.setattr(SqliteReader, "rows", rows)
    yield statements


def big_table_names(sql: str) -> dict[str, str]:
    """Names (tables and their aliases) under which a big table is read."""
    names: dict[str, str] = {}
    for table, alias in _ALIAS.findall(sql):
        names[table.lower()] = table.lower()
        if alias:
            names[alias.lower()] = table.lower()
    return names


def full_scans(db: Path, statement: Statement) -> list[str]:
    sql, params = statement
    conn = sqlite3.connect(db)
    try:
        plan = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    finally:
        conn.close()
    names = big_table_names(sql)
    scans = []
    for _id, _parent, _unused, detail in plan:
        match = _SCAN.match(detail)
        if match and match.group(1).lower() in names:
            scans.append(f"{detail}  (table {names[match.group(1).lower()]})")
    return scans


def check_plans(db: Path, statements: list[Statement]) -> None:
    assert statements, "the command ran no read query: is it on the read path?"
    problems = []
    for statement in statements:
        for scan in full_scans(db, statement):
            problems.append(f"{scan}\n    in: {' '.join(statement[0].split())}")
    assert not problems, "full scans of big tables:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "args",
    [
        ("due",),
        ("due", "--check"),
        ("due", "--within", "30d"),
        ("show", BENCH_WHO),
        ("search", "theriault"),
        ("search", "webinar", "--type", "interaction"),
        ("search", "relancer podcast"),
    ],
    ids=lambda a: " ".join(a),
)
def test_read_commands_use_indexes(run, network_db, recorded, args):
    result = run(*args, code=None)
    assert result.exit_code in (0, 1), result.stderr
    check_plans(network_db, recorded)


@pytest.mark.parametrize(
    "who",
    ["5", "#5", "Séverine", "quémé", BENCH_WHO.upper(), "nobody@example.org", "zz"],
)
def test_who_resolution_uses_indexes(network_db, recorded, who):
    from netcrm.domain.who import find_candidates
    from netcrm.store.location import resolve_location
    from netcrm.store.reader import open_reader

    reader = open_reader(resolve_location(str(network_db)))
    try:
        find_candidates(reader, who)
    finally:
        reader.close()
    check_plans(network_db, recorded)


def test_completion_uses_indexes(network_db, recorded):
    from netcrm.domain.who import complete_names
    from netcrm.store.location import resolve_location
    from netcrm.store.reader import open_reader

    reader = open_reader(resolve_location(str(network_db)))
    try:
        assert BENCH_WHO in [name for name, _help in complete_names(reader, "Séve")]
    finally:
        reader.close()
    check_plans(network_db, recorded)


def test_the_checker_catches_a_scan(network_db):
    """The test above would fail on a query that reads every contact."""
    scans = full_scans(
        network_db, ("SELECT c.id FROM contact c WHERE lower(c.name) = :n", {"n": "x"})
    )
    assert scans == ["SCAN c  (table contact)"]
    assert (
        full_scans(
            network_db,
            (
                "SELECT id FROM interaction i JOIN interaction_contact ic "
                "ON ic.interaction_id = i.id WHERE ic.contact_id = :c",
                {"c": 1},
            ),
        )
        == []
    )
