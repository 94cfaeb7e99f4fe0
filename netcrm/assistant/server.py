"""The MCP server of ``netcrm mcp``: the SDK's ``MCPServer`` over stdio.

- **Tools**: :mod:`netcrm.assistant.tools`, each result the JSON text of what
  the tool returns (the ``--json`` rows for the reads). ``read_only`` registers
  the read tools only: a client cannot even see a write tool.
- **Errors**: a :class:`~netcrm.errors.NetcrmError` or a database problem is a
  tool error (``is_error``) whose text is the command line's ``Error: …`` line
  (candidates or suggestions on the lines after it); nothing was written, since
  a write tool's transaction is rolled back, and the server keeps serving.
- **Resources**: ``netcrm://keys`` (the five keys, aliases and rules, as
  ``netcrm keys --json``) and ``netcrm://contact/{id}`` (a contact's card, as
  ``netcrm show ID --json``).
- **Prompts**: ``weekly_review`` and ``prepare_meeting(who)``, each carrying
  the data it is about, read when the prompt is asked for.

stdout belongs to the protocol: nothing here prints.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from netcrm import __version__
from netcrm.assistant import tools
from netcrm.cli import common
from netcrm.cli.app import database_problem, is_database_error
from netcrm.errors import DatabaseError, NetcrmError, NotFound
from netcrm.render import to_json

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from mcp.types import CallToolResult

INSTRUCTIONS = """\
netcrm is the user's personal CRM for growing a professional network: contacts, \
interactions, follow-ups, collaboration ideas, and the five networking keys \
(creativity, action-plan, self-esteem, opportunity, emotional-intelligence). \
Start the day with `due`; mark rows with `done`/`snooze` using their handles \
(f12 follow-up, s3 idea step, k7 keep in touch, b7 birthday). A contact (WHO) is \
named by id, email or part of a name; when a name is ambiguous the error lists the \
candidates with their ids: ask the user, then use the id. Log what happened with \
`log_interaction`, plan what will with `remind`."""


def _text(text: str, *, error: bool = False) -> CallToolResult:
    from mcp.types import CallToolResult, TextContent

    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=error)


def error_text(message: str, details: Sequence[str] = ()) -> str:
    """The command line's error: one ``Error:`` line, then its details."""
    return "\n".join([f"Error: {message}", *(f"  {line}" for line in details)])


def _guarded(fn: Callable[..., Any]) -> Callable[..., CallToolResult]:
    """The tool ``fn`` answering JSON text, or a tool error instead of a crash."""

    @functools.wraps(fn)
    def call(**arguments: Any) -> CallToolResult:
        try:
            value = fn(**arguments)
        except NetcrmError as exc:
            return _text(error_text(exc.message, exc.details), error=True)
        except Exception as exc:
            if not is_database_error(exc):
                raise  # a bug: the SDK answers a generic tool error and logs it
            return _text(error_text(database_problem(exc)), error=True)
        return _text(to_json(value))

    return call


def _add_tool(server: MCPServer, fn: Callable[..., Any], annotations: Any) -> None:
    description = inspect.cleandoc(fn.__doc__ or "")
    server.add_tool(
        _guarded(fn), description=description, annotations=annotations, structured_output=False
    )


def build_server(*, read_only: bool = False) -> MCPServer:
    from mcp.server.mcpserver import MCPServer
    from mcp.types import ToolAnnotations

    server: MCPServer = MCPServer(
        name="netcrm", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )
    reading = ToolAnnotations(read_only_hint=True, open_world_hint=False)
    writing = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
    for fn in tools.READ_TOOLS:
        _add_tool(server, fn, reading)
    if not read_only:
        for fn in tools.WRITE_TOOLS:
            _add_tool(server, fn, writing)
    _add_resources(server)
    _add_prompts(server)
    return server


