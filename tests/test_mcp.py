"""``netcrm mcp``: the MCP server driven by the SDK's own client over stdio.

One server process (``python -m netcrm mcp``, its own database) serves the
whole module; every test makes its own contacts, with names no other test
uses, and checks the CRM through the real CLI (``--db`` the server's file).
Today is pinned to 2026-11-27, a Friday, for the server and the CLI alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY, count_rows
from tests.mcp_client import Client, server_env, serving

READS = {
    "due",
    "search",
    "show_contact",
    "list_contacts",
    "list_followups",
    "list_ideas",
    "report_keys",
    "report_network",
}
WRITES = {"add_contact", "log_interaction", "remind", "done", "snooze", "add_idea"}


@pytest.fixture(scope="module")
def server_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mcp") / "crm.db"


@pytest.fixture(scope="module")
def mcp(server_db: Path) -> Iterator[Client]:
    with serving(env=server_env(server_db, TODAY.isoformat())) as client:
        yield client


@pytest.fixture
def cli(run, server_db: Path):
    """``netcrm --db SERVER_DB ARGS --json`` through the real CLI, parsed."""

    def call(*args: str, code: int = 0) -> Any:
        result = run("--db", str(server_db), *args, code=code)
        return json.loads(result.stdout) if "--json" in args else result

    return call


# --- what the server offers ---------------------------------------------------------------


def test_initialize_names_the_server_and_guides_the_assistant(mcp):
    info = mcp.initialized.server_info
    assert info.name == "netcrm"
    assert "handles" in mcp.initialized.instructions


def test_tools_and_their_typed_schemas(mcp):
    tools = mcp.tools()
    assert set(tools) == READS | WRITES

    def props(name: str) -> dict[str, Any]:
        return tools[name].input_schema["properties"]

    assert props("due")["within_days"]["type"] == "integer"
    assert props("due")["within_days"]["default"] == 7
    assert props("search")["limit"]["default"] == 20
    assert tools["search"].input_schema["required"] == ["text"]
    assert props("list_contacts")["limit"]["default"] == 50
    assert props("list_followups")["include_done"]["type"] == "boolean"
    assert props("report_keys")["since"]["default"] == "90d"
    assert props("snooze")["when"]["default"] == "tomorrow"
    for name in ("add_contact", "log_interaction", "add_idea"):
        assert props(name)["keys"] == {**props(name)["keys"], "type": "array", "default": []}
        assert props(name)["keys"]["items"] == {"type": "string"}
    assert props("log_interaction")["with_contacts"]["type"] == "array"
    assert tools["log_interaction"].input_schema["required"] == ["who", "summary"]
    assert tools["add_contact"].input_schema["required"] == ["name"]
    # Descriptions an assistant can act on: WHO, date forms, handles.
    assert "email" in props("show_contact")["who"]["description"]
    assert "next friday" in props("remind")["on"]["description"]
    assert "f12" in props("done")["handle"]["description"]
    assert "s3" in props("snooze")["handle"]["description"]
    for tool in tools.values():
        assert len(tool.description) > 60 and not tool.description.startswith(" ")
        assert tool.annotations.read_only_hint is (tool.name in READS)


def test_resources_and_prompts_are_listed(mcp):
    assert [str(r.uri) for r in mcp.resources().resources] == ["netcrm://keys"]
    templates = mcp.resource_templates().resource_templates
    assert [t.uri_template for t in templates] == ["netcrm://contact/{contact_id}"]
    prompts = {p.name: p for p in mcp.prompts().prompts}
    assert set(prompts) == {"weekly_review", "prepare_meeting"}
    assert [a.name for a in prompts["prepare_meeting"].arguments] == ["who"]


# --- the daily loop of PRODUCT.md §2, seen by the CLI -------------------------------------


def test_a_session_adds_logs_reminds_reads_due_completes_and_reports(mcp, cli):
    added = mcp.call(
        "add_contact",
        name="Léa Martin-Dubois",
        email="lea.md@ex.fr",
        company="Podcasts & Co",
        met_via="linkedin",
        tags=["podcast"],
        keys=["opp"],
        every="30d",
    )
    lea = added["contact"]
    assert added["message"] == f"Added #{lea['id']} Léa Martin-Dubois; next touch 2026-12-27"
    assert cli("show", str(lea["id"]), "--json")["emails"] == ["lea.md@ex.fr"]
    assert lea == cli("list", "--tag", "podcast", "--json")[0]

    coffee = "Coffee: she wants to co-host an episode"
    where = {"via": "in-person", "on": "yesterday"}
    logged = mcp.call(
        "log_interaction", who="martin-dubois", summary=coffee, **where, keys=["crea"]
    )
    assert logged["contacts"][0]["last_contact"] == "2026-11-26"
    card = cli("show", str(lea["id"]), "--json")
    assert card["interactions"][0]["summary"] == coffee
    assert card["interactions"][0]["channel"] == "in-person"
    assert card["next_touch"] == "2026-12-26"

    reminded = mcp.call(
        "remind", text="Send the co-hosting outline", who="lea.md@ex.fr", on="monday"
    )
    handle = reminded["followup"]["handle"]
    assert reminded["followup"]["due"] == "2026-11-30"
    assert reminded["message"] == (
        f"Reminder {handle} Send the co-hosting outline with Léa Martin-Dubois: due 2026-11-30"
    )
    assert handle in [f["handle"] for f in cli("followups", "--json")]

    due = mcp.call("due", within_days=7)
    assert due == cli("due", "--within", "7d", "--json")
    assert handle in [row["handle"] for row in due]

    done = mcp.call("done", handle=handle, note="Sent")
    assert done["handle"] == handle and handle in done["message"]
    assert handle not in [f["handle"] for f in cli("followups", "--json")]
    finished = [f for f in cli("followups", "--all", "--json") if f["handle"] == handle]
    assert finished and finished[0]["done_at"] is not None

    keys = mcp.call("report_keys")
    assert keys == cli("report", "keys", "--json")
    by_key = {row["key"]: row for row in keys}
    assert by_key["opportunity"]["explicit"] >= 1 and by_key["creativity"]["explicit"] >= 1


# --- every read tool is its command's --json ----------------------------------------------


@pytest.fixture(scope="module")
def network(mcp) -> dict[str, Any]:
    """A few people, an idea and follow-ups, made through the server itself."""
    ids = {}
    for name, email, tag, every in (
        ("Yannick Le Gall", "yannick@ex.fr", "blog", None),
        ("Sean D'Arcy", "sean@ex.ie", "blog", "2w"),
        ("Zoé Quintard", None, "video", None),
    ):
        made = mcp.call(
            "add_contact", name=name, email=email, tags=[tag], company="Studio Nord", every=every
        )
        ids[name] = made["contact"]["id"]
    mcp.call("log_interaction", who="le gall", summary="Webinar on guest posts", via="video")
    mcp.call("remind", text="Renew the newsletter domain", on="2026-11-25")
    mcp.call("remind", text="Ask Sean for a guest post", who="sean", every="monthly")
    idea = mcp.call("add_idea", title="Guest-post swap", kind="guest-post", with_contacts=["sean"])
    return {"ids": ids, "idea": idea["idea"]}


@pytest.mark.parametrize(
    "tool, arguments, command",
    [
        ("due", {}, ["due"]),
        ("due", {"within_days": 0}, ["due", "--within", "0"]),
        ("search", {"text": "guest"}, ["search", "guest"]),
        ("search", {"text": "studio", "limit": 2}, ["search", "studio", "--limit", "2"]),
        ("show_contact", {"who": "yannick@ex.fr"}, ["show", "yannick@ex.fr"]),
        ("list_contacts", {}, ["list", "--limit", "50"]),
        ("list_contacts", {"tag": "blog"}, ["list", "--tag", "blog", "--limit", "50"]),
        (
            "list_contacts",
            {"company": "nord", "limit": 2},
            ["list", "--company", "nord", "-n", "2"],
        ),
        ("list_contacts", {"key": "opp"}, ["list", "--key", "opp", "--limit", "50"]),
        ("list_followups", {}, ["followups"]),
        ("list_followups", {"include_done": True}, ["followups", "--all"]),
        ("list_ideas", {}, ["idea", "list"]),
        ("list_ideas", {"status": "open"}, ["idea", "list", "--status", "open"]),
        ("report_keys", {"since": "30d"}, ["report", "keys", "--since", "30d"]),
        ("report_network", {}, ["report", "network"]),
        ("report_network", {"since": "2026-01-01"}, ["report", "network", "--since", "2026-01-01"]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_read_tool_equals_its_command_json(mcp, cli, network, tool, arguments, command):
    result = mcp.call(tool, **arguments)
    assert result == cli(*command, "--json")
    assert result  # every case reads something from the network fixture


def test_write_tools_land_in_the_crm(mcp, cli, network):
    sean = network["ids"]["Sean D'Arcy"]
    idea = network["idea"]
    assert idea == cli("idea", "show", str(idea["id"]), "--json")
    assert [p["id"] for p in idea["people"]] == [sean] and idea["flags"] == ["no-plan"]

    shared = mcp.call(
        "log_interaction",
        who="zoé",
        summary="Call with both about the video series",
        with_contacts=["yannick", "quintard"],  # Zoé twice: counted once
    )
    assert [p["name"] for p in shared["contacts"]] == ["Zoé Quintard", "Yannick Le Gall"]
    assert shared["message"].startswith(f"Logged #{shared['interaction_id']}: other with #")
    assert cli("show", "yannick", "--json")["interactions"][0]["with"] == ["Zoé Quintard"]

    snoozed = mcp.call("snooze", handle="k" + str(sean), when="2026-12-15")
    assert snoozed["message"].startswith(f"Snoozed k{sean} to 2026-12-15")
    renew = next(r for r in cli("due", "--json") if r["text"] == "Renew the newsletter domain")
    moved = mcp.call("snooze", handle=renew["handle"])
    assert "2026-11-28" in moved["message"]
    after = {r["handle"]: r["due"] for r in cli("followups", "--json")}
    assert after[renew["handle"]] == "2026-11-28"

    twin = mcp.call("add_contact", name="Y. Le Gall", email="YANNICK@ex.fr")
    assert twin["warnings"] == [
        f"#{network['ids']['Yannick Le Gall']} Yannick Le Gall already has the email "
        f"YANNICK@ex.fr; if they are the same person: netcrm merge "
        f"{twin['contact']['id']} {network['ids']['Yannick Le Gall']}"
    ]


def test_resources_are_the_cli_json(mcp, cli, network):
    keys = mcp.read("netcrm://keys").contents[0]
    assert keys.mime_type == "application/json"
    assert json.loads(keys.text) == cli("keys", "--json")
    zoe = network["ids"]["Zoé Quintard"]
    card = mcp.read(f"netcrm://contact/{zoe}").contents[0]
    assert json.loads(card.text) == cli("show", str(zoe), "--json")


def test_prompts_carry_their_data(mcp, network):
    review = mcp.prompt("weekly_review").messages[0].content.text
    for needle in ("five keys", '"key": "creativity"', "losing touch", "Stuck ideas", "remind"):
        assert needle in review
    assert "Guest-post swap" in review  # stuck: no plan yet
    meeting = mcp.prompt("prepare_meeting", who="sean@ex.ie").messages[0].content.text
    assert "I am about to meet Sean D'Arcy" in meeting
    assert "Ask Sean for a guest post" in meeting and "Guest-post swap" in meeting


# --- bad input: a tool error naming the problem, nothing written, still serving -----------


@pytest.mark.parametrize(
    "tool, arguments, needles",
    [
        ("show_contact", {"who": "nobody-like-this"}, ["no contact matches 'nobody-like-this'"]),
        ("log_interaction", {"who": "zzzz", "summary": "Hi"}, ["no contact matches 'zzzz'"]),
        (
            "log_interaction",
            {"who": "Twin", "summary": "Hi"},
            ["'Twin'", "Twin Alpha", "Twin Beta"],
        ),
        ("log_interaction", {"who": "alpha", "summary": "Hi", "on": "next friday"}, ["future"]),
        ("log_interaction", {"who": "alpha", "summary": "Hi", "via": "pigeon"}, ["'pigeon'"]),
        ("log_interaction", {"who": "alpha", "summary": "Hi", "keys": ["luck"]}, ["'luck'"]),
        ("remind", {"text": "Call", "who": "alpha", "on": "the 45th of never"}, ["45th"]),
        ("remind", {"text": "Call", "who": "Twin"}, ["Twin Alpha", "Twin Beta"]),
        ("remind", {"text": "Call", "every": "sometimes"}, ["'sometimes'"]),
        ("done", {"handle": "x9"}, ["'x9' is not a handle"]),
        ("done", {"handle": "f99999"}, ["no open follow-up f99999"]),
        ("snooze", {"handle": "s99999"}, ["no open idea step s99999"]),
        ("snooze", {"handle": "f1", "when": "someday maybe"}, ["someday maybe"]),
        ("add_contact", {"name": "Bad Mail", "email": "not-an-email"}, ["not-an-email"]),
        ("add_contact", {"name": "Bad Via", "met_via": "telepathy"}, ["telepathy"]),
        ("add_contact", {"name": "Bad Every", "every": "now and then"}, ["now and then"]),
        ("add_idea", {"title": "Webinar", "kind": "party"}, ["'party'"]),
        ("add_idea", {"title": "Webinar", "with_contacts": ["Twin"]}, ["Twin Alpha"]),
        ("list_ideas", {"status": "maybe"}, ["'maybe'"]),
        ("report_keys", {"since": "a while"}, ["a while"]),
        ("search", {"text": "   "}, ["no word to search for"]),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_input_is_a_tool_error_and_writes_nothing(mcp, server_db, tool, arguments, needles):
    if not mcp.call("list_contacts", tag="twins"):
        for name in ("Twin Alpha", "Twin Beta"):
            mcp.call("add_contact", name=name, tags=["twins"])
    before = count_rows(server_db)
    text = mcp.error(tool, **arguments)
    first = text.splitlines()[0]
    assert first.startswith("Error: "), text
    for needle in needles:
        assert needle in text, text
    assert count_rows(server_db) == before
    assert isinstance(mcp.call("due"), list)  # the server still serves


def test_an_ambiguous_who_lists_the_candidates_with_their_ids(mcp):
    if not mcp.call("list_contacts", tag="twins"):
        for name in ("Twin Alpha", "Twin Beta"):
            mcp.call("add_contact", name=name, tags=["twins"])
    ids = {c["name"]: c["id"] for c in mcp.call("list_contacts", tag="twins")}
    lines = mcp.error("show_contact", who="twin").splitlines()
    assert lines[0].startswith("Error: ") and "'twin'" in lines[0]
    assert any(f"#{ids['Twin Alpha']}" in line and "Twin Alpha" in line for line in lines[1:])
    assert any(f"#{ids['Twin Beta']}" in line and "Twin Beta" in line for line in lines[1:])


def test_arguments_that_break_the_schema_are_tool_errors(mcp):
    assert "within_days" in mcp.error("due", within_days="soon")
    assert "who" in mcp.error("show_contact")
    assert "Unknown tool" in mcp.error("delete_everything")


def test_an_unknown_contact_card_and_prompt_are_errors(mcp):
    from mcp.shared.exceptions import MCPError

    with pytest.raises(MCPError, match="no contact #999999"):
        mcp.read("netcrm://contact/999999")
    with pytest.raises(MCPError, match="no contact matches 'nobody-like-this'"):
        mcp.prompt("prepare_meeting", who="nobody-like-this")
