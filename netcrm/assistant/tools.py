"""The tools of ``netcrm mcp``, as plain functions (no SDK here).

Names and arguments are a public contract (PRODUCT.md §9). A read tool
returns the rows of the matching ``--json`` output, built by the same domain
functions and keys as the command; a write tool goes through the same domain
functions and the same one write transaction as the command, and returns what
it made (the record the matching listing shows) with the command's message.
Every error is a :class:`netcrm.errors.NetcrmError` (or a database error) that
:mod:`netcrm.assistant.server` turns into a tool error.

Each function's docstring is the tool's description, and each parameter's
``Field`` its description in the tool's input schema: they are written for an
assistant deciding what to call with what.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Annotated, Any

from pydantic import Field

from netcrm.cli import common

WHO = (
    "A contact: numeric id, email, or (part of) a name, case- and accent-insensitive "
    '("lea" finds "Léa Martin", "le gall", "martin-roux"). Ambiguous or unknown → error '
    "listing candidates or suggestions."
)
DATE = (
    "A date: 2026-12-04, today, tomorrow, yesterday, +3d, -2w, +1m, 'in 3 days', "
    "'3 weeks ago', friday, 'next friday', 'Dec 5', or French ('demain', 'lundi prochain', "
    "'5 décembre')."
)
EVERY = (
    "A recurrence: 3d, 2w, 1m, daily, weekly, monthly, yearly, 'every 2 weeks', or an "
    "RFC 5545 rule such as FREQ=MONTHLY;BYDAY=1MO."
)
HANDLE = (
    "A handle shown by the due tool: f12 (follow-up 12; a bare 12 too), s3 (idea step 3), "
    "k7 (keep in touch with contact 7), b7 (birthday of contact 7)."
)
KEYS = (
    "Keys among the five: creativity, action-plan, self-esteem, opportunity, "
    "emotional-intelligence (aliases and prefixes such as crea, plan, self, opp, emo work)."
)
SINCE = "Start of the period: 90d, 6m, 1y, or a date (2026-01-01)."

Who = Annotated[str, Field(description=WHO)]
Keys = Annotated[Sequence[str], Field(description=KEYS)]
Others = Annotated[Sequence[str], Field(description="Other contacts involved, each as for WHO.")]


def _pick(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """The ``--json`` rows: each row's stable keys, in order."""
    return [{k: r.get(k) for k in keys} for r in rows]


# --- reads -------------------------------------------------------------------------


def due(
    within_days: Annotated[
        int, Field(ge=0, description="How many days ahead to look; 0 is today only.")
    ] = 7,
) -> list[dict[str, Any]]:
    """What needs attention today: overdue, due today, and coming up within `within_days`.

    Rows are open follow-ups, dated idea steps, contacts whose keep-in-touch cadence ran
    out and birthdays, most overdue first. Each row has a `handle` (f12 follow-up, s3 idea
    step, k7 keep in touch, b7 birthday) for the done and snooze tools, `kind`, `text`,
    `contact`, `due` (ISO date), `days_overdue` (negative when still ahead), `section`
    (overdue, today, coming) and the contact's preferred `channel`. Same rows as
    `netcrm due --json`.
    """
    from netcrm.domain import due as domain

    with common.reading() as reader:
        items = domain.due_items(reader, today=common.today(), within_days=within_days)
    return _pick([item.as_dict() for item in items], domain.DUE_KEYS)


def search(
    text: Annotated[str, Field(description="Words to find; the last may be the start of one.")],
    limit: Annotated[int, Field(ge=1, description="At most this many results.")] = 20,
) -> list[dict[str, Any]]:
    """Full-text search over contacts (names, companies, channels, notes), interactions,
    ideas and follow-ups; case and accents do not matter; best matches first.

    Each hit: `type` (contact, interaction, idea, followup), `id`, `title`, `contact`,
    `date`, `snippet`, `rank`. Same rows as `netcrm search TEXT --json`.
    """
    from netcrm.domain.search import SEARCH_KEYS
    from netcrm.domain.search import search as run

    with common.reading() as reader:
        return _pick(run(reader, text, limit=limit), SEARCH_KEYS)


def show_contact(who: Who) -> dict[str, Any]:
    """A contact's full card: fields, channels (preferred first), cadence and next touch,
    the last ten interactions, open follow-ups (with handles) and ideas.

    Same as `netcrm show WHO --json`.
    """
    from netcrm.domain.contact_views import contact_card

    with common.reading() as reader:
        return contact_card(reader, common.resolve(reader, who), today=common.today())


