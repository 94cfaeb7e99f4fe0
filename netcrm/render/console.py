"""Where text goes: data to stdout, messages, warnings and errors to stderr."""

from __future__ import annotations

import sys
from typing import Any


def out(text: str = "", *, end: str = "\n") -> None:
    """Write data to stdout."""
    sys.stdout.write(text + end)


def message(text: str) -> None:
    """A message for people, on stderr."""
    err_console().print(text, highlight=False)


def warn(text: str) -> None:
    err_console().print(f"[yellow]Warning:[/yellow] {text}", highlight=False)


_consoles: dict[str, Any] = {}


def console() -> Any:
    if "out" not in _consoles:
        from rich.console import Console

        _consoles["out"] = Console(highlight=False, soft_wrap=False)
    return _consoles["out"]


def err_console() -> Any:
    if "err" not in _consoles:
        from rich.console import Console

        # soft_wrap: a message is one line, even when stderr is not a terminal.
        _consoles["err"] = Console(stderr=True, highlight=False, soft_wrap=True)
    return _consoles["err"]


def reset_consoles() -> None:
    """Forget the consoles (tests swap sys.stdout between CLI runs)."""
    _consoles.clear()


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"
