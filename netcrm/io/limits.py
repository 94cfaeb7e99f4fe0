"""Limits every writer obeys (PRODUCT.md §3 "Limits"): one definition, so the
command line, imports and the MCP server refuse the same things. Pure text
rules, like :mod:`netcrm.io.channels` which applies them to channel values;
the domain applies them to every field it writes.

- A *name* — a contact's name, an idea's title, a tag — is at most
  :data:`NAME_MAX` characters: it is shown in one table cell and typed back.
- A *text* — notes, a company, a role, a summary, a follow-up, a step, a done
  note, a channel value — is at most :data:`TEXT_MAX` characters.
- A *URL* (LinkedIn, Facebook, website) is ``http(s)://`` then a host, or a
  bare host with a dot (``lea.fr/blog``, ``linkedin.com/in/lea``); no space.

Lengths are counted after the writer's own cleaning (trimmed, spaces joined).
"""

from __future__ import annotations

import re

from netcrm.errors import InvalidInput

NAME_MAX = 200
TEXT_MAX = 10_000

# A host is labels of letters (any script), digits and hyphens, with a dot in
# it (or "localhost"); then an optional port and path/query/fragment.
_URL = re.compile(
    r"^(?:https?://)?"
    r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}\.?"
    r"(?::\d{1,5})?"
    r"(?:[/?#]\S*)?$",
    re.IGNORECASE,
)


def check_length(value: str, what: str, limit: int) -> str:
    """``value`` if it is at most ``limit`` characters, else InvalidInput."""
    if len(value) > limit:
        raise InvalidInput(f"{what} is {len(value):,} characters long; the limit is {limit:,}")
    return value


def check_name(value: str, what: str = "the name") -> str:
    return check_length(value, what, NAME_MAX)


def check_text(value: str, what: str) -> str:
    return check_length(value, what, TEXT_MAX)


def check_url(value: str, what: str, example: str) -> str:
    """``value`` if it reads as a URL (see the module docstring)."""
    if not _URL.match(value.strip()):
        raise InvalidInput(f"{value!r} is not a {what} URL (example: {example})")
    return value
