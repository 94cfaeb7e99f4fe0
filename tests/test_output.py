"""The one output layer: every listing, ``show``, ``due`` and report take the same
``--json``/``--csv``/``-o FILE``/``--force`` (netcrm.render.output_options), and
every command that writes a file refuses an existing one unless ``--force``,
writing it 0600 either way (issue 12 point 11)."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.conftest import refused

# (command words, whether it has --csv): every command with the output options.
OUTPUT_COMMANDS = [
    (("list",), True),
    (("show",), True),
    (("search",), True),
    (("due",), True),
    (("followups",), True),
    (("idea", "list"), True),
    (("idea", "show"), True),
    (("keys",), False),
    (("report", "keys"), True),
    (("report", "network"), True),
    (("report", "ideas"), True),
    (("report", "activity"), True),
    (("report", "all"), False),
]


def _command(words: tuple[str, ...]):
    import typer.main

    from netcrm.cli import app

    command = typer.main.get_command(app)
    for word in words:
        command = command.commands[word]  # type: ignore[attr-defined]
    return command


def _options(words: tuple[str, ...]) -> set[str]:
    return {opt for p in _command(words).params for opt in p.opts if opt.startswith("-")}


@pytest.mark.parametrize(("words", "csv"), OUTPUT_COMMANDS, ids=lambda v: str(v))
def test_every_listing_has_the_same_output_options(words, csv):
    options = _options(words)
    assert {"--json", "--output", "-o", "--force"} <= options
    assert ("--csv" in options) is csv
    assert "--format" not in options


@pytest.mark.parametrize("words", [("export",), ("db", "backup"), ("report", "all")], ids=" ".join)
def test_every_command_that_writes_a_file_has_force(words):
    assert "--force" in _options(words)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def people(run):
    run("add", "Léa Martin", "--email", "lea@ex.fr", "--every", "30d")
    run("add", "Paul Durand", "--company", "ACME")
    run("remind", "lea", "Send the outline", "--on", "2026-11-27")


def test_o_writes_what_stdout_would_show(run, people, tmp_path):
    for words in (("list",), ("due",), ("followups",), ("show", "lea"), ("search", "lea")):
        target = tmp_path / f"{words[0]}.json"
        result = run(*words, "--json", "-o", str(target))
        assert result.stdout == ""
        assert result.stderr.startswith("Wrote ") and result.stderr.endswith(f"{target}\n")
        assert mode(target) == 0o600
        assert target.read_text(encoding="utf-8") == run(*words, "--json").stdout


def test_the_suffix_picks_the_format_without_json_or_csv(run, people, tmp_path):
    as_csv = tmp_path / "people.csv"
    run("list", "-o", str(as_csv))
    assert as_csv.read_text(encoding="utf-8") == run("list", "--csv").stdout
    as_json = tmp_path / "people.json"
    run("list", "-o", str(as_json))
    assert [r["name"] for r in json.loads(as_json.read_text())] == ["Léa Martin", "Paul Durand"]
    as_text = tmp_path / "people.txt"
    run("list", "-o", str(as_text))
    text = as_text.read_text(encoding="utf-8")
    assert "Léa Martin" in text and "\x1b" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_an_existing_file_is_refused_then_replaced_with_force(run, people, tmp_path, db_file):
    target = tmp_path / "due.csv"
    target.write_text("keep me")
    os.chmod(target, 0o644)
    error = refused(run, db_file, "due", "--csv", "-o", str(target), alone=True)
    assert error == f"Error: {target} already exists; choose another name or add --force"
    assert target.read_text() == "keep me"
    run("due", "--csv", "-o", str(target), "--force")
    assert target.read_text(encoding="utf-8") == run("due", "--csv").stdout
    assert mode(target) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_folder_is_refused_even_with_force(run, people, tmp_path, db_file):
    error = refused(run, db_file, "list", "-o", str(tmp_path), "--force", alone=True)
    assert error == f"Error: {tmp_path} is a folder; give a file name"


def test_export_html_and_backup_take_force_and_stay_private(run, people, tmp_path):
    files = {
        "export": ("export", "contacts", "-o"),
        "html": ("report", "all", "--html"),
        "backup": ("db", "backup"),
    }
    for name, words in files.items():
        target = tmp_path / f"{name}.out"
        target.write_text("old")
        os.chmod(target, 0o644)
        result = run(*words, str(target), code=2)
        assert "already exists; choose another name or add --force" in result.stderr
        assert target.read_text() == "old"
        run(*words, str(target), "--force")
        assert mode(target) == 0o600
        assert target.read_bytes() != b"old"
    conn = sqlite3.connect(tmp_path / "backup.out")
    assert conn.execute("SELECT name FROM contact ORDER BY id").fetchall() == [
        ("Léa Martin",),
        ("Paul Durand",),
    ]
    conn.close()


def test_report_all_html_refuses_json_or_o(run, people, tmp_path, db_file):
    page = tmp_path / "page.html"
    refused(run, db_file, "report", "all", "--html", str(page), "--json")
    refused(run, db_file, "report", "all", "--html", str(page), "-o", str(tmp_path / "x.txt"))
    assert not page.exists() and not (tmp_path / "x.txt").exists()


def _all_commands():
    from tests.test_docs import commands

    return commands()


@pytest.mark.parametrize("words", _all_commands(), ids=" ".join)
def test_help_states_a_default_once(words):
    """typer adds "[default: 90d]" to an option with a default; a help text that
    also says "Default: 90d." repeats it (issue 12 point 12)."""
    for param in _command(words).params:
        shown = param.default not in (None, False, (), []) and getattr(param, "show_default", True)
        if shown:
            assert "default" not in (getattr(param, "help", "") or "").casefold(), param.name


def test_report_help_shows_the_since_default_once(run):
    text = " ".join(run("report", "keys", "--help").stdout.split())
    assert text.count("[default: 90d]") == 1
    assert "Default: 90d" not in text


# --- tables that fit (issue 12 point 10) ----------------------------------------------------


@pytest.fixture
def busy(run):
    run(
        "add",
        "Léa Martin-Roux",
        "--email",
        "lea.martin-roux@a-long-company-name.example.com",
        "--every",
        "30d",
    )
    run("log", "lea", "Coffee", "--on", "2026-09-01")
    run(
        "remind",
        "lea",
        "Send the outline of the joint webinar with the three examples she asked for",
        "--on",
        "2026-11-20",
        "--tag",
        "webinar",
    )
    run("idea", "add", "A contest for the readers of the newsletter", "--kind", "contest")
    run("idea", "step", "1", "Draft the rules", "--due", "2026-12-01")


def _lines(run, monkeypatch, width: int, *words: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    return run(*words).stdout.splitlines()


@pytest.mark.parametrize("width", [60, 80, 120])
def test_dates_handles_and_ids_are_never_cut(run, busy, monkeypatch, width):
    for words in (("due",), ("followups",), ("idea", "list"), ("list",)):
        lines = _lines(run, monkeypatch, width, *words)
        text = "\n".join(lines)
        assert "…" not in text, (words, text)
        assert all(len(line) <= width for line in lines), (words, text)
        assert all(line == line.rstrip() for line in lines), words
    due = "\n".join(_lines(run, monkeypatch, width, "due"))
    assert "k1" in due and "f1" in due and "2026-11-20" in due
    followups = "\n".join(_lines(run, monkeypatch, width, "followups"))
    assert "f1" in followups and "2026-11-20" in followups
    ideas = "\n".join(_lines(run, monkeypatch, width, "idea", "list"))
    assert "contest" in ideas and "2026-12-01" in ideas


@pytest.mark.parametrize("width", [60, 80, 120])
def test_long_text_wraps_rather_than_being_cut(run, busy, monkeypatch, width):
    words = " ".join(" ".join(_lines(run, monkeypatch, width, "followups")).split())
    assert "the three examples she asked for" in words


def test_channel_drops_before_contact_and_all_show_when_wide(run, busy, monkeypatch):
    wide = _lines(run, monkeypatch, 120, "due")
    header = next(line for line in wide if "Handle" in line)
    assert "Contact" in header and "Channel" in header
    # The email is folded over lines if it must, never cut with an ellipsis.
    text = "\n".join(wide)
    assert "lea.martin-roux@a-long" in text and "example.com" in text and "…" not in text
    middle = _lines(run, monkeypatch, 80, "due")
    header = next(line for line in middle if "Handle" in line)
    assert "Contact" in header and "Channel" not in header


def test_fitting_drops_the_highest_drop_first():
    from netcrm.render.tables import Column, fitting

    columns = [
        Column("id", "ID", keep=True),
        Column("text", "Text"),
        Column("who", "Contact", drop=1),
        Column("via", "Channel", drop=2),
    ]
    cells = [["12", "x" * 40, "Léa Martin", "email:lea@example.com"]]
    assert fitting(cells, columns, 200) == [0, 1, 2, 3]
    assert fitting(cells, columns, 45) == [0, 1, 2]
    assert fitting(cells, columns, 30) == [0, 1]
    assert fitting(cells, columns, 10) == [0, 1]  # kept and undroppable columns stay
