"""Foundation: contacts, channels, tags, keys, the interaction log.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("company", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("met_via", sa.String(), nullable=True),
        sa.Column("met_on", sa.Date(), nullable=True),
        sa.Column("birthday_year", sa.Integer(), nullable=True),
        sa.Column("birthday_month", sa.Integer(), nullable=True),
        sa.Column("birthday_day", sa.Integer(), nullable=True),
        sa.Column("warmth", sa.Integer(), nullable=True),
        sa.Column("bigger", sa.Boolean(), nullable=False),
        sa.Column("relationship", sa.String(), nullable=False),
        sa.Column("cadence", sa.String(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_norm", sa.String(), nullable=False),
        sa.Column("surname_norm", sa.String(), nullable=False),
        sa.Column("last_contact", sa.Date(), nullable=True),
        sa.Column("next_touch", sa.Date(), nullable=True),
        sa.Column("birthday_wished_year", sa.Integer(), nullable=True),
        sa.Column("birthday_snoozed_to", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contact_name_norm", "contact", ["name_norm"])
    op.create_index("ix_contact_surname_norm", "contact", ["surname_norm"])
    op.create_index("ix_contact_last_contact", "contact", ["last_contact"])
    op.create_index("ix_contact_next_touch", "contact", ["next_touch"])
    op.create_index("ix_contact_birthday", "contact", ["birthday_month", "birthday_day"])

    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("value_norm", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_channel_contact", "channel", ["contact_id", "position"])
    op.create_index("ix_channel_lookup", "channel", ["kind", "value_norm"])

    op.create_table(
        "contact_tag",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_id", "tag_id"),
    )
    op.create_index("ix_contact_tag_tag_id", "contact_tag", ["tag_id"])
    op.create_table(
        "contact_key",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_id", "key"),
    )

    op.create_table(
        "interaction",
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("occurred_time", sa.String(), nullable=True),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_interaction_occurred_on", "interaction", ["occurred_on"])
    op.create_table(
        "interaction_contact",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["interaction_id"], ["interaction.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("interaction_id", "contact_id"),
    )
    op.create_index(
        "ix_interaction_contact_contact", "interaction_contact", ["contact_id", "interaction_id"]
    )
    op.create_table(
        "interaction_tag",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["interaction_id"], ["interaction.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("interaction_id", "tag_id"),
    )
    op.create_index("ix_interaction_tag_tag_id", "interaction_tag", ["tag_id"])
    op.create_table(
        "interaction_key",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["interaction_id"], ["interaction.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("interaction_id", "key"),
    )


def downgrade() -> None:
    for table in (
        "interaction_key",
        "interaction_tag",
        "interaction_contact",
        "interaction",
        "contact_key",
        "contact_tag",
        "channel",
        "tag",
        "contact",
    ):
        op.drop_table(table)