def list_contacts(
    tag: Annotated[str | None, Field(description="Only contacts with this free tag.")] = None,
    key: Annotated[str | None, Field(description="Only contacts with this explicit key.")] = None,
    company: Annotated[
        str | None, Field(description="Only contacts whose company contains this text.")
    ] = None,
    limit: Annotated[int, Field(ge=0, description="At most this many contacts.")] = 50,
) -> list[dict[str, Any]]:
    """Active contacts by name, with filters. Each row: `id`, `name`, `emails`, `phones`,
    `company`, `role`, `tags`, `keys`, `last_contact`, `next_touch`, and more.

    Same rows as `netcrm list --json`.
    """
    from netcrm.domain.contact_views import RECORD_KEYS, contact_records

    slugs = common.keys([key]) if key is not None else None
    with common.reading() as reader:
        records = contact_records(reader, tag=tag, key=slugs, company=company, limit=limit)
    return _pick(records, RECORD_KEYS)


def list_followups(
    include_done: Annotated[bool, Field(description="Include the done follow-ups.")] = False,
) -> list[dict[str, Any]]:
    """Follow-ups by due date: open ones (and done ones after them if asked), each with its
    `handle` (f12), `text`, `contact`, `due`, recurrence, tags and keys.

    Same rows as `netcrm followups --json` (`--all` with include_done).
    """
    from netcrm.domain.followups import FOLLOWUP_KEYS, followup_rows

    with common.reading() as reader:
        rows = followup_rows(reader, today=common.today(), include_done=include_done)
    return _pick(rows, FOLLOWUP_KEYS)


def list_ideas(
    status: Annotated[
        str | None,
        Field(
            description="Only this status: idea, planned, proposed, accepted, done, declined, "
            "dropped, or open (still in play)."
        ),
    ] = None,
) -> list[dict[str, Any]]:
    """Collaboration ideas, open ones first in pipeline order: `id`, `title`, `kind`,
    `status`, `contacts`, plan progress, next step due, open effort, and `flags`
    (no-plan, heavy, stalled: the ones that need a small first step).

    Same rows as `netcrm idea list --json`.
    """
    from netcrm.domain.idea_views import RECORD_KEYS, idea_records

    with common.reading() as reader:
        return _pick(idea_records(reader, status=status, today=common.today()), RECORD_KEYS)


def report_rows(
    build: Callable[..., Any], columns: Sequence[str], since: str
) -> list[dict[str, Any]]:
    from netcrm.dates import parse_since

    today = common.today()
    start = parse_since(since, today=today)
    with common.reading() as reader:
        return _pick(build(reader, today=today, since=start).rows(), columns)


def report_keys(since: Annotated[str, Field(description=SINCE)] = "90d") -> list[dict[str, Any]]:
    """The five networking keys over a period: per key `explicit` (tagged), `inferred`
    (by netcrm's rules), `total` and `share`. The weakest key is the one to practise
    next. Same rows as `netcrm report keys --json`.
    """
    from netcrm.domain.reports import KEYS_COLUMNS, keys_report

    return report_rows(keys_report, KEYS_COLUMNS, since)


def report_network(since: Annotated[str, Field(description=SINCE)] = "90d") -> list[dict[str, Any]]:
    """The network over a period, as rows by `section`: total, source, relationship,
    temperature (warm / cooling / cold / untouched), new-contact, and losing-touch (the
    people past their cadence, most overdue first). Same rows as
    `netcrm report network --json`.
    """
    from netcrm.domain.reports import NETWORK_COLUMNS, network_report

    return report_rows(network_report, NETWORK_COLUMNS, since)


# --- writes ------------------------------------------------------------------------


