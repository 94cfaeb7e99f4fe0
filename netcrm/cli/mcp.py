"""``netcrm mcp``: serve netcrm to an AI assistant over the Model Context
Protocol (stdio), from :mod:`netcrm.assistant`.

The SDK is an optional extra (``pip install 'netcrm[mcp]'``): about 30
packages and 0.6 s to import, so only this command imports it, and without it
the command says how to install it (exit 2).
"""

from __future__ import annotations

import typer

from netcrm.cli.app import app
from netcrm.errors import InvalidInput

INSTALL = "netcrm mcp needs the MCP SDK; install it with: pip install 'netcrm[mcp]'"


@app.command("mcp")
def mcp_command(
    read_only: bool = typer.Option(
        False,
        "--read-only",
        help="Serve the read tools only: the assistant can look, never change anything.",
    ),
) -> None:
    """Serve netcrm to an AI assistant (MCP over stdio): due, search, contacts, ideas,
    reports, and (unless --read-only) add, log, remind, done, snooze.

    Configure your MCP client with the command netcrm and the arguments ["mcp"].

    Example: netcrm mcp --read-only
    """
    try:
        import mcp.server.mcpserver  # noqa: F401
    except ImportError:
        raise InvalidInput(INSTALL) from None
    from netcrm.assistant.server import serve

    serve(read_only=read_only)
