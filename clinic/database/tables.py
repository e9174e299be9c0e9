"""Every table the clinic's code owns, defined once: the assistant writes booking requests, the console the rest.

The schema changes only through a migration (clinic/database/migrations): `make migrate` applies them,
and a test checks that these definitions and the migrations agree. Console times are stored as epoch
seconds (floats), as Rasa stores event times: the same on SQLite and PostgreSQL, and no naive/aware
datetime mix-ups.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# Written by the assistant's booking action (clinic/booking_requests.py), worked through in the console.
booking_requests = sa.Table(
    "booking_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("patient_name", sa.String(255), nullable=False),
    sa.Column("contact_kind", sa.String(16), nullable=False),
    sa.Column("contact", sa.String(255), nullable=False),
    sa.Column("preferred_time", sa.String(255), nullable=False),
    sa.Column("assessment", sa.String(32), nullable=True),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="new"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

users = sa.Table(
    "console_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_login_at", sa.Float),
)

sessions = sa.Table(
    "console_sessions",
    metadata,
    # Only a hash of the cookie is stored: a copy of the database does not log anyone in.
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("console_users.id"), nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("last_seen_at", sa.Float, nullable=False),
)

login_attempts = sa.Table(
    "console_login_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("ip", sa.String(64), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("success", sa.Boolean, nullable=False),
)

# One row per conversation (Rasa sender id), folded from its events; see bot/console/conversation_summaries.py.
conversations = sa.Table(
    "console_conversations",
    metadata,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("started_at", sa.Float, nullable=False, index=True),
    sa.Column("last_event_at", sa.Float, nullable=False, index=True),
    sa.Column("last_event_id", sa.Integer, nullable=False),
    sa.Column("first_message", sa.Text),
    sa.Column("turns", sa.Integer, nullable=False, default=0),
    sa.Column("assessment", sa.String(32), index=True),
    sa.Column("red_flag", sa.Boolean, nullable=False, default=False),
    sa.Column("booking_offered", sa.Boolean, nullable=False, default=False),
    sa.Column("booking_requested", sa.Boolean, nullable=False, default=False),
    sa.Column("booking_completed", sa.Boolean, nullable=False, default=False),
    sa.Column("fallbacks", sa.Integer, nullable=False, default=0),
    # The patient's messages, lower-cased, for the text search.
    sa.Column("search_text", sa.Text, nullable=False, default=""),
)

# How far into the events table the summaries have been folded.
refresh_state = sa.Table(
    "console_refresh_state",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("last_event_id", sa.Integer, nullable=False),
)

reviews = sa.Table(
    "console_reviews",
    metadata,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
)

notes = sa.Table(
    "console_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

tags = sa.Table(
    "console_tags",
    metadata,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("tag", sa.String(64), primary_key=True),
)

booking_history = sa.Table(
    "console_booking_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("booking_id", sa.Integer, nullable=False, index=True),
    sa.Column("from_status", sa.String(16), nullable=False),
    sa.Column("to_status", sa.String(16), nullable=False),
    sa.Column("changed_by", sa.String(64), nullable=False),
    sa.Column("changed_at", sa.Float, nullable=False),
)

audit_log = sa.Table(
    "console_audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("username", sa.String(64), nullable=False, index=True),
    sa.Column("action", sa.String(32), nullable=False, index=True),
    sa.Column("target", sa.String(255), nullable=False, default=""),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("ip", sa.String(64), nullable=False, default=""),
)

# The review inbox (bot/console/inbox.py): what the background fold found worth a look, message by message.
# Derived from Rasa's events like the summaries, so it can be folded again at any time; no patient text here.
inbox_items = sa.Table(
    "console_inbox_items",
    metadata,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("event_id", sa.Integer, primary_key=True),
    sa.Column("category", sa.String(32), primary_key=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("detail", sa.String(255), nullable=False, default=""),
)

# Lines a staff member dismissed: kept apart from the items, which are folded again and again.
inbox_dismissals = sa.Table(
    "console_inbox_dismissals",
    metadata,
    sa.Column("conversation_id", sa.String(255), primary_key=True),
    sa.Column("event_id", sa.Integer, primary_key=True),
    sa.Column("category", sa.String(32), primary_key=True),
    sa.Column("dismissed_by", sa.String(64), nullable=False),
    sa.Column("dismissed_at", sa.Float, nullable=False),
)

# How far into the events table the inbox has been folded.
inbox_state = sa.Table(
    "console_inbox_state",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("last_event_id", sa.Integer, nullable=False),
)

# What a staff member says the assistant should have read in one patient message (bot/console/corrections.py).
# No patient text is copied here: the message stays in Rasa's events, and retention deletes both together.
corrections = sa.Table(
    "console_corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # The id of the message's row in Rasa's events table: one correction per message.
    sa.Column("event_id", sa.Integer, nullable=False, unique=True),
    sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
    sa.Column("intent", sa.String(128), nullable=False),
    # JSON list of {"start", "end", "entity", "value"}: character offsets in the message, a contract value.
    sa.Column("entities", sa.Text, nullable=False, default="[]"),
    sa.Column("red_flag_level", sa.String(16), nullable=False),
    sa.Column("red_flags", sa.String(255), nullable=False, default=""),  # comma-separated flag names
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
)
