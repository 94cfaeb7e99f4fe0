"""``netcrm import`` and ``netcrm export``: the network in and out (PRODUCT.md §7).

Import reads and recognises the whole file first (``netcrm.io.sniff``), so a
missing file, garbage or an unreadable encoding fail before the database is
touched; then one write transaction plans and applies it
(``netcrm.domain.importing``). A row that cannot be imported is reported with
its line and the others go on; a file none of whose rows can be imported is an
error (exit 2) and writes nothing.

Export reads through the fast read path and writes a 0600 file that must not
exist yet (``-o``), or stdout.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from netcrm.cli import common
from netcrm.cli.app import app
from netcrm.errors import InvalidInput
from netcrm.render import force_option, message, out, plural, warn, write_file

if TYPE_CHECKING:
    from datetime import datetime

    from netcrm.domain.importing import ImportPlan, PlanRow
    from netcrm.store.reader import Reader

# Below this many lines an import is over before a bar could say anything.
PROGRESS_MIN_LINES = 5000
# Per-row errors printed on stderr; --dry-run lists every row.
MAX_ERRORS_SHOWN = 50


class ImportFormat(StrEnum):
    auto = "auto"
    linkedin = "linkedin"
    google = "google"
    outlook = "outlook"
    netcrm = "netcrm"
    csv = "csv"
    vcard = "vcard"


class OnDuplicate(StrEnum):
    skip = "skip"
    merge = "merge"
    add = "add"


class CalendarAs(StrEnum):
    event = "event"
    todo = "todo"


class ExportWhat(StrEnum):
    contacts = "contacts"
    interactions = "interactions"
    ideas = "ideas"
    followups = "followups"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"
    vcard = "vcard"
    ics = "ics"


@app.command("import")
def import_file(
    file: Path = typer.Argument(
        ...,
        help="The file: CSV (LinkedIn, Google, Outlook, netcrm, any) or vCard.",
        metavar="FILE",
    ),
    fmt: ImportFormat = typer.Option(
        ImportFormat.auto, "--format", "-f", help="What the file is (auto: recognise it)."
    ),
    mapping: str | None = typer.Option(
        None,
        "--map",
        metavar='"HEADER=FIELD,…"',
        help="Columns of a generic CSV: netcrm fields (name, emails, phones, company, role, "
        "tags, notes, first_name, last_name …).",
    ),
    encoding: str | None = typer.Option(
        None, "--encoding", help="Force the encoding (default: UTF-8, else cp1252)."
    ),
    tags: list[str] | None = common.tag_option("A tag for every imported contact (repeatable)."),
    on_duplicate: OnDuplicate = typer.Option(
        OnDuplicate.merge,
        "--on-duplicate",
        help="A contact already there (same e-mail, LinkedIn profile, phone and name, or name "
        "and company): "
        "merge fills what it lacks, skip leaves it, add adds another.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="List what each row would do; write nothing."
    ),
) -> None:
    """Import contacts from LinkedIn, Google Contacts, Outlook, vCard or a CSV file.

    Example: netcrm import Connections.csv --tag linkedin
    """
    from netcrm.domain.importing import plan_import
    from netcrm.io.sniff import open_import

    path = file.expanduser()
    source = open_import(
        path, fmt=fmt.value, encoding=encoding, mapping=mapping, today=common.today()
    )
    for text in source.warnings:
        warn(_escape(text))
    now = common.now()
    from netcrm.cli import state

    loc = state.location()
    # A database that does not exist yet is planned against as the empty one it
    # would be: a dry run, or an import that is refused, then creates no file.
    missing = loc.path is not None and not loc.path.exists()
    with _progress(source.total_lines, path.name) as advance:
        # The file was opened, decoded and recognised above; its rows stream
        # into the plan, so a large file is never held twice in memory.
        def plan_with(reader: Reader) -> ImportPlan:
            return plan_import(
                reader,
                source.items,
                on_duplicate=on_duplicate.value,
                extra_tags=tags or [],
                progress=advance,
            )

        if dry_run or missing:
            if missing:
                from netcrm.store.reader import EmptyReader

                plan = plan_with(EmptyReader())
            else:
                with common.reading() as reader:
                    plan = plan_with(reader)
            if dry_run:
                for row in plan.rows:
                    out(_describe(row))
            _refuse_if_nothing_valid(plan, path.name)
            if not dry_run and (plan.new or plan.merged):
                _write_new_database(plan, now)
        else:
            with common.writing() as session:
                plan = plan_with(common.session_reader(session))
                _refuse_if_nothing_valid(plan, path.name)
                from netcrm.domain.import_writes import apply_import

                apply_import(session, plan, now=now)
    _report(plan, source_name=f"{path.name} ({source.label})", dry_run=dry_run)


def _write_new_database(plan: ImportPlan, now: datetime) -> None:
    """Create the database and write a plan made against no database."""
    from netcrm.domain.import_writes import apply_import, is_empty
    from netcrm.errors import DatabaseError

    with common.writing() as session:
        if not is_empty(session):
            raise DatabaseError(
                "another program created the database and added contacts during the import; "
                "nothing was imported: run the import again"
            )
        apply_import(session, plan, now=now)


def _refuse_if_nothing_valid(plan: ImportPlan, name: str) -> None:
    if plan.refused:
        errors = plan.errors
        details = [_error_line(r) for r in errors[:MAX_ERRORS_SHOWN]]
        if len(errors) > MAX_ERRORS_SHOWN:
            details.append(f"… and {len(errors) - MAX_ERRORS_SHOWN} more")
        raise InvalidInput(
            f"none of the {plural(len(errors), 'row')} of {name} can be imported; "
            "nothing was written",
            details=details,
        )


def _error_line(row: PlanRow) -> str:
    who = f" ({row.name})" if row.name else ""
    return f"line {row.line}{who}: {row.reason}"


def _describe(row: PlanRow) -> str:
    """One line of --dry-run: what the row does and why."""
    text = f"line {row.line:>6}  {row.action:<9}  "
    if row.action in ("error", "ignored"):
        return text + (f"{row.name}: {row.reason}" if row.name else row.reason)
    text += row.name
    if row.contact_id is not None:
        text += f" → #{row.contact_id}"
    elif row.into_line is not None:
        text += f" → line {row.into_line}"
    if row.reason:
        text += f" ({row.reason})"
    if row.changes:
        text += ": + " + ", ".join(row.changes)
    return text


def _report(plan: ImportPlan, *, source_name: str, dry_run: bool) -> None:
    counts = plan.summary()
    if not plan.rows:
        message(_escape(f"Nothing to import in {source_name}: no rows after the header."))
        return
    parts = [
        f"{counts['added']} added",
        f"{counts['merged']} merged",
        f"{counts['unchanged']} unchanged",
        f"{counts['skipped']} skipped",
        plural(counts["errors"], "error"),
    ]
    if counts["ignored"]:
        parts.append(f"{counts['ignored']} ignored")
    if dry_run:
        message(_escape(f"Dry run of {source_name}; nothing was written. It would be:"))
    else:
        message(_escape(f"Imported {source_name}:"))
    message("  " + ", ".join(parts) + ".")
    by_reason = plan.merges_by_reason()
    if by_reason:
        message(
            _escape("  Merged by: " + ", ".join(f"{w} {n}" for w, n in by_reason.items()) + ".")
        )
    _list_capped([_error_line(row) for row in plan.errors], "errors", dry_run)
    warnings = [
        f"line {line}: {field} {value!r} left out ({why})"
        for line, (field, value, why) in plan.warnings
    ]
    _list_capped(warnings, "values left out", dry_run)


def _list_capped(lines: list[str], what: str, dry_run: bool) -> None:
    """Each line on stderr: all of them on a dry run, else the first ones and
    "… and N more"."""
    shown = lines if dry_run else lines[:MAX_ERRORS_SHOWN]
    for line in shown:
        message(_escape("  " + line))
    if len(lines) > len(shown):
        message(f"  … and {len(lines) - len(shown)} more {what} (--dry-run lists them all)")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


class _progress:
    """A rich progress bar on stderr for large files, only on a terminal;
    otherwise a no-op. Yields ``advance(line)``."""

    def __init__(self, total_lines: int, name: str) -> None:
        self.total = total_lines
        self.name = name
        self.bar: Any = None

    def __enter__(self) -> Any:
        if self.total < PROGRESS_MIN_LINES or not _stderr_is_terminal():
            return lambda line: None
        from rich.progress import Progress

        from netcrm.render import err_console

        self.bar = Progress(console=err_console(), transient=True)
        self.bar.start()
        task = self.bar.add_task(f"Importing {_escape(self.name)}", total=self.total)

        def advance(line: int) -> None:
            if line % 500 == 0:
                self.bar.update(task, completed=line)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


# --- export -----------------------------------------------------------------------------

_FORMATS_FOR = {
    ExportWhat.contacts: (ExportFormat.csv, ExportFormat.json, ExportFormat.vcard),
    ExportWhat.interactions: (ExportFormat.csv, ExportFormat.json),
    ExportWhat.ideas: (ExportFormat.csv, ExportFormat.json),
    ExportWhat.followups: (ExportFormat.csv, ExportFormat.json, ExportFormat.ics),
}


@app.command("export")
def export(
    what: ExportWhat = typer.Argument(
        ..., help="contacts, interactions, ideas or followups.", metavar="WHAT"
    ),
    fmt: ExportFormat = typer.Option(
        ExportFormat.csv,
        "--format",
        "-f",
        help="csv or json; vcard for contacts; ics (iCalendar) for followups and dated idea steps.",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file (0600) instead of stdout.", metavar="FILE"
    ),
    force: bool = force_option(),
    raw: bool = typer.Option(
        False, "--raw", help="CSV: keep cells starting with = + - @ as they are (no leading ')."
    ),
    as_: CalendarAs | None = typer.Option(
        None,
        "--as",
        help="ics: event (default) for a calendar, or todo (VTODO: DUE, STATUS, RRULE, "
        "COMPLETED) for a task app.",
    ),
) -> None:
    """Export contacts, interactions, ideas or follow-ups as CSV, JSON, vCard or iCalendar.

    Example: netcrm export contacts --format csv -o contacts.csv
    """
    if fmt not in _FORMATS_FOR[what]:
        allowed = ", ".join(f.value for f in _FORMATS_FOR[what])
        raise InvalidInput(f"{what.value} export as {allowed}, not {fmt.value}")
    if as_ is not None and fmt is not ExportFormat.ics:
        raise InvalidInput("--as is for --format ics (event or todo)")
    path = output.expanduser() if output is not None else None
    if path is not None:
        from netcrm.store.engine import refuse_existing

        refuse_existing(path, force=force)
    data, count = _export_data(what, fmt, raw=raw, as_=(as_ or CalendarAs.event).value)
    if path is None:
        sys.stdout.write(data)
        sys.stdout.flush()
        return
    write_file(path, data, force=force)
    message(_escape(f"Exported {count} to {path}"))


def _export_data(what: ExportWhat, fmt: ExportFormat, *, raw: bool, as_: str) -> tuple[str, str]:
    """The exported text and how much it holds ("12 contacts")."""
    from netcrm.domain import exporting
    from netcrm.render import rows_to_json, to_csv

    with common.reading() as reader:
        if fmt is ExportFormat.ics:
            from netcrm.io.ical import write_calendar

            followups = exporting.followup_rows(reader, with_idea_title=True)
            steps = exporting.calendar_steps(reader)
            calendar = write_calendar(followups, steps, now=common.now(), as_=as_)
            if as_ == "todo":
                return calendar.decode("utf-8"), plural(len(followups) + len(steps), "task")
            events = sum(1 for f in followups if not f["done_at"]) + len(steps)
            return calendar.decode("utf-8"), plural(events, "event")
        if what is ExportWhat.contacts:
            rows, keys = exporting.contact_rows(reader), exporting.contact_keys()
        elif what is ExportWhat.interactions:
            rows, keys = exporting.interaction_rows(reader), exporting.INTERACTION_KEYS
        elif what is ExportWhat.ideas:
            rows, keys = exporting.idea_rows(reader), exporting.IDEA_KEYS
        else:
            rows, keys = exporting.followup_rows(reader), exporting.FOLLOWUP_KEYS
    count = plural(len(rows), what.value[:-1])
    if fmt is ExportFormat.vcard:
        from netcrm.io.vcard import write_vcards

        return write_vcards(rows), count
    if fmt is ExportFormat.json:
        return rows_to_json([{k: r.get(k) for k in keys} for r in rows]) + "\n", count
    return to_csv(rows, keys, raw=raw), count
