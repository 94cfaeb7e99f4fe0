"""``netcrm remind`` and ``netcrm followups [edit|reopen|rm]``: follow-ups.

Choices a user can see:

- ``remind`` takes one or two arguments. One is the text of a follow-up that
  concerns no one (``remind "Renew the domain"``); two are WHO then TEXT
  (``remind lea "Send the outline"``). A text of several words is quoted; a
  third argument is an error rather than a guess.
- ``--on`` defaults to tomorrow. ``--every`` makes it recur, counted from the
  due date, or from the day it is done with ``--from-done``.
- ``remind`` prints the new handle (``f12``) on stdout, for scripts; ``done``,
  ``snooze`` and ``followups edit|reopen|rm`` accept it, or the bare number.
- ``followups`` lists open follow-ups by due date; ``--all`` adds the done ones
  (each completion of a recurring follow-up is one of them) after the open ones.
- ``followups edit`` changes what it is told: ``--every none`` stops a
  recurrence, ``--who none`` / ``--idea none`` unlink; ``--tag``/``--key`` set
  the lists as on every ``edit``, ``--add-tag``/``--remove-tag``… change them.
  A done follow-up keeps its text, links and labels editable, but its date
  and recurrence are refused (exit 2) with a pointer to ``followups reopen``,
  which makes it open again, due on its date or on ``--on``.
"""

from __future__ import annotations

from typing import Any

import typer

from netcrm.cli import common
from netcrm.cli.app import CONTEXT, app
from netcrm.errors import InvalidInput
from netcrm.render import Column, Format, emit, message, out, output_options

