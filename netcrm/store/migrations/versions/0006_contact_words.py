"""The words of every contact's name, indexed, so that WHO finds a person by
any word of their name ("gall" for Pierre-Yves Le Gall, "arcy" or "darcy"
for Sean D'Arcy).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

``contact_word`` holds one row per distinct word of the folded name
(``contact.name_norm``: casefolded, accents stripped), split on spaces and
hyphens, an apostrophe both splitting a word and dropped (``d'arcy`` gives
``d``, ``arcy`` and ``darcy``). The application keeps it current on every
write of a name; this revision fills it for the contacts already there, from
the folded names they have (the split below is this revision's own, frozen).
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SPLIT = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014]+")


def _words(name_norm: str) -> set[str]:
    words: set[str] = set()
    for apostrophe in (" ", ""):
        words.update(w for w in _SPLIT.split(name_norm.replace("'", apostrophe)) if w)
    return words


def upgrade() -> None:
    op.create_table(
        "contact_word",
        sa.Column("word", sa.String(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("word", "contact_id"),
    )
    op.create_index("ix_contact_word_contact", "contact_word", ["contact_id", "word"])
    conn = op.get_bind()
    rows = [
        {"word": word, "contact_id": contact_id}
        for contact_id, name_norm in conn.execute(sa.text("SELECT id, name_norm FROM contact"))
        for word in sorted(_words(name_norm or ""))
    ]
    if rows:
        conn.execute(
            sa.text("INSERT INTO contact_word (word, contact_id) VALUES (:word, :contact_id)"),
            rows,
        )


def downgrade() -> None:
    op.drop_index("ix_contact_word_contact", table_name="contact_word")
    op.drop_table("contact_word")
