"""A real MCP client for the tests: the SDK's ``stdio_client`` and
``ClientSession`` talking to ``python -m netcrm mcp`` in a subprocess.

Tests are synchronous: the session lives in an anyio blocking portal (an event
loop in a thread) for as long as the fixture that opened it, so one server
process serves a whole test module.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp", reason="the MCP SDK is the optional extra netcrm[mcp]")

from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def server_env(db: Path | str, today: str) -> dict[str, str]:
    """The server's environment: this tree first on the path, its own database."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, "NETCRM_DB": str(db), "NETCRM_TODAY": today, "NO_COLOR": "1"}


@asynccontextmanager
async def _session(args: list[str], env: dict[str, str], db: str | None) -> AsyncIterator[Any]:
    root = ["--db", db] if db is not None else []
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "netcrm", *root, "mcp", *args], env=env
    )
    with open(os.devnull, "w") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write) as session,
        ):
            yield session, await session.initialize()


class Client:
    """Synchronous calls on one live session."""

    def __init__(self, portal: Any, session: Any, initialized: Any) -> None:
        self.portal = portal
        self.session = session
        self.initialized = initialized

    def _run(self, method: Any, *args: Any) -> Any:
        return self.portal.call(method, *args)

    def tools(self) -> dict[str, Any]:
        return {t.name: t for t in self._run(self.session.list_tools).tools}

    def call_raw(self, name: str, /, **arguments: Any) -> Any:
        return self._run(self.session.call_tool, name, arguments)

    def call(self, name: str, /, **arguments: Any) -> Any:
        """A tool's result as JSON; fails the test on a tool error."""
        result = self.call_raw(name, **arguments)
        assert not result.is_error, result.content[0].text
        return json.loads(result.content[0].text)

    def error(self, name: str, /, **arguments: Any) -> str:
        """A tool error's text; fails the test when the call succeeded."""
        result = self.call_raw(name, **arguments)
        assert result.is_error, f"{name} succeeded: {result.content[0].text[:300]}"
        return result.content[0].text

    def resources(self) -> Any:
        return self._run(self.session.list_resources)

    def resource_templates(self) -> Any:
        return self._run(self.session.list_resource_templates)

    def read(self, uri: str) -> Any:
        return self._run(self.session.read_resource, uri)

    def prompts(self) -> Any:
        return self._run(self.session.list_prompts)

    def prompt(self, name: str, /, **arguments: str) -> Any:
        return self._run(self.session.get_prompt, name, arguments)


@contextmanager
def serving(*args: str, env: dict[str, str], db: str | None = None) -> Iterator[Client]:
    """``[python -m] netcrm [--db DB] mcp ARGS`` with ``env``, initialized."""
    from anyio.from_thread import start_blocking_portal

    opened = _session(list(args), env, db)
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(opened) as (session, initialized),
    ):
        yield Client(portal, session, initialized)
