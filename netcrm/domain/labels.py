"""Free tags and explicit keys on the four kinds of things that carry them.

One implementation for contacts, interactions, ideas and follow-ups, so that a
tag behaves the same everywhere. Tags are stored stripped and case-folded, and
compared with case and accents ignored ("Vélo", "vélo" and "velo" are one tag,
spelt as it was first given). Keys are slugs already resolved by
``netcrm.domain.keys.resolve_keys``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from netcrm.errors import InvalidInput
from netcrm.io.limits import check_name
from netcrm.store.query import grouped
from netcrm.text import normalize

if TYPE_CHECKING:
    from sqlmodel import Session

    from netcrm.store.reader import Reader

Entity = Literal["contact", "interaction", "idea", "followup"]
ENTITIES: tuple[Entity, ...] = ("contact", "interaction", "idea", "followup")


def tag_fold(name: str) -> str:
    """The form two tags are compared in: case and accents ignored ("Vélo" is "velo")."""
    return normalize(name)


def clean_tags(names: Iterable[str]) -> list[str]:
    """Tags as stored: single-spaced and case-folded, the first spelling of
    each (``velo`` after ``vélo`` is the same tag) kept."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        tag = " ".join(name.split()).casefold()
        if not tag:
            raise InvalidInput("a tag cannot be empty")
        check_name(tag, "a tag")
        if tag_fold(tag) not in seen:
            seen.add(tag_fold(tag))
            out.append(tag)
    return out


@dataclass(frozen=True)
class LabelChanges:
    """What an ``edit`` does to the tags and keys of any entity, the same way
    everywhere: ``tags``/``keys`` (not None) *set* the list, as on ``add``;
    ``add_…``/``remove_…`` change it. Keys are resolved slugs."""

    tags: Sequence[str] | None = None
    add_tags: Sequence[str] = ()
    remove_tags: Sequence[str] = ()
    keys: Sequence[str] | None = None
    add_keys: Sequence[str] = ()
    remove_keys: Sequence[str] = ()

    @property
    def touches_tags(self) -> bool:
        return self.tags is not None or bool(self.add_tags or self.remove_tags)

    @property
    def touches_keys(self) -> bool:
        return self.keys is not None or bool(self.add_keys or self.remove_keys)

    def __bool__(self) -> bool:
        return self.touches_tags or self.touches_keys


def change_labels(session: Session, entity: Entity, entity_id: int, changes: LabelChanges) -> None:
    """Apply a :class:`LabelChanges`: set, then add, then remove."""
    if changes.tags is not None:
        wanted = {tag_fold(t) for t in changes.tags}
        current = _linked_tags(session, entity, entity_id)
        _unlink_tags(
            session, entity, entity_id, [i for i, n in current if tag_fold(n) not in wanted]
        )
        add_tags(session, entity, entity_id, changes.tags)
    add_tags(session, entity, entity_id, changes.add_tags)
    if changes.remove_tags:
        remove_tags(session, entity, entity_id, changes.remove_tags)
    if changes.keys is not None:
        _, link = _tables(entity)
        fk = f"{entity}_id"
        current_keys = [r.key for r in session.exec(_select_links(link, fk, entity_id))]  # type: ignore[attr-defined]
        remove_keys(session, entity, entity_id, [k for k in current_keys if k not in changes.keys])
        add_keys(session, entity, entity_id, changes.keys)
    add_keys(session, entity, entity_id, changes.add_keys)
    if changes.remove_keys:
        remove_keys(session, entity, entity_id, changes.remove_keys)


def _tables(entity: Entity) -> tuple[Any, Any]:
    from netcrm.domain import models as m

    tables: dict[str, tuple[Any, Any]] = {
        "contact": (m.ContactTag, m.ContactKey),
        "interaction": (m.InteractionTag, m.InteractionKey),
        "idea": (m.IdeaTag, m.IdeaKey),
        "followup": (m.FollowupTag, m.FollowupKey),
    }
    return tables[entity]


