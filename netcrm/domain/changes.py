"""What an ``edit`` is told, for every entity: each field optional, and "not
given" (:data:`UNSET`) distinct from "clear it" (``None``).

A command parses its options into one of the entity's changes objects
(``ContactChanges``, ``IdeaChanges``, ``FollowupChanges``) and hands it to the
entity's one ``edit_…`` function; :func:`cleared` is the one reading of the
words that clear an optional field (``none``, ``-``, or nothing at all).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Final


class _Unset:
    """The value of a field an edit does not touch."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Final[Any] = _Unset()

# What clears an optional field on every ``edit``: none, -, or an empty value.
CLEAR_WORDS = ("", "none", "-")


def cleared(text: str | None) -> bool:
    """Whether an option's text asks to clear the field (``--role none``)."""
    return text is not None and text.strip().casefold() in CLEAR_WORDS


def or_clear(text: str | None) -> Any:
    """UNSET when the option was not given, None when it clears, else the text."""
    if text is None:
        return UNSET
    return None if cleared(text) else text


def given(changes: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields among ``names`` that an edit sets (to a value or to None)."""
    return {n: getattr(changes, n) for n in names if getattr(changes, n) is not UNSET}


def field_names(cls: Any) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))
