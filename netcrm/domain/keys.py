"""The five networking keys of the source article (PRODUCT.md §1).

A fixed vocabulary, kept apart from free tags: each key has a canonical slug
(stored in the database), a label, aliases and the article's advice.

How a typed key is resolved (:func:`resolve_key`):

- Case and accents do not matter; spaces, underscores and apostrophes count as
  hyphens, so ``plan d'action``, ``Plan_D_Action`` and ``plan-d-action`` are
  the same.
- A slug or an alias matches exactly (``eq`` is emotional-intelligence).
- Otherwise any prefix of three characters or more that starts a slug or an
  alias of only one key matches it (``crea``, ``plan``, ``self``, ``opp``,
  ``emo``, ``estime``). No prefix of the current vocabulary is ambiguous (a
  test keeps it so), but a prefix shared by two keys would be refused.
- :func:`resolve_keys` also splits comma-separated values, so
  ``--key crea,opp`` works like ``--key crea --key opp``.

``Key.coaching`` may hold a ``{period}`` placeholder ("90 days"), filled by
:meth:`Key.coach`, for the coaching line of ``netcrm report keys``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from netcrm.errors import InvalidInput
from netcrm.text import normalize

__all__ = ["KEYS", "KEY_SLUGS", "Key", "get_key", "key_token", "resolve_key", "resolve_keys"]


@dataclass(frozen=True)
class Key:
    slug: str
    label: str
    aliases: tuple[str, ...]
    # The article's idea, what it means in netcrm, and advice when it is the weakest key.
    idea: str
    meaning: str
    coaching: str
    # What the key counts, for the coaching line when the count is not zero.
    measure: str = ""

    def coach(self, period: str, count: int = 0) -> str:
        """The coaching line for a period such as ``"90 days"``: the article's
        words when the key has nothing in that period, else the count said
        plainly with the same advice ("… only 2 in 90 days — …")."""
        if count <= 0 or not self.measure:
            return self.coaching.format(period=period)
        advice = self.coaching.split(" — ", 1)[-1]
        return f"{self.measure}: only {count} in {period} — {advice}"


KEYS: tuple[Key, ...] = (
    Key(
        slug="creativity",
        label="Creativity",
        aliases=("créativité", "creative", "créatif"),
        idea="Propose contests, articles, interviews, unique events; original partnership ideas.",
        meaning="Collaboration ideas of every kind.",
        coaching=(
            "No collaboration idea created or moved in {period} — propose a contest, "
            "an article, an interview or a unique event to someone whose work you like."
        ),
        measure="Collaboration ideas created or moved",
    ),
    Key(
        slug="action-plan",
        label="Action plan",
        aliases=("plan-d-action", "action plan", "plan"),
        idea=(
            "Always bring a concrete plan; a proposal that needs too much preparation "
            "never happens."
        ),
        meaning="Ideas with steps, due dates, small effort.",
        coaching=(
            "No idea with a plan in {period} — give one idea three small dated steps: "
            "a proposal that needs too much preparation never happens."
        ),
        measure="Ideas with a plan",
    ),
    Key(
        slug="self-esteem",
        label="Self-esteem",
        aliases=("estime-de-soi", "self esteem", "confiance-en-soi", "confidence", "audace"),
        idea="Dare to approach people 'bigger' than you; qui ne tente rien n'a rien.",
        meaning="Outreach and proposals to contacts marked bigger.",
        coaching=(
            "No outreach or proposal to a bigger name in {period} — qui ne tente rien "
            "n'a rien: "
            "who would you love to interview?"
        ),
        measure="Outreach and proposals to bigger names",
    ),
    Key(
        slug="opportunity",
        label="Opportunity",
        aliases=("bonne-occasion", "occasion", "opportunité"),
        idea="Seize the moment when a connection is felt; join networks, forums, blogs.",
        meaning="New contacts, where they came from, warm first exchanges.",
        coaching=(
            "No new connection in {period} — join a network, a forum or a blog's "
            "conversation, and when a connection is felt, seize the moment."
        ),
        measure="New connections",
    ),
    Key(
        slug="emotional-intelligence",
        label="Emotional intelligence",
        aliases=(
            "intelligence-émotionnelle",
            "emotional intelligence",
            "eq",
            "ei",
            "qe",
        ),
        idea=(
            "Real friendships will grow; don't mix personal and business too much; "
            "only projects that make sense."
        ),
        meaning="Relationship warmth, personal vs business balance.",
        coaching=(
            "No warm exchange in {period} — check in on someone with no request attached; "
            "friendships grow from there, as long as the projects you share make sense."
        ),
        measure="Warm exchanges with friends and mixed relations",
    ),
)

KEY_SLUGS: tuple[str, ...] = tuple(key.slug for key in KEYS)

_UNKNOWN = "unknown key {text!r}; the five keys are: " + ", ".join(KEY_SLUGS)
# Shorter prefixes ("co", "e") would match too much to mean anything.
_MIN_PREFIX = 3


def key_token(text: str) -> str:
    """The form keys are compared in: ``"Plan d'Action"`` → ``"plan-d-action"``."""
    return re.sub(r"[-\s_']+", "-", normalize(text)).strip("-")


# Every name a key answers to, in its compared form, mapped to the slug.
_NAMES: dict[str, str] = {
    key_token(name): key.slug for key in KEYS for name in (key.slug, *key.aliases)
}
_BY_SLUG: dict[str, Key] = {key.slug: key for key in KEYS}


def get_key(slug: str) -> Key:
    """The :class:`Key` for a canonical slug (use :func:`resolve_key` for user text)."""
    try:
        return _BY_SLUG[slug]
    except KeyError:
        raise InvalidInput(_UNKNOWN.format(text=slug)) from None


def resolve_key(text: str) -> str:
    """The slug a typed key means: a slug, an alias or an unambiguous prefix."""
    token = key_token(text)
    if token in _NAMES:
        return _NAMES[token]
    if len(token) >= _MIN_PREFIX:
        slugs = {slug for name, slug in _NAMES.items() if name.startswith(token)}
        if len(slugs) == 1:
            return slugs.pop()
        if len(slugs) > 1:
            candidates = ", ".join(slug for slug in KEY_SLUGS if slug in slugs)
            raise InvalidInput(f"ambiguous key {text!r}: it could be {candidates}")
    raise InvalidInput(_UNKNOWN.format(text=text))


def resolve_keys(texts: Iterable[str]) -> list[str]:
    """Slugs for several typed keys (each may be comma-separated), deduplicated, in
    canonical order."""
    found: set[str] = set()
    for text in texts:
        parts = [part for part in text.split(",") if part.strip()]
        # A blank value is refused, not silently ignored.
        found.update(resolve_key(part) for part in parts or [text])
    return [slug for slug in KEY_SLUGS if slug in found]
