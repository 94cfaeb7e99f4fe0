"""The example network's file for ``netcrm demo``, read and checked before
anything is written: its sections and fields, each item's values (with the
place of a mistake: ``contacts[3] (Léa Martin): unknown field 'emial'``), refs
and links. See :mod:`netcrm.domain.demo` for the format's meaning."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from netcrm.errors import InvalidInput, NetcrmError

FORMAT = "netcrm-example/1"
SECTIONS = ("contacts", "interactions", "ideas", "followups")
# A sanity bound on every day offset: a century either way.
MAX_DAYS = 36_600

_TOP_FIELDS = frozenset({"format", "about", *SECTIONS})
_CONTACT_FIELDS = frozenset(
    {
        "ref",
        "name",
        "company",
        "role",
        "location",
        "met_via",
        "met_days_ago",
        "added_days_ago",
        "channels",
        "birthday",
        "birthday_in_days",
        "birthday_year",
        "warmth",
        "bigger",
        "relationship",
        "every",
        "tags",
        "keys",
        "notes",
        "archived",
    }
)
_INTERACTION_FIELDS = frozenset(
    {"with", "days_ago", "time", "via", "direction", "summary", "tags", "keys"}
)
_IDEA_FIELDS = frozenset(
    {
        "ref",
        "title",
        "kind",
        "with",
        "effort_hours",
        "created_days_ago",
        "notes",
        "tags",
        "keys",
        "moves",
        "steps",
    }
)
MOVE_FIELDS = frozenset({"status", "days_ago"})
STEP_FIELDS = frozenset({"text", "due_in_days", "effort_hours", "done_days_ago"})
_FOLLOWUP_FIELDS = frozenset(
    {
        "text",
        "due_in_days",
        "with",
        "idea",
        "every",
        "from_done",
        "created_days_ago",
        "done_days_ago",
        "note",
        "tags",
        "keys",
    }
)


# --- reading the JSON shape ------------------------------------------------------------


class Item:
    """One JSON object of the file, with its place for error messages."""

    def __init__(
        self, value: Any, where: str, allowed: frozenset[str], *, label: str | None = None
    ) -> None:
        if not isinstance(value, dict):
            raise InvalidInput(f"{where}: expected an object, not {_json_type(value)}")
        self.where = where
        self.data: dict[str, Any] = value
        if label is not None:
            self.named(value.get(label))
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.error(
                f"unknown field {unknown[0]!r}; expected some of " + ", ".join(sorted(allowed))
            )

    def named(self, label: Any) -> None:
        """Add a name to the place: ``contacts[3] (Léa Martin)``."""
        if isinstance(label, str) and label.strip():
            self.where = f"{self.where} ({label.strip()})"

    def error(self, text: str) -> InvalidInput:
        return InvalidInput(f"{self.where}: {text}")

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(f"{key!r} is required")
            return None
        if not isinstance(value, str):
            raise self.error(f"{key!r} must be a string, not {_json_type(value)}")
        if required and not value.strip():
            raise self.error(f"{key!r} cannot be empty")
        return value

    def days(self, key: str, *, default: int | None = None, past: bool = False) -> int | None:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{key!r} must be a whole number of days, not {value!r}")
        if abs(value) > MAX_DAYS or (past and value < 0):
            bound = f"0 to {MAX_DAYS}" if past else f"-{MAX_DAYS} to {MAX_DAYS}"
            raise self.error(f"{key!r} must be from {bound}, not {value}")
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"{key!r} must be a number, not {value!r}")
        return float(value)

    def flag(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.error(f"{key!r} must be true or false, not {value!r}")
        return value

    def strings(self, key: str) -> list[str]:
        """A list of strings; a single string counts as a list of one."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"{key!r} must be a string or a list of strings")
        return list(value)

    def objects(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"{key!r} must be a list, not {_json_type(value)}")
        return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


@contextmanager
def at_place(where: str) -> Iterator[None]:
    """Prefix the domain's own errors with the place in the file."""
    try:
        yield
    except NetcrmError as exc:
        if exc.message.startswith(where):
            raise
        raise InvalidInput(f"{where}: {exc.message}", details=exc.details) from exc


# --- the plan: the file's shape, checked before anything is written -------------------


@dataclass
class _Plan:
    contacts: list[Item] = field(default_factory=list)
    interactions: list[Item] = field(default_factory=list)
    ideas: list[Item] = field(default_factory=list)
    followups: list[Item] = field(default_factory=list)
    contact_refs: set[str] = field(default_factory=set)
    idea_refs: set[str] = field(default_factory=set)


_SECTION_FIELDS = {
    "contacts": (_CONTACT_FIELDS, "name"),
    "interactions": (_INTERACTION_FIELDS, "summary"),
    "ideas": (_IDEA_FIELDS, "title"),
    "followups": (_FOLLOWUP_FIELDS, "text"),
}


def read_plan(data: Any) -> _Plan:
    if not isinstance(data, dict):
        raise InvalidInput(f"an example network is a JSON object, not {_json_type(data)}")
    unknown = sorted(set(data) - _TOP_FIELDS)
    if unknown:
        raise InvalidInput(
            f"unknown section {unknown[0]!r}; expected some of {', '.join(sorted(_TOP_FIELDS))}"
        )
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise InvalidInput(f"unknown format {fmt!r}; this netcrm reads {FORMAT!r}")
    plan = _Plan()
    for name in SECTIONS:
        allowed, label = _SECTION_FIELDS[name]
        values = data.get(name, [])
        if not isinstance(values, list):
            raise InvalidInput(f"{name!r} must be a list, not {_json_type(values)}")
        bucket: list[Item] = getattr(plan, name)
        for i, value in enumerate(values):
            bucket.append(Item(value, f"{name}[{i}]", allowed, label=label))
    plan.contact_refs = _refs(plan.contacts, "contacts", required=True)
    plan.idea_refs = _refs(plan.ideas, "ideas", required=False)
    _check_links(plan)
    return plan


def _refs(items: list[Item], section: str, *, required: bool) -> set[str]:
    found: set[str] = set()
    for item in items:
        ref = item.text("ref", required=required)
        if ref is None:
            continue
        if ref in found:
            raise item.error(f"the ref {ref!r} is used twice in {section}")
        found.add(ref)
    return found


def _check_links(plan: _Plan) -> None:
    """Every ``with`` and ``idea`` names something in the file."""
    known = ", ".join(sorted(plan.contact_refs)) or "none"
    for section in ("interactions", "ideas", "followups"):
        for item in getattr(plan, section):
            people = item.strings("with")
            for ref in people:
                if ref not in plan.contact_refs:
                    raise item.error(f"no contact with ref {ref!r} (known refs: {known})")
            if section == "interactions" and not people:
                raise item.error("an interaction needs 'with': a contact ref or a list of them")
            if section == "followups":
                if len(people) > 1:
                    raise item.error("a follow-up concerns one contact at most")
                idea = item.text("idea")
                if idea is not None and idea not in plan.idea_refs:
                    raise item.error(f"no idea with ref {idea!r}")
