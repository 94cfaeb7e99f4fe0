"""Fuzzing (issue 7): whatever a user types or a file holds, only
``NetcrmError`` subclasses may escape the date, birthday, duration and
recurrence parsers, the decoding of a file, and the whole import pipeline
(recognise → read → plan → write) for LinkedIn, Google Contacts, netcrm CSV
and vCard files.

tests/test_dates.py and tests/test_import_hostile.py already feed the parsers
and readers shallow random input; this file goes further: grammar-built dates
and RRULEs over the whole calendar (its first and last days included), every
codec Python knows for ``--encoding``, structured-but-hostile CSVs (real
headers, preambles, separators, formula and list cells, dates, flags and
rules in the wrong places) and vCards (every property netcrm reads, odd
parameters, quoted-printable, folding, missing ends) pushed through
``plan_import`` *and* ``apply_import`` into a real database (rolled back).

**Regressions.** Every input that ever crashed is a JSON file in
``tests/data/fuzz_regressions/`` (one case per file), replayed by
:func:`test_fuzz_regression`. When a fuzz test here fails, its falsifying
input is written there before the failure is reported; commit the file with
the fix. A case with ``"open_bug"`` is a crash not fixed yet: its replay is a
strict xfail, and the fuzz tests let that same exception through for that
target, so they keep looking for new ones.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import csv
import encodings.aliases
import functools
import hashlib
import io
import json
import shutil
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from netcrm import dates
from netcrm.errors import NetcrmError

REGRESSIONS = Path(__file__).parent / "data" / "fuzz_regressions"
# Each fuzz test is cheap: at least 300 inputs in CI, more under a deeper profile.
EXAMPLES = max(300, settings.default.max_examples)
TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 9, 0)


# --- running one case -------------------------------------------------------------------

_db: Path | None = None


def _database() -> Path:
    global _db
    if _db is None:
        from tests.reliability_helpers import fresh_db

        folder = Path(tempfile.mkdtemp(prefix="netcrm-fuzz-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _db = fresh_db(folder / "fuzz.db")
        _seed(_db)
    return _db


def _seed(path: Path) -> None:
    """Contacts an import may match (by e-mail, LinkedIn, phone, name and company)."""
    from netcrm.domain.contacts import ContactInput, create_contact
    from netcrm.store.engine import write_session
    from netcrm.store.location import resolve_location

    people = [
        ("Léa Martin", "ACME", [("email", "lea@ex.fr"), ("phone", "+33 6 12 34 56 78")]),
        ("A", None, [("linkedin", "https://www.linkedin.com/in/x")]),
        ("Ana Lopes", "Globex", []),
    ]
    with write_session(resolve_location(str(path))) as session:
        for name, company, channels in people:
            fields = {"name": name, "company": company, "cadence": "FREQ=DAILY;INTERVAL=30"}
            create_contact(session, ContactInput(fields=fields, channels=channels), now=NOW)


class _Rollback(Exception):
    pass


def _import(case: dict[str, Any]) -> None:
    """decode → recognise → read → plan → apply, in a transaction rolled back."""
    from netcrm.domain.import_writes import apply_import
    from netcrm.domain.importing import plan_import
    from netcrm.io.sniff import decode, open_source
    from netcrm.store.engine import write_session
    from netcrm.store.location import resolve_location
    from netcrm.store.reader import SqlAlchemyReader

    data = base64.b64decode(case["data"]) if "data" in case else case["text"].encode("utf-8")
    decoded = decode(data, encoding=case.get("encoding"), name="fuzz")
    source = open_source(
        decoded.text,
        fmt=case.get("format", "auto"),
        mapping=case.get("map"),
        today=TODAY,
        name="fuzz",
        suffix=case.get("suffix", ".csv"),
    )
    items = list(source.items)
    try:
        with write_session(resolve_location(str(_database()))) as session:
            plan = plan_import(
                SqlAlchemyReader(session), items, on_duplicate=case.get("on_duplicate", "merge")
            )
            apply_import(session, plan, now=NOW)
            raise _Rollback
    except _Rollback:
        pass


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _recurrence(case: dict[str, Any]) -> None:
    rule = dates.parse_recurrence(case["text"], anchor=_day(case["today"]))
    assert isinstance(rule, str) and rule
    assert dates.describe_rule(rule)
    after = _day(case.get("after", case["today"]))
    # A rule may end (COUNT, UNTIL), and so may the calendar.
    with contextlib.suppress(NetcrmError):
        assert dates.next_occurrence(rule, after) > after


def _birthday(case: dict[str, Any]) -> None:
    year, month, day = dates.parse_birthday(case["text"], today=_day(case["today"]))
    date(2000 if year is None else year, month, day)


TARGETS: dict[str, Callable[[dict[str, Any]], object]] = {
    "date": lambda c: [
        dates.parse_date(c["text"], today=_day(c["today"]), sense=sense)
        for sense in ("next", "past")
    ],
    "birthday": _birthday,
    "since": lambda c: dates.parse_since(c["text"], today=_day(c["today"])),
    "duration": lambda c: dates.parse_duration_days(c["text"]),
    "recurrence": _recurrence,
    "import": _import,
}


def run_case(case: dict[str, Any]) -> None:
    """Run one case; only NetcrmError may come out."""
    with contextlib.suppress(NetcrmError):
        TARGETS[case["target"]](case)


# --- the corpus --------------------------------------------------------------------------


def corpus() -> list[Path]:
    return sorted(REGRESSIONS.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _open_bugs() -> dict[tuple[str, str], set[str]]:
    """(target, exception type name) of crashes known and not fixed yet → the
    keys a case must have for the crash to be that bug (``"only_with"``)."""
    found: dict[tuple[str, str], set[str]] = {}
    for path in corpus():
        case = _load(path)
        if case.get("open_bug"):
            found[(case["target"], case["raises"])] = set(case.get("only_with", []))
    return found


OPEN_BUGS = _open_bugs()


def save_case(case: dict[str, Any], error: BaseException) -> Path:
    body = {k: v for k, v in case.items() if not k.startswith("_")}
    key = json.dumps(body, sort_keys=True, ensure_ascii=False)
    name = f"{case['target']}-{hashlib.sha256(key.encode()).hexdigest()[:12]}.json"
    path = REGRESSIONS / name
    if not path.exists():
        REGRESSIONS.mkdir(parents=True, exist_ok=True)
        record = {
            **body,
            "raises": type(error).__name__,
            "found": f"{type(error).__name__}: {error}"[:300],
        }
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


_last_crash: dict[str, tuple[dict[str, Any], BaseException]] = {}


def check(case: dict[str, Any]) -> None:
    """What every fuzz example does: run the case; a crash that is not a known
    open bug fails the test, and the last (smallest) one is saved."""
    try:
        run_case(case)
    except Exception as exc:
        needs = OPEN_BUGS.get((case["target"], type(exc).__name__))
        if needs is not None and needs <= set(case):
            return
        _last_crash[case["target"]] = (case, exc)
        raise


def saving(test: Callable[..., None]) -> Callable[..., None]:
    """Write the falsifying input of a failed fuzz test to the corpus."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        _last_crash.clear()
        try:
            test(*args, **kwargs)
        except Exception:
            for case, error in _last_crash.values():
                save_case(case, error)
            raise

    return wrapper


