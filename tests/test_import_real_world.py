"""The real-world corpus (tests/data/real-world/, files written for netcrm, each
reproducing quirks of real exports: issue 11): file → exit code, summary,
contacts with their fields, and the warnings that name what was left out.

Every file is imported twice over a fresh database: a dry run first, which
must exit as the real import does and create no database file, then the real
import, whose contacts are read back through ``export --format json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data" / "real-world"


@dataclass
class Case:
    file: str
    quirk: str
    code: int = 0
    summary: str = ""  # the counts line, or the error
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # lines of stderr, in order


CASES = [
    Case(
        "google-shared-phones.csv",
        "a switchboard number shared by two colleagues, a junk number shared by a "
        "family; the same phone with the same name is the same person",
        summary="4 added, 0 merged, 1 unchanged, 0 skipped, 0 errors.",
        contacts={
            "Agathe Roux": {
                "emails": ["agathe@cabinet-roux.example"],
                "phones": ["+33 1 44 55 66 77"],
                "company": "Cabinet Roux",
            },
            "Bastien Morel": {
                "emails": ["bastien@cabinet-roux.example"],
                "phones": ["+33 1 44 55 66 77"],
            },
            "Chantal Vidal": {"phones": ["91956711"]},
            "Denis Vidal": {"phones": ["91956711", "+33 4 76 00 11 22"]},
        },
    ),
    Case(
        "outlook-2003.csv",
        "Outlook 2003, cp1252: 'BusinessPhone' in a phone cell, an Exchange address "
        "in E-mail Address, Birthday 0/0/00 and 4/12/1990 (month first), Categories",
        summary="2 added, 0 merged, 0 unchanged, 0 skipped, 0 errors.",
        contacts={
            "Émile Garnier": {
                "company": "Garnier SARL",
                "role": "Gérant",
                "location": "Tours, France",
                "phones": ["+33 6 70 80 90 10"],
                "emails": ["emile@garnier.example"],
                "birthday": None,
                "tags": ["clients", "vip"],
                "notes": "Rencontré au salon",
            },
            "Fanny Leclerc": {
                "emails": ["fanny.leclerc@perso.example"],
                "phones": [],
                "birthday": "1990-04-12",
                "linkedin": ["https://www.linkedin.com/in/fanny-leclerc"],
            },
        },
        warnings=[
            "Warning: outlook-2003.csv: line 2 is not UTF-8; read as cp1252 (Windows). "
            "If accents look wrong there, give --encoding.",
            "  line 2: phone 'BusinessPhone' left out ('BusinessPhone' is not a phone number "
            "(example: +33 6 12 34 56 78))",
            "  line 3: email '/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/"
            "CN=FLECLERC' left out ('/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/"
            "CN=RECIPIENTS/CN=FLECLERC' is not an email address (example: lea@example.fr))",
            "  line 3: phone 'HomePhone' left out ('HomePhone' is not a phone number "
            "(example: +33 6 12 34 56 78))",
        ],
    ),
    Case(
        "outlook-english.csv",
        "Outlook's current English header (61 columns), a note on two lines, a row "
        "with only an e-mail",
        summary="2 added, 0 merged, 0 unchanged, 0 skipped, 0 errors.",
        contacts={
            "Gilles Perrin": {
                "emails": ["gilles@perrin.example", "g.perrin@mail.example"],
                "phones": ["+33 6 01 02 03 04", "+33 2 40 00 00 01"],
                "company": "Perrin & Co",
                "role": "Directeur",
                "location": "Nantes, France",
                "websites": ["https://perrin.example"],
                "birthday": "1975-12-25",
                "notes": "Deux lignes,\nde notes",
            },
            "helene@nom.example": {"emails": ["helene@nom.example"]},
        },
    ),
    Case(
        "linkedin-2018.csv",
        "a 2018 LinkedIn export: no preamble, no URL column, '1/8/18, 6:14 PM' dates; "
        "a member URN, email@localhost and 'hot mail.com' in the e-mail column",
        summary="4 added, 0 merged, 0 unchanged, 0 skipped, 0 errors.",
        contacts={
            "Hugo Lambert": {"emails": [], "met_on": "2018-01-08", "company": "Lambert Conseil"},
            "Inès Faure": {"emails": [], "met_on": "2017-12-31", "role": "Designer"},
            "Jules Mercier": {"emails": [], "met_on": "2016-02-29"},
            "Karine Blanc": {"emails": ["karine@blanc.example"], "met_on": None},
        },
        warnings=[
            "  line 2: email 'urn:li:member:123456789' left out ('urn:li:member:123456789' "
            "is not an email address (example: lea@example.fr))",
            "  line 3: email 'ines@localhost' left out ('ines@localhost' is not an email "
            "address (example: lea@example.fr))",
            "  line 4: email 'jules@hot mail.com' left out ('jules@hot mail.com' is not an "
            "email address (example: lea@example.fr))",
            "  line 5: Connected On '13/1/18, 8:00 AM' left out (cannot read the date "
            "'2018-13-01' (no such day); try 2026-12-01, tomorrow, +3d, 'next friday' or "
            "'dans 3 jours')",
        ],
    ),
    Case(
        "linkedin-mixed-encoding.csv",
        "a UTF-8 LinkedIn export with one Windows-1252 line; a profile URL with a "
        "country host and a query",
        summary="3 added, 0 merged, 0 unchanged, 0 skipped, 0 errors.",
        contacts={
            "Juan Liévano": {"company": "Café Andino", "met_on": "2024-10-09"},
            "Léonie Müller": {"company": "Bäckerei"},
            "Zoé Hébert": {
                "company": "Société Générale",
                "linkedin": ["https://fr.linkedin.com/in/zoe-hebert/?originalSubdomain=fr"],
            },
        },
        warnings=[
            "Warning: linkedin-mixed-encoding.csv: line 6 is not UTF-8; read as cp1252 "
            "(Windows). If accents look wrong there, give --encoding.",
        ],
    ),
    Case(
        "photo.csv",
        "a PNG named .csv",
        code=2,
        summary="Error: photo.csv is not a text file (CSV or vCard)",
    ),
    Case(
        "crm-id-name.csv",
        "another program's CSV with ID and Name columns is not netcrm's",
        code=2,
        summary="Error: cannot recognise crm-id-name.csv: no LinkedIn, Google Contacts, "
        "Outlook, netcrm CSV or vCard header; for another CSV give --format csv "
        '--map "Header=field,…"',
    ),
    Case(
        "vcard-phone-vendors.vcf",
        "phone vendors' cards: a truncated base64 PHOTO on unindented lines (one "
        "starting with N), BDAY 'circa 1800', a stray quoted-printable =80 in ORG, "
        "PROFILE:VCard, TEL 'BusinessPhone', an X-ANDROID property, a short PHOTO",
        summary="5 added, 0 merged, 0 unchanged, 0 skipped, 0 errors.",
        contacts={
            "Louise Petit": {"phones": ["+33 6 11 22 33 44"]},
            "Marius Roche": {"emails": ["marius@roche.example"], "birthday": None},
            "Nina Carré": {"company": "Café  Andino"},
            "Olivier Denis": {"phones": ["+33 6 99 88 77 66"]},
            "Pauline Giraud": {"emails": ["pauline@giraud.example"]},
        },
        warnings=[
            "  line 11: BDAY 'circa 1800' left out (cannot read the birthday 'circa 1800'; "
            "try 1990-04-12, 04-12 (month-day), --04-12, '12 April' or '12 avril')",
            "  line 22: phone 'BusinessPhone' left out ('BusinessPhone' is not a phone "
            "number (example: +33 6 12 34 56 78))",
        ],
    ),
    Case(
        "vcard-iphone.vcf",
        "iPhone: \\r\\r\\n line ends, item1./item2. groups with X-ABLabel",
        summary="1 added, 0 merged, 0 unchanged, 0 skipped, 0 errors.",
        contacts={
            "Rémi Quentin": {
                "phones": ["+33 6 10 20 30 40"],
                "emails": ["remi@quentin.example"],
                "linkedin": ["https://www.linkedin.com/in/remi-quentin"],
            }
        },
    ),
    Case(
        "vcard-group-begin.vcf",
        "a group on BEGIN/END (home.begin:vcard) and on every property",
        summary="1 added, 0 merged, 0 unchanged, 0 skipped, 0 errors.",
        contacts={"Sarah Lenoir": {"emails": ["sarah@lenoir.example"]}},
    ),
    Case(
        "vcard-escapes.vcf",
        "RFC 6350 escapes: http\\:// in URL, \\, in ORG, \\: \\; \\n \\\\ in NOTE",
        summary="1 added, 0 merged, 0 unchanged, 0 skipped, 0 errors.",
        contacts={
            "Théo Arnaud": {
                "websites": ["http://theo.example/a,b"],
                "company": "Arnaud, Fils & Cie",
                "notes": "Café: 3 tasses; toujours\nligne deux\\fin",
            }
        },
    ),
    Case(
        "vcard-no-fn.vcf",
        "Android 2.1: N only, quoted-printable UTF-8; a card with only an e-mail; a "
        "card with neither name nor e-mail",
        summary="2 added, 0 merged, 0 unchanged, 0 skipped, 1 error.",
        contacts={
            "Matěj Cepl": {"phones": ["+420 604 893 825"]},
            "ursule@example.org": {"emails": ["ursule@example.org"]},
        },
        warnings=["  line 10: the card has no name (FN or N)"],
    ),
]


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_real_world_file(run, db_file, case: Case):
    path = str(DATA / case.file)
    dry = run("import", path, "--dry-run", code=case.code)
    assert not db_file.exists(), "a dry run creates no database"
    result = run("import", path, code=case.code)
    if case.code:
        assert result.stderr.splitlines()[0] == case.summary
        assert dry.stderr == result.stderr
        assert not db_file.exists(), "a refused import creates no database"
        return
    lines = _lines(result.stderr)
    assert case.summary in [line.strip() for line in lines]
    assert case.summary in dry.stderr
    shown = [line for line in lines if line.startswith(("Warning:", "  line"))]
    assert shown == case.warnings
    people = {
        r["name"]: r for r in json.loads(run("export", "contacts", "--format", "json").stdout)
    }
    assert sorted(people) == sorted(case.contacts)
    for name, expected in case.contacts.items():
        assert {k: people[name][k] for k in expected} == expected, name
    again = run("import", path)
    assert "0 added, 0 merged" in again.stderr, "importing the same file twice changes nothing"
