"""Text normalization: case, accents and apostrophes, for every loose match;
the words of a name, for finding a person by any of them.

Pure functions, cheap to import (the base layer: no netcrm imports).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "name_word_lists",
    "name_words",
    "normalize",
    "strip_accents",
    "word_lists_match",
    "words_match",
]

# NFKD leaves these letters alone because they are not letter + accent.
_LETTER_FOLDS = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
    }
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'"})


def strip_accents(text: str) -> str:
    """``"Léa Œuvré"`` → ``"Lea OEuvre"``; case is kept."""
    if text.isascii():  # most names: skip the Unicode work (1 s per 100k on import)
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.translate(_LETTER_FOLDS)


def normalize(text: str) -> str:
    """Casefolded, accent-free, single-spaced form used for every loose match.

    Typographic apostrophes become ``'`` too, so "O’Brien" matches "O'Brien".
    """
    return " ".join(strip_accents(text.casefold()).split())


# What separates the words of a name: spaces and hyphens (of every width).
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014]+")


def name_word_lists(text: str) -> list[list[str]]:
    """The words of ``text`` folded, read twice: an apostrophe splitting a
    word ("d'arcy" → d, arcy) and dropped (→ darcy); once when there is none."""
    folded = normalize(text)
    lists: list[list[str]] = []
    for apostrophe in (" ", ""):
        words = [w for w in _SEPARATORS.split(folded.replace("'", apostrophe)) if w]
        if words not in lists:
            lists.append(words)
    return lists


def name_words(name: str) -> list[str]:
    """The distinct words of a name as ``contact_word`` stores them."""
    return sorted({w for words in name_word_lists(name) for w in words})


def words_match(query: str, name: str) -> bool:
    """Whether the words of ``query`` are prefixes of consecutive words of
    ``name``, particles included: "le gall" and "gall" for "Pierre-Yves Le Gall"."""
    return word_lists_match(name_word_lists(query), name_word_lists(name))


def word_lists_match(queries: list[list[str]], names: list[list[str]]) -> bool:
    """:func:`words_match` on lists already split by :func:`name_word_lists`."""
    for q in queries:
        if not q:
            continue
        for n in names:
            for start in range(len(n) - len(q) + 1):
                if all(n[start + k].startswith(word) for k, word in enumerate(q)):
                    return True
    return False
