"""``netcrm db path|backup|check``."""

from __future__ import annotations

from pathlib import Path

import typer

from netcrm.cli import state
from netcrm.cli.app import db_app
from netcrm.render import message, out


@db_app.command("path")
def db_path() -> None:
    """Print where the database is.

    Example: netcrm db path
    """
    out(state.location().describe())


@db_app.command("backup")
def db_backup(
    file: Path = typer.Argument(..., help="Where to write the copy (must not exist)."),
) -> None:
    """Write an online copy of the database (0600), safe while netcrm runs.

    Example: netcrm db backup ~/backups/netcrm-2026-11-27.db
    """
    from netcrm.store.engine import backup_database

    backup_database(state.location(), file.expanduser())
    message(f"Backed up to {file}")


@db_app.command("check")
def db_check() -> None:
    """Check the database's integrity and foreign keys.

    Example: netcrm db check
    """
    from netcrm.errors import DatabaseError
    from netcrm.store.engine import check_database

    problems = check_database(state.location())
    if problems:
        raise DatabaseError(
            f"{len(problems)} problem(s) in {state.location().describe()}", details=problems
        )
    out("ok")
