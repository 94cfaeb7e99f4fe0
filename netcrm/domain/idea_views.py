"""Reading ideas: the record of ``idea list``, the card of ``idea show``, the
ideas of a contact, and the flags of :mod:`netcrm.domain.ideas` computed from
the plan.

Plain SQL through a :class:`~netcrm.store.reader.Reader`, so ``idea list`` and
``idea show`` never import SQLAlchemy; the plan and the people of many ideas
are read with one query per child table, never one per idea.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from netcrm.domain import labels
from netcrm.domain.figures import HEAVY_HOURS, STALLED_DAYS
from netcrm.domain.ideas import _STATUS_ORDER, OPEN_STATUSES, check_kind, check_status
from netcrm.errors import NotFound
from netcrm.store.query import grouped, in_clause, rows_for
from netcrm.store.values import DATE

if TYPE_CHECKING:
    from netcrm.store.reader import Reader, Row


def status_rank(status: str) -> int:
    return _STATUS_ORDER.get(status, len(_STATUS_ORDER))


_OPEN_STEP_SQL = (
    "SELECT i.id, i.title, i.kind, i.status, "
    "(SELECT COUNT(*) FROM idea_step s WHERE s.idea_id = i.id AND s.done_at IS NULL) "
    "AS open_steps, "
    "(SELECT MIN(s.due) FROM idea_step s WHERE s.idea_id = i.id AND s.done_at IS NULL) "
    "AS next_step_due "
    "FROM idea i JOIN idea_contact ic ON ic.idea_id = i.id "
    "WHERE ic.contact_id = :cid ORDER BY i.id"
)


def ideas_of_contact(reader: Reader, contact_id: int) -> list[dict[str, Any]]:
    """The ideas a contact is part of, for ``show WHO``: ``id``, ``title``,
    ``kind``, ``status``, ``open_steps``, ``next_step_due`` (a date or None);
    open ideas first, in pipeline order, then by id."""
    rows = reader.rows(_OPEN_STEP_SQL, {"cid": contact_id}, types={"next_step_due": DATE})
    out = [
        {
            "id": row["id"],
            "title": row["title"],
            "kind": row["kind"],
            "status": row["status"],
            "open_steps": int(row["open_steps"]),
            "next_step_due": row["next_step_due"],
        }
        for row in rows
    ]
    out.sort(key=lambda r: (status_rank(r["status"]), r["id"]))
    return out


@dataclass(frozen=True)
class PlanStep:
    """What the flags need to know of a step."""

    due: date | None
    effort_hours: float | None
    done_at: datetime | None


def open_effort(idea_effort: float | None, steps: Sequence[PlanStep]) -> float | None:
    """Hours of preparation still ahead (see the module docstring of
    :mod:`netcrm.domain.ideas`); None when nothing about the effort is known."""
    if not steps:
        return idea_effort
    open_steps = [s for s in steps if s.done_at is None]
    if any(s.effort_hours is not None for s in steps):
        return round(sum(s.effort_hours or 0.0 for s in open_steps), 2)
    if idea_effort is None:
        return None
    return round(idea_effort * len(open_steps) / len(steps), 2)


def idea_flags(
    status: str, steps: Sequence[PlanStep], effort: float | None, idle_days: int
) -> list[str]:
    """``no-plan``, ``heavy``, ``stalled`` for an open idea; [] for a finished one."""
    if status not in OPEN_STATUSES:
        return []
    flags = []
    if not steps:
        flags.append("no-plan")
    if effort is not None and effort > HEAVY_HOURS:
        flags.append("heavy")
    if idle_days >= STALLED_DAYS:
        flags.append("stalled")
    return flags


_IDEAS_SQL = (
    "SELECT i.id, i.title, i.kind, i.status, i.effort_hours, i.notes, "
    "i.created_at, i.updated_at, i.status_changed_at FROM idea i"
)


def _steps_by_idea(reader: Reader, ids: Sequence[int]) -> dict[int, list[Row]]:
    sql = (
        "SELECT id, idea_id, position, text, due, effort_hours, done_at FROM idea_step "
        "WHERE idea_id IN ({ids}) ORDER BY idea_id, position, id"
    )
    return grouped(reader, sql, ids, by="idea_id")


def _people_by_idea(reader: Reader, ids: Sequence[int]) -> dict[int, list[Row]]:
    sql = (
        "SELECT ic.idea_id, c.id, c.name, c.company, c.bigger FROM idea_contact ic "
        "JOIN contact c ON c.id = ic.contact_id "
        "WHERE ic.idea_id IN ({ids}) ORDER BY ic.idea_id, c.name_norm, c.id"
    )
    return grouped(reader, sql, ids, by="idea_id")


def _plan(step_rows: Sequence[Row]) -> list[PlanStep]:
    return [
        PlanStep(
            due=r["due"],
            effort_hours=r["effort_hours"],
            done_at=r["done_at"],
        )
        for r in step_rows
    ]


def _record(
    row: Row,
    steps: Sequence[Row],
    people: Sequence[Row],
    tags: list[str],
    keys: list[str],
    today: date,
) -> dict[str, Any]:
    plan = _plan(steps)
    effort = open_effort(row["effort_hours"], plan)
    moments = [row["updated_at"], row["status_changed_at"]]
    moments += [s.done_at for s in plan]
    last_moved = max(m for m in moments if m is not None)
    idle_days = max((today - last_moved.date()).days, 0)
    open_dues = [s.due for s in plan if s.done_at is None and s.due is not None]
    return {
        "id": row["id"],
        "title": row["title"],
        "kind": row["kind"],
        "status": row["status"],
        "contacts": [p["name"] for p in people],
        "contact_ids": [p["id"] for p in people],
        "effort_hours": row["effort_hours"],
        "steps": len(plan),
        "open_steps": sum(1 for s in plan if s.done_at is None),
        "next_step_due": min(open_dues) if open_dues else None,
        "open_effort_hours": effort,
        "idle_days": idle_days,
        "flags": idea_flags(row["status"], plan, effort, idle_days),
        "tags": tags,
        "keys": keys,
        "notes": row["notes"],
        "status_changed_at": row["status_changed_at"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


RECORD_KEYS = (
    "id",
    "title",
    "kind",
    "status",
    "contacts",
    "contact_ids",
    "effort_hours",
    "steps",
    "open_steps",
    "next_step_due",
    "open_effort_hours",
    "idle_days",
    "flags",
    "tags",
    "keys",
    "notes",
    "status_changed_at",
    "created_at",
    "updated_at",
)


def idea_records(
    reader: Reader,
    *,
    status: str | None = None,
    kind: str | None = None,
    contact_id: int | None = None,
    today: date,
) -> list[dict[str, Any]]:
    """The ``idea list --json`` rows (keys :data:`RECORD_KEYS`), in pipeline
    order then by id. ``status`` may be ``open``; filters are validated."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if status is not None:
        checked = check_status(status, allow_open=True)
        if checked == "open":
            placeholders, statuses = in_clause(OPEN_STATUSES, "st")
            where.append(f"i.status IN ({placeholders})")
            params.update(statuses)
        else:
            where.append("i.status = :status")
            params["status"] = checked
    if kind is not None:
        where.append("i.kind = :kind")
        params["kind"] = check_kind(kind)
    if contact_id is not None:
        where.append(
            "EXISTS (SELECT 1 FROM idea_contact ic WHERE ic.idea_id = i.id "
            "AND ic.contact_id = :cid)"
        )
        params["cid"] = contact_id
    sql = _IDEAS_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY i.id"
    rows = reader.rows(sql, params)
    ids = [r["id"] for r in rows]
    steps = _steps_by_idea(reader, ids)
    people = _people_by_idea(reader, ids)
    tags = labels.tags_of(reader, "idea", ids)
    keys = labels.keys_of(reader, "idea", ids)
    records = [
        _record(r, steps[r["id"]], people[r["id"]], tags[r["id"]], keys[r["id"]], today)
        for r in rows
    ]
    records.sort(key=lambda r: (status_rank(r["status"]), r["id"]))
    return records


