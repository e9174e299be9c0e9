"""Fold every conversation's summary again: the widget's hidden greeting no longer counts as a message.

The summaries are derived from Rasa's events, so they are emptied and the console's refresh
rebuilds them from the start of the events table, with the new rule.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

conversations = sa.table("console_conversations")
refresh_state = sa.table("console_refresh_state", sa.column("id", sa.Integer), sa.column("last_event_id", sa.Integer))


def upgrade() -> None:
    op.execute(conversations.delete())
    op.execute(refresh_state.delete())
    op.execute(refresh_state.insert().values(id=1, last_event_id=0))


def downgrade() -> None:
    upgrade()  # the summaries are folded again, under whichever rule the code then has
