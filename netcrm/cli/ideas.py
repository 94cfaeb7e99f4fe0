"""``netcrm idea add|list|show|step|check|move|edit|rm|link|unlink``.

Choices a user can see:

- ``idea add`` prints ``#ID title`` on stdout (for scripts) and a message on
  stderr; every idea starts in status ``idea``.
- ``idea list`` lists every idea, open ones first in pipeline order;
  ``--status open`` keeps the ones still in play. The Flags column carries the
  article's warning (``no-plan``, ``heavy``, ``stalled``; see
  :mod:`netcrm.domain.ideas`).
- ``idea check ID N`` marks step N of the plan done (``--undo`` reopens it);
  ``idea edit ID --drop-step N`` removes it and renumbers the rest.
- ``idea move ID STATUS`` records the move with today's date, or ``--on`` a
  past day ("I proposed it last Tuesday").
- Efforts are hours: ``2``, ``1.5``, ``2h``, ``1h30``, ``45min``.
- ``idea rm`` asks first; without a terminal it needs ``--yes``.
"""

from __future__ import annotations

from typing import Any

import typer

from netcrm.cli import common
from netcrm.cli.app import idea_app
from netcrm.render import (
    Column,
    Format,
    emit,
    emit_card,
    message,
    out,
    output_options,
    plural,
    warn,
)
from netcrm.render.idea_card import draw_idea_card, hours

_ID_HELP = "The idea's number (netcrm idea list shows them)."
_KINDS = "contest, article, interview, event, partnership, guest-post, podcast, product, other"
_STATUSES = "idea, planned, proposed, accepted, done, declined, dropped"


def _id_argument() -> Any:
    return typer.Argument(..., help=_ID_HELP, metavar="ID")


def _idea_id(text: str) -> int:
    from netcrm.domain.ideas import parse_idea_id

    return parse_idea_id(text)


def _effort(text: str | None, *, allow_none: bool = False) -> float | None:
    from netcrm.domain.changes import cleared
    from netcrm.domain.ideas import parse_effort

    if text is None:
        return None
    if allow_none and cleared(text):
        return None
    return parse_effort(text)


def _m(text: str) -> str:
    """User text inside a rich message: brackets are not markup."""
    from rich.markup import escape

    return escape(text)


# --- add -----------------------------------------------------------------------------


@idea_app.command("add")
def add(
    title: str = typer.Argument(..., help='What the idea is, e.g. "Interview Léa for the blog".'),
    kind: str = typer.Option("other", "--kind", help=f"One of: {_KINDS}."),
    with_: list[str] | None = common.who_option(
        "--with", help="A contact involved (repeatable): id, email or name."
    ),
    key: list[str] | None = common.key_option(),
    effort: str | None = typer.Option(
        None, "--effort", help="Estimated effort in hours: 2, 1.5, 1h30, 45min."
    ),
    note: str | None = typer.Option(None, "--note", help="Free notes."),
    tag: list[str] | None = common.tag_option(),
) -> None:
    """Add a collaboration idea; prints its id.

    Example: netcrm idea add "Interview Léa for the blog" --kind interview --with lea
    """
    from netcrm.domain.ideas import IdeaInput, check_kind, create_idea
    from netcrm.domain.labels import clean_tags

    data = IdeaInput(
        title=title,
        kind=check_kind(kind),
        effort_hours=_effort(effort),
        notes=note,
        tags=clean_tags(tag or []),
        keys=common.keys(key),
    )
    with common.writing() as session:
        reader = common.session_reader(session)
        data.contact_ids = [common.resolve(reader, who) for who in with_ or []]
        idea = create_idea(session, data, now=common.now())
        label = f"#{idea.id} {idea.title}"
        idea_id = idea.id
    out(label)
    message(
        f"Added idea {_m(label)} ({data.kind}). Give it a first step: "
        f'netcrm idea step {idea_id} "…" --due "next friday"'
    )


# --- list ----------------------------------------------------------------------------


def _list_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **r,
            "_plan": f"{r['steps'] - r['open_steps']}/{r['steps']}" if r["steps"] else "-",
            "_effort": hours(r["open_effort_hours"]),
        }
        for r in records
    ]


LIST_COLUMNS = (
    Column("id", "ID", justify="right", keep=True),
    Column("title", "Title"),
    Column("kind", "Kind", keep=True, drop=3),
    Column("status", "Status", keep=True),
    Column("contacts", "With", drop=1),
    Column("_plan", "Done", justify="right", keep=True),
    Column("next_step_due", "Next due", keep=True),
    Column("_effort", "Open effort", justify="right", keep=True, drop=2),
    Column("flags", "Flags"),
)


