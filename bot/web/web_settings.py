"""What the web app needs to know, gathered in one place so the app factory stays testable."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.incoming import MAX_MESSAGE_CHARS
from clinic.config import Clinic, load_clinic


@dataclass(frozen=True)
class WebSettings:
    """Where Rasa listens, which sites may embed the widget, and the clinic shown to patients."""

    rasa_url: str = "http://127.0.0.1:5005"
    # Exact origins (scheme://host[:port]) of other sites that embed the widget, e.g. the clinic's
    # real site. The app's own pages never need to be listed.
    allowed_origins: frozenset[str] = frozenset()
    clinic: Clinic = field(default_factory=load_clinic)
    # A patient's message is forwarded only up to this length; longer ones get a clear error.
    max_message_chars: int = MAX_MESSAGE_CHARS
    # Rasa can be slow on a cold model; past this the patient gets an error and a retry.
    rasa_timeout_s: float = 60.0

    @property
    def try_again(self) -> str:
        """What the patient sees, with a Retry, when the assistant failed to answer a message."""
        return (
            "Sorry, something went wrong on our side and your message was not answered. Please try again in a "
            f"moment; if it keeps happening, call {self.clinic.name} at {self.clinic.phone}."
        )

    @property
    def rasa_webhook(self) -> str:
        return f"{self.rasa_url.rstrip('/')}/webhooks/rest/webhook"
