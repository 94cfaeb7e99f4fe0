"""Follow-ups, and collaboration ideas with their action plans.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "idea",
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("effort_hours", sa.Float(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "idea_contact",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("idea_id", "contact_id"),
    )
    op.create_index("ix_idea_contact_contact_id", "idea_contact", ["contact_id"])
    op.create_table(
        "idea_tag",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("idea_id", "tag_id"),
    )
    op.create_index("ix_idea_tag_tag_id", "idea_tag", ["tag_id"])
    op.create_table(
        "idea_key",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("idea_id", "key"),
    )
    op.create_table(
        "idea_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("effort_hours", sa.Float(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_idea_step_idea_id", "idea_step", ["idea_id"])
    op.create_index(
        "ix_idea_step_open_due",
        "idea_step",
        ["due"],
        sqlite_where=sa.text("done_at IS NULL AND due IS NOT NULL"),
        postgresql_where=sa.text("done_at IS NULL AND due IS NOT NULL"),
    )
    op.create_table(
        "idea_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_idea_event_idea_id", "idea_event", ["idea_id"])

    op.create_table(
        "followup",
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("recurrence", sa.String(), nullable=True),
        sa.Column("from_done", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_note", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_followup_contact_id", "followup", ["contact_id"])
    op.create_index("ix_followup_idea_id", "followup", ["idea_id"])
    op.create_index(
        "ix_followup_open_due",
        "followup",
        ["due"],
        sqlite_where=sa.text("done_at IS NULL"),
        postgresql_where=sa.text("done_at IS NULL"),
    )
    op.create_table(
        "followup_tag",
        sa.Column("followup_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["followup_id"], ["followup.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("followup_id", "tag_id"),
    )
    op.create_index("ix_followup_tag_tag_id", "followup_tag", ["tag_id"])
    op.create_table(
        "followup_key",
        sa.Column("followup_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["followup_id"], ["followup.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("followup_id", "key"),
    )


def downgrade() -> None:
    for table in (
        "followup_key",
        "followup_tag",
        "followup",
        "idea_event",
        "idea_step",
        "idea_key",
        "idea_tag",
        "idea_contact",
        "idea",
    ):
        op.drop_table(table)
