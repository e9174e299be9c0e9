"""Charts staff would rather look at than read, drawn on the server as SVG with matplotlib."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import date, timedelta

import matplotlib
from matplotlib.axes import Axes
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter
from sanic import Blueprint, HTTPResponse, Request
from sanic.response import raw

from bot.console.bounds import day
from bot.console.chart_numbers import Figures, compute, default_range
from bot.console.inbox import LABELS, counts
from bot.console.inbox_fold import CATEGORIES
from bot.console.queries import day_start
from bot.console.web import in_thread, render
from clinic.contract import ASSESSMENTS

matplotlib.use("Agg")
# Text drawn as paths: the charts look the same whatever fonts the staff's computer has.
matplotlib.rcParams.update({"svg.fonttype": "path", "svg.hashsalt": "console", "font.size": 9})
BLUE, RED, GREY = "#2563a6", "#b3261e", "#6b7280"
# A year of daily bars at most: drawing time grows with the days (six years took 3.8 s and 468 KB), and a range of
# centuries would hold a worker for hours. The page says so.
MAX_CHART_DAYS = 366


def per_day(ax: Axes, figures: Figures, values: list[float | None], color: str, percent: bool) -> None:
    days = [d.day for d in figures.days]
    ax.bar(days, [v or 0 for v in values], color=color, width=0.8)
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.xaxis.set_major_formatter(DateFormatter("%b %d"))
    ax.figure.autofmt_xdate()


def conversations_chart(ax: Axes, figures: Figures) -> None:
    ax.set_title("Conversations per day")
    per_day(ax, figures, [d.conversations for d in figures.days], BLUE, percent=False)
    ax.yaxis.get_major_locator().set_params(integer=True)


def bookings_chart(ax: Axes, figures: Figures) -> None:
    ax.set_title("Booking rate: conversations that sent a booking request")
    per_day(ax, figures, [d.booking_rate for d in figures.days], BLUE, percent=True)


def fallbacks_chart(ax: Axes, figures: Figures) -> None:
    ax.set_title("Fallback rate: patient messages the bot did not understand")
    per_day(ax, figures, [d.fallback_rate for d in figures.days], RED, percent=True)


def assessments_chart(ax: Axes, figures: Figures) -> None:
    ax.set_title("Assessment mix")
    labels = [*ASSESSMENTS, "none"]
    colors = [RED if label in ("emergency", "urgent") else GREY if label == "none" else BLUE for label in labels]
    ax.barh(
        [label.replace("_", " ") for label in labels], [figures.assessments[label] for label in labels], color=colors
    )
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)


CHARTS: dict[str, Callable[[Axes, Figures], None]] = {
    "conversations": conversations_chart,
    "assessments": assessments_chart,
    "bookings": bookings_chart,
    "fallbacks": fallbacks_chart,
}


def svg(draw: Callable[[Axes, Figures], None], figures: Figures) -> bytes:
    """A new Figure per chart (not pyplot's global state), so concurrent requests can't mix."""
    figure = Figure(figsize=(7, 3), dpi=100, tight_layout=True)
    draw(figure.add_subplot(), figures)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    return buffer.getvalue()


def chosen_range(request: Request) -> tuple[date, date]:
    """The days asked for (the last 30 when none) up to today at most, cut to the MAX_CHART_DAYS that end on the
    last one."""
    first, today = default_range(request.app.ctx.settings.zone)
    first, last = day(request.args.get("from", "")) or first, day(request.args.get("to", "")) or today
    first, last = sorted((min(first, today), min(last, today)))
    return max(first, last - timedelta(days=MAX_CHART_DAYS - 1)), last


def charts_blueprint() -> Blueprint:
    bp = Blueprint("charts")

    def figures_for(request: Request) -> tuple[Figures, date, date]:
        first, last = chosen_range(request)
        with request.app.ctx.engine.connect() as connection:
            return compute(connection, first, last, request.app.ctx.settings.zone), first, last

    @bp.get("/charts")
    @in_thread
    def charts_page(request: Request) -> HTTPResponse:
        figures, first, last = figures_for(request)
        zone = request.app.ctx.settings.zone
        with request.app.ctx.engine.connect() as connection:
            inbox = counts(connection, time.time(), day_start(first, zone), day_start(last + timedelta(days=1), zone))
        return render(
            request,
            "charts.html",
            figures=figures,
            first=first,
            last=last,
            max_days=MAX_CHART_DAYS,
            charts=list(CHARTS),
            inbox=inbox,
            inbox_categories=CATEGORIES,
            inbox_labels=LABELS,
        )

    @bp.get("/charts/svg/<name:str>")
    @in_thread
    def chart(request: Request, name: str) -> HTTPResponse:
        if name not in CHARTS:
            return render(request, "error.html", status=404, message="No such chart.")
        figures, _first, _last = figures_for(request)
        return raw(svg(CHARTS[name], figures), content_type="image/svg+xml")

    return bp
