"""The contact domain without the CLI: records and cards on both readers,
writes (create, update, channels, merge, delete) and their validation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netcrm.domain import contact_edit, contacts
from netcrm.domain import contact_views as views
from netcrm.domain.contacts import ContactInput
from netcrm.domain.interactions import InteractionInput, delete_interaction, log_interaction
from netcrm.errors import InvalidInput, NotFound

pytestmark = pytest.mark.both_engines

NOW = datetime(2026, 11, 27, 10, 0, 0)
TODAY = NOW.date()


@contextmanager
def session() -> Iterator[Any]:
    from netcrm.store.engine import write_session
    from netcrm.store.location import resolve_location

    with write_session(resolve_location(None)) as s:
        yield s


def readers() -> list[Any]:
    from netcrm.store.engine import ensure_schema
    from netcrm.store.location import resolve_location
    from netcrm.store.reader import SqlAlchemyReader, open_reader

    loc = resolve_location(None)
    engine = ensure_schema(loc)
    # The engine's fast reader (sqlite3 or psycopg) and the reference.
    return [open_reader(loc), SqlAlchemyReader(engine)]


def add(s: Any, name: str, *channels: tuple[str, str], **fields: Any) -> int:
    tags = fields.pop("tags", [])
    keys = fields.pop("keys", [])
    now = fields.pop("now", NOW)
    contact = contacts.create_contact(
        s,
        ContactInput(
            fields={"name": name, **fields}, channels=list(channels), tags=tags, keys=keys
        ),
        now=now,
    )
    assert contact.id is not None
    return contact.id


def log(s: Any, ids: list[int], summary: str, on: date, **extra: Any) -> int:
    interaction = log_interaction(
        s, InteractionInput(contact_ids=ids, summary=summary, on=on, **extra), now=NOW
    )
    assert interaction.id is not None
    return interaction.id


@pytest.fixture
def network() -> dict[str, int]:
    with session() as s:
        ids = {
            "lea": add(
                s,
                "Léa Martin",
                ("email", "lea@ex.fr"),
                ("phone", "+33 6 12 34 56 78"),
                ("other", "lea.m", "shapr"),
                company="ACME Studio",
                met_via="linkedin",
                birthday_month=4,
                birthday_day=12,
                cadence="FREQ=DAILY;INTERVAL=30",
                tags=["podcast", "lyon"],
                keys=["opportunity"],
                now=datetime(2026, 1, 5, 9, 0, 0),
            ),
            "paul": add(
                s,
                "Paul Durand",
                ("phone", "06 11 22 33 44"),
                company="Société Générale",
                met_via="forum",
                tags=["podcast"],
                now=datetime(2026, 2, 1, 9, 0, 0),
            ),
            "zoe": add(
                s,
                "Zoé Bernard",
                birthday_year=1990,
                birthday_month=12,
                birthday_day=3,
                keys=["creativity", "self-esteem"],
                archived=True,
                now=datetime(2026, 3, 1, 9, 0, 0),
            ),
            "adam": add(s, "Adam Newman", now=datetime(2026, 4, 1, 9, 0, 0)),
        }
        log(s, [ids["lea"], ids["paul"]], "Lunch", date(2026, 11, 20), channel="meeting")
        log(s, [ids["paul"]], "Call", date(2026, 11, 25), channel="call", tags=["x"])
    return ids


# --- records ---------------------------------------------------------------------------


def test_records_are_the_same_on_both_readers(network):
    sqlite, alchemy = readers()
    for kwargs in (
        {},
        {"archived": None},
        {"archived": True},
        {"sort": "last-contact", "archived": None},
        {"sort": "added"},
        {"tag": "podcast"},
        {"key": ["creativity", "self-esteem"], "archived": None},
        {"company": "GENERALE"},
        {"met_via": "linkedin"},
        {"limit": 2, "sort": "added"},
        {"ids": [network["paul"], network["lea"], 999]},
    ):
        assert views.contact_records(sqlite, **kwargs) == views.contact_records(
            alchemy, **kwargs
        ), kwargs
    card = views.contact_card(sqlite, network["lea"], today=TODAY)
    assert card == views.contact_card(alchemy, network["lea"], today=TODAY)


def test_record_shape(network):
    reader = readers()[0]
    [lea] = views.contact_records(reader, ids=[network["lea"]])
    assert list(lea) == list(views.RECORD_KEYS)
    assert lea["emails"] == ["lea@ex.fr"]
    assert lea["phones"] == ["+33 6 12 34 56 78"]
    assert lea["other_channels"] == ["shapr:lea.m"]
    assert lea["birthday"] == "--04-12"
    assert lea["every"] == "FREQ=DAILY;INTERVAL=30"
    # One value shape from the reader: dates, timestamps to the second, booleans.
    assert (lea["last_contact"], lea["next_touch"]) == (date(2026, 11, 20), date(2026, 12, 20))
    assert (lea["created_at"], lea["bigger"], lea["archived"]) == (
        datetime(2026, 1, 5, 9, 0, 0),
        False,
        False,
    )
    [zoe] = views.contact_records(reader, ids=[network["zoe"]], archived=None)
    assert (zoe["birthday"], zoe["archived"], zoe["keys"]) == (
        "1990-12-03",
        True,
        ["creativity", "self-esteem"],
    )


def test_filters_and_sorts(network):
    reader = readers()[0]

    def names(**kwargs: Any) -> list[str]:
        return [r["name"] for r in views.contact_records(reader, **kwargs)]

    assert names() == ["Adam Newman", "Léa Martin", "Paul Durand"]
    assert names(archived=True) == ["Zoé Bernard"]
    assert names(sort="last-contact") == ["Paul Durand", "Léa Martin", "Adam Newman"]
    assert names(sort="added", archived=None) == [
        "Adam Newman",
        "Zoé Bernard",
        "Paul Durand",
        "Léa Martin",
    ]
    assert names(tag="PODCAST") == ["Léa Martin", "Paul Durand"]
    assert names(tag=["podcast", "lyon"]) == ["Léa Martin"]
    assert names(company="societe") == ["Paul Durand"]
    assert names(company="e", limit=1) == ["Léa Martin"]
    assert names(met_via="Forum") == ["Paul Durand"]
    assert names(key="creativity") == []
    assert names(key="creativity", archived=None) == ["Zoé Bernard"]
    with pytest.raises(InvalidInput):
        names(sort="age")
    with pytest.raises(InvalidInput):
        names(met_via="tinder")
    with pytest.raises(InvalidInput):
        names(limit=-1)


class CountingReader:
    """A reader that counts its queries: records must not cost one per contact."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self.queries = 0

    def rows(self, sql: str, params: Any = None, types: Any = None) -> list[dict[str, Any]]:
        self.queries += 1
        return self.inner.rows(sql, params, types)

    def close(self) -> None:
        self.inner.close()


