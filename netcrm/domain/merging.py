"""The one field-merge rule, shared by ``netcrm merge`` and by import.

:func:`merge_fields` is pure: given the fields of the contact that is kept and
those of the one merged into it (another contact, or a row of an imported
file), it returns the columns of the kept contact that change, and to what.
Nothing is ever lost and nothing the kept contact says is replaced by
something different:

- **texts** (company, role, location): the kept value stays, unless it is
  empty, or the other value *extends* it (contains it, case-folded: "ACME"
  becomes "ACME Studio SAS", "ACME Studio SAS" stays when "ACME" comes in);
- **notes**: the other notes are appended after a blank line, unless the kept
  notes already contain them; notes that contain the kept ones replace them
  (so merging twice, or re-importing a file, appends nothing);
- **other single values** (met via, met on, warmth, cadence): filled when the
  kept contact has none — two cadences are not "richer" by length;
- **birthday**: taken whole when the kept contact has none; its year added
  when the day and month agree;
- **bigger**: set when either is; **relationship**: a ``business`` one (the
  default) takes a more personal one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TEXTS = ("company", "role", "location")
FILLED = ("met_via", "met_on", "warmth", "cadence")
BIRTHDAY = ("birthday_year", "birthday_month", "birthday_day")
_TEXT_SET = frozenset(TEXTS)
_FILLED_SET = frozenset(FILLED)
# Every column merge_fields reads and may change.
COLUMNS = (*TEXTS, *FILLED, *BIRTHDAY, "bigger", "relationship", "notes")


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _extends(longer: str, shorter: str) -> bool:
    return len(longer) > len(shorter) and shorter.casefold() in longer.casefold()


def merge_fields(kept: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of ``kept`` that change when ``other`` is merged into it,
    with their new values (see the module docstring).

    It walks ``other``'s own keys: an imported row carries a few fields, and
    this runs once per duplicate row (100,000 times on a re-import)."""
    changes: dict[str, Any] = {}
    for column, theirs in other.items():
        if theirs is None or theirs == "":
            continue
        if column in _TEXT_SET:
            mine = kept.get(column)
            if _empty(mine) or (isinstance(mine, str) and _extends(str(theirs), mine)):
                changes[column] = theirs
        elif column in _FILLED_SET and _empty(kept.get(column)):
            changes[column] = theirs
    if other.get("birthday_month") is not None:
        if kept.get("birthday_month") is None:
            changes.update({part: other.get(part) for part in BIRTHDAY})
        elif (
            kept.get("birthday_year") is None
            and other.get("birthday_year") is not None
            and (kept["birthday_month"], kept.get("birthday_day"))
            == (other["birthday_month"], other.get("birthday_day"))
        ):
            changes["birthday_year"] = other["birthday_year"]
    if other.get("bigger") and not kept.get("bigger"):
        changes["bigger"] = True
    relationship = other.get("relationship")
    if relationship not in (None, "business") and kept.get("relationship") in (None, "business"):
        changes["relationship"] = relationship
    if other.get("notes"):
        notes = _merged_notes(kept.get("notes"), other["notes"])
        if notes is not None:
            changes["notes"] = notes
    return changes


def _merged_notes(mine: str | None, theirs: str | None) -> str | None:
    """The kept contact's new notes, or None when they do not change."""
    if not theirs or (mine and theirs in mine):
        return None
    if not mine or mine in theirs:
        return theirs
    return f"{mine}\n\n{theirs}"


def change_names(changes: Mapping[str, Any]) -> list[str]:
    """The changed columns as a person reads them (one "birthday")."""
    names: list[str] = []
    for column in changes:
        name = "birthday" if column in BIRTHDAY else column
        if name not in names:
            names.append(name)
    return names
