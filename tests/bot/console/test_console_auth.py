"""Logins: argon2 hashes, cookie flags, session expiry, lockout, CSRF, and the audit trail."""

from __future__ import annotations

import time
from dataclasses import replace

import httpx2
import pytest
import sqlalchemy as sa
from sanic import Sanic

from bot.console.console_app import create_app
from bot.console.console_settings import ConsoleSettings
from bot.console.lockout import ADDRESS_ACCOUNTS, ADDRESS_WINDOW_S, FREE_FAILURES, record_attempt, seconds_locked
from bot.console.users import create_user
from clinic.database.tables import audit_log, reviews, sessions, users
from tests.bot.console.console_support import PASSWORD
from tools.console_client import console_client, csrf_token, log_in


def audit_actions(app: Sanic, username: str) -> list[str]:
    with app.ctx.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(audit_log.c.action).where(audit_log.c.username == username).order_by(audit_log.c.id)
            ).scalars()
        )


async def test_passwords_are_stored_as_argon2_hashes_only(app: Sanic) -> None:
    with app.ctx.engine.connect() as connection:
        stored = connection.execute(sa.select(users.c.password_hash).where(users.c.username == "sam")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_a_login_sets_a_strict_httponly_session_cookie_and_is_audited(
    app: Sanic, anonymous: httpx2.AsyncClient
) -> None:
    response = await log_in(anonymous, "sam", PASSWORD)
    assert response.status_code == 302 and response.headers["location"] == "/"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("console_session="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    assert (await anonymous.get("/conversations")).status_code == 200
    assert audit_actions(app, "sam") == ["login"]


async def test_cookies_are_secure_when_served_over_https(app: Sanic) -> None:
    async with console_client(app, base_url="https://console.test") as client:
        response = await log_in(client, "sam", PASSWORD)
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("console_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie


async def test_cookies_are_secure_behind_a_tls_proxy_when_configured(settings: ConsoleSettings) -> None:
    proxied = create_app(replace(settings, secure_cookies=True), name="console_test_behind_proxy")
    async with console_client(proxied) as client:  # the proxy talks plain HTTP to the console
        response = await client.get("/login")
    assert "Secure" in response.headers["set-cookie"]


async def test_a_wrong_password_is_refused_and_audited(app: Sanic, anonymous: httpx2.AsyncClient) -> None:
    response = await log_in(anonymous, "sam", "not the password at all")
    assert response.status_code == 401 and "Wrong username or password" in response.text
    assert (await anonymous.get("/conversations")).status_code == 302
    assert audit_actions(app, "sam") == ["login_failed"]


async def test_repeated_failures_lock_the_account_even_for_the_right_password(
    app: Sanic, anonymous: httpx2.AsyncClient
) -> None:
    for _ in range(FREE_FAILURES):
        assert (await log_in(anonymous, "sam", "guess guess guess")).status_code == 401
    locked = await log_in(anonymous, "sam", PASSWORD)
    assert locked.status_code == 429 and "Too many failed attempts" in locked.text
    assert (await anonymous.get("/conversations")).status_code == 302
    assert audit_actions(app, "sam")[-1] == "login_locked"
    # Another account from the same address is not: one account's wrong passwords lock that account only.
    assert (await log_in(anonymous, "ada", PASSWORD)).status_code == 302


async def test_the_lock_ends_and_grows_with_each_further_failure(app: Sanic) -> None:
    from bot.console.lockout import lock_seconds

    now = time.time()
    with app.ctx.engine.begin() as connection:
        for i in range(FREE_FAILURES):
            record_attempt(connection, "sam", "10.9.9.9", False, now - 600 + i)
        assert seconds_locked(connection, "sam", "10.9.9.9", now) == 0  # a minute's lock, long over
        record_attempt(connection, "sam", "10.9.9.9", False, now)
        assert seconds_locked(connection, "sam", "10.9.9.9", now) == pytest.approx(120)
    assert [lock_seconds(n) for n in range(4, 9)] == [0, 60, 120, 240, 480]
    assert lock_seconds(100) == 3600


# (failures: username@address, seconds ago), then who tries from where, and whether they must wait.
LOCKOUT_TABLE = [
    ([("sam", "10.0.0.1", 1)] * FREE_FAILURES, "sam", "10.0.0.1", True),  # the account is locked...
    ([("sam", "10.0.0.1", 1)] * FREE_FAILURES, "sam", "10.0.0.2", True),  # ...from anywhere
    ([("sam", "10.0.0.1", 1)] * FREE_FAILURES, "ada", "10.0.0.1", False),  # but no other account, same address
    ([("sam", "10.0.0.1", n) for n in range(1, 200)], "ada", "10.0.0.1", False),  # however many times
    ([(f"user{n}", "10.0.0.1", 1) for n in range(ADDRESS_ACCOUNTS)], "ada", "10.0.0.1", True),  # spraying accounts
    ([(f"user{n}", "10.0.0.1", 1) for n in range(ADDRESS_ACCOUNTS)], "ada", "10.0.0.2", False),  # from there only
    ([(f"user{n}", "10.0.0.1", 1) for n in range(ADDRESS_ACCOUNTS - 1)], "ada", "10.0.0.1", False),
    ([(f"user{n}", "10.0.0.1", ADDRESS_WINDOW_S + 1) for n in range(ADDRESS_ACCOUNTS)], "ada", "10.0.0.1", False),
]


@pytest.mark.parametrize(("failures", "username", "ip", "waits"), LOCKOUT_TABLE)
async def test_accounts_are_locked_and_addresses_only_slowed_when_they_try_many_accounts(
    app: Sanic, failures: list[tuple[str, str, float]], username: str, ip: str, waits: bool
) -> None:
    now = time.time()
    with app.ctx.engine.begin() as connection:
        for failed_user, failed_ip, ago in failures:
            record_attempt(connection, failed_user, failed_ip, False, now - ago)
        assert (seconds_locked(connection, username, ip, now) > 0) == waits


async def test_behind_a_proxy_set_as_the_readme_says_each_client_has_its_own_address(
    settings: ConsoleSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/operations.md, "Behind a reverse proxy": SANIC_PROXIES_COUNT=1 in the console's environment; the proxy adds X-Forwarded-For."""
    monkeypatch.setenv("SANIC_PROXIES_COUNT", "1")
    proxied = create_app(settings, name="console_test_proxy_count")
    create_user(proxied.ctx.engine, "sam", PASSWORD, "staff")
    async with console_client(proxied) as sprayer, console_client(proxied) as colleague:
        sprayer.headers["X-Forwarded-For"] = "203.0.113.7"
        colleague.headers["X-Forwarded-For"] = "198.51.100.20"
        for n in range(ADDRESS_ACCOUNTS):
            assert (await log_in(sprayer, f"user{n}", "guess guess guess")).status_code == 401
        assert (await log_in(sprayer, "sam", PASSWORD)).status_code == 429
        assert (await log_in(colleague, "sam", PASSWORD)).status_code == 302


async def test_logout_ends_the_session_on_the_server(app: Sanic, staff: httpx2.AsyncClient) -> None:
    token = staff.cookies["console_session"]
    page = await staff.get("/conversations")
    response = await staff.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302 and response.headers["location"] == "/login"
    async with console_client(app) as replay:  # the old cookie, replayed, is worthless
        replay.cookies.set("console_session", token)
        assert (await replay.get("/conversations")).status_code == 302
    assert audit_actions(app, "sam") == ["login", "logout"]


async def test_an_idle_session_expires(app: Sanic, staff: httpx2.AsyncClient) -> None:
    idle = app.ctx.settings.session_idle_minutes * 60 + 5
    with app.ctx.engine.begin() as connection:
        connection.execute(sessions.update().values(last_seen_at=sessions.c.last_seen_at - idle))
    response = await staff.get("/conversations")
    assert response.status_code == 302 and response.headers["location"].startswith("/login")


async def test_a_session_ends_after_its_hard_limit_even_when_active(app: Sanic, staff: httpx2.AsyncClient) -> None:
    with app.ctx.engine.begin() as connection:
        connection.execute(sessions.update().values(created_at=sessions.c.created_at - app.ctx.settings.max_s - 5))
    assert (await staff.get("/conversations")).status_code == 302


async def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    app: Sanic, staff: httpx2.AsyncClient
) -> None:
    for data in (
        {"conversation_id": "probe-xss", "status": "reviewed"},
        {"conversation_id": "probe-xss", "status": "reviewed", "csrf_token": "forged"},
    ):
        response = await staff.post("/reviews", data=data)
        assert response.status_code == 403 and "expired" in response.text
    with app.ctx.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(reviews)).scalar_one() == 0


async def test_the_login_form_is_csrf_protected_too(anonymous: httpx2.AsyncClient) -> None:
    await anonymous.get("/login")
    response = await anonymous.post("/login", data={"username": "sam", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403
    assert (await anonymous.get("/conversations")).status_code == 302


async def test_after_login_staff_land_where_they_were_going_but_never_off_site(anonymous: httpx2.AsyncClient) -> None:
    form = await anonymous.get("/login?next=/bookings")
    assert 'name="next" value="/bookings"' in form.text
    evil = await anonymous.get("/login?next=//evil.example/")
    token = csrf_token(evil.text)
    response = await anonymous.post(
        "/login", data={"username": "sam", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"}
    )
    assert response.headers["location"] == "/conversations"


async def test_switching_an_account_off_ends_its_sessions(
    app: Sanic, staff: httpx2.AsyncClient, admin: httpx2.AsyncClient
) -> None:
    users_page = await admin.get("/admin/users")
    with app.ctx.engine.connect() as connection:
        sam = connection.execute(sa.select(users.c.id).where(users.c.username == "sam")).scalar_one()
    response = await admin.post(
        f"/admin/users/{sam}/active", data={"csrf_token": csrf_token(users_page.text), "active": "0"}
    )
    assert response.status_code == 302
    assert (await staff.get("/conversations")).status_code == 302
    assert "user_deactivated" in audit_actions(app, "ada")
