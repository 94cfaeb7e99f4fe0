"""The root app: version, usage errors, and the one place where exceptions
become ``Error:`` lines and exit codes (PRODUCT.md §4)."""

from __future__ import annotations

import pytest

from netcrm import __version__
from netcrm.cli.app import db_app
from netcrm.errors import DatabaseError, InvalidInput


def test_version(run):
    assert run("--version").stdout.strip() == f"netcrm {__version__}"


def test_no_arguments_shows_help(run):
    result = run()
    assert "Usage" in result.stdout
    assert "due" in result.stdout


def test_unknown_command_is_one_error_line(run):
    result = run("frobnicate", code=2)
    assert result.stderr.splitlines() == ["Error: No such command 'frobnicate'."]
    assert result.stdout == ""


def test_unknown_option_is_one_error_line(run):
    result = run("db", "check", "--nope", code=2)
    assert result.stderr.splitlines() == ["Error: No such option: --nope"]


@pytest.fixture
def boom_command():
    """A throwaway command that raises what the test asks for."""
    raised: list[BaseException] = []

    @db_app.command("boom")
    def boom() -> None:
        raise raised[0]

    yield raised
    db_app.registered_commands = [c for c in db_app.registered_commands if c.name != "boom"]


@pytest.mark.parametrize(
    ("exc", "code", "line"),
    [
        (InvalidInput("bad date 'soon'"), 2, "Error: bad date 'soon'"),
        (DatabaseError("the database is locked"), 3, "Error: the database is locked"),
        (KeyboardInterrupt(), 130, ""),
        (RuntimeError("kaput"), 1, "Error: unexpected RuntimeError: kaput"),
    ],
)
def test_exceptions_become_exit_codes(run, boom_command, exc, code, line):
    boom_command.append(exc)
    result = run("db", "boom", code=code)
    assert (result.stderr.splitlines() or [""])[0].startswith(line)
    assert "Traceback" not in result.stderr


def test_details_follow_the_error_line(run, boom_command):
    boom_command.append(InvalidInput("ambiguous", details=["#1 Léa Martin", "#2 Léa Petit"]))
    result = run("db", "boom", code=2)
    assert result.stderr.splitlines() == ["Error: ambiguous", "  #1 Léa Martin", "  #2 Léa Petit"]


def test_debug_shows_the_traceback(run, boom_command, monkeypatch):
    monkeypatch.setenv("NETCRM_DEBUG", "1")
    boom_command.append(RuntimeError("kaput"))
    result = run("db", "boom", code=1)
    assert isinstance(result.exception, RuntimeError)
