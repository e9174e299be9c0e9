"""The review inbox: its items, the lines staff dismissed, how far it is folded; summaries folded again.

The summaries count a fallback as the bot's fallback reply now (action_handle_fallback, the out-of-scope
redirect, action_default_fallback), so they are emptied and folded again from the start, as in 0002.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

conversations = sa.table("console_conversations")
refresh_state = sa.table("console_refresh_state", sa.column("id", sa.Integer), sa.column("last_event_id", sa.Integer))


def key_columns() -> list[sa.Column]:
    return [
        sa.Column("conversation_id", sa.String(length=255), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
    ]


def refold_summaries() -> None:
    op.execute(conversations.delete())
    op.execute(refresh_state.delete())
    op.execute(refresh_state.insert().values(id=1, last_event_id=0))


def upgrade() -> None:
    op.create_table(
        "console_inbox_items",
        *key_columns(),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("detail", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", "event_id", "category"),
    )
    op.create_index(op.f("ix_console_inbox_items_at"), "console_inbox_items", ["at"])
    op.create_table(
        "console_inbox_dismissals",
        *key_columns(),
        sa.Column("dismissed_by", sa.String(length=64), nullable=False),
        sa.Column("dismissed_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", "event_id", "category"),
    )
    state = op.create_table(
        "console_inbox_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(state, [{"id": 1, "last_event_id": 0}])
    refold_summaries()


def downgrade() -> None:
    op.drop_table("console_inbox_state")
    op.drop_table("console_inbox_dismissals")
    op.drop_index(op.f("ix_console_inbox_items_at"), table_name="console_inbox_items")
    op.drop_table("console_inbox_items")
    refold_summaries()
