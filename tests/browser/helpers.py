"""What the browser journeys share: logging in and out, submitting forms, checking the page stayed clean."""

from pathlib import Path

from django.conf import settings

PASSWORD = "klimanetz-demo"
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


def log_in(browsing, email: str) -> None:
    page = browsing.page
    page.goto(browsing.url("/konto/login/"))
    form = page.locator("form", has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/konto/login/" not in url)
    assert page.get_by_role("button", name="Abmelden", exact=True).is_visible()


def submit(page, button) -> None:
    """Click a form's button and wait for the page the redirect after the POST leads to."""
    with page.expect_navigation():
        button.click()


def log_out(browsing) -> None:
    submit(browsing.page, browsing.page.get_by_role("button", name="Abmelden", exact=True))
    assert browsing.page.get_by_role("button", name="Abmelden", exact=True).count() == 0


def assert_clean(browsing) -> None:
    assert browsing.console_errors == [], "the browser logged errors"
    assert browsing.foreign_requests == [], "the page loaded resources from other hosts"
