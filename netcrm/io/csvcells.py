"""CSV cells a spreadsheet would run as a formula (OWASP "CSV Injection").

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with a leading ``'`` unless the user asks for ``--raw``; netcrm's own
importer strips that ``'`` again, so export → import round-trips exactly (a
phone number ``+33 6 …`` included). A value that itself starts with ``'``
followed by one of those characters gets one more ``'`` so the round trip stays
exact.
"""

from __future__ import annotations

from typing import Any

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def neutralize(value: str) -> str:
    if value.startswith(DANGEROUS_FIRST):
        return "'" + value
    if value.startswith("'") and value.lstrip("'").startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def unneutralize(value: str) -> str:
    if value.startswith("'") and value.lstrip("'").startswith(DANGEROUS_FIRST):
        return value[1:]
    return value


def cell(value: Any, *, raw: bool = False) -> str:
    """One CSV cell: None is empty, lists are joined by ``; ``, booleans 0/1."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, int | float):
        return str(value)  # a number is never a formula: -2 stays -2
    elif isinstance(value, list | tuple):
        text = LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    else:
        text = str(value)
    return text if raw else neutralize(text)
