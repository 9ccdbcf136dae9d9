"""Issue 16's "Done when", end to end, as a new citizen would try it in a real Chromium on the demo portal.

1. From the home page (what is planned, how to take part, the next public events) to Düren's roadmap through
   "Klima-Roadmaps" in the main navigation; its "Mitmachen" page, filtered by the cost for me, leads to a measure.
   The header stays one line at 1280 px and compact on a phone, for a visitor, a citizen and a member.
2. Jonas Weber, new here, signs up from the proposal form, confirms his address through the link in the email and
   submits a proposal (accepting the participation rules once); "Mein Bereich" lists it with its state and his
   profile has no members' fields (a member's header has "Wer weiß was", his has not).
3. The editor publishes it and answers officially; Jonas, who follows his own proposal, is told by email once
   (however often the task runs); the answer is visible to everyone; a proposal the editors did not take up
   stays visible with its reason, and the list filters by that state.
4. Jonas follows a measure; the editor adds a progress report; the task runs twice; one email. A comment that
   fails validation keeps its text and lands at the form with the error next to the field.
5. A measure link pasted into a chat: title, description and a 1200x630 preview image (OpenGraph); the roadmap's
   Atom feed parses; sitemap.xml lists every public measure in both languages.
6. A journalist filters the measures ("Waerme", two statuses) and downloads what she sees: the CSV, read with
   German Excel's defaults (UTF-8 BOM, ";", decimal comma), has the same measures in the right columns; a phone's
   caption does not speak of column headers; printing the roadmap prints the chart tables and no form.
7. A dead link: the 404 page offers the search and the roadmaps; a measure whose slug changed is found at its old
   address (301).
8. axe-core finds no WCAG 2.1 AA violation on the new pages (the public ones, the citizen's, the editors').

No page may load anything from another host, log a console error or show an English sentence in German.
Screenshots (SCREENSHOTS=1): public-home.png, proposal-answer.png, measure-list-filtered.png and phone- twins.
"""

import csv
import io
import xml.etree.ElementTree as ET  # our own responses (feed, sitemap), not untrusted input
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from PIL import Image

from tests.browser.helpers import (
    DESKTOP,
    OVERFLOW,
    PASSWORD,
    PHONE,
    SCREENSHOTS,
    assert_clean,
    log_in,
    log_out,
    outbox_link,
    phone_screenshot,
    search_from_header,
    submit,
)
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

ROADMAP = "/klima-roadmaps/klima-roadmap-kreis-dueren/"
MEASURE = ROADMAP + "massnahmen/ph-01-balkon-pv-fuer-mieterinnen/"
CITIZEN = "jonas.weber@example.net"
EDITOR = "dueren.redaktion@example.org"
MEMBER = "nkk.mitglied@example.org"
PROPOSAL = "Strommessgeräte zum Ausleihen"
REJECTED = "Trinkwasserbrunnen in den Innenstädten"  # the demo's proposal the editors did not take up
ATOM = "{http://www.w3.org/2005/Atom}"


def path_of(url: str) -> str:
    """SITE_URL is the public address; the live server answers the same paths."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def meta(page, key: str) -> str:
    return page.locator(f'meta[property="{key}"], meta[name="{key}"]').first.get_attribute("content")


def nav_rows(page) -> int:
    """How many lines the main navigation's links take (a button sits a few pixels higher than a link)."""
    return page.evaluate(
        """() => {
            const tops = [...document.querySelectorAll('.main-nav li')].map(li => li.getBoundingClientRect().top);
            tops.sort((a, b) => a - b);
            return 1 + tops.filter((top, i) => i > 0 && top - tops[i - 1] > 12).length;
        }"""
    )


def header_fits(page, who: str) -> None:
    """One line at 1280 px; on a phone at most 150 px high and no sideways scrolling."""
    assert nav_rows(page) == 1, f"{who}: the header wraps at 1280 px"
    page.set_viewport_size(PHONE)
    try:
        assert page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height") < 150, who
        assert page.evaluate(OVERFLOW) == 0, who
    finally:
        page.set_viewport_size(DESKTOP)


def german_excel(content: bytes) -> list[dict]:
    """What German Excel reads from a double-clicked CSV: UTF-8 with BOM, ";" between the fields."""
    assert content.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(content[3:].decode("utf-8"), newline=""), delimiter=";"))
    return [dict(zip(header, row, strict=True)) for row in rows]


def run_notifications() -> None:
    """The every-five-minutes task, twice (exactly once per follower and event), from the test's thread."""
    from measures import services

    services.follows_notify()
    services.follows_notify()


