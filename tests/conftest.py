"""Every test owns its world (STYLE.md rule 7): its own database (a SQLite file,
or a fresh PostgreSQL database), a pinned "today" (2026-11-27, a Friday), rich's
width pinned, no colours.

Engines: a test module marked ``pytest.mark.both_engines`` runs each of its
tests on SQLite and on PostgreSQL (``[sqlite]`` / ``[postgresql]`` in the test
id); a test in it marked ``pytest.mark.sqlite_only`` (it reads the file itself,
or tests something only a file has) runs on SQLite alone. ``tests/pg.py`` says
where the server is and what happens when there is none.
"""

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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    node = metafunc.definition
    if node.get_closest_marker("both_engines") and not node.get_closest_marker("sqlite_only"):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


def pytest_report_header(config: pytest.Config) -> str:
    from tests import pg

    return pg.report_header()


_SECONDS = {"sqlite": 0.0, "postgresql": 0.0}


def _engine_of(report: pytest.TestReport) -> str:
    props = getattr(report, "user_properties", [])
    return "postgresql" if ("engine", "postgresql") in props else "sqlite"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _SECONDS[_engine_of(report)] += report.duration


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which engines ran (``.ci/run`` shows it): cases per engine and
    outcome, and the time their tests took."""
    counts: dict[str, dict[str, int]] = {"sqlite": {}, "postgresql": {}}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            when = getattr(report, "when", None)
            if when not in ("call", "setup") or (outcome == "passed" and when != "call"):
                continue
            name = _engine_of(report)
            counts[name][outcome] = counts[name].get(outcome, 0) + 1
    from tests import pg

    terminalreporter.write_line(pg.report_header())
    for name, by_outcome in counts.items():
        if by_outcome:
            text = ", ".join(f"{n} {o}" for o, n in by_outcome.items())
            terminalreporter.write_line(f"  {name}: {text} ({_SECONDS[name]:.0f} s of tests)")


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The engine this test runs on: "sqlite" unless parametrized (above)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_file(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """The test's database: a file path on SQLite (not created yet), the URL on
    PostgreSQL (a database at the current schema holding no rows)."""
    if engine == "sqlite":
        return tmp_path / "netcrm.db"
    from tests import pg

    return pg.fresh_database(request)


@pytest.fixture(autouse=True)
def _isolated(db_file: Path | str, monkeypatch: pytest.MonkeyPatch):
    from netcrm import render
    from netcrm.cli import state
    from netcrm.store import engine

    monkeypatch.setenv("NETCRM_DB", str(db_file))
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


def count_rows(path: Path | str) -> dict[str, int]:
    """Rows per table: compare before and after a command that must write nothing."""
    import sqlite3

    if isinstance(path, str):
        from tests import pg

        return pg.count_rows(path)
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


def refused(
    run, db_file: Path | str, *args: str, message: str | None = None, alone: bool = False
) -> str:
    """The refusal check (PRODUCT.md §4): ``netcrm ARGS`` exits 2, stderr's first line
    is the one ``Error:`` line (``message`` when given; with ``alone``, the only line,
    else candidates and hints may follow it), no traceback, nothing on stdout, and
    not one row written. Returns the Error line."""
    if isinstance(db_file, Path) and not db_file.exists():
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


def db_query(sql: str, params: tuple = ()) -> list[dict]:
    """Rows of the test's database (``?`` placeholders) as SQLite stores them —
    dates as ISO text, booleans as 0/1 — on either engine, for tests that look
    at the tables themselves."""
    from netcrm.store.location import resolve_location

    loc = resolve_location()
    if loc.path is not None:
        import sqlite3

        conn = sqlite3.connect(loc.path)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in conn.execute(sql, params)]
        finally:
            conn.close()
    from tests import pg

    return pg.query(loc.url, sql.replace("?", "%s"), params)