def test_records_cost_a_fixed_number_of_queries():
    with session() as s:
        for i in range(40):
            add(s, f"Person {i:02d}", ("email", f"p{i}@ex.fr"), tags=["t"], keys=["opportunity"])
    reader = CountingReader(readers()[0])
    records = views.contact_records(reader)
    assert len(records) == 40
    assert all(r["tags"] == ["t"] and r["emails"] for r in records)
    # contacts, channels, tags, keys
    assert reader.queries == 4


def test_more_ids_than_one_query_takes_keep_the_order():
    from sqlalchemy import text

    with session() as s:
        conn = s.connection()
        conn.execute(
            text(
                "INSERT INTO contact (name, name_norm, surname_norm, bigger, relationship, "
                "archived, created_at, updated_at, last_contact) VALUES "
                "(:name, :norm, '', false, 'business', false, :at, :at, :last)"
            ),
            [
                {
                    "name": f"N{i:03d}",
                    "norm": f"n{i:03d}",
                    # Several share a day, so the tie-breaks matter too.
                    "at": f"2026-01-{1 + i % 28:02d} 10:00:00.000000",
                    "last": None if i % 7 == 0 else f"2026-11-{1 + i % 20:02d}",
                }
                for i in range(620)
            ],
        )
    reader = readers()[0]
    everyone = [r["id"] for r in views.contact_records(reader)]
    assert len(everyone) == 620
    for sort in views.SORTS:
        in_sql = views.contact_records(reader, sort=sort)
        by_ids = views.contact_records(reader, ids=list(reversed(everyone)), sort=sort)
        assert [r["id"] for r in by_ids] == [r["id"] for r in in_sql], sort
    limited = views.contact_records(reader, ids=everyone, sort="last-contact", limit=5)
    assert limited == views.contact_records(reader, sort="last-contact", limit=5)


