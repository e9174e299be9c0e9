"""The clinic's own tables (booking requests, the staff console's), their one definition and migrations.

Rasa's `events` table is Rasa's: it creates and changes it itself, so it is not here.
"""