def add_contact(
    name: Annotated[str, Field(description='Full name, e.g. "Léa Martin" (need not be unique).')],
    email: Annotated[str | None, Field(description="Email address.")] = None,
    company: Annotated[str | None, Field(description="Company or project.")] = None,
    role: Annotated[str | None, Field(description="Role or job title.")] = None,
    met_via: Annotated[
        str | None,
        Field(
            description="Where you met: linkedin, shapr, forum, blog, event, irl, referral, other."
        ),
    ] = None,
    tags: Annotated[Sequence[str], Field(description="Free tags.")] = (),
    keys: Keys = (),
    every: Annotated[
        str | None,
        Field(description="Keep-in-touch cadence: 30d, 2w, monthly, 'every 2 weeks'."),
    ] = None,
    note: Annotated[str | None, Field(description="Free notes.")] = None,
) -> dict[str, Any]:
    """Add a contact. Returns `contact` (the record `netcrm list --json` shows, with its
    `id` and `next_touch`), the `message`, and `warnings` when another contact already
    has that email (maybe the same person). Like `netcrm add`.
    """
    from netcrm.dates import parse_cadence
    from netcrm.domain.contact_views import RECORD_KEYS, contact_record, contacts_with_channels
    from netcrm.domain.contacts import ContactInput, check_channel, check_fields, create_contact
    from netcrm.domain.labels import clean_tags

    fields: dict[str, Any] = {"name": name, "company": company, "role": role}
    fields.update(met_via=met_via, notes=note)
    if every is not None:
        fields["cadence"] = parse_cadence(every, today=common.today())
    channels: list[Any] = [check_channel("email", email)] if email is not None else []
    data = ContactInput(
        fields=check_fields(fields),
        channels=channels,
        tags=clean_tags(tags),
        keys=common.keys(list(keys)),
    )
    with common.writing() as session:
        reader = common.session_reader(session)
        twins = contacts_with_channels(reader, channels)
        contact_id = create_contact(session, data, now=common.now()).id
        assert contact_id is not None
        session.flush()
        (record,) = _pick([contact_record(reader, contact_id)], RECORD_KEYS)
    label = f"#{record['id']} {record['name']}"
    nxt = record["next_touch"]
    return {
        "contact": record,
        "message": f"Added {label}" + (f"; next touch {nxt}" if nxt else ""),
        "warnings": [
            f"#{t['id']} {t['name']} already has the {t['kind']} {t['value']}; if they are "
            f"the same person: netcrm merge {record['id']} {t['id']}"
            for t in twins
        ],
    }


def log_interaction(
    who: Who,
    summary: Annotated[
        str,
        Field(description='What was said or done, e.g. "Coffee, she wants to co-host an episode".'),
    ],
    via: Annotated[
        str | None,
        Field(
            description="Channel: email, call, video, meeting, message, whatsapp, facebook, "
            "linkedin, event, in-person, other (default: from their preferred channel)."
        ),
    ] = None,
    on: Annotated[
        str | None, Field(description="When it happened (default today); " + DATE)
    ] = None,
    keys: Keys = (),
    with_contacts: Others = (),
) -> dict[str, Any]:
    """Log an exchange that happened (today or in the past) with a contact and possibly
    others; it resets their keep-in-touch clock. To plan something, use remind.

    Returns `interaction_id`, the `contacts` involved (records with their new
    `last_contact` and `next_touch`) and the `message`. Like `netcrm log`.
    """
    from netcrm.domain import interactions
    from netcrm.domain.contact_views import RECORD_KEYS, channel_kinds, contact_record

    today = common.today()
    day = common.parse_date(on, sense="past") if on is not None else today
    interactions.check_past(day, today, plan="with the remind tool")
    channel = interactions.check_interaction_channel(via) if via is not None else None
    slugs = common.keys(list(keys))
    with common.writing() as session:
        reader = common.session_reader(session)
        ids = [common.resolve(reader, w) for w in (who, *with_contacts)]
        ids = list(dict.fromkeys(ids))
        if channel is None:
            channel = interactions.preferred_interaction_channel(channel_kinds(reader, ids[0]))
        data = interactions.InteractionInput(ids, summary, day, channel=channel, keys=slugs)
        interaction_id = interactions.log_interaction(session, data, now=common.now()).id
        session.flush()
        people = _pick([contact_record(reader, cid) for cid in ids], RECORD_KEYS)
    names = ", ".join(f"#{p['id']} {p['name']}" for p in people)
    return {
        "interaction_id": interaction_id,
        "contacts": people,
        "message": f"Logged #{interaction_id}: {channel} with {names} on {day.isoformat()}.",
    }


