"""Free tags and explicit keys on the four kinds of things that carry them.

One implementation for contacts, interactions, ideas and follow-ups, so that a
tag behaves the same everywhere. Tags are stored stripped and case-folded
("Podcast" and "podcast" are one tag). Keys are slugs already resolved by
``netcrm.domain.keys.resolve_keys``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from netcrm.errors import InvalidInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.store.reader import Reader

Entity = Literal["contact", "interaction", "idea", "followup"]
ENTITIES: tuple[Entity, ...] = ("contact", "interaction", "idea", "followup")


def clean_tags(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        tag = " ".join(name.split()).casefold()
        if not tag:
            raise InvalidInput("a tag cannot be empty")
        if tag not in out:
            out.append(tag)
    return out


def _tables(entity: Entity) -> tuple[Any, Any]:
    from netcrm.domain import models as m

    tables: dict[str, tuple[Any, Any]] = {
        "contact": (m.ContactTag, m.ContactKey),
        "interaction": (m.InteractionTag, m.InteractionKey),
        "idea": (m.IdeaTag, m.IdeaKey),
        "followup": (m.FollowupTag, m.FollowupKey),
    }
    return tables[entity]


def _tag_ids(session: Session, names: Sequence[str], *, create: bool) -> dict[str, int]:
    from sqlmodel import col, select

    from netcrm.domain.models import Tag

    found = {t.name: t.id for t in session.exec(select(Tag).where(col(Tag.name).in_(names)))}
    if create:
        for name in names:
            if name not in found:
                tag = Tag(name=name)
                session.add(tag)
                session.flush()
                found[name] = tag.id
    return {k: v for k, v in found.items() if v is not None}


def add_tags(session: Session, entity: Entity, entity_id: int, names: Iterable[str]) -> None:
    tags = clean_tags(names)
    if not tags:
        return
    link, _ = _tables(entity)
    fk = f"{entity}_id"
    existing = {
        r.tag_id
        for r in session.exec(_select_links(link, fk, entity_id))  # type: ignore[attr-defined]
    }
    for tag_id in _tag_ids(session, tags, create=True).values():
        if tag_id not in existing:
            session.add(link(**{fk: entity_id, "tag_id": tag_id}))
    session.flush()


def remove_tags(session: Session, entity: Entity, entity_id: int, names: Iterable[str]) -> None:
    from sqlmodel import col, delete

    tags = clean_tags(names)
    link, _ = _tables(entity)
    fk = f"{entity}_id"
    ids = list(_tag_ids(session, tags, create=False).values())
    if ids:
        session.exec(  # type: ignore[call-overload]
            delete(link).where(getattr(link, fk) == entity_id).where(col(link.tag_id).in_(ids))
        )
    prune_unused_tags(session)


def add_keys(session: Session, entity: Entity, entity_id: int, slugs: Iterable[str]) -> None:
    _, link = _tables(entity)
    fk = f"{entity}_id"
    existing = {r.key for r in session.exec(_select_links(link, fk, entity_id))}  # type: ignore[attr-defined]
    for slug in slugs:
        if slug not in existing:
            session.add(link(**{fk: entity_id, "key": slug}))
            existing.add(slug)
    session.flush()


def remove_keys(session: Session, entity: Entity, entity_id: int, slugs: Iterable[str]) -> None:
    from sqlmodel import col, delete

    _, link = _tables(entity)
    fk = f"{entity}_id"
    session.exec(  # type: ignore[call-overload]
        delete(link).where(getattr(link, fk) == entity_id).where(col(link.key).in_(list(slugs)))
    )


def _select_links(link: Any, fk: str, entity_id: int) -> Any:
    from sqlmodel import select

    return select(link).where(getattr(link, fk) == entity_id)


def prune_unused_tags(session: Session) -> None:
    """Forget tags nothing carries any more (after untag, rm, merge)."""
    from sqlalchemy import text

    session.connection().execute(
        text(
            "DELETE FROM tag WHERE id NOT IN (SELECT tag_id FROM contact_tag) "
            "AND id NOT IN (SELECT tag_id FROM interaction_tag) "
            "AND id NOT IN (SELECT tag_id FROM idea_tag) "
            "AND id NOT IN (SELECT tag_id FROM followup_tag)"
        )
    )


# --- reads --------------------------------------------------------------------------


def in_clause(ids: Sequence[int]) -> tuple[str, dict[str, int]]:
    """``:id0, :id1, …`` and its parameters, for ``IN (…)`` on any driver."""
    names = [f"id{i}" for i in range(len(ids))]
    return ", ".join(f":{n}" for n in names), dict(zip(names, ids, strict=True))


def chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    """Slices small enough for any driver's limit on bound parameters."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def tags_of(reader: Reader, entity: Entity, ids: Sequence[int]) -> dict[int, list[str]]:
    """Tags of each entity id, sorted by name."""
    result: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return result
    for part in chunks(ids):
        placeholders, params = in_clause(part)
        sql = (
            f"SELECT l.{entity}_id AS id, t.name AS name FROM {entity}_tag l "
            f"JOIN tag t ON t.id = l.tag_id WHERE l.{entity}_id IN ({placeholders}) "
            f"ORDER BY l.{entity}_id, t.name"
        )
        for row in reader.rows(sql, params):
            result[row["id"]].append(row["name"])
    return result


def keys_of(reader: Reader, entity: Entity, ids: Sequence[int]) -> dict[int, list[str]]:
    """Explicit keys of each entity id, in the canonical order of the five keys."""
    from netcrm.domain.keys import KEY_SLUGS

    result: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return result
    for part in chunks(ids):
        placeholders, params = in_clause(part)
        sql = (
            f"SELECT {entity}_id AS id, key FROM {entity}_key "
            f"WHERE {entity}_id IN ({placeholders}) ORDER BY {entity}_id"
        )
        for row in reader.rows(sql, params):
            result[row["id"]].append(row["key"])
    order = {slug: i for i, slug in enumerate(KEY_SLUGS)}
    for keys in result.values():
        keys.sort(key=lambda k: order.get(k, 99))
    return result
