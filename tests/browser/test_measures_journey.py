"""Climate roadmaps as citizens and editors try them (issue 4 "Done when"), in a real Chromium, on the demo data.

1. A citizen goes from the home page to Düren's roadmap: the target 2035 and the progress are visible, the
   measures filter by sector, a measure tells what it does, how far it is and how to take part, and the
   open-data CSV downloads and parses as German Excel reads it (BOM, ";", units in the header). To submit a
   proposal they sign up, confirm their address through the link in the mail and are back at the proposal
   form, signed in; the proposal waits for the editors, visible only to its author (issue 7 §1, journey 1).
2. buerger@example.org submits a proposal; it stays invisible to anonymous visitors until
   dueren.redaktion publishes it in the moderation queue; then it is public and buerger has an email
   in the outbox.
3. dueren.redaktion edits a measure's summary; the public page shows the change and the measure's
   history shows who changed what.

No page may load anything from another host or log a console error. The home page, the roadmap and the
measure page are kept as docs/screenshots/home.png, roadmap.png and measure.png, the submitted proposal at
390 px as phone-proposal.png. The interface strings are looked up by
structure (links, names, classes), so the journeys pass in German and before the German catalogue of
the measures app is compiled.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.db import connections

from tests.browser.helpers import (
    SCREENSHOTS,
    assert_clean,
    log_in,
    log_out,
    outbox_link,
    phone_screenshot,
    submit,
)

pytestmark = pytest.mark.browser

ROADMAP = "/klima-roadmaps/klima-roadmap-kreis-dueren/"
BALKON_PV = "Balkon-PV für Mieter*innen"
CITIZEN = "lea.hoffmann@example.net"
PROPOSAL = "Strommessgeräte zum Ausleihen"


def status_of(browsing, path: str) -> int:
    """The HTTP status of a page for the browser's current session, without a 404 in the console."""
    return browsing.page.request.get(browsing.url(path), max_redirects=0).status


def open_measure(browsing, title: str) -> None:
    page = browsing.page
    page.goto(browsing.url(ROADMAP + "massnahmen/"))
    page.locator("table.measure-table").get_by_role("link", name=title, exact=True).click()
    page.wait_for_url("**/massnahmen/*/")
    assert page.locator("h1").inner_text() == title


