"""The root Typer app and its groups, and the one place where errors become
``Error: …`` lines and exit codes (PRODUCT.md §4).

Command modules import ``app`` (or a group) from here and register on it. Only
cheap modules may be imported at the top of a command module: heavy ones
(SQLModel, SQLAlchemy, Alembic, vobject, icalendar) inside the command
function, so ``--help`` and completion never pay for them (STYLE.md rule 5).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup, _main

from netcrm.errors import InvalidInput, NetcrmError

EXIT_OK, EXIT_NOTHING, EXIT_INPUT, EXIT_DATABASE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def print_error(message: str, details: Sequence[str] = ()) -> None:
    sys.stderr.write(f"Error: {message}\n")
    for line in details:
        sys.stderr.write(f"  {line}\n")
    sys.stderr.flush()


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.Error | OSError) or type(exc).__module__.startswith(
        ("sqlalchemy", "psycopg")
    )


def database_problem(exc: BaseException) -> str:
    """One line for a driver error that escaped the store, password masked."""
    from netcrm.cli import state

    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split()) or type(orig).__name__
    try:
        return state.location().scrub(f"database problem: {text}")
    except Exception:  # the location itself is what failed
        return f"database problem: {text}"


_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _show_completion_for(args: Sequence[str]) -> str | None:
    """The shell named after ``--show-completion`` (``--show-completion zsh``
    or ``=zsh``), or None. Typer reads that option as a bare flag once it can
    detect the running shell, so the name typed after it was ignored and a
    zsh user got the bash script."""
    if not args or not args[0].startswith("--show-completion"):
        return None
    option, _, value = args[0].partition("=")
    if option != "--show-completion":
        return None
    if not value and len(args) > 1 and not args[1].startswith("-"):
        value = args[1]
    if not value:
        return None
    if value.casefold() not in _SHELLS:
        raise InvalidInput(f"unknown shell {value!r}; use one of {', '.join(_SHELLS)}")
    return value.casefold()


def _print_completion(shell: str, prog_name: str) -> None:
    from typer._completion_shared import get_completion_script

    complete_var = "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())
    script = get_completion_script(prog_name=prog_name, complete_var=complete_var, shell=shell)
    sys.stdout.write(script + "\n")


class NetcrmGroup(TyperGroup):
    """Runs click in non-standalone mode and translates every exception once."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        from typer._click.exceptions import ClickException, NoArgsIsHelpError
        from typer.exceptions import Abort

        debug = bool(os.environ.get("NETCRM_DEBUG"))
        try:
            shell = _show_completion_for(sys.argv[1:] if args is None else list(args))
            if shell is not None:
                _print_completion(shell, prog_name or "netcrm")
                rv: Any = EXIT_OK
            else:
                rv = _main(
                    self,
                    args=args,
                    prog_name=prog_name or "netcrm",
                    complete_var=complete_var,
                    standalone_mode=False,
                    windows_expand_args=windows_expand_args,
                    rich_markup_mode=self.rich_markup_mode,
                    **extra,
                )
        except NetcrmError as exc:
            if debug:
                raise
            print_error(exc.message, exc.details)
            rv = exc.exit_code
        except NoArgsIsHelpError as exc:
            sys.stdout.write(exc.format_message() + "\n")  # `netcrm` alone: its help
            rv = EXIT_OK
        except ClickException as exc:
            print_error(exc.format_message())
            rv = exc.exit_code
        except Abort:
            sys.stderr.write("Aborted; nothing was changed.\n")
            rv = EXIT_NOTHING
        except KeyboardInterrupt:
            sys.stderr.write("Interrupted.\n")
            rv = EXIT_INTERRUPTED
        except Exception as exc:
            if debug:
                raise
            if is_database_error(exc):
                print_error(database_problem(exc))
                rv = EXIT_DATABASE
            else:
                print_error(
                    f"unexpected {type(exc).__name__}: {exc} (NETCRM_DEBUG=1 shows the traceback)"
                )
                rv = 1
        code = rv if isinstance(rv, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

app = typer.Typer(
    name="netcrm",
    cls=NetcrmGroup,
    help="netcrm: a personal CRM for the command line.\n\nEvery morning: netcrm due",
    no_args_is_help=True,
    context_settings=CONTEXT,
    # Plain click help: typer's rich help loads markdown and syntax modules,
    # doubling the time `--help` takes (bench/run.py).
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
idea_app = typer.Typer(
    help="Collaboration ideas and their action plans.",
    no_args_is_help=True,
    context_settings=CONTEXT,
    rich_markup_mode=None,
)
report_app = typer.Typer(
    help="Weekly reports: the five keys, the network, ideas, activity.",
    no_args_is_help=True,
    context_settings=CONTEXT,
    rich_markup_mode=None,
)
db_app = typer.Typer(
    help="The database: where it is, backups, checks.",
    no_args_is_help=True,
    context_settings=CONTEXT,
    rich_markup_mode=None,
)
app.add_typer(idea_app, name="idea")
app.add_typer(report_app, name="report")
app.add_typer(db_app, name="db")