@pytest.mark.parametrize("path", corpus(), ids=[p.stem for p in corpus()])
def test_fuzz_regression(path: Path, request: pytest.FixtureRequest) -> None:
    case = _load(path)
    if case.get("open_bug"):
        request.applymarker(pytest.mark.xfail(strict=True, reason=case["open_bug"]))
    run_case(case)


def test_the_corpus_is_well_formed() -> None:
    assert corpus(), "the regression corpus is empty"
    for path in corpus():
        case = _load(path)
        assert case["target"] in TARGETS, path.name
        assert "raises" in case and "found" in case, path.name


# --- dates, birthdays, durations, recurrences ----------------------------------------------

WORDS = [
    "in", "ago", "dans", "il y a", "next", "last", "prochain", "prochaine", "dernier",
    "derniere", "this", "ce", "the", "of", "le", "la", "er", "1er", "monday", "friday",
    "vendredi", "lundi", "fri", "dec", "december", "décembre", "mars", "march", "feb",
    "février", "août", "day", "days", "week", "weeks", "month", "months", "year", "years",
    "w", "m", "y", "d", "j", "jours", "semaine", "semaines", "mois", "an", "ans", "a",
    "une", "un", "deux", "dix", "two", "ten", "twelve", "hundred", "today", "tomorrow",
    "yesterday", "aujourd'hui", "demain", "hier", "après-demain", "avant-hier", "+", "-",
    "/", ".", ",", ":", "T", "Z", "--", "'", "’", "0", "00", "1", "5", "12", "13", "29",
    "30", "31", "32", "99", "100", "999999", "1000000", "2026", "1990", "0001", "9999",
    "10000", "20261201", "99991231", "00010101", "am", "pm", "EST", "UTC", "+05:00", "at",
    "noon", "every", "FREQ=", "BYDAY", "=", ";", "th", "st", "nd", "eme", "ème", "e",
]  # fmt: skip
_tokens = st.lists(st.sampled_from(WORDS), max_size=7)
date_text = st.one_of(
    _tokens.map(" ".join),
    _tokens.map("".join),
    _tokens.flatmap(lambda t: st.sampled_from(["-", "/", "."]).map(lambda s: s.join(t))),
    st.text(max_size=30),
)
# The whole calendar, its ends included: "tomorrow" on 9999-12-31 has no answer
# but must say so (InvalidInput), not crash.
any_day = st.one_of(
    st.dates(),
    st.sampled_from([date.min, date.max, date(1, 1, 3), date(9999, 12, 29), TODAY]),
).map(date.isoformat)


