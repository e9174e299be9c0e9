"""Fixtures: a seeded tracker database (copied per test), the console app, signed-in clients; for the browser
tests, the console in its own process and a Chromium page.

The seeds are conversations held with the assistant once and kept in fixtures/stored_events.jsonl (stored_events.py):
the console's tests need no model and no server. Those that test what the assistant does today use the live ones,
held with the session's assistant in one pass."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, sync_playwright
from sanic import Sanic

from bot.console.console_app import create_app
from bot.console.console_settings import ConsoleSettings
from bot.console.database import open_database
from bot.console.users import create_user
from bot.launcher import start, stop, wait_until_up
from bot.stack import Stack, console_command
from clinic.database.revisions import upgrade
from clinic.database.tables import users
from tests.bot.console import stored_events
from tests.bot.console.console_support import PASSWORD, Truth, seeded
from tests.bot.console.inbox_support import SCRIPTS as INBOX_SCRIPTS
from tests.bot.console.inbox_support import held_for_inbox
from tests.bot.web.browser import CHROMIUM, CHROMIUM_FLAGS
from tools import held_conversations as held
from tools.console_client import console_client, log_in
from tools.servers import free_port


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Truth]]:
    folder = tmp_path_factory.mktemp("seed")
    return seeded(stored_events.loaded(folder / "held.db", held.SCRIPTS), folder)


@pytest.fixture(scope="session")
def inbox_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review inbox's held conversations (inbox_support.py), shared by its API and browser tests."""
    return held_for_inbox(stored_events.loaded(tmp_path_factory.mktemp("inbox-seed") / "tracker.db", INBOX_SCRIPTS))


@pytest.fixture(scope="session")
def live_held(assistant: Stack, assistant_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every script of the stored events said to the session's assistant today, in a database of their own."""
    held.say_scripts(assistant, assistant_db, stored_events.SCRIPTS)
    return stored_events.copied(
        assistant_db, tmp_path_factory.mktemp("live-held") / "tracker.db", stored_events.SCRIPTS
    )


@pytest.fixture(scope="session")
def live_seed(live_held: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Truth]]:
    """The seed made of what the assistant does today, for the tests of what the model makes of it."""
    return seeded(live_held, tmp_path_factory.mktemp("live-seed"))


@pytest.fixture(scope="session")
def truths(seed: tuple[Path, dict[str, Truth]]) -> dict[str, Truth]:
    return seed[1]


@pytest.fixture
def db_path(seed: tuple[Path, dict[str, Truth]], tmp_path: Path) -> Path:
    """A copy of the seeded database: each test may change its own."""
    path = tmp_path / "tracker.db"
    shutil.copy(seed[0], path)
    return path


@pytest.fixture
def settings(db_path: Path) -> ConsoleSettings:
    return ConsoleSettings(database_url=f"sqlite:///{db_path}")


@pytest.fixture(scope="session")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """One staff account (sam) and one admin (ada) as `create_user` stores them, made once: hashing a password takes
    a tenth of a second, by design."""
    url = f"sqlite:///{tmp_path_factory.mktemp('accounts') / 'tracker.db'}"
    upgrade(url)
    engine = open_database(url)
    create_user(engine, "sam", PASSWORD, "staff")
    create_user(engine, "ada", PASSWORD, "admin")
    with engine.connect() as connection:
        made = [row._asdict() for row in connection.execute(sa.select(users).order_by(users.c.id))]
    engine.dispose()
    return made


@pytest.fixture
def app(settings: ConsoleSettings, accounts: list[dict[str, Any]]) -> Sanic:
    """The console with one staff account (sam) and one admin (ada)."""
    app = create_app(settings, name=f"console_test_{uuid.uuid4().hex}")
    with app.ctx.engine.begin() as connection:
        connection.execute(users.insert(), accounts)
    return app


@pytest.fixture
async def anonymous(app: Sanic) -> AsyncIterator[httpx2.AsyncClient]:
    async with console_client(app) as client:
        yield client


@pytest.fixture
async def staff(app: Sanic) -> AsyncIterator[httpx2.AsyncClient]:
    async with console_client(app) as client:
        assert (await log_in(client, "sam", PASSWORD)).status_code == 302
        yield client


@pytest.fixture
async def admin(app: Sanic) -> AsyncIterator[httpx2.AsyncClient]:
    async with console_client(app) as client:
        assert (await log_in(client, "ada", PASSWORD)).status_code == 302
        yield client


@pytest.fixture
def console(db_path: Path, tmp_path: Path) -> Iterator[Stack]:
    """`python -m bot.console` on a free port, reading the tracker store named in its endpoints.yml."""
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{db_path}"\n')
    create_user(open_database(f"sqlite:///{db_path}"), "sam", PASSWORD, "staff")
    stack = Stack(web_port=None, console_port=free_port(), endpoints=endpoints, log_dir=tmp_path / "log")
    process = start(console_command(stack), stack, "console")
    try:
        wait_until_up(f"{stack.console_url}/login", process, timeout=120)
        yield stack
    finally:
        stop([process])


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        yield context.new_page()
        browser.close()
