"""Events as new users try them (issue 3 "Done when"), in a real Chromium, on the demo data.

Everyone starts at the home page, logs in through its link and clicks on from "my area" (issue 7 §1):

1. kek.mitglied registers for an upcoming KEK meeting, sees the online link only after registering,
   downloads the .ics and cancels; on the full meeting a waiting person moves up when someone
   cancels, and gets the email (journey 2).
2. ktt.koordination, in one session, creates a fortnightly office-hour series (its dates appear 14 days
   apart in the network calendar), writes the minutes of the last Klima.Taten.Talk with an action item
   for Katrin Lang and invites a new colleague; Katrin Lang finds the action item in "my area" (journey 3).

No page may load anything from another host, log a console error or show an English sentence. The event
page, the network calendar and the minutes are kept as docs/screenshots/event-detail.png,
network-calendar.png and minutes.png, the event and the minutes at 390 px as phone-event.png and
phone-minutes.png.
"""

from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from django.db import connections
from django.utils import timezone

from tests.browser.helpers import SCREENSHOTS, assert_clean, log_in, log_out, phone_screenshot, submit

pytestmark = pytest.mark.browser

KEK = "kek-dortmund"
KTT = "klima-taten-team-westpfalz"
OPEN_MEETING = "KEK-Netzwerktreffen: Klimaschutzziele der Mitgliedsorganisationen"
FULL_MEETING = "KEK-Netzwerktreffen vor Ort: Rundgang im Dortmunder Hafen"
MEETING_LINK = 'a[href="https://meet.example.org/kek-netzwerktreffen"]'


def open_calendar(browsing, network: str) -> None:
    """From "my area" (the header's link) to the network's internal space, then its calendar in the sidebar."""
    page = browsing.page
    page.locator("header").get_by_role("link", name="Mein Bereich", exact=True).click()
    page.wait_for_url("**/start/")
    page.locator(f'main a[href="/netzwerke/{network}/intern/"]').first.click()
    page.wait_for_url(f"**/netzwerke/{network}/intern/")
    page.locator(f'nav.sidebar a[href="/netzwerke/{network}/termine/"]').click()
    page.wait_for_url(f"**/netzwerke/{network}/termine/")


def open_event(browsing, network: str, title: str, *, past: bool = False) -> None:
    page = browsing.page
    open_calendar(browsing, network)
    if past:
        page.locator('main a[href$="?zeitraum=vergangen"]').first.click()
        page.wait_for_url("**?zeitraum=vergangen")
    page.locator("table.event-table").get_by_role("link", name=title, exact=True).first.click()
    page.wait_for_url("**/termine/*/")
    assert page.locator("h1").inner_text() == title


def registration_of(email: str, title: str):
    from events.models import Registration

    return Registration.objects.get(person__user__email=email, event__title=title)


def test_member_registers_sees_the_link_downloads_the_ics_and_cancels_and_the_waiting_list_moves_up(
    demo_data, browsing
):
    from networks.models import OutboxMessage

    page = browsing.page
    box = page.locator("#registration")
    try:
        log_in(browsing, "kek.mitglied@example.org", from_home=True)
        open_event(browsing, KEK, OPEN_MEETING)

        # Before registering: the event says it is online too, but not where.
        assert page.locator(MEETING_LINK).count() == 0
        assert "meet.example.org" not in page.locator("main").inner_text()
        box.get_by_label("online", exact=True).check()  # hybrid: on site or online (FINDINGS)
        submit(page, box.locator("button[type=submit]"))
        assert registration_of("kek.mitglied@example.org", OPEN_MEETING).status == "registered"
        assert "✓" in box.locator(".registration-status").inner_text()
        assert page.locator(MEETING_LINK).is_visible()  # now it is there
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "event-detail.png"), full_page=True)
        phone_screenshot(page, "event")

        # The calendar file, with the link now that a place is held.
        with page.expect_download() as download_info:
            page.locator('a[href$="/termin.ics"]').click()
        download = download_info.value
        assert download.suggested_filename.endswith(".ics")
        calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
        [vevent] = calendar.walk("VEVENT")
        assert str(vevent["SUMMARY"]) == OPEN_MEETING
        assert "https://meet.example.org/kek-netzwerktreffen" in str(vevent["DESCRIPTION"])
        assert vevent.decoded("DTSTART").tzinfo is not None and vevent.decoded("DTSTART") > timezone.now()
        assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"

        # Cancelling gives the place back and hides the link again.
        submit(page, box.locator("button[type=submit]"))
        assert registration_of("kek.mitglied@example.org", OPEN_MEETING).status == "cancelled"
        assert page.locator(MEETING_LINK).count() == 0

        # The full meeting: kek.mitglied joins its waiting list, behind two others.
        open_event(browsing, KEK, FULL_MEETING)
        submit(page, box.locator("button[type=submit]"))
        assert registration_of("kek.mitglied@example.org", FULL_MEETING).status == "waiting"
        assert "3" in box.locator(".registration-status").inner_text()  # number 3 on the waiting list
        log_out(browsing)

        # Someone with a place cancels: the first waiting person moves up and is told by email.
        assert registration_of("kek.caritas@example.org", FULL_MEETING).status == "waiting"
        log_in(browsing, "kek.dew21@example.org", from_home=True)
        open_event(browsing, KEK, FULL_MEETING)
        submit(page, box.locator("button[type=submit]"))
        assert registration_of("kek.dew21@example.org", FULL_MEETING).status == "cancelled"
        assert registration_of("kek.caritas@example.org", FULL_MEETING).status == "registered"
        assert registration_of("kek.mitglied@example.org", FULL_MEETING).status == "waiting"
        promoted = OutboxMessage.objects.get(recipient="kek.caritas@example.org", reason="event_promoted")
        assert FULL_MEETING in promoted.subject + promoted.body_text
        assert not OutboxMessage.objects.filter(recipient="kek.mitglied@example.org", reason="event_promoted").exists()
        log_out(browsing)

        # The promoted person sees their place.
        log_in(browsing, "kek.caritas@example.org", from_home=True)
        open_event(browsing, KEK, FULL_MEETING)
        assert "✓" in box.locator(".registration-status").inner_text()
        assert_clean(browsing)
    finally:
        # Queries made while Playwright's loop runs have their own connection: close it, or
        # PostgreSQL cannot drop the test database at the end of the session.
        connections.close_all()


