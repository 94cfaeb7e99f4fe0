"""Full-text search over contacts, interactions, ideas and follow-ups.

On SQLite the search runs on the FTS5 table ``search_index`` that migration
0003 creates and its triggers keep current (``netcrm/store/migrations/versions/
0003_search.py`` explains what each entry holds). An entry's rowid is
``kind * 2**40 + id``: a hit names its row without any other column, and each
kind is one contiguous rowid range.

How user text becomes an FTS5 query: it is split on white space, every piece
holding a letter or digit becomes a double-quoted FTS5 string (``"`` doubled
inside), so no character a user types — ``"``, ``*``, ``:``, ``(``, ``-``,
``NEAR``, ``AND`` — is ever read as query syntax; pieces are ANDed, and the
last one is a prefix (``"elo"*``), so a search narrows as it is typed. Case and
accents never matter (``unicode61 remove_diacritics 2``: ``elodie`` finds
"Élodie", and so does ``ÉLODIE``). Hits are ranked by bm25 with the weights the
migration stored (title over details over notes), best first.

Staying fast on a big network: bm25 must be computed for every match before
the best can be picked, so a common word ("call", "webinar": tens of thousands
of interactions at 100k contacts) would cost time in proportion to the network
(140 ms for 70k matches). So the ranking looks, for each kind, at its newest
``WINDOW`` matches only — FTS5 reads them by seeking to the end of the kind's
rowid range and walking back — and returns the best ``limit`` of those. A
query with fewer matches than that (every name, most words) gets the exact
bm25 order; one with more ranks its newest ``WINDOW`` matches per kind, where
bm25 scores are near-equal anyway and recency is what a person wants. What
still grows with a common word is bm25's IDF, which FTS5 gets by counting the
word's matches once per kind queried (about 10 ms per kind at 70k matches), and
the gathering of a prefix's matches for ``"webinar"*``; a name or a rare word
costs the same at any size.
Snippets are cut in Python (``make_snippet``) from what the index holds for
the returned rows, read by rowid: an FTS5 ``snippet()`` needs the query run
again, and a prefix query (``"webinar"*``) gathers every match of the prefix
each time it runs — the ranking query is the only one that pays for it. The
Python snippet follows the tokenizer's rules (words of letters and digits,
folded, the last query word as a prefix) and serves the LIKE fallback too.
Titles, dates and contact names then come by primary key.

On PostgreSQL, migration 0005 builds the same entries in a ``search_index``
table with a generated ``tsvector`` and a GIN index; the same ranking query
runs there in its tsquery form (``PG_HITS_SQL``, ``ts_query``), and everything
after it (content by rowid, snippets, titles) is the same SQL.

Other databases have no ``search_index``: there the search falls
back to case-insensitive substring matching over the tables themselves
(``LOWER(column) LIKE '%term%'`` — PostgreSQL's ``ILIKE``, written so that it
also runs on SQLite, where the tests exercise it). It is a scan; it is meant for
a shared CRM of modest size. Contact names and channel values are compared in
their folded columns (``name_norm``, ``value_norm``), so they stay accent
insensitive there too; other text is only case-insensitive. Ranking is coarse:
a title that holds every term first, then the newest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from netcrm.errors import InvalidInput
from netcrm.store.query import rows_for
from netcrm.store.values import DATE
from netcrm.text import normalize

if TYPE_CHECKING:
    from netcrm.store.reader import Reader, Row

TYPES: tuple[str, ...] = ("contact", "interaction", "idea", "followup")
# Kind codes in the rowid of search_index (migration 0003): rowid = code * SPAN + id.
KIND_CODE = {"contact": 1, "interaction": 2, "idea": 3, "followup": 4}
KIND_OF_CODE = {code: kind for kind, code in KIND_CODE.items()}
SPAN = 1 << 40
_TYPE_ALIASES = {
    "contacts": "contact",
    "people": "contact",
    "interactions": "interaction",
    "log": "interaction",
    "ideas": "idea",
    "followups": "followup",
    "follow-up": "followup",
    "follow-ups": "followup",
}
DEFAULT_LIMIT = 20
# The keys of a hit, in order: the rows of `search --json` and of the MCP search tool.
SEARCH_KEYS = ("type", "id", "title", "contact", "date", "snippet", "rank")
# Matches of each kind that are ranked (see the module docstring).
WINDOW = 1000
# Marks around the matched words in snippets, for the caller to style.
PLAIN_MARKS = ("", "")
SNIPPET_TOKENS = 12
# A word as the index's tokenizer (unicode61) sees one: letters and digits.
_WORD = re.compile(r"[^\W_]+")

# The best hits: per kind (``:lo1``/``:hi1`` … ``:lo4``/``:hi4``, an empty range
# for a kind not asked for), its newest ``:window`` matches with their rank.
_NEWEST_OF_KIND = (
    "SELECT * FROM (SELECT rowid AS hit, rank AS score FROM search_index "
    "WHERE search_index MATCH :query AND rowid BETWEEN :lo{n} AND :hi{n} "
    "ORDER BY rowid DESC LIMIT :window)"
)


def _best_of_kinds(newest_of_kind: str) -> str:
    """The four kinds' newest matches, best first."""
    kinds = " UNION ALL ".join(newest_of_kind.format(n=n) for n in range(1, 5))
    return kinds + " ORDER BY score, hit DESC LIMIT :limit"


