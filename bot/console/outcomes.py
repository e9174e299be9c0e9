"""What counts as a red flag, a booking offer, a completed booking and a fallback.

The same definitions are written as Rasa markers in markers/markers.yml, so that
`rasa evaluate markers` computes the same outcomes from the same tracker store.
"""

from __future__ import annotations

RED_FLAG_ACTION = "action_red_flag"
BOOKING_OFFER_ACTION = "utter_offer_booking"
BOOKING_SAVE_ACTION = "action_save_booking"
# A bot failure: the NLU did not understand the message, or no policy knew what to do next.
FALLBACK_INTENT = "nlu_fallback"
CORE_FALLBACK_ACTION = "action_default_fallback"
# The widget sends this unseen when a patient opens the chat (bot/web/static/widget/widget.js), so the
# assistant greets first: not the patient's words, so neither shown as a message nor counted as a turn.
HIDDEN_GREETING = "/greet"
