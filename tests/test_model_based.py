"""Model-based test (issue 7): netcrm never loses or leaks a contact.

A hypothesis ``RuleBasedStateMachine`` drives the domain layer the way the
commands do — each step one ``write_session`` (``BEGIN IMMEDIATE`` … commit)
— through add, edit, log, interactions edit and rm, remind, done, reopen,
snooze, merge, rm, idea add, rm, step, check, move, the import of a small
netcrm CSV, the passing of days, and
commands that fail half-way (rolled back). Beside it runs a plain-Python model
of the network, written from PRODUCT.md and the domain modules' docstrings.
After every step:

- the contacts and their fields (``contact_records``, the ``list --json``
  rows), interactions and their participants, follow-ups, ideas and their
  steps are those of the model;
- the rows of ``netcrm due`` (``due_items`` with the model's today) are the
  model's, handle for handle, date for date;
- ``PRAGMA integrity_check`` is ok, ``PRAGMA foreign_key_check`` is empty, no
  row points at nothing, no interaction is left with nobody, no tag is carried
  by nothing, and the FTS5 ``search_index`` holds exactly one entry per row
  with the text migration 0003 gives it (tests/reliability_helpers.py).

Each example gets its own database, a copy of a template migrated once.
CI runs 200 examples of 30 steps; ``--hypothesis-profile=long`` (or
``HYPOTHESIS_PROFILE=long``) runs as many examples as that profile asks
(2,000) of 50 steps.

Ids: a new row takes the highest id of its table plus one (SQLite's rowid
rule, and what ``apply_import`` assigns), so after the newest contact is
deleted the next one gets its id again; the model predicts that too.
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from netcrm.errors import InvalidInput, NetcrmError
from netcrm.text import normalize
from tests.reliability_helpers import forget_engine, fresh_db, structural_problems

# Long reliability test: left out of the fast run (python -m pytest -m "not slow").
pytestmark = pytest.mark.slow

START = date(2026, 11, 27)
WITHIN = 7
CLOSED = ("done", "declined", "dropped")
STATUSES = ("idea", "planned", "proposed", "accepted", "done", "declined", "dropped")
BIRTHDAY_GRACE, BIRTHDAY_SNOOZE = 7, 30

NAMES = ["Léa Martin", "Lea Martin", "Émile Durand", "Zoé Leroy", "Ana Lopes", "Bea Costa"]
COMPANIES = [None, "ACME", "Acme Studio SAS", "Globex"]
NOTES = [None, "Met at the forum", "Likes podcasts"]
TAGS = ["podcast", "lyon", "vip"]
KEYS = ["opportunity", "creativity"]
EVERY = {"3d": 3, "10d": 10, "2w": 14}
# A keep-in-touch cadence is a duration after the last contact, by calendar (issue 12).
CADENCES = {
    "3d": relativedelta(days=3),
    "10d": relativedelta(days=10),
    "2w": relativedelta(weeks=2),
    "1m": relativedelta(months=1),
}
BIRTHDAYS = [(None, 11, 25), (1990, 11, 30), (None, 12, 3), (1985, 2, 29), (None, 6, 15)]


# --- the model ----------------------------------------------------------------------------


@dataclass
class MContact:
    id: int
    name: str
    created: datetime
    company: str | None = None
    notes: str | None = None
    warmth: int | None = None
    cadence: str | None = None
    every: relativedelta | None = None
    birthday: tuple[int | None, int, int] | None = None
    archived: bool = False
    emails: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    next_touch: date | None = None
    wished_year: int | None = None
    snoozed_to: date | None = None

    def email_norms(self) -> list[str]:
        return [e.casefold() for e in self.emails]

    def add_emails(self, emails: list[str]) -> None:
        for email in emails:
            if email.casefold() not in self.email_norms():
                self.emails.append(email)


@dataclass
class MInteraction:
    id: int
    on: date
    summary: str
    contacts: set[int]


@dataclass
class MFollowup:
    id: int
    text: str
    due: date
    contact_id: int | None
    idea_id: int | None
    rule: str | None = None
    every_days: int | None = None
    from_done: bool = False
    done: bool = False


@dataclass
class MIdea:
    id: int
    title: str
    contacts: set[int]
    status: str = "idea"


@dataclass
class MStep:
    id: int
    idea_id: int
    position: int
    text: str
    due: date | None
    done: bool = False


def next_id(rows: dict[int, Any]) -> int:
    return max(rows, default=0) + 1


def birthday_on(year: int, month: int, day: int) -> date:
    if (month, day) == (2, 29) and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        return date(year, 2, 28)
    return date(year, month, day)


def birthday_row(c: MContact, today: date, until: date) -> tuple[date, date] | None:
    """(shown day, birthday) of the birthday row netcrm due shows, per the
    netcrm.domain.due docstring: unwished birthdays from GRACE days ago up to
    ``until``; a snooze moves the row up to SNOOZE days after the birthday."""
    assert c.birthday is not None
    _, month, day = c.birthday
    earliest = today - timedelta(days=BIRTHDAY_GRACE + BIRTHDAY_SNOOZE)
    for year in range(earliest.year, until.year + 1):
        birthday = birthday_on(year, month, day)
        if not earliest <= birthday <= until:
            continue
        if c.wished_year is not None and year <= c.wished_year:
            continue
        shown = birthday
        if c.snoozed_to is not None and 0 <= (c.snoozed_to - birthday).days <= BIRTHDAY_SNOOZE:
            shown = c.snoozed_to
        if today - timedelta(days=BIRTHDAY_GRACE) <= shown <= until:
            return shown, birthday
    return None


class Network:
    """What netcrm should hold, in plain Python."""

    def __init__(self) -> None:
        self.contacts: dict[int, MContact] = {}
        self.interactions: dict[int, MInteraction] = {}
        self.followups: dict[int, MFollowup] = {}
        self.ideas: dict[int, MIdea] = {}
        self.steps: dict[int, MStep] = {}

    # -- caches ---------------------------------------------------------------------------

    def last_contact(self, cid: int) -> date | None:
        return max((i.on for i in self.interactions.values() if cid in i.contacts), default=None)

    def refresh(self, cid: int) -> None:
        c = self.contacts[cid]
        if c.every is None:
            c.next_touch = None
        else:
            base = self.last_contact(cid) or c.created.date()
            c.next_touch = base + c.every

    def log(self, ids: list[int], on: date, summary: str) -> int:
        iid = next_id(self.interactions)
        self.interactions[iid] = MInteraction(iid, on, summary, set(ids))
        for cid in ids:
            self.refresh(cid)
        return iid

    # -- the rows of netcrm due ---------------------------------------------------------

    def step_contact(self, idea_id: int) -> int | None:
        active = [
            (normalize(self.contacts[cid].name), cid)
            for cid in self.ideas[idea_id].contacts
            if not self.contacts[cid].archived
        ]
        return min(active)[1] if active else None

    def open_rows(self, today: date, until: date | None) -> dict[str, tuple[str, date, int | None]]:
        """handle → (kind, date, contact id): with ``until``, the rows of
        ``netcrm due``; without, every row a handle reaches (done / snooze)."""
        rows: dict[str, tuple[str, date, int | None]] = {}
        listing = until is not None
        horizon = until or today + timedelta(days=366 + BIRTHDAY_SNOOZE)
        for f in self.followups.values():
            if f.done:
                continue
            hidden = f.contact_id is not None and self.contacts[f.contact_id].archived
            if not listing or (f.due <= horizon and not hidden):
                rows[f"f{f.id}"] = ("followup", f.due, f.contact_id)
        for s in self.steps.values():
            if s.done or s.due is None or self.ideas[s.idea_id].status in CLOSED:
                continue
            if not listing or s.due <= horizon:
                rows[f"s{s.id}"] = ("step", s.due, self.step_contact(s.idea_id))
        for c in self.contacts.values():
            if listing and c.archived:
                continue
            if c.next_touch is not None and (not listing or c.next_touch <= horizon):
                rows[f"k{c.id}"] = ("keep-in-touch", c.next_touch, c.id)
            if c.birthday is not None and (found := birthday_row(c, today, horizon)):
                rows[f"b{c.id}"] = ("birthday", found[0], c.id)
        return rows

    # -- merge and rm -----------------------------------------------------------------------

    def merge(self, source_id: int, target_id: int, now: datetime) -> None:
        s, t = self.contacts.pop(source_id), self.contacts[target_id]
        t.company = kept_or_extended(t.company, s.company)
        t.warmth = t.warmth if t.warmth is not None else s.warmth
        if t.cadence is None:
            t.cadence, t.every = s.cadence, s.every
        if t.birthday is None:
            t.birthday = s.birthday
        elif s.birthday is not None and t.birthday[1:] == s.birthday[1:]:
            t.birthday = (t.birthday[0] or s.birthday[0], *t.birthday[1:])
        if s.notes and not (t.notes and s.notes in t.notes):
            t.notes = s.notes if not t.notes or t.notes in s.notes else f"{t.notes}\n\n{s.notes}"
        t.created = min(t.created, s.created)
        t.add_emails(s.emails)
        t.tags |= s.tags
        t.keys |= s.keys
        for i in self.interactions.values():
            if source_id in i.contacts:
                i.contacts = (i.contacts - {source_id}) | {target_id}
        for idea in self.ideas.values():
            if source_id in idea.contacts:
                idea.contacts = (idea.contacts - {source_id}) | {target_id}
        for f in self.followups.values():
            if f.contact_id == source_id:
                f.contact_id = target_id
        self.refresh(target_id)

    def remove(self, cid: int) -> None:
        del self.contacts[cid]
        for iid, i in list(self.interactions.items()):
            if i.contacts == {cid}:
                del self.interactions[iid]
            else:
                i.contacts.discard(cid)
        for fid, f in list(self.followups.items()):
            if f.contact_id == cid:
                if f.idea_id is None:
                    del self.followups[fid]
                else:  # it belongs to the idea too: it stays, unlinked
                    f.contact_id = None
        for idea in self.ideas.values():
            idea.contacts.discard(cid)

    def remove_idea(self, idea_id: int) -> None:
        del self.ideas[idea_id]
        for sid, s in list(self.steps.items()):
            if s.idea_id == idea_id:
                del self.steps[sid]
        for fid, f in list(self.followups.items()):
            if f.idea_id == idea_id:
                if f.contact_id is None:
                    del self.followups[fid]
                else:  # it is about a contact too: it stays, unlinked
                    f.idea_id = None


def kept_or_extended(kept: Any, other: Any) -> Any:
    """The merge rule for texts (netcrm.domain.merging): the kept value, unless
    it is empty or the other one contains it ("ACME" → "ACME Studio SAS")."""
    if kept in (None, ""):
        return other
    if other in (None, ""):
        return kept
    if len(other) > len(kept) and kept.casefold() in other.casefold():
        return other
    return kept


def fold_company(company: str | None) -> str:
    return normalize(company) if company else ""


# --- the machine -------------------------------------------------------------------------

RUNS = {"examples": 0, "steps": 0, "commands": 0, "rejected": 0}


class NetworkMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        RUNS["examples"] += 1
        self.folder = Path(tempfile.mkdtemp(prefix="netcrm-model-"))
        self.path = fresh_db(self.folder / "model.db")
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.model = Network()
        self.today = START
        self.emails_made = 0

    def teardown(self) -> None:
        self.conn.close()
        forget_engine(self.path)
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers --------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        return datetime.combine(self.today, time(9, 0))

    def command(self, work: Any) -> Any:
        """One command: one write transaction, committed unless it raises."""
        from netcrm.store.engine import write_session
        from netcrm.store.location import resolve_location

        RUNS["commands"] += 1
        with write_session(resolve_location(str(self.path))) as session:
            return work(session)

    def refused(self, work: Any) -> None:
        """A command the model says must be refused: NetcrmError, nothing written."""
        RUNS["rejected"] += 1
        with pytest.raises(NetcrmError):
            self.command(work)

    def new_email(self) -> str:
        self.emails_made += 1
        return f"person{self.emails_made}@example.org"

    def pick_contact(self, data: st.DataObject) -> int:
        return data.draw(st.sampled_from(sorted(self.model.contacts)), label="contact")

    def reader(self) -> Any:
        from netcrm.store.reader import SqliteReader

        return SqliteReader(self.conn, str(self.path))

    # -- contacts ------------------------------------------------------------------------

    @initialize()
    def first_contacts(self) -> None:
        for name in ("Léa Martin", "Émile Durand"):
            self._add(name, [self.new_email()], None, None, None, set(), set(), None, None)

    def _add(
        self,
        name: str,
        emails: list[str],
        company: str | None,
        notes: str | None,
        every: str | None,
        tags: set[str],
        keys: set[str],
        warmth: int | None,
        birthday: tuple[int | None, int, int] | None,
    ) -> None:
        from netcrm.dates import parse_cadence
        from netcrm.domain.contacts import ContactInput, create_contact

        fields: dict[str, Any] = {"name": name, "company": company, "notes": notes}
        cadence = parse_cadence(every, today=self.today) if every else None
        if cadence:
            fields["cadence"] = cadence
        if warmth is not None:
            fields["warmth"] = warmth
        if birthday is not None:
            fields.update(
                birthday_year=birthday[0], birthday_month=birthday[1], birthday_day=birthday[2]
            )
        data = ContactInput(
            fields=fields,
            channels=[("email", e) for e in emails],
            tags=sorted(tags),
            keys=sorted(keys),
        )
        cid = self.command(lambda s: create_contact(s, data, now=self.now).id)
        assert cid == next_id(self.model.contacts)
        c = MContact(cid, name, self.now, company, notes, warmth, cadence)
        c.every = CADENCES[every] if every else None
        c.birthday = birthday
        c.add_emails(emails)
        c.tags, c.keys = set(tags), set(keys)
        self.model.contacts[cid] = c
        self.model.refresh(cid)

    @rule(
        name=st.sampled_from(NAMES),
        email=st.sampled_from(["new", "none", "shared", "upper"]),
        company=st.sampled_from(COMPANIES),
        notes=st.sampled_from(NOTES),
        every=st.sampled_from([None, *CADENCES]),
        tags=st.sets(st.sampled_from(TAGS), max_size=2),
        keys=st.sets(st.sampled_from(KEYS), max_size=1),
        warmth=st.sampled_from([None, 1, 4]),
        birthday=st.sampled_from([None, *BIRTHDAYS]),
        data=st.data(),
    )
    def add(self, name, email, company, notes, every, tags, keys, warmth, birthday, data):
        emails: list[str] = []
        if email == "new":
            emails = [self.new_email()]
        elif email in ("shared", "upper") and self.model.contacts:
            other = self.model.contacts[self.pick_contact(data)]
            if other.emails:
                shared = other.emails[0]
                emails = [shared.upper() if email == "upper" else shared]
        self._add(name, emails, company, notes, every, tags, keys, warmth, birthday)

    @precondition(lambda self: self.model.contacts)
    @rule(
        data=st.data(),
        name=st.sampled_from([None, *NAMES]),
        company=st.sampled_from(["keep", *COMPANIES]),
        notes=st.sampled_from(["keep", *NOTES]),
        warmth=st.sampled_from(["keep", None, 2, 5]),
        every=st.sampled_from(["keep", "clear", *CADENCES]),
        archive=st.sampled_from([None, True, False]),
        birthday=st.sampled_from(["keep", "clear", *BIRTHDAYS]),
        emails=st.sampled_from(["keep", "replace", "add"]),
        add_tags=st.sets(st.sampled_from(TAGS), max_size=2),
        remove_tags=st.sets(st.sampled_from(TAGS), max_size=2),
    )
    def edit(
        self,
        data,
        name,
        company,
        notes,
        warmth,
        every,
        archive,
        birthday,
        emails,
        add_tags,
        remove_tags,
    ):
        from netcrm.dates import parse_cadence
        from netcrm.domain import contact_edit, contacts, labels

        cid = self.pick_contact(data)
        c = self.model.contacts[cid]
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name
        if company != "keep":
            changes["company"] = company
        if notes != "keep":
            changes["notes"] = notes
        if warmth != "keep":
            changes["warmth"] = warmth
        if every != "keep":
            changes["cadence"] = (
                None if every == "clear" else parse_cadence(every, today=self.today)
            )
        if archive is not None:
            changes["archived"] = archive
        if birthday != "keep":
            year, month, day = (None, None, None) if birthday == "clear" else birthday
            changes.update(birthday_year=year, birthday_month=month, birthday_day=day)
        fresh = [self.new_email()] if emails != "keep" else []

        def work(session):
            if changes:
                contact_edit.update_contact(session, cid, dict(changes), now=self.now)
            if emails == "replace":
                contacts.replace_channels(session, cid, "email", [("email", fresh[0])])
            elif emails == "add":
                contacts.add_channels(session, cid, [("email", fresh[0], None)])
            labels.add_tags(session, "contact", cid, sorted(add_tags))
            if remove_tags:
                labels.remove_tags(session, "contact", cid, sorted(remove_tags))

        self.command(work)
        if name is not None:
            c.name = name
        if company != "keep":
            c.company = company
        if notes != "keep":
            c.notes = notes
        if warmth != "keep":
            c.warmth = warmth
        if every != "keep":
            c.cadence = changes["cadence"]
            c.every = None if every == "clear" else CADENCES[every]
            self.model.refresh(cid)
        if archive is not None:
            c.archived = archive
        if birthday != "keep":
            c.birthday = None if birthday == "clear" else birthday
            # A new date: the old one's "wished" mark and snooze do not carry over.
            c.wished_year, c.snoozed_to = None, None
        if emails == "replace":
            c.emails = fresh
        elif emails == "add":
            c.add_emails(fresh)
        c.tags = (c.tags | add_tags) - remove_tags

    @precondition(lambda self: self.model.contacts)
    @rule(data=st.data(), days_ago=st.integers(0, 20), summary=st.sampled_from(["Call", "Coffee"]))
    def log(self, data, days_ago, summary):
        from netcrm.domain.interactions import InteractionInput, log_interaction

        ids = data.draw(
            st.lists(
                st.sampled_from(sorted(self.model.contacts)), min_size=1, max_size=2, unique=True
            ),
            label="with",
        )
        on = self.today - timedelta(days=days_ago)
        entry = InteractionInput(contact_ids=ids, summary=summary, on=on, channel="email")
        iid = self.command(lambda s: log_interaction(s, entry, now=self.now).id)
        assert iid == next_id(self.model.interactions)
        self.model.log(ids, on, summary)

    @precondition(lambda self: self.model.interactions)
    @rule(
        data=st.data(),
        days_ago=st.one_of(st.none(), st.integers(-1, 30)),
        summary=st.sampled_from([None, "Lunch", " "]),
    )
    def interaction_edit(self, data, days_ago, summary):
        from netcrm.domain.interactions import InteractionChanges, edit_interaction

        m = self.model
        iid = data.draw(st.sampled_from(sorted(m.interactions)), label="interaction")
        people = sorted(m.contacts)
        add = data.draw(st.lists(st.sampled_from(people), max_size=2, unique=True), label="add")
        remove = data.draw(st.lists(st.sampled_from(people), max_size=2, unique=True), label="rm")
        on = None if days_ago is None else self.today - timedelta(days=days_ago)
        changes = InteractionChanges(
            on=on, summary=summary, add_contacts=add, remove_contacts=remove
        )
        i = m.interactions[iid]
        after = (i.contacts | set(add)) - set(remove)

        def work(session):
            edit_interaction(session, iid, changes, today=self.today)

        if not after or (on is not None and on > self.today) or summary == " ":
            self.refused(work)
            return
        self.command(work)
        before = set(i.contacts)
        i.contacts = after
        i.on = on or i.on
        i.summary = summary or i.summary
        for cid in before | after:
            m.refresh(cid)

    @precondition(lambda self: self.model.interactions)
    @rule(data=st.data())
    def interaction_rm(self, data):
        from netcrm.domain.interactions import delete_interaction

        m = self.model
        iid = data.draw(st.sampled_from(sorted(m.interactions)), label="interaction")
        self.command(lambda s: delete_interaction(s, iid))
        for cid in m.interactions.pop(iid).contacts:
            m.refresh(cid)

    @rule(iid=st.integers(9000, 9001))
    def interaction_rm_unknown(self, iid):
        from netcrm.domain.interactions import delete_interaction

        self.refused(lambda s: delete_interaction(s, iid))

    @precondition(lambda self: len(self.model.contacts) >= 2)
    @rule(data=st.data())
    def merge(self, data):
        from netcrm.domain.contacts import merge_contacts

        source, target = data.draw(
            st.lists(
                st.sampled_from(sorted(self.model.contacts)), min_size=2, max_size=2, unique=True
            ),
            label="source, target",
        )
        self.command(lambda s: merge_contacts(s, source, target, now=self.now))
        self.model.merge(source, target, self.now)

    @precondition(lambda self: self.model.contacts)
    @rule(data=st.data())
    def rm(self, data):
        from netcrm.domain.contacts import delete_contact

        cid = self.pick_contact(data)
        self.command(lambda s: delete_contact(s, cid))
        self.model.remove(cid)

    @rule(contact=st.integers(9000, 9001))
    def rm_unknown(self, contact):
        from netcrm.domain.contacts import delete_contact

        self.refused(lambda s: delete_contact(s, contact))

    # -- follow-ups, due, done, snooze ----------------------------------------------------------

    @rule(
        data=st.data(),
        text=st.sampled_from(["Send the deck", "Call back"]),
        offset=st.integers(-5, 12),
        about=st.sampled_from(["contact", "idea", "both", "nothing"]),
        every=st.sampled_from([None, *EVERY]),
        from_done=st.booleans(),
    )
    def remind(self, data, text, offset, about, every, from_done):
        from netcrm.domain.followups import FollowupInput, create_followup

        contact_id = idea_id = None
        if about in ("contact", "both") and self.model.contacts:
            contact_id = self.pick_contact(data)
        if about in ("idea", "both") and self.model.ideas:
            idea_id = data.draw(st.sampled_from(sorted(self.model.ideas)), label="idea")
        due = self.today + timedelta(days=offset)
        entry = FollowupInput(
            text=text,
            due=due,
            contact_id=contact_id,
            idea_id=idea_id,
            every=every,
            from_done=from_done and every is not None,
        )
        followup = self.command(lambda s: _row(create_followup(s, entry, now=self.now)))
        assert followup["id"] == next_id(self.model.followups)
        self.model.followups[followup["id"]] = MFollowup(
            followup["id"],
            text,
            due,
            contact_id,
            idea_id,
            rule=followup["recurrence"],
            every_days=EVERY[every] if every else None,
            from_done=entry.from_done,
        )

    def _handles(self, data: st.DataObject) -> str | None:
        rows = self.model.open_rows(self.today, None)
        if not rows:
            return None
        return data.draw(st.sampled_from(sorted(rows)), label="handle")

    @rule(data=st.data(), log=st.booleans())
    def done(self, data, log):
        from netcrm.domain import due

        handle = self._handles(data)
        if handle is None:
            return
        kind, _, contact_id = self.model.open_rows(self.today, None)[handle]
        ref = int(handle[1:])
        log = log and handle[0] == "f"
        options = due.DoneOptions(log=log, via="email" if log else None)

        def work(session):
            from netcrm.store.reader import SqlAlchemyReader

            item = due.resolve_handle(SqlAlchemyReader(session), handle, today=self.today)
            return due.complete_item(session, item, options, today=self.today, now=self.now)

        if log and contact_id is None:
            self.refused(work)
            return
        self.command(work)
        m = self.model
        if handle[0] == "f":
            f = m.followups[ref]
            if f.every_days is None:
                f.done = True
            else:
                copy = next_id(m.followups)
                m.followups[copy] = MFollowup(
                    copy, f.text, f.due, f.contact_id, f.idea_id, done=True
                )
                if f.from_done:
                    f.due = self.today + timedelta(days=f.every_days)
                else:
                    moved = f.due + timedelta(days=f.every_days)
                    while moved <= self.today:
                        moved += timedelta(days=f.every_days)
                    f.due = moved
            if log:
                m.log([f.contact_id], self.today, f.text)
        elif handle[0] == "s":
            m.steps[ref].done = True
        elif handle[0] == "k":
            m.log([ref], self.today, "Kept in touch")
        else:
            c = m.contacts[ref]
            found = birthday_row(c, self.today, self.today + timedelta(days=396))
            assert found is not None
            c.wished_year, c.snoozed_to = found[1].year, None

    @rule(data=st.data(), when=st.one_of(st.none(), st.integers(-2, 40)))
    def snooze(self, data, when):
        from netcrm.domain import due

        handle = self._handles(data)
        if handle is None:
            return
        _, shown, _ = self.model.open_rows(self.today, None)[handle]
        target_day = None if when is None else self.today + timedelta(days=when)

        def work(session):
            from netcrm.store.reader import SqlAlchemyReader

            item = due.resolve_handle(SqlAlchemyReader(session), handle, today=self.today)
            return due.snooze_item(session, item, target_day, today=self.today, now=self.now)

        target = target_day or max(self.today, shown) + timedelta(days=1)
        ref = int(handle[1:])
        if target < self.today:
            self.refused(work)
            return
        if handle[0] == "b":
            c = self.model.contacts[ref]
            found = birthday_row(c, self.today, self.today + timedelta(days=396))
            assert found is not None
            if not found[1] <= target <= found[1] + timedelta(days=BIRTHDAY_SNOOZE):
                self.refused(work)
                return
            self.command(work)
            c.snoozed_to = target
            return
        self.command(work)
        if handle[0] == "f":
            self.model.followups[ref].due = target
        elif handle[0] == "s":
            self.model.steps[ref].due = target
        else:
            self.model.contacts[ref].next_touch = target

    @precondition(lambda self: self.model.followups)
    @rule(data=st.data(), move=st.one_of(st.none(), st.integers(-3, 10)))
    def reopen(self, data, move):
        from netcrm.domain.followups import reopen_followup

        fid = data.draw(st.sampled_from(sorted(self.model.followups)), label="follow-up")
        f = self.model.followups[fid]
        due = None if move is None else self.today + timedelta(days=move)

        def work(session):
            reopen_followup(session, fid, now=self.now, due=due)

        if not f.done:
            self.refused(work)
            return
        self.command(work)
        f.done = False
        f.due = due or f.due

    @rule(handle=st.sampled_from(["f9000", "s9000", "k9000", "b9000", "nonsense"]))
    def done_unknown(self, handle):
        from netcrm.domain import due

        def work(session):
            from netcrm.store.reader import SqlAlchemyReader

            item = due.resolve_handle(SqlAlchemyReader(session), handle, today=self.today)
            due.complete_item(session, item, due.DoneOptions(), today=self.today, now=self.now)

        self.refused(work)

    # -- ideas ----------------------------------------------------------------------------

    @rule(data=st.data(), title=st.sampled_from(["Webinar", "Interview Léa"]))
    def idea_add(self, data, title):
        from netcrm.domain.ideas import IdeaInput, create_idea

        ids = []
        if self.model.contacts:
            ids = data.draw(
                st.lists(st.sampled_from(sorted(self.model.contacts)), max_size=2, unique=True),
                label="with",
            )
        entry = IdeaInput(title=title, kind="interview", contact_ids=ids)
        iid = self.command(lambda s: create_idea(s, entry, now=self.now).id)
        assert iid == next_id(self.model.ideas)
        self.model.ideas[iid] = MIdea(iid, title, set(ids))

    @precondition(lambda self: self.model.ideas)
    @rule(data=st.data())
    def idea_rm(self, data):
        from netcrm.domain.ideas import delete_idea

        idea_id = data.draw(st.sampled_from(sorted(self.model.ideas)), label="idea")
        self.command(lambda s: delete_idea(s, idea_id))
        self.model.remove_idea(idea_id)

    @precondition(lambda self: self.model.ideas)
    @rule(data=st.data(), due_in=st.one_of(st.none(), st.integers(-3, 10)))
    def step(self, data, due_in):
        from netcrm.domain.ideas import add_step

        idea_id = data.draw(st.sampled_from(sorted(self.model.ideas)), label="idea")
        due = None if due_in is None else self.today + timedelta(days=due_in)
        sid = self.command(
            lambda s: add_step(s, idea_id, "Draft the outline", due=due, now=self.now).id
        )
        assert sid == next_id(self.model.steps)
        position = 1 + sum(1 for st_ in self.model.steps.values() if st_.idea_id == idea_id)
        self.model.steps[sid] = MStep(sid, idea_id, position, "Draft the outline", due)

    @precondition(lambda self: self.model.steps)
    @rule(data=st.data(), undo=st.booleans())
    def check(self, data, undo):
        from netcrm.domain.ideas import check_step

        sid = data.draw(st.sampled_from(sorted(self.model.steps)), label="step")
        step = self.model.steps[sid]

        def work(session):
            check_step(session, step.idea_id, step.position, now=self.now, undo=undo)

        if step.done != undo:  # already done, or undoing an open step
            self.refused(work)
            return
        self.command(work)
        step.done = not undo

    @precondition(lambda self: self.model.ideas)
    @rule(data=st.data(), status=st.sampled_from(STATUSES))
    def move(self, data, status):
        from netcrm.domain.ideas import move_idea

        idea_id = data.draw(st.sampled_from(sorted(self.model.ideas)), label="idea")
        idea = self.model.ideas[idea_id]

        def work(session):
            move_idea(session, idea_id, status, now=self.now)

        if idea.status == status:
            self.refused(work)
            return
        self.command(work)
        idea.status = status

    # -- import ------------------------------------------------------------------------------

    @rule(
        data=st.data(),
        rows=st.lists(
            st.tuples(
                st.sampled_from(NAMES),
                st.sampled_from(["new", "none", "existing", "earlier", "upper"]),
                st.sampled_from(["", "ACME", "Acme ", "Globex"]),
                st.sets(st.sampled_from(["lead", "podcast"]), max_size=2),
                st.sampled_from(["", "10d"]),
            ),
            min_size=1,
            max_size=4,
        ),
    )
    def import_csv(self, data, rows):
        from netcrm.dates import parse_cadence

        table = []
        known = [e for c in self.model.contacts.values() for e in c.emails]
        for name, email_kind, company, tags, every in rows:
            email = ""
            if email_kind == "new":
                email = self.new_email()
            elif email_kind in ("existing", "upper") and known:
                email = data.draw(st.sampled_from(known), label="existing email")
                email = email.upper() if email_kind == "upper" else email
            elif email_kind == "earlier" and table and table[-1][1]:
                email = table[-1][1]
            table.append((name, email, company, "; ".join(sorted(tags)), every))
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["name", "emails", "company", "tags", "every"])
        writer.writerows(table)
        self.command(lambda s: _import(s, text.getvalue(), self.today, self.now))
        cadence = parse_cadence("10d", today=self.today)
        self._import_model(table, cadence)

    def _import_model(self, table: list[tuple[str, str, str, str, str]], cadence: str) -> None:
        """PRODUCT.md §7 and the netcrm.domain.importing docstring: match by
        e-mail, else by name and company; merge fills what is missing."""
        m = self.model
        by_email: dict[str, Any] = {}
        by_name: dict[tuple[str, str], Any] = {}
        for cid in sorted(m.contacts):
            c = m.contacts[cid]
            for email in c.email_norms():
                by_email.setdefault(email, cid)
            by_name.setdefault((normalize(c.name), fold_company(c.company)), cid)
        new: list[MContact] = []
        for name, email, company_text, tags_text, every in table:
            company = company_text.strip() or None
            emails = [email] if email else []
            tags = {t.strip() for t in tags_text.split(";") if t.strip()}
            key = (normalize(name), fold_company(company))
            ref, why = None, None
            if email and email.casefold() in by_email:
                ref, why = by_email[email.casefold()], "email"
            elif key in by_name:
                ref, why = by_name[key], "name"
            if ref is None:
                c = MContact(-len(new) - 1, name, self.now, company)
                c.add_emails(emails)
                c.tags = set(tags)
                if every:
                    c.cadence, c.every = cadence, CADENCES[every]
                new.append(c)
                ref = c.id
                for e in emails:
                    by_email.setdefault(e.casefold(), ref)
                by_name.setdefault(key, ref)
                continue
            for e in emails:
                by_email.setdefault(e.casefold(), ref)
            if why == "name":
                by_name.setdefault(key, ref)
            target = m.contacts[ref] if ref > 0 else new[-ref - 1]
            target.company = kept_or_extended(target.company, company)
            filled_cadence = False
            if target.cadence is None and every:
                target.cadence, target.every = cadence, CADENCES[every]
                filled_cadence = True
            target.add_emails(emails)
            target.tags |= tags
            if ref > 0 and filled_cadence:
                m.refresh(ref)
        first = next_id(m.contacts)
        for offset, c in enumerate(new):
            c.id = first + offset
            m.contacts[c.id] = c
            m.refresh(c.id)

    # -- time, and commands that fail half-way ------------------------------------------------

    @rule(days=st.integers(1, 6))
    def days_pass(self, days):
        self.today += timedelta(days=days)

    @rule(what=st.sampled_from(["add", "log", "remind", "import"]))
    def failing_command(self, what):
        """A command that writes and then fails (a bad argument found late, a
        full disk at commit): everything it wrote is rolled back."""
        from netcrm.domain.contacts import ContactInput, create_contact
        from netcrm.domain.followups import FollowupInput, create_followup
        from netcrm.domain.interactions import InteractionInput, log_interaction

        def work(session):
            if what == "add":
                create_contact(
                    session,
                    ContactInput(fields={"name": "Rolled Back"}, channels=[("email", "rb@x.org")]),
                    now=self.now,
                )
            elif what == "log" and self.model.contacts:
                ids = sorted(self.model.contacts)[:2]
                log_interaction(
                    session,
                    InteractionInput(contact_ids=ids, summary="Rolled back", on=self.today),
                    now=self.now,
                )
            elif what == "remind":
                create_followup(
                    session, FollowupInput(text="Rolled back", due=self.today), now=self.now
                )
            else:
                _import(session, "name,emails\nRolled Back,rb@x.org\n", self.today, self.now)
            raise InvalidInput("a later argument was bad")

        self.refused(work)

    # -- the invariants ------------------------------------------------------------------------

    @invariant()
    def database_is_sound(self) -> None:
        RUNS["steps"] += 1
        assert structural_problems(self.conn) == []

    @invariant()
    def database_matches_the_model(self) -> None:
        from netcrm.domain.contact_views import contact_records, format_birthday
        from netcrm.domain.due import due_items

        m = self.model
        reader = self.reader()
        records = {r["id"]: r for r in contact_records(reader, archived=None)}
        assert set(records) == set(m.contacts), "contacts lost or appeared"
        for cid, c in m.contacts.items():
            r = records[cid]
            expected = {
                "name": c.name,
                "company": c.company,
                "notes": c.notes,
                "warmth": c.warmth,
                "every": c.cadence,
                "birthday": format_birthday(*c.birthday) if c.birthday else None,
                "archived": c.archived,
                "emails": c.emails,
                "tags": sorted(c.tags),
                "keys": sorted(c.keys),
                # The reader gives dates as dates (store/values.py).
                "last_contact": m.last_contact(cid),
                "next_touch": c.next_touch,
            }
            actual = {k: sorted(r[k]) if k == "keys" else r[k] for k in expected}
            assert actual == expected, f"contact #{cid}"

        rows = self.conn.execute(
            "SELECT i.id, i.occurred_on, i.summary, group_concat(ic.contact_id) "
            "FROM interaction i LEFT JOIN interaction_contact ic ON ic.interaction_id = i.id "
            "GROUP BY i.id"
        ).fetchall()
        interactions = {
            iid: (on[:10], summary, {int(x) for x in (who or "").split(",") if x})
            for iid, on, summary, who in rows
        }
        assert interactions == {
            i.id: (i.on.isoformat(), i.summary, i.contacts) for i in m.interactions.values()
        }

        followups = {
            r[0]: (r[1], r[2][:10], r[3], r[4], r[5], bool(r[6]), bool(r[7]))
            for r in self.conn.execute(
                "SELECT id, text, due, contact_id, idea_id, recurrence, from_done, "
                "done_at IS NOT NULL FROM followup"
            )
        }
        assert followups == {
            f.id: (f.text, f.due.isoformat(), f.contact_id, f.idea_id, f.rule, f.from_done, f.done)
            for f in m.followups.values()
        }

        ideas = {
            r[0]: (r[1], r[2], {int(x) for x in (r[3] or "").split(",") if x})
            for r in self.conn.execute(
                "SELECT i.id, i.title, i.status, group_concat(ic.contact_id) FROM idea i "
                "LEFT JOIN idea_contact ic ON ic.idea_id = i.id GROUP BY i.id"
            )
        }
        assert ideas == {i.id: (i.title, i.status, i.contacts) for i in m.ideas.values()}
        steps = {
            r[0]: (r[1], r[2], r[3], r[4] and r[4][:10], bool(r[5]))
            for r in self.conn.execute(
                "SELECT id, idea_id, position, text, due, done_at IS NOT NULL FROM idea_step"
            )
        }
        assert steps == {
            s.id: (s.idea_id, s.position, s.text, _iso(s.due), s.done) for s in m.steps.values()
        }

        items = due_items(reader, today=self.today, within_days=WITHIN)
        assert [i.due for i in items] == sorted(i.due for i in items)
        shown = {i.handle: (i.kind, i.due, i.contact_id) for i in items}
        assert shown == m.open_rows(self.today, self.today + timedelta(days=WITHIN))


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _row(followup: Any) -> dict[str, Any]:
    return {"id": followup.id, "recurrence": followup.recurrence}


def _import(session: Any, text: str, today: date, now: datetime) -> None:
    """``netcrm import`` of a netcrm CSV, inside the step's transaction."""
    from netcrm.domain.import_writes import apply_import
    from netcrm.domain.importing import plan_import
    from netcrm.io.sniff import open_source
    from netcrm.store.reader import SqlAlchemyReader

    source = open_source(text, today=today, name="small.csv")
    plan = plan_import(SqlAlchemyReader(session), list(source.items))
    assert plan.errors == [], plan.errors
    apply_import(session, plan, now=now)


# --- running it ----------------------------------------------------------------------------


def machine_settings() -> settings:
    """200 examples of 30 steps in CI; deeper under the ``long`` profile."""
    deep = settings.default.max_examples > 200
    return settings(
        max_examples=max(200, settings.default.max_examples),
        stateful_step_count=50 if deep else 30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def test_netcrm_never_loses_or_leaks_a_contact(capsys):
    RUNS.update(examples=0, steps=0, commands=0, rejected=0)
    run_state_machine_as_test(NetworkMachine, settings=machine_settings())
    with capsys.disabled():
        print(
            f"\nmodel-based: {RUNS['examples']} examples, {RUNS['steps']} steps checked "
            f"({RUNS['commands']} commands, {RUNS['rejected']} of them refused and rolled back)"
        )