HITS_SQL = _best_of_kinds(_NEWEST_OF_KIND)
# The same on PostgreSQL (migration 0005): ``doc`` is the tsvector of title (A),
# detail (B) and body (C), ranked 1.0/0.4/0.1 as bm25(10, 4, 1) weighs them, a
# word found more often ranking higher; negated, so that lower is better, as
# bm25's score is. Close calls may order differently from bm25 (which also
# weighs rare words more and short entries a little): the hits themselves are
# the same (tests/test_differential.py), and so is every order the tests state.
_PG_NEWEST_OF_KIND = (
    "SELECT * FROM (SELECT rowid AS hit, -ts_rank('{{0, 0.1, 0.4, 1.0}}', doc, q, 0) AS score "
    "FROM search_index, to_tsquery('simple', search_fold(:query)) AS q "
    "WHERE doc @@ q AND rowid BETWEEN :lo{n} AND :hi{n} "
    "ORDER BY rowid DESC LIMIT :window) AS kind{n}"
)
PG_HITS_SQL = _best_of_kinds(_PG_NEWEST_OF_KIND)
# What the index holds for some hits, by rowid (``{ids}`` is an in_clause).
CONTENT_SQL = "SELECT rowid AS hit, title, detail, body FROM search_index WHERE rowid IN ({ids})"

# The titles, dates and contact names of the hits; ``{ids}`` is an in_clause.
CONTACT_ROWS_SQL = "SELECT id, name AS title, NULL AS date FROM contact WHERE id IN ({ids})"
INTERACTION_ROWS_SQL = (
    "SELECT id, summary AS title, occurred_on AS date FROM interaction WHERE id IN ({ids})"
)
IDEA_ROWS_SQL = "SELECT id, title, NULL AS date FROM idea WHERE id IN ({ids})"
FOLLOWUP_ROWS_SQL = "SELECT id, text AS title, due AS date FROM followup WHERE id IN ({ids})"
INTERACTION_NAMES_SQL = (
    "SELECT l.interaction_id AS id, c.name FROM interaction_contact l "
    "JOIN contact c ON c.id = l.contact_id WHERE l.interaction_id IN ({ids}) "
    "ORDER BY l.interaction_id, c.name_norm, c.id"
)
IDEA_NAMES_SQL = (
    "SELECT l.idea_id AS id, c.name FROM idea_contact l "
    "JOIN contact c ON c.id = l.contact_id WHERE l.idea_id IN ({ids}) "
    "ORDER BY l.idea_id, c.name_norm, c.id"
)
FOLLOWUP_NAMES_SQL = (
    "SELECT f.id, c.name FROM followup f JOIN contact c ON c.id = f.contact_id "
    "WHERE f.id IN ({ids}) ORDER BY f.id"
)
ROWS_SQL = {
    "contact": CONTACT_ROWS_SQL,
    "interaction": INTERACTION_ROWS_SQL,
    "idea": IDEA_ROWS_SQL,
    "followup": FOLLOWUP_ROWS_SQL,
}
NAMES_SQL = {
    "interaction": INTERACTION_NAMES_SQL,
    "idea": IDEA_NAMES_SQL,
    "followup": FOLLOWUP_NAMES_SQL,
}