@pytest.mark.slow
@saving
@settings(deadline=None, max_examples=EXAMPLES)
@given(text=date_text, today=any_day)
@example(text="tomorrow", today="9999-12-31")
@example(text="monday", today="9999-12-31")
@example(text="yesterday", today="0001-01-01")
@example(text="last monday", today="0001-01-01")
def test_fuzz_dates(text: str, today: str) -> None:
    for target in ("date", "birthday", "since", "duration"):
        check({"target": target, "text": text, "today": today})


RULE_PARTS = [
    "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "FREQ=HOURLY", "INTERVAL=1",
    "INTERVAL=3", "INTERVAL=999999", "COUNT=1", "COUNT=999999", "UNTIL=20270101",
    "UNTIL=20261128", "UNTIL=00010101", "UNTIL=99991231", "UNTIL=20261127T000000Z",
    "BYDAY=MO", "BYDAY=1MO", "BYDAY=-1FR,TU", "BYDAY=5SU", "BYDAY=-5SU", "BYDAY=53MO",
    "BYDAY=MO,TU,WE,TH,FR,SA,SU", "BYMONTHDAY=31", "BYMONTHDAY=-31", "BYMONTHDAY=29",
    "BYMONTHDAY=1,31", "BYMONTH=2", "BYMONTH=4,6,9,11", "BYSETPOS=-1", "BYSETPOS=366",
    "BYSETPOS=2", "WKST=SU", "BYWEEKNO=53", "BYWEEKNO=-53", "BYYEARDAY=366",
    "BYYEARDAY=-366", "BYYEARDAY=60", "BYHOUR=3", "X-NAME=1", "=", "",
]  # fmt: skip
rule_text = st.one_of(
    st.lists(st.sampled_from(RULE_PARTS), min_size=1, max_size=5).map(";".join),
    st.lists(st.sampled_from(RULE_PARTS), min_size=1, max_size=4).map(
        lambda p: "RRULE:" + ";".join(p).lower()
    ),
    date_text,
)


@pytest.mark.slow
@saving
@settings(deadline=None, max_examples=EXAMPLES)
@given(text=rule_text, today=any_day, after=any_day)
@example(text="FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1", today="2026-11-27", after="2026-11-27")
@example(text="yearly", today="9999-12-31", after="9999-12-31")
def test_fuzz_recurrences(text: str, today: str, after: str) -> None:
    check({"target": "recurrence", "text": text, "today": today, "after": after})


# --- files: decoding ------------------------------------------------------------------------

CODECS = sorted(set(encodings.aliases.aliases.values()) | {"utf-8", "latin-1", "klingon-8"})


@pytest.mark.slow
@saving
@settings(deadline=None, max_examples=EXAMPLES)
@given(data=st.binary(max_size=200), encoding=st.sampled_from(CODECS))
@example(data=b"name,emails\nLea,lea@example.fr\n", encoding="base64_codec")
@example(data=b"name,emails\nLea,lea@example.fr\n", encoding="punycode")
def test_fuzz_encodings(data: bytes, encoding: str) -> None:
    check(
        {
            "target": "import",
            "data": base64.b64encode(data).decode(),
            "encoding": encoding,
            "format": "auto",
        }
    )


@pytest.mark.slow
@saving
@settings(deadline=None, max_examples=EXAMPLES)
@given(data=st.binary(max_size=400), fmt=st.sampled_from(["auto", "netcrm", "vcard"]))
def test_fuzz_random_bytes(data: bytes, fmt: str) -> None:
    check({"target": "import", "data": base64.b64encode(data).decode(), "format": fmt})


