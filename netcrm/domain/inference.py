"""Inferred keys: the rules that read the five keys out of what you did.

Keys are given explicitly (``--key``, stored in the ``*_key`` tables) or
inferred by the rules below, which are computed at read time and never stored.
Every rule is one small :class:`Rule` — slug, key, the kind of item it counts,
a one-line explanation (``netcrm keys`` prints it) and one plain SQL query
selecting the ids of the items it matches over a period — so the whole policy
reads top to bottom in :data:`RULES`.

Counting (``netcrm report keys``):

- The unit is **one count per item per key**. An item is a contact, an
  interaction, an idea or a follow-up. An item matching two rules of one key
  counts once for that key; an item may count for several keys.
- An item counts for a period when it was *active* in it (:data:`ACTIVE_SQL`,
  "in the period" of :mod:`netcrm.domain.figures`): a contact added in it (an
  archived contact never counts), an interaction that happened in it, an idea
  created or moved to another status in it (checking a step does not count),
  a follow-up created or done in it. Every rule only matches active items, so
  explicit and inferred counts cover the same items.
- **Explicit** for key K: active items carrying K in their ``*_key`` table.
  **Inferred** for K: active items matched by a rule of K that do *not* carry K
  explicitly. The two never overlap, so ``total = explicit + inferred`` counts
  each (item, key) once.

"Bigger" in the self-esteem rules applies to both outreach and proposals, as in
PRODUCT.md §1 ("outreach and proposals to contacts marked bigger"): writing to
anyone is ordinary; daring to write to a bigger name is the key. A proposal is
the one of :mod:`netcrm.domain.figures`: an idea's first move into
``proposed``, ``accepted`` or ``declined``, dated by that move; accepting in
November an idea proposed in May is not a new proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from netcrm.domain.figures import PROPOSALS_IN_PERIOD_SQL, Period, all_time
from netcrm.domain.keys import KEY_SLUGS
from netcrm.domain.labels import ENTITIES, Entity

if TYPE_CHECKING:
    from netcrm.store.reader import Reader


# Items in the period, per kind of item (netcrm.domain.figures): an archived
# contact is never counted as a contact; a checked step does not make an idea active.
_IDEA_ACTIVE = (
    "((d.created_at >= :since AND d.created_at < :until) "
    "OR EXISTS (SELECT 1 FROM idea_event e WHERE e.idea_id = d.id "
    "AND e.at >= :since AND e.at < :until))"
)
_CONTACT_NEW = "(c.created_at >= :since AND c.created_at < :until AND c.archived = :no)"
_INTERACTION_IN = "(i.occurred_on >= :since AND i.occurred_on < :until)"
_FOLLOWUP_ACTIVE = (
    "((f.created_at >= :since AND f.created_at < :until) "
    "OR (f.done_at >= :since AND f.done_at < :until))"
)
# i2 came before i: an earlier date, or the same date and an earlier time (an
# exchange without a time first), or the same moment and logged before.
_EARLIER = (
    "(i2.occurred_on < i.occurred_on OR (i2.occurred_on = i.occurred_on AND "
    "(COALESCE(i2.occurred_time, '') < COALESCE(i.occurred_time, '') OR "
    "(COALESCE(i2.occurred_time, '') = COALESCE(i.occurred_time, '') AND i2.id < i.id))))"
)
_CLOSE = "('personal', 'mixed')"

ACTIVE_SQL: dict[Entity, str] = {
    "contact": f"SELECT c.id AS id FROM contact c WHERE {_CONTACT_NEW}",
    "interaction": f"SELECT i.id AS id FROM interaction i WHERE {_INTERACTION_IN}",
    "idea": f"SELECT d.id AS id FROM idea d WHERE {_IDEA_ACTIVE}",
    "followup": f"SELECT f.id AS id FROM followup f WHERE {_FOLLOWUP_ACTIVE}",
}


@dataclass(frozen=True)
class Rule:
    """One inference rule: the ``entity`` items ``sql`` selects count for ``key``."""

    slug: str
    key: str
    entity: Entity
    explanation: str
    sql: str

    def items(self, reader: Reader, period: Period) -> set[int]:
        return {int(r["id"]) for r in reader.rows(self.sql, _params(period))}

    def matches(self, reader: Reader, item_id: int, period: Period) -> bool:
        sql = f"SELECT id FROM ({self.sql}) AS matched WHERE id = :item"
        return bool(reader.rows(sql, {**_params(period), "item": item_id}))


def _params(period: Period) -> dict[str, Any]:
    # Booleans as parameters: 1 in SQLite, true in PostgreSQL.
    return {**period.params(), "yes": True, "no": False}


RULES: tuple[Rule, ...] = (
    Rule(
        slug="any-idea",
        key="creativity",
        entity="idea",
        explanation="An idea created or moved to another status (a checked step does not count).",
        sql=ACTIVE_SQL["idea"],
    ),
    Rule(
        slug="idea-with-plan",
        key="action-plan",
        entity="idea",
        explanation="An idea with an action plan (at least one step) counts for action-plan.",
        sql=(
            f"SELECT d.id AS id FROM idea d WHERE {_IDEA_ACTIVE} "
            "AND EXISTS (SELECT 1 FROM idea_step s2 WHERE s2.idea_id = d.id)"
        ),
    ),
    Rule(
        slug="dated-followup",
        key="action-plan",
        entity="followup",
        explanation="A follow-up you schedule (it always has a date) or complete is a plan kept.",
        sql=ACTIVE_SQL["followup"],
    ),
    Rule(
        slug="outreach-to-bigger",
        key="self-esteem",
        entity="interaction",
        explanation="An exchange you started (direction out) with a contact marked bigger.",
        sql=(
            f"SELECT i.id AS id FROM interaction i WHERE {_INTERACTION_IN} "
            "AND i.direction = 'out' AND EXISTS (SELECT 1 FROM interaction_contact ic "
            "JOIN contact c ON c.id = ic.contact_id "
            "WHERE ic.interaction_id = i.id AND c.bigger = :yes)"
        ),
    ),
    Rule(
        slug="proposal-to-bigger",
        key="self-esteem",
        entity="idea",
        explanation=(
            "An idea proposed (first move to proposed, accepted or declined) to a bigger contact."
        ),
        sql=(
            f"SELECT d.id AS id FROM idea d WHERE d.id IN ({PROPOSALS_IN_PERIOD_SQL}) "
            "AND EXISTS (SELECT 1 FROM idea_contact dc JOIN contact c ON c.id = dc.contact_id "
            "WHERE dc.idea_id = d.id AND c.bigger = :yes)"
        ),
    ),
    Rule(
        slug="new-contact",
        key="opportunity",
        entity="contact",
        explanation="A contact added to your network (not archived) counts for opportunity.",
        sql=ACTIVE_SQL["contact"],
    ),
    Rule(
        slug="first-exchange",
        key="opportunity",
        entity="interaction",
        explanation=(
            "The first exchange logged with someone (by date, then time, then logging order)."
        ),
        sql=(
            f"SELECT i.id AS id FROM interaction i WHERE {_INTERACTION_IN} "
            "AND EXISTS (SELECT 1 FROM interaction_contact ic WHERE ic.interaction_id = i.id "
            "AND NOT EXISTS (SELECT 1 FROM interaction_contact ic2 "
            "JOIN interaction i2 ON i2.id = ic2.interaction_id "
            f"WHERE ic2.contact_id = ic.contact_id AND {_EARLIER}))"
        ),
    ),
    Rule(
        slug="close-contact",
        key="emotional-intelligence",
        entity="contact",
        explanation="A contact added (not archived) whose relationship is personal or mixed.",
        sql=(
            f"SELECT c.id AS id FROM contact c WHERE {_CONTACT_NEW} AND c.relationship IN {_CLOSE}"
        ),
    ),
    Rule(
        slug="close-exchange",
        key="emotional-intelligence",
        entity="interaction",
        explanation="An exchange with a contact whose relationship is personal or mixed.",
        sql=(
            f"SELECT i.id AS id FROM interaction i WHERE {_INTERACTION_IN} "
            "AND EXISTS (SELECT 1 FROM interaction_contact ic "
            "JOIN contact c ON c.id = ic.contact_id "
            f"WHERE ic.interaction_id = i.id AND c.relationship IN {_CLOSE})"
        ),
    ),
)


def rules_for(key: str) -> list[Rule]:
    return [rule for rule in RULES if rule.key == key]


def key_rows() -> list[dict[str, Any]]:
    """One row per key (``netcrm keys --json``, the MCP keys resource): slug,
    label, aliases, the article's idea, the meaning in netcrm, and its rules."""
    from netcrm.domain.keys import KEYS

    return [
        {
            "key": k.slug,
            "label": k.label,
            "aliases": list(k.aliases),
            "idea": k.idea,
            "meaning": k.meaning,
            "rules": [
                {"slug": r.slug, "counts": r.entity, "explanation": r.explanation}
                for r in rules_for(k.slug)
            ],
        }
        for k in KEYS
    ]


