"""The rows of ``netcrm export``: flat, documented, the same for CSV and JSON.

- **contacts**: the canonical contact record
  (``netcrm.domain.contact_views.RECORD_KEYS``), archived contacts included —
  an export is also a backup;
- **interactions** (:data:`INTERACTION_KEYS`): ``id``, ``date``, ``time``
  (``HH:MM`` or null), ``channel``, ``direction`` (``out``: I reached out,
  ``in``: they did), ``summary``, ``contacts`` (names), ``contact_ids`` (in the
  same order), ``tags``, ``keys``; oldest first;
- **followups** (:data:`FOLLOWUP_KEYS`): ``id``, ``text``, ``due``,
  ``contact`` (name or null), ``contact_id``, ``idea_id``, ``recurrence``
  (canonical RRULE body or null), ``from_done``, ``done_at`` (timestamp or
  null), ``tags``, ``keys``, ``created_at``; by due date;
- **ideas** (:data:`IDEA_KEYS`): ``id``, ``title``, ``kind``, ``status``,
  ``effort_hours``, ``contacts`` (names), ``steps`` — the action plan on one
  line, ``1. Draft the outline (due 2026-12-01) [x]; 2. Send it``, numbered
  in plan order, ``[x]`` marking a done step — ``notes``, ``tags``, ``keys``,
  ``created_at``, ``status_changed_at``; then, for recomputing the reports
  from an export, ``contact_ids`` (in the order of ``contacts``),
  ``updated_at``, ``history`` (each status move, ``YYYY-MM-DD HH:MM:SS
  status``, in the order they happened, the creation first), and per step in
  plan order ``step_efforts`` (hours or null) and ``steps_done_at`` (timestamp
  or null).

Dates are ISO, timestamps ``YYYY-MM-DD HH:MM:SS``, flags booleans, lists lists
(joined by ``; `` in CSV by ``netcrm.render.to_csv``). Plain SQL through a
Reader: exporting never imports SQLAlchemy on a SQLite file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from netcrm.domain import labels

if TYPE_CHECKING:
    from netcrm.store.reader import Reader, Row

INTERACTION_KEYS: tuple[str, ...] = (
    "id",
    "date",
    "time",
    "channel",
    "direction",
    "summary",
    "contacts",
    "contact_ids",
    "tags",
    "keys",
)
FOLLOWUP_KEYS: tuple[str, ...] = (
    "id",
    "text",
    "due",
    "contact",
    "contact_id",
    "idea_id",
    "recurrence",
    "from_done",
    "done_at",
    "tags",
    "keys",
    "created_at",
)
IDEA_KEYS: tuple[str, ...] = (
    "id",
    "title",
    "kind",
    "status",
    "effort_hours",
    "contacts",
    "steps",
    "notes",
    "tags",
    "keys",
    "created_at",
    "status_changed_at",
    "contact_ids",
    "updated_at",
    "history",
    "step_efforts",
    "steps_done_at",
)


def contact_rows(reader: Reader) -> list[dict[str, Any]]:
    """Every contact's canonical record, by name."""
    from netcrm.domain.contact_views import contact_records

    return contact_records(reader, archived=None, sort="name")


def contact_keys() -> tuple[str, ...]:
    from netcrm.domain.contact_views import RECORD_KEYS

    return RECORD_KEYS


def _participants(
    reader: Reader, table: str, column: str, where: str = "", params: dict[str, Any] | None = None
) -> dict[int, list[Row]]:
    """(contact id, name) of each interaction or idea, by name; ``where``
    (on ``l.<column>``) narrows the owners."""
    found: dict[int, list[Row]] = {}
    for row in reader.rows(
        f"SELECT l.{column} AS owner, c.id, c.name FROM {table} l "
        f"JOIN contact c ON c.id = l.contact_id {where} "
        f"ORDER BY l.{column}, c.name_norm, c.id",
        params or {},
    ):
        found.setdefault(int(row["owner"]), []).append(row)
    return found


def interaction_rows(
    reader: Reader,
    *,
    contact_id: int | None = None,
    ids: Sequence[int] | None = None,
    newest_first: bool = False,
) -> list[dict[str, Any]]:
    """The rows of :data:`INTERACTION_KEYS`, oldest first (``newest_first``:
    the other way); ``contact_id`` keeps those that contact took part in,
    ``ids`` those interactions."""
    where, params = "", {}
    if contact_id is not None:
        params = {"cid": contact_id}
        where = (
            "WHERE {} IN (SELECT interaction_id FROM interaction_contact WHERE contact_id = :cid)"
        )
    elif ids is not None:
        from netcrm.store.query import in_clause

        placeholders, params = in_clause(list(ids) or [0])
        where = "WHERE {} IN (" + placeholders + ")"
    order = " DESC" if newest_first else ""
    rows = reader.rows(
        "SELECT id, occurred_on, occurred_time, channel, direction, summary FROM interaction "
        f"{where.format('id')} ORDER BY occurred_on{order}, COALESCE(occurred_time, ''){order}, "
        f"id{order}",
        params,
    )
    ids = [int(r["id"]) for r in rows]
    people = _participants(
        reader, "interaction_contact", "interaction_id", where.format("l.interaction_id"), params
    )
    tags = labels.tags_of(reader, "interaction", ids)
    keys = labels.keys_of(reader, "interaction", ids)
    out = []
    for r in rows:
        iid = int(r["id"])
        with_ = people.get(iid, [])
        out.append(
            {
                "id": iid,
                "date": r["occurred_on"],
                "time": r["occurred_time"],
                "channel": r["channel"],
                "direction": r["direction"],
                "summary": r["summary"],
                "contacts": [p["name"] for p in with_],
                "contact_ids": [int(p["id"]) for p in with_],
                "tags": tags[iid],
                "keys": keys[iid],
            }
        )
    return out


