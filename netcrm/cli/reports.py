"""``netcrm report keys|network|ideas|activity|all``: the weekly look back.

Every report covers ``--since`` (default 90 days back; a duration or a date)
up to today. :mod:`netcrm.render.reports` draws the table view (bars and the
heat map in block characters). ``--json`` is the report's list of rows
(:mod:`netcrm.domain.reports` documents them) and ``--csv`` the same rows, cell
for cell; ``-o FILE`` and ``--force`` are the output options of every listing
(:mod:`netcrm.render.output`). ``report all --html FILE`` writes one
self-contained page with every report and its charts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import typer

from netcrm.cli import common
from netcrm.cli.app import report_app
from netcrm.render import Format, console, out, output_options, tell, to_csv, to_json, write_file

DEFAULT_SINCE = "90d"


def since_option() -> Any:
    return typer.Option(
        DEFAULT_SINCE,
        "--since",
        help="The last 90d, 4w, 6m or 1y, today included, or from a date (2026-01-01).",
        metavar="WHEN",
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


def _pick(rows: list[dict[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    return [{k: r.get(k) for k in columns} for r in rows]


def deliver(
    rows: list[dict[str, Any]],
    columns: Sequence[str],
    draw: Callable[[Any], None],
    fmt: Format,
) -> None:
    """Print one report in the chosen format."""
    if fmt is Format.json:
        out(to_json(_pick(rows, columns)))
    elif fmt is Format.csv:
        out(to_csv(rows, columns), end="")
    else:
        draw(console())


@report_app.command(
    "keys",
    help=rules_help(
        "keys",
        "Which of the five keys you practise, and which you neglect.",
        "netcrm report keys --since 30d",
    ),
)
@output_options("the keys report")
def keys_cmd(since: str = since_option(), fmt: Format = Format.table) -> None:
    """Which of the five keys you practise, and which you neglect."""
    from netcrm.domain.reports import KEYS_COLUMNS, keys_report
    from netcrm.render.reports import draw_keys

    start = _since(since)
    with common.reading() as reader:
        report = keys_report(reader, today=common.today(), since=start)
    deliver(report.rows(), KEYS_COLUMNS, lambda c: draw_keys(c, report), fmt)


@report_app.command(
    "network",
    help=rules_help(
        "network",
        "Your network: sources, relationships, warm / cooling / cold, who is slipping away.",
        "netcrm report network --since 6m",
    ),
)
@output_options("the network report")
def network_cmd(since: str = since_option(), fmt: Format = Format.table) -> None:
    """Your network: sources, relationships, warm / cooling / cold, who is slipping away."""
    from netcrm.domain.reports import NETWORK_COLUMNS, network_report
    from netcrm.render.reports import draw_network

    start = _since(since)
    with common.reading() as reader:
        report = network_report(reader, today=common.today(), since=start)
    deliver(report.rows(), NETWORK_COLUMNS, lambda c: draw_network(c, report), fmt)


@report_app.command(
    "ideas",
    help=rules_help(
        "ideas",
        "Your ideas: the pipeline, proposed → accepted, and the stuck ones.",
        "netcrm report ideas --csv -o ideas.csv",
    ),
)
@output_options("the ideas report")
def ideas_cmd(since: str = since_option(), fmt: Format = Format.table) -> None:
    """Your ideas: the pipeline, proposed → accepted, and the stuck ones."""
    from netcrm.domain.reports import IDEAS_COLUMNS, ideas_report
    from netcrm.render.reports import draw_ideas

    start = _since(since)
    with common.reading() as reader:
        report = ideas_report(reader, today=common.today(), since=start)
    deliver(report.rows(), IDEAS_COLUMNS, lambda c: draw_ideas(c, report), fmt)


@report_app.command(
    "activity",
    help=rules_help(
        "activity",
        "Your activity: a weekly heat map, outreach vs inbound, channels.",
        "netcrm report activity --since 26w",
    ),
)
@output_options("the activity report")
def activity_cmd(since: str = since_option(), fmt: Format = Format.table) -> None:
    """Your activity: a weekly heat map, outreach vs inbound, channels."""
    from netcrm.domain.activity import ACTIVITY_COLUMNS, activity_report
    from netcrm.render.reports import draw_activity

    start = _since(since)
    with common.reading() as reader:
        report = activity_report(reader, today=common.today(), since=start)
    deliver(report.rows(), ACTIVITY_COLUMNS, lambda c: draw_activity(c, report), fmt)


@report_app.command("all")
@output_options("the reports", csv=False)
def all_cmd(
    html: Path | None = typer.Option(
        None,
        "--html",
        help="Write one self-contained HTML page (0600) to this file.",
        metavar="FILE",
    ),
    since: str = since_option(),
    fmt: Format = Format.table,
    force: bool = False,
    output_file: Path | None = None,
) -> None:
    """Every report at once: on screen, as JSON, or as one HTML page with charts.

    Every report covers the same window (--since). How each figure is computed:
    netcrm report keys|network|ideas|activity --help, and the page's last section.

    Example: netcrm report all --html ~/netcrm-report.html
    """
    from netcrm.domain.activity import ACTIVITY_COLUMNS, activity_report
    from netcrm.domain.reports import (
        IDEAS_COLUMNS,
        KEYS_COLUMNS,
        NETWORK_COLUMNS,
        ideas_report,
        keys_report,
        network_report,
    )

    today = common.today()
    start = _since(since)
    if html is not None and (fmt is not Format.table or output_file is not None):
        from netcrm.errors import InvalidInput

        raise InvalidInput("choose one of --html and --json / -o")
    with common.reading() as reader:
        keys = keys_report(reader, today=today, since=start)
        network = network_report(reader, today=today, since=start)
        ideas = ideas_report(reader, today=today, since=start)
        activity = activity_report(reader, today=today, since=start)
    if html is not None:
        from netcrm.render.html import render_html

        path = html.expanduser()
        write_file(path, render_html(keys, network, ideas, activity, today=today), force=force)
        tell(f"Wrote the report page to {path}; open it in a browser.")
        return
    if fmt is Format.json:
        out(
            to_json(
                {
                    "keys": _pick(keys.rows(), KEYS_COLUMNS),
                    "network": _pick(network.rows(), NETWORK_COLUMNS),
                    "ideas": _pick(ideas.rows(), IDEAS_COLUMNS),
                    "activity": _pick(activity.rows(), ACTIVITY_COLUMNS),
                }
            )
        )
        return
    from netcrm.render.reports import draw_all

    draw_all(console(), keys, network, ideas, activity)
