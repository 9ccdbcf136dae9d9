"""The public side for citizens (issue 16 §1), in a real Chromium on the demo data.

1. A visitor on the home page sees what is planned (the roadmaps with their progress), how to take part and the
   next public events; "Klima-Roadmaps" in the main navigation leads to the roadmaps and Düren's roadmap is one
   click further; its "Mitmachen" page lists what citizens can do themselves, filtered by the cost for them, and
   each entry leads to its measure.
2. The header stays one line at 1280 px for a visitor, a citizen and a member; on a phone it is compact and the
   page fits.
3. buerger@example.org (a citizen: no role in a network) is not treated as a member: no "Wer weiß was" in the
   header, "Mein Bereich" lists their proposals and comments, the profile has no members' fields.

No page may load anything from another host or log a console error. Strings are found by structure (links,
ids), with the German interface.
"""

import pytest

from tests.browser.helpers import DESKTOP, OVERFLOW, PHONE, SCREENSHOTS, assert_clean, log_in, log_out

pytestmark = pytest.mark.browser

ROADMAP = "/klima-roadmaps/klima-roadmap-kreis-dueren/"


def header_height(page) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


def nav_rows(page) -> int:
    """How many lines the main navigation's links take (a button sits a few pixels higher than a link)."""
    return page.evaluate(
        """() => {
            const tops = [...document.querySelectorAll('.main-nav li')].map(li => li.getBoundingClientRect().top);
            tops.sort((a, b) => a - b);
            return 1 + tops.filter((top, i) => i > 0 && top - tops[i - 1] > 12).length;
        }"""
    )


@pytest.mark.django_db(transaction=True)
def test_public_side_journey(browsing, demo_data):
    page = browsing.page

    # 1. Home -> Klima-Roadmaps (main navigation) -> Düren's roadmap -> Mitmachen
    page.goto(browsing.url("/"))
    assert page.locator("#home-roadmaps-heading").is_visible()  # what is planned, with its progress
    assert page.locator("#take-part-heading").is_visible()  # how to take part
    assert page.locator("#home-events-heading").is_visible()  # the next public events
    assert nav_rows(page) == 1
    if SCREENSHOTS.exists():
        page.screenshot(path=str(SCREENSHOTS / "public-home.png"), full_page=True)
    nav = page.locator("header nav.main-nav")
    nav.locator(f'a[href="{"/klima-roadmaps/"}"]').click()
    page.wait_for_url("**/klima-roadmaps/")
    page.locator(f'main a[href="{ROADMAP}"]').first.click()
    page.wait_for_url(f"**{ROADMAP}")
    assert page.locator("h1").first.is_visible()

    page.locator(f'main a[href="{ROADMAP}mitmachen/"]').first.click()
    page.wait_for_url(f"**{ROADMAP}mitmachen/")
    offers = page.locator(".participate-offer")
    total = offers.count()
    assert total >= 10  # the demo's measures that say how citizens can take part
    page.select_option("#id_kosten", "free")
    page.locator("form.filter-form button[type=submit]").click()
    page.wait_for_url("**kosten=free**")
    free = page.locator(".participate-offer").count()
    assert 0 < free < total
    first = page.locator(".participate-offer h2 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(f"**{ROADMAP}massnahmen/**")
    assert page.locator("h1").first.inner_text() == title

    # 2. One line at 1280 px, compact on a phone, for a visitor, a citizen and a member
    for email in (None, "buerger@example.org", "nkk.mitglied@example.org"):
        if email:
            log_in(browsing, email)
        page.goto(browsing.url("/mitmachen/"))
        assert nav_rows(page) == 1, f"{email or 'visitor'}: the header wraps at 1280 px"
        page.set_viewport_size(PHONE)
        try:
            assert header_height(page) < 150
            assert page.evaluate(OVERFLOW) == 0
        finally:
            page.set_viewport_size(DESKTOP)
        if email == "buerger@example.org":
            # 3. A citizen: their own area, no members' links, a profile without the members' fields
            assert page.locator('header a[href="/wer-weiss-was/"]').count() == 0
            page.locator("header nav.main-nav").locator('a[href="/mein-bereich/"]').click()
            page.wait_for_url("**/mein-bereich/")
            assert page.locator("#my-proposals-heading").is_visible()
            assert page.locator("#my-comments-heading + ul li").count() >= 1
            page.goto(browsing.url("/profil/"))
            assert page.locator('input[name="profile-phone"]').count() == 0
            assert page.locator('input[name="profile-name"]').is_visible()
        if email == "nkk.mitglied@example.org":
            assert page.locator('header a[href="/wer-weiss-was/"]').count() == 1
        if email:
            log_out(browsing)
    assert_clean(browsing)