def test_citizen_reads_the_roadmap_filters_opens_a_measure_downloads_the_data_signs_up_and_proposes(
    demo_data, browsing
):
    from measures.models import Measure, Moderation, Proposal

    page = browsing.page
    try:
        # Home page → Düren's roadmap.
        page.goto(browsing.url("/"))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)
        page.locator(f'main a[href="{ROADMAP}"]').first.click()
        page.wait_for_url(f"**{ROADMAP}")
        assert page.locator("h1").inner_text() == "Klima-Roadmap Kreis Düren"

        # The target year and how far along it is.
        assert page.locator(".target-year").inner_text().strip() == "2035"
        summary = page.locator(".progress-summary")
        assert summary.is_visible()
        completed = Measure.objects.public().filter(roadmap__slug="klima-roadmap-kreis-dueren", status="completed")
        assert summary.inner_text().startswith(f"{completed.count()} von ")  # measures.templatetags.counts
        assert page.locator(".progress .progress-bar").first.is_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 1500})  # the target, the progress and the sectors
        page.screenshot(path=str(SCREENSHOTS / "roadmap.png"))
        page.set_viewport_size({"width": 1280, "height": 900})

        # All measures, then only the private households' ones.
        page.locator(f'main a[href="{ROADMAP}massnahmen/"]').first.click()
        page.wait_for_url(f"**{ROADMAP}massnahmen/")
        all_rows = page.locator("table.measure-table tbody tr").count()
        assert all_rows >= 20
        filters = page.locator("form.filter-form")
        filters.locator("summary", has_text="Handlungsfeld").click()
        filters.get_by_label("Private Haushalte").check()
        submit(page, filters.locator("button[type=submit]"))
        assert "handlungsfeld=households" in page.url
        codes = page.locator("table.measure-table tbody td.measure-code").all_inner_texts()
        assert codes == ["PH-01", "PH-02", "PH-03"]
        assert page.locator("input[name=handlungsfeld][value=households]").is_checked()

        # A measure: what it does, how far it is, how to take part.
        page.locator("table.measure-table").get_by_role("link", name=BALKON_PV, exact=True).click()
        page.wait_for_url("**/massnahmen/ph-01-*/")
        assert page.locator("h1").inner_text() == BALKON_PV
        assert "Steckersolargeräte" in page.locator(".measure-header .lead").inner_text()
        assert "Solarstrom erzeugen" in page.locator("section", has=page.locator("#description-heading")).inner_text()
        assert page.locator(".measure-header .status.status-in_progress").is_visible()
        assert page.locator("progress#measure-percent").get_attribute("value") == "55"
        assert "55" in page.locator(".measure-percent").inner_text()
        take_part = page.locator("section.take-part")
        assert take_part.is_visible() and "Zuschuss online" in take_part.inner_text()
        main = page.locator("main").inner_text()
        assert "vertraulich" not in main and "Landrats" not in main  # internal notes never leave the editors
        page.screenshot(path=str(SCREENSHOTS / "measure.png"), full_page=True)

        # Back to the roadmap: the open data, a CSV with one header row (units in it) and one row per public measure.
        page.locator(f'main a[href="{ROADMAP}"]').first.click()
        page.wait_for_url(f"**{ROADMAP}")
        with page.expect_download() as download_info:
            page.locator(f'a[href="{ROADMAP}massnahmen.csv"]').click()
        download = download_info.value
        assert download.suggested_filename.endswith(".csv")
        content = Path(download.path()).read_bytes()
        assert content.startswith(b"\xef\xbb\xbf")  # German Excel: UTF-8 with BOM, ";", decimal comma
        text = content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        header, body = rows[0], rows[1:]
        assert "Erwartete Wirkung (t CO2e/a)" in header and "Kostenschätzung (EUR)" in header
        assert "Fortschritt (%)" in header and "Beginn" in header and "Status-Code" in header
        amounts = [name for name in header if name.startswith(("Wirkung untere", "Wirkung obere", "Fördersumme"))]
        assert len(amounts) == 3 and all(re.search(r" \((t CO2e/a|EUR)\)$", name) for name in amounts)
        public = Measure.objects.public().filter(roadmap__slug="klima-roadmap-kreis-dueren")
        assert len(body) == public.count() and all(len(row) == len(header) for row in body)
        by_code = {row[header.index("Kennung")]: dict(zip(header, row, strict=True)) for row in body}
        assert by_code["PH-01"]["Titel"] == BALKON_PV and by_code["PH-01"]["Fortschritt (%)"] == "55"
        assert by_code["IW-01"]["Erwartete Wirkung (t CO2e/a)"] == ""  # marked internal by the editors
        assert "KV-05" not in by_code  # a draft
        assert "vertraulich" not in text

        # An idea of their own: the citizens' proposals, the form at the end, first an account.
        page.locator(f'main a[href="{ROADMAP}vorschlaege/"]').first.click()
        page.wait_for_url(f"**{ROADMAP}vorschlaege/")
        page.locator('main .actions a[href="#submit"]').click()
        take_part = page.locator("section#submit")
        assert take_part.locator("form.proposal-form").count() == 0  # not without an account
        take_part.locator('a[href^="/konto/signup/"]').click()
        page.wait_for_url("**/konto/signup/**")
        signup = page.locator("main form", has=page.locator("input[name=password1]"))
        signup.locator("input[name=email]").fill(CITIZEN)
        signup.locator("input[name=name]").fill("Lea Hoffmann")
        signup.locator("input[name=password1]").fill("Sonnenstrom-2026!")
        signup.locator("input[name=password2]").fill("Sonnenstrom-2026!")
        submit(page, signup.locator("button[type=submit]"))
        assert "/konto/confirm-email/" in page.url and CITIZEN in page.locator("main").inner_text()

        # The mail's link confirms the address and signs in; back at the form, the proposal goes to the editors.
        page.goto(browsing.url(outbox_link(CITIZEN, "email_confirmation_signup", r"/konto/confirm-email/\S+/")))
        submit(page, page.locator("main form button[type=submit]"))
        page.wait_for_url(f"**{ROADMAP}vorschlaege/#submit")
        assert page.get_by_role("button", name="Abmelden", exact=True).is_visible()
        form = page.locator("#submit form.proposal-form")
        form.locator("input[name=title]").fill(PROPOSAL)
        form.locator("select[name=sector]").select_option("households")
        form.locator("textarea[name=text]").fill("Ein Verleih von Strommessgeräten in den Stadtbibliotheken.")
        form.locator("input[name=netiquette]").check()  # the participation rules, at the first contribution
        submit(page, form.locator("button[type=submit]"))
        proposal = Proposal.objects.get(roadmap__slug="klima-roadmap-kreis-dueren", title=PROPOSAL)
        assert proposal.status == Moderation.PENDING and proposal.author.user.email == CITIZEN
        assert page.url.split("#")[0].endswith(proposal.get_absolute_url())  # at #main: the page, not the form
        assert page.locator("h1").inner_text() == PROPOSAL
        assert page.locator(".messages .message-success").is_visible()  # told what happens next
        phone_screenshot(page, "proposal")
        assert_clean(browsing)
    finally:
        # Queries made while Playwright's loop runs have their own connection: close it, or
        # PostgreSQL cannot drop the test database at the end of the session.
        connections.close_all()


