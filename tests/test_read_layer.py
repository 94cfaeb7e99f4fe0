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


# --- one value shape -------------------------------------------------------------------


def test_the_typed_columns_are_every_date_timestamp_and_flag_of_the_schema():
    """A column's name says its type in every table (the reader shapes by name)."""
    from sqlalchemy import Boolean, Date, DateTime
    from sqlmodel import SQLModel

    import netcrm.domain.models  # noqa: F401  (registers the tables)
    from netcrm.store.values import BOOL, COLUMN_TYPES, DATE, TIMESTAMP

    wanted = {Date: DATE, DateTime: TIMESTAMP, Boolean: BOOL}
    seen: dict[str, object] = {}
    for table in SQLModel.metadata.tables.values():
        for column in table.columns:
            kind = next((v for t, v in wanted.items() if isinstance(column.type, t)), None)
            if kind is None:
                assert column.name not in COLUMN_TYPES, f"{table.name}.{column.name}"
                continue
            assert COLUMN_TYPES.get(column.name) is kind, f"{table.name}.{column.name}"
            assert seen.setdefault(column.name, kind) is kind
    assert set(seen) == set(COLUMN_TYPES)


def test_both_readers_give_one_shape(readers):
    from datetime import date, datetime

    sql = (
        "SELECT id, met_on, last_contact, created_at, bigger, archived, name "
        "FROM contact ORDER BY id"
    )
    shapes = [reader.rows(sql) for reader in readers]
    assert shapes[0] == shapes[1]
    lea = shapes[0][0]
    assert type(lea["created_at"]) is datetime and lea["created_at"].microsecond == 0
    assert (lea["met_on"], lea["last_contact"]) == (None, None)
    assert (lea["bigger"], lea["archived"]) == (False, False)
    from netcrm.store.values import DATE

    renamed = [
        r.rows("SELECT created_at AS added FROM contact", types={"added": DATE}) for r in readers
    ]
    assert renamed[0] == renamed[1]
    assert isinstance(renamed[0][0]["added"], date)


def test_values_keep_none_and_read_every_driver_form():
    from datetime import date, datetime

    from netcrm.store.values import as_date, as_timestamp, shaper

    assert as_date("2026-02-28") == as_date(datetime(2026, 2, 28, 23, 59)) == date(2026, 2, 28)
    assert as_timestamp("2026-02-28 10:11:12.123456") == datetime(2026, 2, 28, 10, 11, 12)
    assert as_timestamp("2026-02-28T10:11:12") == datetime(2026, 2, 28, 10, 11, 12)
    assert as_timestamp(datetime(2026, 2, 28, 10, 11, 12, 999)) == datetime(2026, 2, 28, 10, 11, 12)
    shape = shaper(["due", "done_at", "from_done", "text"])
    assert shape(("2028-02-29", None, 1, "x")) == {
        "due": date(2028, 2, 29),
        "done_at": None,
        "from_done": True,
        "text": "x",
    }
