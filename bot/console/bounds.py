"""What an id, a page number or a date typed into a console link can be, so none of them can fail a page.

An id or page past what a database can hold failed with an SQLite overflow (500), a date near the year 9999 with
a date overflow, and a chart over centuries held a worker for hours. Past these bounds a page answers 404 (an id,
a page) or 400 (a date) at once; a word where a number or date belongs still means "none given", as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from sanic import Request, Sanic
from sanic.exceptions import InvalidUsage, NotFound

MAX_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL store: no row has a bigger id
MAX_PAGE = 100_000  # 5 million rows at 50 a page, well inside what an SQL OFFSET takes
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 31)  # wider than any conversation's, safe to compute with
DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() takes "²", which int() refuses


def whole_number(raw: str) -> int | None:
    """The number `raw` spells in ASCII digits, if a database id can be that big; else None."""
    if not DIGITS.fullmatch(raw) or len(raw) > len(str(MAX_ID)):
        return None
    number = int(raw)
    return number if number <= MAX_ID else None


def page_number(raw: str) -> int:
    """?page=N: 1 when missing or not a number; NotFound past MAX_PAGE."""
    if not DIGITS.fullmatch(raw):
        return 1
    page = whole_number(raw)
    if page is None or page > MAX_PAGE:
        raise NotFound("No such page.")
    return max(page, 1)


def day(raw: str) -> date | None:
    """An ISO date (None when it isn't one); InvalidUsage outside FIRST_DAY..LAST_DAY."""
    try:
        chosen = date.fromisoformat(raw)
    except ValueError:
        return None
    if not FIRST_DAY <= chosen <= LAST_DAY:
        raise InvalidUsage(f"Dates go from {FIRST_DAY} to {LAST_DAY}.")
    return chosen


def ids_in_range(match_info: Mapping[str, object]) -> bool:
    """Whether every number in the route's path (/bookings/<id>, /corrections/<id>, ...) can be a database id."""
    return all(abs(value) <= MAX_ID for value in match_info.values() if isinstance(value, int))


def install_bounds(app: Sanic) -> None:
    """A path with an id no row can have is answered 404 before its handler runs, for every route at once."""

    @app.on_request
    async def refuse_impossible_ids(request: Request) -> None:
        if not ids_in_range(request.match_info):
            raise NotFound("No such page.")