def followup_rows(reader: Reader, *, with_idea_title: bool = False) -> list[dict[str, Any]]:
    """Every follow-up, open and done; ``with_idea_title`` adds ``idea`` (the
    idea's title) for the calendar."""
    rows = reader.rows(
        "SELECT f.id, f.text, f.due, c.name AS contact, f.contact_id, f.idea_id, "
        "i.title AS idea, f.recurrence, f.from_done, f.done_at, f.created_at FROM followup f "
        "LEFT JOIN contact c ON c.id = f.contact_id LEFT JOIN idea i ON i.id = f.idea_id "
        "ORDER BY f.due, f.id"
    )
    ids = [int(r["id"]) for r in rows]
    tags = labels.tags_of(reader, "followup", ids)
    keys = labels.keys_of(reader, "followup", ids)
    out = []
    for r in rows:
        fid = int(r["id"])
        row = {
            "id": fid,
            "text": r["text"],
            "due": r["due"],
            "contact": r["contact"],
            "contact_id": r["contact_id"],
            "idea_id": r["idea_id"],
            "recurrence": r["recurrence"],
            "from_done": r["from_done"],
            "done_at": r["done_at"],
            "tags": tags[fid],
            "keys": keys[fid],
            "created_at": r["created_at"],
        }
        if with_idea_title:
            row["idea"] = r["idea"]
        out.append(row)
    return out


def _steps(reader: Reader) -> dict[int, list[dict[str, Any]]]:
    """Each idea's steps in plan order, numbered from 1."""
    steps: dict[int, list[dict[str, Any]]] = {}
    for r in reader.rows(
        "SELECT s.id, s.idea_id, i.title AS idea, s.text, s.due, s.effort_hours, s.done_at "
        "FROM idea_step s "
        "JOIN idea i ON i.id = s.idea_id ORDER BY s.idea_id, s.position, s.id"
    ):
        plan = steps.setdefault(int(r["idea_id"]), [])
        plan.append(
            {
                "id": int(r["id"]),
                "idea_id": int(r["idea_id"]),
                "idea": r["idea"],
                "position": len(plan) + 1,
                "text": r["text"],
                "due": r["due"],
                "effort_hours": r["effort_hours"],
                "done_at": r["done_at"],
            }
        )
    return steps


def _history(reader: Reader) -> dict[int, list[str]]:
    """Each idea's status moves, ``YYYY-MM-DD HH:MM:SS status``, as they happened."""
    history: dict[int, list[str]] = {}
    for r in reader.rows("SELECT idea_id, status, at FROM idea_event ORDER BY idea_id, at, id"):
        history.setdefault(int(r["idea_id"]), []).append(f"{r['at']} {r['status']}")
    return history


def describe_step(step: dict[str, Any]) -> str:
    """``2. Send the outline (due 2026-12-01) [x]``."""
    text = f"{step['position']}. {step['text']}"
    if step["due"]:
        text += f" (due {step['due']})"
    if step["done_at"]:
        text += " [x]"
    return text


def idea_rows(reader: Reader) -> list[dict[str, Any]]:
    rows = reader.rows(
        "SELECT id, title, kind, status, effort_hours, notes, created_at, status_changed_at, "
        "updated_at FROM idea ORDER BY id"
    )
    ids = [int(r["id"]) for r in rows]
    people = _participants(reader, "idea_contact", "idea_id")
    steps = _steps(reader)
    history = _history(reader)
    tags = labels.tags_of(reader, "idea", ids)
    keys = labels.keys_of(reader, "idea", ids)
    out = []
    for r in rows:
        iid = int(r["id"])
        out.append(
            {
                "id": iid,
                "title": r["title"],
                "kind": r["kind"],
                "status": r["status"],
                "effort_hours": r["effort_hours"],
                "contacts": [p["name"] for p in people.get(iid, [])],
                "steps": "; ".join(describe_step(s) for s in steps.get(iid, [])),
                "notes": r["notes"],
                "tags": tags[iid],
                "keys": keys[iid],
                "created_at": r["created_at"],
                "status_changed_at": r["status_changed_at"],
                "contact_ids": [int(p["id"]) for p in people.get(iid, [])],
                "updated_at": r["updated_at"],
                "history": history.get(iid, []),
                "step_efforts": [s["effort_hours"] for s in steps.get(iid, [])],
                "steps_done_at": [s["done_at"] for s in steps.get(iid, [])],
            }
        )
    return out


def calendar_steps(reader: Reader) -> list[dict[str, Any]]:
    """Idea steps with a due date, not done, by due date: ``id``, ``idea_id``,
    ``idea`` (title), ``position`` (from 1), ``text``, ``due``, ``done_at``."""
    dated = [s for plan in _steps(reader).values() for s in plan if s["due"] and not s["done_at"]]
    return sorted(dated, key=lambda s: (s["due"], s["id"]))
