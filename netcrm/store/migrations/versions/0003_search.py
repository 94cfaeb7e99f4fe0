"""Full-text search: an FTS5 index over contacts, interactions, ideas and
follow-ups, kept current by triggers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

Design:

- One FTS5 table, ``search_index(title, detail, body)``, tokenized with
  ``unicode61 remove_diacritics 2`` so that ``elodie`` finds "Élodie" and case
  never matters. Ranking is bm25 with the title weighing most; the weights are
  stored in the table's ``rank`` option so that ``ORDER BY rank`` (FTS5's own
  sorted plan) applies them.
- Every entry's rowid says what it indexes: ``rowid = kind * 2**40 + id`` with
  kind 1 contact, 2 interaction, 3 idea, 4 follow-up. Replacing or deleting an
  entry is therefore a rowid lookup, never a scan of the index, and a hit needs
  no extra column to name its row. The kind sits in the high bits, not the low
  ones (``id * 8 + kind``), so that each kind is one contiguous rowid range:
  FTS5 seeks straight into a range, which lets a search read the newest
  matches of one kind without walking past the matches of the others (see
  ``netcrm.domain.search``).
- What each entry holds:
  contact     title = name; detail = company, role, location and every channel
              value (phone numbers also in their digits-only form); body = notes
  interaction title = summary
  idea        title = title; detail = the text of its action-plan steps; body = notes
  follow-up   title = text; body = the note left when it was done
- Triggers on contact, channel, interaction, idea, idea_step and followup keep
  the index in step with every write, whichever code path (or a plain
  ``sqlite3`` shell) makes it. UPDATE triggers fire only on the indexed
  columns, so the frequent cache writes (``contact.last_contact`` on every
  ``log``, an idea's status) never touch the index. Cascading deletes fire the
  child triggers after the parent row is gone, so rebuilding a deleted
  parent's entry inserts nothing.

SQLite only. On other databases (PostgreSQL) this revision does nothing and
``netcrm.domain.search`` falls back to case-insensitive ``LIKE`` over the
tables themselves.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CONTACT, INTERACTION, IDEA, FOLLOWUP = 1, 2, 3, 4
# rowid = kind * SPAN + id; ids stay far below 2**40.
SPAN = 1 << 40

# The SELECT that builds each kind's entries: completed by a WHERE clause on
# one row in a trigger, run whole when the index is first filled.
ENTRIES: dict[int, str] = {
    CONTACT: (
        f"SELECT {CONTACT * SPAN} + c.id, c.name, "
        "trim(coalesce(c.company || ' ', '') || coalesce(c.role || ' ', '') "
        "|| coalesce(c.location || ' ', '') || coalesce(("
        "SELECT group_concat(CASE WHEN ch.kind IN ('phone', 'whatsapp') "
        "THEN ch.value || ' ' || ch.value_norm ELSE ch.value END, ' ') "
        "FROM channel ch WHERE ch.contact_id = c.id), '')), "
        "coalesce(c.notes, '') FROM contact c"
    ),
    INTERACTION: f"SELECT {INTERACTION * SPAN} + i.id, i.summary, '', '' FROM interaction i",
    IDEA: (
        f"SELECT {IDEA * SPAN} + i.id, i.title, "
        "coalesce((SELECT group_concat(s.text, ' ') FROM idea_step s WHERE s.idea_id = i.id), ''), "
        "coalesce(i.notes, '') FROM idea i"
    ),
    FOLLOWUP: (
        f"SELECT {FOLLOWUP * SPAN} + f.id, f.text, '', coalesce(f.done_note, '') FROM followup f"
    ),
}
ALIAS = {CONTACT: "c", INTERACTION: "i", IDEA: "i", FOLLOWUP: "f"}
INSERT = "INSERT INTO search_index(rowid, title, detail, body) "


def _put(kind: int, entity_id: str) -> str:
    """Drop and re-create the entry of one row (none if the row is gone)."""
    return (
        f"DELETE FROM search_index WHERE rowid = {kind * SPAN} + {entity_id}; "
        f"{INSERT}{ENTRIES[kind]} WHERE {ALIAS[kind]}.id = {entity_id};"
    )


def _drop(kind: int, entity_id: str) -> str:
    return f"DELETE FROM search_index WHERE rowid = {kind * SPAN} + {entity_id};"


# (trigger name, event, table, body): the whole upkeep of the index.
TRIGGERS: tuple[tuple[str, str, str, str], ...] = (
    ("search_contact_ai", "AFTER INSERT", "contact", _put(CONTACT, "NEW.id")),
    (
        "search_contact_au",
        "AFTER UPDATE OF id, name, company, role, location, notes",
        "contact",
        _drop(CONTACT, "OLD.id") + " " + _put(CONTACT, "NEW.id"),
    ),
    ("search_contact_ad", "AFTER DELETE", "contact", _drop(CONTACT, "OLD.id")),
    ("search_channel_ai", "AFTER INSERT", "channel", _put(CONTACT, "NEW.contact_id")),
    (
        "search_channel_au",
        "AFTER UPDATE OF contact_id, kind, value, value_norm",
        "channel",
        _put(CONTACT, "OLD.contact_id") + " " + _put(CONTACT, "NEW.contact_id"),
    ),
    ("search_channel_ad", "AFTER DELETE", "channel", _put(CONTACT, "OLD.contact_id")),
    ("search_interaction_ai", "AFTER INSERT", "interaction", _put(INTERACTION, "NEW.id")),
    (
        "search_interaction_au",
        "AFTER UPDATE OF id, summary",
        "interaction",
        _drop(INTERACTION, "OLD.id") + " " + _put(INTERACTION, "NEW.id"),
    ),
    ("search_interaction_ad", "AFTER DELETE", "interaction", _drop(INTERACTION, "OLD.id")),
    ("search_idea_ai", "AFTER INSERT", "idea", _put(IDEA, "NEW.id")),
    (
        "search_idea_au",
        "AFTER UPDATE OF id, title, notes",
        "idea",
        _drop(IDEA, "OLD.id") + " " + _put(IDEA, "NEW.id"),
    ),
    ("search_idea_ad", "AFTER DELETE", "idea", _drop(IDEA, "OLD.id")),
    ("search_idea_step_ai", "AFTER INSERT", "idea_step", _put(IDEA, "NEW.idea_id")),
    (
        "search_idea_step_au",
        "AFTER UPDATE OF idea_id, text",
        "idea_step",
        _put(IDEA, "OLD.idea_id") + " " + _put(IDEA, "NEW.idea_id"),
    ),
    ("search_idea_step_ad", "AFTER DELETE", "idea_step", _put(IDEA, "OLD.idea_id")),
    ("search_followup_ai", "AFTER INSERT", "followup", _put(FOLLOWUP, "NEW.id")),
    (
        "search_followup_au",
        "AFTER UPDATE OF id, text, done_note",
        "followup",
        _drop(FOLLOWUP, "OLD.id") + " " + _put(FOLLOWUP, "NEW.id"),
    ),
    ("search_followup_ad", "AFTER DELETE", "followup", _drop(FOLLOWUP, "OLD.id")),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "title, detail, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    # A name or title outweighs the company, channels or steps, which outweigh
    # a word deep in the notes.
    op.execute(
        "INSERT INTO search_index(search_index, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')"
    )
    # Index what the database already holds, in the migration's transaction.
    for kind in (CONTACT, INTERACTION, IDEA, FOLLOWUP):
        op.execute(INSERT + ENTRIES[kind])
    for name, event, table, body in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {event} ON {table} BEGIN {body} END")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, _event, _table, _body in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS search_index")
