"""``netcrm mcp`` safety: ``--read-only`` offers no write tool, a database
problem is a tool error on a server that keeps serving, and without the SDK
the command says how to install it.

One read-only server process serves the module, pointed by ``--db`` (which
wins over ``NETCRM_DB``) at a file that is not a database: listing what it
offers never opens the database, every tool call does, and is refused.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TODAY, refused
from tests.mcp_client import Client, server_env, serving
from tests.test_mcp import READS, WRITES


@pytest.fixture(scope="module")
def not_a_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mcp-safety") / "notes.db"
    path.write_text("these are my notes, not a database\n")
    return path


@pytest.fixture(scope="module")
def read_only(not_a_database: Path) -> Iterator[Client]:
    # --db wins over NETCRM_DB, as for every command.
    elsewhere = not_a_database.parent / "elsewhere" / "crm.db"
    env = server_env(elsewhere, TODAY.isoformat())
    with serving("--read-only", env=env, db=str(not_a_database)) as client:
        yield client


def test_read_only_lists_no_write_tool(read_only):
    assert set(read_only.tools()) == READS
    for name in WRITES:
        assert f"Unknown tool: {name}" in read_only.error(name, name="X", who="x", text="x")


def test_a_database_problem_is_a_tool_error_and_the_server_keeps_serving(read_only, not_a_database):
    before = hashlib.sha256(not_a_database.read_bytes()).hexdigest()
    for tool, arguments in [
        ("due", {}),
        ("show_contact", {"who": "lea"}),
        ("report_keys", {}),
        ("due", {"within_days": 3}),
    ]:
        text = read_only.error(tool, **arguments)
        assert text.startswith("Error: ") and "not a SQLite database" in text, text
        assert str(not_a_database) in text
        assert len(text.splitlines()) == 1
    from mcp.shared.exceptions import MCPError

    with pytest.raises(MCPError, match="^Error: .*not a SQLite database"):
        read_only.read("netcrm://contact/1")
    with pytest.raises(MCPError, match="^Error: .*not a SQLite database"):
        read_only.prompt("weekly_review")
    assert '"key": "creativity"' in read_only.read("netcrm://keys").contents[0].text
    assert hashlib.sha256(not_a_database.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in not_a_database.parent.iterdir()) == ["notes.db"]


def test_without_the_sdk_the_command_says_how_to_install_it(run, db_file, monkeypatch):
    # Importing the SDK fails as it does where the extra is not installed.
    for name in ("mcp", "mcp.server", "mcp.server.mcpserver"):
        monkeypatch.setitem(sys.modules, name, None)
    install = "netcrm mcp needs the MCP SDK; install it with: pip install 'netcrm[mcp]'"
    refused(run, db_file, "mcp", message=install, alone=True)
    refused(run, db_file, "mcp", "--read-only", message=install, alone=True)