@pytest.mark.django_db(transaction=True)
def test_a_new_citizen_does_what_issue_16_promises(browsing, demo_data):
    from measures import services
    from measures.models import Measure, Moderation, Proposal
    from networks.models import OutboxMessage, Person

    page = browsing.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found: list[str] = []  # axe-core's findings, asserted at the end (every page is looked at once)
    try:
        # 1. Home -> "Klima-Roadmaps" (main navigation) -> Düren -> Mitmachen -> a measure
        page.goto(browsing.url("/"))
        for heading in ("#home-roadmaps-heading", "#take-part-heading", "#home-events-heading"):
            assert page.locator(heading).is_visible(), heading  # what is planned, how to take part, events
        header_fits(page, "visitor")
        page.screenshot(path=str(SCREENSHOTS / "public-home.png"), full_page=True)
        page.locator('header nav.main-nav a[href="/klima-roadmaps/"]').click()
        page.wait_for_url("**/klima-roadmaps/")
        page.locator(f'main a[href="{ROADMAP}"]').first.click()
        page.wait_for_url(f"**{ROADMAP}")
        page.locator(f'main a[href="{ROADMAP}mitmachen/"]').first.click()
        page.wait_for_url(f"**{ROADMAP}mitmachen/")
        total = page.locator(".participate-offer").count()
        assert total >= 10  # the demo's measures that say how citizens can take part
        page.select_option("#id_kosten", "free")
        submit(page, page.locator("form.filter-form button[type=submit]"))
        assert "kosten=free" in page.url and 0 < page.locator(".participate-offer").count() < total
        found += violations(browsing, path_of(page.url))
        first = page.locator(".participate-offer h2 a").first
        title = first.inner_text()
        first.click()
        page.wait_for_url(f"**{ROADMAP}massnahmen/**")
        assert page.locator("h1").first.inner_text() == title

        # 2. A new citizen: signs up from the proposal form, confirms, submits a proposal
        page.goto(browsing.url(ROADMAP + "vorschlaege/"))
        page.locator('main .actions a[href="#submit"]').click()
        page.locator('section#submit a[href^="/konto/signup/"]').click()
        page.wait_for_url("**/konto/signup/**")
        signup = page.locator("main form", has=page.locator("input[name=password1]"))
        signup.locator("input[name=email]").fill(CITIZEN)
        signup.locator("input[name=name]").fill("Jonas Weber")
        signup.locator("input[name=password1]").fill(PASSWORD)
        signup.locator("input[name=password2]").fill(PASSWORD)
        submit(page, signup.locator("button[type=submit]"))
        assert "/konto/confirm-email/" in page.url
        page.goto(browsing.url(outbox_link(CITIZEN, "email_confirmation_signup", r"/konto/confirm-email/\S+/")))
        submit(page, page.locator("main form button[type=submit]"))
        page.wait_for_url(f"**{ROADMAP}vorschlaege/#submit")
        assert "Ideen sammeln" in page.locator("#submit").inner_text()  # the phase: collected until …
        form = page.locator("#submit form.proposal-form")
        form.locator("input[name=title]").fill(PROPOSAL)
        form.locator("select[name=sector]").select_option("households")
        form.locator("textarea[name=text]").fill("In der **Stadtbibliothek** Strommessgeräte verleihen.")
        form.locator("input[name=netiquette]").check()  # the participation rules, once, at the first contribution
        submit(page, form.locator("button[type=submit]"))
        proposal = Proposal.objects.get(roadmap__slug="klima-roadmap-kreis-dueren", title=PROPOSAL)
        assert proposal.status == Moderation.PENDING and proposal.author.user.email == CITIZEN
        assert page.url.split("#")[0].endswith(proposal.get_absolute_url())

        # His own area, his profile, his header (a citizen is not treated as a member)
        page.goto(browsing.url("/mitmachen/"))
        assert page.locator('header a[href="/wer-weiss-was/"]').count() == 0
        header_fits(page, "citizen")
        page.locator('header nav.main-nav a[href="/mein-bereich/"]').click()
        page.wait_for_url("**/mein-bereich/")
        assert PROPOSAL in page.locator("#my-proposals-heading + *").inner_text()
        found += violations(browsing, "/mein-bereich/")
        page.goto(browsing.url("/profil/"))
        assert page.locator('input[name="profile-name"]').is_visible()
        assert page.locator('input[name="profile-phone"]').count() == 0
        log_out(browsing)
        log_in(browsing, MEMBER)
        page.goto(browsing.url("/mitmachen/"))
        assert page.locator('header a[href="/wer-weiss-was/"]').count() == 1
        header_fits(page, "member")
        log_out(browsing)

        # 3. The editor publishes and answers; the citizen is told once; everyone sees the answer
        log_in(browsing, EDITOR)
        page.goto(browsing.url(ROADMAP + "redaktion/moderation/"))
        submit(page, page.locator(f"#proposal-{proposal.pk}").locator("button[value=publish]"))
        page.goto(browsing.url(proposal.get_absolute_url()))
        answer = page.locator("#answer-form")
        answer.locator("select[name=state]").select_option("in_review")
        answer.locator("textarea[name=answer]").fill("Eine gute Idee: Wir prüfen das mit der **Stadtbibliothek**.")
        submit(page, answer.locator("button[type=submit]"))
        assert page.locator("#answer .answer-text strong").inner_text() == "Stadtbibliothek"
        for path in ("redaktion/beteiligung/", "redaktion/moderation/", "redaktion/"):
            found += violations(browsing, ROADMAP + path)
        log_out(browsing)
        run_notifications()
        told = OutboxMessage.objects.filter(recipient=CITIZEN, reason="follow_update")
        assert told.count() == 1 and "Stadtbibliothek" in told.get().body_text

        page.goto(browsing.url(proposal.get_absolute_url()))
        assert page.locator("#answer").is_visible()
        assert page.locator(".proposal-state .status-in_review").is_visible()
        page.screenshot(path=str(SCREENSHOTS / "proposal-answer.png"), full_page=True)
        phone_screenshot(page, "proposal-answer")
        found += violations(browsing, proposal.get_absolute_url())
        page.goto(browsing.url(ROADMAP + "vorschlaege/?state=not_taken_up"))
        page.get_by_role("link", name=REJECTED).click()
        page.wait_for_url(f"**{ROADMAP}vorschlaege/**")
        assert page.locator(".proposal-state .status-not_taken_up").is_visible()
        assert "Sache der Städte" in page.locator("#answer").inner_text()  # the reason, for everyone
        found += violations(browsing, path_of(page.url))
        found += violations(browsing, ROADMAP + "vorschlaege/")

        # 4. He follows a measure; a progress report; the task runs twice; one email
        log_in(browsing, CITIZEN)
        page.goto(browsing.url(MEASURE))
        follow = page.locator("#follow form")
        follow.locator("select[name=frequency]").select_option("immediately")
        submit(page, follow.locator("button[type=submit]"))
        assert page.locator("#follow .badge").is_visible()
        measure = Measure.objects.get(roadmap__slug="klima-roadmap-kreis-dueren", slug=MEASURE.split("/")[-2])
        editor = Person.objects.get(user__email=EDITOR)
        services.update_add(
            measure=measure, text="Die ersten 40 Balkone sind belegt.", percent=60, public=True, by=editor
        )
        run_notifications()
        reports = OutboxMessage.objects.filter(
            recipient=CITIZEN, reason="follow_update", body_text__contains="40 Balkone"
        )
        assert reports.count() == 1
        for path in ("/folgen/", ROADMAP + "vorschlaege/neu/", MEASURE):
            found += violations(browsing, path)

        # A comment too long: the text stays, the browser lands at the form, the error next to the field
        page.goto(browsing.url(MEASURE))
        text = "Gilt das auch für Wohnungsgenossenschaften? " + "x" * 4000
        form = page.locator("#comment-form form")
        form.locator("textarea[name=text]").evaluate(
            "(el, value) => { el.removeAttribute('maxlength'); el.value = value }", text
        )
        submit(page, form.locator("button[type=submit]"))
        assert page.url.endswith("#comment-form")
        assert page.locator("#id_comment_text").input_value() == text
        assert page.locator("#id_comment_text_error").is_visible()
        log_out(browsing)

        # 5. The measure link in a chat (OpenGraph), the roadmap's feed, the sitemap
        page.goto(browsing.url(MEASURE))
        assert page.locator("h1").inner_text() in meta(page, "og:title")
        description = meta(page, "description")
        assert 20 <= len(description) <= 160 and description == meta(page, "og:description")
        assert page.locator('meta[name="robots"]').count() == 0
        assert path_of(page.locator('link[rel="canonical"]').get_attribute("href")) == MEASURE
        image = page.request.get(browsing.url(path_of(meta(page, "og:image"))))
        assert image.status == 200 and image.headers["content-type"] == "image/png"
        assert Image.open(BytesIO(image.body())).size == (1200, 630)
        found += violations(browsing, MEASURE + "rueckmeldung/")
        found += violations(browsing, "/datenschutz/")

        page.goto(browsing.url(ROADMAP))
        found += violations(browsing, ROADMAP)
        feed_url = page.locator('link[rel="alternate"][type="application/atom+xml"]').first.get_attribute("href")
        feed = page.request.get(browsing.url(path_of(feed_url)))
        assert feed.status == 200
        root = ET.fromstring(feed.body())  # noqa: S314
        assert root.tag == f"{ATOM}feed" and root.findall(f"{ATOM}entry")
        # sitemap.xml is an index of the sitemap's files (issue 19 §6): every file it names is read
        sitemaps = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        index = ET.fromstring(page.request.get(browsing.url("/sitemap.xml")).body())  # noqa: S314
        assert index.tag == f"{sitemaps}sitemapindex"
        locations = set()
        for part in index.iter(f"{sitemaps}loc"):
            body = page.request.get(browsing.url(path_of(part.text))).body()
            locations |= {path_of(loc.text) for loc in ET.fromstring(body).iter(f"{sitemaps}loc")}  # noqa: S314
        public = [m.get_absolute_url() for m in Measure.objects.public().select_related("roadmap")]
        assert public and all(url in locations and "/en" + url in locations for url in public)

        # Printing the roadmap: the chart tables, no form and no prompt
        page.emulate_media(media="print")
        tables = page.locator("table.chart-table")
        assert tables.count() > 0 and tables.first.is_visible(), "printed charts come with their values"
        assert page.locator(".chart-canvas").first.is_hidden()
        hidden = "els => els.every(e => getComputedStyle(e).display === 'none')"
        assert page.locator("form, .follow, .comment-form").evaluate_all(hidden), "no form or prompt on paper"
        page.emulate_media(media="screen")

        # 6. A journalist downloads what she sees, and German Excel reads it into the right columns
        page.goto(browsing.url(ROADMAP + "massnahmen/"))
        form = page.locator("form.measure-filter")
        form.get_by_label("Suche").fill("Waerme")
        form.locator("summary", has_text="Status").click()
        form.get_by_label("In Umsetzung").check()
        form.get_by_label("Geplant").check()
        submit(page, form.get_by_role("button", name="Maßnahmen anzeigen"))
        assert "status=in_progress" in page.url and "status=planned" in page.url
        rows = page.locator("table.measure-table tbody tr")
        shown = [rows.nth(i).locator("td.measure-code").inner_text() for i in range(rows.count())]
        assert shown, "the search for Waerme finds the heat measures"
        assert all("wärme" in rows.nth(i).inner_text().lower() for i in range(len(shown)))
        page.screenshot(path=str(SCREENSHOTS / "measure-list-filtered.png"), full_page=True)
        assert page.locator(".caption-wide").is_visible() and not page.locator(".caption-narrow").is_visible()
        with page.expect_download() as download_info:
            page.locator(".download-links").get_by_role("link", name="CSV für Excel").click()
        download = download_info.value
        assert "-gefiltert-" in download.suggested_filename
        table = german_excel(Path(download.path()).read_bytes())
        assert [row["Kennung"] for row in table] == shown  # what I see is what I get
        assert {row["Status-Code"] for row in table} <= {"in_progress", "planned"}
        assert {row["Status"] for row in table} <= {"In Umsetzung", "Geplant"}
        for row in table:
            if row["Erwartete Wirkung (t CO2e/a)"]:  # a German number Excel reads as one
                Decimal(row["Erwartete Wirkung (t CO2e/a)"].replace(".", "").replace(",", "."))
        page.set_viewport_size(PHONE)
        assert page.locator(".caption-narrow").is_visible() and not page.locator(".caption-wide").is_visible()
        phone_screenshot(page, "measure-list-filtered")
        found += violations(browsing, path_of(page.url))

        # 7. A dead link: search and roadmaps on the 404 page; a moved measure is found at its old address
        response = page.goto(browsing.url("/klima-roadmaps/gibt-es-nicht/"))
        assert response.status == 404
        assert page.locator(f'main a[href="{ROADMAP}"]').count() == 1
        page.evaluate((Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8"))
        assert (
            page.evaluate(
                """async () => (await axe.run(document, {runOnly: {type: "tag", values:
                ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})).violations.map(v => v.id)"""
            )
            == []
        )
        page.locator("main input[type=search]").fill("Balkon")
        submit(page, page.locator("main form[role=search] button[type=submit]"))
        assert "/suche/?q=Balkon" in page.url and page.locator(".search-hit").count() >= 1
        search_from_header(page, "Wärmeplanung")  # the header's search, from any page
        assert page.locator(".search-hit").count() >= 1
        measure.refresh_from_db()
        measure.slug = "balkon-pv"
        measure.save()
        connections.close_all()
        response = page.goto(browsing.url(MEASURE))
        assert response.status == 200 and page.url.split("#")[0] == browsing.url(ROADMAP + "massnahmen/balkon-pv/")
        assert response.request.redirected_from is not None

        # 8. No accessibility violation on the pages of the journey
        assert found == [], "\n".join(found)
        browsing.console_errors[:] = [error for error in browsing.console_errors if "404" not in error]  # the dead link
        assert_clean(browsing)
    finally:
        # Queries made while Playwright's loop runs have their own connection: close it, or PostgreSQL cannot drop
        # the test database at the end of the session.
        connections.close_all()
