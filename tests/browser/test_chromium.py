"""One Chromium per test process (tests/browser/conftest.py: Chromium): each journey gets a fresh browser context
of the same browser, and the ordinary tests after a journey run without Playwright's loop marked running (Django's
ORM would refuse them: SynchronousOnlyOperation)."""

import asyncio

import pytest

from networks.models import Person

pytestmark = pytest.mark.browser

seen = {}


def test_a_journey_leaves_a_cookie_behind(browsing, chromium, transactional_db):
    page = browsing.page
    page.goto(browsing.url("/"))
    page.context.add_cookies([{"name": "left_behind", "value": "1", "url": browsing.base_url}])
    assert {c["name"] for c in page.context.cookies()} >= {"left_behind"}
    assert Person.objects.count() == 0  # the ORM works inside a journey (DJANGO_ALLOW_ASYNC_UNSAFE)
    seen["launches"], seen["browser"] = chromium.launches, chromium.browser


@pytest.mark.django_db(transaction=True)  # pytest-django runs the transactional tests last: this one in file order
def test_an_ordinary_test_after_a_journey_runs_without_playwrights_loop(chromium, monkeypatch):
    if not seen:  # run on its own: what a journey does with the browser first
        chromium.resume().new_context().close()
        chromium.pause()
    assert chromium.playwright is not None  # Playwright still runs in this process
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    assert asyncio._get_running_loop() is None
    assert Person.objects.count() == 0  # would raise SynchronousOnlyOperation with the loop marked running


def test_the_next_journey_uses_the_same_browser_in_a_fresh_context(browsing, chromium, transactional_db):
    page = browsing.page
    page.goto(browsing.url("/"))
    assert "left_behind" not in {c["name"] for c in page.context.cookies()}
    assert page.title()
    assert chromium.launches == 1  # one browser for the process, whatever ran before
    assert chromium.browser is seen.get("browser", chromium.browser)