def _add_resources(server: MCPServer) -> None:
    from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError

    @server.resource(
        "netcrm://keys",
        name="keys",
        title="The five networking keys",
        mime_type="application/json",
    )
    def keys() -> str:
        """The five keys to networking well: slug, label, aliases (French names and
        prefixes accepted wherever a key is asked), the article's idea, what it means in
        netcrm, and the rules that infer it. Same as `netcrm keys --json`."""
        from netcrm.domain.inference import key_rows

        return to_json(key_rows())

    @server.resource(
        "netcrm://contact/{contact_id}",
        name="contact",
        title="A contact's card",
        mime_type="application/json",
    )
    def contact(contact_id: int) -> str:
        """A contact's card by id: fields, channels, last interactions, open follow-ups
        and ideas. Same as `netcrm show ID --json`."""
        from netcrm.domain.contact_views import contact_card

        try:
            with common.reading() as reader:
                return to_json(contact_card(reader, contact_id, today=common.today()))
        except NotFound as exc:
            raise ResourceNotFoundError(error_text(exc.message)) from None
        except NetcrmError as exc:
            raise ResourceError(error_text(exc.message)) from None


def _add_prompts(server: MCPServer) -> None:
    @server.prompt(title="Weekly review")
    def weekly_review() -> str:
        """Review the week: the five keys, the contacts slipping away, the stuck ideas,
        and what is due, turned into a short list of concrete suggestions."""
        with _prompt_errors():
            return review_text()

    @server.prompt(title="Prepare a meeting")
    def prepare_meeting(who: str) -> str:
        """Brief me before meeting someone: who they are, our history, open follow-ups and
        ideas, and what to bring up. `who` is a contact: id, email or part of a name."""
        with _prompt_errors():
            return meeting_text(who)


@contextmanager
def _prompt_errors() -> Iterator[None]:
    """A prompt that cannot be made answers the command line's error (the SDK
    would say only "Error rendering prompt")."""
    from mcp.shared.exceptions import MCPError
    from mcp.types import INTERNAL_ERROR, INVALID_PARAMS

    try:
        yield
    except DatabaseError as exc:
        raise MCPError(INTERNAL_ERROR, error_text(exc.message)) from None
    except NetcrmError as exc:
        raise MCPError(INVALID_PARAMS, error_text(exc.message, exc.details)) from None


def review_text() -> str:
    from netcrm.domain.reports import IDEAS_COLUMNS, ideas_report

    keys = tools.report_keys()
    network = tools.report_network()
    losing = [r for r in network if r["section"] == "losing-touch"]
    ideas = tools.report_rows(ideas_report, IDEAS_COLUMNS, "90d")
    stuck = [r for r in ideas if r["section"] == "stuck"]
    due = tools.due()
    return f"""\
Here is my netcrm for a weekly review (today is {common.today().isoformat()}).

The five keys over the last 90 days (explicit = tagged by me, inferred = by netcrm's rules):
{to_json(keys)}

Contacts I am losing touch with (past their keep-in-touch cadence, most overdue first):
{to_json(losing)}

Stuck ideas (no plan, too heavy, or no movement):
{to_json(stuck)}

Due in the coming week (handles for done/snooze):
{to_json(due)}

Suggest at most five concrete actions for this week: name the weakest key and one small \
step to practise it, who to get back in touch with and how (a message, a call, a coffee), \
and a small first step for a stuck idea. Offer to record them with the remind tool \
(one follow-up per action, with a date) once I agree."""


def meeting_text(who: str) -> str:
    card = tools.show_contact(who)
    return f"""\
I am about to meet {card["name"]} (today is {common.today().isoformat()}). Here is their \
netcrm card: fields, channels, our last interactions, open follow-ups and shared ideas.

{to_json(card)}

Brief me in a few lines: who they are and how we met, what we last talked about, what I \
promised or still owe them (open follow-ups), ideas we could move forward, and two or \
three things to bring up. Afterwards, offer to log the meeting with the log_interaction \
tool and to add any follow-up with the remind tool."""


def serve(*, read_only: bool = False) -> None:
    """Serve over stdio until the client closes the connection."""
    build_server(read_only=read_only).run("stdio")
