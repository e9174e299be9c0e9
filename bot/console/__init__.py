"""The staff console: conversations, booking requests, charts and exports, behind a login.

It reads Rasa's own tracker store (the `events` table) and the `booking_requests` table beside it,
and keeps its own tables (staff, sessions, reviews, audit log, a per-conversation summary) in the
same database. It is a separate app from the public widget so it can be bound to another address.
"""
