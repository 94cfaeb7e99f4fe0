"""An independent oracle for the four reports (issue 17).

Hypothesis builds random networks through the real CLI, with "today" pinned
(NETCRM_TODAY) on each day something happens: contacts (archived, bigger,
relationships, warmth, cadences), interactions (several people, in and out,
with and without a time, explicit keys), ideas with status histories, steps
and efforts, follow-ups created and completed; the days cluster around the
window edges, month ends, 29 February and the year end (ISO week 2026-W53).

The oracle then recomputes every figure of ``report keys|network|ideas|
activity --json`` from nothing but ``export contacts|interactions|ideas|
followups --format json``, with the rules as README and ``--help`` write them
(netcrm/domain/figures.py NOTES), in plain Python: this module imports no
netcrm code at all (the CLI runs through tests.conftest.Run), so a figure that
drifts from its written rule fails here even if the domain's own tests agree
with the domain.

Examples per run: the ``ci`` profile's max_examples (conftest), capped here at
:data:`EXAMPLES`, each checking :data:`WINDOWS_PER_NETWORK` windows; the
``long`` profile (HYPOTHESIS_PROFILE=long) runs more.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Run

EXAMPLES = 25
WINDOWS_PER_NETWORK = 3

# Days "today" is pinned to: an ordinary Friday, a month end, 29 February, the
# first days of a year (2026 has an ISO week 53, 2026-12-28 .. 2027-01-03).
TODAYS = [
    date(2026, 11, 27),
    date(2026, 3, 31),
    date(2028, 2, 29),
    date(2027, 1, 1),
    date(2027, 1, 3),
    date(2027, 1, 4),
]
# Offsets (days before today) on and around the edges of the windows checked.
EDGES = [0, 1, 2, 6, 7, 8, 29, 30, 31, 89, 90, 91, 180, 364, 365, 366]
WINDOWS = ["1d", "7d", "30d", "90d", "1m", "3m", "1y", "2w"]

SOURCES = ("linkedin", "shapr", "forum", "blog", "event", "irl", "referral", "other")
RELATIONSHIPS = ("business", "mixed", "personal")
CADENCES = (None, None, "30d", "2w", "7d", "1m", "3m", "quarterly", "1y")
CHANNELS = ("email", "call", "linkedin", "whatsapp", "meeting")
KINDS = (
    "contest",
    "article",
    "interview",
    "event",
    "partnership",
    "guest-post",
    "podcast",
    "product",
    "other",
)
STATUSES = ("idea", "planned", "proposed", "accepted", "done", "declined", "dropped")
OPEN = ("idea", "planned", "proposed", "accepted")
KEYS = ("creativity", "action-plan", "self-esteem", "opportunity", "emotional-intelligence")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The written thresholds (README, "How the reports' figures are computed").
DEFAULT_CADENCE = 90
CLOSE_WARMTH = 4
HEAVY_HOURS = 8.0
STALLED_DAYS = 30

# --- networks --------------------------------------------------------------------------

offsets = st.one_of(st.sampled_from(EDGES), st.integers(0, 400))
maybe_key = st.one_of(st.none(), st.sampled_from(KEYS))


@st.composite
def networks(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 6))
    contacts = [
        {
            "added": draw(offsets),
            "source": draw(st.one_of(st.none(), st.sampled_from(SOURCES))),
            "relationship": draw(st.sampled_from(RELATIONSHIPS)),
            "warmth": draw(st.one_of(st.none(), st.integers(1, 5))),
            "bigger": draw(st.booleans()),
            "every": draw(st.sampled_from(CADENCES)),
            "key": draw(maybe_key),
            "archived": draw(st.integers(0, 4)) == 0,
        }
        for _ in range(n)
    ]
    people = st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True)
    interactions = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "on": offsets,
                    "with": people,
                    "inbound": st.booleans(),
                    "at": st.one_of(st.none(), st.sampled_from(["08:00", "12:30", "18:45"])),
                    "via": st.sampled_from(CHANNELS),
                    "key": maybe_key,
                }
            ),
            max_size=8,
        )
    )
    ideas = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "created": offsets,
                    "kind": st.sampled_from(KINDS),
                    "with": st.lists(st.integers(0, n - 1), max_size=2, unique=True),
                    "effort": st.one_of(st.none(), st.sampled_from([1, 4, 9, 17, 24])),
                    "key": maybe_key,
                    "steps": st.lists(
                        st.one_of(st.none(), st.sampled_from([0.5, 2, 5, 9])), max_size=3
                    ),
                    # (days after creation, new status)
                    "moves": st.lists(
                        st.tuples(st.integers(0, 120), st.sampled_from(STATUSES[1:])),
                        max_size=3,
                    ),
                    # (days after creation, step number from 0)
                    "checks": st.lists(
                        st.tuples(st.integers(0, 120), st.integers(0, 2)), max_size=2
                    ),
                }
            ),
            max_size=4,
        )
    )
    followups = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "created": offsets,
                    "who": st.one_of(st.none(), st.integers(0, n - 1)),
                    "key": maybe_key,
                    "done_after": st.one_of(st.none(), st.integers(0, 100)),
                }
            ),
            max_size=3,
        )
    )
    return {
        "today": draw(st.sampled_from(TODAYS)),
        "contacts": contacts,
        "interactions": interactions,
        "ideas": ideas,
        "followups": followups,
        "windows": draw(
            st.lists(
                st.one_of(
                    st.sampled_from(WINDOWS),
                    st.sampled_from(EDGES).map(lambda k: ("date", k)),
                ),
                min_size=WINDOWS_PER_NETWORK,
                max_size=WINDOWS_PER_NETWORK,
            )
        ),
    }


def build(run: Run, net: dict[str, Any]) -> None:
    """Play the network through the CLI, each action on its own pinned day.

    Actions name what they touch as ("contact" | "idea" | "followup", index in
    the network); the id netcrm gave it is read from the add command's output,
    since things are added in the order of their days, not of the lists."""
    today: date = net["today"]
    actions: list[tuple[int, int, list[Any], Any]] = []  # (days before today, order, argv, made)
    order = iter(range(10**6))

    def at(offset: int, *argv: Any, made: Any = None) -> None:
        actions.append((offset, next(order), list(argv), made))

    added = [c["added"] for c in net["contacts"]]
    for i, c in enumerate(net["contacts"]):
        argv = ["add", f"Person {i + 1}", "--relationship", c["relationship"]]
        argv += ["--met-via", c["source"]] if c["source"] else []
        argv += ["--warmth", str(c["warmth"])] if c["warmth"] else []
        argv += ["--bigger"] if c["bigger"] else []
        argv += ["--every", c["every"]] if c["every"] else []
        argv += ["--key", c["key"]] if c["key"] else []
        at(c["added"], *argv, made=("contact", i))
    for x in net["interactions"]:
        # Logged once everyone in it was added, dated --on its own day.
        logged = min([x["on"], *(added[p] for p in x["with"])])
        argv = ["log", ("contact", x["with"][0]), "Talked", "--via", x["via"]]
        argv += ["--on", (today - timedelta(days=x["on"])).isoformat()]
        for p in x["with"][1:]:
            argv += ["--with", ("contact", p)]
        argv += ["--in"] if x["inbound"] else []
        argv += ["--at", x["at"]] if x["at"] else []
        argv += ["--key", x["key"]] if x["key"] else []
        at(logged, *argv)
    for n, idea in enumerate(net["ideas"]):
        created = min([idea["created"], *(added[p] for p in idea["with"])])
        argv = ["idea", "add", f"Idea {n + 1}", "--kind", idea["kind"]]
        for p in idea["with"]:
            argv += ["--with", ("contact", p)]
        argv += ["--effort", str(idea["effort"])] if idea["effort"] else []
        argv += ["--key", idea["key"]] if idea["key"] else []
        at(created, *argv, made=("idea", n))
        me = ("idea", n)
        for effort in idea["steps"]:
            at(created, "idea", "step", me, "A step", *(["--effort", str(effort)] * bool(effort)))
        status = "idea"
        for later, target in sorted(idea["moves"]):
            if target != status:
                at(max(created - later, 0), "idea", "move", me, target)
                status = target
        checked = set()
        for later, step in sorted(idea["checks"]):
            if step < len(idea["steps"]) and step not in checked:
                checked.add(step)
                at(max(created - later, 0), "idea", "check", me, str(step + 1))
    for n, f in enumerate(net["followups"]):
        created = f["created"] if f["who"] is None else min(f["created"], added[f["who"]])
        who = [("contact", f["who"])] if f["who"] is not None else []
        argv = ["remind", *who, "Do it"]
        argv += ["--on", (today - timedelta(days=created) + timedelta(days=3)).isoformat()]
        argv += ["--key", f["key"]] if f["key"] else []
        at(created, *argv, made=("followup", n))
        if f["done_after"] is not None:
            at(max(created - f["done_after"], 0), "done", ("followup", n))
    for i, c in enumerate(net["contacts"]):
        if c["archived"]:
            at(0, "edit", ("contact", i), "--archive")
    ids: dict[Any, str] = {}
    for offset, _, argv, made in sorted(actions, key=lambda a: (-a[0], a[1])):
        os.environ["NETCRM_TODAY"] = (today - timedelta(days=offset)).isoformat()
        out = run(*(ids[a] if isinstance(a, tuple) else a for a in argv)).stdout
        if made is not None:
            # "#3 Person 1", "#2 Idea 1", "f4": the id, or the follow-up's handle.
            first = out.split()[0]
            ids[made] = first.lstrip("#")
    os.environ["NETCRM_TODAY"] = today.isoformat()


# --- the oracle: the written rules over exported rows -------------------------------------


def day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text[:10])


def window_start(spec: Any, today: date) -> tuple[str, date]:
    """(--since argument, first day): the last N units, today included."""
    if isinstance(spec, tuple):
        start = today - timedelta(days=spec[1])
        return start.isoformat(), start
    count, unit = int(spec[:-1]), spec[-1]
    back = {
        "d": timedelta(days=count),
        "w": timedelta(weeks=count),
        "m": relativedelta(months=count),
        "y": relativedelta(years=count),
    }[unit]
    return spec, today - back + timedelta(days=1)


def percentages(counts: list[int]) -> list[int]:
    grand = sum(counts)
    if not grand:
        return [0] * len(counts)
    exact = [100 * n / grand for n in counts]
    shown = [int(e) for e in exact]
    # Largest remainder; ties to the row listed first.
    for i in sorted(range(len(counts)), key=lambda i: (-(100 * counts[i] % grand), i))[
        : 100 - sum(shown)
    ]:
        shown[i] += 1
    return shown


class Export:
    """The four exports, with the few derived facts every report reads."""

    def __init__(self, run: Run) -> None:
        def export(what: str) -> list[dict[str, Any]]:
            return json.loads(run("export", what, "--format", "json").stdout)

        self.contacts = export("contacts")
        self.interactions = export("interactions")
        self.ideas = export("ideas")
        self.followups = export("followups")
        self.by_id = {c["id"]: c for c in self.contacts}
        self.last_contact: dict[int, date] = {}
        for x in self.interactions:
            for cid in x["contact_ids"]:
                d = day(x["date"])
                assert d is not None
                self.last_contact[cid] = max(self.last_contact.get(cid, d), d)

    def proposal(self, idea: dict[str, Any]) -> int | None:
        """Index in the history of the idea's first move into proposed,
        accepted or declined."""
        for i, entry in enumerate(idea["history"]):
            if entry.split()[-1] in ("proposed", "accepted", "declined"):
                return i
        return None


def keys_rows(ex: Export, since: date, today: date) -> tuple[list[dict[str, Any]], str]:
    def inside(d: date | None) -> bool:
        return d is not None and since <= d <= today

    active = {
        "contact": {
            c["id"]: c for c in ex.contacts if not c["archived"] and inside(day(c["created_at"]))
        },
        "interaction": {x["id"]: x for x in ex.interactions if inside(day(x["date"]))},
        "idea": {
            i["id"]: i
            for i in ex.ideas
            if inside(day(i["created_at"])) or any(inside(day(h)) for h in i["history"])
        },
        "followup": {
            f["id"]: f
            for f in ex.followups
            if inside(day(f["created_at"])) or inside(day(f["done_at"]))
        },
    }

    def people(ids: list[int]) -> list[dict[str, Any]]:
        return [ex.by_id[i] for i in ids]

    first_exchange: dict[int, int] = {}
    for x in sorted(ex.interactions, key=lambda x: (x["date"], x["time"] or "", x["id"])):
        for cid in x["contact_ids"]:
            first_exchange.setdefault(cid, x["id"])

    def proposed_inside(idea: dict[str, Any]) -> bool:
        index = ex.proposal(idea)
        return index is not None and inside(day(idea["history"][index]))

    close = ("personal", "mixed")
    rules: dict[str, dict[str, set[int]]] = {
        "creativity": {"idea": set(active["idea"])},
        "action-plan": {
            "idea": {i for i, idea in active["idea"].items() if idea["step_efforts"]},
            "followup": set(active["followup"]),
        },
        "self-esteem": {
            "interaction": {
                i
                for i, x in active["interaction"].items()
                if x["direction"] == "out" and any(c["bigger"] for c in people(x["contact_ids"]))
            },
            "idea": {
                i
                for i, idea in active["idea"].items()
                if proposed_inside(idea) and any(c["bigger"] for c in people(idea["contact_ids"]))
            },
        },
        "opportunity": {
            "contact": set(active["contact"]),
            "interaction": {
                i
                for i, x in active["interaction"].items()
                if any(first_exchange[c] == i for c in x["contact_ids"])
            },
        },
        "emotional-intelligence": {
            "contact": {i for i, c in active["contact"].items() if c["relationship"] in close},
            "interaction": {
                i
                for i, x in active["interaction"].items()
                if any(c["relationship"] in close for c in people(x["contact_ids"]))
            },
        },
    }
    counts = []
    for key in KEYS:
        explicit = inferred = 0
        for entity, items in active.items():
            tagged = {i for i, item in items.items() if key in item["keys"]}
            explicit += len(tagged)
            inferred += len(rules[key].get(entity, set()) - tagged)
        counts.append((key, explicit, inferred))
    totals = [e + i for _, e, i in counts]
    grand = sum(totals)
    shown = percentages(totals)
    rows = [
        {
            "key": key,
            "explicit": e,
            "inferred": i,
            "total": e + i,
            "share": (e + i) / grand if grand else 0.0,
            "percent": pct,
        }
        for (key, e, i), pct in zip(counts, shown, strict=True)
    ]
    weakest = min(range(len(KEYS)), key=lambda k: (totals[k], k))
    return rows, KEYS[weakest]


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


def network_rows(ex: Export, since: date, today: date) -> list[dict[str, Any]]:
    blank = dict.fromkeys(NETWORK_COLUMNS)
    kept = [c for c in ex.contacts if not c["archived"]]
    new = [c for c in kept if since <= day(c["created_at"]) <= today]  # type: ignore[operator]
    rows = [
        {**blank, "section": "total", "item": "contacts", "contacts": len(kept), "new": len(new)}
    ]
    for section, field, names in (
        ("source", "met_via", [*SOURCES, None]),
        ("relationship", "relationship", list(RELATIONSHIPS)),
    ):
        for name in names:
            n = sum(1 for c in kept if c[field] == name)
            if n or section == "relationship":
                rows.append(
                    {
                        **blank,
                        "section": section,
                        "item": name or "unknown",
                        "contacts": n,
                        "new": sum(1 for c in new if c[field] == name),
                    }
                )
    people = []
    for c in kept:
        last = ex.last_contact.get(c["id"])
        # The cadence in days: a stored duration (P30D, P2W, P3M, P1Y) with a
        # week of 7 days, a month of 30, a year of 365; 90 days without one.
        cadence = DEFAULT_CADENCE
        if c["every"]:
            match = re.fullmatch(r"P([0-9]+)([DWMY])", c["every"])
            assert match, c["every"]
            cadence = int(match[1]) * {"D": 1, "W": 7, "M": 30, "Y": 365}[match[2]]
        days = None if last is None else (today - last).days
        if days is None:
            state = "untouched"
        elif days <= cadence:
            state = "warm"
        elif days <= 2 * cadence:
            state = "cooling"
        else:
            state = "cold"
        people.append((c, state, last, days, cadence))
    temperatures = Counter(state for _, state, *_ in people)
    rows += [
        {**blank, "section": "temperature", "item": s, "contacts": temperatures[s]}
        for s in ("warm", "cooling", "cold", "untouched")
    ]

    def person(section: str, p: tuple[Any, ...]) -> dict[str, Any]:
        c, state, last, days, cadence = p
        return {
            **blank,
            "section": section,
            "item": c["name"],
            "contact_id": c["id"],
            "source": c["met_via"],
            "relationship": c["relationship"],
            "state": state,
            "last_contact": last.isoformat() if last else None,
            "days_since": days,
            "cadence_days": cadence,
        }

    fresh = [p for p in people if p[0] in new]
    fresh.sort(key=lambda p: (p[0]["created_at"][:10], p[0]["id"]))
    rows += [person("new-contact", p) for p in fresh]
    losing = [
        p
        for p in people
        if p[1] == "cooling"
        or (p[1] == "cold" and (p[0]["every"] or (p[0]["warmth"] or 0) >= CLOSE_WARMTH))
    ]
    # Cooling first, nearest to going cold; then cold, most recently lost; then id.
    losing.sort(
        key=lambda p: (
            (0, -(p[3] - p[4]), p[0]["id"]) if p[1] == "cooling" else (1, p[3] - p[4], p[0]["id"])
        )
    )
    rows += [person("losing-touch", p) for p in losing]
    return rows


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


def idea_flags(idea: dict[str, Any], today: date) -> tuple[list[str], int]:
    moments = [idea["updated_at"], idea["status_changed_at"], *idea["steps_done_at"]]
    idle = max((today - max(day(m) for m in moments if m)).days, 0)  # type: ignore[type-var]
    if idea["status"] not in OPEN:
        return [], idle
    efforts, done = idea["step_efforts"], idea["steps_done_at"]
    flags = [] if efforts else ["no-plan"]
    # Open effort: each open step its own hours, or an equal share of the idea's.
    if not efforts:
        effort = idea["effort_hours"]
    else:
        share = idea["effort_hours"] / len(efforts) if idea["effort_hours"] is not None else None
        hours = [e if e is not None else share for e in efforts]
        known = [h for h in hours if h is not None]
        effort = (
            sum(h for h, d in zip(hours, done, strict=True) if h is not None and d is None)
            if known
            else None
        )
    if effort is not None and effort > HEAVY_HOURS:
        flags.append("heavy")
    if idle >= STALLED_DAYS:
        flags.append("stalled")
    return flags, idle


def ideas_rows(ex: Export, since: date, today: date) -> list[dict[str, Any]]:
    def inside(d: date | None) -> bool:
        return d is not None and since <= d <= today

    blank = dict.fromkeys(IDEAS_COLUMNS)
    created = [i for i in ex.ideas if inside(day(i["created_at"]))]
    rows = [
        {
            **blank,
            "section": "total",
            "item": "ideas",
            "count": len(ex.ideas),
            "in_period": len(created),
        }
    ]
    proposals = []
    for idea in ex.ideas:
        index = ex.proposal(idea)
        if index is not None and inside(day(idea["history"][index])):
            proposals.append([h.split()[-1] for h in idea["history"][index:]])
    for status in STATUSES:
        if status == "proposed":
            entered = len(proposals)
        else:
            entered = sum(
                1
                for i in ex.ideas
                if any(h.split()[-1] == status and inside(day(h)) for h in i["history"])
            )
        rows.append(
            {
                **blank,
                "section": "status",
                "item": status,
                "count": sum(1 for i in ex.ideas if i["status"] == status),
                "in_period": entered,
            }
        )
    rows += [
        {
            **blank,
            "section": "kind",
            "item": kind,
            "count": sum(1 for i in ex.ideas if i["kind"] == kind),
            "in_period": sum(1 for i in created if i["kind"] == kind),
        }
        for kind in KINDS
    ]
    outcomes = Counter()
    for moves in proposals:
        if "accepted" in moves or "done" in moves:
            outcomes["accepted"] += 1
        elif "declined" in moves:
            outcomes["declined"] += 1
        elif "dropped" in moves:
            outcomes["dropped"] += 1
        else:
            outcomes["pending"] += 1
    names = ("accepted", "declined", "dropped", "pending")
    shown = percentages([outcomes[o] for o in names])
    rows.append({**blank, "section": "conversion", "item": "proposed", "count": len(proposals)})
    rows += [
        {
            **blank,
            "section": "conversion",
            "item": o,
            "count": outcomes[o],
            "share": outcomes[o] / len(proposals) if proposals else None,
            "percent": pct if proposals else None,
        }
        for o, pct in zip(names, shown, strict=True)
    ]
    stuck = []
    for idea in ex.ideas:
        flags, idle = idea_flags(idea, today)
        if flags:
            stuck.append((idle, idea, flags))
    stuck.sort(key=lambda s: (-s[0], s[1]["id"]))
    rows += [
        {
            **blank,
            "section": "stuck",
            "item": idea["title"],
            "idea_id": idea["id"],
            "status": idea["status"],
            "flags": flags,
            "idle_days": idle,
        }
        for idle, idea, flags in stuck
    ]
    return rows


def activity_rows(ex: Export, since: date, today: date) -> list[dict[str, Any]]:
    def tally(
        section: str, item: str, start: date | None, days: int | None, xs: list[Any]
    ) -> dict[str, Any]:
        weekdays = Counter(day(x["date"]).weekday() for x in xs)  # type: ignore[union-attr]
        inbound = sum(1 for x in xs if x["direction"] == "in")
        return {
            "section": section,
            "item": item,
            "start": start.isoformat() if start else None,
            "days": days,
            "partial": (days < 7) if section == "week" else None,
            **{name: weekdays[d] for d, name in enumerate(WEEKDAYS)},
            "total": len(xs),
            "outreach": len(xs) - inbound,
            "inbound": inbound,
        }

    inside = [x for x in ex.interactions if since <= day(x["date"]) <= today]  # type: ignore[operator]
    rows = []
    monday = since - timedelta(days=since.weekday())
    while monday <= today:
        sunday = monday + timedelta(days=6)
        days = (min(sunday, today) - max(monday, since)).days + 1
        year, week, _ = monday.isocalendar()
        xs = [x for x in inside if monday <= day(x["date"]) <= sunday]  # type: ignore[operator]
        rows.append(tally("week", f"{year}-W{week:02d}", monday, days, xs))
        monday += timedelta(weeks=1)
    channels = Counter(x["channel"] for x in inside)
    for channel in sorted(channels, key=lambda c: (-channels[c], c)):
        rows.append(
            tally("channel", channel, None, None, [x for x in inside if x["channel"] == channel])
        )
    rows.append(tally("period", f"{since}..{today}", since, (today - since).days + 1, inside))
    return rows


# --- the test ------------------------------------------------------------------------------


def report(run: Run, name: str, since: str) -> list[dict[str, Any]]:
    return json.loads(run("report", name, "--json", "--since", since).stdout)


@settings(
    max_examples=min(EXAMPLES, settings().max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(networks())
def test_every_figure_of_every_report_follows_its_written_rule(net: dict[str, Any]) -> None:
    from netcrm.store import engine  # the test's plumbing: a fresh database per example

    saved = {k: os.environ.get(k) for k in ("NETCRM_DB", "NETCRM_TODAY")}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NETCRM_DB"] = str(Path(tmp) / "netcrm.db")
        try:
            run = Run()
            build(run, net)
            ex = Export(run)
            today = net["today"]
            for spec in net["windows"]:
                since_arg, since = window_start(spec, today)
                keys, weakest = keys_rows(ex, since, today)
                assert report(run, "keys", since_arg) == keys, since_arg
                if any(r["total"] for r in keys):
                    assert sum(r["percent"] for r in keys) == 100
                screen = run("report", "keys", "--since", since_arg).stdout
                assert (
                    screen.splitlines()[0]
                    .strip()
                    .endswith(f"{since.isoformat()} to {today.isoformat()}")
                )
                assert f"in {(today - since).days + 1} day" in screen.splitlines()[-1]
                labels = {"action-plan": "Action plan", "self-esteem": "Self-esteem"}
                weakest_label = labels.get(weakest, weakest.replace("-", " ").capitalize())
                assert screen.splitlines()[-1].startswith(weakest_label + ":")
                assert report(run, "network", since_arg) == network_rows(ex, since, today)
                assert report(run, "ideas", since_arg) == ideas_rows(ex, since, today)
                assert report(run, "activity", since_arg) == activity_rows(ex, since, today)
        finally:
            engine.dispose_engines()
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
