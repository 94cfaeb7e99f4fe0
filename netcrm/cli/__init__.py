"""The command line. One module per command group; each parses, calls the
domain, renders. No SQL here."""

from __future__ import annotations

import typer

from netcrm import __version__
from netcrm.cli import state
from netcrm.cli.app import app


def _version(value: bool) -> None:
    if value:
        typer.echo(f"netcrm {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: str | None = typer.Option(
        None,
        "--db",
        help="Database file or SQLAlchemy URL (default: $NETCRM_DB, else netcrm.db "
        "in your data folder).",
        metavar="PATH|URL",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """netcrm: a personal CRM for the command line.

    Every morning: netcrm due
    """
    state.STATE.db_option = db


def _register() -> None:
    # Importing a command module registers its commands on the app; every
    # module of this package except the plumbing is a command module.
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        if info.name not in _PLUMBING:
            importlib.import_module(f"{__name__}.{info.name}")


_PLUMBING = frozenset({"app", "state", "common"})
_register()


def main() -> None:
    app()