# --- the query ------------------------------------------------------------------------


def search_terms(text: str) -> list[str]:
    """The pieces of ``text`` that can match anything: those with a letter or
    digit (the tokenizer drops the rest, and an empty FTS5 string matches
    nothing, which would empty the whole AND)."""
    # A NUL would end the query string inside SQLite's C code.
    return [t for t in text.replace("\x00", " ").split() if any(ch.isalnum() for ch in t)]


def fts_query(terms: Sequence[str]) -> str:
    """An FTS5 query matching every term, the last one as a prefix."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def ts_query(terms: Sequence[str]) -> str:
    """The tsquery twin of :func:`fts_query`: the words of each term in a row
    (``<->``), terms ANDed, the last word a prefix (``:*``). Words are runs of
    letters and digits, so nothing typed is read as tsquery syntax; the
    server folds case and accents (``search_fold``) as it did for the index."""
    phrases = []
    for term in terms:
        words = _WORD.findall(term)
        if words:
            phrases.append(" <-> ".join(f"'{w}'" for w in words))
    return " & ".join(phrases) + ":*" if phrases else ""


def check_types(values: Iterable[str] | None) -> list[str]:
    """The types asked for (all when none), in the canonical order."""
    wanted: set[str] = set()
    for value in values or ():
        v = value.strip().casefold()
        v = _TYPE_ALIASES.get(v, v)
        if v not in TYPES:
            raise InvalidInput(f"unknown type {value!r}; use one of {', '.join(TYPES)}")
        wanted.add(v)
    return [t for t in TYPES if t in wanted] if wanted else list(TYPES)


def search(
    reader: Reader,
    text: str,
    *,
    types: Iterable[str] | None = None,
    limit: int = DEFAULT_LIMIT,
    marks: tuple[str, str] = PLAIN_MARKS,
) -> list[dict[str, Any]]:
    """The best ``limit`` hits for ``text``, best first.

    Each row: ``type`` (contact, interaction, idea, followup), ``id``,
    ``title`` (name, summary, idea title, follow-up text), ``contact`` (the
    names of the contacts involved, joined by ``, ``; null for a contact and
    for what involves nobody), ``date`` (an interaction's day, a follow-up's
    due date, else null), ``snippet`` (the matching passage, matched words
    between ``marks``) and ``rank`` (lower is better).
    """
    kinds = check_types(types)
    if limit < 1:
        raise InvalidInput(f"--limit must be at least 1, not {limit}")
    terms = search_terms(text)
    if not terms:
        raise InvalidInput(
            f"{text.strip()!r} holds no word to search for (example: netcrm search webinar)"
        )
    if reader.dialect in ("sqlite", "postgresql"):
        hits = _fts_hits(reader, terms, kinds, limit, marks)
    else:
        hits = fallback_hits(reader, terms, kinds, limit, marks)
    return _complete(reader, hits)


def _fts_hits(
    reader: Reader, terms: list[str], kinds: list[str], limit: int, marks: tuple[str, str]
) -> list[dict[str, Any]]:
    sqlite = reader.dialect == "sqlite"
    query = fts_query(terms) if sqlite else ts_query(terms)
    params: dict[str, Any] = {"query": query, "window": WINDOW, "limit": limit}
    for kind, code in KIND_CODE.items():
        asked = kind in kinds
        params[f"lo{code}"] = code * SPAN if asked else 1
        params[f"hi{code}"] = code * SPAN + SPAN - 1 if asked else 0
    ranked = reader.rows(HITS_SQL if sqlite else PG_HITS_SQL, params)
    content = {
        row["hit"]: row for row in rows_for(reader, CONTENT_SQL, [row["hit"] for row in ranked])
    }
    hits = []
    for row in ranked:
        entry = content.get(row["hit"], {})
        texts = [entry.get("title"), entry.get("detail"), entry.get("body")]
        hits.append(
            {
                "type": KIND_OF_CODE[row["hit"] // SPAN],
                "id": row["hit"] % SPAN,
                "snippet": make_snippet(texts, terms, marks),
                "rank": row["score"],
            }
        )
    return hits


def _complete(reader: Reader, hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add title, date and contact names to the hits, by primary key."""
    by_type: dict[str, list[int]] = {}
    for hit in hits:
        by_type.setdefault(hit["type"], []).append(hit["id"])
    details: dict[tuple[str, int], Row] = {}
    names: dict[tuple[str, int], list[str]] = {}
    for kind, ids in by_type.items():
        for row in rows_for(reader, ROWS_SQL[kind], ids, types={"date": DATE}):
            details[(kind, row["id"])] = row
        if kind in NAMES_SQL:
            for row in rows_for(reader, NAMES_SQL[kind], ids):
                names.setdefault((kind, row["id"]), []).append(row["name"])
    out = []
    for hit in hits:
        key = (hit["type"], hit["id"])
        detail = details.get(key)
        if detail is None:  # pragma: no cover - the triggers keep the index exact
            continue
        who = names.get(key)
        out.append(
            {
                "type": hit["type"],
                "id": hit["id"],
                "title": detail["title"],
                "contact": ", ".join(who) if who else None,
                "date": detail["date"],
                "snippet": hit["snippet"],
                "rank": hit["rank"],
            }
        )
    return out


