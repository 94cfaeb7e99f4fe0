"""Opening a file to import: its bytes, its encoding, its separator, its format.

- **Garbage first**: a file holding a NUL byte or many control bytes (an
  image, a database, a PNG named ``.csv``) is "not a text file" (UTF-16
  without its mark gets its own hint), before any encoding is tried.
- **Encoding**: a UTF-8 (or UTF-16) byte-order mark is honoured; otherwise
  the file is read as UTF-8 *line by line*: only the lines that are not UTF-8
  are read as cp1252 (what Excel on Windows writes; its five undefined bytes
  as Latin-1), with one warning naming them — a LinkedIn export with one
  Windows line keeps every other line's accents. ``--encoding`` forces one
  encoding for the whole file.
- **Separator**: ``,``, ``;`` (European spreadsheets) or tab, whichever gives a
  header row the chosen format recognises.
- **Format** (``auto``): a vCard starts with ``BEGIN:VCARD``; a CSV is
  recognised by its header row, scanned for among the first rows (LinkedIn
  puts a ``Notes:`` preamble first): LinkedIn, then Google Contacts, then
  Outlook, then netcrm's own. Anything else needs ``--format csv --map …``.

:func:`open_import` returns an :class:`ImportSource` whose ``items`` the caller
iterates (a progress bar can follow ``item.line`` against ``total_lines``).
Only :class:`~netcrm.errors.NetcrmError` subclasses escape from here or from
iterating the items, whatever the bytes.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from netcrm.errors import InvalidInput, NetcrmError
from netcrm.io.records import CsvTable, Item

FORMATS = ("auto", "linkedin", "google", "outlook", "netcrm", "csv", "vcard")
LABELS = {
    "linkedin": "LinkedIn connections",
    "google": "Google Contacts",
    "outlook": "Outlook CSV",
    "netcrm": "netcrm CSV",
    "csv": "CSV",
    "vcard": "vCard",
}
DELIMITERS = (",", ";", "\t")
# Share of control characters above which a file is not text.
_MAX_CONTROL_SHARE = 0.01
_CONTROL = frozenset(chr(c) for c in range(32)) - set("\t\n\r\f")


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportSource:
    format: str
    name: str
    items: Iterator[Item]
    total_lines: int
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.format]


def read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InvalidInput(f"no such file: {path}")
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file to import")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, *, encoding: str | None = None, name: str = "the file") -> Decoded:
    """The text of ``data`` and how it was read; see the module docstring."""
    warnings: list[str] = []
    if encoding:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput(f"unknown encoding {encoding!r} (try utf-8 or cp1252)") from None
        if not getattr(info, "_is_text_encoding", True):
            # base64, hex, rot13, zlib…: codecs, but not text encodings.
            raise InvalidInput(f"{encoding!r} is not a text encoding (try utf-8 or cp1252)")
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{name} is not {encoding}: bad bytes on line {_line_of(data, exc.start)}"
            ) from None
        except (UnicodeError, LookupError, ValueError) as exc:  # punycode, undefined…
            raise InvalidInput(f"{name} cannot be read as {encoding}: {exc}") from None
        used = encoding
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, used = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InvalidInput(f"{name} starts like UTF-16 but is not; give --encoding") from None
    else:
        _check_bytes(data, name)
        body = data.removeprefix(codecs.BOM_UTF8)
        try:
            text, used = body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, bad = _decode_lines(body)
            used = "utf-8+cp1252"
            warnings.append(
                f"{name}: {_line_list(bad)} not UTF-8; read as cp1252 (Windows). "
                "If accents look wrong there, give --encoding."
            )
    text = text.removeprefix("\ufeff")
    _check_text(text, name)
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        warnings.append(f"removed {nuls} NUL byte{'s' if nuls > 1 else ''} from {name}")
    return Decoded(text, used, warnings)


def _decode_lines(data: bytes) -> tuple[str, list[int]]:
    """The text of ``data`` read line by line: UTF-8, else cp1252 (else
    Latin-1 for cp1252's five undefined bytes); and the lines that were not
    UTF-8. Lines end at ``\n`` (a ``\r`` before it stays with its line)."""
    parts: list[str] = []
    bad: list[int] = []
    for number, line in enumerate(data.split(b"\n"), 1):
        try:
            parts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            bad.append(number)
            try:
                parts.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                parts.append(line.decode("latin-1"))
    return "\n".join(parts), bad


def _line_list(lines: list[int], shown: int = 10) -> str:
    words = ", ".join(str(n) for n in lines[:shown])
    if len(lines) > shown:
        words += f" … and {len(lines) - shown} more"
    return f"line {words} is" if len(lines) == 1 else f"lines {words} are"


def _check_bytes(data: bytes, name: str) -> None:
    """Refuse what is not text before guessing any encoding (module docstring)."""
    sample = data[:65536]
    nuls = sample.count(0)
    if nuls and nuls * 3 > len(sample):
        # Every other byte zero: UTF-16 text that lost its byte-order mark.
        raise InvalidInput(
            f"{name} looks like UTF-16 without its byte-order mark; "
            "give --encoding utf-16-le (or utf-16-be)"
        )
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    if nuls or controls > max(2, len(sample) * _MAX_CONTROL_SHARE):
        raise InvalidInput(f"{name} is not a text file (CSV or vCard)")


def _check_text(text: str, name: str) -> None:
    sample = text[:65536]
    if not sample:
        return
    controls = sum(1 for ch in sample if ch in _CONTROL)
    if controls > max(2, len(sample) * _MAX_CONTROL_SHARE):
        if sample.count("\x00") * 3 > len(sample):
            # Every other byte zero: UTF-16 text that lost its byte-order mark.
            raise InvalidInput(
                f"{name} looks like UTF-16 without its byte-order mark; "
                "give --encoding utf-16-le (or utf-16-be)"
            )
        raise InvalidInput(f"{name} is not a text file (CSV or vCard)")


# --- format detection ------------------------------------------------------------------


def _header_tests(mapping: dict[str, str] | None) -> dict[str, Callable[[list[str]], bool]]:
    from netcrm.io import google, linkedin, netcrm_csv, outlook

    tests: dict[str, Callable[[list[str]], bool]] = {
        "linkedin": linkedin.is_header,
        "google": google.is_header,
        "outlook": outlook.is_header,
        "netcrm": netcrm_csv.is_header,
    }
    if mapping is not None:
        wanted = set(mapping)
        tests["csv"] = lambda keys: wanted <= set(keys)
    return tests


def looks_like_vcard(text: str) -> bool:
    return text.lstrip()[:11].casefold() == "begin:vcard"


def _find_table(
    text: str, tests: dict[str, Callable[[list[str]], bool]]
) -> tuple[str, CsvTable] | None:
    """The first (format, table) whose header the scan finds, trying each
    separator; formats are tried in the order of ``tests``."""
    for delimiter in DELIMITERS:
        found: list[str] = []

        def any_header(keys: list[str], found: list[str] = found) -> bool:
            found[:] = [fmt for fmt, test in tests.items() if test(keys)][:1]
            return bool(found)

        table = CsvTable(text, delimiter, any_header)
        if table.found:
            return found[0], table
    return None


def open_source(
    text: str,
    *,
    fmt: str = "auto",
    mapping: str | None = None,
    today: date,
    name: str = "the file",
    suffix: str = "",
    warnings: list[str] | None = None,
) -> ImportSource:
    """An ImportSource over decoded text."""
    from netcrm.io import google, linkedin, netcrm_csv, outlook, vcard

    if fmt not in FORMATS:
        raise InvalidInput(f"unknown --format {fmt!r}; use one of {', '.join(FORMATS)}")
    warnings = list(warnings or [])
    if not text.strip():
        raise InvalidInput(f"{name} is empty; nothing to import")
    columns = netcrm_csv.parse_mapping(mapping) if mapping is not None else None
    if columns is not None and fmt not in ("auto", "csv"):
        raise InvalidInput("--map describes a generic CSV; use it with --format csv (or auto)")
    total = text.count("\n") + 1
    if fmt == "vcard" or (
        fmt == "auto"
        and columns is None
        and (looks_like_vcard(text) or suffix.casefold() in (".vcf", ".vcard"))
    ):
        return ImportSource("vcard", name, _guarded(vcard.read(text, today=today)), total, warnings)

    if columns is not None:
        tests = {"csv": _header_tests(columns)["csv"]}
    elif fmt == "auto":
        tests = _header_tests(None)
    elif fmt == "csv":
        raise InvalidInput(
            'a generic CSV needs --map "Header=field,…" (e.g. --map "Full name=name,Mail=emails")'
        )
    else:
        tests = {fmt: _header_tests(None)[fmt]}
    found = _find_table(text, tests)
    if found is None:
        raise InvalidInput(_no_header_message(name, fmt, columns))
    kind, table = found
    if kind == "linkedin":
        items = linkedin.read(table, today=today)
    elif kind == "google":
        items = google.read(table, today=today)
    elif kind == "outlook":
        items = outlook.read(table, today=today)
    else:
        unknown = [h for h in table.header if h and columns is None and not netcrm_csv.known(h)]
        if unknown:
            warnings.append(f"ignored the columns {', '.join(unknown)} (not netcrm fields)")
        items = netcrm_csv.read(table, today=today, mapping=columns)
    return ImportSource(kind, name, _guarded(items), total, warnings)


def _no_header_message(name: str, fmt: str, columns: dict[str, str] | None) -> str:
    if columns is not None:
        return (
            f"{name} has no header row with the columns of --map "
            f"({', '.join(sorted(columns))}) in its first rows"
        )
    if fmt != "auto":
        return f"{name} has no {LABELS[fmt]} header row in its first rows"
    return (
        f"cannot recognise {name}: no LinkedIn, Google Contacts, Outlook, netcrm CSV or vCard "
        "header; "
        'for another CSV give --format csv --map "Header=field,…"'
    )


def _guarded(items: Iterator[Item]) -> Iterator[Item]:
    """Only NetcrmError may leave a reader; anything else a reader did not
    foresee on hostile input becomes an error, not a traceback."""
    line = 0
    try:
        for item in items:
            line = item.line
            yield item
    except NetcrmError:
        raise
    except Exception as exc:
        # A reader's bug on odd input: stop the whole import (nothing is
        # written) rather than import half a file or print a traceback.
        raise InvalidInput(
            f"cannot read the file after line {line} ({type(exc).__name__}: {exc})"
        ) from exc


def open_import(
    path: Path,
    *,
    fmt: str = "auto",
    encoding: str | None = None,
    mapping: str | None = None,
    today: date,
) -> ImportSource:
    """Read, decode and recognise ``path``; the caller iterates ``items``."""
    data = read_bytes(path)
    name = path.name or str(path)
    decoded = decode(data, encoding=encoding, name=name)
    source = open_source(
        decoded.text,
        fmt=fmt,
        mapping=mapping,
        today=today,
        name=name,
        suffix=path.suffix,
        warnings=decoded.warnings,
    )
    return source
