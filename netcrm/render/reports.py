"""The reports as people read them (``netcrm report …``): tables, bars and the
heat map drawn with block characters, so they survive ``NO_COLOR``, a pipe into
``less`` and a plain-text ``-o`` file. (:mod:`netcrm.render.html` draws the same
reports as one HTML page.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from netcrm.render.console import plural

if TYPE_CHECKING:
    from netcrm.domain.activity import ActivityReport
    from netcrm.domain.reports import IdeasReport, KeysReport, NetworkReport

BAR_WIDTH = 24
# People and ideas listed in a table view; --json and --csv list them all.
LIST_LIMIT = 20
# Heat map shades, from no interaction to the busiest day.
SHADES = "·░▒▓█"
# Columns a week takes in the heat map table.
HEAT_CELL = 5


def bar(value: float, biggest: float, width: int = BAR_WIDTH, char: str = "█") -> str:
    """A bar of ``char`` proportional to ``value``; a visible sliver for any value > 0."""
    if biggest <= 0 or value <= 0:
        return ""
    return char * max(1, round(width * value / biggest))


def _table(title: str | None, headers: Sequence[str], numeric: Sequence[int] = ()) -> Any:
    from rich import box
    from rich.table import Table

    t = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    for i, header in enumerate(headers):
        t.add_column(header, justify="right" if i in numeric else "left")
    return t


def _more(con: Any, total: int, report: str) -> None:
    if total > LIST_LIMIT:
        con.print(
            f"… and {total - LIST_LIMIT} more (netcrm report {report} --json lists them all)",
            soft_wrap=True,
        )


def _e(value: Any) -> str:
    from rich.markup import escape

    return escape("" if value is None else str(value))


def draw_keys(con: Any, report: KeysReport) -> None:
    from netcrm.domain.keys import get_key

    rows = report.rows()
    biggest = max((r["total"] for r in rows), default=0)
    t = _table(
        f"The five keys, {report.since.isoformat()} to {report.until.isoformat()}",
        ("Key", "Explicit", "Inferred", "Total", "Share", "█ explicit  ░ inferred"),
        (1, 2, 3, 4),
    )
    for r in rows:
        t.add_row(
            _e(get_key(r["key"]).label),
            str(r["explicit"]),
            str(r["inferred"]),
            str(r["total"]),
            f"{r['percent']}%",
            bar(r["explicit"], biggest) + bar(r["inferred"], biggest, char="░"),
        )
    con.print(t)
    con.print(
        f"[bold]{_e(get_key(report.weakest).label)}:[/bold] {_e(report.coaching)}",
        soft_wrap=True,
    )


def draw_network(con: Any, report: NetworkReport) -> None:
    con.print(
        f"[bold]Network[/bold]: {plural(report.total, 'contact')}, {report.new} added since "
        f"{report.since.isoformat()}.",
        soft_wrap=True,
    )
    for title, groups in (
        ("By source", report.by_source),
        ("By relationship", report.by_relationship),
    ):
        biggest = max((g.contacts for g in groups), default=0)
        t = _table(title, (title.split()[-1].capitalize(), "Contacts", "New", ""), (1, 2))
        for g in groups:
            t.add_row(_e(g.name), str(g.contacts), str(g.new), bar(g.contacts, biggest))
        con.print(t)
    biggest = max(report.temperature.values(), default=0)
    t = _table(
        "Warm, cooling, cold (last contact against cadence)", ("State", "Contacts", ""), (1,)
    )
    for state, n in report.temperature.items():
        t.add_row(state, str(n), bar(n, biggest))
    con.print(t)
    if report.new_contacts:
        t = _table("New contacts", ("ID", "Name", "Added", "Source", "Relationship"), (0,))
        for p in report.new_contacts[:LIST_LIMIT]:
            t.add_row(str(p.id), _e(p.name), p.created.isoformat(), _e(p.source), p.relationship)
        con.print(t)
        _more(con, len(report.new_contacts), "network")
    if report.losing_touch:
        t = _table(
            "Losing touch",
            ("ID", "Name", "Last contact", "Days since", "Cadence", "State"),
            (0, 3, 4),
        )
        for p in report.losing_touch[:LIST_LIMIT]:
            t.add_row(
                str(p.id),
                _e(p.name),
                p.last_contact.isoformat() if p.last_contact else "",
                str(p.days_since),
                f"{p.cadence_days}d",
                p.state,
            )
        con.print(t)
        _more(con, len(report.losing_touch), "network")
    else:
        con.print("Losing touch: nobody. Well kept.", soft_wrap=True)


def draw_ideas(con: Any, report: IdeasReport) -> None:
    con.print(
        f"[bold]Ideas[/bold]: {report.total} in all, {report.new} new since "
        f"{report.since.isoformat()}.",
        soft_wrap=True,
    )
    biggest = max((n for _, n, _ in report.by_status), default=0)
    t = _table("Pipeline (ideas now)", ("Status", "Ideas", "Entered in period", ""), (1, 2))
    for status, n, entered in report.by_status:
        t.add_row(status, str(n), str(entered), bar(n, biggest))
    con.print(t)
    kinds = [(k, n, p) for k, n, p in report.by_kind if n]
    if kinds:
        t = _table("By kind", ("Kind", "Ideas", "New"), (1, 2))
        for kind, n, new in kinds:
            t.add_row(kind, str(n), str(new))
        con.print(t)
    percents = report.outcome_percents()
    outcomes = ", ".join(f"{n} {o} ({percents[o]}%)" for o, n in report.outcomes.items())
    con.print(
        f"[bold]Proposed → accepted[/bold]: {plural(report.proposed, 'proposal')} in the "
        "period" + (f": {outcomes}." if report.proposed else "."),
        soft_wrap=True,
    )
    if report.stuck:
        t = _table("Stuck ideas", ("ID", "Idea", "Status", "Flags", "Idle"), (0, 4))
        for s in report.stuck[:LIST_LIMIT]:
            t.add_row(str(s.id), _e(s.title), s.status, ", ".join(s.flags), f"{s.idle_days}d")
        con.print(t)
        _more(con, len(report.stuck), "ideas")
        con.print(
            "A proposal that needs too much preparation never happens: "
            "give each a small, dated first step.",
            soft_wrap=True,
        )
    else:
        con.print("Stuck ideas: none.", soft_wrap=True)


def shade(count: int, busiest: int) -> str:
    """One heat-map cell: ``·`` for none, then four shades up to the busiest day."""
    if count <= 0 or busiest <= 0:
        return SHADES[0]
    levels = len(SHADES) - 1
    # Ceiling division: the busiest day gets the darkest shade, any day at all a light one.
    return SHADES[min(levels, -(-count * levels // busiest))]


def draw_activity(con: Any, report: ActivityReport) -> None:
    from netcrm.domain.figures import percentages
    from netcrm.domain.reports import WEEKDAYS

    busiest = max((max(w.weekdays) for w in report.weeks), default=0)
    con.print(
        f"[bold]Interactions per week[/bold], {report.since.isoformat()} to "
        f"{report.until.isoformat()}: {plural(len(report.weeks), 'ISO week')}, "
        "* partly in the period (· none … █ busiest day; blank: outside the period)",
        soft_wrap=True,
    )
    cells = [
        [shade(w.weekdays[d], busiest) if report.in_window(w, d) else " " for w in report.weeks]
        for d in range(len(WEEKDAYS))
    ]
    if HEAT_CELL * len(report.weeks) + 8 <= con.width:
        heat = _table(None, ("", *(w.label[-3:] for w in report.weeks)))
        for name, row in zip(WEEKDAYS, cells, strict=True):
            heat.add_row(name.capitalize(), *row)
        con.print(heat)
    else:
        # Too many weeks for a column each: one character per week, oldest first.
        con.print(f"     {report.weeks[0].label} … {report.weeks[-1].label}", highlight=False)
        for name, row in zip(WEEKDAYS, cells, strict=True):
            con.print(f"{name.capitalize()}  {''.join(row)}", highlight=False, markup=False)
    biggest = report.busiest_week
    t = _table("Per week", ("Week", "Starts", "Days", "Total", "Out", "In", ""), (2, 3, 4, 5))
    for w in report.weeks:
        t.add_row(
            w.label,
            w.start.isoformat() if w.start else "",
            f"{w.days}*" if w.partial else str(w.days),
            str(w.total),
            str(w.outreach),
            str(w.inbound),
            bar(w.total, biggest),
        )
    con.print(t)
    p = report.period
    share = f" ({percentages([p.outreach, p.inbound])[0]}% outreach)" if p.total else ""
    con.print(
        f"[bold]Since {report.since.isoformat()}[/bold]: {plural(p.total, 'interaction')}, "
        f"{p.outreach} outreach, {p.inbound} inbound{share}.",
        soft_wrap=True,
    )
    if report.channels:
        t = _table("Per channel", ("Channel", "Total", "Out", "In"), (1, 2, 3))
        for c in report.channels:
            t.add_row(_e(c.label), str(c.total), str(c.outreach), str(c.inbound))
        con.print(t)


def draw_all(
    con: Any,
    keys: KeysReport,
    network: NetworkReport,
    ideas: IdeasReport,
    activity: ActivityReport,
) -> None:
    """``netcrm report all``: every report, one after the other."""
    draw_keys(con, keys)
    con.print()
    draw_network(con, network)
    con.print()
    draw_ideas(con, ideas)
    con.print()
    draw_activity(con, activity)
