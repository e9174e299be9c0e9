"""The conversation list's filters, read from the query string and written back into links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from bot.console.bounds import day, page_number
from bot.console.reviews import STATUSES as REVIEW_STATUSES
from bot.incoming import clean_text
from clinic.contract import ASSESSMENTS

BOOKING_CHOICES = ("offered", "requested", "completed", "none")
YES_NO = ("yes", "no")
MAX_SEARCH_CHARS = 200


def choice(value: str, allowed: tuple[str, ...]) -> str:
    """The value if allowed, else no filter: a hand-edited link never errors, it just doesn't filter."""
    return value if value in allowed else ""


@dataclass(frozen=True)
class ConversationFilter:
    """Every filter of the list; empty means "any"."""

    date_from: date | None = None
    date_to: date | None = None
    assessment: str = ""
    red_flag: str = ""
    booking: str = ""
    fallbacks: str = ""
    review: str = ""
    text: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> ConversationFilter:
        """From sanic's request.args (values are lists) or a plain dict of strings."""

        def get(name: str) -> str:
            value = args.get(name, "")
            value = value[0] if isinstance(value, list) and value else value
            return str(value or "").strip()

        return cls(
            date_from=day(get("from")),
            date_to=day(get("to")),
            assessment=choice(get("assessment"), (*ASSESSMENTS, "none")),
            red_flag=choice(get("red_flag"), YES_NO),
            booking=choice(get("booking"), BOOKING_CHOICES),
            fallbacks=choice(get("fallbacks"), YES_NO),
            review=choice(get("review"), REVIEW_STATUSES),
            # Cleaned as stored messages are: a NUL in a search term would end it (SQLite) or fail (PostgreSQL).
            text=clean_text(get("q")[:MAX_SEARCH_CHARS]),
            page=page_number(get("page")),
        )

    def query_string(self, page: int | None = None) -> str:
        """The filters as a query string, for pagination and export links (page 1 is left out)."""
        names = {"date_from": "from", "date_to": "to", "text": "q"}
        pairs = {names.get(f.name, f.name): getattr(self, f.name) for f in fields(self) if f.name != "page"}
        pairs = {k: str(v) for k, v in pairs.items() if v}
        page = self.page if page is None else page
        if page > 1:
            pairs["page"] = str(page)
        return urlencode(pairs)

    def on_page(self, page: int) -> ConversationFilter:
        return replace(self, page=page)