def tag_ids(conn: Any, names: Sequence[str], *, create: bool) -> dict[str, list[int]]:
    """The ids of the stored tags each (clean) name stands for, compared by
    :func:`tag_fold`: one id, or several in a database that kept "velo" and
    "vélo" apart before tags ignored accents; with ``create`` a missing tag is
    made under the name given. ``conn`` is a SQLAlchemy connection."""
    from sqlalchemy import insert, text

    from netcrm.domain.models import Tag

    found: dict[str, list[int]] = {}
    if not names:
        return {}
    for tag_id, name in conn.execute(text("SELECT id, name FROM tag ORDER BY id")):
        found.setdefault(tag_fold(name), []).append(int(tag_id))
    result: dict[str, list[int]] = {}
    for name in names:
        ids = found.get(tag_fold(name), [])
        if not ids and create:
            inserted = conn.execute(insert(Tag.__table__).values(name=name))  # type: ignore[attr-defined]
            ids = found[tag_fold(name)] = [int(inserted.inserted_primary_key[0])]
        result[name] = ids
    return result


def _linked_tags(session: Session, entity: Entity, entity_id: int) -> list[tuple[int, str]]:
    from sqlalchemy import text

    rows = session.connection().execute(
        text(
            f"SELECT l.tag_id, t.name FROM {entity}_tag l JOIN tag t ON t.id = l.tag_id "
            f"WHERE l.{entity}_id = :id"
        ),
        {"id": entity_id},
    )
    return [(int(r[0]), r[1]) for r in rows]


def _unlink_tags(session: Session, entity: Entity, entity_id: int, ids: Sequence[int]) -> None:
    from sqlmodel import col, delete

    if ids:
        link, _ = _tables(entity)
        session.exec(  # type: ignore[call-overload]
            delete(link)
            .where(getattr(link, f"{entity}_id") == entity_id)
            .where(col(link.tag_id).in_(list(ids)))
        )
    prune_unused_tags(session)


def add_tags(session: Session, entity: Entity, entity_id: int, names: Iterable[str]) -> None:
    tags = clean_tags(names)
    if not tags:
        return
    session.flush()
    link, _ = _tables(entity)
    linked = {tag_fold(n) for _, n in _linked_tags(session, entity, entity_id)}
    for name, ids in tag_ids(session.connection(), tags, create=True).items():
        if tag_fold(name) not in linked:
            session.add(link(**{f"{entity}_id": entity_id, "tag_id": ids[0]}))
    session.flush()


def remove_tags(
    session: Session, entity: Entity, entity_id: int, names: Iterable[str]
) -> list[str]:
    """Remove tags (case and accents ignored); returns the names the entity
    did not carry."""
    tags = clean_tags(names)
    session.flush()
    linked = _linked_tags(session, entity, entity_id)
    wanted = {tag_fold(t) for t in tags}
    _unlink_tags(session, entity, entity_id, [i for i, n in linked if tag_fold(n) in wanted])
    carried = {tag_fold(n) for _, n in linked}
    return [t for t in tags if tag_fold(t) not in carried]


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


def stored_spellings(reader: Reader, names: Sequence[str]) -> dict[str, list[str]]:
    """The stored tags each name stands for, case and accents ignored (a
    filter by ``velo`` finds ``vélo``)."""
    folds: dict[str, list[str]] = {}
    for row in reader.rows("SELECT name FROM tag ORDER BY id"):
        folds.setdefault(tag_fold(row["name"]), []).append(row["name"])
    return {name: folds.get(tag_fold(name), []) for name in names}


def tags_of(reader: Reader, entity: Entity, ids: Sequence[int]) -> dict[int, list[str]]:
    """Tags of each entity id, sorted by name."""
    sql = (
        f"SELECT l.{entity}_id AS id, t.name AS name FROM {entity}_tag l "
        f"JOIN tag t ON t.id = l.tag_id WHERE l.{entity}_id IN ({{ids}}) "
        f"ORDER BY l.{entity}_id, t.name"
    )
    return {i: [r["name"] for r in rows] for i, rows in grouped(reader, sql, ids, by="id").items()}


def keys_of(reader: Reader, entity: Entity, ids: Sequence[int]) -> dict[int, list[str]]:
    """Explicit keys of each entity id, in the canonical order of the five keys."""
    from netcrm.domain.keys import KEY_SLUGS

    order = {slug: i for i, slug in enumerate(KEY_SLUGS)}
    sql = f"SELECT {entity}_id AS id, key FROM {entity}_key WHERE {entity}_id IN ({{ids}})"
    return {
        i: sorted((r["key"] for r in rows), key=lambda k: order.get(k, 99))
        for i, rows in grouped(reader, sql, ids, by="id").items()
    }