# --- counting ------------------------------------------------------------------------

Items = dict[str, dict[Entity, set[int]]]


def _empty() -> Items:
    return {key: {entity: set() for entity in ENTITIES} for key in KEY_SLUGS}


def _explicit_all(reader: Reader) -> Items:
    """Every item carrying each key explicitly, whatever its date."""
    found = _empty()
    for entity in ENTITIES:
        for row in reader.rows(f"SELECT {entity}_id AS id, key FROM {entity}_key"):
            if row["key"] in found:
                found[row["key"]][entity].add(int(row["id"]))
    return found


def active_items(reader: Reader, period: Period) -> dict[Entity, set[int]]:
    return {
        entity: {int(r["id"]) for r in reader.rows(sql, _params(period))}
        for entity, sql in ACTIVE_SQL.items()
    }


@dataclass(frozen=True)
class KeyItems:
    """The items behind each key's counts over a period."""

    explicit: Items
    inferred: Items

    def count(self, key: str, which: str) -> int:
        items = self.explicit if which == "explicit" else self.inferred
        return sum(len(ids) for ids in items[key].values())


def key_items(reader: Reader, period: Period) -> KeyItems:
    """Explicit and inferred items per key and kind of item (see the module
    docstring): disjoint for each key by construction."""
    carried = _explicit_all(reader)
    active = active_items(reader, period)
    explicit = _empty()
    inferred = _empty()
    for key in KEY_SLUGS:
        for entity in ENTITIES:
            explicit[key][entity] = carried[key][entity] & active[entity]
    for rule in RULES:
        matched = rule.items(reader, period) - carried[rule.key][rule.entity]
        inferred[rule.key][rule.entity] |= matched
    return KeyItems(explicit=explicit, inferred=inferred)


@dataclass(frozen=True)
class KeyCount:
    key: str
    explicit: int
    inferred: int

    @property
    def total(self) -> int:
        return self.explicit + self.inferred


def count_keys(reader: Reader, period: Period) -> list[KeyCount]:
    """Explicit and inferred counts of the five keys, in canonical order."""
    items = key_items(reader, period)
    return [
        KeyCount(key, items.count(key, "explicit"), items.count(key, "inferred"))
        for key in KEY_SLUGS
    ]


def inferred_keys_of(reader: Reader, entity: Entity, item_id: int, *, today: date) -> list[str]:
    """Keys the rules give one item over all time, in canonical order (the
    explicit ones included if a rule also matches)."""
    period = all_time(today)
    keys = {
        rule.key
        for rule in RULES
        if rule.entity == entity and rule.matches(reader, item_id, period)
    }
    return [key for key in KEY_SLUGS if key in keys]
