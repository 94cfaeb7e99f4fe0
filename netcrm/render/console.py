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


class Unpadded:
    """A text stream that drops the spaces at the end of every line it passes on.

    rich pads each table cell to its column's width, which a terminal hides but
    a pipe, a file or ``diff`` shows: when stdout is not a terminal, tables go
    through this (issue 12: no line carries trailing padding)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        *lines, self._pending = (self._pending + text).split("\n")
        if lines:
            self._stream.write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(self._pending)
            self._pending = ""
        self._stream.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return int(self._stream.fileno())

    @property
    def encoding(self) -> str:
        return str(getattr(self._stream, "encoding", None) or "utf-8")


def console() -> Any:
    if "out" not in _consoles:
        from rich.console import Console

        tty = sys.stdout.isatty()
        stream = None if tty else Unpadded(sys.stdout)
        _consoles["out"] = Console(file=stream, highlight=False, soft_wrap=False)  # type: ignore[arg-type]
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
