"""Applying an import plan (``netcrm.domain.importing``) in bulk, in the
command's one transaction.

:func:`apply_import` writes through SQLAlchemy Core ``executemany`` in batches
— contacts, channels, tag links, key links, then the merged contacts' updates
grouped by the columns they change — instead of one ORM object at a time:
measured on 1.2 M rows, 3.9 s and 0.7 GB against 86 s and 3.4 GB. The search
index follows through its triggers (see :func:`apply_import` for the order
that keeps them cheap).
"""

from __future__ import annotations

from datetime import date, datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from netcrm.domain import labels

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.domain.importing import ImportPlan, Target

BATCH = 2000


def _next_touch(cadence: str | None, last: date | None, created: datetime) -> date | None:
    from netcrm.domain.keep_in_touch import next_touch

    return next_touch(cadence, last, created)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value)[:19])


def _contact_row(target: Target, now: datetime) -> dict[str, Any]:
    f = target.fields
    created = f.get("created_at") or now
    row = {
        "name": f["name"],
        "company": f.get("company"),
        "role": f.get("role"),
        "location": f.get("location"),
        "met_via": f.get("met_via"),
        "met_on": f.get("met_on"),
        "birthday_year": f.get("birthday_year"),
        "birthday_month": f.get("birthday_month"),
        "birthday_day": f.get("birthday_day"),
        "warmth": f.get("warmth"),
        "bigger": bool(f.get("bigger", False)),
        "relationship": f.get("relationship") or "business",
        "cadence": f.get("cadence"),
        "notes": f.get("notes"),
        "archived": bool(f.get("archived", False)),
        "name_norm": target.name_norm,
        "surname_norm": target.surname_norm,
        # A new contact has no interaction yet (last_contact) and no birthday
        # wished or snoozed: those columns are left to be NULL.
        "next_touch": _next_touch(f.get("cadence"), None, created),
        "created_at": created,
        "updated_at": now,
    }
    if target.id is not None:
        row["id"] = target.id
    return row


def apply_import(session: Session, plan: ImportPlan, *, now: datetime) -> None:
    """Write ``plan`` in the session's transaction (flushes, never commits).

    On SQLite the new contacts' ids are given, not asked for: the transaction
    holds the write lock from its first statement, so ``MAX(id) + 1`` onwards
    are free, and no ``RETURNING`` round trip is needed. Their channels and
    labels then go in *before* the contacts, with foreign keys checked at
    commit (``PRAGMA defer_foreign_keys``), so that the search triggers build
    each new contact's entry once, when the contact row arrives, instead of
    once more for every channel. Elsewhere ids come back through ``RETURNING``
    in parameter order.
    """
    from sqlalchemy import insert, text

    from netcrm.domain.models import Contact

    conn = session.connection()
    table = Contact.__table__  # type: ignore[attr-defined]
    sqlite = conn.dialect.name == "sqlite"
    if sqlite and plan.new:
        conn.execute(text("PRAGMA defer_foreign_keys = ON"))
        last = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM contact")).scalar_one()
        for number, target in enumerate(plan.new, int(last) + 1):
            target.id = number
    for start in range(0, len(plan.new), BATCH):
        batch = plan.new[start : start + BATCH]
        if sqlite:
            _write_links(conn, batch)
            _write_words(conn, batch)
            _insert_many(conn, table, [_contact_row(t, now) for t in batch])
        else:
            result = conn.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True),
                [_contact_row(t, now) for t in batch],
            )
            for target, (new_id,) in zip(batch, result, strict=True):
                target.id = int(new_id)
            _write_links(conn, batch)
            _write_words(conn, batch)
    for start in range(0, len(plan.merged), BATCH):
        batch = plan.merged[start : start + BATCH]
        _update_merged(conn, batch, now)
        _write_links(conn, batch)
    session.flush()


