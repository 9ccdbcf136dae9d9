"""Keyboard only, for a member: logging in and registering for an event without a mouse, with the focus
visible on every control on the way (issue 7 §2, "keyboard-only use of the main journeys")."""

import pytest
from django.db import connections

from tests.browser.helpers import PASSWORD, assert_clean
from tests.browser.test_keyboard import tab_to

pytestmark = pytest.mark.browser

KEK = "/netzwerke/kek-dortmund/termine/"
OPEN_MEETING = "KEK-Netzwerktreffen: Klimaschutzziele der Mitgliedsorganisationen"
MEMBER = "kek.mitglied@example.org"


def is_meeting(text: str) -> bool:
    """The focused link is the meeting's (the focus helper reads at most 60 characters of a text)."""
    return len(text) >= 40 and OPEN_MEETING.startswith(text)


def press_and_wait(page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


@pytest.mark.django_db(transaction=True)
def test_member_logs_in_and_registers_for_an_event_with_the_keyboard_alone(browsing, demo_data):
    from events.models import Registration

    page = browsing.page
    try:
        page.goto(browsing.url("/konto/login/"))
        field = tab_to(page, lambda a: a["name"] == "login")
        assert field["outline"]
        page.keyboard.type(MEMBER)
        field = tab_to(page, lambda a: a["name"] == "password", limit=3)
        assert field["outline"]
        page.keyboard.type(PASSWORD)
        press_and_wait(page)  # Enter in the form submits it
        assert "/konto/login/" not in page.url

        page.goto(browsing.url(KEK))
        link = tab_to(page, lambda a: a["tag"] == "a" and is_meeting(a["text"]), limit=120)
        assert link["outline"]
        press_and_wait(page)
        assert page.locator("h1").inner_text() == OPEN_MEETING

        # The meeting is hybrid: "vor Ort oder online" first (a radio group: Tab reaches it, Space chooses).
        choice = tab_to(page, lambda a: a["tag"] == "input" and a["name"] == "mode", limit=120)
        assert choice["outline"], "focus must be visible on the choice"
        page.keyboard.press("Space")
        button = tab_to(page, lambda a: a["tag"] == "button" and page.evaluate(IN_REGISTRATION), limit=120)
        assert button["outline"]
        press_and_wait(page)
        registration = Registration.objects.get(person__user__email=MEMBER, event__title=OPEN_MEETING)
        assert registration.status == "registered"
        assert "✓" in page.locator("#registration .registration-status").inner_text()
        assert_clean(browsing)
    finally:
        connections.close_all()


IN_REGISTRATION = "() => Boolean(document.activeElement.closest('#registration'))"
