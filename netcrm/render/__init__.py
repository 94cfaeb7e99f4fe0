"""One output layer (STYLE.md rule 4): rich tables for people, ``--json`` and
``--csv`` for scripts, from the same rows and the same column definitions.

Data goes to stdout; messages, warnings and errors to stderr. ``rich.table`` is
imported only when a table is actually drawn.
"""

from __future__ import annotations

from netcrm.render.console import (
    console,
    err_console,
    message,
    out,
    plural,
    reset_consoles,
    warn,
)
from netcrm.render.formats import Format, pick_format, rows_to_json, to_csv, to_json
from netcrm.render.output import force_option, output_options, tell, write_file
from netcrm.render.tables import (
    LARGE_TABLE,
    MAX_PLAIN_WIDTH,
    Column,
    card_value,
    emit,
    emit_card,
    plain_table,
    table,
)

__all__ = [
    "LARGE_TABLE",
    "MAX_PLAIN_WIDTH",
    "Column",
    "Format",
    "card_value",
    "console",
    "emit",
    "emit_card",
    "err_console",
    "force_option",
    "message",
    "out",
    "output_options",
    "pick_format",
    "plain_table",
    "plural",
    "reset_consoles",
    "rows_to_json",
    "table",
    "tell",
    "to_csv",
    "to_json",
    "warn",
    "write_file",
]
