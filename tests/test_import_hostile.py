"""Hostile files: BOM, ';' separators, cp1252, quoted CRLF inside a cell, a
200,000-character cell, NUL bytes, ragged rows, duplicate headers, empty and
header-only files, garbage, missing files. Each either lands exactly as
shown, or is refused with exit 2 and one Error: line, writing nothing. A
hypothesis test feeds the readers arbitrary text and bytes: only NetcrmError
subclasses may escape."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from netcrm.errors import NetcrmError
from netcrm.io.records import Ignored, ImportRecord, RowError
from netcrm.io.sniff import decode, open_source
from tests.conftest import count_rows, refused

DATA = Path(__file__).parent / "data" / "import"
TODAY = date(2026, 11, 27)


def contacts(run) -> dict[str, dict]:
    rows = json.loads(run("export", "contacts", "--format", "json").stdout)
    return {r["name"]: r for r in rows}


def test_bom_and_semicolons(run):
    result = run("import", str(DATA / "semicolon-bom.csv"))
    assert result.stderr.startswith("Imported semicolon-bom.csv (netcrm CSV):\n  1 added")
    lea = contacts(run)["Léa Martin"]
    assert (lea["company"], lea["emails"], lea["phones"], lea["tags"]) == (
        "Studio Lumière, Lyon",
        ["lea@ex.fr"],
        ["+33 6 12 34 56 78"],
        ["podcast", "vidéo"],
    )


def test_cp1252_is_read_with_a_warning(run):
    result = run("import", str(DATA / "cp1252.csv"))
    assert result.stderr.startswith(
        "Warning: cp1252.csv: line 2 is not UTF-8; read as cp1252 (Windows). "
        "If accents look wrong there, give --encoding.\n"
    )
    helene = contacts(run)["Hélène Lefèvre"]
    assert (helene["company"], helene["role"]) == ("Crème & Café", "Gérante – fondatrice")


def test_forced_encoding(run, db_file):
    result = run("import", str(DATA / "cp1252.csv"), "--encoding", "cp1252")
    assert not result.stderr.startswith("Warning")
    assert "Hélène Lefèvre" in contacts(run)
    error = refused(
        run, db_file, "import", str(DATA / "cp1252.csv"), "--encoding", "utf-8", alone=True
    )
    assert error == "Error: cp1252.csv is not utf-8: bad bytes on line 2"
    error = refused(
        run, db_file, "import", str(DATA / "cp1252.csv"), "--encoding", "klingon", alone=True
    )
    assert error == "Error: unknown encoding 'klingon' (try utf-8 or cp1252)"


def test_only_the_lines_that_are_not_utf8_are_read_as_cp1252(run, tmp_path):
    """Issue 11: one Windows line must not garble a UTF-8 file ("LiÃ©vano")."""
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "name,company\nJuan Liévano,Café\n".encode()
        + "Hélène Lefèvre,Crème\n".encode("cp1252")
        + b"Ana \x81 Lopes,ACME\n"
        + "Zoé Leroy,Société\n".encode()
    )
    result = run("import", str(path))
    assert result.stderr.startswith(
        "Warning: mixed.csv: lines 3, 4 are not UTF-8; read as cp1252 (Windows). "
    )
    assert sorted(contacts(run)) == [
        "Ana \x81 Lopes",
        "Hélène Lefèvre",
        "Juan Liévano",
        "Zoé Leroy",
    ]
    assert contacts(run)["Zoé Leroy"]["company"] == "Société"


def test_utf16_with_its_mark(run, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("name,emails\nZoé Leroy,zoe@leroy.example\n".encode("utf-16"))
    run("import", str(path))
    assert contacts(run)["Zoé Leroy"]["emails"] == ["zoe@leroy.example"]


def test_quoted_crlf_inside_a_cell(run):
    result = run("import", str(DATA / "quoted-crlf.csv"), "--dry-run")
    assert (
        result.stdout == "line      2  add        Agnès Morel\nline      5  add        Rémi Blanc\n"
    )
    run("import", str(DATA / "quoted-crlf.csv"))
    agnes = contacts(run)["Agnès Morel"]
    assert agnes["notes"] == "Première ligne\r\nDeuxième ligne\r\nTroisième"
    assert agnes["company"] == "Éditions du Lac"


def test_a_200000_character_cell(run, tmp_path):
    notes = "".join(random.Random(5).choice("abcdéèà \n") for _ in range(200_000)).strip()
    path = tmp_path / "big.csv"
    path.write_text(f'name,notes\nAna Lopes,"{notes}"\nBea Costa,short\n', encoding="utf-8")
    result = run("import", str(path))
    # Read whole; over the limit every writer obeys (10,000 characters of
    # text) the note costs that field only, with a warning naming its line.
    assert "2 added" in result.stderr
    assert (
        f"left out (the note is {len(notes):,} characters long; the limit is 10,000)"
        in result.stderr
    )
    people = contacts(run)
    assert people["Ana Lopes"]["notes"] is None
    assert people["Bea Costa"]["notes"] == "short"


def test_nul_bytes_make_a_file_not_text(run, db_file):
    error = refused(run, db_file, "import", str(DATA / "nul.csv"), alone=True)
    assert error == "Error: nul.csv is not a text file (CSV or vCard)"


def test_ragged_rows(run):
    result = run("import", str(DATA / "ragged.csv"))
    assert result.stderr == (
        "Imported ragged.csv (netcrm CSV):\n"
        "  2 added, 0 merged, 0 unchanged, 0 skipped, 1 error.\n"
        "  line 3: 4 cells but the header has 3 columns (an unquoted separator?)\n"
    )
    people = contacts(run)
    assert sorted(people) == ["Anne Short", "Chloé Trailing"]
    assert people["Anne Short"]["company"] is None
    assert people["Chloé Trailing"]["company"] == "Co"


def test_duplicate_headers_are_all_read(run):
    run("import", str(DATA / "duplicate-headers.csv"))
    lea = contacts(run)["Léa Martin"]
    assert lea["emails"] == ["lea@a.example", "lea@b.example"]
    assert lea["company"] == "Studio Lumière"


def test_empty_file(run, db_file):
    error = refused(run, db_file, "import", str(DATA / "empty.csv"), alone=True)
    assert error == "Error: empty.csv is empty; nothing to import"


def test_header_only_file(run, db_file):
    run("list")
    before = count_rows(db_file)
    result = run("import", str(DATA / "header-only.csv"))
    assert result.stderr == (
        "Nothing to import in header-only.csv (LinkedIn connections): no rows after the header.\n"
    )
    assert count_rows(db_file) == before


def test_garbage_text(run, db_file):
    error = refused(run, db_file, "import", str(DATA / "garbage.csv"), alone=True)
    assert error.startswith("Error: cannot recognise garbage.csv: no LinkedIn")


def test_binary_garbage(run, db_file, tmp_path):
    path = tmp_path / "photo.csv"
    # Bytes cp1252 can decode, so only the control characters give it away.
    rng = random.Random(7)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.choice(range(0, 0x80)) for _ in range(4000)))
    error = refused(run, db_file, "import", str(path), alone=True)
    assert error == "Error: photo.csv is not a text file (CSV or vCard)"


def test_a_png_named_csv_is_not_a_text_file(run, db_file, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    error = refused(run, db_file, "import", str(path), alone=True)
    assert error == "Error: contacts.csv is not a text file (CSV or vCard)"


def test_missing_file_and_folder(run, db_file, tmp_path):
    assert refused(run, db_file, "import", str(tmp_path / "nope.csv"), alone=True) == (
        f"Error: no such file: {tmp_path / 'nope.csv'}"
    )
    assert refused(run, db_file, "import", str(tmp_path), alone=True) == (
        f"Error: {tmp_path} is a folder; give a file to import"
    )


def test_a_file_none_of_whose_rows_imports_is_an_error(run, db_file, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,warmth,emails\n,9,\n,,not-an-email\n", encoding="utf-8")
    run("list")
    before = count_rows(db_file)
    for dry_run in ([], ["--dry-run"]):
        result = run("import", str(path), *dry_run, code=2)
        assert result.stderr == (
            "Error: none of the 2 rows of bad.csv can be imported; nothing was written\n"
            "  line 2: no name and no e-mail address to name the contact by\n"
            "  line 3: no name and no e-mail address to name the contact by\n"
        )
        assert count_rows(db_file) == before


def test_a_dry_run_or_a_refused_import_creates_no_database(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,emails\n,\n,nope\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("name,emails\nAna,ana@x.example\n", encoding="utf-8")
    db = tmp_path / "new" / "crm.db"
    db.parent.mkdir()
    run("--db", str(db), "import", str(bad), code=2)
    run("--db", str(db), "import", str(bad), "--dry-run", code=2)
    dry = run("--db", str(db), "import", str(good), "--dry-run")
    assert dry.stdout == "line      2  add        Ana\n"
    assert list(db.parent.iterdir()) == []
    run("--db", str(db), "import", str(good))
    assert db.exists()
    assert run("--db", str(db), "list", "-q").stdout == "1\n"


# --- only NetcrmError escapes -------------------------------------------------------------

HEADERS = [
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    "name,emails,phones,company,tags,keys,birthday,met_on,every,warmth,bigger,other_channels",
    "First Name,Last Name,Labels,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Birthday",
    "BEGIN:VCARD",
]
TOKENS = [*"ab,;\"'\r\n\t=+-@:é\x00 0123456789/", "BEGIN:VCARD", "END:VCARD", "FN:", "N:"]
TOKENS += ["BDAY:", "TEL;VALUE=uri:tel:", "EMAIL:", ":::", "=0D=0A", ";ENCODING=QUOTED-PRINTABLE"]
CELL = st.lists(st.sampled_from(TOKENS), max_size=20).map("".join)


def _drain(text: str, fmt: str = "auto") -> None:
    from netcrm.domain.importing import validate

    try:
        source = open_source(text, fmt=fmt, today=TODAY, name="fuzz.csv")
        for item in source.items:
            assert isinstance(item, ImportRecord | RowError | Ignored)
            if isinstance(item, ImportRecord):
                validate(item)
    except NetcrmError:
        pass


@given(st.sampled_from(HEADERS), st.lists(CELL, max_size=12))
def test_readers_only_raise_netcrm_errors_on_any_text(header, rows):
    _drain(header + "\n" + "\n".join(rows))


@given(st.binary(max_size=300))
def test_decoding_any_bytes_only_raises_netcrm_errors(data):
    try:
        decoded = decode(data, name="fuzz.csv")
    except NetcrmError:
        return
    for fmt in ("auto", "vcard", "netcrm"):
        _drain(decoded.text, fmt)


def test_old_mac_line_endings(run, tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"name,company\rAna Lopes,ACME\rBea Costa,\r")
    result = run("import", str(path), "--dry-run")
    assert result.stdout == "line      2  add        Ana Lopes\nline      3  add        Bea Costa\n"


def test_utf16_without_its_mark(run, db_file, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("name,emails\nZoé Leroy,zoe@leroy.example\n".encode("utf-16-le"))
    error = refused(run, db_file, "import", str(path), alone=True)
    assert error == (
        "Error: excel.csv looks like UTF-16 without its byte-order mark; "
        "give --encoding utf-16-le (or utf-16-be)"
    )
    run("import", str(path), "--encoding", "utf-16-le")
    assert contacts(run)["Zoé Leroy"]["emails"] == ["zoe@leroy.example"]
