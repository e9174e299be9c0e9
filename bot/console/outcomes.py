"""What counts as a red flag, a booking offer, a completed booking and a fallback.

The same definitions are written as Rasa markers in markers/markers.yml, so that
`rasa evaluate markers` computes the same outcomes from the same tracker store.
"""

from __future__ import annotations

RED_FLAG_ACTION = "action_red_flag"
BOOKING_OFFER_ACTION = "utter_offer_booking"
BOOKING_SAVE_ACTION = "action_save_booking"
# A bot failure is the bot's fallback reply to a patient message: the rules and stories answer a message the
# NLU did not understand (nlu_fallback) or another topic (out_of_scope) with action_handle_fallback, or with the
# out-of-scope redirect during the pain questions; action_default_fallback is Rasa's own, from older models.
# Counting the replies, not the intents, counts each failed message once.
FALLBACK_ACTIONS = frozenset({"action_handle_fallback", "utter_out_of_scope", "action_default_fallback"})
# What the NLU calls a message it did not understand (highlighted in transcripts).
FALLBACK_INTENT = "nlu_fallback"
# The widget sends this unseen when a patient opens the chat (bot/web/static/widget/widget.js), so the
# assistant greets first: not the patient's words, so neither shown as a message nor counted as a turn.
HIDDEN_GREETING = "/greet"
