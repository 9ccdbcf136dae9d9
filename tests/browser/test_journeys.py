"""A member's journey through the German interface, in a real Chromium, on the demo data.

The page may load nothing from other hosts (fonts, CDNs, analytics) and may log no console
errors (a Content-Security-Policy violation is one). The filtered member directory is kept as
docs/screenshots/member-directory.png.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

pytestmark = pytest.mark.browser

KEK = "Konsultationskreis Energieeffizienz und Klimaschutz Dortmund"
SCREENSHOT = Path(settings.BASE_DIR) / "docs" / "screenshots" / "member-directory.png"


def test_member_filters_the_directory_of_their_network(demo_data, browsing):
    page = browsing.page

    page.goto(browsing.url("/"))
    assert page.locator("html").get_attribute("lang") == "de"
    page.locator("header").get_by_role("link", name="Anmelden", exact=True).click()
    page.wait_for_url("**/konto/login/**")

    form = page.locator("form", has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill("kek.mitglied@example.org")
    form.locator("input[name=password]").fill("klimanetz-demo")
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/konto/login/" not in url)
    assert page.get_by_role("button", name="Abmelden").is_visible()  # logged in

    # From "my area" into the network's internal space ...
    page.goto(browsing.url("/start/"))
    page.locator('a[href="/netzwerke/kek-dortmund/intern/"]').first.click()
    page.wait_for_url("**/netzwerke/kek-dortmund/intern/")
    assert page.locator("h1").inner_text() == KEK

    # ... to its member directory, filtered by organisation.
    page.locator('nav.sidebar a[href="/netzwerke/kek-dortmund/mitglieder/"]').click()
    page.wait_for_url("**/netzwerke/kek-dortmund/mitglieder/")
    directory = page.locator("ul.person-cards")
    assert directory.get_by_text("Selin Kaya").count() == 1  # everyone before filtering

    filter_form = page.locator("form.filter-form")
    filter_form.locator("select[name=organisation]").select_option(label="Fachhochschule Dortmund")
    filter_form.locator("button[type=submit]").click()
    page.wait_for_url("**/netzwerke/kek-dortmund/mitglieder/?*organisation=*")

    assert directory.get_by_role("heading", name="Dr. Martin Krause").is_visible()
    assert "Selin Kaya" not in page.locator("main").inner_text()
    assert directory.locator("li.person-card").count() == 1

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    assert browsing.console_errors == [], "the browser logged errors"

    # Another network's directory is closed to this member.
    response = page.goto(browsing.url("/netzwerke/nkk-koeln-bonn/mitglieder/"))
    assert response is not None and response.status == 403
    assert page.locator("ul.person-cards").count() == 0
    # Chromium reports the 403 of the document itself as a console error; that one is expected.
    assert [e for e in browsing.console_errors if "status of 403" not in e] == [], "the browser logged errors"

    assert browsing.foreign_requests == [], "the page loaded resources from other hosts"


def test_coordinator_invites_and_the_invited_person_joins_through_the_link(demo_data, browsing):
    import re

    from networks.models import NetworkRole, OutboxMessage

    page = browsing.page
    email = "neue.kollegin@kusel.example"

    page.goto(browsing.url("/konto/login/"))
    form = page.locator("form", has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill("ktt.koordination@example.org")
    form.locator("input[name=password]").fill("klimanetz-demo")
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/konto/login/" not in url)

    page.goto(browsing.url("/netzwerke/klima-taten-team-westpfalz/personen/"))
    page.get_by_role("link", name="Person einladen").click()
    page.locator("input[name=email]").fill(email)
    page.locator("textarea[name=message]").fill("Willkommen im Klima.Taten.Team!")
    page.get_by_role("button", name="Einladung senden").click()
    assert page.get_by_text(f"Eine Einladung wurde an {email} gesendet.").is_visible()
    page.get_by_role("button", name="Abmelden").click()

    # The mail went through the outbox; its link is what the invited person clicks.
    body = OutboxMessage.objects.get(recipient=email, reason="invitation").body_text
    path = re.search(r"https?://[^/\s]+(/einladung/[\w-]+/)", body).group(1)
    page.goto(browsing.url(path))
    assert "Miriam Schuster lädt Sie ein" in page.locator("main").inner_text()
    page.get_by_role("link", name="Konto anlegen").click()
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=name]").fill("Kim Neu")
    page.locator("input[name=password1]").fill("Sonnenstrom-2026!")
    page.locator("input[name=password2]").fill("Sonnenstrom-2026!")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{path}")  # back at the invitation, logged in, no separate verification mail
    page.get_by_role("button", name="Dem Netzwerk beitreten").click()
    page.wait_for_url("**/netzwerke/klima-taten-team-westpfalz/intern/")
    assert page.get_by_text("Willkommen bei Klima.Taten.Team Westpfalz!").is_visible()

    role = NetworkRole.objects.select_related("network").get(person__user__email=email)
    assert role.network.slug == "klima-taten-team-westpfalz" and role.role == "member"
    assert browsing.console_errors == [] and browsing.foreign_requests == []
    # Queries made while Playwright's loop runs get their own connection; close it, or
    # PostgreSQL cannot drop the test database at the end of the session.
    connections.close_all()