def remind(
    text: Annotated[str, Field(description='What to do, e.g. "Send the webinar outline".')],
    who: Annotated[str | None, Field(description="The contact it concerns, if any. " + WHO)] = None,
    on: Annotated[str | None, Field(description="Due date (default tomorrow). " + DATE)] = None,
    every: Annotated[str | None, Field(description="Make it recur. " + EVERY)] = None,
) -> dict[str, Any]:
    """Add a follow-up (a reminder), about a contact or no one, due `on` (default
    tomorrow), optionally recurring. Returns `followup` (its row as in
    `netcrm followups --json`, with the `handle` such as f12 that done and snooze take)
    and the `message`. Like `netcrm remind`.
    """
    from netcrm.domain.followups import FollowupInput, create_followup, followup_record

    today = common.today()
    when = common.parse_date(on, sense="next") if on is not None else today + timedelta(days=1)
    with common.writing() as session:
        reader = common.session_reader(session)
        contact_id = common.resolve(reader, who) if who is not None else None
        data = FollowupInput(text=text, due=when, contact_id=contact_id, every=every)
        followup_id = create_followup(session, data, now=common.now()).id
        assert followup_id is not None
        session.flush()
        row = followup_record(reader, followup_id, today=today)
    about = f" with {row['contact']}" if row["contact"] else ""
    return {
        "followup": row,
        "message": f"Reminder {row['handle']} {row['text']}{about}: due {row['due']}",
    }


def done(
    handle: Annotated[str, Field(description=HANDLE)],
    note: Annotated[
        str | None,
        Field(description="A note: the follow-up's, or the summary of the logged interaction."),
    ] = None,
) -> dict[str, Any]:
    """Mark a row of due done: a follow-up (a recurring one moves to its next date), an
    idea step, a keep-in-touch (logs an interaction, which resets the clock) or a birthday
    (wished). Returns the `message`. Like `netcrm done HANDLE`.
    """
    from netcrm.domain import due as domain

    today = common.today()
    with common.writing() as session:
        item = domain.resolve_handle(common.session_reader(session), handle, today=today)
        options = domain.DoneOptions(note=note)
        text = domain.complete_item(session, item, options, today=today, now=common.now())
    return {"handle": item.handle, "message": text}


def snooze(
    handle: Annotated[str, Field(description=HANDLE)],
    when: Annotated[str, Field(description="Until when. " + DATE)] = "tomorrow",
) -> dict[str, Any]:
    """Put a row of due off until another day (default tomorrow). Returns the `message`.
    Like `netcrm snooze HANDLE WHEN`.
    """
    from netcrm.domain import due as domain

    today = common.today()
    target = common.parse_date(when, sense="next")
    with common.writing() as session:
        item = domain.resolve_handle(common.session_reader(session), handle, today=today)
        text = domain.snooze_item(session, item, target, today=today, now=common.now())
    return {"handle": item.handle, "message": text}


def add_idea(
    title: Annotated[
        str, Field(description='What the idea is, e.g. "Interview Léa for the blog".')
    ],
    kind: Annotated[
        str | None,
        Field(
            description="contest, article, interview, event, partnership, guest-post, podcast, "
            "product or other (default other)."
        ),
    ] = None,
    with_contacts: Others = (),
    keys: Keys = (),
) -> dict[str, Any]:
    """Add a collaboration idea (status `idea`), with the contacts involved. Returns `idea`
    (its card as in `netcrm idea show ID --json`, flagged no-plan until it has a step) and
    the `message`. Like `netcrm idea add`.
    """
    from netcrm.domain.idea_views import idea_card
    from netcrm.domain.ideas import IdeaInput, check_kind, create_idea

    data = IdeaInput(title=title, kind=check_kind(kind or "other"), keys=common.keys(list(keys)))
    with common.writing() as session:
        reader = common.session_reader(session)
        data.contact_ids = [common.resolve(reader, w) for w in with_contacts]
        idea_id = create_idea(session, data, now=common.now()).id
        assert idea_id is not None
        session.flush()
        card = idea_card(reader, idea_id, today=common.today())
    return {"idea": card, "message": f"Added idea #{idea_id} {card['title']} ({card['kind']})."}


READ_TOOLS: tuple[Callable[..., Any], ...] = (
    due,
    search,
    show_contact,
    list_contacts,
    list_followups,
    list_ideas,
    report_keys,
    report_network,
)
WRITE_TOOLS: tuple[Callable[..., Any], ...] = (
    add_contact,
    log_interaction,
    remind,
    done,
    snooze,
    add_idea,
)