def is_empty(session: Session) -> bool:
    """Whether the database holds no contact (a plan made against no database
    is only right for an empty one)."""
    from sqlalchemy import text

    found = session.connection().execute(text("SELECT 1 FROM contact LIMIT 1")).first()
    return found is None


def _insert_many(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """``INSERT`` many rows (all with the same keys) in one ``executemany``.

    On SQLite the statement SQLAlchemy compiles is handed to the driver with
    the values already converted by the columns' own bind processors: the same
    SQL and the same stored forms as ``conn.execute(insert(table), rows)``,
    without its per-row bookkeeping (about a second per 100,000 contacts).
    """
    from sqlalchemy import insert

    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=keys)
    order = list(compiled.positiontup or keys)
    pick = itemgetter(*order)
    processors = [
        (i, process)
        for i, key in enumerate(order)
        if (process := table.c[key].type.bind_processor(conn.dialect)) is not None
    ]
    converted = []
    for row in rows:
        values = list(pick(row)) if len(order) > 1 else [pick(row)]
        for i, process in processors:
            if values[i] is not None:
                values[i] = process(values[i])
        converted.append(tuple(values))
    conn.exec_driver_sql(str(compiled), converted)


def _write_words(conn: Any, targets: list[Target]) -> None:
    """The name words WHO looks new contacts up by (``contact_word``)."""
    from netcrm.domain.models import ContactWord
    from netcrm.text import name_words

    rows = [
        {"word": word, "contact_id": t.id} for t in targets for word in name_words(t.fields["name"])
    ]
    if rows:
        _insert_many(conn, ContactWord.__table__, rows)  # type: ignore[attr-defined]


def _write_links(conn: Any, targets: list[Target]) -> None:
    """Channels, tag links and key links of ``targets`` (ids known)."""
    from sqlalchemy import insert

    from netcrm.domain.models import Channel, ContactKey, ContactTag

    channels: list[dict[str, Any]] = []
    for target in targets:
        # A new contact's channels start at 0; an existing one's after its own.
        position = target.position
        for kind, value, label, norm in target.channels:
            channels.append(
                {
                    "contact_id": target.id,
                    "kind": kind,
                    "value": value,
                    "value_norm": norm,
                    "label": label,
                    "position": position,
                }
            )
            position += 1
    if channels:
        _insert_many(conn, Channel.__table__, channels)  # type: ignore[attr-defined]
    names = sorted({t for target in targets for t in target.tags})
    if names:
        # Stored tags are found as everywhere, case and accents ignored (labels.tag_ids).
        tag_ids = labels.tag_ids(conn, names, create=True)
        links = {(t.id, tag_ids[name][0]) for t in targets for name in t.tags}
        conn.execute(
            insert(ContactTag.__table__),  # type: ignore[attr-defined]
            [{"contact_id": c, "tag_id": g} for c, g in sorted(links)],
        )
    keys = [{"contact_id": t.id, "key": k} for t in targets for k in t.keys]
    if keys:
        conn.execute(insert(ContactKey.__table__), keys)  # type: ignore[attr-defined]


def _update_merged(conn: Any, targets: list[Target], now: datetime) -> None:
    """UPDATE the merged contacts, one executemany per set of changed columns."""
    from sqlalchemy import bindparam, update

    from netcrm.domain.models import Contact

    table = Contact.__table__  # type: ignore[attr-defined]
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for target in targets:
        values = {c: target.fields[c] for c in target.changed or ()}
        if "cadence" in values:
            values["next_touch"] = _next_touch(
                target.fields["cadence"],
                _as_date(target.fields.get("last_contact")),
                _as_datetime(target.fields["created_at"]),
            )
        if "met_on" in values:
            values["met_on"] = _as_date(values["met_on"])
        key = tuple(sorted(values))
        groups.setdefault(key, []).append(
            {"b_id": target.id, "b_updated_at": now, **{f"b_{c}": values[c] for c in key}}
        )
    for key, params in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({c: bindparam(f"b_{c}") for c in (*key, "updated_at")})
        )
        conn.execute(statement, params)
