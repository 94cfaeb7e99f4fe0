"""``netcrm db path|backup|check|copy``."""

from __future__ import annotations

from pathlib import Path

import typer

from netcrm.cli import state
from netcrm.cli.app import db_app
from netcrm.render import force_option, message, out


@db_app.command("path")
def db_path() -> None:
    """Print where the database is.

    Example: netcrm db path
    """
    out(state.location().describe())


@db_app.command("backup")
def db_backup(
    file: Path = typer.Argument(..., help="Where to write the copy (0600)."),
    force: bool = force_option(),
) -> None:
    """Write an online copy of the database (0600), safe while netcrm runs.

    A SQLite file is copied page by page; a PostgreSQL database is written
    as a new SQLite file, row by row (as db copy does).

    Example: netcrm db backup ~/backups/netcrm-2026-11-27.db
    """
    loc = state.location()
    if loc.path is None:
        from netcrm.store.copy import backup_server

        if force:
            from netcrm.errors import InvalidInput

            raise InvalidInput(
                "db backup --force replaces copies of a SQLite database; for a server's "
                "copy use: netcrm db copy URL FILE --force"
            )
        backup_server(loc, file.expanduser())
    else:
        from netcrm.store.engine import backup_database

        backup_database(loc, file.expanduser(), force=force)
    message(f"Backed up to {file}")


@db_app.command("copy")
def db_copy(
    source: str = typer.Argument(..., help="The CRM to copy: a SQLite file or a database URL."),
    target: str = typer.Argument(..., help="Where to copy it: a SQLite file or a database URL."),
    force: bool = typer.Option(False, "--force", help="Replace a target that already holds a CRM."),
) -> None:
    """Copy a whole CRM into another database, ids kept, checked by counts.

    Either side is a SQLite file or a URL (postgresql+psycopg://user@host/db;
    the password from ~/.pgpass or PGPASSWORD). The target is created and
    migrated if needed; everything is copied in one transaction, or nothing.

    Example: netcrm db copy ~/.local/share/netcrm/netcrm.db postgresql+psycopg://me@server/crm
    """
    from netcrm.store.copy import copy_database
    from netcrm.store.location import resolve_location

    src, dst = resolve_location(source), resolve_location(target)
    result = copy_database(src, dst, force=force)
    what = "Replaced the CRM in" if result.replaced else "Copied"
    message(
        f"{what} {dst.describe()}: {result.rows} rows from {src.describe()} "
        f"({result.counts.get('contact', 0)} contacts), counts checked"
        if result.replaced
        else f"{what} {result.rows} rows from {src.describe()} to {dst.describe()} "
        f"({result.counts.get('contact', 0)} contacts), counts checked"
    )


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
