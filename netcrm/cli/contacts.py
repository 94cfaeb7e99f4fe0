"""``netcrm add|list|show``: making and reading contacts (the commands that
change one are in ``contacts_edit``).

Choices a user can see:

- ``add`` (and ``edit``): the first channel given is the preferred one (``log``
  uses it for ``--via``); ``--channel kind:value`` takes a kind netcrm has no
  option for (``--channel shapr:lea.m``) as a labelled ``other`` channel.
- ``list``: active contacts by default; ``--archived`` lists the archived
  ones, ``--all`` both. ``--sort last-contact`` puts the most recently
  contacted first, ``--sort added`` the newest.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from netcrm.cli import common
from netcrm.cli.app import app
from netcrm.render import (
    Column,
    Format,
    card_value,
    emit,
    emit_card,
    message,
    out,
    output_options,
    plural,
    warn,
)

if TYPE_CHECKING:
    pass


class SortBy(StrEnum):
    name = "name"
    last_contact = "last-contact"
    added = "added"


# Options that give channels, by parameter name → channel kind.
_CHANNEL_PARAMS = {
    "email": "email",
    "phone": "phone",
    "linkedin": "linkedin",
    "whatsapp": "whatsapp",
    "facebook": "facebook",
    "website": "website",
    "channel": "",  # kind:value
}


def _remember_order(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    # Click processes parameters in the order they were typed, so recording
    # them here tells which channel option came first: the preferred channel.
    if value and param.name:
        ctx.meta.setdefault("netcrm.channel_order", []).append(param.name)
    return value


_METAVARS = {
    "email": "EMAIL",
    "phone": "PHONE",
    "whatsapp": "PHONE",
    "linkedin": "URL",
    "facebook": "URL",
    "website": "URL",
    "channel": "KIND:VALUE",
}


def _channel_option(flag: str, help: str) -> Any:
    metavar = _METAVARS[flag.removeprefix("--").removeprefix("add-")]
    return typer.Option(None, flag, help=help, metavar=metavar, callback=_remember_order)


def _channels_in_order(ctx: typer.Context, given: dict[str, list[str] | None]) -> list[Any]:
    """(kind, value, label) for every channel option, first-typed option first."""
    from netcrm.domain.contacts import check_channel, parse_channel_spec

    order = [n for n in ctx.meta.get("netcrm.channel_order", []) if n in given]
    order += [n for n in given if n not in order]
    specs: list[Any] = []
    for name in order:
        for value in given[name] or []:
            prefix = name.removeprefix("add_")
            if _CHANNEL_PARAMS[prefix]:
                specs.append((*check_channel(_CHANNEL_PARAMS[prefix], value), None))
            else:
                specs.append(parse_channel_spec(value))
    return specs


def _birthday(text: str) -> tuple[int | None, int, int]:
    from netcrm.dates import parse_birthday

    return parse_birthday(text, today=common.today())


def _cadence(text: str) -> str:
    from netcrm.dates import parse_cadence

    return parse_cadence(text, today=common.today())


def _tags(values: list[str] | None) -> list[str]:
    from netcrm.domain.labels import clean_tags

    return clean_tags(values or [])


def _label(record: dict[str, Any]) -> str:
    return f"#{record['id']} {record['name']}"


# --- add -----------------------------------------------------------------------------


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help='Full name, e.g. "Léa Martin" (need not be unique).'),
    email: list[str] | None = _channel_option("--email", "Email address (repeatable)."),
    phone: list[str] | None = _channel_option("--phone", "Phone number (repeatable)."),
    linkedin: list[str] | None = _channel_option("--linkedin", "LinkedIn profile URL."),
    whatsapp: list[str] | None = _channel_option("--whatsapp", "WhatsApp number."),
    facebook: list[str] | None = _channel_option("--facebook", "Facebook profile URL."),
    website: list[str] | None = _channel_option("--website", "Website or blog URL."),
    channel: list[str] | None = _channel_option(
        "--channel", "Any other channel as kind:value, e.g. shapr:lea.m (repeatable)."
    ),
    company: str | None = typer.Option(
        None, "--company", metavar="TEXT", help="Company or project."
    ),
    role: str | None = typer.Option(None, "--role", metavar="TEXT", help="Role or job title."),
    location: str | None = typer.Option(
        None, "--location", metavar="TEXT", help="City or country."
    ),
    met_via: str | None = typer.Option(
        None,
        "--met-via",
        metavar="WHERE",
        help="Where you met: linkedin, shapr, forum, blog, event, irl, referral, other.",
    ),
    met_on: str | None = typer.Option(
        None, "--met-on", metavar="DATE", help="When you met, e.g. 2026-03-02."
    ),
    birthday: str | None = typer.Option(
        None,
        "--birthday",
        metavar="DATE",
        help="Birthday, year optional: 1990-04-12, 04-12, '12 avril'.",
    ),
    warmth: str | None = typer.Option(
        None, "--warmth", metavar="1-5", help="1 (cold) to 5 (close)."
    ),
    bigger: bool = typer.Option(False, "--bigger", help="More established than you."),
    relationship: str | None = typer.Option(
        None, "--relationship", metavar="KIND", help="business (default), mixed or personal."
    ),
    every: str | None = typer.Option(
        None,
        "--every",
        metavar="CADENCE",
        help="Keep-in-touch cadence: 30d, 2w, monthly, 'every 2 weeks'.",
    ),
    tag: list[str] | None = common.tag_option(),
    key: list[str] | None = common.key_option(),
    note: str | None = typer.Option(None, "--note", metavar="TEXT", help="Free notes."),
) -> None:
    """Add a contact; prints its id.

    Example: netcrm add "Léa Martin" --email lea@ex.fr --met-via linkedin --every 30d
    """
    from netcrm.domain.contact_views import contacts_named, contacts_with_channels
    from netcrm.domain.contacts import ContactInput, check_fields, create_contact

    fields: dict[str, Any] = {
        "name": name,
        "company": company,
        "role": role,
        "location": location,
        "met_via": met_via,
        "notes": note,
        "bigger": bigger,
    }
    if relationship is not None:
        fields["relationship"] = relationship
    if met_on is not None:
        fields["met_on"] = common.happened_on(met_on, "--met-on")
    if birthday is not None:
        year, month, day = _birthday(birthday)
        fields.update(birthday_year=year, birthday_month=month, birthday_day=day)
    if warmth is not None:
        fields["warmth"] = warmth
    if every is not None:
        fields["cadence"] = _cadence(every)
    given = {
        "email": email,
        "phone": phone,
        "linkedin": linkedin,
        "whatsapp": whatsapp,
        "facebook": facebook,
        "website": website,
        "channel": channel,
    }
    data = ContactInput(
        fields=check_fields(fields),
        channels=_channels_in_order(ctx, given),
        tags=_tags(tag),
        keys=common.keys(key),
    )
    with common.writing() as session:
        reader = common.session_reader(session)
        twins = contacts_with_channels(reader, [(spec[0], spec[1]) for spec in data.channels])
        namesakes = contacts_named(reader, data.fields["name"])
        contact = create_contact(session, data, now=common.now())
        # Read before the commit expires the instance.
        cid, label, next_touch = contact.id, f"#{contact.id} {contact.name}", contact.next_touch
    out(label)
    message(f"Added {label}" + (f"; next touch {next_touch.isoformat()}" if next_touch else ""))
    if namesakes:
        from rich.markup import escape

        same = ", ".join(f"#{n['id']} {n['name']}" for n in namesakes)
        has = "has" if len(namesakes) == 1 else "have"
        message(
            escape(
                f"Note: {same} already {has} this name; if they are the same person: "
                f"netcrm merge {cid} {namesakes[0]['id']}"
            )
        )
    for twin in twins:
        warn(
            f"#{twin['id']} {twin['name']} already has the {twin['kind']} {twin['value']}; "
            f"if they are the same person: netcrm merge {cid} {twin['id']}"
        )


# --- list ----------------------------------------------------------------------------


def _ago(day: date | None, today: date) -> str:
    if day is None:
        return "never"
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 0:
        return f"in {plural(-days, 'day')}"
    return f"{plural(days, 'day')} ago"


def _list_rows(records: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    from netcrm.dates import describe_relative

    rows = []
    for r in records:
        reach = (r["emails"] or r["phones"] or r["whatsapp"] or [""])[0]
        nxt = r["next_touch"]
        rows.append(
            {
                **r,
                "_reach": reach,
                "_last": _ago(r["last_contact"], today),
                "_next": describe_relative(nxt, today=today) if nxt else "",
            }
        )
    return rows


LIST_COLUMNS = (
    Column("id", "ID", justify="right", keep=True),
    Column("name", "Name"),
    Column("company", "Company", drop=2),
    Column("_reach", "Email / phone", drop=1),
    Column("tags", "Tags", drop=3),
    Column("_last", "Last contact", keep=True),
    Column("_next", "Next touch", keep=True),
)


@app.command("list")
@output_options("the contact list")
def list_contacts(
    tag: list[str] | None = typer.Option(
        None, "--tag", "-t", help="Only contacts with this tag (repeatable: all of them)."
    ),
    key: list[str] | None = common.key_option("Only contacts with this explicit key."),
    company: str | None = typer.Option(
        None, "--company", metavar="TEXT", help="Only contacts whose company contains this text."
    ),
    met_via: str | None = typer.Option(
        None, "--met-via", metavar="WHERE", help="Only contacts met there."
    ),
    archived: bool = typer.Option(False, "--archived", help="List the archived contacts."),
    everyone: bool = typer.Option(False, "--all", help="List active and archived contacts."),
    sort: SortBy = typer.Option(
        SortBy.name,
        "--sort",
        help="name, last-contact (most recent first) or added (newest first).",
    ),
    limit: int | None = typer.Option(None, "--limit", "-n", help="At most this many.", min=0),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the ids."),
    fmt: Format = Format.table,
) -> None:
    """List contacts, with filters.

    Example: netcrm list --tag podcast --sort last-contact --limit 20
    """
    from netcrm.domain.contact_views import RECORD_KEYS, contact_records

    slugs = common.keys(key) if key else []
    with common.reading() as reader:
        records = contact_records(
            reader,
            tag=tag or None,
            key=slugs or None,
            company=company,
            met_via=met_via,
            archived=None if everyone else archived,
            sort=sort.value,
            limit=limit,
        )
    if quiet:
        for r in records:
            out(str(r["id"]))
        return
    emit(
        _list_rows(records, common.today()) if fmt is Format.table else records,
        LIST_COLUMNS,
        fmt,
        json_keys=RECORD_KEYS,
        empty="No contacts match." if (tag or key or company or met_via) else _NO_CONTACTS,
    )


_NO_CONTACTS = 'No contacts yet; add one with: netcrm add "Léa Martin" --email lea@ex.fr'


# --- show ----------------------------------------------------------------------------


def _describe_birthday(value: str | None) -> str | None:
    from netcrm.dates.vocabulary import MONTH_NAMES

    if value is None:
        return None
    if value.startswith("--"):
        month, day = int(value[2:4]), int(value[5:7])
        return f"{day} {MONTH_NAMES[month - 1]}"
    year, month, day = (int(p) for p in value.split("-"))
    return f"{day} {MONTH_NAMES[month - 1]} {year}"


@app.command("show")
@output_options("the card")
def show(
    who: str = common.who_argument(),
    fmt: Format = Format.table,
) -> None:
    """Show a contact's card: fields, channels, interactions, follow-ups, ideas.

    Example: netcrm show lea
    """
    from netcrm.domain.contact_views import RECORD_KEYS, contact_card

    today = common.today()
    with common.reading() as reader:
        card = contact_card(reader, common.resolve(reader, who), today=today)
    emit_card(card, RECORD_KEYS, fmt, lambda: _print_card(card, today))


def _print_card(card: dict[str, Any], today: date) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from netcrm.dates import describe_cadence, describe_relative
    from netcrm.render import console

    text = card_value

    def when(day: date | None) -> str | None:
        return f"{day} ({describe_relative(day, today=today)})" if day else None

    con = console()
    title = f"#{card['id']} {card['name']}"
    if card["archived"]:
        title += " (archived)"
    con.print(f"[bold]{escape(title)}[/bold]")

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("Company", text(card["company"]))
    grid.add_row("Role", text(card["role"]))
    grid.add_row("Location", text(card["location"]))
    channels = card["channels"]
    if channels:
        for i, ch in enumerate(channels):
            kind = ch["label"] or ch["kind"]
            tail = "  [dim](preferred)[/dim]" if i == 0 and len(channels) > 1 else ""
            grid.add_row(
                "Channels" if i == 0 else "", f"{escape(kind):<9} {escape(ch['value'])}{tail}"
            )
    else:
        grid.add_row("Channels", text(None))
    met = " ".join(
        part
        for part in (
            f"via {card['met_via']}" if card["met_via"] else "",
            f"on {card['met_on']}" if card["met_on"] else "",
        )
        if part
    )
    grid.add_row("Met", text(met))
    grid.add_row("Birthday", text(_describe_birthday(card["birthday"])))
    grid.add_row("Warmth", text(f"{card['warmth']}/5" if card["warmth"] else None))
    grid.add_row("Bigger", "yes" if card["bigger"] else "no")
    grid.add_row("Relationship", text(card["relationship"]))
    if card["every"]:
        cadence = describe_cadence(card["every"])
        nxt = when(card["next_touch"])
        grid.add_row("Keep in touch", escape(cadence + (f"; next {nxt}" if nxt else "")))
    else:
        grid.add_row("Keep in touch", text(None))
    last = card["last_contact"]
    grid.add_row("Last contact", text(f"{last} ({_ago(last, today)})" if last else None))
    grid.add_row("Tags", text(card["tags"]))
    grid.add_row("Keys", text(card["keys"]))
    grid.add_row("Notes", text(card["notes"]))
    grid.add_row("Added", text(f"{card['created_at']}  (updated {card['updated_at']})"))
    con.print(grid)

    con.print()
    interactions = card["interactions"]
    if interactions:
        t = Table(
            title=f"Last interactions ({len(interactions)} of {card['interaction_count']})",
            box=box.SIMPLE_HEAD,
            title_justify="left",
            title_style="bold",
        )
        for header in ("#", "Date", "Via", "From", "Summary", "With", "Tags / keys"):
            t.add_column(header, justify="right" if header == "#" else "left")
        for i in interactions:
            day = f"{i['date']}" + (f" {i['time']}" if i["time"] else "")
            t.add_row(
                str(i["id"]),
                day,
                escape(i["channel"]),
                "them" if i["direction"] == "in" else "me",
                escape(i["summary"]),
                escape(", ".join(i["with"])),
                escape(", ".join([*i["tags"], *i["keys"]])),
            )
        con.print(t)
    else:
        con.print("[bold]Interactions[/bold]")
        con.print(f'  None yet; log one with: netcrm log {card["id"]} "Coffee about …"')

    con.print()
    con.print("[bold]Open follow-ups[/bold]")
    if not card["followups"]:
        con.print(f'  None; add one with: netcrm remind {card["id"]} "…" --on "next friday"')
    for f in card["followups"]:
        repeats = f"  [dim]({escape(f['repeats'])})[/dim]" if f.get("repeats") else ""
        con.print(
            f"  {escape(f['handle']):<6} {f['due']}  {escape(f['relative']):<16} "
            f"{escape(f['text'])}{repeats}"
        )

    con.print()
    con.print("[bold]Ideas[/bold]")
    if not card["ideas"]:
        con.print(f'  None; add one with: netcrm idea add "…" --with {card["id"]}')
    for idea in card["ideas"]:
        plan = f"{plural(idea['open_steps'], 'open step')}" if idea["open_steps"] else ""
        if idea["next_step_due"]:
            plan += f", next due {idea['next_step_due']}"
        plan = f"  [dim]({plan})[/dim]" if plan else ""
        con.print(
            f"  #{idea['id']:<5} {escape(idea['status']):<9} {escape(idea['kind']):<12} "
            f"{escape(idea['title'])}{plan}"
        )
