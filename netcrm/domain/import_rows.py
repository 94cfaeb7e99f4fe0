"""Import rows checked: a record of ``netcrm.io`` becomes a :class:`Candidate`
validated by the rules every other way in obeys (``contacts.check_fields`` /
``check_channel``, tags and keys), field by field.

A value that cannot be read costs that field only: it is left out with a
warning (field, value, why) and the rest of the row imports. A row without a
name is named from its first e-mail address; a row with neither is refused
(``InvalidInput``), as is a name that is there but refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from netcrm.domain import labels
from netcrm.domain.contacts import check_channel, check_fields, name_keys, normalize_channel
from netcrm.errors import InvalidInput
from netcrm.io.records import ImportRecord
from netcrm.text import normalize

# The contact columns an import may set.
FIELDS = frozenset(
    {
        "name",
        "company",
        "role",
        "location",
        "met_via",
        "met_on",
        "birthday_year",
        "birthday_month",
        "birthday_day",
        "warmth",
        "bigger",
        "relationship",
        "cadence",
        "notes",
        "archived",
        "created_at",
    }
)
# (kind, value, label, value_norm): a checked channel and its folded form.
Channel = tuple[str, str, str | None, str]
# (field, value, why): a value that could not be read and was left out.
Warning_ = tuple[str, str, str]


@dataclass(slots=True)
class Candidate:
    """A validated row."""

    line: int
    fields: dict[str, Any]
    channels: list[Channel]
    tags: list[str]
    keys: list[str]
    warnings: list[Warning_] = field(default_factory=list)
    name_norm: str = ""
    surname_norm: str = ""
    company_norm: str = ""

    def name_key(self) -> tuple[str, str]:
        """(folded name, folded company), computed on first use: a row that
        matches by a channel never needs them, and folding is not free."""
        if not self.name_norm:
            self.name_norm, self.surname_norm = name_keys(self.fields["name"])
            company = self.fields.get("company")
            self.company_norm = fold(company) if company else ""
        return self.name_norm, self.company_norm


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """``normalize`` for texts that repeat from row to row (companies)."""
    return normalize(text)


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _checked_fields(given: dict[str, Any], warnings: list[Warning_]) -> dict[str, Any]:
    """``check_fields`` of the whole row, else of each field on its own: a
    value it refuses is left out with a warning. A name that is there but
    refused (too long) is the row's error, not a field's."""
    try:
        return check_fields(given)
    except InvalidInput:
        pass
    fields: dict[str, Any] = {}
    for key, value in given.items():
        try:
            fields.update(check_fields({key: value}))
        except InvalidInput as exc:
            if key == "name" and str(value or "").strip():
                raise
            if key != "name":
                warnings.append((key, _shown(value), exc.message))
    return fields


def validate(record: ImportRecord, *, extra_tags: Iterable[str] = ()) -> Candidate:
    """The record checked as ``netcrm add`` would check it, field by field (see
    the module docstring); raises InvalidInput when no contact can come of it."""
    from netcrm.domain.keys import resolve_keys

    warnings: list[Warning_] = list(record.warnings)
    given = {k: v for k, v in record.fields.items() if k in FIELDS}
    if not str(given.get("name") or "").strip():
        given.pop("name", None)  # named from the e-mail below
    for flag in ("bigger", "archived", "relationship"):
        if given.get(flag) is None:
            given.pop(flag, None)
    fields = _checked_fields(given, warnings)
    channels: list[Channel] = []
    seen: set[tuple[str, str]] = set()
    for kind, value, label in record.channels:
        try:
            kind, value = check_channel(kind, value)
        except InvalidInput as exc:
            warnings.append((kind, value, exc.message))
            continue
        norm = normalize_channel(kind, value)
        if (kind, norm) not in seen:
            seen.add((kind, norm))
            channels.append((kind, value, label, norm))
    if "name" not in fields:
        email = next((value for kind, value, _, _ in channels if kind == "email"), None)
        if email is None:
            raise InvalidInput("no name and no e-mail address to name the contact by")
        fields["name"] = email
    tags = _labels(labels.clean_tags, "tags", [*record.tags, *extra_tags], warnings)
    keys = _labels(resolve_keys, "keys", record.keys, warnings)
    return Candidate(record.line, fields, channels, tags, keys, warnings)


def _labels(
    clean: Callable[[list[str]], list[str]],
    what: str,
    given: list[str],
    warnings: list[Warning_],
) -> list[str]:
    """Tags or keys cleaned all at once, else one by one, leaving out (with a
    warning) the ones refused."""
    if not given:
        return []
    try:
        return clean(given)
    except InvalidInput:
        pass
    kept: list[str] = []
    for value in given:
        try:
            kept += [v for v in clean([value]) if v not in kept]
        except InvalidInput as exc:
            warnings.append((what, value, exc.message))
    return kept
