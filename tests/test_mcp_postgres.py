"""``netcrm mcp --db postgresql+psycopg://…``: the same session on PostgreSQL.

A fresh database on the local server (trust auth) for the module, dropped at
the end; skipped when no PostgreSQL answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.conftest import TODAY
from tests.mcp_client import Client, server_env, serving

psycopg = pytest.importorskip("psycopg")


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    name = f"netcrm_mcp_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect("dbname=postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL here: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg:///{name}"
        finally:
            from netcrm.store import engine

            engine.dispose_engines()
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def mcp(pg_url: str) -> Iterator[Client]:
    with serving(env=server_env(pg_url, TODAY.isoformat())) as client:
        yield client


def test_a_session_on_postgresql_is_seen_by_the_cli(mcp, run, pg_url):
    import json

    def cli(*args: str) -> object:
        return json.loads(run("--db", pg_url, *args, "--json").stdout)

    lea = mcp.call("add_contact", name="Léa Martin", email="lea@ex.fr", every="30d")["contact"]
    mcp.call("add_contact", name="Léa Moreau", keys=["opp"])
    assert "matches 2 contacts" in mcp.error("log_interaction", who="léa", summary="Coffee")
    assert mcp.call("log_interaction", who="martin", summary="Coffee", on="yesterday")
    handle = mcp.call("remind", text="Send the outline", who="lea@ex.fr", on="today")["followup"][
        "handle"
    ]
    assert mcp.call("due") == cli("due")
    assert mcp.call("search", text="outline") == cli("search", "outline")
    mcp.call("done", handle=handle)
    assert handle not in [f["handle"] for f in cli("followups")]
    idea = mcp.call("add_idea", title="Podcast swap", with_contacts=["moreau"])["idea"]
    assert idea == cli("idea", "show", str(idea["id"]))
    assert mcp.call("show_contact", who=str(lea["id"])) == cli("show", str(lea["id"]))
    assert mcp.call("report_keys") == cli("report", "keys")
    assert mcp.call("report_network") == cli("report", "network")