def test_proposal_stays_hidden_until_the_editors_publish_it(demo_data, browsing):
    from measures.models import Moderation, Proposal
    from networks.models import OutboxMessage

    page = browsing.page
    title = "Mehr Fahrradbügel am Bahnhof Düren"
    try:
        log_in(browsing, "buerger@example.org")
        page.goto(browsing.url(ROADMAP))
        page.locator(f'main a[href="{ROADMAP}vorschlaege/"]').first.click()
        page.wait_for_url(f"**{ROADMAP}vorschlaege/")
        form = page.locator("#submit form.proposal-form")
        form.locator("input[name=title]").fill(title)
        form.locator("select[name=sector]").select_option("mobility")
        form.locator("textarea[name=text]").fill(
            "Am Bahnhof Düren sind die Fahrradbügel **morgens voll**. Mehr überdachte Bügel würden helfen."
        )
        if form.locator("input[name=netiquette]").count():  # asked once, at the first contribution
            form.locator("input[name=netiquette]").check()
        submit(page, form.locator("button[type=submit]"))
        proposal = Proposal.objects.get(roadmap__slug="klima-roadmap-kreis-dueren", title=title)
        assert proposal.status == Moderation.PENDING and proposal.author.user.email == "buerger@example.org"
        path = proposal.get_absolute_url()
        assert page.url.split("#")[0].endswith(path)  # the author sees their own proposal
        assert page.locator("h1").inner_text() == title
        log_out(browsing)

        # Nobody else sees it: not on the list, not at its address.
        page.goto(browsing.url(ROADMAP + "vorschlaege/"))
        assert title not in page.locator("main").inner_text()
        assert status_of(browsing, path) == 404

        # The editor publishes it from the moderation queue.
        log_in(browsing, "dueren.redaktion@example.org")
        page.goto(browsing.url(ROADMAP))
        page.locator(f'main a[href="{ROADMAP}redaktion/"]').first.click()
        page.wait_for_url(f"**{ROADMAP}redaktion/")
        page.locator(f'main a[href="{ROADMAP}redaktion/moderation/"]').first.click()
        page.wait_for_url(f"**{ROADMAP}redaktion/moderation/")
        item = page.locator(f"#proposal-{proposal.pk}")
        assert item.get_by_role("link", name=title).is_visible()
        assert "morgens voll" in item.locator(".moderation-text strong").inner_text()  # Markdown, rendered
        submit(page, item.locator("button[name=decision][value=publish]"))
        assert page.locator(f"#proposal-{proposal.pk}").count() == 0
        proposal.refresh_from_db()
        assert proposal.status == Moderation.PUBLISHED and proposal.moderated_by.user.email == (
            "dueren.redaktion@example.org"
        )
        log_out(browsing)

        # Now it is public, and its author has been told.
        page.goto(browsing.url(ROADMAP + "vorschlaege/"))
        page.locator("main").get_by_role("link", name=title).first.click()
        page.wait_for_url(f"**{path}")
        assert page.locator("h1").inner_text() == title
        told = OutboxMessage.objects.filter(
            recipient="buerger@example.org", reason="proposal_moderated", object_id=str(proposal.pk)
        )
        assert told.count() == 1 and title in told.get().subject + told.get().body_text
        assert_clean(browsing)
    finally:
        connections.close_all()


def test_editor_changes_a_measure_and_its_history_shows_who_changed_what(demo_data, browsing):
    from measures.models import Measure

    page = browsing.page
    summary = "Bis zu 400 Euro Zuschuss und kostenlose Beratung für Steckersolargeräte an Balkon und Terrasse."
    try:
        log_in(browsing, "dueren.redaktion@example.org")
        open_measure(browsing, BALKON_PV)
        measure = Measure.objects.get(roadmap__slug="klima-roadmap-kreis-dueren", code="PH-01")
        before = measure.summary
        page.locator(f'main a[href="{ROADMAP}redaktion/massnahmen/{measure.pk}/"]').first.click()
        page.wait_for_url(f"**{ROADMAP}redaktion/massnahmen/{measure.pk}/")
        form = page.locator("form.measure-form")
        form.locator("[name=summary]").fill(summary)
        submit(page, form.locator(".form-actions button[type=submit]"))
        measure.refresh_from_db()
        assert measure.summary == summary
        log_out(browsing)

        # The public page shows the change.
        open_measure(browsing, BALKON_PV)
        assert page.locator(".measure-header .lead").inner_text() == summary

        # The history: who, and the summary before and after.
        log_in(browsing, "dueren.redaktion@example.org")
        open_measure(browsing, BALKON_PV)
        page.locator(f'main a[href="{ROADMAP}redaktion/massnahmen/{measure.pk}/verlauf/"]').first.click()
        page.wait_for_url("**/verlauf/")
        latest = page.locator(".history-entry").first
        assert "Paul Schneider" in latest.locator("h2").inner_text()
        changes = latest.locator("table.history-changes tbody tr")
        assert changes.count() == 1
        assert changes.first.locator("td").all_inner_texts() == [before, summary]
        assert latest.locator("time").get_attribute("datetime")
        assert_clean(browsing)
    finally:
        connections.close_all()
