"""``netcrm interactions [WHO]`` and ``interactions edit|rm``: correcting the log.

Choices a user can see:

- the listing is newest first (an untimed exchange counts as earlier in its
  day than a timed one, as on ``show``), every interaction or only those WHO
  took part in; its ids are
  what ``edit`` and ``rm`` take (``7`` or ``#7``);
- ``edit`` changes what it is told: ``--on`` (a date in the past or today, as
  for ``log``), ``--at HH:MM`` (``none`` clears), the summary, ``--via``,
  ``--in``/``--out``, ``--with`` / ``--without`` people (one must stay);
- ``rm`` asks first (``--yes`` does not);
- every change recomputes the keep-in-touch dates (last contact, next touch)
  of everyone the interaction concerned, before and after it.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from netcrm.cli import common
from netcrm.cli.app import CONTEXT, app
from netcrm.errors import InvalidInput
from netcrm.render import Column, Format, emit, message, output_options, plural


class _WhoOrCommand(TyperGroup):
    """``interactions [WHO]`` beside ``interactions edit|rm``: click would read
    any first word as WHO (then ``edit`` never runs) or as a command (then
    ``interactions lea`` is "no such command"). The first word that is not an
    option is a command when it names one, else WHO."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        for i, arg in enumerate(args):
            if arg == "--":
                break
            if not arg.startswith("-"):
                if arg not in self.commands:
                    ctx.meta["netcrm.who"] = arg
                    args = [*args[:i], *args[i + 1 :]]
                break
        return super().parse_args(ctx, args)  # type: ignore[no-any-return]


interactions_app = typer.Typer(
    cls=_WhoOrCommand,
    context_settings=CONTEXT,
    invoke_without_command=True,
    rich_markup_mode=None,
    subcommand_metavar="[WHO] | COMMAND [ARGS]...",
)
app.add_typer(interactions_app, name="interactions")

_COLUMNS = (
    Column("id", "#", show=lambda v: f"#{v}", justify="right", keep=True),
    Column("date", "Date", keep=True),
    Column("contacts", "With"),
    Column("channel", "Via", drop=2),
    Column("direction", "Dir", show=lambda v: "in" if v == "in" else "out", drop=1),
    Column("summary", "Summary"),
    Column("tags", "Tags", drop=3),
    Column("keys", "Keys", drop=3),
)


@interactions_app.callback()
@output_options("the interactions")
def interactions(
    ctx: typer.Context,
    fmt: Format = Format.table,
) -> None:
    """List interactions, newest first; with WHO (an id, email or name) only
    theirs. Edit or rm one by its id.

    Example: netcrm interactions lea --json
    """
    if ctx.invoked_subcommand is not None:
        return
    who: str | None = ctx.meta.get("netcrm.who")
    from netcrm.domain.exporting import INTERACTION_KEYS, interaction_rows

    with common.reading() as reader:
        contact_id = common.resolve(reader, who) if who is not None else None
        rows = interaction_rows(reader, contact_id=contact_id, newest_first=True)
    emit(
        rows,
        _COLUMNS,
        fmt,
        json_keys=INTERACTION_KEYS,
        empty='No interactions yet. Log one with: netcrm log lea "Call about the webinar"',
    )


def _ids(session: Any, names: list[str] | None) -> list[int]:
    reader = common.session_reader(session)
    return [common.resolve(reader, w) for w in names or []]


@interactions_app.command("edit")
def edit(
    interaction: str = typer.Argument(..., metavar="ID", help="The interaction: 7 or #7."),
    summary: str | None = typer.Option(None, "--summary", "-s", help="New summary."),
    on: str | None = typer.Option(None, "--on", metavar="DATE", help="New date (not future)."),
    at: str | None = typer.Option(None, "--at", metavar="HH:MM", help="New time, or 'none'."),
    via: str | None = typer.Option(None, "--via", metavar="CHANNEL", help="New channel."),
    inbound: bool | None = typer.Option(
        None, "--in/--out", help="They reached out (--in), or you did (--out)."
    ),
    with_: list[str] | None = common.who_option("--with", help="Add a contact (repeatable)."),
    without: list[str] | None = common.who_option(
        "--without", help="Remove a contact (repeatable)."
    ),
    tag: list[str] | None = common.set_tags_option(),
    add_tag: list[str] | None = common.add_tag_option(),
    remove_tag: list[str] | None = common.remove_tag_option(),
    key: list[str] | None = common.set_keys_option(),
    add_key: list[str] | None = common.add_key_option(),
    remove_key: list[str] | None = common.remove_key_option(),
) -> None:
    """Correct an interaction: date, time, summary, channel, direction, people,
    tags and keys (--tag/--key set the list, --add-…/--remove-… change it).

    Example: netcrm interactions edit 7 --on yesterday --with paul
    """
    from netcrm.domain.interactions import (
        InteractionChanges,
        edit_interaction,
        parse_interaction_id,
    )

    interaction_id = parse_interaction_id(interaction)
    changes = InteractionChanges(
        on=common.parse_date(on, sense="past") if on is not None else None,
        time=("" if at.strip().casefold() in ("none", "") else at) if at is not None else None,
        summary=summary,
        channel=via,
        direction=None if inbound is None else ("in" if inbound else "out"),
        labels=common.label_changes(tag, add_tag, remove_tag, key, add_key, remove_key),
    )
    if not (
        changes.on or changes.time is not None or summary or via or inbound is not None
    ) and not (with_ or without or changes.labels):
        raise InvalidInput("nothing to change; give --on, --at, --summary, --via, --with, --tag…")
    with common.writing() as session:
        changes.add_contacts = _ids(session, with_)
        changes.remove_contacts = _ids(session, without)
        edit_interaction(session, interaction_id, changes, today=common.today())
    message(f"Updated interaction #{interaction_id}.")


@interactions_app.command("rm")
def rm(
    interactions: list[str] = typer.Argument(..., metavar="ID...", help="7 or #7."),
    yes: bool = common.yes_option(),
) -> None:
    """Delete interactions; their people's keep-in-touch dates follow.

    Example: netcrm interactions rm 7 --yes
    """
    from netcrm.domain.exporting import interaction_rows
    from netcrm.domain.interactions import delete_interaction, parse_interaction_id

    ids = list(dict.fromkeys(parse_interaction_id(i) for i in interactions))
    with common.reading() as reader:
        known = {r["id"]: r for r in interaction_rows(reader, ids=ids)}
    missing = [i for i in ids if i not in known]
    if missing:
        raise InvalidInput(f"no interaction #{missing[0]} (see netcrm interactions)")
    described = [_describe(known[i]) for i in ids]
    what = described[0] if len(ids) == 1 else plural(len(ids), "interaction")
    common.confirm(f"Delete {what}?", yes=yes)
    with common.writing() as session:
        for interaction_id in ids:
            delete_interaction(session, interaction_id)
    from rich.markup import escape

    for line in described:
        message(escape(f"Deleted {line}."))


def _describe(row: dict[str, Any]) -> str:
    people = ", ".join(row["contacts"])
    return f"interaction #{row['id']} of {row['date']} with {people}: {row['summary']}"