# --- files: structured but hostile CSV ------------------------------------------------------

HOSTILE = [
    "", " ", "=1+1", "=HYPERLINK(\"http://x\")", "+33 6 12", "-", "@x", "\t", "\r", '"',
    "'", "';", ";", "; ;", ",", "\n", "\r\n", "é", "Ω", "\x00", "\u200b", "\ufeff", "\u202e",
    "a@b.c", "x@y", "lea@EX.fr", "LEA@ex.fr", "http://linkedin.com/in/x",
    "https://www.linkedin.com/in/x/", "https://www.facebook.com/x", "ftp://x", "0", "1",
    "6", "-1", "99", "3.5", "٣", "yes", "no", "oui", "x", "2026-11-27", "9999-12-31",
    "0001-01-01", "2026-02-30", "2026-11-27T09:00:00+05:00", "2026-11-27 25:00:00",
    "9999-12-31 23:59:59", "0001-01-01 00:00:00", "--04-12", "02-29", "1604-04-12",
    "12 avril", "31 juin", "demain", "+3d", "monthly", "1d", "0d", "every 2 weeks",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=DAILY;COUNT=1", "FREQ=DAILY;UNTIL=20261128",
    "FREQ=DAILY;UNTIL=20200101", "creativity", "crea", "e", "opp; emo", "linkedin", "irl",
    "LinkedIn ", "business", "Personal", "mixed", "shapr:lea", "https://x", "other:", ":x",
    "x" * 300, "Ø" * 50, "Léa Martin", "lea martin", "LÉA MARTIN", "A", "ACME", "acme",
    "09 Oct 2024", "31 Feb 2024", "Notes:",
]  # fmt: skip
NETCRM_HEADERS = [
    "name", "emails", "phones", "linkedin", "whatsapp", "facebook", "websites",
    "other_channels", "company", "role", "location", "met_via", "met_on", "birthday",
    "warmth", "bigger", "relationship", "every", "tags", "keys", "notes", "archived",
    "created_at", "id", "last_contact", "next_touch", "updated_at", "Name", " NAME ",
]  # fmt: skip
LINKEDIN_HEADERS = [
    "First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On",
]  # fmt: skip
GOOGLE_HEADERS = [
    "Name", "Given Name", "Family Name", "Additional Name", "Nickname", "File As", "Birthday",
    "Notes", "Group Membership", "Labels", "E-mail 1 - Type", "E-mail 1 - Value",
    "E-mail 2 - Value", "Phone 1 - Type", "Phone 1 - Value", "Phone 1 - Label",
    "Organization 1 - Name", "Organization 1 - Title", "Address 1 - City",
    "Address 1 - Country", "Address 1 - Formatted", "Website 1 - Value", "IM 1 - Service",
    "IM 1 - Value", "First Name", "Last Name", "Organization Name", "Organization Title",
]  # fmt: skip
hostile_cell = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=12),
    st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=3).map("; ".join),
)
# Plausible values by column, so that most rows get through validation and the
# odd ones reach plan_import's matching and apply_import's writes.
PLAUSIBLE = {
    "name": ["Léa Martin", "lea martin", "A", "Ana Lopes", "Ø" * 50, "  Zoé   Leroy ", "=cmd"],
    "emails": ["lea@ex.fr", "LEA@EX.FR", "a@b.co; d@e.fr", "new@ex.org"],
    "phones": ["+33 6 12 34 56 78", "0033612345678", "06 12 34 56 78; 555"],
    "linkedin": ["https://www.linkedin.com/in/x", "linkedin.com/in/y/"],
    "whatsapp": ["+33 6 12 34 56 78"],
    "websites": ["https://blog.example", "https://facebook.com/z"],
    "other_channels": ["shapr:lea.m", "signal:+331; mastodon:@a@b.c"],
    "company": ["ACME", "acme", "Globex", "ACME Studio SAS"],
    "met_via": ["linkedin", "IRL", "Event"],
    "met_on": ["2026-01-01", "hier", "12 avril 2025"],
    "birthday": ["--04-12", "1990-04-12", "12 avril", "02-29"],
    "warmth": ["1", "5", " 3 "],
    "bigger": ["yes", "0", "oui"],
    "archived": ["no", "1"],
    "relationship": ["personal", "Mixed"],
    "every": ["10d", "monthly", "every 2 weeks", "FREQ=MONTHLY;BYDAY=1MO"],
    "tags": ["a; b", "lead"],
    "keys": ["opp", "creativity; emo"],
    "notes": ["hello\nworld", "=1+1", "Met at the forum"],
    "created_at": ["2026-11-27 09:00:00", "2020-01-01", "2026-11-27T09:00:00+05:00"],
    "first name": ["Léa", "Ana"],
    "last name": ["Martin", "Lopes"],
    "url": ["https://www.linkedin.com/in/x", "https://www.linkedin.com/in/new"],
    "email address": ["lea@ex.fr", "fresh@ex.org"],
    "connected on": ["09 Oct 2024", "2024-10-09"],
    "position": ["CEO"],
    "e-mail 1 - value": ["lea@ex.fr ::: other@ex.fr", "g@ex.org"],
    "phone 1 - value": ["+33 6 12 34 56 78"],
    "organization 1 - name": ["ACME"],
    "birthday ": ["1990-04-12"],
    "labels": ["* myContacts ::: friends"],
    "group membership": ["* myContacts ::: friends"],
}


