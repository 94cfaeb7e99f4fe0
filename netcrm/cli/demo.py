"""``netcrm demo``: try netcrm on a small example network, safely.

The example (``examples/network.json``: a fictional slow-travel blogger's
network, every date relative to today) is loaded into a database in a fresh
temporary folder, shown through the very ``due`` view of ``netcrm due``, and
thrown away. ``--keep PATH`` saves a copy first (a new 0600 file; an existing
one is refused), to explore with ``netcrm --db PATH …``.

The user's own database is never opened, whatever ``--db`` or ``$NETCRM_DB``
say: for the duration of the command the database option points at the
temporary file, and is restored afterwards.

Where the example comes from: a wheel carries it as ``netcrm/_examples``
(``force-include`` in pyproject.toml); a source checkout has it at the
repository root, beside the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from netcrm.cli import common, state
from netcrm.cli.app import app
from netcrm.errors import InvalidInput, NotFound
from netcrm.render import message, plural

EXAMPLE_NAME = "network.json"


def example_network() -> tuple[dict[str, Any], str]:
    """The example network, parsed, and where it was found."""
    import json
    from importlib.resources import files

    import netcrm

    packaged = files("netcrm") / "_examples" / EXAMPLE_NAME
    checkout = Path(netcrm.__file__).resolve().parents[1] / "examples" / EXAMPLE_NAME
    if packaged.is_file():
        text, where = packaged.read_text(encoding="utf-8"), str(packaged)
    elif checkout.is_file():
        text, where = checkout.read_text(encoding="utf-8"), str(checkout)
    else:
        raise NotFound(
            "the example network is missing from this installation "
            f"(looked for {packaged} and {checkout})"
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{where} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    return data, where


def _kept_path(keep: Path) -> Path:
    """Where ``--keep`` saves the database: a new file, in a folder that may
    not exist yet (created 0700)."""
    import os

    target = keep.expanduser()
    if "://" in str(keep):
        raise InvalidInput(f"--keep takes a file path, not a URL ({keep})")
    if target.exists():
        raise InvalidInput(f"{target} already exists; --keep writes a new file, choose another")
    if not target.parent.exists():
        try:
            os.makedirs(target.parent, mode=0o700)
        except OSError as exc:
            raise InvalidInput(f"cannot create the folder {target.parent}: {exc.strerror}") from exc
    elif not target.parent.is_dir():
        raise InvalidInput(f"{target.parent} is not a folder")
    return target


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(
        [
            plural(counts["contacts"], "contact"),
            plural(counts["interactions"], "interaction"),
            f"{plural(counts['ideas'], 'idea')} ({plural(counts['steps'], 'step')})",
            plural(counts["followups"], "follow-up"),
        ]
    )


def _show_due(ctx: typer.Context) -> None:
    """Run ``netcrm due`` itself (the registered command, so that every option
    it has, today or later, takes its default) on the current database."""
    root = ctx.find_root()
    command = root.command.get_command(root, "due")  # type: ignore[attr-defined]
    if command is None:
        raise NotFound("the due command is missing from this installation")
    with command.make_context("due", ["--within", "7d"], parent=ctx) as due_ctx:
        command.invoke(due_ctx)


@app.command("demo")
def demo(
    ctx: typer.Context,
    keep: Path | None = typer.Option(
        None,
        "--keep",
        help="Also save the demo database to this new file, to explore it with --db.",
        metavar="PATH",
    ),
) -> None:
    """Try netcrm on an example network, in a throwaway database (never yours).

    Loads a fictional blogger's network (every date relative to today) into a
    temporary database, shows what netcrm due would show, then removes it.

    Example: netcrm demo --keep demo.db
    """
    import shlex
    import shutil
    import tempfile

    from rich.markup import escape

    from netcrm.domain.demo import load_network
    from netcrm.store.engine import backup_database, make_engine

    data, _ = example_network()
    target = _kept_path(keep) if keep is not None else None
    folder = Path(tempfile.mkdtemp(prefix="netcrm-demo-"))
    previous = state.STATE.db_option
    state.STATE.db_option = str(folder / "demo.db")
    try:
        with common.writing() as session:
            counts = load_network(session, data, today=common.today(), now=common.now())
        if target is not None:
            backup_database(state.location(), target)
        if target is not None:
            db = shlex.quote(str(target))
            message(
                f"Demo network: {_summary(counts)} — saved in {escape(str(target))}; "
                f"your own database is untouched.\nTry: netcrm --db {escape(db)} due, "
                f"… report keys, … idea list, … show maelle"
            )
        else:
            message(
                f"Demo network: {_summary(counts)} — a throwaway database, removed when "
                "this command ends; your own database is untouched.\n"
                "To explore it: netcrm demo --keep demo.db, then: netcrm --db demo.db due, "
                "… report keys, … idea list, … show maelle"
            )
        _show_due(ctx)
    finally:
        # Close the demo's pooled connections (only its own) before removing its file.
        make_engine(state.location()).dispose()
        state.STATE.db_option = previous
        shutil.rmtree(folder, ignore_errors=True)
