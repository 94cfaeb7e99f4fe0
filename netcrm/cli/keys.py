"""``netcrm keys``: the article's five keys, their aliases, and the rules that
infer them (:mod:`netcrm.domain.inference`)."""

from __future__ import annotations

from netcrm.cli.app import app
from netcrm.render import Format, console, out, output_options, to_json


@app.command("keys")
@output_options("the keys", csv=False)
def keys(fmt: Format = Format.table) -> None:
    """The five keys to networking well, their aliases, and how netcrm infers them.

    Example: netcrm keys
    """
    from netcrm.domain.inference import key_rows

    rows = key_rows()
    if fmt is Format.json:
        out(to_json(rows))
        return
    from rich.markup import escape

    con = console()
    for i, row in enumerate(rows):
        if i:
            con.print()
        con.print(f"[bold]{escape(row['key'])}[/bold]  {escape(row['label'])}")
        con.print(f"  aliases: {escape(', '.join(row['aliases']))}")
        con.print(f"  article: {escape(row['idea'])}")
        con.print(f"  netcrm:  {escape(row['meaning'])}")
        for rule in row["rules"]:
            con.print(f"  inferred ({escape(rule['slug'])}): {escape(rule['explanation'])}")
    con.print()
    con.print(
        "Tag anything with --key KEY (a slug, an alias or a prefix such as crea, plan, self, "
        "opp, emo). netcrm report keys counts explicit and inferred keys apart; an item "
        "tagged with a key never counts twice for it."
    )
    from netcrm.domain.figures import NOTES

    con.print()
    con.print("How netcrm report keys counts:")
    for note in NOTES["keys"]:
        con.print(f"- {escape(note)}")