# --- the fallback: LIKE over the tables -------------------------------------------------


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Per type: the title expression, the other searchable texts, and the date.
# ``{t}`` is one term's parameter (its case-folded form), ``{n}`` the same
# term accent-folded, for the columns netcrm stores folded.
_FALLBACK: dict[str, dict[str, Any]] = {
    "contact": {
        "table": "contact",
        "title": "x.name",
        "date": "NULL",
        "title_match": "x.name_norm LIKE {n} ESCAPE '\\'",
        "fields": ("x.company", "x.role", "x.location", "x.notes"),
        "extra": (
            "EXISTS (SELECT 1 FROM channel ch WHERE ch.contact_id = x.id "
            "AND (LOWER(ch.value) LIKE {t} ESCAPE '\\' OR ch.value_norm LIKE {n} ESCAPE '\\'))"
        ),
    },
    "interaction": {
        "table": "interaction",
        "title": "x.summary",
        "date": "x.occurred_on",
        "title_match": "LOWER(x.summary) LIKE {t} ESCAPE '\\'",
        "fields": (),
        "extra": None,
    },
    "idea": {
        "table": "idea",
        "title": "x.title",
        "date": "NULL",
        "title_match": "LOWER(x.title) LIKE {t} ESCAPE '\\'",
        "fields": ("x.notes",),
        "extra": (
            "EXISTS (SELECT 1 FROM idea_step s WHERE s.idea_id = x.id "
            "AND LOWER(s.text) LIKE {t} ESCAPE '\\')"
        ),
    },
    "followup": {
        "table": "followup",
        "title": "x.text",
        "date": "x.due",
        "title_match": "LOWER(x.text) LIKE {t} ESCAPE '\\'",
        "fields": ("x.done_note",),
        "extra": None,
    },
}