def test_coordinator_creates_an_office_hour_series_writes_minutes_with_an_action_item_and_invites_a_person(
    demo_data, browsing
):
    from events.models import EventSeries, Outcome
    from networks.models import Invitation, OutboxMessage

    page = browsing.page
    title = "Sprechstunde Wärmeplanung"
    task = "Leitfaden zur Wärmeplanung für kleine Gemeinden im Netzwerk vorstellen"
    newcomer = "neue.kollegin@kusel.example"
    soon = timezone.localdate() + timedelta(days=3)
    first = soon + timedelta(days=(3 - soon.weekday()) % 7)  # a Thursday; the Klima.Taten.Talk is on Tuesdays
    due = timezone.localdate() + timedelta(days=10)
    try:
        log_in(browsing, "ktt.koordination@example.org", from_home=True)

        # A fortnightly office hour: from the internal space's sidebar ("New series").
        page.locator(f'main a[href="/netzwerke/{KTT}/intern/"]').first.click()
        page.wait_for_url(f"**/netzwerke/{KTT}/intern/")
        page.locator(f'nav.sidebar a[href="/netzwerke/{KTT}/terminreihen/neu/"]').click()
        page.wait_for_url("**/terminreihen/neu/")
        form = page.locator("main form[method=post]")
        form.locator("input[name=title]").fill(title)
        form.locator("select[name=kind]").select_option("office_hour")
        form.locator("select[name=format]").select_option("online")
        form.locator("select[name=frequency]").select_option("weekly")
        form.locator("input[name=interval]").fill("2")
        form.locator("select[name=weekday]").select_option(str(first.weekday()))
        form.locator("input[name=first_date]").fill(first.isoformat())
        form.locator("input[name=start_time]").fill("14:00")
        form.locator("input[name=end_time]").fill("15:00")
        form.locator("input[name=online_url]").fill("https://meet.example.org/sprechstunde-waermeplanung")
        form.locator("select[name=visibility]").select_option("network")
        form.locator("textarea[name=description]").fill("Fragen zur kommunalen Wärmeplanung, alle zwei Wochen.")
        submit(page, form.locator("button[type=submit]"))
        assert page.url.rstrip("/").split("/")[-1].isdigit()  # the new series' page
        assert page.locator(".messages .message-success").is_visible()
        series = EventSeries.objects.get(network__slug=KTT, title=title)
        assert (series.interval, series.weekday, series.kind) == (2, first.weekday(), "office_hour")
        assert series.occurrences.count() >= 12  # six months ahead

        # The network calendar lists the next dates, two weeks apart, on the chosen weekday.
        page.locator(f'nav.sidebar a[href="/netzwerke/{KTT}/termine/"]').click()
        page.wait_for_url(f"**/netzwerke/{KTT}/termine/")
        rows = page.locator("table.event-table tbody tr", has=page.get_by_role("link", name=title, exact=True))
        assert rows.count() >= 3
        days = [
            timezone.localtime(datetime.fromisoformat(rows.nth(i).locator("time").first.get_attribute("datetime")))
            for i in range(3)
        ]
        assert days[0].date() == first and all(d.hour == 14 for d in days)
        assert [(b.date() - a.date()).days for a, b in zip(days, days[1:], strict=False)] == [14, 14]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 1400})  # the first dates, not all six months
        page.screenshot(path=str(SCREENSHOTS / "network-calendar.png"))
        page.set_viewport_size({"width": 1280, "height": 900})

        # The minutes of the last Klima.Taten.Talk, with an action item for Katrin Lang.
        page.locator('main a[href$="?zeitraum=vergangen"]').first.click()
        page.wait_for_url("**?zeitraum=vergangen")
        page.locator("table.event-table").get_by_role("link", name="Klima.Taten.Talk", exact=True).first.click()
        page.wait_for_url("**/termine/*/")
        page.locator('main a[href$="/protokoll/"]').first.click()
        page.wait_for_url("**/protokoll/")
        minutes = page.locator('form[action$="/protokoll/"]')  # one form: minutes, outcomes and their buttons
        minutes.locator("textarea[name=minutes]").fill(
            "## Wärmeplanung in kleinen Gemeinden\n\n- Konvoi-Verfahren im Landkreis Kusel vorgestellt.\n"
            "- Der Leitfaden wird beim nächsten Talk vorgestellt."
        )
        minutes.locator("input[name=publish]").check()
        submit(page, minutes.get_by_role("button", name="Protokoll speichern"))
        preview = page.locator(".minutes-text")
        assert preview.get_by_role("heading", name="Wärmeplanung in kleinen Gemeinden").is_visible()
        assert preview.locator("li").count() == 2
        # The outcome is added with the same form: the minutes typed above are kept (saved with it).
        outcome = page.locator('form[action$="/protokoll/"]')
        outcome.locator("select[name=outcome-kind]").select_option("action")
        outcome.locator("textarea[name=outcome-text]").fill(task)
        outcome.locator("select[name=outcome-owner_person]").select_option(label="Katrin Lang (Landkreis Kusel)")
        outcome.locator("input[name=outcome-due_date]").fill(due.isoformat())
        submit(page, outcome.locator('button[formaction$="/ergebnisse/neu/"]'))
        assert page.locator("#outcomes-section table").get_by_role("cell", name=task, exact=True).is_visible()
        assert Outcome.objects.get(text=task).owner_person.user.email == "ktt.kusel@example.org"
        page.screenshot(path=str(SCREENSHOTS / "minutes.png"), full_page=True)
        phone_screenshot(page, "minutes")
        # The participants were told that the minutes are out.
        assert OutboxMessage.objects.filter(recipient="ktt.kusel@example.org", reason="event_minutes").exists()

        # A new colleague: "People and invitations" in the sidebar.
        page.locator(f'nav.sidebar a[href="/netzwerke/{KTT}/personen/"]').click()
        page.wait_for_url(f"**/netzwerke/{KTT}/personen/")
        page.get_by_role("link", name="Person einladen").click()
        page.locator("input[name=email]").fill(newcomer)
        page.locator("textarea[name=message]").fill("Willkommen im Klima.Taten.Team!")
        submit(page, page.get_by_role("button", name="Einladung senden"))
        assert page.get_by_text(f"Eine Einladung wurde an {newcomer} gesendet.").is_visible()
        assert Invitation.objects.filter(network__slug=KTT, email=newcomer).count() == 1
        assert OutboxMessage.objects.filter(recipient=newcomer, reason="invitation").count() == 1
        assert_clean(browsing)
        log_out(browsing)

        # The owner finds the action item in "my area", next to the network's latest minutes.
        log_in(browsing, "ktt.kusel@example.org", from_home=True)
        assert page.url.endswith("/start/")
        items = page.locator("section", has=page.locator("#my-items-heading"))
        item = items.locator("li", has_text=task)
        assert item.is_visible()
        assert item.locator("time").get_attribute("datetime") == due.isoformat()
        item.get_by_role("link", name=task).click()  # the title leads to the item's own page, with its status
        page.wait_for_url(f"**/netzwerke/{KTT}/ergebnisse/*/")
        assert page.get_by_role("heading", name=task).is_visible()
        assert page.locator("select[name=status]").is_visible()  # the owner can change its status there
        page.go_back()
        minutes_list = page.locator("section", has=page.locator("#my-minutes-heading"))
        assert minutes_list.get_by_role("link", name="Klima.Taten.Talk").first.is_visible()
        assert_clean(browsing)
    finally:
        # Queries made while Playwright's loop runs have their own connection: close it, or
        # PostgreSQL cannot drop the test database at the end of the session.
        connections.close_all()
