"""Importing vCard files through the real CLI: 2.1 (quoted-printable, soft line
breaks), 3.0 (Apple: BOM, CRLF, folded lines, grouped properties), 4.0 (LF
only, TEL;VALUE=uri, BDAY:--MMDD, IMPP, unknown X- properties), and a file
with broken cards among good ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import count_rows, refused

pytestmark = pytest.mark.both_engines
DATA = Path(__file__).parent / "data" / "import"
CHANNELS = ("emails", "phones", "linkedin", "whatsapp", "facebook", "websites", "other_channels")


def contacts(run) -> dict[str, dict]:
    rows = json.loads(run("export", "contacts", "--format", "json").stdout)
    return {r["name"]: r for r in rows}


def fields(record: dict, *keys: str) -> dict:
    return {k: record[k] for k in keys}


def channels(record: dict) -> dict:
    return {k: record[k] for k in CHANNELS if record[k]}


def test_vcard_21_quoted_printable(run):
    result = run("import", str(DATA / "vcard-21.vcf"))
    assert result.stderr == (
        "Imported vcard-21.vcf (vCard):\n  2 added, 0 merged, 0 unchanged, 0 skipped, 0 errors.\n"
    )
    people = contacts(run)
    helene = people["Hélène François"]
    assert fields(helene, "company", "role", "notes", "birthday") == {
        "company": "Atelier Céleste",
        "role": "Illustratrice",
        # =0D=0A decoded, and the soft line break joined back.
        "notes": "Rencontrée au salon du livre.\r\nÀ relancer en janvier pour l'expo.",
        "birthday": None,
    }
    assert channels(helene) == {
        "emails": ["helene@atelier-celeste.example"],
        "phones": ["+33612345678", "+33 1 23 45 67 89"],
    }
    paul = people["Paul Moreau"]
    assert (paul["birthday"], paul["phones"]) == ("1975-09-30", ["01 45 67 89 10"])
    # 2.1 had no rule for CATEGORIES; phones wrote them separated by ';'.
    assert paul["tags"] == ["lecture", "salon du livre"]


def test_vcard_30_apple_export(run):
    run("import", str(DATA / "vcard-30.vcf"))
    people = contacts(run)
    ines = people["Inès Lambert"]
    assert fields(ines, "company", "role", "location", "birthday", "tags", "notes") == {
        "company": "Collectif Vidéo Nantes",
        "role": "Réalisatrice",
        "location": "Nantes, France",
        # Apple writes 1604 for "no year".
        "birthday": "--04-12",
        "tags": ["nantes", "vidéaste"],
        # The folded line is joined back, the escaped comma unescaped.
        "notes": "Très bonne idée de concours vidéo pour l,automne. "
        "Elle préfère les messages WhatsApp aux e-mails.",
    }
    assert channels(ines) == {
        "emails": ["ines@collectif-video.example"],
        "phones": ["+33 6 70 80 90 10"],
        "linkedin": ["https://www.linkedin.com/in/ines-lambert"],
        "websites": ["https://ines-lambert.example"],
    }
    hugo = people["Hugo Fontaine"]
    assert channels(hugo) == {
        "emails": ["hugo@fontaine.example"],
        "whatsapp": ["+33 6 01 02 03 04"],
    }
    assert hugo["tags"] == ["forum", "seo"]


def test_vcard_40_lf_only(run):
    run("import", str(DATA / "vcard-40.vcf"))
    people = contacts(run)
    yasmine = people["Yasmine Haddad"]
    assert yasmine["birthday"] == "--04-12"
    assert yasmine["notes"] is None  # X-FAVOURITE-COLOUR is ignored
    assert channels(yasmine) == {
        "emails": ["yasmine@haddad.example"],
        "phones": ["+33-6-12-34-56-78"],
        "facebook": ["https://www.facebook.com/yasmine.haddad"],
        "other_channels": ["xmpp:yasmine@jabber.example"],
    }
    olivier = people["Olivier Chevalier"]
    assert fields(olivier, "company", "role", "notes") == {
        "company": "Les Ateliers du Web",
        "role": "Développeur",
        "notes": "Conférence Paris Web, atelier accessibilité.\nContact chaleureux.",
    }


def test_broken_cards_are_reported_and_the_others_import(run):
    result = run("import", str(DATA / "vcard-broken.vcf"))
    assert result.stderr == (
        "Imported vcard-broken.vcf (vCard):\n"
        "  3 added, 0 merged, 0 unchanged, 0 skipped, 2 errors.\n"
        "  line 16: the card has no name (FN or N)\n"
        "  line 21: the card has no END:VCARD\n"
        "  line 6: property 'this line has no colon' left out "
        "(line 9: Failed to parse line: this line has no colon)\n"
    )
    assert sorted(contacts(run)) == ["Alice Dumas", "Broken Card", "Bruno Caron"]


def test_vcard_is_recognised_by_extension_and_content(run, tmp_path):
    path = tmp_path / "contacts.txt"
    path.write_text("\n\nbegin:vcard\nversion:3.0\nfn:Ana Lopes\nend:vcard\n", encoding="utf-8")
    run("import", str(path))
    assert "Ana Lopes" in contacts(run)


def test_a_file_without_cards_is_refused(run, db_file, tmp_path):
    path = tmp_path / "empty.vcf"
    path.write_text("VERSION:3.0\nFN:Nobody\n", encoding="utf-8")
    error = refused(run, db_file, "import", str(path), alone=True)
    assert error == "Error: no vCard in the file (no BEGIN:VCARD line)"


def test_importing_the_same_vcards_twice_changes_nothing(run, db_file):
    run("import", str(DATA / "vcard-30.vcf"))
    before = count_rows(db_file)
    result = run("import", str(DATA / "vcard-30.vcf"))
    assert "0 added, 0 merged, 2 unchanged" in result.stderr
    assert count_rows(db_file) == before


def test_a_structured_name_is_derived_from_the_full_name_on_export():
    from netcrm.io.vcard import derived_name

    assert derived_name("Wile E. Coyote") == ("Wile", "E.", "Coyote")
    assert derived_name("Léa Le Gall") == ("Léa", "", "Le Gall")
    assert derived_name("Jean-Baptiste J R Dupont") == ("Jean-Baptiste", "J R", "Dupont")
    assert derived_name("Cher") == ("Cher", "", "")


def test_exported_n_keeps_initials_apart(run):
    import vobject

    run("add", "Wile E. Coyote")
    (card,) = vobject.readComponents(run("export", "contacts", "--format", "vcard").stdout)
    n = card.n.value
    assert (n.family, n.given, n.additional) == ("Coyote", "Wile", "E.")
