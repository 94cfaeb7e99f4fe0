"""``netcrm search``: full text over the whole CRM (netcrm.domain.search)."""

from __future__ import annotations

import re
from typing import Any

import typer

from netcrm.cli import common
from netcrm.cli.app import app
from netcrm.render import Column, Format, emit, message, output_options

# Marks for the matched words in snippets, turned into styling here: control
# characters, which names, notes and summaries do not hold.
_OPEN, _CLOSE = "\x02", "\x03"
_PIECES = re.compile(f"({_OPEN}.*?{_CLOSE})", re.S)

GROUP_TITLES = {
    "contact": "Contacts",
    "interaction": "Interactions",
    "idea": "Ideas",
    "followup": "Follow-ups",
}


def _highlight(snippet: str | None) -> str:
    from rich.markup import escape

    out: list[str] = []
    for piece in _PIECES.split(snippet or ""):
        if piece.startswith(_OPEN) and piece.endswith(_CLOSE):
            out.append(f"[bold]{escape(piece[1:-1])}[/bold]")
        else:
            out.append(escape(piece))
    return "".join(out)


def _columns(kind: str) -> list[Column]:
    from netcrm.domain.followups import handle_of

    ident = Column("id", "#", show=lambda v: f"#{v}", justify="right", keep=True)
    # A follow-up answers to its handle (done f2, followups edit f2), not to #2.
    handle = Column("id", "Handle", show=handle_of, keep=True)
    match = Column("snippet", "Match", show=_highlight)
    # A contact's or an idea's title is shown highlighted when the match is in
    # it, and its Match cell left empty rather than repeating it.
    title = Column("title_shown", "Name" if kind == "contact" else "Idea", show=_highlight)
    other = Column("other_match", "Match", show=_highlight)
    return {
        "contact": [ident, title, other],
        "interaction": [ident, Column("date", "Date", keep=True), Column("contact", "With"), match],
        "idea": [ident, title, Column("contact", "With"), other],
        "followup": [handle, Column("date", "Due", keep=True), Column("contact", "Contact"), match],
    }[kind]


def _for_table(hit: dict[str, Any]) -> dict[str, Any]:
    snippet = hit["snippet"] or ""
    in_title = snippet.replace(_OPEN, "").replace(_CLOSE, "") == hit["title"]
    return {
        **hit,
        "title_shown": snippet if in_title else hit["title"],
        "other_match": None if in_title else snippet,
    }


@app.command("search")
@output_options("the search results")
def search_command(
    words: list[str] = typer.Argument(
        ..., help="What to look for; the last word may be the start of one.", metavar="TEXT"
    ),
    types: list[str] | None = typer.Option(
        None,
        "--type",
        help="Only this type: contact, interaction, idea or followup (repeatable).",
        metavar="TYPE",
    ),
    limit: int = typer.Option(20, "--limit", "-n", help="At most this many results."),
    fmt: Format = Format.table,
) -> None:
    """Search names, companies, channels, notes, interactions, ideas and follow-ups.

    Case and accents do not matter; the best matches come first, grouped by type.

    Example: netcrm search elodie webinar --type interaction
    """
    from netcrm.domain.search import SEARCH_KEYS, TYPES, check_types, search

    text = " ".join(words)
    kinds = check_types(types)
    marks = (_OPEN, _CLOSE) if fmt is Format.table else ("", "")
    with common.reading() as reader:
        hits = search(reader, text, types=kinds, limit=limit, marks=marks)
    if fmt is not Format.table:
        emit(hits, _columns("contact"), fmt, json_keys=SEARCH_KEYS)
        return
    if not hits:
        message(f"Nothing matches {text!r}.")
        return
    for kind in TYPES:
        group = [_for_table(h) for h in hits if h["type"] == kind]
        if group:
            emit(group, _columns(kind), fmt, title=f"{GROUP_TITLES[kind]} ({len(group)})")