@idea_app.command("list")
@output_options("the idea list")
def list_ideas(
    status: str | None = typer.Option(
        None, "--status", help=f"Only this status: {_STATUSES}, or open (still in play)."
    ),
    kind: str | None = typer.Option(None, "--kind", help=f"Only this kind: {_KINDS}."),
    with_: str | None = common.who_option("--with", help="Only ideas involving this contact."),
    fmt: Format = Format.table,
) -> None:
    """List collaboration ideas with their plan's progress and warnings.

    Example: netcrm idea list --status open --with lea
    """
    from netcrm.domain.idea_views import RECORD_KEYS, idea_records
    from netcrm.domain.ideas import check_kind, check_status

    if status is not None:
        check_status(status, allow_open=True)
    if kind is not None:
        check_kind(kind)
    with common.reading() as reader:
        contact_id = common.resolve(reader, with_) if with_ is not None else None
        records = idea_records(
            reader, status=status, kind=kind, contact_id=contact_id, today=common.today()
        )
    filtered = status is not None or kind is not None or with_ is not None
    emit(
        _list_rows(records) if fmt is Format.table else records,
        LIST_COLUMNS,
        fmt,
        json_keys=RECORD_KEYS,
        empty="No ideas match."
        if filtered
        else 'No ideas yet; add one with: netcrm idea add "Interview Léa for the blog"',
    )
    if fmt is Format.table and any(r["flags"] for r in records):
        flagged = sum(1 for r in records if r["flags"])
        warn(
            f"{plural(flagged, 'idea')} flagged: a proposal that needs too much preparation "
            "never happens; give each a small first step (netcrm idea show ID)."
        )


# --- show ----------------------------------------------------------------------------


@idea_app.command("show")
@output_options("the idea")
def show(
    idea: str = _id_argument(),
    fmt: Format = Format.table,
) -> None:
    """Show an idea: its action plan, the people, its status history and warnings.

    Example: netcrm idea show 3
    """
    from netcrm.domain.idea_views import RECORD_KEYS, idea_card

    idea_id = _idea_id(idea)
    today = common.today()
    with common.reading() as reader:
        card = idea_card(reader, idea_id, today=today)
    emit_card(card, RECORD_KEYS, fmt, lambda: draw_idea_card(card, today))


# --- step, check, move -------------------------------------------------------------------


@idea_app.command("step")
def step(
    idea: str = _id_argument(),
    text: str = typer.Argument(..., help='The step, e.g. "Send Léa the outline".'),
    due: str | None = typer.Option(None, "--due", help="When: 2026-12-01, friday, +3d…"),
    effort: str | None = typer.Option(None, "--effort", help="Hours: 2, 1.5, 1h30, 45min."),
) -> None:
    """Append a step to an idea's action plan.

    Example: netcrm idea step 3 "Send Léa three interview questions" --due friday --effort 1h
    """
    from netcrm.domain.ideas import add_step, check_step_text

    idea_id = _idea_id(idea)
    check_step_text(text)
    when = common.parse_date(due, sense="next") if due is not None else None
    hours = _effort(effort)
    with common.writing() as session:
        added = add_step(session, idea_id, text, due=when, effort_hours=hours, now=common.now())
        number = added.position
    tail = f", due {when.isoformat()}" if when else ""
    message(f"Added step {number} to idea #{idea_id}{tail}.")


@idea_app.command("check")
def check(
    idea: str = _id_argument(),
    number: int = typer.Argument(..., help="The step's number in the plan (idea show).", min=1),
    undo: bool = typer.Option(False, "--undo", help="Mark the step not done again."),
) -> None:
    """Mark step N of an idea's action plan done.

    Example: netcrm idea check 3 1
    """
    from netcrm.domain.idea_views import open_step_count
    from netcrm.domain.ideas import check_step

    idea_id = _idea_id(idea)
    with common.writing() as session:
        checked = check_step(session, idea_id, number, now=common.now(), undo=undo)
        label = checked.text
        left = open_step_count(common.session_reader(session), idea_id)
    if undo:
        message(f"Step {number} of idea #{idea_id} is open again: {_m(label)}")
        return
    message(f"Done: step {number} of idea #{idea_id}, {_m(label)}.")
    if left == 0:
        message(f"The whole plan is done; move the idea on: netcrm idea move {idea_id} proposed")


@idea_app.command("move")
def move(
    idea: str = _id_argument(),
    status: str = typer.Argument(..., help=f"The new status: {_STATUSES}."),
    on: str | None = typer.Option(None, "--on", help="When it happened, if not today."),
) -> None:
    """Move an idea along the pipeline (idea → planned → proposed → accepted → done).

    Example: netcrm idea move 3 proposed
    """
    from netcrm.domain.ideas import check_status, move_idea

    idea_id = _idea_id(idea)
    target = check_status(status)
    when = common.parse_date(on, sense="past") if on is not None else None
    with common.writing() as session:
        moved = move_idea(session, idea_id, target, now=common.now(), on=when)
        day = moved.status_changed_at.date().isoformat()
    message(f"Idea #{idea_id} is now {target} (since {day}).")


# --- edit, rm ------------------------------------------------------------------------


