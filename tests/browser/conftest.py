"""Browser tests: Debian's Chromium driven by pytest-playwright against Django's live server.

`pytest tests/browser` is enough: the default browser of pytest-playwright is chromium, and the
launch arguments below point it at /usr/bin/chromium (CHROMIUM_PATH overrides), so Playwright never
downloads a browser. Each test gets the personas of the root conftest (`city`) in a transactional
database, because the live server answers from another thread.

The personas use the English UI so that assertions read like the screen; the Indonesian catalogue
is tested elsewhere.
"""

from __future__ import annotations

import threading

import pytest
from conftest import CHROMIUM, build_city
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
expect.set_options(timeout=10_000)  # a loaded CI runner can be slow; a failing check just waits longer


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "en-US",
        # The personas use the English interface (Indonesian is the default without a choice).
        "storage_state": {
            "cookies": [
                {
                    "name": "terpadu_language",
                    "value": "en",
                    "domain": "localhost",
                    "path": "/",
                    "expires": -1,
                    "httpOnly": False,
                    "secure": False,
                    "sameSite": "Lax",
                }
            ],
            "origins": [],
        },
        "timezone_id": "Asia/Jakarta",
        "viewport": DESKTOP,
        "reduced_motion": "reduce",
    }


def _taking_turns(application, lock):
    def app(environ, start_response):
        with lock:
            response = application(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                getattr(response, "close", lambda: None)()

    return app


@pytest.fixture(scope="session")
def _requests_take_turns():
    """With in-memory SQLite every request thread of the live server shares the test's one connection;
    two requests at once (a page and its htmx badge) then break each other's transactions. Serve one
    request at a time in that case (PostgreSQL gives each thread its own connection and is left alone)."""
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class TakeTurnsWSGIServer(ThreadedWSGIServer):
        def set_app(self, application):
            if self.connections_override:
                application = _taking_turns(application, threading.Lock())
            super().set_app(application)

    original = LiveServerThread.server_class
    LiveServerThread.server_class = TakeTurnsWSGIServer
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def live_server(_requests_take_turns, live_server):
    return live_server


@pytest.fixture(autouse=True)
def _database_outlives_the_browser(transactional_db):
    """Set up before (so torn down after) the page: the flush must not race the page's last requests."""


@pytest.fixture(scope="session")
def base_url(live_server):
    """page.goto("/akun/masuk/") goes to the live server."""
    return live_server.url


@pytest.fixture
def city(transactional_db):
    from terpadu.accounts.models import User

    built = build_city()
    User.objects.update(language="en")
    for user in (built.pimpinan, built.staff_same, built.staff_other, built.admin):
        user.refresh_from_db()
    return built


@pytest.fixture
def phone(browser, browser_context_args):
    """A page in a 360×740 phone (touch, mobile viewport meta honoured)."""
    args = {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}
    context = browser.new_context(**args)
    yield context.new_page()
    context.close()