# --- cards -------------------------------------------------------------------------------


def test_card(network):
    reader = readers()[0]
    card = views.contact_card(reader, network["paul"], today=TODAY)
    assert card["interaction_count"] == 2
    assert [(i["summary"], i["channel"], i["with"], i["tags"]) for i in card["interactions"]] == [
        ("Call", "call", [], ["x"]),
        ("Lunch", "meeting", ["Léa Martin"], []),
    ]
    assert card["channels"] == [{"kind": "phone", "value": "06 11 22 33 44", "label": None}]
    assert card["followups"] == card["ideas"] == []
    with pytest.raises(NotFound):
        views.contact_card(reader, 999, today=TODAY)


def test_footprint_and_channel_lookups(network):
    reader = readers()[0]
    assert views.contact_footprint(reader, network["lea"]) == {
        "channels": 3,
        "interactions": 1,
        "interactions_alone": 0,
        "followups": 0,
        "followups_shared": 0,
        "ideas": 0,
        "tags": 2,
        "keys": 1,
    }
    assert views.contact_footprint(reader, network["paul"])["interactions_alone"] == 1
    assert views.channel_kinds(reader, network["lea"]) == ["email", "phone", "other"]
    assert views.contacts_with_channels(
        reader, [("email", " LEA@ex.fr"), ("phone", "0611223344"), ("website", "x")]
    ) == [
        {"id": network["lea"], "name": "Léa Martin", "kind": "email", "value": " LEA@ex.fr"},
        {"id": network["paul"], "name": "Paul Durand", "kind": "phone", "value": "0611223344"},
    ]
    assert (
        views.contacts_with_channels(reader, [("email", "lea@ex.fr")], exclude=network["lea"]) == []
    )


@pytest.mark.parametrize(
    ("parts", "text"),
    [((1990, 4, 12), "1990-04-12"), ((None, 4, 2), "--04-02"), ((None, None, None), None)],
)
def test_format_birthday(parts, text):
    assert views.format_birthday(*parts) == text


# --- writes ------------------------------------------------------------------------------


def test_check_fields():
    assert contacts.check_fields(
        {
            "name": "  Léa   Martin ",
            "company": "  ",
            "met_via": " LinkedIn ",
            "relationship": "Mixed",
            "warmth": "4",
        }
    ) == {
        "name": "Léa Martin",
        "company": None,
        "met_via": "linkedin",
        "relationship": "mixed",
        "warmth": 4,
    }
    assert contacts.check_fields({"met_via": ""}) == {"met_via": None}
    for bad in (
        {"name": " "},
        {"warmth": 0},
        {"warmth": "x"},
        {"relationship": "x"},
        {"relationship": None},
        {"bigger": None},
    ):
        with pytest.raises(InvalidInput):
            contacts.check_fields(bad)


@pytest.mark.parametrize(
    ("kind", "value", "norm"),
    [
        ("email", " Lea@Ex.FR ", "lea@ex.fr"),
        ("phone", "+33 6 12-34", "+3361234"),
        ("phone", "0033 6 12", "+33612"),
        ("whatsapp", "06 12", "0612"),
        ("linkedin", "https://fr.linkedin.com/in/lea/", "linkedin.com/in/lea"),
        ("website", "http://www.lea.fr/", "lea.fr"),
        ("other", "Lea.M", "lea.m"),
    ],
)
def test_normalize_channel(kind, value, norm):
    assert contacts.normalize_channel(kind, value) == norm


@pytest.mark.parametrize(
    ("typed", "spec"),
    [
        ("email:lea@ex.fr", ("email", "lea@ex.fr", None)),
        ("Shapr: lea.m", ("other", "lea.m", "shapr")),
        ("https://lea.fr", ("other", "https://lea.fr", None)),
        ("mastodon:@lea@piaille.fr", ("other", "@lea@piaille.fr", "mastodon")),
        ("just-a-handle", ("other", "just-a-handle", None)),
    ],
)
def test_parse_channel_spec(typed, spec):
    assert contacts.parse_channel_spec(typed) == spec


def test_parse_channel_spec_refuses_bad_values():
    for bad in ("", "email:nope", "phone:x"):
        with pytest.raises(InvalidInput):
            contacts.parse_channel_spec(bad)