def cell_for(header: str) -> st.SearchStrategy[str]:
    pool = PLAUSIBLE.get(" ".join(header.split()).casefold())
    if pool is None:
        return hostile_cell
    plausible = st.sampled_from(["", *pool])
    return st.integers(0, 11).flatmap(lambda n: hostile_cell if n == 0 else plausible)


@st.composite
def hostile_csv(draw: st.DrawFn) -> tuple[str, str, str | None]:
    """(text, --format, --map) of a CSV with a real header and hostile cells."""
    kind = draw(st.sampled_from(["netcrm", "linkedin", "google", "mapped"]))
    pool = {
        "netcrm": NETCRM_HEADERS,
        "linkedin": LINKEDIN_HEADERS,
        "google": GOOGLE_HEADERS,
        "mapped": ["Full name", "Mail", "Job", "Tel", "Misc", "First", "Last"],
    }[kind]
    header = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=10))
    if kind == "netcrm" and "name" not in header:
        header.insert(draw(st.integers(0, len(header))), "name")
    if kind == "linkedin":
        header = ["First Name", "Last Name", *header, "Connected On"]
    mapping = None
    if kind == "mapped":
        mapping = draw(
            st.sampled_from(
                [
                    "Full name=name,Mail=emails,Job=role",
                    "First=first_name,Last=last_name,Tel=phones,Misc=tags",
                    "Full name=name,Misc=every,Mail=email,Tel=birthday",
                    "Full name=name,Misc=created_at,Job=met_on,Tel=warmth",
                ]
            )
        )
        header += [part.split("=")[0] for part in mapping.split(",")]
    row = st.tuples(*(cell_for(h) for h in header)).map(list)
    long_row = st.tuples(row, hostile_cell).map(lambda r: [*r[0], r[1]])
    rows = draw(
        st.lists(st.integers(0, 7).flatmap(lambda n: long_row if n == 0 else row), max_size=6)
    )
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    buffer = io.StringIO()
    if draw(st.booleans()):
        buffer.write("\ufeff")
    if kind == "linkedin" and draw(st.booleans()):
        buffer.write('Notes:\n"When exporting your connection data, you may notice…"\n\n')
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=ending)
    writer.writerow(header)
    writer.writerows(rows)
    fmt = "csv" if kind == "mapped" else draw(st.sampled_from(["auto", kind]))
    return buffer.getvalue(), fmt, mapping


@pytest.mark.slow
@saving
@settings(deadline=None, max_examples=EXAMPLES)
@given(source=hostile_csv(), on_duplicate=st.sampled_from(["merge", "skip", "add"]))
def test_fuzz_hostile_csv(source: tuple[str, str, str | None], on_duplicate: str) -> None:
    text, fmt, mapping = source
    case = {"target": "import", "text": text, "format": fmt, "on_duplicate": on_duplicate}
    if mapping is not None:
        case["map"] = mapping
    check(case)


# --- files: structured but hostile vCard ----------------------------------------------------