def idea_card(reader: Reader, idea_id: int, *, today: date) -> dict[str, Any]:
    """Everything ``idea show`` prints: the record, plus ``plan`` (steps with
    ``number``/``of``, due, done), ``people``, ``history`` (status moves with
    their dates) and ``inferred_keys`` (keys the rules give it, beyond the
    explicit ones)."""
    from netcrm.domain.inference import inferred_keys_of

    rows = reader.rows(_IDEAS_SQL + " WHERE i.id = :id", {"id": idea_id})
    if not rows:
        raise NotFound(f"no idea #{idea_id} (netcrm idea list shows them)")
    row = rows[0]
    step_rows = _steps_by_idea(reader, [idea_id])[idea_id]
    people = _people_by_idea(reader, [idea_id])[idea_id]
    tags = labels.tags_of(reader, "idea", [idea_id])[idea_id]
    keys = labels.keys_of(reader, "idea", [idea_id])[idea_id]
    card = _record(row, step_rows, people, tags, keys, today)
    total = len(step_rows)
    card["plan"] = [
        {
            "id": s["id"],
            "number": s["position"],
            "of": total,
            "text": s["text"],
            "due": s["due"],
            "effort_hours": s["effort_hours"],
            "done": s["done_at"] is not None,
            "done_at": s["done_at"],
        }
        for s in step_rows
    ]
    card["people"] = [
        {"id": p["id"], "name": p["name"], "company": p["company"], "bigger": p["bigger"]}
        for p in people
    ]
    card["history"] = [
        {"status": e["status"], "at": e["at"]}
        for e in reader.rows(
            "SELECT status, at FROM idea_event WHERE idea_id = :id ORDER BY at, id",
            {"id": idea_id},
        )
    ]
    explicit = set(keys)
    card["inferred_keys"] = [
        k for k in inferred_keys_of(reader, "idea", idea_id, today=today) if k not in explicit
    ]
    return card


def count_followups(reader: Reader, idea_id: int) -> tuple[int, int]:
    """Follow-ups attached to an idea: (its own, deleted with it; those also
    about a contact, which stay unlinked from it)."""
    rows = reader.rows(
        "SELECT COUNT(*) AS n, COUNT(contact_id) AS shared FROM followup WHERE idea_id = :id",
        {"id": idea_id},
    )
    shared = int(rows[0]["shared"])
    return int(rows[0]["n"]) - shared, shared


def open_step_count(reader: Reader, idea_id: int) -> int:
    rows = reader.rows(
        "SELECT COUNT(*) AS n FROM idea_step WHERE idea_id = :id AND done_at IS NULL",
        {"id": idea_id},
    )
    return int(rows[0]["n"])


def contact_names(reader: Reader, ids: Iterable[int]) -> dict[int, str]:
    """Names of contacts by id, for messages."""
    sql = "SELECT id, name FROM contact WHERE id IN ({ids})"
    return {row["id"]: row["name"] for row in rows_for(reader, sql, dict.fromkeys(ids))}