@given(
    label=st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True).filter(
        lambda s: s not in contacts.CHANNEL_KINDS
    ),
    # A value starting with "//" would read as a URL ("https://…"), not a label.
    value=st.text(min_size=1, max_size=30).filter(
        lambda s: s.strip() == s and s.strip() and not s.startswith("//")
    ),
)
def test_other_channels_read_back_as_typed(label, value):
    kind, parsed, got_label = contacts.parse_channel_spec(
        contacts.channel_spec("other", value, label)
    )
    assert (kind, parsed, got_label) == ("other", value, label)


def test_channel_matches():
    assert contacts.channel_matches("email", "lea@ex.fr", None, "LEA@ex.fr")
    assert contacts.channel_matches("email", "lea@ex.fr", None, "email:lea@ex.fr")
    assert contacts.channel_matches("other", "lea.m", "shapr", "shapr:lea.m")
    assert contacts.channel_matches("other", "lea.m", "shapr", "lea.m")
    assert not contacts.channel_matches("other", "lea.m", "shapr", "signal:lea.m")
    assert not contacts.channel_matches("phone", "0611", None, "0612")


def test_create_refuses_before_writing():
    from tests.conftest import count_rows

    with session() as s:
        add(s, "Someone")
    from netcrm.store.location import resolve_location

    loc = resolve_location(None)
    path = loc.path or loc.url
    before = count_rows(path)
    with pytest.raises(InvalidInput), session() as s:
        add(s, "Léa", ("email", "not-an-email"))
    assert count_rows(path) == before


def test_replace_and_prefer_channels():
    with session() as s:
        cid = add(
            s,
            "Léa",
            ("phone", "06 00"),
            ("email", "a@ex.fr"),
            ("email", "b@ex.fr"),
            ("website", "lea.fr"),
        )
        contacts.replace_channels(s, cid, "email", [("email", "c@ex.fr"), ("email", "C@ex.fr")])
        contacts.replace_channels(s, cid, "linkedin", [("linkedin", "linkedin.com/in/lea")])
        contacts.prefer_channel(s, cid, "lea.fr")
        with pytest.raises(InvalidInput):
            contacts.prefer_channel(s, cid, "nope")
    reader = readers()[0]
    assert [(c["kind"], c["value"]) for c in views.channels_of(reader, [cid])[cid]] == [
        ("website", "lea.fr"),
        ("phone", "06 00"),
        ("email", "c@ex.fr"),
        ("linkedin", "linkedin.com/in/lea"),
    ]


def test_update_contact_recomputes_names_and_touch():
    with session() as s:
        cid = add(s, "Léa Martin")
        contact = contact_edit.update_contact(
            s, cid, {"name": "Léa Roux", "cadence": "FREQ=WEEKLY"}, now=NOW
        )
        assert (contact.name_norm, contact.surname_norm) == ("lea roux", "roux")
        assert contact.next_touch == date(2026, 12, 4)
        with pytest.raises(NotFound):
            contact_edit.update_contact(s, 999, {"name": "x"}, now=NOW)


def test_delete_interaction_recomputes_last_contact(network):
    with session() as s:
        call = log(s, [network["paul"]], "Later call", date(2026, 11, 26))
        delete_interaction(s, call)
        assert contacts.get_contact(s, network["paul"]).last_contact == date(2026, 11, 25)
        with pytest.raises(NotFound):
            delete_interaction(s, 999)


def test_log_interaction_validation(network):
    with session() as s:
        for bad in (
            InteractionInput(contact_ids=[], summary="x", on=TODAY),
            InteractionInput(contact_ids=[network["lea"]], summary=" ", on=TODAY),
            InteractionInput(contact_ids=[network["lea"]], summary="x", on=TODAY, direction="up"),
            InteractionInput(contact_ids=[network["lea"]], summary="x", on=TODAY, channel="fax"),
        ):
            with pytest.raises(InvalidInput):
                log_interaction(s, bad, now=NOW)
        with pytest.raises(NotFound):
            log_interaction(s, InteractionInput(contact_ids=[999], summary="x", on=TODAY), now=NOW)


