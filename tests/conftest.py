"""Every test owns its world (STYLE.md rule 7): its own database file, a
pinned "today" (2026-11-27, a Friday), rich's width pinned, no colours."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from netcrm import render
    from netcrm.cli import state
    from netcrm.store import engine

    monkeypatch.setenv("NETCRM_DB", str(tmp_path / "netcrm.db"))
    monkeypatch.setenv("NETCRM_TODAY", TODAY.isoformat())
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("NETCRM_DEBUG", raising=False)
    state.STATE.db_option = None
    render.reset_consoles()
    yield
    engine.dispose_engines()
    render.reset_consoles()
    state.STATE.db_option = None


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "netcrm.db"


@pytest.fixture
def today() -> date:
    return TODAY


class Run:
    """Runs the real CLI in-process (typer's CliRunner) against the test's
    database; stdout and stderr apart."""

    def __call__(self, *args: str, input: str | None = None, code: int | None = 0):
        from typer.testing import CliRunner

        from netcrm import render
        from netcrm.cli import app

        render.reset_consoles()
        result = CliRunner().invoke(app, list(args), input=input)
        render.reset_consoles()
        if code is not None and result.exit_code != code:
            raise AssertionError(
                f"netcrm {' '.join(args)} exited {result.exit_code}, expected {code}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}\n"
                f"exception: {result.exception!r}"
            )
        return result


@pytest.fixture
def run() -> Callable[..., object]:
    return Run()


@pytest.fixture
def at(run: Run, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """``at("2026-01-31", "add", …)``: the real CLI with today pinned to that day,
    for stories that span days (month ends, 29 February, the year boundary)."""

    def call(day: str, *args: str, code: int | None = 0):
        monkeypatch.setenv("NETCRM_TODAY", day)
        return run(*args, code=code)

    return call


def count_rows(path: Path) -> dict[str, int]:
    """Rows per table: compare before and after a command that must write nothing."""
    import sqlite3

    if not path.exists():
        return {}
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                " AND name NOT LIKE 'search%'"
            )
        ]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def refused(run, db_file: Path, *args: str, message: str | None = None, alone: bool = False) -> str:
    """The refusal check (PRODUCT.md §4): ``netcrm ARGS`` exits 2, stderr's first line
    is the one ``Error:`` line (``message`` when given; with ``alone``, the only line,
    else candidates and hints may follow it), no traceback, nothing on stdout, and
    not one row written. Returns the Error line."""
    if not db_file.exists():
        run("list", "--json")  # the database exists before counting
    before = count_rows(db_file)
    result = run(*args, code=2)
    lines = result.stderr.splitlines()
    assert lines and lines[0].startswith("Error: "), result.stderr
    assert sum(1 for line in lines if line.startswith("Error:")) == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    if alone:
        assert len(lines) == 1, result.stderr
    if message is not None:
        assert lines[0] == f"Error: {message}", result.stderr
    assert result.stdout == ""
    assert count_rows(db_file) == before
    return lines[0]
