"""The one set of output options (STYLE.md rule 5, as sqlite-utils'
``output_options``): ``--json``, ``--csv``, ``-o FILE`` and ``--force``, declared
once by :func:`output_options` for every listing, ``show``, ``due`` and report.

The decorated command takes a ``fmt: Format`` parameter instead of the options
and prints as usual (:func:`~netcrm.render.tables.emit`, :func:`out`,
:func:`console`). With ``-o FILE`` what it prints is caught and written to a
private file (0600, :func:`netcrm.store.engine.write_private`), the table view as
plain text 100 columns wide; an existing file is refused before any work unless
``--force``. Without ``--json``/``--csv`` a ``.json`` or ``.csv`` file gets that
format, so ``-o week.csv`` is a CSV file whatever the command.
"""

from __future__ import annotations

import functools
import inspect
import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

import typer

from netcrm.render.console import Unpadded, _consoles, err_console
from netcrm.render.formats import Format, pick_format

F = TypeVar("F", bound=Callable[..., Any])

# Width of a table written to a file: wide enough for every table, short enough to read.
FILE_WIDTH = 100


def format_for(*, as_json: bool, as_csv: bool, path: Path | None) -> Format:
    """The chosen format; with none chosen, a ``-o`` file's suffix (.json, .csv) picks it."""
    fmt = pick_format(as_json=as_json, as_csv=as_csv)
    if fmt is Format.table and path is not None:
        suffix = path.suffix.casefold()
        if suffix == ".json":
            return Format.json
        if suffix == ".csv":
            return Format.csv
    return fmt


@contextmanager
def captured() -> Iterator[io.StringIO]:
    """Everything printed to stdout (``out``, the console) goes into a buffer,
    tables drawn without colour at :data:`FILE_WIDTH`."""
    from rich.console import Console

    buffer = io.StringIO()
    saved_stdout, saved_console = sys.stdout, _consoles.get("out")
    sys.stdout = buffer
    _consoles["out"] = Console(
        file=Unpadded(buffer),  # type: ignore[arg-type]
        width=FILE_WIDTH,
        no_color=True,
        color_system=None,
        highlight=False,
        soft_wrap=False,
    )
    try:
        yield buffer
    finally:
        sys.stdout = saved_stdout
        if saved_console is None:
            _consoles.pop("out", None)
        else:
            _consoles["out"] = saved_console


def tell(text: str) -> None:
    """A message on stderr, unwrapped and without markup: it holds a path to copy."""
    err_console().print(text, highlight=False, soft_wrap=True, markup=False)


def write_file(path: Path, text: str, *, force: bool) -> None:
    from netcrm.store.engine import write_private

    write_private(path, text, force=force)


def check_target(path: Path, *, force: bool) -> None:
    from netcrm.store.engine import refuse_existing

    refuse_existing(path, force=force)


def force_option(what: str = "the file") -> Any:
    return typer.Option(False, "--force", help=f"Replace {what} if it exists (still 0600).")


def _options(csv: bool) -> list[inspect.Parameter]:
    keyword = inspect.Parameter.KEYWORD_ONLY
    options = [
        inspect.Parameter(
            "as_json",
            keyword,
            annotation=bool,
            default=typer.Option(False, "--json", help="Output JSON (stable keys, ISO dates)."),
        )
    ]
    if csv:
        options.append(
            inspect.Parameter(
                "as_csv",
                keyword,
                annotation=bool,
                default=typer.Option(False, "--csv", help="Output CSV."),
            )
        )
    options += [
        inspect.Parameter(
            "output_file",
            keyword,
            annotation=Path | None,
            default=typer.Option(
                None,
                "--output",
                "-o",
                help="Write to this file (0600) instead of stdout; .json and .csv pick the format.",
                metavar="FILE",
            ),
        ),
        inspect.Parameter("force", keyword, annotation=bool, default=force_option()),
    ]
    return options


def output_options(written: str, *, csv: bool = True) -> Callable[[F], F]:
    """Give a command ``--json`` (``--csv`` unless ``csv=False``), ``-o FILE`` and
    ``--force``; it receives the chosen ``fmt`` (and ``force`` or ``output_file``
    when it declares them, e.g. for another file it writes). ``written`` names what
    ``-o`` wrote, for the message on stderr ("Wrote the keys report to week.txt")."""

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        hints = get_type_hints(func)
        # The options, and whether the command wants to see force / output_file too.
        extra = _options(csv)
        passed = {"force", "output_file"} & set(signature.parameters)
        kept = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in signature.parameters.values()
            if p.name not in {"fmt", *passed}
        ]

        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            as_json, as_csv = kwargs.pop("as_json", False), kwargs.pop("as_csv", False)
            output, force = kwargs.pop("output_file", None), kwargs.pop("force", False)
            path = output.expanduser() if output is not None else None
            kwargs.update({name: {"force": force, "output_file": path}[name] for name in passed})
            kwargs["fmt"] = format_for(as_json=as_json, as_csv=as_csv, path=path)
            ctx = kwargs.get("ctx")
            if path is None or getattr(ctx, "invoked_subcommand", None) is not None:
                return func(*args, **kwargs)
            check_target(path, force=force)
            with captured() as buffer:
                result = func(*args, **kwargs)
            write_file(path, buffer.getvalue(), force=force)
            tell(f"Wrote {written} to {path}")
            return result

        command.__signature__ = signature.replace(parameters=[*kept, *extra])  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in (*kept, *extra)}
        return command  # type: ignore[return-value]

    return decorate