# The group's help is its callback's docstring (the listing), example included.
followups_app = typer.Typer(
    context_settings=CONTEXT,
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(followups_app, name="followups")


def _idea_id(text: str) -> int:
    value = text.strip().lstrip("#")
    if not value.isdigit():
        raise InvalidInput(f"{text!r} is not an idea id; e.g. --idea 3 (see netcrm idea list)")
    return int(value)


def _describe(handle: str, text: str, contact: str | None, due: Any, rule: str | None) -> str:
    from netcrm.dates import describe_relative, describe_rule

    who = f" with {contact}" if contact else ""
    repeats = f", {describe_rule(rule)}" if rule else ""
    when = describe_relative(due, today=common.today())
    return f"{handle} {text}{who}: due {due.isoformat()} ({when}){repeats}"


def _described(session: Any, followup: Any) -> str:
    """:func:`_describe` of a follow-up row, its contact's name looked up."""
    from netcrm.domain.contacts import get_contact
    from netcrm.domain.followups import handle_of

    contact = None
    if followup.contact_id is not None:
        contact = get_contact(session, followup.contact_id).name
    return _describe(
        handle_of(followup.id), followup.text, contact, followup.due, followup.recurrence
    )


def _say(text: str) -> None:
    """A message holding user text: brackets in it are text, not rich markup."""
    from rich.markup import escape

    message(escape(text))


@app.command("remind")
def remind(
    words: list[str] = typer.Argument(
        ...,
        metavar="[WHO] TEXT",
        help="TEXT alone (a follow-up about no one), or WHO (id, email, name) then TEXT.",
        autocompletion=common.complete_who,
        show_default=False,
    ),
    on: str | None = typer.Option(
        None, "--on", help="Due date (default tomorrow): 2026-12-04, friday, +3d, 'dans 3 jours'."
    ),
    every: str | None = typer.Option(
        None, "--every", help="Repeat: 3d, 2w, 1m, weekly, 'every 2 weeks', FREQ=MONTHLY;BYDAY=1MO."
    ),
    from_done: bool = typer.Option(
        False, "--from-done", help="Count the recurrence from when it is done, not from its date."
    ),
    idea: str | None = typer.Option(None, "--idea", help="The idea it belongs to (its id)."),
    key: list[str] | None = common.key_option(),
    tag: list[str] | None = common.tag_option(),
) -> None:
    """Add a follow-up, about a contact or no one; prints its handle.

    With one argument it is the TEXT (no contact); with two, WHO then TEXT.

    Example: netcrm remind lea "Send the webinar outline" --on "next friday"
    """
    from datetime import timedelta

    from netcrm.domain.followups import FollowupInput, create_followup, handle_of

    if len(words) > 2:
        raise InvalidInput(
            f"remind takes [WHO] TEXT, not {len(words)} arguments; quote a text of several "
            'words: netcrm remind lea "Send the outline"'
        )
    who, text = (None, words[0]) if len(words) == 1 else (words[0], words[1])
    today = common.today()
    due = common.parse_date(on, sense="next") if on is not None else today + timedelta(days=1)
    keys = common.keys(key)
    idea_id = _idea_id(idea) if idea is not None else None
    with common.writing() as session:
        contact_id = common.resolve(common.session_reader(session), who) if who else None
        followup = create_followup(
            session,
            FollowupInput(
                text=text,
                due=due,
                contact_id=contact_id,
                idea_id=idea_id,
                every=every,
                from_done=from_done,
                tags=tag or [],
                keys=keys,
            ),
            now=common.now(),
        )
        assert followup.id is not None
        handle = handle_of(followup.id)
        described = _described(session, followup)
    out(handle)
    _say(f"Reminder {described}")


_COLUMNS = (
    Column("handle", "Handle", keep=True),
    Column("due", "Due", keep=True),
    Column("when", "When"),
    Column("text", "Follow-up"),
    Column("contact", "Contact", drop=1),
    Column("repeats", "Repeats", drop=2),
    Column("tags", "Tags", drop=3),
)
_DONE_COLUMN = Column("done_at", "Done", show=lambda v: str(v)[:10] if v else "", keep=True)


@followups_app.callback()
@output_options("the follow-ups")
def followups(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", "-a", help="Include done follow-ups."),
    fmt: Format = Format.table,
) -> None:
    """List open follow-ups by due date (--all: done ones too); edit or rm one.

    Example: netcrm followups --all --json
    """
    if ctx.invoked_subcommand is not None:
        return
    from netcrm.domain.followups import FOLLOWUP_KEYS, followup_rows

    with common.reading() as reader:
        rows = followup_rows(reader, today=common.today(), include_done=all_)
    columns = (*_COLUMNS, _DONE_COLUMN) if all_ else _COLUMNS
    empty = 'No follow-ups yet. Add one with: netcrm remind lea "Send the outline"'
    if not all_:
        empty = 'No open follow-ups. Add one with: netcrm remind lea "Send the outline"'
    emit(rows, columns, fmt, json_keys=FOLLOWUP_KEYS, empty=empty)


@followups_app.command("edit")
def edit(
    handle: str = typer.Argument(..., help="The follow-up: f12 or 12."),
    text: str | None = typer.Option(None, "--text", help="New text."),
    on: str | None = typer.Option(None, "--on", help="New due date."),
    every: str | None = typer.Option(
        None, "--every", help="New recurrence (3d, monthly, FREQ=…), or 'none' to stop it."
    ),
    from_done: bool | None = typer.Option(
        None,
        "--from-done/--from-due",
        help="Count the recurrence from completion, or from the due date.",
    ),
    who: str | None = typer.Option(
        None,
        "--who",
        help="The contact it concerns, or 'none'.",
        autocompletion=common.complete_who,
    ),
    idea: str | None = typer.Option(None, "--idea", help="The idea it belongs to, or 'none'."),
    tag: list[str] | None = common.set_tags_option(),
    add_tag: list[str] | None = common.add_tag_option(),
    remove_tag: list[str] | None = common.remove_tag_option(),
    key: list[str] | None = common.set_keys_option(),
    add_key: list[str] | None = common.add_key_option(),
    remove_key: list[str] | None = common.remove_key_option(),
) -> None:
    """Change a follow-up's text, date, recurrence, contact or idea.

    Example: netcrm followups edit f12 --on "next monday" --every none
    """
    from netcrm.domain.changes import UNSET, cleared, or_clear
    from netcrm.domain.followups import FollowupChanges, edit_followup, parse_followup_id

    followup_id = parse_followup_id(handle)
    idea_id = or_clear(idea)
    changes = FollowupChanges(
        text=UNSET if text is None else text,
        due=UNSET if on is None else common.parse_date(on, sense="next"),
        every=or_clear(every),
        from_done=UNSET if from_done is None else from_done,
        idea_id=_idea_id(idea_id) if idea_id else idea_id,
        labels=common.label_changes(tag, add_tag, remove_tag, key, add_key, remove_key),
    )
    if not changes.fields() and who is None and not changes.labels:
        raise InvalidInput("nothing to change; give --text, --on, --every, --who, --idea, --tag…")
    with common.writing() as session:
        if who is not None:
            reader = common.session_reader(session)
            changes.contact_id = None if cleared(who) else common.resolve(reader, who)
        followup = edit_followup(session, followup_id, changes, now=common.now())
        described = _described(session, followup)
    _say(f"Updated {described}")


@followups_app.command("reopen")
def reopen(
    handles: list[str] = typer.Argument(..., help="Done follow-ups to reopen: f12 or 12."),
    on: str | None = typer.Option(None, "--on", help="New due date (default: the date it had)."),
) -> None:
    """Make done follow-ups open again, due on their date or on --on.

    Example: netcrm followups reopen f12 --on tomorrow
    """
    from netcrm.domain.followups import parse_followup_id, reopen_followup

    ids = list(dict.fromkeys(parse_followup_id(h) for h in handles))
    due = common.parse_date(on, sense="next") if on is not None else None
    lines = []
    with common.writing() as session:
        for followup_id in ids:
            followup = reopen_followup(session, followup_id, now=common.now(), due=due)
            lines.append(_described(session, followup))
    for line in lines:
        _say(f"Reopened {line}")


@followups_app.command("rm")
def rm(
    handles: list[str] = typer.Argument(..., help="Follow-ups to delete: f12 or 12."),
) -> None:
    """Delete follow-ups (open or done) for good.

    Example: netcrm followups rm f12
    """
    from netcrm.domain.followups import (
        delete_followup,
        get_followup,
        handle_of,
        parse_followup_id,
    )

    ids = list(dict.fromkeys(parse_followup_id(h) for h in handles))
    deleted = []
    with common.writing() as session:
        for followup_id in ids:
            deleted.append(f"{handle_of(followup_id)} {get_followup(session, followup_id).text}")
            delete_followup(session, followup_id)
    for line in deleted:
        _say(f"Deleted {line}")
