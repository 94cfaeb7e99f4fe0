"""``netcrm due``, ``done`` and ``snooze``: the daily check.

``due`` reads through the fast path only (no SQLAlchemy on an up-to-date
SQLite file): sections *Overdue*, *Today*, *Coming up*; ``--json`` and
``--csv`` give the same rows, each with its section. ``--check`` prints nothing
and exits 0 when something is overdue or due today, 1 otherwise, so that
``netcrm due --check && notify-send …`` works from cron.

``done`` and ``snooze`` take the handles ``due`` shows (``f12``, ``s3``,
``k7``, ``b7``; see :mod:`netcrm.domain.due` for what each does).
"""

from __future__ import annotations

import typer

from netcrm.cli import common
from netcrm.cli.app import app
from netcrm.render import Column, Format, emit, message, output_options, plural

_SECTIONS = (("overdue", "Overdue"), ("today", "Today"), ("coming", "Coming up"))
_COLUMNS = (
    Column("handle", "Handle", keep=True),
    Column("due", "Due", keep=True),
    Column("when", "When"),
    Column("text", "What"),
    Column("contact", "Contact", drop=1),
    Column("channel", "Channel", drop=2),
)
HANDLE_HELP = "A handle shown by netcrm due: f12 (follow-up), s3 (step), k7, b7."


def _say(text: str) -> None:
    """A message holding user text: brackets in it are text, not rich markup."""
    from rich.markup import escape

    message(escape(text))


@app.command("due")
@output_options("the due list")
def due(
    within: str = typer.Option(
        "7d", "--within", "-w", help="How far ahead to look: 7d, 2w, 1m, 0 (today only)."
    ),
    check: bool = typer.Option(
        False, "--check", help="Print nothing; exit 0 if anything is overdue or due today, else 1."
    ),
    fmt: Format = Format.table,
) -> None:
    """What needs attention: overdue, today, coming up (follow-ups, steps, people, birthdays).

    Example: netcrm due --within 2w
    """
    from netcrm.dates import parse_duration_days
    from netcrm.domain import due as domain

    today = common.today()
    if check:
        with common.reading() as reader:
            found = domain.anything_due(reader, today=today)
        if not found:
            raise typer.Exit(1)
        return
    days = parse_duration_days(within)
    with common.reading() as reader:
        items = domain.due_items(reader, today=today, within_days=days)
        empty_network = not items and fmt is Format.table and not domain.has_contacts(reader)
    rows = [item.as_dict() for item in items]
    if fmt is not Format.table:
        emit(rows, _COLUMNS, fmt, json_keys=domain.DUE_KEYS)
        return
    if empty_network:
        message(
            "Your network is empty. Start with: "
            'netcrm add "Léa Martin" --email lea@ex.fr --every 30d'
        )
        return
    if not rows:
        horizon = "today" if days == 0 else f"in the next {plural(days, 'day')}"
        message(f"Nothing overdue and nothing due {horizon}. Enjoy your day!")
        return
    for name, title in _SECTIONS:
        part = [r for r in rows if r["section"] == name]
        if part:
            emit(part, _COLUMNS, fmt, title=f"{title} ({len(part)})")


@app.command("done")
def done(
    handles: list[str] = typer.Argument(..., help=HANDLE_HELP, metavar="HANDLE..."),
    note: str | None = typer.Option(
        None, "--note", "-n", help="A note: the follow-up's, or the logged interaction's summary."
    ),
    log: bool = typer.Option(
        False, "--log", help="Also log an interaction with the contact (always for k7)."
    ),
    via: str | None = typer.Option(
        None, "--via", help="Channel of the logged interaction (default: the preferred one)."
    ),
) -> None:
    """Mark rows of netcrm due done: a follow-up, a step, a keep-in-touch, a birthday.

    A recurring follow-up moves to its next date. A keep-in-touch row logs an
    interaction (which resets the clock); --log does so for the others too.

    Example: netcrm done f12 --log --note "Sent the outline"
    """
    from netcrm.domain import due as domain
    from netcrm.domain.interactions import check_interaction_channel

    options = domain.DoneOptions(
        note=note, log=log, via=check_interaction_channel(via) if via is not None else None
    )
    today = common.today()
    messages = []
    with common.writing() as session:
        reader = common.session_reader(session)
        items = [domain.resolve_handle(reader, h, today=today) for h in dict.fromkeys(handles)]
        for item in items:
            messages.append(
                domain.complete_item(session, item, options, today=today, now=common.now())
            )
    for line in messages:
        _say(line)


@app.command("snooze")
def snooze(
    handle: str = typer.Argument(..., help=HANDLE_HELP),
    when: str | None = typer.Argument(
        None, help="Until when (default: tomorrow, or the day after the row's date)."
    ),
) -> None:
    """Put a row of netcrm due off until another day.

    Example: netcrm snooze f12 "next monday"
    """
    from netcrm.domain import due as domain

    today = common.today()
    target = common.parse_date(when, sense="next") if when is not None else None
    with common.writing() as session:
        item = domain.resolve_handle(common.session_reader(session), handle, today=today)
        text = domain.snooze_item(session, item, target, today=today, now=common.now())
    _say(text)
