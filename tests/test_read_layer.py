"""The read layer's plumbing (ids in slices, IN lists, child rows grouped by
parent) on both readers, across a slice boundary."""

from __future__ import annotations

import pytest

from netcrm.store.query import CHUNK, chunks, grouped, in_clause, rows_for


def test_in_clause_names_every_value():
    assert in_clause([4, 5]) == (":id0, :id1", {"id0": 4, "id1": 5})
    assert in_clause(("a",), "st") == (":st0", {"st0": "a"})


def test_chunks_cut_at_the_limit():
    sizes = [len(part) for part in chunks(list(range(2 * CHUNK + 1)))]
    assert sizes == [CHUNK, CHUNK, 1]
    assert list(chunks([])) == []


@pytest.fixture
def readers(run):
    from netcrm.store.engine import ensure_schema, write_session
    from netcrm.store.location import resolve_location
    from netcrm.store.reader import SqlAlchemyReader, open_sqlite_reader

    run("add", "Léa Martin", "--email", "lea@ex.fr", "--phone", "0612345678")
    run("add", "Paul Durand", "--email", "paul@ex.fr")
    loc = resolve_location(None)
    with write_session(loc) as session:
        from sqlalchemy import text

        session.connection().execute(
            text(
                "INSERT INTO channel (contact_id, kind, value, value_norm, position) VALUES "
                + ", ".join(f"(2, 'other', 'h{i}', 'h{i}', {i + 1})" for i in range(CHUNK + 3))
            )
        )
    engine = ensure_schema(loc)
    fast = open_sqlite_reader(str(loc.path))
    try:
        yield fast, SqlAlchemyReader(engine)
    finally:
        fast.close()


def test_grouped_keeps_every_parent_and_the_query_order(readers):
    sql = (
        "SELECT contact_id, value FROM channel WHERE contact_id IN ({ids}) "
        "ORDER BY contact_id, position, id"
    )
    ids = [3, 1, 2, *range(10, 10 + CHUNK)]  # more parents than one slice holds
    for reader in readers:
        found = grouped(reader, sql, ids, by="contact_id")
        assert list(found) == ids
        assert [r["value"] for r in found[1]] == ["lea@ex.fr", "0612345678"]
        assert [r["value"] for r in found[2]][:3] == ["paul@ex.fr", "h0", "h1"]
        assert len(found[2]) == CHUNK + 4
        assert found[3] == [] and found[10] == []


def test_rows_for_runs_every_slice_with_the_other_parameters(readers):
    sql = "SELECT id FROM contact WHERE id IN ({ids}) AND name <> :name ORDER BY id"
    ids = [*range(100, 100 + 2 * CHUNK), 1, 2]
    for reader in readers:
        assert [r["id"] for r in rows_for(reader, sql, ids, {"name": "Paul Durand"})] == [1]
