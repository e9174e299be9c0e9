"""Corrections: what staff say the assistant should have read in a patient message.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("intent", sa.String(length=128), nullable=False),
        sa.Column("entities", sa.Text(), nullable=False),
        sa.Column("red_flag_level", sa.String(length=16), nullable=False),
        sa.Column("red_flags", sa.String(length=255), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index(op.f("ix_console_corrections_conversation_id"), "console_corrections", ["conversation_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_console_corrections_conversation_id"), table_name="console_corrections")
    op.drop_table("console_corrections")
