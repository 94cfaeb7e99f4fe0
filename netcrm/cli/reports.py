"""``netcrm report keys|network|ideas|activity|all``: the weekly look back.

Every report covers ``--since`` (default 90 days back; a duration or a date)
up to today. The table view draws bars and the heat map with block characters,
so they survive ``NO_COLOR``, a pipe into ``less`` and a plain-text ``-o``
file. ``--json`` is the report's list of rows (:mod:`netcrm.domain.reports`
documents them) and ``--csv`` the same rows, cell for cell.

``-o FILE`` writes the output to a new file, 0600, instead of stdout; without
``--json`` / ``--csv`` the format follows the suffix (``.json``, ``.csv``),
else the table as plain text. An existing file is never overwritten.
``report all --html FILE`` writes one self-contained page with every report
and its charts.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from netcrm.cli import common
from netcrm.cli.app import report_app
from netcrm.render import Format, console, err_console, out, plural, to_csv, to_json

if TYPE_CHECKING:
    from netcrm.domain.reports import ActivityReport, IdeasReport, KeysReport, NetworkReport

DEFAULT_SINCE = "90d"
BAR_WIDTH = 24
# People and ideas listed in a table view; --json and --csv list them all.
LIST_LIMIT = 20
# Heat map shades, from no interaction to the busiest day.
SHADES = "·░▒▓█"
# Columns a week takes in the heat map table.
HEAT_CELL = 5


def since_option() -> Any:
    return typer.Option(
        DEFAULT_SINCE,
        "--since",
        help="The last 90d, 4w, 6m or 1y, today included, or from a date (2026-01-01).",
        metavar="WHEN",
    )


def output_option() -> Any:
    return typer.Option(
        None,
        "--output",
        "-o",
        help="Write to this new file (0600) instead of stdout.",
        metavar="FILE",
    )


def rules_help(report: str, summary: str, example: str) -> str:
    """A report's help: its summary, the rules its figures follow
    (:data:`netcrm.domain.figures.NOTES`), then the example."""
    from netcrm.domain.figures import NOTES

    rules = "\n\n".join(NOTES[report])
    return f"{summary}\n\nHow the figures are computed:\n\n{rules}\n\nExample: {example}"


def _since(text: str) -> date:
    from netcrm.dates import parse_since

    return parse_since(text, today=common.today())


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


def _tell(text: str) -> None:
    """A message on stderr, unwrapped and without markup: it holds a path to copy."""
    err_console().print(text, highlight=False, soft_wrap=True, markup=False)


def _e(value: Any) -> str:
    from rich.markup import escape

    return escape("" if value is None else str(value))


# --- output --------------------------------------------------------------------------


def _file_format(fmt: Format, path: Path | None) -> Format:
    if fmt is not Format.table or path is None:
        return fmt
    suffix = path.suffix.casefold()
    if suffix == ".json":
        return Format.json
    if suffix == ".csv":
        return Format.csv
    return Format.table


def write_private(path: Path, text: str) -> None:
    """Write a new file, 0600; refuses to overwrite."""
    from netcrm.store.engine import create_private_file

    fd = create_private_file(path)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def _plain_console(buffer: io.StringIO) -> Any:
    from rich.console import Console

    return Console(file=buffer, width=100, no_color=True, color_system=None, highlight=False)


def deliver(
    name: str,
    rows: list[dict[str, Any]],
    columns: Sequence[str],
    draw: Callable[[Any], None],
    fmt: Format,
    output: Path | None,
) -> None:
    """Print or write one report in the chosen format."""
    fmt = _file_format(fmt, output)
    if fmt is Format.json:
        text = to_json([{k: r.get(k) for k in columns} for r in rows]) + "\n"
    elif fmt is Format.csv:
        text = to_csv(rows, columns)
    elif output is None:
        draw(console())
        return
    else:
        buffer = io.StringIO()
        draw(_plain_console(buffer))
        text = buffer.getvalue()
    if output is None:
        out(text, end="")
        return
    path = output.expanduser()
    write_private(path, text)
    _tell(f"Wrote the {name} report to {path}")


# --- keys ----------------------------------------------------------------------------


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


@report_app.command(
    "keys",
    help=rules_help(
        "keys",
        "Which of the five keys you practise, and which you neglect.",
        "netcrm report keys --since 30d",
    ),
)
def keys_cmd(
    since: str = since_option(),
    as_json: bool = common.json_option(),
    as_csv: bool = common.csv_option(),
    output: Path | None = output_option(),
) -> None:
    """Which of the five keys you practise, and which you neglect."""
    from netcrm.domain.reports import KEYS_COLUMNS, keys_report

    fmt = common.output_format(as_json, as_csv)
    start = _since(since)
    with common.reading() as reader:
        report = keys_report(reader, today=common.today(), since=start)
    deliver("keys", report.rows(), KEYS_COLUMNS, lambda c: draw_keys(c, report), fmt, output)


# --- network -------------------------------------------------------------------------


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


@report_app.command(
    "network",
    help=rules_help(
        "network",
        "Your network: sources, relationships, warm / cooling / cold, who is slipping away.",
        "netcrm report network --since 6m",
    ),
)
def network_cmd(
    since: str = since_option(),
    as_json: bool = common.json_option(),
    as_csv: bool = common.csv_option(),
    output: Path | None = output_option(),
) -> None:
    """Your network: sources, relationships, warm / cooling / cold, who is slipping away."""
    from netcrm.domain.reports import NETWORK_COLUMNS, network_report

    fmt = common.output_format(as_json, as_csv)
    start = _since(since)
    with common.reading() as reader:
        report = network_report(reader, today=common.today(), since=start)
    deliver(
        "network", report.rows(), NETWORK_COLUMNS, lambda c: draw_network(c, report), fmt, output
    )


# --- ideas ---------------------------------------------------------------------------


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


@report_app.command(
    "ideas",
    help=rules_help(
        "ideas",
        "Your ideas: the pipeline, proposed → accepted, and the stuck ones.",
        "netcrm report ideas --csv -o ideas.csv",
    ),
)
def ideas_cmd(
    since: str = since_option(),
    as_json: bool = common.json_option(),
    as_csv: bool = common.csv_option(),
    output: Path | None = output_option(),
) -> None:
    """Your ideas: the pipeline, proposed → accepted, and the stuck ones."""
    from netcrm.domain.reports import IDEAS_COLUMNS, ideas_report

    fmt = common.output_format(as_json, as_csv)
    start = _since(since)
    with common.reading() as reader:
        report = ideas_report(reader, today=common.today(), since=start)
    deliver("ideas", report.rows(), IDEAS_COLUMNS, lambda c: draw_ideas(c, report), fmt, output)


# --- activity ------------------------------------------------------------------------


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


@report_app.command(
    "activity",
    help=rules_help(
        "activity",
        "Your activity: a weekly heat map, outreach vs inbound, channels.",
        "netcrm report activity --since 26w",
    ),
)
def activity_cmd(
    since: str = since_option(),
    as_json: bool = common.json_option(),
    as_csv: bool = common.csv_option(),
    output: Path | None = output_option(),
) -> None:
    """Your activity: a weekly heat map, outreach vs inbound, channels."""
    from netcrm.domain.reports import ACTIVITY_COLUMNS, activity_report

    fmt = common.output_format(as_json, as_csv)
    start = _since(since)
    with common.reading() as reader:
        report = activity_report(reader, today=common.today(), since=start)
    deliver(
        "activity",
        report.rows(),
        ACTIVITY_COLUMNS,
        lambda c: draw_activity(c, report),
        fmt,
        output,
    )


# --- all -----------------------------------------------------------------------------


@report_app.command("all")
def all_cmd(
    html: Path | None = typer.Option(
        None,
        "--html",
        help="Write one self-contained HTML page (0600) to this new file.",
        metavar="FILE",
    ),
    since: str = since_option(),
    as_json: bool = common.json_option(),
) -> None:
    """Every report at once: on screen, as JSON, or as one HTML page with charts.

    Every report covers the same window (--since). How each figure is computed:
    netcrm report keys|network|ideas|activity --help, and the page's last section.

    Example: netcrm report all --html ~/netcrm-report.html
    """
    from netcrm.domain.reports import (
        ACTIVITY_COLUMNS,
        IDEAS_COLUMNS,
        KEYS_COLUMNS,
        NETWORK_COLUMNS,
        activity_report,
        ideas_report,
        keys_report,
        network_report,
    )

    today = common.today()
    start = _since(since)
    if html is not None and as_json:
        from netcrm.errors import InvalidInput

        raise InvalidInput("choose one of --html and --json")
    with common.reading() as reader:
        keys = keys_report(reader, today=today, since=start)
        network = network_report(reader, today=today, since=start)
        ideas = ideas_report(reader, today=today, since=start)
        activity = activity_report(reader, today=today, since=start)
    if html is not None:
        from netcrm.render.html import render_html

        path = html.expanduser()
        write_private(path, render_html(keys, network, ideas, activity, today=today))
        _tell(f"Wrote the report page to {path}; open it in a browser.")
        return
    if as_json:

        def pick(rows: list[dict[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
            return [{k: r.get(k) for k in columns} for r in rows]

        out(
            to_json(
                {
                    "keys": pick(keys.rows(), KEYS_COLUMNS),
                    "network": pick(network.rows(), NETWORK_COLUMNS),
                    "ideas": pick(ideas.rows(), IDEAS_COLUMNS),
                    "activity": pick(activity.rows(), ACTIVITY_COLUMNS),
                }
            )
        )
        return
    con = console()
    draw_keys(con, keys)
    con.print()
    draw_network(con, network)
    con.print()
    draw_ideas(con, ideas)
    con.print()
    draw_activity(con, activity)
