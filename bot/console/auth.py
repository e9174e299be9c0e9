"""Login and logout: argon2 password check, lockout after repeated failures, a fresh session."""

from __future__ import annotations

import secrets
import time

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import redirect

from bot.console import audit
from bot.console.lockout import record_attempt, seconds_locked
from bot.console.passwords import UNKNOWN_USER_HASH, hash_password, needs_rehash, verify_password
from bot.console.sessions import end_session, start_session
from bot.console.users import find_user
from bot.console.web import LOGIN_CSRF_COOKIE, SESSION_COOKIE, client_ip, form_value, in_thread, render, set_cookie
from clinic.database.tables import users


def safe_next(target: str) -> str:
    """Only a path on this console: a crafted link can't send staff elsewhere after login."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/conversations"


def login_form(request: Request, status: int = 200, error: str = "", username: str = "") -> HTTPResponse:
    """The form with a double-submit token (cookie + hidden field): logins are CSRF-checked too.

    The browser's token is kept if it has one: the browser may fetch the login page again behind
    the scenes (Chromium does), and a new token would break the form already on screen.
    """
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    next_path = safe_next(form_value(request, "next") or request.args.get("next", ""))
    response = render(
        request, "login.html", status=status, login_token=token, error=error, username=username, next_path=next_path
    )
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, path="/login")
    return response


def auth_blueprint() -> Blueprint:
    bp = Blueprint("auth")

    @bp.get("/login")
    @in_thread
    def login_page(request: Request) -> HTTPResponse:
        if request.ctx.user:
            return redirect("/conversations")
        return login_form(request)

    @bp.post("/login")
    @in_thread
    def login(request: Request) -> HTTPResponse:
        username = form_value(request, "username").lower()[:64]
        password = str(request.form.get("password") or "")
        ip, now = client_ip(request), time.time()
        engine = request.app.ctx.engine
        with engine.begin() as connection:
            wait = seconds_locked(connection, username, ip, now)
            if wait > 0:
                audit.record(connection, request, "login_locked", username, username=username)
                minutes = max(1, round(wait / 60))
                error = f"Too many failed attempts. Try again in {minutes} minute{'s' if minutes > 1 else ''}."
                return login_form(request, 429, error, username)
            user = find_user(connection, username)
            valid = verify_password(user.password_hash if user else UNKNOWN_USER_HASH, password)
            if not (user and user.active and valid):
                record_attempt(connection, username, ip, False, now)
                audit.record(connection, request, "login_failed", username, username=username)
                return login_form(request, 401, "Wrong username or password.", username)
            record_attempt(connection, username, ip, True, now)
            token = start_session(connection, user.id, now)
            changes: dict[str, object] = {"last_login_at": now}
            if needs_rehash(user.password_hash):
                changes["password_hash"] = hash_password(password)
            connection.execute(users.update().where(users.c.id == user.id).values(**changes))
            audit.record(connection, request, "login", username, username=username)
        response = redirect(safe_next(form_value(request, "next")))
        set_cookie(request, response, SESSION_COOKIE, token)
        return response

    @bp.post("/logout")
    @in_thread
    def logout(request: Request) -> HTTPResponse:
        with request.app.ctx.engine.begin() as connection:
            end_session(connection, request.cookies.get(SESSION_COOKIE, ""))
            audit.record(connection, request, "logout")
        response = redirect("/login")
        del response.cookies[SESSION_COOKIE]
        return response

    return bp
