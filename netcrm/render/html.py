"""``netcrm report all --html FILE``: every report on one self-contained page.

The page must open offline, years later, from an e-mail attachment or a
backup, so it references nothing outside itself: the CSS is inline, the charts
are inline SVG drawn here (no JavaScript, no web fonts, no images, no links to
other files; not even the SVG namespace URL, which HTML5 does not need). Every
piece of user text (names, titles, channels…) goes through :func:`esc`.

Charts, each one ``<svg class="chart">``: the five keys as stacked bars
(explicit, then inferred), the network by source, the network's temperature,
the idea pipeline by status, and the activity heat map (ISO weeks × weekdays).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from netcrm.domain.keys import get_key

if TYPE_CHECKING:
    from netcrm.domain.activity import ActivityReport
    from netcrm.domain.reports import IdeasReport, KeysReport, NetworkReport

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 60rem; padding: 0 1rem; color: #1f2933; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #d9e2ec; }
h3 { font-size: 1rem; margin-top: 1.4rem; }
p.meta { color: #627d98; margin-top: 0; }
p.coach { background: #fff8e1; border-left: 4px solid #f0b429; padding: 0.6rem 0.9rem; }
table { border-collapse: collapse; margin: 0.6rem 0; }
th, td { padding: 0.25rem 0.7rem; text-align: left; border-bottom: 1px solid #e4e7eb; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { display: block; margin: 0.6rem 0; font-size: 12px; }
svg.chart text { fill: #334e68; }
.legend span { display: inline-block; width: 0.8rem; height: 0.8rem; margin: 0 0.3rem 0 1rem;
               vertical-align: middle; }
.empty { color: #829ab1; font-style: italic; }
"""

# Rows of a list (new contacts, losing touch, stuck ideas) on the page.
LIST_LIMIT = 50

_EXPLICIT = "#2f6fde"
_INFERRED = "#9ec5fe"
_BAR = "#3ebd93"
_NEW = "#147d64"
_HEAT = "#2f6fde"
_TEMPERATURE_COLOURS = {
    "warm": "#e8590c",
    "cooling": "#f0b429",
    "cold": "#2f6fde",
    "untouched": "#9fb3c8",
}
_STATUS_COLOURS = {
    "idea": "#bcccdc",
    "planned": "#9ec5fe",
    "proposed": "#2f6fde",
    "accepted": "#3ebd93",
    "done": "#147d64",
    "declined": "#e12d39",
    "dropped": "#829ab1",
}


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


# --- charts ------------------------------------------------------------------------------


def _hbars(
    label: str,
    rows: Sequence[tuple[str, Sequence[tuple[int, str]]]],
    *,
    label_width: int = 170,
    bar_width: int = 360,
) -> str:
    """Horizontal stacked bars: one row per (name, [(value, colour), …])."""
    row_h, gap = 22, 6
    height = max(len(rows), 1) * (row_h + gap) + gap
    width = label_width + bar_width + 60
    biggest = max((sum(v for v, _ in parts) for _, parts in rows), default=0) or 1
    out = [
        f'<svg class="chart" role="img" aria-label="{esc(label)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{esc(label)}</title>",
    ]
    for i, (name, parts) in enumerate(rows):
        y = gap + i * (row_h + gap)
        out.append(
            f'<text x="{label_width - 8}" y="{y + row_h * 0.7:.1f}" text-anchor="end">'
            f"{esc(name)}</text>"
        )
        x = float(label_width)
        for value, colour in parts:
            w = bar_width * value / biggest
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h}" '
                    f'fill="{colour}"><title>{value}</title></rect>'
                )
            x += w
        total = sum(v for v, _ in parts)
        out.append(f'<text x="{x + 6:.1f}" y="{y + row_h * 0.7:.1f}">{total}</text>')
    out.append("</svg>")
    return "".join(out)


