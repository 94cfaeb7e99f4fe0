"""The card of one idea as a person reads it (``netcrm idea show``): its kind,
status, people, effort and the action plan, step by step."""

from __future__ import annotations

from datetime import date
from typing import Any

from netcrm.render.console import console, plural
from netcrm.render.tables import card_value

# What a flag asks of the person reading the card (flags: netcrm.domain.idea_views).
_FLAG_TEXT = {
    "no-plan": 'no action plan yet: add a small first step (netcrm idea step {id} "…")',
    "heavy": "more than 8 hours of preparation still ahead: a proposal that needs too much "
    "preparation never happens; split it or make it smaller",
    "stalled": "no movement for {idle} days: move it, plan it or drop it",
}


def hours(value: float | None) -> str:
    """An effort in hours as shown: 1.5h, 2h; nothing when unknown."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".") + "h"


def draw_idea_card(card: dict[str, Any], today: date) -> None:
    """Draw an ``idea show`` card on the console."""
    from rich.markup import escape
    from rich.table import Table

    from netcrm.dates import describe_relative

    text = card_value

    con = console()
    con.print(f"[bold]#{card['id']} {escape(card['title'])}[/bold]")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("Kind", text(card["kind"]))
    grid.add_row("Status", text(f"{card['status']} since {card['status_changed_at']:%Y-%m-%d}"))
    people = [
        f"#{p['id']} {p['name']}"
        + (f" ({p['company']})" if p["company"] else "")
        + (" [bigger]" if p["bigger"] else "")
        for p in card["people"]
    ]
    grid.add_row("With", text(people))
    effort = []
    if card["effort_hours"] is not None:
        effort.append(f"{hours(card['effort_hours'])} estimated")
    if card["open_effort_hours"] is not None and card["steps"]:
        ahead = f"{hours(card['open_effort_hours'])} still ahead"
        # Once steps carry efforts, one without is not guessed: say it is there.
        unknown = [s for s in card["plan"] if not s["done"] and s["effort_hours"] is None]
        if unknown and any(s["effort_hours"] is not None for s in card["plan"]):
            ahead += f" (and {plural(len(unknown), 'step')} without an effort)"
        effort.append(ahead)
    grid.add_row("Effort", text("; ".join(effort)))
    grid.add_row("Tags", text(card["tags"]))
    keys = ", ".join(card["keys"])
    if card["inferred_keys"]:
        keys += ("; " if keys else "") + "inferred: " + ", ".join(card["inferred_keys"])
    grid.add_row("Keys", text(keys))
    grid.add_row("Notes", text(card["notes"]))
    grid.add_row("Added", text(f"{card['created_at']}  (updated {card['updated_at']})"))
    for i, flag in enumerate(card["flags"]):
        line = _FLAG_TEXT[flag].format(id=card["id"], idle=card["idle_days"])
        grid.add_row("Warning" if i == 0 else "", f"[yellow]{escape(line)}[/yellow]")
    con.print(grid)

    con.print()
    con.print("[bold]Action plan[/bold]")
    if not card["plan"]:
        con.print(f'  No steps yet; add one with: netcrm idea step {card["id"]} "Send the outline"')
    for step in card["plan"]:
        mark = "[x]" if step["done"] else "[ ]"
        due = ""
        if step["due"]:
            due = step["due"].isoformat()
            if not step["done"]:
                due += f" ({describe_relative(step['due'], today=today)})"
        extra = "  ".join(
            part
            for part in (
                f"due {due}" if due else "",
                hours(step["effort_hours"]),
                f"done {step['done_at']:%Y-%m-%d}" if step["done_at"] else "",
            )
            if part
        )
        con.print(
            f"  {step['number']}/{step['of']}  {escape(mark)} {escape(step['text'])}"
            + (f"  [dim]{escape(extra)}[/dim]" if extra else "")
        )

    con.print()
    con.print("[bold]History[/bold]")
    for event in card["history"]:
        con.print(f"  {event['at']}  {escape(event['status'])}")
