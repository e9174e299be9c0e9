"""Every route is closed to strangers, admin pages are closed to staff: checked on the app's own route list."""

from __future__ import annotations

import re

import httpx2
from sanic import Sanic

from bot.console.guard import ADMIN_BLUEPRINTS, PUBLIC_ROUTES


def sample_path(route_path: str) -> str:
    """A concrete URL for a route pattern: 1 for int parameters, a word for the others."""
    path = re.sub(r"<[^>:]+:int>", "1", route_path)
    return "/" + re.sub(r"<[^>]+>", "conversations", path).lstrip("/")


def routes(app: Sanic) -> list[tuple[str, str, str]]:
    """(short name, method, path) of every route the app serves."""
    found = []
    for route in app.router.routes:
        for method in sorted(route.methods):
            found.append((route.name.split(".", 1)[1], method, sample_path(route.path)))
    return found


async def test_the_only_public_routes_are_the_login_form_and_its_stylesheet(
    anonymous: httpx2.AsyncClient, app: Sanic
) -> None:
    names = {name for name, _method, _path in routes(app)}
    assert names >= PUBLIC_ROUTES
    assert {"auth.login_page", "auth.login", "static"} == PUBLIC_ROUTES
    assert len(names) > 15  # the enumeration really found the app's routes


async def test_every_other_route_sends_strangers_to_the_login_or_answers_401(
    anonymous: httpx2.AsyncClient, app: Sanic
) -> None:
    checked = 0
    for name, method, path in routes(app):
        if name in PUBLIC_ROUTES:
            continue
        response = await anonymous.request(method, path, data={"csrf_token": "x", "conversation_id": "probe-xss"})
        if method in ("GET", "HEAD"):
            assert response.status_code == 302, (name, method, path)
            assert response.headers["location"].startswith("/login?next="), (name, path)
        else:
            assert response.status_code == 401, (name, method, path)
        assert "probe" not in response.text and "Conversation" not in response.text
        checked += 1
    assert checked >= 15


async def test_staff_cannot_reach_admin_pages(staff: httpx2.AsyncClient, app: Sanic) -> None:
    admin_routes = [r for r in routes(app) if r[0].split(".", 1)[0] in ADMIN_BLUEPRINTS]
    assert {r[0] for r in admin_routes} >= {"audit.audit_page", "admin.users_page", "admin.switch"}
    page = await staff.get("/conversations")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    for _name, method, path in admin_routes:
        response = await staff.request(method, path, data={"csrf_token": token.group(1), "active": "0"})
        assert response.status_code == 403, path
        assert "admins only" in response.text
    assert 'href="/audit"' not in page.text  # and the menu does not offer them


async def test_admins_reach_the_admin_pages_and_read_the_audit_log_there(
    admin: httpx2.AsyncClient, staff: httpx2.AsyncClient
) -> None:
    await staff.get("/conversations/probe-xss")
    audit = await admin.get("/audit?user=sam")
    assert audit.status_code == 200
    assert "<td>sam</td><td>login</td>" in audit.text and "<td>view_transcript</td><td>probe-xss</td>" in audit.text
    assert "<td>ada</td>" not in audit.text  # the user filter
    users = await admin.get("/admin/users")
    assert users.status_code == 200 and "sam" in users.text and "ada" in users.text
