"""What the browser journeys share: logging in and out, submitting forms, checking the page stayed clean."""

import json
from pathlib import Path

from django.conf import settings

PASSWORD = "klimanetz-demo"
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
OVERFLOW = "() => document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
SETTLED = (
    "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done))))"
)
# What sticks out on the right (for the failure message): the outermost such elements, with their text (a
# responsive table's clipped header row sticks out without widening the page).
STICKING_OUT = """() => { const w = document.documentElement.clientWidth; const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.getBoundingClientRect().right > w + 1 && !el.closest('thead, .visually-hidden')
        && !out.some(o => o.contains(el))) out.push(el); }
  return out.slice(0, 5).map(el => `<${el.tagName.toLowerCase()} class="${el.className}"> `
    + (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60)); }"""


def log_in(browsing, email: str, *, from_home: bool = False) -> None:
    """Log in; ``from_home``: as a person does, from the home page through the header's link."""
    page = browsing.page
    if from_home:
        page.goto(browsing.url("/"))
        page.locator("header").get_by_role("link", name="Anmelden", exact=True).click()
        page.wait_for_url("**/konto/login/**")
    else:
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


def phone_screenshot(page, name: str, *, fits: bool = True) -> None:
    """The current page at 390 px wide as docs/screenshots/phone-<name>.png; it must fit without sideways
    scrolling (unless ``fits`` is False: the Django admin is not made for phones). Back to the desktop size."""
    page.set_viewport_size(PHONE)
    page.evaluate(SETTLED)  # the charts' canvases follow the new width a frame or two later (ResizeObserver, rAF)
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"))
        if fits:
            assert page.evaluate(OVERFLOW) == 0, f"{page.url} is wider than a phone: {page.evaluate(STICKING_OUT)}"
    finally:
        page.set_viewport_size(DESKTOP)


def outbox_link(email: str, reason: str, path_pattern: str) -> str:
    """The path of the link in the newest mail of this kind to this address (the outbox is what is mailed)."""
    import re

    from networks.models import OutboxMessage

    body = OutboxMessage.objects.filter(recipient=email, reason=reason).latest("pk").body_text
    return re.search(rf"https?://[^/\s]+({path_pattern})", body).group(1)


def assert_clean(browsing) -> None:
    """No console error, no request to another host, and no English sentence on any German page the tab loaded
    (collected by the browsing fixture's page script) nor on the page as it is now."""
    assert browsing.console_errors == [], "the browser logged errors"
    assert browsing.foreign_requests == [], "the page loaded resources from other hosts"
    assert untranslated_seen(browsing.page) == [], "English text on a German page of the journey"
    assert untranslated(browsing.page) == [], "English text on a German page"


def untranslated_seen(page) -> list[str]:
    """The English sentences found on each German page this tab has loaded so far ("path: sentence")."""
    return page.evaluate(f"() => JSON.parse(sessionStorage.getItem('{UNTRANSLATED_KEY}') || '[]')")


def _english_sentences() -> set[str]:
    """English source strings that German pages must never show: single-line messages of three words or more
    whose German differs (placeholders and markup left out)."""
    catalogue = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"
    found, msgid = set(), None
    for line in catalogue.read_text(encoding="utf-8").splitlines():
        if line.startswith('msgid "'):
            msgid = line[7:-1]
        elif line.startswith('msgstr "') and msgid:
            msgstr = line[8:-1]
            plain = msgid.replace("\\", "")
            if msgstr and msgstr != msgid and len(plain.split()) >= 3 and not set("%{<&") & set(plain):
                found.add(plain)
            msgid = None
    return found


ENGLISH = _english_sentences()


def untranslated(page) -> list[str]:
    """English sentences visible on a German page (an untranslated or wrongly marked string)."""
    if page.evaluate("() => document.documentElement.lang") != "de":
        return []
    text = page.evaluate("() => document.body.innerText")
    return sorted(sentence for sentence in ENGLISH if sentence in text)


# Every German page a journey loads is searched for English sentences (an untranslated string), not only the
# last one: the hits are kept in the tab's sessionStorage, which survives the navigations; assert_clean reads
# them. Evaluated through the DevTools protocol, so the pages' Content-Security-Policy stays as it is.
UNTRANSLATED_KEY = "klimanetz-untranslated"
WATCH_UNTRANSLATED = """(() => {
    const english = %s;
    addEventListener("load", () => {
        if (document.documentElement.lang !== "de" || !document.body) return;
        const text = document.body.innerText;
        const found = english.filter((sentence) => text.includes(sentence));
        if (!found.length) return;
        const seen = JSON.parse(sessionStorage.getItem("%s") || "[]");
        seen.push(...found.map((sentence) => `${location.pathname}: ${sentence}`));
        sessionStorage.setItem("%s", JSON.stringify(seen));
    });
})();"""


def watch_untranslated() -> str:
    """The page script for the browsing fixture's context (context.add_init_script)."""
    return WATCH_UNTRANSLATED % (json.dumps(sorted(ENGLISH)), UNTRANSLATED_KEY, UNTRANSLATED_KEY)


def search_from_header(page, words: str) -> None:
    """Search as a person does from any page's header: in its box on wide screens, through its icon (up to 1440 px
    and on phones) on the search page."""
    if page.locator("#header-search-q").is_visible():
        page.locator("#header-search-q").fill(words)
        submit(page, page.locator("form.header-search button[type=submit]"))
        return
    submit(page, page.locator("a.header-search-link"))
    page.locator("#search-page-q").fill(words)
    submit(page, page.locator("form.search-form button[type=submit]"))
