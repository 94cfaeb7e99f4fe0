"""``netcrm edit|rm|merge|tag|untag``: the commands that change a contact.

Choices a user can see:

- ``edit``: an option of ``add`` *sets* the field — ``--email`` replaces the
  emails, ``--tag`` the tags — while ``--add-…`` / ``--remove-…`` change one
  item. ``none`` (or an empty value) clears a field: ``--every none``,
  ``--birthday none``, ``--company ""``. The domain's ``edit_contact`` does the
  work; this module only reads the options into a ``ContactChanges``.
- ``rm`` and ``merge`` ask first; without a terminal to ask on they need
  ``--yes`` (exit 2), and answering no changes nothing (exit 1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from netcrm.cli import common
from netcrm.cli.app import app
from netcrm.cli.contacts import (
    _birthday,
    _cadence,
    _channel_option,
    _channels_in_order,
    _label,
    _tags,
)
from netcrm.errors import InvalidInput
from netcrm.render import message, plural, warn

if TYPE_CHECKING:
    from netcrm.store.reader import Reader


# --- edit ----------------------------------------------------------------------------


@app.command("edit")
def edit(
    ctx: typer.Context,
    who: str = common.who_argument(),
    name: str | None = typer.Option(None, "--name", metavar="NAME", help="Rename."),
    email: list[str] | None = _channel_option("--email", "Set the emails (replaces them)."),
    phone: list[str] | None = _channel_option("--phone", "Set the phone numbers."),
    linkedin: list[str] | None = _channel_option("--linkedin", "Set the LinkedIn URLs."),
    whatsapp: list[str] | None = _channel_option("--whatsapp", "Set the WhatsApp numbers."),
    facebook: list[str] | None = _channel_option("--facebook", "Set the Facebook URLs."),
    website: list[str] | None = _channel_option("--website", "Set the websites."),
    channel: list[str] | None = _channel_option(
        "--channel", "Set the channels of a kind, as kind:value (other kinds: shapr:lea.m)."
    ),
    add_email: list[str] | None = _channel_option("--add-email", "Add an email."),
    add_phone: list[str] | None = _channel_option("--add-phone", "Add a phone number."),
    add_linkedin: list[str] | None = _channel_option("--add-linkedin", "Add a LinkedIn URL."),
    add_whatsapp: list[str] | None = _channel_option("--add-whatsapp", "Add a WhatsApp number."),
    add_facebook: list[str] | None = _channel_option("--add-facebook", "Add a Facebook URL."),
    add_website: list[str] | None = _channel_option("--add-website", "Add a website."),
    add_channel: list[str] | None = _channel_option(
        "--add-channel", "Add a channel as kind:value."
    ),
    remove_channel: list[str] | None = typer.Option(
        None,
        "--remove-channel",
        metavar="VALUE",
        help="Remove the channel with this value (repeatable).",
    ),
    prefer: str | None = typer.Option(
        None,
        "--prefer",
        metavar="VALUE",
        help="Make the channel with this value the preferred one.",
    ),
    company: str | None = typer.Option(
        None, "--company", metavar="TEXT", help='Company ("" clears).'
    ),
    role: str | None = typer.Option(None, "--role", metavar="TEXT", help='Role ("" clears).'),
    location: str | None = typer.Option(
        None, "--location", metavar="TEXT", help='Location ("" clears).'
    ),
    met_via: str | None = typer.Option(
        None, "--met-via", metavar="WHERE", help="Where you met (none clears)."
    ),
    met_on: str | None = typer.Option(
        None, "--met-on", metavar="DATE", help="When you met (none clears)."
    ),
    birthday: str | None = typer.Option(
        None, "--birthday", metavar="DATE", help="Birthday, year optional (none clears)."
    ),
    warmth: str | None = typer.Option(
        None, "--warmth", metavar="1-5", help="1 to 5 (none clears)."
    ),
    bigger: bool | None = typer.Option(
        None, "--bigger/--no-bigger", help="More established than you, or not."
    ),
    relationship: str | None = typer.Option(
        None, "--relationship", metavar="KIND", help="business, mixed or personal."
    ),
    every: str | None = typer.Option(
        None, "--every", metavar="CADENCE", help="Cadence, e.g. 30d (none clears)."
    ),
    note: str | None = typer.Option(
        None, "--note", metavar="TEXT", help='Set the notes ("" clears).'
    ),
    add_note: str | None = typer.Option(
        None, "--add-note", metavar="TEXT", help="Append a paragraph to the notes."
    ),
    tag: list[str] | None = common.set_tags_option(),
    add_tag: list[str] | None = common.add_tag_option(),
    remove_tag: list[str] | None = common.remove_tag_option(),
    key: list[str] | None = common.set_keys_option(),
    add_key: list[str] | None = common.add_key_option(),
    remove_key: list[str] | None = common.remove_key_option(),
    archive: bool | None = typer.Option(
        None, "--archive/--unarchive", help="Archive (hide from lists and due) or bring back."
    ),
) -> None:
    """Edit a contact: set fields, add or remove channels, tags and keys.

    Example: netcrm edit lea --company "ACME Studio" --add-email lea@acme.fr --every none
    """
    from netcrm.domain.changes import UNSET, or_clear
    from netcrm.domain.contact_edit import ContactChanges, edit_contact
    from netcrm.domain.contacts import check_warmth

    def parsed(text: str | None, parse: Any) -> Any:
        value = or_clear(text)
        return parse(value) if value else value

    # Everything is parsed and checked before the transaction starts.
    changes = ContactChanges(
        name=UNSET if name is None else name,
        company=or_clear(company),
        role=or_clear(role),
        location=or_clear(location),
        met_via=or_clear(met_via),
        met_on=parsed(met_on, lambda text: common.happened_on(text, "--met-on")),
        birthday=parsed(birthday, _birthday),
        warmth=parsed(warmth, check_warmth),
        bigger=UNSET if bigger is None else bigger,
        relationship=UNSET if relationship is None else relationship,
        cadence=parsed(every, _cadence),
        notes=or_clear(note),
        archived=UNSET if archive is None else archive,
        add_note=add_note,
        channels=_channels_in_order(
            ctx,
            {
                "email": email,
                "phone": phone,
                "linkedin": linkedin,
                "whatsapp": whatsapp,
                "facebook": facebook,
                "website": website,
                "channel": channel,
            },
        ),
        add_channels=_channels_in_order(
            ctx,
            {
                "add_email": add_email,
                "add_phone": add_phone,
                "add_linkedin": add_linkedin,
                "add_whatsapp": add_whatsapp,
                "add_facebook": add_facebook,
                "add_website": add_website,
                "add_channel": add_channel,
            },
        ),
        remove_channels=remove_channel or (),
        prefer=prefer,
        labels=common.label_changes(tag, add_tag, remove_tag, key, add_key, remove_key),
    )
    changes.columns()
    what = changes.what()
    if not what:
        raise InvalidInput("nothing to change; see netcrm edit --help")
    with common.writing() as session:
        cid = common.resolve(common.session_reader(session), who)
        contact = edit_contact(session, cid, changes, now=common.now())
        label = f"#{cid} {contact.name}"
    message(f"Updated {label}: {', '.join(what)}.")


# --- rm, merge -----------------------------------------------------------------------


def _describe_counts(counts: dict[str, int], names: tuple[str, ...]) -> str:
    words = {
        "channels": "channel",
        "interactions": "interaction",
        "interactions_alone": "interaction",
        "shared": "shared interaction",
        "followups": "follow-up",
        "followups_alone": "follow-up",
        "followups_shared": "shared follow-up",
        "ideas": "idea",
        "tags": "tag",
        "keys": "key",
    }
    parts = [plural(counts[n], words[n]) for n in names if counts[n]]
    return ", ".join(parts) if parts else _NOTHING


_NOTHING = "nothing else"


def _resolve_record(reader: Reader, who: str) -> dict[str, Any]:
    from netcrm.domain.contact_views import contact_record

    return contact_record(reader, common.resolve(reader, who))


@app.command("rm")
def rm(
    who: str = common.who_argument(),
    yes: bool = common.yes_option(),
) -> None:
    """Delete a contact and everything that is only theirs.

    Interactions shared with other contacts and ideas stay, without them.

    Example: netcrm rm "Léa Martin" --yes
    """
    from netcrm.domain.contact_views import contact_footprint
    from netcrm.domain.contacts import delete_contact

    with common.reading() as reader:
        record = _resolve_record(reader, who)
        counts = contact_footprint(reader, record["id"])
    counts["shared"] = counts["interactions"] - counts["interactions_alone"]
    counts["followups_alone"] = counts["followups"] - counts["followups_shared"]
    gone = _describe_counts(counts, ("channels", "interactions_alone", "followups_alone"))
    kept = _describe_counts(counts, ("shared", "followups_shared", "ideas"))
    stay = (
        "stays" if counts["shared"] + counts["followups_shared"] + counts["ideas"] == 1 else "stay"
    )
    kept = f" ({kept} {stay}, without them)" if kept != _NOTHING else ""
    common.confirm(f"Delete {_label(record)} with {gone}{kept}?", yes=yes)
    with common.writing() as session:
        delete_contact(session, record["id"])
    message(f"Deleted {_label(record)} ({gone}).")


@app.command("merge")
def merge(
    who: str = common.who_argument("The duplicate to merge (it disappears)."),
    into: str = typer.Argument(
        ...,
        help="The contact that stays.",
        metavar="INTO",
        autocompletion=common.complete_who,
    ),
    yes: bool = common.yes_option(),
) -> None:
    """Merge a duplicate into another contact: channels, interactions, follow-ups,
    ideas, tags and keys move; a field the kept contact has stays unless the
    other one extends it ("ACME" → "ACME Studio"), notes are appended.

    Example: netcrm merge 12 "Léa Martin" --yes
    """
    from netcrm.domain.contact_views import contact_footprint
    from netcrm.domain.contacts import merge_contacts

    with common.reading() as reader:
        source = _resolve_record(reader, who)
        target = _resolve_record(reader, into)
        counts = contact_footprint(reader, source["id"])
    if source["id"] == target["id"]:
        raise InvalidInput(f"{who!r} and {into!r} are the same contact, {_label(source)}")
    moved = _describe_counts(
        counts, ("channels", "interactions", "followups", "ideas", "tags", "keys")
    )
    common.confirm(f"Merge {_label(source)} into {_label(target)} ({moved})?", yes=yes)
    with common.writing() as session:
        merge_contacts(session, source["id"], target["id"], now=common.now())
    message(f"Merged {_label(source)} into {_label(target)}: moved {moved}.")


# --- tag, untag ----------------------------------------------------------------------


@app.command("tag")
def tag_contact(
    who: str = common.who_argument(),
    tags: list[str] = typer.Argument(..., help="Tags to add.", metavar="TAG..."),
) -> None:
    """Add free tags to a contact.

    Example: netcrm tag lea podcast lyon
    """
    from netcrm.domain import labels

    names = _tags(tags)
    with common.writing() as session:
        reader = common.session_reader(session)
        record = _resolve_record(reader, who)
        labels.add_tags(session, "contact", record["id"], names)
    message(f"Tagged {_label(record)}: {', '.join(names)}.")


@app.command("untag")
def untag_contact(
    who: str = common.who_argument(),
    tags: list[str] = typer.Argument(..., help="Tags to remove.", metavar="TAG..."),
) -> None:
    """Remove free tags from a contact.

    Example: netcrm untag lea podcast
    """
    from netcrm.domain import labels

    names = _tags(tags)
    with common.writing() as session:
        reader = common.session_reader(session)
        record = _resolve_record(reader, who)
        missing = labels.remove_tags(session, "contact", record["id"], names)
    removed = [n for n in names if n not in missing]
    if removed:
        message(f"Untagged {_label(record)}: {', '.join(removed)}.")
    if missing:
        warn(f"{_label(record)} had no tag {', '.join(missing)}")
