"""Reading contacts: the canonical contact record and the ``show`` card.

Plain SQL through a :class:`~netcrm.store.reader.Reader`, so ``list`` and
``show`` run on the fast ``sqlite3`` path without importing SQLAlchemy, and the
same statements run on PostgreSQL (``SqlAlchemyReader``).

The record (``list --json``, ``show --json``, exports) is one dict per contact
with the keys of :data:`RECORD_KEYS`, always all of them, in that order:

- channels are grouped by kind into lists (``emails``, ``phones``,
  ``linkedin``, ``whatsapp``, ``facebook``, ``websites``, ``other_channels``),
  each in the contact's order of preference; an ``other`` channel with a label
  reads ``label:value`` (``shapr:lea.m``), as ``--channel`` takes it;
- ``birthday`` is ISO ``1990-04-12``, or vCard's ``--04-12`` without a year;
- ``every`` is the cadence in its stored form: an ISO 8601 duration (``P3M``)
  or an RRULE body (see :mod:`netcrm.dates.cadence`);
- dates are ``date``, timestamps ``datetime`` to the second, flags booleans
  (as the reader gives them; ``--json`` writes ISO text, ``YYYY-MM-DD HH:MM:SS``).

Records are built with one query for the contacts and one per child table
(channels, tags, keys), whatever the number of contacts (in slices of
:mod:`netcrm.store.query` for drivers' parameter limits), never one per contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from netcrm.domain import labels
from netcrm.domain.contacts import MET_VIA, channel_spec
from netcrm.errors import InvalidInput
from netcrm.store.query import CHUNK, grouped, rows_for
from netcrm.text import normalize

if TYPE_CHECKING:
    from netcrm.store.reader import Reader, Row

Sort = Literal["name", "last-contact", "added"]
SORTS: tuple[str, ...] = ("name", "last-contact", "added")

RECORD_KEYS: tuple[str, ...] = (
    "id",
    "name",
    "company",
    "role",
    "location",
    "emails",
    "phones",
    "linkedin",
    "whatsapp",
    "facebook",
    "websites",
    "other_channels",
    "met_via",
    "met_on",
    "birthday",
    "warmth",
    "bigger",
    "relationship",
    "every",
    "tags",
    "keys",
    "notes",
    "archived",
    "last_contact",
    "next_touch",
    "created_at",
    "updated_at",
)
# The record's list for each channel kind.
CHANNEL_FIELDS: dict[str, str] = {
    "email": "emails",
    "phone": "phones",
    "linkedin": "linkedin",
    "whatsapp": "whatsapp",
    "facebook": "facebook",
    "website": "websites",
    "other": "other_channels",
}
LAST_INTERACTIONS = 10

_COLUMNS = (
    "c.id, c.name, c.name_norm, c.company, c.role, c.location, c.met_via, c.met_on, "
    "c.birthday_year, c.birthday_month, c.birthday_day, c.warmth, c.bigger, "
    "c.relationship, c.cadence, c.notes, c.archived, c.last_contact, c.next_touch, "
    "c.created_at, c.updated_at"
)
# Portable orderings: "x IS NULL" sorts false before true on SQLite and PostgreSQL
# alike, where a bare NULL sorts first on one and last on the other.
_ORDER = {
    # Most recently contacted first; never contacted last.
    "last-contact": "c.last_contact IS NULL, c.last_contact DESC, c.name_norm, c.id",
    # Newest first, like `ls -t`.
    "added": "c.created_at DESC, c.id DESC",
    "name": "c.name_norm, c.id",
}


def format_birthday(year: int | None, month: int | None, day: int | None) -> str | None:
    """``1990-04-12``, or ``--04-12`` (vCard) when the year is unknown."""
    if month is None or day is None:
        return None
    if year is None:
        return f"--{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def contact_records(
    reader: Reader,
    *,
    ids: Sequence[int] | None = None,
    tag: str | Sequence[str] | None = None,
    key: str | Sequence[str] | None = None,
    company: str | None = None,
    met_via: str | None = None,
    archived: bool | None = False,
    sort: Sort | str = "name",
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Canonical records of the contacts matching every filter given.

    ``tag`` and ``key`` (one or several; all must match) look at explicit
    labels, ``key`` taking canonical slugs; ``company`` matches a part of the
    company name, case- and accent-insensitively; ``archived`` False keeps
    active contacts, True archived ones, None both. ``sort`` is ``name``,
    ``last-contact`` (most recent first, never contacted last) or ``added``
    (newest first).
    """
    if sort not in _ORDER:
        raise InvalidInput(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    if limit is not None and limit < 0:
        raise InvalidInput("--limit must be 0 or more")
    where: list[str] = []
    params: dict[str, Any] = {}
    if archived is not None:
        where.append("c.archived = :archived")
        params["archived"] = archived
    wanted = labels.clean_tags(_as_list(tag))
    spellings = labels.stored_spellings(reader, wanted) if wanted else {}
    for i, name in enumerate(wanted):
        names = {f"tag{i}_{j}": n for j, n in enumerate(spellings[name] or [name])}
        where.append(
            f"EXISTS (SELECT 1 FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
            f"WHERE ct.contact_id = c.id AND t.name IN ({', '.join(':' + n for n in names)}))"
        )
        params.update(names)
    for i, slug in enumerate(_as_list(key)):
        where.append(
            f"EXISTS (SELECT 1 FROM contact_key ck WHERE ck.contact_id = c.id AND ck.key = :key{i})"
        )
        params[f"key{i}"] = slug
    if met_via is not None:
        via = met_via.strip().casefold()
        if via not in MET_VIA:
            raise InvalidInput(f"unknown --met-via {via!r}; use one of {', '.join(MET_VIA)}")
        where.append("c.met_via = :met_via")
        params["met_via"] = via
    # The company is matched in Python: SQL has no portable accent-insensitive
    # comparison, and a personal network is small enough to filter after reading.
    needle = normalize(company) if company is not None else None
    sql_limit = limit if needle is None else None

    rows: list[Row] = []
    if ids is None:
        rows = reader.rows(*_select_sql(where, params, sort, sql_limit))
    else:
        sql, params = _select_sql([*where, "c.id IN ({ids})"], params, sort, None)
        rows = rows_for(reader, sql, dict.fromkeys(ids), params)
        if len(ids) > CHUNK:
            rows.sort(key=_sort_key(sort))
    if needle is not None:
        rows = [r for r in rows if r["company"] and needle in normalize(r["company"])]
    if limit is not None:
        rows = rows[:limit]
    return _records(reader, rows)


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _select_sql(
    where: list[str], params: dict[str, Any], sort: str, limit: int | None
) -> tuple[str, dict[str, Any]]:
    sql = f"SELECT {_COLUMNS} FROM contact c"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {_ORDER[sort]}"
    if limit is not None:
        sql += " LIMIT :limit"
        params = {**params, "limit": limit}
    return sql, params


def _sort_key(sort: str) -> Any:
    """The Python twin of ``_ORDER``, for results gathered from several slices."""
    if sort == "last-contact":
        return lambda r: (
            r["last_contact"] is None,
            _Desc(r["last_contact"] or date.min),
            r["name_norm"],
            r["id"],
        )
    if sort == "added":
        return lambda r: (_Desc(r["created_at"]), -r["id"])
    return lambda r: (r["name_norm"], r["id"])


class _Desc:
    """Reverses the order of a value inside a sort key."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return self.value > other.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.value == other.value

    __hash__ = None  # type: ignore[assignment]


def _records(reader: Reader, rows: list[Row]) -> list[dict[str, Any]]:
    ids = [int(r["id"]) for r in rows]
    channels = channels_of(reader, ids)
    tags = labels.tags_of(reader, "contact", ids)
    keys = labels.keys_of(reader, "contact", ids)
    records = []
    for r in rows:
        cid = int(r["id"])
        record: dict[str, Any] = {
            "id": cid,
            "name": r["name"],
            "company": r["company"],
            "role": r["role"],
            "location": r["location"],
        }
        for field in CHANNEL_FIELDS.values():
            record[field] = []
        for ch in channels[cid]:
            value = ch["value"]
            if ch["kind"] == "other":
                value = channel_spec(ch["kind"], value, ch["label"])
            record[CHANNEL_FIELDS.get(ch["kind"], "other_channels")].append(value)
        record.update(
            {
                "met_via": r["met_via"],
                "met_on": r["met_on"],
                "birthday": format_birthday(
                    r["birthday_year"], r["birthday_month"], r["birthday_day"]
                ),
                "warmth": r["warmth"],
                "bigger": r["bigger"],
                "relationship": r["relationship"],
                "every": r["cadence"],
                "tags": tags[cid],
                "keys": keys[cid],
                "notes": r["notes"],
                "archived": r["archived"],
                "last_contact": r["last_contact"],
                "next_touch": r["next_touch"],
                "created_at": r["created_at"],
                "updated_at": r["updated_at"],
            }
        )
        records.append(record)
    return records


def channels_of(reader: Reader, ids: Sequence[int]) -> dict[int, list[Row]]:
    """Each contact's channels (kind, value, label), preferred first."""
    sql = (
        "SELECT contact_id, kind, value, label FROM channel "
        "WHERE contact_id IN ({ids}) ORDER BY contact_id, position, id"
    )
    return {
        cid: [{"kind": r["kind"], "value": r["value"], "label": r["label"]} for r in rows]
        for cid, rows in grouped(reader, sql, ids, by="contact_id").items()
    }


def channel_kinds(reader: Reader, contact_id: int) -> list[str]:
    """The kinds of a contact's channels, preferred first (``log``'s default --via)."""
    return [ch["kind"] for ch in channels_of(reader, [contact_id])[contact_id]]


def contact_record(reader: Reader, contact_id: int) -> dict[str, Any]:
    """One contact's record, archived or not; NotFound if there is none."""
    from netcrm.errors import NotFound

    records = contact_records(reader, ids=[contact_id], archived=None)
    if not records:
        raise NotFound(f"no contact #{contact_id}")
    return records[0]


# --- the card of ``show`` -----------------------------------------------------------


def contact_card(reader: Reader, contact_id: int, *, today: date) -> dict[str, Any]:
    """The record plus what ``show`` tells about a contact.

    Extra keys: ``channels`` (every channel with its kind, preferred first),
    ``interactions`` (the last ten, newest first: ``id``, ``date``, ``time``,
    ``channel``, ``direction``, ``summary``, ``with`` — the other participants'
    names — ``tags``, ``keys``), ``interaction_count``, ``followups`` (the open
    ones, from :func:`netcrm.domain.followups.followups_of_contact`) and
    ``ideas`` (:func:`netcrm.domain.idea_views.ideas_of_contact`).
    """
    from netcrm.domain.followups import followups_of_contact
    from netcrm.domain.idea_views import ideas_of_contact

    card = contact_record(reader, contact_id)
    card["channels"] = channels_of(reader, [contact_id])[contact_id]
    card["interactions"] = last_interactions(reader, contact_id)
    counted = reader.rows(
        "SELECT COUNT(*) AS n FROM interaction_contact WHERE contact_id = :cid",
        {"cid": contact_id},
    )
    card["interaction_count"] = int(counted[0]["n"])
    card["followups"] = followups_of_contact(reader, contact_id, today=today)
    card["ideas"] = ideas_of_contact(reader, contact_id)
    return card


def last_interactions(
    reader: Reader, contact_id: int, *, limit: int = LAST_INTERACTIONS
) -> list[dict[str, Any]]:
    """A contact's latest interactions, newest first (an untimed one counts as
    earlier in its day than a timed one)."""
    rows = reader.rows(
        "SELECT i.id, i.occurred_on, i.occurred_time, i.channel, i.direction, i.summary "
        "FROM interaction i JOIN interaction_contact ic ON ic.interaction_id = i.id "
        "WHERE ic.contact_id = :cid "
        "ORDER BY i.occurred_on DESC, COALESCE(i.occurred_time, '') DESC, i.id DESC "
        "LIMIT :limit",
        {"cid": contact_id, "limit": limit},
    )
    ids = [int(r["id"]) for r in rows]
    others = grouped(
        reader,
        "SELECT ic.interaction_id AS iid, c.name FROM interaction_contact ic "
        "JOIN contact c ON c.id = ic.contact_id "
        "WHERE ic.interaction_id IN ({ids}) AND ic.contact_id <> :cid "
        "ORDER BY c.name_norm, c.id",
        ids,
        by="iid",
        params={"cid": contact_id},
    )
    tags = labels.tags_of(reader, "interaction", ids)
    keys = labels.keys_of(reader, "interaction", ids)
    return [
        {
            "id": int(r["id"]),
            "date": r["occurred_on"],
            "time": r["occurred_time"],
            "channel": r["channel"],
            "direction": r["direction"],
            "summary": r["summary"],
            "with": [o["name"] for o in others[int(r["id"])]],
            "tags": tags[int(r["id"])],
            "keys": keys[int(r["id"])],
        }
        for r in rows
    ]


# --- what a contact holds (before rm and merge) ----------------------------------------


def contact_footprint(reader: Reader, contact_id: int) -> dict[str, int]:
    """Counts of what hangs on a contact: ``channels``, ``interactions``,
    ``interactions_alone`` (no other participant: deleted with the contact),
    ``followups``, ``followups_shared`` (also tied to an idea: they outlive
    the contact, unlinked from it), ``ideas``, ``tags``, ``keys``."""
    params = {"cid": contact_id}
    counts = {}
    for name, sql in (
        ("channels", "SELECT COUNT(*) AS n FROM channel WHERE contact_id = :cid"),
        ("interactions", "SELECT COUNT(*) AS n FROM interaction_contact WHERE contact_id = :cid"),
        (
            "interactions_alone",
            "SELECT COUNT(*) AS n FROM interaction_contact ic WHERE ic.contact_id = :cid "
            "AND NOT EXISTS (SELECT 1 FROM interaction_contact o "
            "WHERE o.interaction_id = ic.interaction_id AND o.contact_id <> :cid)",
        ),
        ("followups", "SELECT COUNT(*) AS n FROM followup WHERE contact_id = :cid"),
        (
            "followups_shared",
            "SELECT COUNT(*) AS n FROM followup WHERE contact_id = :cid AND idea_id IS NOT NULL",
        ),
        ("ideas", "SELECT COUNT(*) AS n FROM idea_contact WHERE contact_id = :cid"),
        ("tags", "SELECT COUNT(*) AS n FROM contact_tag WHERE contact_id = :cid"),
        ("keys", "SELECT COUNT(*) AS n FROM contact_key WHERE contact_id = :cid"),
    ):
        counts[name] = int(reader.rows(sql, params)[0]["n"])
    return counts


def contacts_named(reader: Reader, name: str) -> list[dict[str, Any]]:
    """Contacts with this name, case and accents aside (``id``, ``name``): the
    namesakes ``add`` mentions, since two people may well share a name."""
    from netcrm.domain.contacts import name_keys

    return [
        {"id": r["id"], "name": r["name"]}
        for r in reader.rows(
            "SELECT id, name FROM contact WHERE name_norm = :n ORDER BY id",
            {"n": name_keys(name)[0]},
        )
    ]


def contacts_with_channels(
    reader: Reader, channels: Sequence[tuple[str, str]], *, exclude: int | None = None
) -> list[dict[str, Any]]:
    """Contacts already holding one of these (kind, value) channels — the
    duplicates ``add`` warns about: ``id``, ``name``, ``kind``, ``value``."""
    from netcrm.domain.contacts import normalize_channel

    found: list[dict[str, Any]] = []
    seen: set[tuple[int, str, str]] = set()
    for kind, value in channels:
        if kind in ("website", "other"):
            continue  # a shared company site or handle says little about identity
        for row in reader.rows(
            "SELECT c.id, c.name FROM channel ch JOIN contact c ON c.id = ch.contact_id "
            "WHERE ch.kind = :kind AND ch.value_norm = :norm ORDER BY c.id",
            {"kind": kind, "norm": normalize_channel(kind, value)},
        ):
            mark = (int(row["id"]), kind, value)
            if row["id"] != exclude and mark not in seen:
                seen.add(mark)
                found.append(
                    {"id": int(row["id"]), "name": row["name"], "kind": kind, "value": value}
                )
    return found
