"""Round trips (hypothesis): any network exported to CSV — or to vCard — and
imported into a new database gives back the same contacts, field for field,
formula-looking cells and ``+33 6 …`` phones included. Only ``id`` and
``updated_at`` (the import's own time) may differ."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netcrm.domain.contacts import MET_VIA, RELATIONSHIPS, ContactInput, create_contact
from netcrm.domain.keys import KEY_SLUGS
from netcrm.store import engine
from netcrm.store.location import resolve_location
from netcrm.text import normalize
from tests.conftest import Run

pytestmark = pytest.mark.both_engines
NOW = datetime(2026, 1, 15, 9, 30, 0)
CADENCES = (
    "FREQ=DAILY;INTERVAL=30",
    "FREQ=WEEKLY;INTERVAL=2",
    "FREQ=MONTHLY;INTERVAL=1",
    "FREQ=MONTHLY;BYDAY=1MO",
    "FREQ=YEARLY;INTERVAL=1",
)
# Letters, accents, an emoji, and every character a CSV, a spreadsheet or a
# vCard treats specially: separators, quotes, the formula starters, the
# backslash that escapes \, \; \: and \n in a vCard.
CHARS = list("aAzZéÉèçœß0123456789 ,;\"'=+-@:/()&\\") + ["🚀", "\t"]


def _text(chars: list[str], *, lines: bool, max_size: int = 24) -> st.SearchStrategy[str]:
    alphabet = chars + (["\n"] if lines else [])
    return (
        st.lists(st.sampled_from(alphabet), min_size=1, max_size=max_size)
        .map("".join)
        .map(lambda s: s.strip())
        .filter(bool)
    )


NAME = _text(CHARS, lines=False).map(lambda s: " ".join(s.split())).filter(bool)
TAG = _text(list("abcdéèàz019 -=+@'"), lines=False, max_size=10).map(
    lambda s: " ".join(s.split()).casefold()
)


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


@st.composite
def birthdays(draw: st.DrawFn) -> tuple[int | None, int, int] | None:
    if draw(st.booleans()):
        return None
    day = draw(st.dates(min_value=date(1904, 1, 1), max_value=date(2020, 12, 31)))
    return (day.year if draw(st.booleans()) else None, day.month, day.day)


@st.composite
def contact(draw: st.DrawFn, *, notes_chars: list[str]) -> dict:
    birthday = draw(birthdays())
    fields = {
        "name": draw(NAME),
        "company": draw(optional(_text(CHARS, lines=False))),
        "role": draw(optional(_text(CHARS, lines=False))),
        "location": draw(optional(_text(CHARS, lines=False))),
        "met_via": draw(optional(st.sampled_from(MET_VIA))),
        "met_on": draw(optional(st.dates(date(1990, 1, 1), date(2026, 11, 27)))),
        "warmth": draw(optional(st.integers(1, 5))),
        "bigger": draw(st.booleans()),
        "relationship": draw(st.sampled_from(RELATIONSHIPS)),
        "cadence": draw(optional(st.sampled_from(CADENCES))),
        "notes": draw(optional(_text(notes_chars, lines=True, max_size=60))),
        "archived": draw(st.booleans()),
    }
    if birthday is not None:
        fields.update(
            birthday_year=birthday[0], birthday_month=birthday[1], birthday_day=birthday[2]
        )
    return {
        "fields": fields,
        "n_emails": draw(st.integers(0, 2)),
        "n_phones": draw(st.integers(0, 2)),
        "local": draw(st.sampled_from(["lea", "-x", "+plus", "=eq", "o'neil", "a.b"])),
        "extra": draw(st.sets(st.sampled_from(("linkedin", "whatsapp", "facebook", "website")))),
        "other": draw(st.sampled_from(["none", "unlabelled", "shapr", "signal"])),
        "tags": draw(st.lists(TAG.filter(bool), max_size=3, unique=True)),
        "keys": draw(st.lists(st.sampled_from(KEY_SLUGS), max_size=2, unique=True)),
    }


def networks(*, notes_chars: list[str], min_size: int = 0) -> st.SearchStrategy[list[dict]]:
    return st.lists(
        contact(notes_chars=notes_chars),
        min_size=min_size,
        max_size=5,
        unique_by=lambda c: normalize(c["fields"]["name"]),
    )


def _channels(i: int, person: dict) -> list[tuple[str, str, str | None]]:
    """Channels unique to person ``i``, so that no two are duplicates."""
    found: list[tuple[str, str, str | None]] = []
    for j in range(person["n_emails"]):
        found.append(("email", f"{person['local']}{i}{j}@ex{i}.fr", None))
    for j in range(person["n_phones"]):
        found.append(
            (
                "phone",
                f"+33 6 {i:02d} {j:02d} 00 00" if j == 0 else f"06 {i:02d} 55 00 {j:02d}",
                None,
            )
        )
    if "linkedin" in person["extra"]:
        found.append(("linkedin", f"https://www.linkedin.com/in/p-{i}", None))
    if "whatsapp" in person["extra"]:
        found.append(("whatsapp", f"+33 7 {i:02d} 11 11 11", None))
    if "facebook" in person["extra"]:
        found.append(("facebook", f"https://www.facebook.com/p.{i}", None))
    if "website" in person["extra"]:
        found.append(("website", f"https://site-{i}.example/a?b=c", None))
    if person["other"] != "none":
        label = None if person["other"] == "unlabelled" else person["other"]
        found.append(("other", f"handle.{i}", label))
    return found


def _fill(db: Path, network: list[dict]) -> None:
    loc = resolve_location(str(db))
    with engine.write_session(loc) as session:
        for i, person in enumerate(network):
            create_contact(
                session,
                ContactInput(
                    fields=person["fields"],
                    channels=list(_channels(i, person)),
                    tags=person["tags"],
                    keys=person["keys"],
                ),
                now=NOW,
            )


def _records(run, db: Path) -> list[dict]:
    rows = json.loads(run("--db", str(db), "export", "contacts", "--format", "json").stdout)
    for row in rows:
        del row["id"], row["updated_at"]
    return rows


_TEMPLATE: list[Path] = []


def _blank_database(path: Path) -> None:
    """A new, migrated database at ``path``: a copy of one migrated once, so
    that each example does not pay for Alembic twice."""
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="netcrm-roundtrip-")) / "blank.db"
        Run()("--db", str(template), "list")
        engine.dispose_engines()
        _TEMPLATE.append(template)
    source, copy = sqlite3.connect(_TEMPLATE[0]), sqlite3.connect(path)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()


def _round_trip(network: list[dict], fmt: str, suffix: str) -> None:
    run = Run()  # the fixture is per test; every example needs its own databases
    with tempfile.TemporaryDirectory() as tmp:
        source, target, file = Path(tmp, "a.db"), Path(tmp, "b.db"), Path(tmp, f"out{suffix}")
        _blank_database(source)
        _blank_database(target)
        try:
            _fill(source, network)
            run("--db", str(source), "export", "contacts", "--format", fmt, "-o", str(file))
            run("--db", str(target), "import", str(file))
            assert _records(run, target) == _records(run, source)
        finally:
            engine.dispose_engines()


@settings(max_examples=30)
@given(networks(notes_chars=[*CHARS, "\r\n"]))
def test_csv_round_trip(network):
    _round_trip(network, "csv", ".csv")


@settings(max_examples=20)
@given(networks(notes_chars=CHARS, min_size=1))
def test_vcard_round_trip(network):
    # vCard cannot hold a carriage return, so notes here have only \n; an
    # empty network makes an empty file, which import refuses.
    _round_trip(network, "vcard", ".vcf")


def test_phone_numbers_survive_a_spreadsheet_safe_export(run, tmp_path):
    run("add", "Léa Martin", "--phone", "+33 6 12 34 56 78", "--whatsapp", "+33 6 12 34 56 78")
    out = tmp_path / "contacts.csv"
    run("export", "contacts", "-o", str(out))
    assert "'+33 6 12 34 56 78" in out.read_text(encoding="utf-8")
    target = tmp_path / "new.db"
    run("--db", str(target), "import", str(out))
    (lea,) = json.loads(run("--db", str(target), "export", "contacts", "--format", "json").stdout)
    assert (lea["phones"], lea["whatsapp"]) == (["+33 6 12 34 56 78"], ["+33 6 12 34 56 78"])