def _heatmap(activity: ActivityReport) -> str:
    cell, gap, left, top = 14, 3, 34, 18
    weeks = activity.weeks
    width = left + len(weeks) * (cell + gap) + 10
    height = top + 7 * (cell + gap) + 10
    busiest = max((max(w.weekdays) for w in weeks), default=0)
    out = [
        f'<svg class="chart" role="img" aria-label="Interactions per week and weekday" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        "<title>Interactions per week and weekday</title>",
    ]
    for d, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        if d % 2 == 0:
            y = top + d * (cell + gap) + cell - 3
            out.append(f'<text x="0" y="{y}">{name}</text>')
    for i, week in enumerate(weeks):
        x = left + i * (cell + gap)
        if i % 4 == 0:
            out.append(f'<text x="{x}" y="12">{esc(week.label[-3:])}</text>')
        for d, count in enumerate(week.weekdays):
            if not activity.in_window(week, d):
                continue
            y = top + d * (cell + gap)
            opacity = 0.08 if not count else 0.25 + 0.75 * count / busiest
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2" fill="{_HEAT}" '
                f'fill-opacity="{opacity:.2f}"><title>{esc(week.label)} '
                f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[d]}: {count}</title></rect>"
            )
    out.append("</svg>")
    return "".join(out)


# --- sections ----------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: set[int]) -> str:
    if not rows:
        return '<p class="empty">Nothing to show.</p>'
    head = "".join(
        f'<th class="n">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{esc(v)}</td>' if i in numeric else f"<td>{esc(v)}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _more(total: int, report: str) -> str:
    if total <= LIST_LIMIT:
        return ""
    return (
        f'<p class="meta">… and {total - LIST_LIMIT} more '
        f"(netcrm report {esc(report)} --json lists them all).</p>"
    )


def _legend(items: Sequence[tuple[str, str]]) -> str:
    return (
        '<p class="legend">'
        + "".join(f'<span style="background:{c}"></span>{esc(t)}' for t, c in items)
        + "</p>"
    )


def _keys_section(report: KeysReport) -> str:
    rows = report.rows()
    bars = [
        (get_key(r["key"]).label, [(r["explicit"], _EXPLICIT), (r["inferred"], _INFERRED)])
        for r in rows
    ]
    table = _table(
        ("Key", "Explicit", "Inferred", "Total", "Share"),
        [
            (get_key(r["key"]).label, r["explicit"], r["inferred"], r["total"], f"{r['percent']}%")
            for r in rows
        ],
        {1, 2, 3, 4},
    )
    return (
        '<section id="keys"><h2>The five keys</h2>'
        + _legend((("explicit", _EXPLICIT), ("inferred", _INFERRED)))
        + _hbars("The five keys: explicit and inferred", bars)
        + table
        + f'<p class="coach"><strong>{esc(get_key(report.weakest).label)}:</strong> '
        + f"{esc(report.coaching)}</p></section>"
    )


def _network_section(report: NetworkReport) -> str:
    source_bars = [(g.name, [(g.contacts - g.new, _BAR), (g.new, _NEW)]) for g in report.by_source]
    temperature_bars = [
        (state, [(n, _TEMPERATURE_COLOURS.get(state, _BAR))])
        for state, n in report.temperature.items()
    ]
    relationships = _table(
        ("Relationship", "Contacts", "New"),
        [(g.name, g.contacts, g.new) for g in report.by_relationship],
        {1, 2},
    )
    new = _table(
        ("Added", "Name", "Source", "Relationship"),
        [
            (p.created.isoformat(), p.name, p.source or "", p.relationship)
            for p in report.new_contacts[:LIST_LIMIT]
        ],
        set(),
    )
    losing = _table(
        ("Name", "Last contact", "Days since", "Cadence (days)", "State"),
        [
            (
                p.name,
                p.last_contact.isoformat() if p.last_contact else "",
                p.days_since,
                p.cadence_days,
                p.state,
            )
            for p in report.losing_touch[:LIST_LIMIT]
        ],
        {2, 3},
    )
    return (
        '<section id="network"><h2>Network</h2>'
        + f'<p class="meta">{report.total} contacts, {report.new} new in the period.</p>'
        + "<h3>By source</h3>"
        + _legend((("earlier", _BAR), ("new in the period", _NEW)))
        + _hbars("Contacts by source", source_bars)
        + "<h3>By relationship</h3>"
        + relationships
        + "<h3>Warm, cooling, cold</h3>"
        + _hbars("Contacts by temperature", temperature_bars)
        + "<h3>New contacts</h3>"
        + new
        + _more(len(report.new_contacts), "network")
        + "<h3>Losing touch</h3>"
        + losing
        + _more(len(report.losing_touch), "network")
        + "</section>"
    )


def _ideas_section(report: IdeasReport) -> str:
    pipeline = [
        (status, [(n, _STATUS_COLOURS.get(status, _BAR))]) for status, n, _ in report.by_status
    ]
    kinds = _table(
        ("Kind", "Ideas", "New"),
        [(k, n, p) for k, n, p in report.by_kind if n],
        {1, 2},
    )
    percents = report.outcome_percents()
    conversion = f"{report.proposed} proposed in the period" + (
        ": " + ", ".join(f"{n} {o} ({percents[o]}%)" for o, n in report.outcomes.items()) + "."
        if report.proposed
        else "."
    )
    statuses = _table(
        ("Status", "Ideas now", "Entered in the period"),
        [(status, n, entered) for status, n, entered in report.by_status],
        {1, 2},
    )
    stuck = _table(
        ("#", "Idea", "Status", "Flags", "Idle (days)"),
        [
            (s.id, s.title, s.status, ", ".join(s.flags), s.idle_days)
            for s in report.stuck[:LIST_LIMIT]
        ],
        {0, 4},
    )
    return (
        '<section id="ideas"><h2>Ideas</h2>'
        + f'<p class="meta">{report.total} ideas, {report.new} new in the period.</p>'
        + "<h3>Pipeline</h3>"
        + '<p class="meta">The chart shows the ideas in each status now (all time); '
        + "the table adds how many entered it in the period.</p>"
        + _hbars("Ideas by status now", pipeline)
        + statuses
        + "<h3>By kind</h3>"
        + kinds
        + "<h3>Proposed → accepted</h3>"
        + f"<p>{esc(conversion)}</p>"
        + "<h3>Stuck ideas</h3>"
        + stuck
        + _more(len(report.stuck), "ideas")
        + "</section>"
    )


def _activity_section(report: ActivityReport) -> str:
    weeks = _table(
        ("Week", "Starts", "Days in period", "Interactions", "Outreach", "Inbound"),
        [
            (
                w.label,
                w.start.isoformat() if w.start else "",
                f"{w.days} (partial)" if w.partial else w.days,
                w.total,
                w.outreach,
                w.inbound,
            )
            for w in report.weeks
        ],
        {2, 3, 4, 5},
    )
    channels = _table(
        ("Channel", "Interactions", "Outreach", "Inbound"),
        [(c.label, c.total, c.outreach, c.inbound) for c in report.channels],
        {1, 2, 3},
    )
    p = report.period
    return (
        '<section id="activity"><h2>Activity</h2>'
        + f'<p class="meta">{p.total} interactions in the period: {p.outreach} outreach, '
        + f"{p.inbound} inbound.</p>"
        + "<h3>Heat map</h3>"
        + _heatmap(report)
        + "<h3>Per week</h3>"
        + weeks
        + "<h3>Per channel</h3>"
        + channels
        + "</section>"
    )


def _rules_section() -> str:
    """The rules every figure above follows, as ``--help`` and the README state them."""
    from netcrm.domain.figures import NOTES

    parts = []
    seen: set[str] = set()
    for report, notes in NOTES.items():
        # A rule shared by several reports (the window, archived contacts) once.
        items = "".join(f"<li>{esc(note)}</li>" for note in notes if note not in seen)
        seen.update(notes)
        parts.append(f"<h3>{esc(report.capitalize())}</h3><ul>{items}</ul>")
    return (
        '<section id="rules"><h2>How these figures are computed</h2>'
        + "".join(parts)
        + "</section>"
    )


def render_html(
    keys: KeysReport,
    network: NetworkReport,
    ideas: IdeasReport,
    activity: ActivityReport,
    *,
    today: date,
) -> str:
    """The whole page, as one string."""
    period = f"{keys.since.isoformat()} to {today.isoformat()}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>netcrm report {esc(today.isoformat())}</title>"
        f"<style>{_CSS}</style></head><body>"
        f'<h1>netcrm report</h1><p class="meta">{esc(period)} · made {esc(today.isoformat())}'
        "</p>"
        + _keys_section(keys)
        + _network_section(network)
        + _ideas_section(ideas)
        + _activity_section(activity)
        + _rules_section()
        + "</body></html>\n"
    )