def fallback_sql(kind: str, n_terms: int) -> str:
    """The LIKE query of one type for ``n_terms`` terms (``:t0``/``:n0``…)."""
    spec = _FALLBACK[kind]
    every, in_title = [], []
    for i in range(n_terms):
        t, n = f":t{i}", f":n{i}"
        title = spec["title_match"].format(t=t, n=n)
        anywhere = [title]
        anywhere += [f"LOWER({f}) LIKE {t} ESCAPE '\\'" for f in spec["fields"]]
        if spec["extra"]:
            anywhere.append(spec["extra"].format(t=t, n=n))
        every.append("(" + " OR ".join(anywhere) + ")")
        in_title.append(title)
    texts = " || ' ' || ".join(f"COALESCE({f}, '')" for f in spec["fields"]) or "''"
    return (
        f"SELECT x.id, {spec['title']} AS title, {spec['date']} AS date, {texts} AS texts, "
        f"CASE WHEN {' AND '.join(in_title)} THEN 0 ELSE 1 END AS score "
        f"FROM {spec['table']} x WHERE {' AND '.join(every)} "
        "ORDER BY score, x.id DESC LIMIT :limit"
    )


def fallback_hits(
    reader: Reader, terms: list[str], kinds: list[str], limit: int, marks: tuple[str, str]
) -> list[dict[str, Any]]:
    """Hits by substring over the tables, for databases without FTS5."""
    params: dict[str, Any] = {"limit": limit}
    for i, term in enumerate(terms):
        params[f"t{i}"] = _like(term.casefold())
        params[f"n{i}"] = _like(normalize(term))
    found: list[tuple[int, int, int, dict[str, Any]]] = []
    for order, kind in enumerate(kinds):
        for row in reader.rows(fallback_sql(kind, len(terms)), params):
            hit = {
                "type": kind,
                "id": row["id"],
                "snippet": make_snippet([row["title"], row["texts"]], terms, marks, anywhere=True),
                "rank": float(row["score"]),
            }
            found.append((row["score"], order, -row["id"], hit))
    found.sort(key=lambda f: f[:3])
    return [f[3] for f in found[:limit]]


def make_snippet(
    texts: Sequence[str | None],
    terms: Sequence[str],
    marks: tuple[str, str],
    *,
    anywhere: bool = False,
) -> str:
    """About SNIPPET_TOKENS words of the first of ``texts`` that matches, around
    its first match, matched words between ``marks``; ``…`` where it is cut.

    Matching follows the index: words are runs of letters and digits, compared
    case- and accent-folded; every query word must be whole except the very last,
    which may be the start of a word. ``anywhere`` matches query words inside
    words too (the LIKE fallback's rule).
    """
    wanted = [normalize(t) for term in terms for t in _WORD.findall(term)]
    whole, last = set(wanted[:-1]), wanted[-1] if wanted else ""

    def matches(word: str) -> bool:
        folded = normalize(word)
        if anywhere:
            return any(w in folded for w in wanted)
        return folded in whole or (bool(last) and folded.startswith(last))

    candidates = [t for t in texts if t]
    for text in candidates:
        words = list(_WORD.finditer(text))
        hits = [i for i, m in enumerate(words) if matches(m.group())]
        if hits:
            break
    else:
        if not candidates:
            return ""
        text = candidates[0]
        words, hits = list(_WORD.finditer(text)), []
    if not words:
        return text
    # A little context before the first match, and never a window cut short
    # at the end while words were left out at the start.
    first = max(0, min((hits[0] if hits else 0) - SNIPPET_TOKENS // 4, len(words) - SNIPPET_TOKENS))
    last_word = min(len(words), first + SNIPPET_TOKENS) - 1
    out = ["…" if first > 0 else ""]
    cursor = words[first].start() if first > 0 else 0
    for i in range(first, last_word + 1):
        m = words[i]
        out.append(text[cursor : m.start()])
        out.append(f"{marks[0]}{m.group()}{marks[1]}" if i in hits else m.group())
        cursor = m.end()
    if last_word < len(words) - 1:
        out.append("…")
    else:
        out.append(text[cursor:])
    return "".join(out).strip()
