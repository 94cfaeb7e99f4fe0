"""Options and helpers shared by the command modules: WHO arguments with name
completion, ``--key``, ``--tag``, today, the read and write paths. (The output
options ``--json``/``--csv``/``-o``/``--force`` are :func:`netcrm.render.output_options`.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import typer

from netcrm.cli import state
from netcrm.errors import InvalidInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.dates.parsing import Sense
    from netcrm.domain.labels import LabelChanges
    from netcrm.store.reader import Reader


def complete_who(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion for WHO: contact names starting with what was typed."""
    from netcrm.domain.who import complete_names
    from netcrm.store.location import resolve_location

    root = ctx.find_root()
    loc = resolve_location(root.params.get("db") if root.params else None)
    try:
        from netcrm.store.reader import open_reader

        reader = open_reader(loc)
        try:
            return [(_Unfiltered(_for_shell(n)), h) for n, h in complete_names(reader, incomplete)]
        finally:
            reader.close()
    except Exception:  # completion must never print a traceback into a shell
        return []


class _Unfiltered(str):
    """A completion typer keeps: typer drops every value that does not start
    with the typed text as typed, but WHO matching is case- and accent-free and
    also by last name ("le" and "mar" both offer "Léa Martin")."""

    def startswith(self, *args: Any) -> bool:
        return True


def _for_shell(name: str) -> str:
    # bash inserts a completion verbatim: a space would split the name in two.
    import os

    return name.replace(" ", "\\ ") if "COMP_WORDS" in os.environ else name


WHO_HELP = "A contact: id, email, or (part of) a name, e.g. lea"


def who_argument(help: str = WHO_HELP) -> Any:
    return typer.Argument(..., help=help, metavar="WHO", autocompletion=complete_who)


def who_option(*names: str, help: str = WHO_HELP) -> Any:
    return typer.Option(None, *names, help=help, metavar="WHO", autocompletion=complete_who)


def key_option(help: str = "One of the five keys (repeatable), e.g. opportunity.") -> Any:
    return typer.Option(None, "--key", "-k", help=help, metavar="KEY")


def tag_option(help: str = "A free tag (repeatable).") -> Any:
    return typer.Option(None, "--tag", "-t", help=help, metavar="TAG")


# The label options of every ``edit``, with one meaning everywhere: --tag/--key
# set the list (as on ``add``), --add-…/--remove-… change it.


def set_tags_option() -> Any:
    return typer.Option(None, "--tag", "-t", help="Set the tags (replaces them).", metavar="TAG")


def add_tag_option() -> Any:
    return typer.Option(None, "--add-tag", metavar="TAG", help="Add a tag (repeatable).")


def remove_tag_option(*aliases: str) -> Any:
    return typer.Option(
        None, "--remove-tag", *aliases, metavar="TAG", help="Remove a tag (repeatable)."
    )


def set_keys_option() -> Any:
    return key_option("Set the explicit keys (replaces them).")


def add_key_option() -> Any:
    return typer.Option(None, "--add-key", metavar="KEY", help="Add a key (repeatable).")


def remove_key_option(*aliases: str) -> Any:
    return typer.Option(
        None, "--remove-key", *aliases, metavar="KEY", help="Remove a key (repeatable)."
    )


def label_changes(
    tag: list[str] | None,
    add_tag: list[str] | None,
    remove_tag: list[str] | None,
    key: list[str] | None,
    add_key: list[str] | None,
    remove_key: list[str] | None,
) -> LabelChanges:
    """The label options of an ``edit``, checked (tags cleaned, keys resolved)."""
    from netcrm.domain.labels import LabelChanges, clean_tags

    return LabelChanges(
        tags=None if tag is None else clean_tags(tag),
        add_tags=clean_tags(add_tag or []),
        remove_tags=clean_tags(remove_tag or []),
        keys=None if key is None else keys(key),
        add_keys=keys(add_key),
        remove_keys=keys(remove_key),
    )


def keys(values: list[str] | None) -> list[str]:
    from netcrm.domain.keys import resolve_keys

    return resolve_keys(values or [])


def today() -> date:
    return state.today()


def now() -> datetime:
    """Now, on the (possibly pinned) today: timestamps agree with "today"."""
    return datetime.combine(state.today(), datetime.now().time().replace(microsecond=0))


def parse_date(text: str, *, sense: Sense) -> date:
    """A typed date, for something to do (``"next"``) or that happened (``"past"``)."""
    from netcrm.dates import parse_date as parse

    return parse(text, today=state.today(), sense=sense)


def happened_on(text: str, option: str) -> date:
    """The date of something that already happened (``--met-on``): a future one is refused."""
    day = parse_date(text, sense="past")
    if day > state.today():
        raise InvalidInput(
            f"{option} {day.isoformat()} is in the future; it says when something happened"
        )
    return day


@contextmanager
def reading() -> Iterator[Reader]:
    """The fast read path for the current database."""
    from netcrm.store.reader import open_reader

    reader = open_reader(state.location())
    try:
        yield reader
    finally:
        reader.close()


@contextmanager
def writing() -> Iterator[Session]:
    """One write transaction (BEGIN IMMEDIATE … COMMIT) for the whole command."""
    from netcrm.store.engine import write_session

    with write_session(state.location()) as session:
        yield session


def session_reader(session: Session) -> Reader:
    """Run read-path SQL (WHO resolution…) inside a write transaction."""
    from netcrm.store.reader import SqlAlchemyReader

    return SqlAlchemyReader(session)


def resolve(reader: Reader, who: str) -> int:
    from netcrm.domain.who import resolve_who

    return resolve_who(reader, who)


def yes_option() -> Any:
    return typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")


_YES = ("y", "yes", "o", "oui")


def confirm(question: str, *, yes: bool) -> None:
    """Ask before a destructive change: "no" → exit 1, nothing changed.

    The one confirmation of every destructive command. On a terminal the
    question is asked on stderr, ending "[y/N]". Without one (a script, a pipe)
    the answer is read silently from stdin, so ``echo oui | netcrm rm lea``
    works, and an empty stdin is a usage error (exit 2): use ``--yes``.
    """
    import sys

    from netcrm.errors import InvalidInput
    from netcrm.render import message

    if yes:
        return
    interactive = sys.stdin.isatty()
    if interactive:
        sys.stderr.write(f"{question} [y/N] ")
        sys.stderr.flush()
    line = sys.stdin.readline()
    if not line and not interactive:
        raise InvalidInput("cannot ask for confirmation here; add --yes")
    if line.strip().casefold() not in _YES:
        if interactive and not line:
            sys.stderr.write("\n")  # Ctrl-D left the cursor after the question
        message("Nothing was changed.")
        raise typer.Exit(1)
