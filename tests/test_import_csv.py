"""Importing CSV files through the real CLI: LinkedIn (today's export and the
old one), Google Contacts (current and legacy headers), netcrm's own CSV (full
and partial), and any CSV with --map (PRODUCT.md §7, issue 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import refused

pytestmark = pytest.mark.both_engines
DATA = Path(__file__).parent / "data" / "import"


def contacts(run) -> dict[str, dict]:
    rows = json.loads(run("export", "contacts", "--format", "json").stdout)
    return {r["name"]: r for r in rows}


def pick(record: dict, *keys: str) -> dict:
    return {k: record[k] for k in keys}


CHANNELS = ("emails", "phones", "linkedin", "whatsapp", "facebook", "websites", "other_channels")


def channels(record: dict) -> dict:
    return {k: record[k] for k in CHANNELS if record[k]}


# --- LinkedIn ------------------------------------------------------------------------


def test_linkedin_today_with_notes_preamble(run):
    result = run("import", str(DATA / "linkedin-connections.csv"))
    assert result.stdout == ""
    assert result.stderr == (
        "Imported linkedin-connections.csv (LinkedIn connections):\n"
        "  4 added, 0 merged, 0 unchanged, 0 skipped, 0 errors, 1 ignored.\n"
    )
    people = contacts(run)
    assert sorted(people) == [
        'Jean-Baptiste "JB" Dupont, PhD',
        "Karim Benali",
        "Léa Martin",
        "Zoé 🚀 Leroy",
    ]
    lea = people["Léa Martin"]
    assert pick(lea, "company", "role", "met_via", "met_on", "tags", "notes") == {
        "company": "Studio Lumière",
        "role": "Fondatrice",
        "met_via": "linkedin",
        "met_on": "2024-10-09",
        "tags": [],
        "notes": None,
    }
    assert channels(lea) == {
        "emails": ["lea.martin@example.fr"],
        "linkedin": ["https://www.linkedin.com/in/lea-martin-8b2a1c"],
    }
    jb = people['Jean-Baptiste "JB" Dupont, PhD']
    assert pick(jb, "company", "role", "met_on") == {
        "company": "ACME Conseil",
        "role": "Consultant SEO, contenus",
        "met_on": "2023-03-14",
    }
    assert channels(jb) == {"linkedin": ["https://www.linkedin.com/in/jbdupont"]}
    zoe = people["Zoé 🚀 Leroy"]
    assert pick(zoe, "company", "role", "met_on") == {
        "company": None,
        "role": None,
        "met_on": "2025-01-02",
    }
    assert channels(people["Karim Benali"]) == {
        "emails": ["karim@benali.example"],
        "linkedin": ["https://fr.linkedin.com/in/karim-benali/"],
    }


def test_linkedin_old_export_without_url_or_preamble(run):
    run("import", str(DATA / "linkedin-old.csv"))
    people = contacts(run)
    assert sorted(people) == ["Marc Petit", "Sophie Bernard"]
    assert pick(people["Marc Petit"], "company", "role", "met_via", "met_on") == {
        "company": "Petit & Fils",
        "role": "Gérant",
        "met_via": "linkedin",
        "met_on": "2019-01-12",
    }
    assert channels(people["Marc Petit"]) == {"emails": ["marc.petit@example.com"]}
    assert people["Sophie Bernard"]["met_on"] == "2018-02-03"
    assert channels(people["Sophie Bernard"]) == {}


def test_linkedin_header_is_found_after_any_preamble(run, tmp_path):
    notice = "\n".join(f'"Notice line {n}, with a comma"' for n in range(8))
    path = tmp_path / "Connections.csv"
    path.write_text(
        f"Notes:\n{notice}\n\n"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Lopes,https://www.linkedin.com/in/ana-lopes,,Lopes Design,Designer,1 Dec 2025\n",
        encoding="utf-8",
    )
    result = run("import", str(path), "--dry-run")
    assert result.stdout == "line     12  add        Ana Lopes\n"


def test_linkedin_bad_date_costs_that_field_only(run, tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Lopes,,,,,someday\n"
        "Bea,Costa,,,,,07 Jul 2020\n",
        encoding="utf-8",
    )
    result = run("import", str(path))
    assert "2 added" in result.stderr
    assert "  line 2: Connected On 'someday' left out (cannot read the date" in result.stderr
    people = contacts(run)
    assert (people["Ana Lopes"]["met_on"], people["Bea Costa"]["met_on"]) == (None, "2020-07-07")


# --- Google Contacts ------------------------------------------------------------------------


def test_google_current_headers(run):
    result = run("import", str(DATA / "google-current.csv"))
    assert result.stderr.startswith("Imported google-current.csv (Google Contacts):\n  3 added")
    people = contacts(run)
    assert sorted(people) == ["Camille Durand", "Librairie du Port", "Nadia"]
    camille = people["Camille Durand"]
    assert pick(camille, "company", "role", "location", "birthday", "notes", "tags") == {
        "company": "Podcast Entrepreneurs",
        "role": "Animatrice",
        "location": "Lyon, France",
        "birthday": "1988-06-21",
        "notes": "Rencontrée au meetup de Lyon.\nVeut enregistrer un épisode commun.",
        "tags": ["podcasteurs", "starred"],
    }
    assert channels(camille) == {
        "emails": [
            "camille@podcast.example",
            "camille.durand@gmail.example",
            "cam@maison.example",
        ],
        "phones": ["+33 6 11 22 33 44"],
        "whatsapp": ["+33 6 99 88 77 66"],
        "linkedin": ["https://www.linkedin.com/in/camille-durand"],
        "websites": ["https://podcast-entrepreneurs.example"],
    }
    nadia = people["Nadia"]
    assert pick(nadia, "birthday", "tags", "company") == {
        "birthday": "--11-05",
        "tags": [],
        "company": None,
    }
    assert channels(nadia) == {"phones": ["06 12 34 56 78"]}
    shop = people["Librairie du Port"]
    assert pick(shop, "company", "tags") == {"company": "Librairie du Port", "tags": ["libraires"]}
    assert channels(shop) == {"emails": ["contact@librairie-port.example"]}


def test_google_legacy_headers(run):
    run("import", str(DATA / "google-legacy.csv"))
    people = contacts(run)
    assert sorted(people) == ["Thomas J. Roux", "Élodie Garnier"]
    elodie = people["Élodie Garnier"]
    assert pick(elodie, "company", "role", "location", "birthday", "notes", "tags") == {
        "company": "Les Carnets d'Élodie",
        "role": "Rédactrice",
        "location": "Bordeaux",
        "birthday": "1979-02-14",
        "notes": "Partenaire blog.",
        "tags": ["blogueurs", "partenaires"],
    }
    assert channels(elodie) == {
        "emails": ["elodie@carnets.example"],
        "phones": ["+33 7 55 44 33 22"],
        "websites": ["https://carnets-elodie.example"],
    }
    assert channels(people["Thomas J. Roux"]) == {
        "emails": ["thomas.roux@example.org"],
        "phones": ["+33 1 40 00 00 00", "+33 1 40 00 00 01"],
        "facebook": ["https://www.facebook.com/thomas.roux"],
    }


def test_google_any_number_of_groups(run, tmp_path):
    header = ["First Name", "Last Name"] + [
        f"{group} {n} - {part}"
        for n in range(1, 8)
        for group, part in (("E-mail", "Value"), ("Phone", "Value"))
    ]
    cells = ["Ines", "Garcia"] + [
        value for n in range(1, 8) for value in (f"ines{n}@garcia.example", f"+34 600 000 00{n}")
    ]
    path = tmp_path / "contacts.csv"
    path.write_text(",".join(header) + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    run("import", str(path), "--format", "google")
    ines = contacts(run)["Ines Garcia"]
    assert ines["emails"] == [f"ines{n}@garcia.example" for n in range(1, 8)]
    assert ines["phones"] == [f"+34 600 000 00{n}" for n in range(1, 8)]


# --- netcrm's own CSV and --map ----------------------------------------------------------


def test_netcrm_csv_every_field(run):
    result = run("import", str(DATA / "netcrm-contacts.csv"))
    assert result.stderr.startswith("Imported netcrm-contacts.csv (netcrm CSV):\n  2 added")
    people = contacts(run)
    lea = people["Léa Martin"]
    lea.pop("id")
    lea.pop("updated_at")
    assert lea == {
        "name": "Léa Martin",
        "company": "Studio Lumière",
        "role": "Fondatrice",
        "location": "Lyon",
        "emails": ["lea@ex.fr", "lea.martin@gmail.example"],
        "phones": ["+33 6 12 34 56 78"],
        "linkedin": ["https://www.linkedin.com/in/lea-martin"],
        "whatsapp": ["+33 6 12 34 56 78"],
        "facebook": [],
        "websites": ["https://studio-lumiere.example"],
        "other_channels": ["shapr:lea.m"],
        "met_via": "linkedin",
        "met_on": "2024-10-09",
        "birthday": "1990-04-12",
        "warmth": 4,
        "bigger": True,
        "relationship": "mixed",
        "every": "FREQ=DAILY;INTERVAL=30",
        "tags": ["podcast", "webinar"],
        "keys": ["creativity", "opportunity"],
        "notes": "Aime les projets vidéo.\nPréfère WhatsApp.",
        "archived": False,
        "last_contact": None,
        # 30 days after created_at, kept from the file: the clock is not reset.
        "next_touch": "2026-02-14",
        "created_at": "2026-01-15 09:30:00",
    }
    # The ' that export puts before formula-like cells is gone again.
    formula = people['=HYPERLINK("x")']
    assert pick(formula, "birthday", "notes", "archived", "created_at") == {
        "birthday": "--12-25",
        "notes": "-- moins",
        "archived": True,
        "created_at": "2026-02-01 08:00:00",
    }


def test_netcrm_csv_with_some_columns_only(run):
    result = run("import", str(DATA / "netcrm-subset.csv"))
    assert result.stderr.startswith("Imported netcrm-subset.csv (netcrm CSV):\n  2 added")
    people = contacts(run)
    assert pick(people["Marc Petit"], "company", "emails", "met_via") == {
        "company": "Petit & Fils",
        "emails": ["marc@petit.example"],
        "met_via": None,
    }
    assert pick(people["Sophie Bernard"], "company", "emails") == {
        "company": "Agence Bleue",
        "emails": [],
    }


def test_netcrm_csv_extra_columns_are_ignored_with_a_warning(run, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "name,company,emails,favourite colour\nAna Lopes,Lopes,ana@lopes.example,vert\n"
    )
    result = run("import", str(path))
    assert result.stderr.startswith(
        "Warning: ignored the columns favourite colour (not netcrm fields)\n"
    )
    assert contacts(run)["Ana Lopes"]["emails"] == ["ana@lopes.example"]


MAP = "Full name=name,Mail=email,Job title=role,Org=company,Mobile=phone,Groups=tags,Remarks=notes"


def test_generic_csv_with_map(run):
    result = run("import", str(DATA / "generic.csv"), "--map", MAP)
    assert result.stderr.startswith("Imported generic.csv (CSV):\n  2 added")
    people = contacts(run)
    julie = people["Julie Perrin"]
    assert pick(julie, "role", "company", "tags", "notes") == {
        "role": "Photographe",
        "company": "Studio Perrin",
        "tags": ["mariage", "photo"],
        "notes": "Rencontrée au forum",
    }
    assert channels(julie) == {
        "emails": ["julie@perrin.example"],
        "phones": ["+33 6 45 45 45 45"],
    }
    assert channels(people["Yves Colin"]) == {"phones": ["06 70 70 70 70"]}


def test_map_with_first_and_last_names(run, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Prénom;Nom;Courriel\nAgnès;Morel;agnes@morel.example\n", encoding="utf-8")
    run("import", str(path), "--map", "prénom=first_name,NOM=last_name,Courriel=emails")
    assert contacts(run)["Agnès Morel"]["emails"] == ["agnes@morel.example"]


def test_generic_csv_without_map_is_refused(run, db_file):
    error = refused(run, db_file, "import", str(DATA / "generic.csv"), alone=True)
    assert error == (
        "Error: cannot recognise generic.csv: no LinkedIn, Google Contacts, Outlook, netcrm CSV "
        'or vCard header; for another CSV give --format csv --map "Header=field,…"'
    )


def test_bad_maps_are_refused(run):
    cases = {
        "Full name=name,Mail=mail": "Error: --map: unknown field 'mail'; use one of ",
        "Full name": "Error: cannot read --map item 'Full name'; write \"Header=field\"",
        "Mail=emails": "Error: --map must give a column for name (or first_name / last_name)",
        "Nom=name": "Error: generic.csv has no header row with the columns of --map (nom)",
        "Full name=name,full name=role": "Error: --map names the column 'full name' twice",
    }
    for mapping, error in cases.items():
        result = run("import", str(DATA / "generic.csv"), "--map", mapping, code=2)
        assert result.stderr.startswith(error), (mapping, result.stderr)
    result = run("import", str(DATA / "generic.csv"), "--map", MAP, "--format", "linkedin", code=2)
    assert result.stderr == (
        "Error: --map describes a generic CSV; use it with --format csv (or auto)\n"
    )
    result = run("import", str(DATA / "generic.csv"), "--format", "csv", code=2)
    assert result.stderr.startswith("Error: a generic CSV needs --map")


def test_forced_format_must_match_the_header(run):
    result = run("import", str(DATA / "google-current.csv"), "--format", "linkedin", code=2)
    assert result.stderr == (
        "Error: google-current.csv has no LinkedIn connections header row in its first rows\n"
    )


def test_imported_contacts_are_in_the_search_index_with_their_channels(run):
    run("import", str(DATA / "linkedin-connections.csv"))
    found = json.loads(run("search", "benali.example", "--json").stdout)
    assert [(r["type"], r["title"]) for r in found] == [("contact", "Karim Benali")]
    found = json.loads(run("search", "lumiere", "--json").stdout)
    assert [r["title"] for r in found] == ["Léa Martin"]
