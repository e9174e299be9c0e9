"""The conversation list and the transcript view, with the review status, notes and tags forms."""

from __future__ import annotations

from urllib.parse import unquote

import sqlalchemy as sa
from sanic import Blueprint, HTTPResponse, Request
from sanic.response import redirect
from sqlalchemy.engine import Connection

from bot.console import audit, corrections, reviews, transcript
from bot.console.filters import BOOKING_CHOICES, REVIEW_STATUSES, ConversationFilter
from bot.console.links import transcript_path
from bot.console.queries import list_page
from bot.console.web import form_value, in_thread, render
from clinic.contract import ASSESSMENTS
from clinic.database.tables import booking_requests, conversations


def exists(connection: Connection, conversation_id: str) -> bool:
    found = connection.execute(
        sa.select(conversations.c.conversation_id).where(conversations.c.conversation_id == conversation_id)
    ).first()
    return found is not None


def conversations_blueprint() -> Blueprint:
    bp = Blueprint("conversations")

    @bp.get("/")
    async def home(_request: Request) -> HTTPResponse:
        return redirect("/conversations")

    @bp.get("/conversations")
    @in_thread
    def conversation_list(request: Request) -> HTTPResponse:
        settings = request.app.ctx.settings
        chosen = ConversationFilter.from_args(request.args)
        with request.app.ctx.engine.connect() as connection:
            page = list_page(connection, chosen, settings.zone, settings.page_size)
        return render(
            request,
            "conversations.html",
            chosen=chosen,
            page=page,
            assessments=ASSESSMENTS,
            booking_choices=BOOKING_CHOICES,
            review_statuses=REVIEW_STATUSES,
            transcript_path=transcript_path,
        )

    @bp.get("/conversations/<conversation_id:path>")
    @in_thread
    def transcript_view(request: Request, conversation_id: str) -> HTTPResponse:
        # sanic 21.12 hands a path parameter over percent-encoded, under a real server and under ASGI alike.
        return show_transcript(request, unquote(conversation_id))

    @bp.get("/conversation")
    @in_thread
    def transcript_by_query(request: Request) -> HTTPResponse:
        """The transcript of an id in links.DOT_SEGMENTS (or any other), named in the query string."""
        return show_transcript(request, request.args.get("id", ""))

    def show_transcript(request: Request, conversation_id: str) -> HTTPResponse:
        settings = request.app.ctx.settings
        with request.app.ctx.engine.begin() as connection:
            summary = connection.execute(
                sa.select(conversations).where(conversations.c.conversation_id == conversation_id)
            ).first()
            if summary is None:
                return render(
                    request, "error.html", status=404, message="No such conversation (it may have been deleted)."
                )
            stored = transcript.load_events(connection, conversation_id)
            items = transcript.build(stored, settings.low_confidence)
            corrected = corrections.of_conversation(connection, conversation_id)
            review = reviews.review_of(connection, conversation_id)
            bookings = connection.execute(
                sa.select(booking_requests)
                .where(booking_requests.c.conversation_id == conversation_id)
                .order_by(booking_requests.c.id)
            ).all()
            audit.record(connection, request, "view_transcript", conversation_id)
        return render(
            request,
            "transcript.html",
            summary=summary,
            items=items,
            review=review,
            bookings=bookings,
            low_confidence=settings.low_confidence,
            transcript_path=transcript_path,
            corrected=corrected,
            readings=corrections.readings(stored, corrected),
        )

    def change(request: Request, action: str) -> HTTPResponse:
        """Applies one review change to the conversation named in the form, audited, then shows it again."""
        conversation_id = form_value(request, "conversation_id")
        user = request.ctx.user
        with request.app.ctx.engine.begin() as connection:
            if not exists(connection, conversation_id):
                return render(request, "error.html", status=404, message="No such conversation.")
            try:
                if action == "review_status":
                    detail = form_value(request, "status")
                    reviews.set_status(connection, conversation_id, detail, user.username)
                elif action == "note_added":
                    detail = ""
                    reviews.add_note(connection, conversation_id, form_value(request, "body"), user.username)
                else:
                    new_tags = reviews.parse_tags(form_value(request, "tags"))
                    detail = ",".join(new_tags)
                    reviews.set_tags(connection, conversation_id, new_tags)
            except ValueError as error:
                return render(request, "error.html", status=400, message=f"Not saved: {error}.")
            audit.record(connection, request, action, conversation_id, detail)
        return redirect(transcript_path(conversation_id))

    @bp.post("/reviews")
    @in_thread
    def review_status(request: Request) -> HTTPResponse:
        return change(request, "review_status")

    @bp.post("/notes")
    @in_thread
    def add_note(request: Request) -> HTTPResponse:
        return change(request, "note_added")

    @bp.post("/tags")
    @in_thread
    def set_tags(request: Request) -> HTTPResponse:
        return change(request, "tags_changed")

    return bp
