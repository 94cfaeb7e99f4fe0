"""``netcrm log``: record an exchange with one or more contacts.

``--via`` defaults to the interaction channel of the first contact's preferred
channel (an email → ``email``, a phone → ``call``, WhatsApp → ``whatsapp``…),
else ``other``. An exchange happens in the past or today: a future ``--on`` is
refused (plan it with ``netcrm remind``), because it would move the contact's
last-contact date ahead of today and hide them from ``due``.
"""

from __future__ import annotations

import typer

from netcrm.cli import common
from netcrm.cli.app import app
from netcrm.render import message, out


@app.command("log")
def log(
    who: str = common.who_argument(),
    summary: str = typer.Argument(..., help='What was said or done, e.g. "Call about a webinar".'),
    with_: list[str] | None = common.who_option(
        "--with", help="Another contact who took part (repeatable)."
    ),
    via: str | None = typer.Option(
        None,
        "--via",
        metavar="CHANNEL",
        help="email, call, video, meeting, message, whatsapp, facebook, linkedin, event, "
        "in-person, other (default: from their preferred channel).",
    ),
    on: str | None = typer.Option(
        None, "--on", metavar="DATE", help="When (default today): yesterday, 2026-11-20…"
    ),
    at: str | None = typer.Option(None, "--at", metavar="HH:MM", help="At what time, HH:MM."),
    inbound: bool = typer.Option(False, "--in", help="They reached out (default: you did)."),
    key: list[str] | None = common.key_option(),
    tag: list[str] | None = common.tag_option(),
) -> None:
    """Log an interaction; resets the keep-in-touch clock. Prints its id.

    Example: netcrm log lea "Call about a joint webinar" --via call --key opportunity
    """
    from netcrm.domain.contact_views import channel_kinds, contact_record
    from netcrm.domain.interactions import (
        InteractionInput,
        check_interaction_channel,
        check_past,
        check_time,
        log_interaction,
        preferred_interaction_channel,
    )
    from netcrm.domain.labels import clean_tags

    today = common.today()
    day = common.parse_date(on, sense="past") if on is not None else today
    if day > today:
        from shlex import quote

        check_past(day, today, plan=f'with: netcrm remind {quote(who)} "…" --on {quote(str(on))}')
    time = check_time(at) if at is not None else None
    channel = check_interaction_channel(via) if via is not None else None
    slugs = common.keys(key)
    tags = clean_tags(tag or [])
    with common.writing() as session:
        reader = common.session_reader(session)
        ids = [common.resolve(reader, who), *(common.resolve(reader, w) for w in with_ or [])]
        ids = list(dict.fromkeys(ids))
        if channel is None:
            channel = preferred_interaction_channel(channel_kinds(reader, ids[0]))
        interaction = log_interaction(
            session,
            InteractionInput(
                contact_ids=ids,
                summary=summary,
                on=day,
                channel=channel,
                direction="in" if inbound else "out",
                time=time,
                tags=tags,
                keys=slugs,
            ),
            now=common.now(),
        )
        people = [contact_record(reader, cid) for cid in ids]
        interaction_id = interaction.id  # before the commit expires the instance
    out(f"#{interaction_id}")
    names = ", ".join(f"#{p['id']} {p['name']}" for p in people)
    when = day.isoformat() + (f" {time}" if time else "")
    message(f"Logged #{interaction_id}: {channel} with {names} on {when}.")
    for p in people:
        if p["next_touch"]:
            message(f"Next touch with {p['name']}: {p['next_touch']}.")
