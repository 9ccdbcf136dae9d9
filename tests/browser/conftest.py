"""Browser journeys: Playwright (sync API) drives Debian's Chromium against pytest-django's live server.

``playwright install`` is never run: the browser is the system's Chromium, Debian's old headless shell
(/usr/bin/chromium-headless-shell, package chromium-headless-shell: the same Blink and V8 without the full browser
around them, as Playwright itself uses for headless runs; the browser journeys took about a fifth less CPU) where it is
installed, else /usr/bin/chromium; CHROMIUM_PATH chooses another. Without one the tests are skipped locally and fail
in CI (``REQUIRE_SERVICES=1``).
"""

import asyncio
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections

from tests import demo_snapshot

HEADLESS_SHELL, BROWSER = "/usr/bin/chromium-headless-shell", "/usr/bin/chromium"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or (HEADLESS_SHELL if os.path.exists(HEADLESS_SHELL) else BROWSER)
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        return f"{CHROMIUM} is missing (apt-get install chromium-headless-shell)"
    return None


@pytest.fixture(scope="session")
def chromium_required() -> None:
    problem = _missing_browser()
    if problem:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {problem}", pytrace=False)
        pytest.skip(f"browser tests need Chromium: {problem}")


@pytest.fixture
def demo_data(transactional_db, settings) -> None:
    """The demo portal (committed, so the live server's threads see it), its files in the test's MEDIA_ROOT: loaded
    by the process's first journey, restored from its snapshot for the others (tests/demo_snapshot.py)."""
    demo_snapshot.demo(Path(settings.MEDIA_ROOT))


@dataclass
class Browsing:
    """A page plus what it did behind the scenes: requests to other hosts, console errors."""

    page: object
    base_url: str
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path


class Chromium:
    """One Playwright driver and one Chromium for the whole test process (each pytest-xdist worker), started by its
    first journey (1-3 s for the driver and the browser) and stopped at the end of the session; each journey gets a
    browser context of its own (cookies, storage, viewport, routes and scripts of its own).

    Playwright's sync API marks its asyncio loop as the thread's running loop after each call, and Django refuses
    the ORM in a thread with a running loop (SynchronousOnlyOperation). So the loop is marked running only during a
    journey (``resume``), which also sets DJANGO_ALLOW_ASYNC_UNSAFE as before, and unmarked after it (``pause``):
    the ordinary tests that follow in the same process run as in a process without Playwright. Nothing of
    Playwright runs between journeys (its loop runs only inside its calls)."""

    def __init__(self) -> None:
        self.playwright = None
        self.browser = None
        self.loop = None
        self.launches = 0  # browsers started in this process (tests/browser/test_chromium.py)

    def resume(self):
        """The running browser (started or started again if it went away), its loop marked running."""
        self.resume_loop()
        if self.playwright is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
        if self.browser is None or not self.browser.is_connected():
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            self.launches += 1
        return self.browser

    def pause(self) -> None:
        self.loop = asyncio._get_running_loop() or self.loop
        asyncio._set_running_loop(None)

    def stop(self) -> None:
        if self.playwright is None:
            return
        self.resume_loop()
        try:
            if self.browser is not None and self.browser.is_connected():
                self.browser.close()
        finally:
            self.playwright.stop()  # ends its loop (no longer marked running)
            self.playwright = self.browser = self.loop = None
            asyncio._set_running_loop(None)

    def resume_loop(self) -> None:
        if self.loop is not None:
            asyncio._set_running_loop(self.loop)


@pytest.fixture(scope="session")
def chromium(chromium_required) -> Iterator[Chromium]:
    browser = Chromium()
    try:
        yield browser
    finally:
        browser.stop()


@pytest.fixture
def browsing(chromium, live_server, monkeypatch) -> Iterator[Browsing]:
    # Playwright's sync API keeps an asyncio loop running in this thread; Django's ORM refuses
    # synchronous queries from a thread with a running loop unless told otherwise. Only for these tests.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base_url = live_server.url.rstrip("/")
    origin = urlsplit(base_url).netloc
    browser = chromium.resume()
    try:
        context = browser.new_context(viewport=VIEWPORT, locale="de-DE", timezone_id="Europe/Berlin")
        from tests.browser.helpers import watch_untranslated

        context.add_init_script(watch_untranslated())
        context.set_default_timeout(15_000)
        page = context.new_page()
        if os.environ.get("SCREENSHOTS") != "1":
            # docs/screenshots/*.png are written only when asked for (SCREENSHOTS=1): a test run leaves the tree
            # as it was. No journey asserts on a screenshot.
            page.screenshot = lambda **kwargs: b""
        result = Browsing(page=page, base_url=base_url)

        def on_request(request):
            parts = urlsplit(request.url)
            if parts.scheme in ("data", "blob"):
                return  # inline resources: not a request to any host
            if parts.netloc != origin:
                result.foreign_requests.append(request.url)

        # Never wait for the internet: abort anything not for the live server (on_request has noted it). Only those
        # requests are routed (the pattern is matched in Playwright's driver): the live server's own requests
        # (pages, styles, scripts, images) go on without a round trip through this process each.
        not_the_live_server = re.compile("^(?!" + re.escape(base_url + "/") + ")")
        page.on("request", on_request)
        context.route(not_the_live_server, lambda route: route.abort("blockedbyclient"))
        page.on("console", lambda msg: msg.type == "error" and result.console_errors.append(msg.text))
        page.on("pageerror", lambda error: result.console_errors.append(f"uncaught: {error}"))
        try:
            yield result
        finally:
            context.close()
    finally:
        # Queries made while Playwright's loop runs in this thread (a fixture requested after this one, such as
        # demo_data, or the test itself) get their own connection: asgiref keeps Django's connections per context
        # there. Left open, it kept the test database from being dropped at the end of the run.
        connections.close_all()
        chromium.pause()