@idea_app.command("edit")
def edit(
    idea: str = _id_argument(),
    title: str | None = typer.Option(None, "--title", help="A new title."),
    kind: str | None = typer.Option(None, "--kind", help=f"One of: {_KINDS}."),
    effort: str | None = typer.Option(
        None, "--effort", help="Estimated hours (2, 1h30), or none to clear it."
    ),
    note: str | None = typer.Option(
        None, "--note", help='Replace the notes (none or "" clears them).'
    ),
    tag: list[str] | None = common.set_tags_option(),
    add_tag: list[str] | None = common.add_tag_option(),
    remove_tag: list[str] | None = common.remove_tag_option("--untag"),
    key: list[str] | None = common.set_keys_option(),
    add_key: list[str] | None = common.add_key_option(),
    remove_key: list[str] | None = common.remove_key_option("--unkey"),
    drop: int | None = typer.Option(
        None, "--drop-step", help="Remove step N of the plan (the rest move up).", min=1
    ),
) -> None:
    """Change an idea's title, kind, effort, notes, tags, keys or plan.

    Example: netcrm idea edit 3 --kind podcast --effort 3h --key self-esteem
    """
    from netcrm.domain.changes import UNSET, or_clear
    from netcrm.domain.ideas import IdeaChanges, edit_idea

    idea_id = _idea_id(idea)
    changes = IdeaChanges(
        title=UNSET if title is None else title,
        kind=UNSET if kind is None else kind,
        effort_hours=UNSET if effort is None else _effort(effort, allow_none=True),
        notes=or_clear(note),
        drop_step=drop,
        labels=common.label_changes(tag, add_tag, remove_tag, key, add_key, remove_key),
    )
    changes.check()
    with common.writing() as session:
        updated = edit_idea(session, idea_id, changes, now=common.now())
        label = f"#{idea_id} {updated.title}"
    message(f"Updated idea {_m(label)}.")


@idea_app.command("rm")
def rm(
    idea: str = _id_argument(),
    yes: bool = common.yes_option(),
) -> None:
    """Delete an idea with its plan, history and its own follow-ups.

    Contacts stay, and so do follow-ups also about a contact, unlinked from it.

    Example: netcrm idea rm 3 --yes
    """
    from netcrm.domain.idea_views import count_followups, idea_card
    from netcrm.domain.ideas import delete_idea

    idea_id = _idea_id(idea)
    with common.reading() as reader:
        card = idea_card(reader, idea_id, today=common.today())
        followups, shared = count_followups(reader, idea_id)
    parts = [plural(card["steps"], "step")]
    if followups:
        parts.append(plural(followups, "follow-up"))
    what = f"idea #{idea_id} {card['title']} ({', '.join(parts)})"
    verb = "stays" if shared == 1 else "stay"
    stay = f"; {plural(shared, 'follow-up')} about a contact {verb}, unlinked" if shared else ""
    common.confirm(f"Delete {what}{stay}?", yes=yes)
    with common.writing() as session:
        delete_idea(session, idea_id)
    message(f"Deleted {_m(what + stay)}.")


# --- link, unlink ----------------------------------------------------------------------


@idea_app.command("link")
def link(
    idea: str = _id_argument(),
    who: list[str] = typer.Argument(
        ...,
        help="Contacts to involve: id, email or name.",
        metavar="WHO...",
        autocompletion=common.complete_who,
    ),
) -> None:
    """Involve one or more contacts in an idea.

    Example: netcrm idea link 3 lea
    """
    from netcrm.domain.idea_views import contact_names
    from netcrm.domain.ideas import link_contacts

    idea_id = _idea_id(idea)
    with common.writing() as session:
        reader = common.session_reader(session)
        ids = [common.resolve(reader, w) for w in who]
        new = link_contacts(session, idea_id, ids, now=common.now())
        names = contact_names(reader, ids)
    for cid in dict.fromkeys(ids):
        if cid not in new:
            warn(f"#{cid} {_m(names[cid])} was already linked to idea #{idea_id}")
    linked = ", ".join(f"#{cid} {_m(names[cid])}" for cid in new)
    message(f"Linked {linked} to idea #{idea_id}.")


@idea_app.command("unlink")
def unlink(
    idea: str = _id_argument(),
    who: list[str] = typer.Argument(
        ...,
        help="Contacts to take off the idea.",
        metavar="WHO...",
        autocompletion=common.complete_who,
    ),
) -> None:
    """Take one or more contacts off an idea.

    Example: netcrm idea unlink 3 lea
    """
    from netcrm.domain.ideas import unlink_contacts

    idea_id = _idea_id(idea)
    with common.writing() as session:
        reader = common.session_reader(session)
        ids = [common.resolve(reader, w) for w in who]
        unlink_contacts(session, idea_id, ids, now=common.now())
    message(f"Unlinked {plural(len(set(ids)), 'contact')} from idea #{idea_id}.")
