"""Duplicates on import: matched by e-mail, LinkedIn profile, phone with the
same name, or name and company (never a phone alone), against the database and
within the file; --on-duplicate merge (fill, extend, add, never replace), skip
and add; importing twice changes nothing;
--dry-run writes nothing; --tag. Plus unit tests of the planner."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from netcrm.domain.importing import plan_import, validate
from netcrm.errors import InvalidInput
from netcrm.io.records import ImportRecord, RowError
from tests.conftest import count_rows

pytestmark = pytest.mark.both_engines

DATA = Path(__file__).parent / "data" / "import"
LINKEDIN = str(DATA / "linkedin-connections.csv")


def contacts(run) -> dict[str, dict]:
    rows = json.loads(run("export", "contacts", "--format", "json").stdout)
    return {r["name"]: r for r in rows}


def write(tmp_path: Path, text: str, name: str = "people.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_merge_fills_and_adds_but_never_overwrites(run):
    run(
        "add",
        "Léa Martin",
        "--email",
        "lea.martin@example.fr",
        "--company",
        "Autre Studio",
        "--note",
        "Vue au salon",
        "--tag",
        "salon",
    )
    dry = run("import", LINKEDIN, "--dry-run")
    assert dry.stdout.splitlines()[0] == (
        "line      5  merge      Léa Martin → #1 (same e-mail lea.martin@example.fr): "
        "+ role, met_via, met_on, "
        "linkedin https://www.linkedin.com/in/lea-martin-8b2a1c"
    )
    result = run("import", LINKEDIN)
    assert result.stderr.endswith(
        "  3 added, 1 merged, 0 unchanged, 0 skipped, 0 errors, 1 ignored.\n"
        "  Merged by: same e-mail 1.\n"
    )
    lea = contacts(run)["Léa Martin"]
    assert {k: lea[k] for k in ("id", "company", "role", "met_via", "met_on", "notes", "tags")} == {
        "id": 1,
        "company": "Autre Studio",  # kept, not overwritten
        "role": "Fondatrice",
        "met_via": "linkedin",
        "met_on": "2024-10-09",
        "notes": "Vue au salon",
        "tags": ["salon"],
    }
    assert lea["emails"] == ["lea.martin@example.fr"]
    assert lea["linkedin"] == ["https://www.linkedin.com/in/lea-martin-8b2a1c"]


def test_importing_the_same_file_twice_changes_nothing(run, db_file):
    run("import", LINKEDIN, "--tag", "linkedin")
    first = contacts(run)
    before = count_rows(db_file)
    result = run("import", LINKEDIN, "--tag", "linkedin")
    assert result.stderr.endswith(
        "  0 added, 0 merged, 4 unchanged, 0 skipped, 0 errors, 1 ignored.\n"
    )
    assert count_rows(db_file) == before
    assert contacts(run) == first  # updated_at included
    assert all(r["tags"] == ["linkedin"] for r in first.values())


def test_skip_leaves_the_contact_alone(run):
    run("add", "Léa Martin", "--email", "lea.martin@example.fr")
    result = run("import", LINKEDIN, "--on-duplicate", "skip", "--tag", "new")
    assert result.stderr.endswith(
        "  3 added, 0 merged, 0 unchanged, 1 skipped, 0 errors, 1 ignored.\n"
    )
    lea = contacts(run)["Léa Martin"]
    assert (lea["company"], lea["linkedin"], lea["tags"]) == (None, [], [])


def test_add_adds_duplicates_as_new_contacts(run):
    run("import", LINKEDIN)
    run("import", LINKEDIN, "--on-duplicate", "add")
    rows = json.loads(run("export", "contacts", "--format", "json").stdout)
    assert [r["name"] for r in rows].count("Léa Martin") == 2


def test_dry_run_writes_nothing_and_lists_every_row(run, db_file):
    run("add", "Karim Benali", "--email", "KARIM@benali.example")
    before = count_rows(db_file)
    result = run("import", LINKEDIN, "--dry-run", "--on-duplicate", "skip")
    assert result.stdout == (
        "line      5  add        Léa Martin\n"
        'line      6  add        Jean-Baptiste "JB" Dupont, PhD\n'
        "line      7  add        Zoé 🚀 Leroy\n"
        "line      8  ignored    no name (a member who left LinkedIn)\n"
        "line      9  skip       Karim Benali → #1 (same e-mail karim@benali.example)\n"
    )
    assert result.stderr == (
        "Dry run of linkedin-connections.csv (LinkedIn connections); nothing was written. "
        "It would be:\n"
        "  3 added, 0 merged, 0 unchanged, 1 skipped, 0 errors, 1 ignored.\n"
    )
    assert count_rows(db_file) == before


def test_duplicates_within_the_file_are_merged(run, tmp_path):
    path = write(
        tmp_path,
        "name,emails,phones,company,tags\n"
        "Léa Martin,lea@ex.fr,,Studio,a\n"
        "Lea MARTIN,LEA@EX.FR,+33 6 12 34 56 78,,b\n"
        "LÉA Martin,,0033 6 12 34 56 78,,c\n"
        "Paul Martin,paul@ex.fr,+33 6 12 34 56 78,,d\n",
    )
    dry = run("import", path, "--dry-run")
    assert dry.stdout == (
        "line      2  add        Léa Martin\n"
        "line      3  merge      Lea MARTIN → line 2 (same e-mail lea@ex.fr): "
        "+ phone +33 6 12 34 56 78, tags b\n"
        "line      4  merge      LÉA Martin → line 2 (same phone and name +33612345678): "
        "+ tags c\n"
        "line      5  add        Paul Martin\n"
    )
    assert dry.stderr.endswith("  Merged by: same e-mail 1, same phone and name 1.\n")
    run("import", path)
    people = contacts(run)
    assert list(people) == ["Léa Martin", "Paul Martin"]
    assert people["Léa Martin"]["phones"] == ["+33 6 12 34 56 78"]
    assert people["Léa Martin"]["tags"] == ["a", "b", "c"]
    assert people["Paul Martin"]["phones"] == ["+33 6 12 34 56 78"]


def test_a_shared_phone_never_merges_two_people(run, tmp_path):
    """Issue 11: two colleagues with the office switchboard, a family phone."""
    run("add", "Ana Lopes", "--email", "ana@acme.example", "--phone", "+33 1 40 00 00 00")
    path = write(
        tmp_path,
        "name,emails,phones\n"
        "Bruno Silva,bruno@acme.example,+33 1 40 00 00 00\n"
        "Carla Silva,,01 40 00 00 00; +33140000000\n"
        "ana lopes,,0033 1 40 00 00 00\n",
    )
    result = run("import", path)
    assert "2 added, 0 merged, 1 unchanged" in result.stderr
    people = contacts(run)
    assert people["Ana Lopes"]["emails"] == ["ana@acme.example"]
    assert people["Bruno Silva"]["emails"] == ["bruno@acme.example"]


def test_match_by_linkedin_url_whatever_its_form(run, tmp_path):
    run("add", "Karim B.", "--linkedin", "https://www.linkedin.com/in/karim-benali")
    result = run("import", LINKEDIN, "--dry-run")
    assert (
        "line      9  merge      Karim Benali → #1 "
        "(same LinkedIn profile linkedin.com/in/karim-benali)" in result.stdout
    )


def test_a_profile_url_with_a_query_or_country_host_is_the_same_profile(run, tmp_path):
    run("add", "Karim B.", "--linkedin", "https://fr.linkedin.com/in/Karim-Benali/")
    path = write(
        tmp_path,
        "name,linkedin\nK. Benali,http://www.linkedin.com/in/karim-benali?trk=profile#about\n",
    )
    assert run("import", path, "--dry-run").stdout == (
        "line      2  unchanged  K. Benali → #1 "
        "(same LinkedIn profile linkedin.com/in/karim-benali)\n"
    )


def test_match_by_name_and_company_folded(run, tmp_path):
    run("add", "Léa Martin", "--company", "Studio Lumière")
    run("add", "Léa Martin", "--company", "Autre")
    path = write(tmp_path, "name,company,role\nLEA martin,studio lumiere,Fondatrice\n")
    result = run("import", path, "--dry-run")
    assert result.stdout == (
        "line      2  merge      LEA martin → #1 (same name and company): + role\n"
    )


def test_same_name_without_company_matches_only_no_company(run, tmp_path):
    run("add", "Jean Dupont", "--company", "ACME")
    path = write(tmp_path, "name,company\nJean Dupont,\nJean Dupont,\n")
    result = run("import", path, "--dry-run")
    assert result.stdout == (
        "line      2  add        Jean Dupont\n"
        "line      3  unchanged  Jean Dupont → line 2 (same name and company)\n"
    )


def test_short_phone_numbers_do_not_identify_anyone(run, tmp_path):
    run("add", "Standard ACME", "--phone", "112")
    path = write(tmp_path, "name,phones\nJoe Bloggs,112\n")
    assert run("import", path, "--dry-run").stdout == "line      2  add        Joe Bloggs\n"


def test_notes_are_appended_once_and_birthday_year_filled(run, tmp_path):
    run(
        "add",
        "Léa Martin",
        "--email",
        "lea@ex.fr",
        "--note",
        "Première note",
        "--birthday",
        "04-12",
    )
    path = write(
        tmp_path, "name,emails,notes,birthday\nLéa Martin,lea@ex.fr,Seconde note,1990-04-12\n"
    )
    run("import", path)
    lea = contacts(run)["Léa Martin"]
    assert lea["notes"] == "Première note\n\nSeconde note"
    assert lea["birthday"] == "1990-04-12"
    again = run("import", path)
    assert "0 merged, 1 unchanged" in again.stderr
    assert contacts(run)["Léa Martin"]["notes"] == "Première note\n\nSeconde note"


def test_a_cadence_brought_by_a_merge_counts_from_the_last_interaction(run, tmp_path):
    run("add", "Léa Martin", "--email", "lea@ex.fr")
    run("log", "lea", "Coffee", "--on", "2026-11-01", "--via", "in-person")
    path = write(tmp_path, "name,emails,every\nLéa Martin,lea@ex.fr,30d\n")
    run("import", path)
    lea = contacts(run)["Léa Martin"]
    assert (lea["every"], lea["last_contact"], lea["next_touch"]) == (
        "P30D",
        "2026-11-01",
        "2026-12-01",
    )


def test_tag_option_tags_every_imported_and_merged_contact(run):
    run("add", "Léa Martin", "--email", "lea.martin@example.fr", "--tag", "ami")
    run("import", LINKEDIN, "--tag", "LinkedIn", "--tag", "2026")
    people = contacts(run)
    assert people["Léa Martin"]["tags"] == ["2026", "ami", "linkedin"]
    assert people["Zoé 🚀 Leroy"]["tags"] == ["2026", "linkedin"]


def test_a_value_that_cannot_be_read_costs_that_field_only(run, tmp_path):
    path = write(
        tmp_path,
        "name,emails,warmth,keys,met_via,birthday\n"
        "Ana Lopes,ana@lopes.example,3,opp,forum,\n"
        "Bea Costa,not-an-email,,,,circa 1800\n"
        "Carla Dias,,,nonsense,,\n"
        "Dora Reis,,9,,the moon,\n"
        ",,,,,\n"
        ",dora@reis.example,,,,\n"
        ",,4,,,\n",
    )
    result = run("import", path)
    assert result.stderr.splitlines() == [
        "Imported people.csv (netcrm CSV):",
        "  5 added, 0 merged, 0 unchanged, 0 skipped, 1 error.",
        "  line 8: no name and no e-mail address to name the contact by",
        "  line 3: birthday 'circa 1800' left out (cannot read the birthday 'circa 1800'; "
        "try 1990-04-12, 04-12 (month-day), --04-12, '12 April' or '12 avril')",
        "  line 3: email 'not-an-email' left out ('not-an-email' is not an email address "
        "(example: lea@example.fr))",
        "  line 4: keys 'nonsense' left out (unknown key 'nonsense'; the five keys are: "
        "creativity, action-plan, self-esteem, opportunity, emotional-intelligence)",
        "  line 5: warmth '9' left out (warmth must be from 1 (cold) to 5 (close), not '9')",
        "  line 5: met_via 'the moon' left out (unknown --met-via 'the moon'; use one of "
        "linkedin, shapr, forum, blog, event, irl, referral, other)",
    ]
    people = contacts(run)
    assert list(people) == [
        "Ana Lopes",
        "Bea Costa",
        "Carla Dias",
        "Dora Reis",
        "dora@reis.example",
    ]
    ana = people["Ana Lopes"]
    assert (ana["warmth"], ana["keys"], ana["met_via"]) == (3, ["opportunity"], "forum")
    assert (people["Bea Costa"]["emails"], people["Bea Costa"]["birthday"]) == ([], None)
    assert people["dora@reis.example"]["emails"] == ["dora@reis.example"]


def test_warnings_are_capped_except_on_a_dry_run(run, tmp_path):
    rows = "".join(f"P{i},bad{i}\n" for i in range(60))
    path = write(tmp_path, "name,emails\n" + rows)
    real = run("import", path, "--dry-run")
    assert sum("left out" in line for line in real.stderr.splitlines()) == 60
    result = run("import", path)
    lines = result.stderr.splitlines()
    assert sum(line.startswith("  line") for line in lines) == 50
    assert lines[-1] == "  … and 10 more values left out (--dry-run lists them all)"


def test_unknown_on_duplicate_is_refused(run):
    result = run("import", LINKEDIN, "--on-duplicate", "replace", code=2)
    assert result.stderr.startswith("Error: ")


# --- the planner, without the CLI -------------------------------------------------------


class _NoRows:
    """A Reader over an empty database."""

    dialect = "sqlite"

    def rows(self, sql, params=None):
        return []

    def close(self):
        pass


def record(line: int, name: str, *channels: tuple[str, str], **fields) -> ImportRecord:
    return ImportRecord(line, {"name": name, **fields}, [(k, v, None) for k, v in channels])


def test_plan_counts_and_matches_within_the_file():
    items = [
        record(2, "Ana Lopes", ("email", "ana@x.example")),
        record(3, "Ana L.", ("email", "ANA@x.example"), ("phone", "+351 912 345 678"), role="CEO"),
        record(4, "Ana", ("whatsapp", "+351912345678")),
        RowError(5, "bad row"),
        record(6, "Ana Lopes", ("email", "ana@x.example")),
    ]
    plan = plan_import(_NoRows(), items)
    assert [(r.line, r.action, r.into_line, r.reason) for r in plan.rows] == [
        (2, "add", None, ""),
        (3, "merge", 2, "same e-mail ana@x.example"),
        (4, "add", None, ""),
        (5, "error", None, "bad row"),
        (6, "unchanged", 2, "same e-mail ana@x.example"),
    ]
    assert plan.summary() == {
        "added": 2,
        "merged": 1,
        "unchanged": 1,
        "skipped": 0,
        "ignored": 0,
        "errors": 1,
    }
    ana, other_ana = plan.new
    assert ana.fields["role"] == "CEO"
    assert [c[:2] for c in ana.channels] == [
        ("email", "ana@x.example"),
        ("phone", "+351 912 345 678"),
    ]
    # The same number under another name is another person.
    assert [c[:2] for c in other_ana.channels] == [("whatsapp", "+351912345678")]
    assert plan.merges_by_reason() == {"same e-mail": 1}


def test_plan_add_mode_adds_everything():
    items = [record(2, "Ana Lopes"), record(3, "Ana Lopes")]
    plan = plan_import(_NoRows(), items, on_duplicate="add")
    assert [r.action for r in plan.rows] == ["add", "add"]
    assert len(plan.new) == 2


def test_validate_cleans_like_add():
    candidate = validate(
        ImportRecord(
            9,
            {"name": "  Léa   Martin ", "company": " ", "met_via": "LinkedIn", "warmth": "4"},
            [("email", " lea@ex.fr ", None), ("email", "LEA@ex.fr", None)],
            ["Podcast", "podcast"],
            ["crea"],
        ),
        extra_tags=["Import"],
    )
    assert candidate.fields == {
        "name": "Léa Martin",
        "company": None,
        "met_via": "linkedin",
        "warmth": 4,
    }
    assert candidate.channels == [("email", "lea@ex.fr", None, "lea@ex.fr")]
    assert candidate.name_key() == ("lea martin", "")
    assert candidate.surname_norm == "martin"
    assert candidate.tags == ["podcast", "import"]
    assert candidate.keys == ["creativity"]
    with pytest.raises(InvalidInput):
        validate(ImportRecord(1, {"name": " "}))
    unknown = validate(
        ImportRecord(1, {"name": "X", "met_on": date(2026, 1, 1)}, [("fax", "1", None)])
    )
    assert (unknown.channels, unknown.fields["met_on"]) == ([], date(2026, 1, 1))
    assert [w[:2] for w in unknown.warnings] == [("fax", "1")]
    named = validate(
        ImportRecord(
            1, {"name": None}, [("email", "x@localhost", None), ("email", "a@b.example", None)]
        )
    )
    assert named.fields["name"] == "a@b.example"


def test_contacts_to_merge_into_are_read_by_id_ranges(run, monkeypatch):
    """One range or one per contact: the planner decides the same."""
    from netcrm.domain import importing

    run("add", "Léa Martin", "--email", "lea.martin@example.fr", "--tag", "ami", "--key", "emo")
    run("add", "Paul Durand", "--phone", "+33 6 00 00 00 01")
    run("add", "Karim Benali", "--linkedin", "https://www.linkedin.com/in/karim-benali")
    one_range = run("import", LINKEDIN, "--dry-run", "--tag", "ami").stdout
    monkeypatch.setattr(importing, "WINDOW", 1)
    assert run("import", LINKEDIN, "--dry-run", "--tag", "ami").stdout == one_range
    assert one_range.splitlines()[0] == (
        "line      5  merge      Léa Martin → #1 (same e-mail lea.martin@example.fr): "
        "+ company, role, met_via, met_on, linkedin https://www.linkedin.com/in/lea-martin-8b2a1c"
    )
    assert one_range.splitlines()[4] == (
        "line      9  merge      Karim Benali → #3 (same LinkedIn profile "
        "linkedin.com/in/karim-benali): + company, role, met_via, met_on, "
        "email karim@benali.example, tags ami"
    )


def test_id_windows():
    from netcrm.domain.importing import _windows

    assert _windows([9, 1, 5, 7, 3], 2) == [[1, 3], [5, 7], [9]]
    assert _windows([], 2) == []


def test_namesakes_with_their_own_profiles_are_two_people(run, tmp_path):
    path = write(
        tmp_path,
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Marie,Dubois,https://www.linkedin.com/in/marie-dubois-1,,Orange,Cheffe de projet,"
        "01 Feb 2024\n"
        "Marie,Dubois,https://www.linkedin.com/in/marie-dubois-2,,Orange,Juriste,02 Feb 2024\n"
        "Marie,Dubois,,marie@orange.example,Orange,,03 Feb 2024\n",
        "Connections.csv",
    )
    assert run("import", path, "--dry-run").stdout == (
        "line      2  add        Marie Dubois\n"
        "line      3  add        Marie Dubois\n"
        "line      4  merge      Marie Dubois → line 2 (same name and company): "
        "+ email marie@orange.example\n"
    )


def test_progress_bar_on_a_terminal(run, monkeypatch):
    from netcrm.cli import transfer

    monkeypatch.setattr(transfer, "PROGRESS_MIN_LINES", 1)
    monkeypatch.setattr(transfer, "_stderr_is_terminal", lambda: True)
    result = run("import", LINKEDIN)
    assert result.stdout == ""
    assert result.stderr.endswith(
        "  4 added, 0 merged, 0 unchanged, 0 skipped, 0 errors, 1 ignored.\n"
    )
    assert len(contacts(run)) == 4


def test_imported_tags_are_the_stored_tags_whatever_their_accents(run, tmp_path):
    # Tags compare without case or accents everywhere, import included: "VELO" and
    # "velo" are the tag "vélo" a contact already has, not a second tag beside it.
    run("add", "Léa Martin", "--email", "lea@ex.fr", "--tag", "Vélo")
    people = write(
        tmp_path,
        "name,emails,tags\n"
        "Léa Martin,lea@ex.fr,velo; Salon\n"
        "Paul Girard,paul@ex.fr,VELO; vélo; salon\n",
    )
    result = run("import", people)
    assert "1 added, 1 merged" in result.stderr
    found = contacts(run)
    assert found["Léa Martin"]["tags"] == ["salon", "vélo"]
    assert found["Paul Girard"]["tags"] == ["salon", "vélo"]
    assert [t["name"] for t in json.loads(run("list", "--tag", "velo", "--json").stdout)] == [
        "Léa Martin",
        "Paul Girard",
    ]
    again = run("import", people)
    assert "0 added, 0 merged, 2 unchanged" in again.stderr
