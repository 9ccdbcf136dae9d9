"""Keyboard only: the skip link comes first and moves the focus to the content, focus is always visible,
a citizen filters the measure list without a mouse, and the focus never gets trapped."""

import re

import pytest

from tests.browser.helpers import assert_clean

ROADMAP = "/klima-roadmaps/klima-roadmap-kreis-dueren/"

ACTIVE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name") || "",
        text: (el.innerText || el.value || "").trim().slice(0, 60), inFooter: Boolean(el.closest("footer")),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    };
}"""


def tab_to(page, predicate, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if predicate(active):
            return active
    raise AssertionError("not reached with the Tab key")


@pytest.mark.django_db(transaction=True)
def test_skip_link_filter_by_keyboard_and_no_trap(browsing, demo_data):
    page = browsing.page
    page.goto(browsing.url(ROADMAP + "massnahmen/"))
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)
    assert first["tag"] == "a" and first["text"] == "Zum Inhalt springen" and first["outline"], first
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"

    # Filter the measures by sector with the keyboard alone: open the sectors, tick one, the submit button.
    summary = tab_to(page, lambda a: a["tag"] == "summary" and a["text"].startswith("Handlungsfeld"))
    assert summary["outline"], "focus must be visible on the filter's summary"
    page.keyboard.press("Enter")
    box = tab_to(page, lambda a: a["tag"] == "input" and a["name"] == "handlungsfeld")
    assert box["outline"], "focus must be visible on form fields"
    page.keyboard.press("Space")
    button = tab_to(page, lambda a: a["tag"] == "button" and a["text"] == "Maßnahmen anzeigen")
    assert button["outline"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"handlungsfeld=\w+", page.url), page.url

    # Every focusable element is reachable and the focus leaves the page's end: no trap on the way.
    seen_footer = tab_to(page, lambda a: a["inFooter"], limit=400)
    assert seen_footer["outline"]
    assert_clean(browsing)
