"""WHO: finding the contact a command-line argument names (PRODUCT.md §4).

In order: a numeric id; an email address; a name, case- and
accent-insensitive — the whole name, else *by any word*: the query's words
(split on spaces and hyphens) are prefixes of consecutive words of the name,
particles included, an apostrophe either splitting a word or dropped. So
"pierre yves", "le gall" and "gall" find Pierre-Yves Le Gall, "roux" and
"martin-roux" Léa Martin-Roux, "la fontaine" Jean de La Fontaine, "darcy",
"arcy" and "d'arcy" Sean D'Arcy. Archived contacts answer only when no active
one does. Several matches raise ``Ambiguous`` with the candidates and their
ids; none raise ``NotFound`` with the closest names (rapidfuzz).

Every lookup is an index range: ``contact.name_norm`` for the whole name,
``contact_word.word`` (one row per word of the folded name, kept by the
writers, see :func:`netcrm.text.name_words`) for a word — the query's longest word
narrows the candidates, which are then checked word by word —, or
``channel(kind, value_norm)``. Plain SQL, so that it runs on the fast read
path as well as inside write transactions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netcrm.errors import Ambiguous, InvalidInput, NotFound
from netcrm.text import name_word_lists, normalize, word_lists_match

if TYPE_CHECKING:
    from netcrm.store.reader import Reader, Row

# Above every character a folded name can hold, to turn a prefix into a range.
_HIGH = "\U0010ffff"
MAX_CANDIDATES = 10


def _by_words(reader: Reader, text: str) -> list[Row]:
    """Contacts whose name has the words of ``text`` (see :func:`words_match`):
    the longest query word is an index range over ``contact_word.word``; each
    other word is a lookup in the same contact's words (the index on
    ``(contact_id, word)``); the order of the words is checked here."""
    seen: dict[int, Row] = {}
    queries = name_word_lists(text)
    for words in queries:
        if not words:
            continue
        probe, *others = sorted(dict.fromkeys(words), key=len, reverse=True)
        params = {"lo": probe, "hi": probe + _HIGH}
        sql = (
            "SELECT c.id, c.name, c.company, c.archived FROM contact c WHERE c.id IN "
            "(SELECT contact_id FROM contact_word WHERE word >= :lo AND word < :hi)"
        )
        for i, word in enumerate(others):
            params[f"lo{i}"], params[f"hi{i}"] = word, word + _HIGH
            sql += (
                f" AND EXISTS (SELECT 1 FROM contact_word o WHERE o.contact_id = c.id"
                f" AND o.word >= :lo{i} AND o.word < :hi{i})"
            )
        for row in reader.rows(sql, params):
            if row["id"] not in seen and word_lists_match(queries, name_word_lists(row["name"])):
                seen[row["id"]] = row
    return sorted(seen.values(), key=lambda r: (normalize(r["name"]), r["id"]))


def _by_prefix(reader: Reader, column: str, prefix: str) -> list[Row]:
    return reader.rows(
        f"SELECT id, name, company, archived FROM contact "
        f"WHERE {column} >= :lo AND {column} < :hi ORDER BY name_norm, id LIMIT 50",
        {"lo": prefix, "hi": prefix + _HIGH},
    )


def find_candidates(reader: Reader, text: str) -> list[Row]:
    """Every contact ``text`` could name, best kind of match first."""
    text = text.strip()
    if not text:
        raise InvalidInput("name a contact: an id, an email or a name")
    digits = text.removeprefix("#")
    # isdecimal alone lets through "²" or Arabic-Indic digits, which int() refuses
    # or reads as an id nobody typed.
    if digits.isdecimal() and digits.isascii():
        return reader.rows(
            "SELECT id, name, company, archived FROM contact WHERE id = :id",
            {"id": int(digits)},
        )
    if "@" in text:
        rows = reader.rows(
            "SELECT DISTINCT c.id, c.name, c.company, c.archived FROM channel ch "
            "JOIN contact c ON c.id = ch.contact_id "
            "WHERE ch.kind = 'email' AND ch.value_norm = :v ORDER BY c.id",
            {"v": text.casefold()},
        )
        if rows:
            return rows
    norm = normalize(text)
    exact = reader.rows(
        "SELECT id, name, company, archived FROM contact WHERE name_norm = :n ORDER BY id",
        {"n": norm},
    )
    if _any_active(exact):
        return exact
    prefixed = _by_words(reader, text)
    # An archived contact answers only when no active one does: an archived
    # "Paul" must not hide the active "Paul Durand" that "paul" also names.
    if _any_active(prefixed):
        return prefixed
    return exact or prefixed


def _any_active(rows: list[Row]) -> bool:
    return any(not r["archived"] for r in rows)


def resolve_who(reader: Reader, text: str) -> int:
    """The id of the one contact ``text`` names; raises Ambiguous or NotFound."""
    rows = find_candidates(reader, text)
    active = [r for r in rows if not r["archived"]]
    if len(active) == 1 or (not active and len(rows) == 1):
        return int((active or rows)[0]["id"])
    if len(active) > 1 or len(rows) > 1:
        candidates = active or rows
        details = [_describe(r) for r in candidates[:MAX_CANDIDATES]]
        if len(candidates) > MAX_CANDIDATES:
            details.append(f"… and {len(candidates) - MAX_CANDIDATES} more")
        raise Ambiguous(
            f"{text!r} matches {len(candidates)} contacts; name one by its id or its full name",
            details=details,
        )
    raise NotFound(f"no contact matches {text!r}", details=_suggestions(reader, text))


def _describe(row: Row) -> str:
    extra = f" ({row['company']})" if row.get("company") else ""
    archived = " [archived]" if row.get("archived") else ""
    return f"#{row['id']}  {row['name']}{extra}{archived}"


def _suggestions(reader: Reader, text: str) -> list[str]:
    from rapidfuzz import fuzz, process, utils

    names = reader.rows("SELECT id, name, company, archived FROM contact")
    if not names:
        return ['the database has no contacts yet; add one with: netcrm add "Léa Martin"']
    choices = {r["id"]: normalize(r["name"]) for r in names}
    by_id = {r["id"]: r for r in names}
    best = process.extract(
        normalize(text), choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=3
    )
    lines = [_describe(by_id[key]) for _, score, key in best if score >= 50]
    return ["did you mean:", *lines] if lines else []


def complete_names(reader: Reader, incomplete: str, limit: int = 30) -> list[tuple[str, str]]:
    """(name, help) pairs for shell completion of a WHO argument."""
    norm = normalize(incomplete)
    seen: dict[int, Row] = {}
    for column in ("name_norm", "surname_norm"):
        for row in _by_prefix(reader, column, norm):
            if not row["archived"]:
                seen.setdefault(row["id"], row)
    rows = sorted(seen.values(), key=lambda r: normalize(r["name"]))[:limit]
    return [(r["name"], r.get("company") or f"#{r['id']}") for r in rows]
