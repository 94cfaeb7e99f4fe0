"""The output layer: CSV cells, JSON rows, and the plain table used for large
listings."""

from __future__ import annotations

import json

from netcrm.io.csvcells import cell, neutralize, unneutralize
from netcrm.render import LARGE_TABLE, Column, Format, emit, plain_table, rows_to_json, to_csv


def test_plain_table_aligns_accents_and_wide_characters():
    rows = [
        {"id": 7, "name": "Élodie Marchand", "tags": ["podcast"]},
        {"id": 12, "name": "Zoë 🎙 Li", "tags": []},
    ]
    columns = [Column("id", "ID", justify="right"), Column("name", "Name"), Column("tags", "Tags")]
    assert plain_table(rows, columns, title="Contacts") == (
        "Contacts\n"
        " ID  Name             Tags\n"
        " ──  ───────────────  ───────\n"
        "  7  Élodie Marchand  podcast\n"
        " 12  Zoë 🎙 Li\n"
    )


def test_plain_table_cuts_long_cells_and_drops_markup():
    rows = [{"text": "x" * 100}, {"text": "[b]bold[/b]"}]
    lines = plain_table(rows, [Column("text", "Text")]).splitlines()
    assert lines[2] == " " + "x" * 39 + "…"
    assert lines[3] == " [b]bold[/b]"  # user text is shown as typed, not as markup


def test_large_listings_use_the_plain_table(capsys):
    rows = [{"id": i, "name": f"Contact {i}"} for i in range(LARGE_TABLE + 1)]
    emit(rows, [Column("id", "ID"), Column("name", "Name")], Format.table)
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "Name"]
    assert len(out) == LARGE_TABLE + 3


def test_json_rows_one_per_line_parse_back():
    rows = [{"name": "Léa", "tags": ["a", "b"], "n": None}, {"name": "Émile", "tags": [], "n": 2}]
    text = rows_to_json(rows)
    assert json.loads(text) == rows
    assert text.count("\n") == len(rows) + 1
    assert rows_to_json([]) == "[]"


def test_csv_neutralizes_formulas_but_not_numbers():
    assert cell("=SUM(A1)") == "'=SUM(A1)"
    assert cell("+33 6 12 34 56 78") == "'+33 6 12 34 56 78"
    assert cell("+33 6 12", raw=True) == "+33 6 12"
    assert cell(-2) == "-2"
    assert cell(["a", "=b"]) == "a; =b"  # joined first, then checked as one cell
    assert cell(None) == "" and cell(True) == "1"
    for text in ("=1+1", "@x", "-x", "'=already", "''-twice", "\tTab", "plain", "'quoted"):
        assert unneutralize(neutralize(text)) == text
    assert to_csv([{"a": "=x", "b": 3}], ["a", "b"]) == "a,b\n'=x,3\n"


def test_csv_quotes_a_bare_carriage_return():
    import csv
    import io

    text = to_csv([{"a": "line\rbreak", "b": "x"}], ["a", "b"], raw=True)
    assert text == 'a,b\n"line\rbreak","x"\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], ["line\rbreak", "x"]]
