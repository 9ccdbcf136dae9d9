"""Phone-sized screens (390 px wide): the main pages fit without sideways scrolling; screenshots for the README."""

import pytest

from tests.browser.helpers import SCREENSHOTS, assert_clean, log_in, log_out

ROADMAP = "/klima-roadmaps/klima-roadmap-kreis-dueren/"
PAGES = {
    "home": "/",
    "roadmap": ROADMAP,
    "measures": ROADMAP + "massnahmen/",
    "events": "/veranstaltungen/",
    "network": "/netzwerke/nkk-koeln-bonn/",
}
# No page there (the personal feeds are /kalender/<token>.ics): the portal's 404 page, which must fit as well.
# (With DEBUG on, Django's technical 404 lists every URL pattern in <code> and is 749 px wide; never shown live.)
NOT_FOUND = "/kalender/"
MEMBER_PAGES = {"board": "/netzwerke/nkk-koeln-bonn/monitoring/", "space": "/netzwerke/nkk-koeln-bonn/intern/"}
EDITOR_PAGES = {"editor dashboard": ROADMAP + "redaktion/", "embeds": ROADMAP + "redaktion/einbetten/"}
OVERFLOW = "() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.django_db(transaction=True)
def test_main_pages_fit_a_phone(browsing, demo_data):
    page = browsing.page
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide = {}
    for name, path in PAGES.items():
        assert page.goto(browsing.url(path)).status == 200
        if overflow := page.evaluate(OVERFLOW):
            too_wide[path] = overflow
        if name in ("roadmap", "measures"):
            page.screenshot(path=SCREENSHOTS / f"phone-{name}.png")
    log_in(browsing, "nkk.mitglied@example.org")
    for path in MEMBER_PAGES.values():
        assert page.goto(browsing.url(path)).status == 200
        if overflow := page.evaluate(OVERFLOW):
            too_wide[path] = overflow
    log_out(browsing)
    log_in(browsing, "dueren.redaktion@example.org")
    for path in EDITOR_PAGES.values():  # the dashboard's late and stale tables scroll in their region
        assert page.goto(browsing.url(path)).status == 200
        if overflow := page.evaluate(OVERFLOW):
            too_wide[path] = overflow
    assert_clean(browsing)
    assert page.goto(browsing.url(NOT_FOUND)).status == 404  # last: its 404 is a console error of its own
    assert page.get_by_role("heading", name="Seite nicht gefunden").is_visible()
    if overflow := page.evaluate(OVERFLOW):
        too_wide[NOT_FOUND] = overflow
    assert too_wide == {}, f"pages wider than the phone (px): {too_wide}"
