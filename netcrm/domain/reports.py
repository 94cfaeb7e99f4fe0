"""The four reports of PRODUCT.md §6, as plain data.

Each ``*_report(reader, *, today, since, …)`` returns a dataclass holding the
structured numbers (for the tables and the HTML page) and ``rows()``: flat rows
with the same keys in every row (:data:`KEYS_COLUMNS`, :data:`NETWORK_COLUMNS`,
…), which are the report's ``--json`` and, cell for cell, its ``--csv``. The
period runs from ``since`` to ``today``, both included.

Definitions a user can see:

**keys** — explicit / inferred / total per key, counted as
:mod:`netcrm.domain.inference` documents (one count per item per key);
``share`` is the key's total over the five totals (0 to 1). The weakest key is
the smallest total (ties: the first in the article's order) and gets the
article's coaching line.

**network** — archived contacts are left out. Contacts by source (``met_via``,
``unknown`` when not set) and by relationship, each with how many were added in
the period. Temperature, from the last interaction (``last_contact``) against
the contact's cadence: the cadence is the gap from the last contact to the next
planned touch (``next_touch``, so a snoozed touch counts), or
:data:`DEFAULT_CADENCE_DAYS` for contacts without one:

- ``warm``: last contact within one cadence;
- ``cooling``: within two cadences;
- ``cold``: longer ago;
- ``untouched``: no interaction logged at all (an imported address book is not
  "cold", it was never warm).

You are **losing touch** with someone you were in touch with (at least one
interaction) who is now cooling, or cold while you meant to keep in touch (a
cadence) or were close (warmth 4 or 5). The cooling come first, the nearest to
going cold first; then the cold, the most recently lost first — the order in
which a message is most likely to bring someone back.

**ideas** — the pipeline counts every idea by status and by kind;
``in_period`` is, for a status, the ideas that entered it in the period and,
for a kind, the ideas created in it. Conversion: the ideas proposed in the
period (their first move to ``proposed``, ``accepted`` or ``declined`` falls in
it) and what became of them: ``accepted`` (moved to accepted or done after),
``declined``, ``dropped``, or still ``pending``; ``share`` is out of the
proposed. Stuck: open ideas carrying a flag of :mod:`netcrm.domain.ideas`
(``no-plan``, ``heavy``, ``stalled`` after 30 days without movement), the
longest idle first.

**activity** — interactions (one per logged exchange, whatever the number of
people) per ISO week for the last ``weeks`` weeks, this week included, as a
week × weekday heat map, with outreach (``out``) and inbound (``in``) per week;
then the period's totals per channel and overall.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from netcrm.domain import ideas as ideas_domain
from netcrm.domain.inference import Period, count_keys
from netcrm.domain.keys import KEY_SLUGS, get_key
from netcrm.errors import InvalidInput

if TYPE_CHECKING:
    from netcrm.store.reader import Reader, Row

DEFAULT_CADENCE_DAYS = 90
CLOSE_WARMTH = 4
TEMPERATURES = ("warm", "cooling", "cold", "untouched")
RELATIONSHIPS = ("business", "mixed", "personal")
SOURCES = ("linkedin", "shapr", "forum", "blog", "event", "irl", "referral", "other")
DEFAULT_WEEKS = 12
MAX_WEEKS = 520
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _period(since: date, today: date) -> Period:
    if since > today:
        raise InvalidInput(
            f"--since {since.isoformat()} is after today ({today.isoformat()}); "
            "try 90d or 2026-01-01"
        )
    return Period(since, today)


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


# --- keys ------------------------------------------------------------------------------

KEYS_COLUMNS = ("key", "explicit", "inferred", "total", "share")


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
    period = _period(since, today)
    counts = count_keys(reader, period)
    grand = sum(c.total for c in counts)
    rows = [
        {
            "key": c.key,
            "explicit": c.explicit,
            "inferred": c.inferred,
            "total": c.total,
            "share": round(c.total / grand, 3) if grand else 0.0,
        }
        for c in counts
    ]
    order = {slug: i for i, slug in enumerate(KEY_SLUGS)}
    weakest = min(counts, key=lambda c: (c.total, order[c.key]))
    return KeysReport(
        since=since,
        until=today,
        rows_=rows,
        weakest=weakest.key,
        coaching=get_key(weakest.key).coach(period.describe(), weakest.total),
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


def temperature_of(
    last_contact: date | None, next_touch: date | None, cadence: str | None, today: date
) -> tuple[str, int | None, int]:
    """(state, days since the last contact, cadence in days); see the module docstring."""
    cadence_days = DEFAULT_CADENCE_DAYS
    if last_contact is None:
        return "untouched", None, cadence_days
    if cadence and next_touch is not None:
        cadence_days = max((next_touch - last_contact).days, 1)
    days = (today - last_contact).days
    if days <= cadence_days:
        return "warm", days, cadence_days
    if days <= 2 * cadence_days:
        return "cooling", days, cadence_days
    return "cold", days, cadence_days


def _losing_order(p: Person) -> tuple[int, int, int]:
    # Cooling first, the nearest to going cold first; then the cold, the most
    # recently lost first: the ones a message can still bring back.
    if p.state == "cooling":
        return (0, -p.overdue, p.id)
    return (1, p.overdue, p.id)


_NETWORK_SQL = (
    "SELECT id, name, met_via, relationship, cadence, warmth, last_contact, next_touch, "
    "created_at FROM contact WHERE archived = :no ORDER BY name_norm, id"
)


def network_report(reader: Reader, *, today: date, since: date) -> NetworkReport:
    period = _period(since, today)
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
        is_new = period.since <= created <= period.until
        sources[source] += 1
        rels[row["relationship"]] += 1
        if is_new:
            sources_new[source] += 1
            rels_new[row["relationship"]] += 1
        last = _day(row["last_contact"])
        state, days, cadence_days = temperature_of(
            last, _day(row["next_touch"]), row["cadence"], today
        )
        temperature[state] += 1
        person = Person(
            id=row["id"],
            name=row["name"],
            source=row["met_via"],
            relationship=row["relationship"],
            state=state,
            last_contact=last,
            days_since=days,
            cadence_days=cadence_days,
            created=created,
        )
        if is_new:
            new_contacts.append(person)
        close = (row["warmth"] or 0) >= CLOSE_WARMTH
        if state == "cooling" or (state == "cold" and (row["cadence"] or close)):
            losing.append(person)
    known_sources = [*SOURCES, "unknown"]
    by_source = [Group(s, sources[s], sources_new[s]) for s in known_sources if sources[s]] + [
        Group(s, sources[s], sources_new[s]) for s in sorted(sources) if s not in known_sources
    ]
    by_relationship = [Group(r, rels[r], rels_new[r]) for r in RELATIONSHIPS] + [
        Group(r, rels[r], rels_new[r]) for r in sorted(rels) if r not in RELATIONSHIPS
    ]
    new_contacts.sort(key=lambda p: (p.created, p.id))
    losing.sort(key=_losing_order)
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
        """Accepted out of proposed, or None when nothing was proposed."""
        return round(self.outcomes["accepted"] / self.proposed, 3) if self.proposed else None

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
        rows += [
            {
                **blank,
                "section": "conversion",
                "item": outcome,
                "count": n,
                "share": round(n / self.proposed, 3) if self.proposed else None,
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
    period = _period(since, today)
    records = ideas_domain.idea_records(reader, today=today)
    status_now = Counter(r["status"] for r in records)
    kinds = Counter(r["kind"] for r in records)
    new_ids = {
        r["id"]
        for r in records
        if period.since <= date.fromisoformat(r["created_at"][:10]) <= period.until
    }
    kinds_new = Counter(r["kind"] for r in records if r["id"] in new_ids)

    events = reader.rows("SELECT idea_id, status, at FROM idea_event ORDER BY idea_id, at, id")
    entered: dict[str, set[int]] = {s: set() for s in ideas_domain.IDEA_STATUSES}
    history: dict[int, list[tuple[date, str]]] = {}
    for e in events:
        day = _day(e["at"])
        assert day is not None
        history.setdefault(e["idea_id"], []).append((day, e["status"]))
        if period.since <= day <= period.until and e["status"] in entered:
            entered[e["status"]].add(e["idea_id"])

    outcomes = dict.fromkeys(OUTCOMES, 0)
    proposed = 0
    for moves in history.values():
        firsts = [i for i, (_, s) in enumerate(moves) if s in ("proposed", "accepted", "declined")]
        if not firsts:
            continue
        first = firsts[0]
        if not period.since <= moves[first][0] <= period.until:
            continue
        proposed += 1
        outcomes[_outcome([s for _, s in moves[first:]])] += 1

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
        proposed=proposed,
        outcomes=outcomes,
        stuck=stuck,
    )


# --- activity ----------------------------------------------------------------------------

ACTIVITY_COLUMNS = ("section", "item", "start", *WEEKDAYS, "total", "outreach", "inbound")


@dataclass
class Tally:
    """Interactions of one week, channel or period, by weekday and direction."""

    label: str
    start: date | None = None
    weekdays: list[int] = field(default_factory=lambda: [0] * 7)
    outreach: int = 0
    inbound: int = 0

    @property
    def total(self) -> int:
        return sum(self.weekdays)

    def add(self, day: date, direction: str) -> None:
        self.weekdays[day.weekday()] += 1
        if direction == "in":
            self.inbound += 1
        else:
            self.outreach += 1

    def row(self, section: str) -> dict[str, Any]:
        return {
            "section": section,
            "item": self.label,
            "start": self.start.isoformat() if self.start else None,
            **dict(zip(WEEKDAYS, self.weekdays, strict=True)),
            "total": self.total,
            "outreach": self.outreach,
            "inbound": self.inbound,
        }


@dataclass(frozen=True)
class ActivityReport:
    since: date
    until: date
    weeks: list[Tally]  # oldest first; the last is the current week
    channels: list[Tally]  # over the period, busiest first
    period: Tally

    def rows(self) -> list[dict[str, Any]]:
        return (
            [w.row("week") for w in self.weeks]
            + [c.row("channel") for c in self.channels]
            + [self.period.row("period")]
        )

    @property
    def busiest_week(self) -> int:
        return max((w.total for w in self.weeks), default=0)


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def activity_report(
    reader: Reader, *, today: date, since: date, weeks: int = DEFAULT_WEEKS
) -> ActivityReport:
    period = _period(since, today)
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput(f"--weeks is 1 to {MAX_WEEKS}, not {weeks}")
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=weeks - 1)
    start = min(first_monday, period.since)
    rows: list[Row] = reader.rows(
        "SELECT occurred_on, direction, channel FROM interaction "
        "WHERE occurred_on >= :start AND occurred_on < :until",
        {"start": start.isoformat(), "until": period.params()["until"]},
    )
    tallies = [
        Tally(week_label(first_monday + timedelta(weeks=n)), first_monday + timedelta(weeks=n))
        for n in range(weeks)
    ]
    channels: dict[str, Tally] = {}
    total = Tally(f"{period.since.isoformat()}..{today.isoformat()}", period.since)
    for row in rows:
        day = _day(row["occurred_on"])
        assert day is not None
        if day >= first_monday:
            tallies[(day - first_monday).days // 7].add(day, row["direction"])
        if day >= period.since:
            channels.setdefault(row["channel"], Tally(row["channel"])).add(day, row["direction"])
            total.add(day, row["direction"])
    by_channel = sorted(channels.values(), key=lambda t: (-t.total, t.label))
    return ActivityReport(
        since=since, until=today, weeks=tallies, channels=by_channel, period=total
    )
