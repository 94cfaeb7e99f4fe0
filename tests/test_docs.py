"""Every command is in the README (STYLE.md rule 7), as sqlite-utils'
``tests/test_docs.py`` checks: the commands are discovered from the click app,
so a new command (or a new subcommand of a group) fails here until documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

# "netcrm WORD" or "netcrm WORD SUB", where either may be alternatives written
# a|b|c (escaped as a\|b inside a Markdown table).
_WORDS = r"[a-z][\w-]*(?:\\?\|[a-z][\w-]*)*"
_MENTION = re.compile(rf"\bnetcrm ({_WORDS})(?: ({_WORDS}))?")


def _alternatives(words: str | None) -> list[str]:
    return words.replace("\\", "").split("|") if words else []


def documented() -> set[tuple[str, ...]]:
    """Every (command,) and (group, subcommand) the README names."""
    found: set[tuple[str, ...]] = set()
    for match in _MENTION.finditer(README):
        for word in _alternatives(match[1]):
            found.add((word,))
            for sub in _alternatives(match[2]):
                found.add((word, sub))
    return found


def commands() -> list[tuple[str, ...]]:
    """Every visible top-level command and every subcommand of every group."""
    import typer.main

    from netcrm.cli import app

    root = typer.main.get_command(app)
    found: list[tuple[str, ...]] = []
    for name, command in sorted(root.commands.items()):  # type: ignore[attr-defined]
        if command.hidden:
            continue
        found.append((name,))
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            found.extend((name, sub) for sub, c in sorted(command.commands.items()) if not c.hidden)
    return found


@pytest.mark.parametrize("command", commands(), ids=" ".join)
def test_every_command_is_in_the_readme(command: tuple[str, ...]) -> None:
    assert command in documented(), f"netcrm {' '.join(command)} is missing from README.md"


def test_the_discovery_sees_groups_and_subcommands() -> None:
    found = commands()
    assert ("due",) in found and ("report", "keys") in found and ("db", "backup") in found
    assert ("report", "keys") in documented() and ("report", "activity") in documented()
