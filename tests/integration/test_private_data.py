"""`make run`'s stack keeps patients' data private, on the real servers under the real launcher.

Its var folder is made open first, as `mkdir -p var` made it before, and holds an open database; after a
conversation every file in it is 0600 and every folder 0700. A console search for a patient's name that fails
leaves neither the name nor the URL's query in any log. Sender ids Rasa takes open from the console as it is
really served (not in-process), and a typed /EXTERNAL_reminder does not end the conversation.
"""

from __future__ import annotations

import dataclasses
import html
import http.cookiejar
import re
import signal
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.database import open_database
from bot.console.users import create_user
from bot.launcher import wait_until_up
from bot.stack import Stack
from clinic.database.revisions import upgrade
from tests.bot.console.console_support import PASSWORD
from tests.integration.running_assistant import OPENING, PHRASE, logs_of, modes, said, say_to_rasa
from tools.console_client import csrf_token
from tools.servers import free_port, isolated_stack, launched

ODD_SENDERS = ["a=b,c#d?e/f g", "..", "x y/z"]


@pytest.fixture(scope="module")
def var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("make-run") / "var"
    folder.mkdir()
    folder.chmod(0o755)  # open to everyone, as `mkdir -p var` left it
    return folder


@pytest.fixture(scope="module")
def stack(var: Path) -> Iterator[Stack]:
    """What `make run` starts, the staff console too, with `var` as its var/ (and an account for the console)."""
    upgrade(f"sqlite:///{var / 'tracker.db'}")  # as `make migrate` did before: the file is 0644 under pytest's umask
    create_user(open_database(f"sqlite:///{var / 'tracker.db'}"), "sam", PASSWORD, "staff")
    stack = dataclasses.replace(isolated_stack(var, var / "tracker.db", web=True), console_port=free_port())
    launcher = launched(stack, "--var-dir", str(var), "--console-port", str(stack.console_port))
    try:
        for url in (f"{stack.web_url}/health", f"{stack.rasa_url}/webhooks/rest/", f"{stack.console_url}/login"):
            wait_until_up(url, launcher, timeout=300)  # type: ignore[arg-type]
        yield stack
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
            launcher.communicate(timeout=60)


def console(stack: Stack) -> urllib.request.OpenerDirector:
    """A browser of the console signed in as sam (cookies kept, redirects followed)."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with browser.open(f"{stack.console_url}/login", timeout=30) as form:
        token = csrf_token(form.read().decode())
    sign_in = urllib.parse.urlencode({"username": "sam", "password": PASSWORD, "csrf_token": token, "next": "/"})
    with browser.open(f"{stack.console_url}/login", data=sign_in.encode(), timeout=30) as landed:
        assert landed.url.endswith("/conversations")
    return browser


def page(browser: urllib.request.OpenerDirector, url: str) -> tuple[int, str]:
    try:
        with browser.open(url, timeout=30) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def test_after_a_conversation_every_file_is_private_and_a_typed_external_intent_does_not_end_it(
    stack: Stack, var: Path
) -> None:
    sender = str(uuid.uuid4())
    said(stack, sender, "/greet")
    assert "to be safe" in said(stack, sender, f"{OPENING}, {PHRASE} here")  # the safety check first
    said(stack, sender, "no")
    assert "under control" in said(stack, sender, "no")
    kept_on = said(stack, sender, "/EXTERNAL_reminder")
    print(f"\n/EXTERNAL_reminder was answered: {kept_on!r}")
    assert "we'll stop here" not in kept_on and kept_on.rstrip().endswith("?")  # the questions go on
    assert said(stack, sender, "yes").rstrip().endswith("?")
    assert modes(var) == {}


def test_a_failing_console_search_for_a_name_leaves_it_in_no_log(stack: Stack, var: Path) -> None:
    browser = console(stack)
    with sqlite3.connect(var / "tracker.db") as db:  # the search's table gone: its query fails, quoting the name
        db.execute("ALTER TABLE console_conversations RENAME TO aside")
    try:
        status, _ = page(browser, f"{stack.console_url}/conversations?q={PHRASE}+Lopez&assessment=urgent")
    finally:
        with sqlite3.connect(var / "tracker.db") as db:
            db.execute("ALTER TABLE aside RENAME TO console_conversations")
    assert status == 500
    logs = logs_of(stack)
    assert "Exception occurred while handling uri" in logs and "/conversations'" in logs  # the failure is logged...
    assert PHRASE.lower() not in logs.lower() and "q=" not in logs  # ...without the name or the query
    assert modes(var) == {}


@pytest.mark.parametrize("sender", ODD_SENDERS)
def test_sender_ids_rasa_takes_open_from_the_console(stack: Stack, sender: str) -> None:
    message = f"my upper back aches {uuid.uuid4().hex[:8]}"
    assert say_to_rasa(stack, sender, message) == 200
    browser = console(stack)
    row = re.compile(rf'<a href="([^"]+)">{re.escape(message)}</a>')
    deadline = time.monotonic() + 30
    while not (found := row.search(page(browser, f"{stack.console_url}/conversations")[1])):
        assert time.monotonic() < deadline, "the conversation never reached the list"
        time.sleep(1)  # the console folds new events every 2 s
    status, transcript = page(browser, stack.console_url + html.unescape(found.group(1)))
    assert (status, message in transcript) == (200, True), found.group(1)