PROPERTIES = [
    "FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "ROLE", "ADR", "BDAY", "URL",
    "X-SOCIALPROFILE", "IMPP", "NOTE", "CATEGORIES", "X-NETCRM-MET-VIA", "X-NETCRM-MET-ON",
    "X-NETCRM-WARMTH", "X-NETCRM-BIGGER", "X-NETCRM-ARCHIVED", "X-NETCRM-RELATIONSHIP",
    "X-NETCRM-EVERY", "X-NETCRM-KEYS", "X-NETCRM-OTHER", "X-NETCRM-CREATED", "PHOTO", "UID",
    "VERSION", "BEGIN", "END", "item1.EMAIL", "X-FOO", "KIND", "GENDER",
]  # fmt: skip
PARAMETERS = [
    "", ";TYPE=work", ";TYPE=WHATSAPP", ";TYPE=linkedin", ";ENCODING=QUOTED-PRINTABLE",
    ";ENCODING=b", ";CHARSET=UTF-8", ";VALUE=uri", ";TYPE=a,b", ";PREF=1", ';X="q;u"', ";;",
    ";=", ";ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1", ";VALUE=date", ";TYPE=",
]  # fmt: skip
VALUES = [
    *HOSTILE, "=C3=A9", "=E9=", "=", "a;b;c;d;e;f;g", ";;;;", "tel:+33612345", "whatsapp:+336",
    "xmpp:me@x", "\\n", "\\,", "a\\;b", "iVBORw0KGgo=", "--0412", "19900412",
    "1990-04-12T00:00:00Z", "2.1", "3.0", "4.0", "VCARD",
]  # fmt: skip


PLAUSIBLE_CARD = {
    "FN": ["Léa Martin", "Ana Lopes", "A", "Zoé Leroy"],
    "N": ["Martin;Léa;;;", "Lopes;Ana", ";;;;"],
    "EMAIL": ["lea@ex.fr", "LEA@EX.FR", "new@ex.org"],
    "TEL": ["+33 6 12 34 56 78", "tel:+33612345678"],
    "ORG": ["ACME", "Globex;Sales"],
    "TITLE": ["CEO"],
    "ADR": [";;1 rue X;Lyon;;69000;France"],
    "BDAY": ["1990-04-12", "--0412", "19900412", "1604-04-12"],
    "URL": ["https://www.linkedin.com/in/x", "https://blog.example"],
    "IMPP": ["xmpp:lea@ex.fr", "whatsapp:+33612345678"],
    "NOTE": ["Met at the forum\\nLikes podcasts"],
    "CATEGORIES": ["lead,friends", "vip"],
    "X-NETCRM-MET-VIA": ["linkedin", "irl"],
    "X-NETCRM-MET-ON": ["2026-01-01"],
    "X-NETCRM-WARMTH": ["3"],
    "X-NETCRM-BIGGER": ["yes"],
    "X-NETCRM-ARCHIVED": ["no"],
    "X-NETCRM-RELATIONSHIP": ["mixed"],
    "X-NETCRM-EVERY": ["10d", "FREQ=MONTHLY;BYDAY=1MO"],
    "X-NETCRM-KEYS": ["opp; creativity"],
    "X-NETCRM-OTHER": ["shapr:lea.m"],
    "X-NETCRM-CREATED": ["2026-11-27 09:00:00"],
}


@st.composite
def hostile_vcard(draw: st.DrawFn) -> str:
    cards = []
    for _ in range(draw(st.integers(1, 3))):
        version = draw(st.sampled_from(["2.1", "3.0", "4.0", "9", ""]))
        lines = [draw(st.sampled_from(["BEGIN:VCARD", "begin:vcard"])), f"VERSION:{version}"]
        if draw(st.integers(0, 4)):
            lines.append("FN:" + draw(st.sampled_from(PLAUSIBLE_CARD["FN"])))
        for _ in range(draw(st.integers(0, 8))):
            prop = draw(st.sampled_from(PROPERTIES))
            hostile = draw(st.integers(0, 5)) == 0
            param = draw(st.sampled_from(PARAMETERS)) if hostile else ""
            plausible = PLAUSIBLE_CARD.get(prop)
            if plausible and not hostile:
                value = draw(st.sampled_from(plausible))
            else:
                value = draw(st.one_of(st.sampled_from(VALUES), st.text(max_size=10)))
            lines.append(f"{prop}{param}:{value}")
            if draw(st.integers(0, 9)) == 0:
                lines.append(" " + draw(st.text(max_size=5)))  # a folded continuation
        if draw(st.integers(0, 6)):
            lines.append("END:VCARD")
        cards.append(draw(st.sampled_from(["\n", "\r\n"])).join(lines))
    return "\n".join(cards)


@pytest.mark.slow
@saving
@settings(deadline=None, max_examples=EXAMPLES)
@given(text=hostile_vcard(), fmt=st.sampled_from(["auto", "vcard"]))
def test_fuzz_hostile_vcard(text: str, fmt: str) -> None:
    check({"target": "import", "text": text, "format": fmt, "suffix": ".vcf"})
