"""The reports of PRODUCT.md §6 (keys, network, ideas), as plain data.

Each ``*_report(reader, *, today, since)`` returns a dataclass holding the
structured numbers (for the tables and the HTML page) and ``rows()``: flat rows
with the same keys in every row (:data:`KEYS_COLUMNS`, :data:`NETWORK_COLUMNS`,
…), which are the report's ``--json`` and, cell for cell, its ``--csv``.

Every figure follows :mod:`netcrm.domain.figures`, which defines it once and
states it in words (``figures.NOTES``): the window (``since`` to ``today``,
both included, the same for every section), "in the period" per kind of item,
proposals, temperatures, losing touch, stuck ideas, shares and ties, archived
contacts.

**keys** — explicit / inferred / total per key, counted as
:mod:`netcrm.domain.inference` documents; ``share`` is the key's exact fraction
of the five totals (0 to 1) and ``percent`` the whole percentage shown, the
five summing to 100. The weakest key gets the article's coaching line.

**network** — contacts (archived ones left out) by source (``met_via``,
``unknown`` when not set) and by relationship, each with how many were added in
the window; warm / cooling / cold / untouched; the new contacts; the people you
are losing touch with.

**ideas** — the pipeline by status and kind (ideas now), with ``in_period``:
for a status the ideas that moved into it in the window (for ``proposed``, the
proposals), for a kind the ideas created in it. Conversion: the proposals of
the window and their outcome (``share`` exact, ``percent`` summing to 100).
Stuck: open ideas carrying a flag of :mod:`netcrm.domain.ideas`, the longest
idle first.

**activity** — in :mod:`netcrm.domain.activity`, on the same window.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from netcrm.domain import figures
from netcrm.domain import ideas as ideas_domain
from netcrm.domain.figures import TEMPERATURES, window
from netcrm.domain.inference import count_keys
from netcrm.domain.keys import get_key

if TYPE_CHECKING:
    from netcrm.store.reader import Reader

RELATIONSHIPS = ("business", "mixed", "personal")
SOURCES = ("linkedin", "shapr", "forum", "blog", "event", "irl", "referral", "other")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


# --- keys ------------------------------------------------------------------------------

KEYS_COLUMNS = ("key", "explicit", "inferred", "total", "share", "percent")


@dataclass(frozen=True)
class KeysReport:
    since: date
    until: date
    rows_: list[dict[str, Any]]
    weakest: str
    coaching: str

    def rows(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.rows_]

    @property
    def total(self) -> int:
        return sum(r["total"] for r in self.rows_)


def keys_report(reader: Reader, *, today: date, since: date) -> KeysReport:
    period = window(since, today)
    counts = count_keys(reader, period)
    grand = sum(c.total for c in counts)
    shown = figures.percentages([c.total for c in counts])
    rows = [
        {
            "key": c.key,
            "explicit": c.explicit,
            "inferred": c.inferred,
            "total": c.total,
            "share": c.total / grand if grand else 0.0,
            "percent": pct,
        }
        for c, pct in zip(counts, shown, strict=True)
    ]
    weakest = figures.weakest([(c.key, c.total) for c in counts])
    total = next(c.total for c in counts if c.key == weakest)
    return KeysReport(
        since=since,
        until=today,
        rows_=rows,
        weakest=weakest,
        coaching=get_key(weakest).coach(period.describe(), total),
    )


# --- network -----------------------------------------------------------------------------

NETWORK_COLUMNS = (
    "section",
    "item",
    "contact_id",
    "contacts",
    "new",
    "source",
    "relationship",
    "state",
    "last_contact",
    "days_since",
    "cadence_days",
)


@dataclass(frozen=True)
class Group:
    name: str
    contacts: int
    new: int


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    source: str | None
    relationship: str
    state: str
    last_contact: date | None
    days_since: int | None
    cadence_days: int
    created: date

    @property
    def overdue(self) -> int:
        return (self.days_since or 0) - self.cadence_days


@dataclass(frozen=True)
class NetworkReport:
    since: date
    until: date
    total: int
    new: int
    by_source: list[Group]
    by_relationship: list[Group]
    temperature: dict[str, int]
    new_contacts: list[Person]
    losing_touch: list[Person]

    def rows(self) -> list[dict[str, Any]]:
        blank = dict.fromkeys(NETWORK_COLUMNS)
        rows: list[dict[str, Any]] = [
            {
                **blank,
                "section": "total",
                "item": "contacts",
                "contacts": self.total,
                "new": self.new,
            }
        ]
        for section, groups in (("source", self.by_source), ("relationship", self.by_relationship)):
            rows += [
                {**blank, "section": section, "item": g.name, "contacts": g.contacts, "new": g.new}
                for g in groups
            ]
        rows += [
            {**blank, "section": "temperature", "item": state, "contacts": n}
            for state, n in self.temperature.items()
        ]
        for section, people in (
            ("new-contact", self.new_contacts),
            ("losing-touch", self.losing_touch),
        ):
            rows += [{**blank, "section": section, **_person_row(p)} for p in people]
        return rows


def _person_row(p: Person) -> dict[str, Any]:
    return {
        "item": p.name,
        "contact_id": p.id,
        "source": p.source,
        "relationship": p.relationship,
        "state": p.state,
        "last_contact": p.last_contact.isoformat() if p.last_contact else None,
        "days_since": p.days_since,
        "cadence_days": p.cadence_days,
    }


_NETWORK_SQL = (
    "SELECT id, name, met_via, relationship, cadence, warmth, last_contact, next_touch, "
    "created_at FROM contact WHERE archived = :no ORDER BY name_norm, id"
)


def network_report(reader: Reader, *, today: date, since: date) -> NetworkReport:
    period = window(since, today)
    rows = reader.rows(_NETWORK_SQL, {"no": False})
    sources: Counter[str] = Counter()
    sources_new: Counter[str] = Counter()
    rels: Counter[str] = Counter()
    rels_new: Counter[str] = Counter()
    temperature = dict.fromkeys(TEMPERATURES, 0)
    new_contacts: list[Person] = []
    losing: list[Person] = []
    for row in rows:
        created = _day(row["created_at"])
        assert created is not None
        source = row["met_via"] or "unknown"
        is_new = created in period
        sources[source] += 1
        rels[row["relationship"]] += 1
        if is_new:
            sources_new[source] += 1
            rels_new[row["relationship"]] += 1
        last = _day(row["last_contact"])
        cadence = figures.cadence_days(row["cadence"])
        state = figures.temperature(last, cadence, today)
        temperature[state] += 1
        person = Person(
            id=row["id"],
            name=row["name"],
            source=row["met_via"],
            relationship=row["relationship"],
            state=state,
            last_contact=last,
            days_since=None if last is None else (today - last).days,
            cadence_days=cadence,
            created=created,
        )
        if is_new:
            new_contacts.append(person)
        if figures.losing_touch(state, has_cadence=bool(row["cadence"]), warmth=row["warmth"]):
            losing.append(person)
    known_sources = [*SOURCES, "unknown"]
    by_source = [Group(s, sources[s], sources_new[s]) for s in known_sources if sources[s]] + [
        Group(s, sources[s], sources_new[s]) for s in sorted(sources) if s not in known_sources
    ]
    by_relationship = [Group(r, rels[r], rels_new[r]) for r in RELATIONSHIPS] + [
        Group(r, rels[r], rels_new[r]) for r in sorted(rels) if r not in RELATIONSHIPS
    ]
    new_contacts.sort(key=lambda p: (p.created, p.id))
    losing.sort(key=lambda p: figures.losing_order(p.state, p.overdue, p.id))
    return NetworkReport(
        since=since,
        until=today,
        total=len(rows),
        new=len(new_contacts),
        by_source=by_source,
        by_relationship=by_relationship,
        temperature=temperature,
        new_contacts=new_contacts,
        losing_touch=losing,
    )


# --- ideas -------------------------------------------------------------------------------

IDEAS_COLUMNS = (
    "section",
    "item",
    "count",
    "in_period",
    "share",
    "percent",
    "idea_id",
    "status",
    "flags",
    "idle_days",
)
OUTCOMES = ("accepted", "declined", "dropped", "pending")


@dataclass(frozen=True)
class StuckIdea:
    id: int
    title: str
    status: str
    flags: list[str]
    idle_days: int


@dataclass(frozen=True)
class IdeasReport:
    since: date
    until: date
    total: int
    new: int
    by_status: list[tuple[str, int, int]]  # status, ideas now, entered in the period
    by_kind: list[tuple[str, int, int]]  # kind, ideas, created in the period
    proposed: int
    outcomes: dict[str, int]
    stuck: list[StuckIdea] = field(default_factory=list)

    @property
    def conversion(self) -> float | None:
        """Accepted out of proposed (exact), or None when nothing was proposed."""
        return self.outcomes["accepted"] / self.proposed if self.proposed else None

    def outcome_percents(self) -> dict[str, int]:
        """The outcomes as whole percentages of the proposals, summing to 100."""
        shown = figures.percentages(list(self.outcomes.values()))
        return dict(zip(self.outcomes, shown, strict=True))

    def rows(self) -> list[dict[str, Any]]:
        blank = dict.fromkeys(IDEAS_COLUMNS)
        rows: list[dict[str, Any]] = [
            {
                **blank,
                "section": "total",
                "item": "ideas",
                "count": self.total,
                "in_period": self.new,
            }
        ]
        rows += [
            {**blank, "section": "status", "item": s, "count": n, "in_period": p}
            for s, n, p in self.by_status
        ]
        rows += [
            {**blank, "section": "kind", "item": k, "count": n, "in_period": p}
            for k, n, p in self.by_kind
        ]
        rows.append({**blank, "section": "conversion", "item": "proposed", "count": self.proposed})
        percents = self.outcome_percents()
        rows += [
            {
                **blank,
                "section": "conversion",
                "item": outcome,
                "count": n,
                "share": n / self.proposed if self.proposed else None,
                "percent": percents[outcome] if self.proposed else None,
            }
            for outcome, n in self.outcomes.items()
        ]
        rows += [
            {
                **blank,
                "section": "stuck",
                "item": s.title,
                "idea_id": s.id,
                "status": s.status,
                "flags": s.flags,
                "idle_days": s.idle_days,
            }
            for s in self.stuck
        ]
        return rows


def _outcome(events_after: list[str]) -> str:
    if any(s in ("accepted", "done") for s in events_after):
        return "accepted"
    if "declined" in events_after:
        return "declined"
    if "dropped" in events_after:
        return "dropped"
    return "pending"


def ideas_report(reader: Reader, *, today: date, since: date) -> IdeasReport:
    period = window(since, today)
    from netcrm.domain.idea_views import idea_records

    records = idea_records(reader, today=today)
    status_now = Counter(r["status"] for r in records)
    kinds = Counter(r["kind"] for r in records)
    new_ids = {r["id"] for r in records if _day(r["created_at"]) in period}
    kinds_new = Counter(r["kind"] for r in records if r["id"] in new_ids)

    events = reader.rows("SELECT id, idea_id, status, at FROM idea_event ORDER BY idea_id, at, id")
    entered: dict[str, set[int]] = {s: set() for s in ideas_domain.IDEA_STATUSES}
    after: dict[int, list[str]] = {}
    proposals = {int(r["id"]): int(r["event_id"]) for r in reader.rows(figures.PROPOSALS_SQL)}
    proposed_in_period = {
        int(r["id"]) for r in reader.rows(figures.PROPOSALS_IN_PERIOD_SQL, period.params())
    }
    for e in events:
        idea_id = int(e["idea_id"])
        if e["status"] in entered and e["status"] != "proposed" and _day(e["at"]) in period:
            entered[e["status"]].add(idea_id)
        if idea_id in after or proposals.get(idea_id) == int(e["id"]):
            after.setdefault(idea_id, []).append(e["status"])
    # The proposed row counts proposals, as the conversion does.
    entered["proposed"] = proposed_in_period
    outcomes = dict.fromkeys(OUTCOMES, 0)
    for idea_id in proposed_in_period:
        outcomes[_outcome(after[idea_id])] += 1

    stuck = [
        StuckIdea(r["id"], r["title"], r["status"], r["flags"], r["idle_days"])
        for r in records
        if r["flags"]
    ]
    stuck.sort(key=lambda s: (-s.idle_days, s.id))
    by_status = [(s, status_now[s], len(entered[s])) for s in ideas_domain.IDEA_STATUSES]
    by_kind = [(k, kinds[k], kinds_new[k]) for k in ideas_domain.IDEA_KINDS]
    return IdeasReport(
        since=since,
        until=today,
        total=len(records),
        new=len(new_ids),
        by_status=by_status,
        by_kind=by_kind,
        proposed=len(proposed_in_period),
        outcomes=outcomes,
        stuck=stuck,
    )


# --- activity ----------------------------------------------------------------------------