def test_merge_contacts(network):
    with session() as s:
        dup = add(
            s,
            "Léa M.",
            ("email", "LEA@ex.fr"),
            ("other", "lea_m", "signal"),
            company="ACME",
            role="Host",
            birthday_year=1990,
            birthday_month=4,
            birthday_day=12,
            warmth=5,
            relationship="personal",
            cadence="FREQ=WEEKLY",
            tags=["blog"],
            keys=["self-esteem"],
            now=datetime(2025, 12, 1, 8, 0, 0),
        )
        log(s, [dup, network["paul"]], "Drinks", date(2026, 11, 26))
        target = contacts.merge_contacts(s, dup, network["lea"], now=NOW)
        assert (target.company, target.role, target.warmth) == ("ACME Studio", "Host", 5)
        assert (target.birthday_year, target.birthday_month, target.birthday_day) == (1990, 4, 12)
        assert target.relationship == "personal"
        assert target.cadence == "FREQ=DAILY;INTERVAL=30"
        assert target.created_at == datetime(2025, 12, 1, 8, 0, 0)
        assert target.last_contact == date(2026, 11, 26)
        with pytest.raises(InvalidInput):
            contacts.merge_contacts(s, network["lea"], network["lea"], now=NOW)
        with pytest.raises(NotFound):
            contacts.merge_contacts(s, 999, network["lea"], now=NOW)
    reader = readers()[0]
    [lea] = views.contact_records(reader, ids=[network["lea"]])
    assert lea["emails"] == ["lea@ex.fr"]
    assert lea["other_channels"] == ["shapr:lea.m", "signal:lea_m"]
    assert lea["tags"] == ["blog", "lyon", "podcast"]
    assert lea["keys"] == ["self-esteem", "opportunity"]
    assert views.contact_footprint(reader, network["lea"])["interactions"] == 2


def test_delete_contact(network):
    with session() as s:
        contacts.delete_contact(s, network["paul"])
        with pytest.raises(NotFound):
            contacts.delete_contact(s, network["paul"])
    reader = readers()[0]
    # Paul's call (his alone) is gone; the lunch stays with Léa.
    assert [r["summary"] for r in reader.rows("SELECT summary FROM interaction")] == ["Lunch"]
    assert [r["name"] for r in reader.rows("SELECT name FROM tag ORDER BY name")] == [
        "lyon",
        "podcast",
    ]


def test_edit_contact_tells_unset_from_clear():
    from netcrm.domain.changes import UNSET
    from netcrm.domain.labels import LabelChanges

    with session() as s:
        cid = contacts.create_contact(
            s,
            ContactInput(
                fields={"name": "Léa Martin", "company": "ACME", "role": "CTO"},
                tags=["a", "b"],
                keys=["opportunity"],
            ),
            now=NOW,
        ).id
        assert cid is not None
        changes = contact_edit.ContactChanges(
            role=None,
            birthday=(None, 4, 12),
            add_note="First",
            labels=LabelChanges(tags=["c"], add_keys=["emotional-intelligence"]),
        )
        assert changes.company is UNSET
        assert changes.what() == ["role", "birthday", "tags", "keys", "notes"]
        contact = contact_edit.edit_contact(s, cid, changes, now=NOW)
        assert (contact.company, contact.role, contact.notes) == ("ACME", None, "First")
        assert (contact.birthday_month, contact.birthday_day) == (4, 12)
        contact_edit.edit_contact(s, cid, contact_edit.ContactChanges(add_note="Second"), now=NOW)
        assert contact.notes == "First\n\nSecond"
        with pytest.raises(InvalidInput, match="nothing to change"):
            contact_edit.edit_contact(s, cid, contact_edit.ContactChanges(), now=NOW)
    reader = readers()[0]
    record = views.contact_record(reader, cid)
    assert (record["tags"], record["keys"]) == (["c"], ["opportunity", "emotional-intelligence"])


def test_label_changes_fold_case_and_accents():
    from netcrm.domain import labels

    assert labels.clean_tags(["Vélo", " velo ", "VÉLO", "Lyon  2"]) == ["vélo", "lyon 2"]
    assert not labels.LabelChanges()
    assert labels.LabelChanges(tags=[]).touches_tags  # --tag "" is not given; [] clears
    with session() as s:
        cid = add(s, "Léa Martin")
        labels.add_tags(s, "contact", cid, ["Été"])
        assert labels.remove_tags(s, "contact", cid, ["ete", "hiver"]) == ["hiver"]
