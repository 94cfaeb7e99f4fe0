"""Importing contacts: deciding what each row of a file does (the plan); the
writes are ``netcrm.domain.import_writes``.

:func:`plan_import` reads the items of an import reader (``netcrm.io``) in
file order. Each record is validated with the rules every other way in obeys
(``contacts.check_fields`` / ``check_channel``, tags and keys), **field by
field**: a value that cannot be read costs that field only — it is dropped,
with a warning naming the line, the field and the value, and the rest of the
row imports. A row without a name is named from its first e-mail address; a
row with neither is an error, and the rest goes on. Then it is matched against
the contacts already in the database *and* the ones earlier in the same file,
in this order (the identity rules):

1. the same e-mail address (case-insensitive);
2. the same LinkedIn profile (its URL without scheme, ``www.`` or country
   host, query, fragment or final ``/``);
3. the same phone number (phone or WhatsApp, compared as
   ``contacts.normalize_channel`` folds them, at least 6 digits) *together
   with the same name* (accent- and case-folded): a phone alone is never an
   identity — switchboards, family phones and junk numbers are shared;
4. the same name and company, both accent- and case-folded (no company
   matches no company) — unless both have a LinkedIn profile and they differ:
   two profiles are two people, namesakes at one company.

What a match does is ``on_duplicate``'s choice: ``merge`` (the default) merges
the fields by ``merging.merge_fields`` (the rule ``netcrm merge`` uses) and
adds the channels, tags and keys the contact does not have; a match that
brings nothing new is *unchanged*, so importing the same file twice changes
nothing. ``skip`` leaves the contact alone; ``add`` adds every row as a new
contact. Each match carries its reason ("same e-mail lea@ex.fr"), which
``--dry-run`` lists and the summary counts.

The existing contacts' names and channels are read once into dicts; the
contacts a merge touches are read in a second, batched pass after the whole
file has been matched. ``--dry-run`` computes the very same plan through the
read path and stops there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from netcrm.domain import labels
from netcrm.domain.import_rows import Candidate, Channel, Warning_, fold, validate
from netcrm.domain.merging import change_names, merge_fields
from netcrm.errors import InvalidInput
from netcrm.io.records import Ignored, Item, RowError

if TYPE_CHECKING:
    from netcrm.store.reader import Reader

OnDuplicate = Literal["skip", "merge", "add"]
ON_DUPLICATE: tuple[str, ...] = ("skip", "merge", "add")

# Channel kinds that identify a person, and the class they are compared in.
IDENTIFYING = {"email": "email", "linkedin": "linkedin", "phone": "phone", "whatsapp": "phone"}
_MATCH_ORDER = ("email", "linkedin", "phone")
REASONS = {
    "email": "same e-mail",
    "linkedin": "same LinkedIn profile",
    "phone": "same phone and name",
    "name": "same name and company",
}
MIN_PHONE_DIGITS = 6

Identity = tuple[str, str]  # (class, key): a phone's key holds the folded name too


@dataclass(slots=True)
class PlanRow:
    """What one row of the file does. ``action`` is ``add``, ``merge``,
    ``unchanged``, ``skip``, ``error`` or ``ignored``; ``contact_id`` is the
    existing contact matched, ``into_line`` the earlier row of the file it
    matched instead, ``why`` the identity rule that matched (a key of
    ``REASONS``) and ``reason`` it in words; ``changes`` what a merge adds;
    ``warnings`` the values left out."""

    line: int
    action: str
    name: str = ""
    contact_id: int | None = None
    into_line: int | None = None
    reason: str = ""
    why: str = ""
    changes: list[str] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)


@dataclass(slots=True)
class Target:
    """A contact rows are merged into: one this import adds (``id`` None until
    it is written), or an existing one (``id`` set) once its state is loaded.

    Kept small (one per new contact: 100,000 of them on a large import): the
    sets a merge needs are built when a merge happens."""

    line: int
    id: int | None
    fields: dict[str, Any]
    channels: list[Channel]  # to insert
    tags: list[str]  # to link
    keys: list[str]  # to link
    name_norm: str = ""
    surname_norm: str = ""
    position: int = 0  # an existing contact's next free channel position
    # An existing contact's channels (kind, value_norm), tags and keys.
    had: tuple[set[tuple[str, str]], list[str], list[str]] | None = None
    changed: set[str] | None = None  # existing: the columns to update
    touched: bool = False  # existing: anything at all to write


@dataclass
class ImportPlan:
    rows: list[PlanRow]
    new: list[Target]
    merged: list[Target]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def errors(self) -> list[PlanRow]:
        return [r for r in self.rows if r.action == "error"]

    @property
    def warnings(self) -> list[tuple[int, Warning_]]:
        """(line, warning) of every value left out, in file order."""
        return [(r.line, w) for r in self.rows for w in r.warnings]

    @property
    def refused(self) -> bool:
        """No row can be imported: every row that is a contact at all is an
        error (a file whose rows were all there already is not refused)."""
        errors = self.count("error")
        return errors > 0 and errors == sum(1 for r in self.rows if r.action != "ignored")

    def summary(self) -> dict[str, int]:
        return {
            "added": self.count("add"),
            "merged": self.count("merge"),
            "unchanged": self.count("unchanged"),
            "skipped": self.count("skip"),
            "ignored": self.count("ignored"),
            "errors": self.count("error"),
        }

    def merges_by_reason(self) -> dict[str, int]:
        """How many rows were merged by each identity rule, in rule order."""
        counts = Counter(r.why for r in self.rows if r.action == "merge")
        return {REASONS[why]: counts[why] for why in REASONS if counts[why]}


# --- identities ---------------------------------------------------------------------


def profile_key(value_norm: str) -> str:
    """A LinkedIn profile as an identity: its folded URL without query,
    fragment or final slash (``linkedin.com/in/lea-m?trk=x`` is ``…/lea-m``)."""
    if "?" not in value_norm and "#" not in value_norm and not value_norm.endswith("/"):
        return value_norm  # the common case, 100,000 times on a large import
    return value_norm.split("?", 1)[0].split("#", 1)[0].rstrip("/")


def _identities(candidate: Candidate) -> list[Identity]:
    """(class, key) of the channels that identify a person; a phone's key is
    the number with the folded name (a phone alone identifies no one)."""
    found = []
    for kind, _, _, norm in candidate.channels:
        cls = IDENTIFYING.get(kind)
        if cls == "phone":
            if len(norm.lstrip("+")) < MIN_PHONE_DIGITS:
                continue
            found.append((cls, f"{norm} {candidate.name_key()[0]}"))
        elif cls == "linkedin":
            found.append((cls, profile_key(norm)))
        elif cls is not None:
            found.append((cls, norm))
    return found


def _reason(identity: Identity | None) -> str:
    if identity is None:
        return REASONS["name"]
    cls, key = identity
    return f"{REASONS[cls]} {key.split(' ', 1)[0]}"


# --- planning ------------------------------------------------------------------------


class _Planner:
    def __init__(self, reader: Reader, *, on_duplicate: str, extra_tags: list[str]) -> None:
        if on_duplicate not in ON_DUPLICATE:
            raise InvalidInput(
                f"unknown --on-duplicate {on_duplicate!r}; use one of {', '.join(ON_DUPLICATE)}"
            )
        self.reader = reader
        self.on_duplicate = on_duplicate
        self.extra_tags = labels.clean_tags(extra_tags)
        self.rows: list[PlanRow] = []
        self.new: list[Target] = []
        # Identity → contact: an existing id (> 0) or -(index in self.new + 1).
        self.by_channel: dict[Identity, int] = {}
        self.by_name: dict[tuple[str, str], int] = {}
        # The LinkedIn profiles of each contact: two different profiles are two
        # different people, whatever their names and companies.
        self.profiles: dict[int, tuple[str, ...]] = {}
        # Rows matching an existing contact, merged once its state is loaded.
        self.deferred: list[tuple[PlanRow, Candidate, int]] = []
        if on_duplicate != "add":
            self._load_identities()

    def _load_identities(self) -> None:
        for row in self.reader.rows("SELECT id, name_norm, company FROM contact ORDER BY id"):
            company = row["company"]
            key = (row["name_norm"], fold(company) if company else "")
            self.by_name.setdefault(key, int(row["id"]))
        for row in self.reader.rows(
            "SELECT contact_id, kind, value_norm FROM channel "
            "WHERE kind IN ('email', 'linkedin') ORDER BY contact_id, id"
        ):
            cls, ref, norm = IDENTIFYING[row["kind"]], int(row["contact_id"]), row["value_norm"]
            if cls == "linkedin":
                norm = profile_key(norm)
                self.profiles[ref] = (*self.profiles.get(ref, ()), norm)
            self.by_channel.setdefault((cls, norm), ref)
        # A phone identifies a person only with the name (see _identities).
        for row in self.reader.rows(
            "SELECT h.contact_id, h.value_norm, c.name_norm FROM channel h "
            "JOIN contact c ON c.id = h.contact_id "
            "WHERE h.kind IN ('phone', 'whatsapp') ORDER BY h.contact_id, h.id"
        ):
            phone = f"{row['value_norm']} {row['name_norm']}"
            self.by_channel.setdefault(("phone", phone), int(row["contact_id"]))

    def feed(self, item: Item) -> None:
        if isinstance(item, RowError):
            self.rows.append(PlanRow(item.line, "error", name=item.name, reason=item.message))
            return
        if isinstance(item, Ignored):
            self.rows.append(PlanRow(item.line, "ignored", reason=item.reason))
            return
        try:
            candidate = validate(item, extra_tags=self.extra_tags)
        except InvalidInput as exc:
            name = str(item.fields.get("name") or "")
            self.rows.append(PlanRow(item.line, "error", name=name, reason=exc.message))
            return
        row = PlanRow(candidate.line, "add", name=candidate.fields["name"])
        row.warnings = candidate.warnings
        self.rows.append(row)
        if self.on_duplicate == "add":
            self.new.append(_new_target(candidate))
            return
        identities = _identities(candidate)
        match = self._match(identities, candidate)
        if match is None:
            self.new.append(_new_target(candidate))
            self._register(identities, candidate.name_key(), -len(self.new))
            return
        ref, identity = match
        row.why = identity[0] if identity else "name"
        row.reason = _reason(identity)
        if ref > 0:
            row.contact_id = ref
        else:
            row.into_line = self.new[-ref - 1].line
        if self.on_duplicate == "skip":
            row.action = "skip"
            return
        self._register(identities, candidate.name_key() if identity is None else None, ref)
        if ref > 0:
            self.deferred.append((row, candidate, ref))
        else:
            _merge(self.new[-ref - 1], candidate, row)

    def _match(
        self, identities: list[Identity], candidate: Candidate
    ) -> tuple[int, Identity | None] | None:
        """The contact the row is, and the identity that says so (None: by
        name and company)."""
        for cls in _MATCH_ORDER:
            for identity in identities:
                if identity[0] == cls and identity in self.by_channel:
                    return self.by_channel[identity], identity
        ref = self.by_name.get(candidate.name_key())
        if ref is None:
            return None
        mine = {key for cls, key in identities if cls == "linkedin"}
        theirs = self.profiles.get(ref)
        if mine and theirs and not mine.intersection(theirs):
            return None  # namesakes at one company, with their own profiles
        return ref, None

    def _register(
        self, identities: list[Identity], name_key: tuple[str, str] | None, ref: int
    ) -> None:
        for identity in identities:
            self.by_channel.setdefault(identity, ref)
            if identity[0] == "linkedin":
                known = self.profiles.get(ref, ())
                if identity[1] not in known:
                    self.profiles[ref] = (*known, identity[1])
        if name_key is not None:
            self.by_name.setdefault(name_key, ref)

    def finish(self) -> ImportPlan:
        """Merge the deferred rows into the existing contacts they matched, in
        file order for each contact, one window of contacts at a time."""
        rows_for: dict[int, list[tuple[PlanRow, Candidate]]] = {}
        for row, candidate, ref in self.deferred:
            rows_for.setdefault(ref, []).append((row, candidate))
        self.deferred = []
        merged: list[Target] = []
        for window in _windows(list(rows_for), WINDOW):
            targets = _load_targets(self.reader, window)
            for ref in window:
                target = targets.get(ref)
                for row, candidate in rows_for.pop(ref):
                    if target is None:  # deleted by another program since it matched
                        row.action, row.reason = "error", f"contact #{ref} was just deleted"
                    else:
                        _merge(target, candidate, row)
                if target is None:
                    continue
                if target.touched:
                    merged.append(target)
        return ImportPlan(self.rows, self.new, merged)


def _new_target(c: Candidate) -> Target:
    c.name_key()
    return Target(c.line, None, c.fields, c.channels, c.tags, c.keys, c.name_norm, c.surname_norm)


def _mark(kind: str, norm: str) -> tuple[str, str]:
    """How a merge tells a channel the contact already has."""
    return (kind, profile_key(norm)) if kind == "linkedin" else (kind, norm)


def _merge(target: Target, c: Candidate, row: PlanRow) -> None:
    """Merge a row into a contact by ``merge_fields`` and add the channels,
    tags and keys it lacks; records in ``row`` what changed."""
    changed_fields = merge_fields(target.fields, c.fields)
    target.fields.update(changed_fields)
    if target.changed is None:
        target.changed = set()
    target.changed.update(changed_fields)
    changes = change_names(changed_fields)
    had_channels, had_tags, had_keys = target.had or (set(), set(), set())
    added = {_mark(kind, norm) for kind, _, _, norm in target.channels}
    for channel in c.channels:
        mark = _mark(channel[0], channel[3])
        if mark not in had_channels and mark not in added:
            added.add(mark)
            target.channels.append(channel)
            changes.append(f"{channel[0]} {channel[1]}")
    # Tags compare as everywhere: "velo" is the tag "Vélo" the contact already has.
    known_tags = {labels.tag_fold(t) for t in (*had_tags, *target.tags)}
    new_tags = [t for t in c.tags if labels.tag_fold(t) not in known_tags]
    if new_tags:
        target.tags += new_tags
        changes.append("tags " + ", ".join(new_tags))
    new_keys = [k for k in c.keys if k not in had_keys and k not in target.keys]
    if new_keys:
        target.keys += new_keys
        changes.append("keys " + ", ".join(new_keys))
    row.changes = changes
    row.action = "merge" if changes else "unchanged"
    if changes:
        target.touched = True


_STATE_COLUMNS = (
    "id, name, company, role, location, met_via, met_on, birthday_year, birthday_month, "
    "birthday_day, warmth, bigger, relationship, cadence, notes, last_contact, created_at"
)


# Contacts to merge into are read by ranges of ids holding this many of them.
WINDOW = 1000


def _windows(ids: list[int], size: int) -> list[list[int]]:
    """The sorted ``ids`` cut into runs of ``size``, each read as one id range.

    A range query takes two parameters whatever its size (an ``IN`` list of
    500 costs more to bind than to run), uses the primary key or the
    ``contact_id`` index of every table read, and the ranges are disjoint, so
    re-importing a whole network reads each row once; merging window by window
    keeps only one window of contacts in memory, plus the ones that change.
    """
    ordered = sorted(ids)
    return [ordered[start : start + size] for start in range(0, len(ordered), size)]


def _load_targets(reader: Reader, ids: list[int]) -> dict[int, Target]:
    """The current state of the existing contacts ``ids`` (sorted, one window)."""
    targets: dict[int, Target] = {}
    wanted = set(ids)
    span = {"lo": ids[0], "hi": ids[-1]}
    for row in reader.rows(
        f"SELECT {_STATE_COLUMNS} FROM contact WHERE id BETWEEN :lo AND :hi", span
    ):
        cid = int(row["id"])
        if cid in wanted:
            row["bigger"] = bool(row["bigger"])
            targets[cid] = Target(0, cid, row, [], [], [], had=(set(), [], []))
    for row in reader.rows(
        "SELECT contact_id, kind, value_norm, position FROM channel "
        "WHERE contact_id BETWEEN :lo AND :hi",
        span,
    ):
        target = targets.get(int(row["contact_id"]))
        if target is not None and target.had is not None:
            target.had[0].add(_mark(row["kind"], row["value_norm"]))
            target.position = max(target.position, int(row["position"]) + 1)
    for row in reader.rows(
        "SELECT l.contact_id, t.name FROM contact_tag l JOIN tag t ON t.id = l.tag_id "
        "WHERE l.contact_id BETWEEN :lo AND :hi",
        span,
    ):
        target = targets.get(int(row["contact_id"]))
        if target is not None and target.had is not None:
            target.had[1].append(row["name"])
    for row in reader.rows(
        "SELECT contact_id, key FROM contact_key WHERE contact_id BETWEEN :lo AND :hi", span
    ):
        target = targets.get(int(row["contact_id"]))
        if target is not None and target.had is not None:
            target.had[2].append(row["key"])
    return targets


def plan_import(
    reader: Reader,
    items: Iterable[Item],
    *,
    on_duplicate: str = "merge",
    extra_tags: Iterable[str] = (),
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """What importing ``items`` would do; reads only. ``progress`` is called with
    the line of each item read."""
    planner = _Planner(reader, on_duplicate=on_duplicate, extra_tags=list(extra_tags))
    for item in items:
        planner.feed(item)
        if progress is not None:
            progress(item.line)
    return planner.finish()
