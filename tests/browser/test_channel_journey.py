"""The network's own channel as new users try it (issue 15 "Done when"), in a real Chromium, on the demo data.

One journey on one demo load (the demo takes most of the time):

1. The Klima.Taten.Team's coordinator invites the members to the annual planning workshop from the event page
   ("Mitglieder einladen"): every member who has not answered gets exactly one email, with the .ics attached; a
   second click sends nothing. Then she writes a note to all members through the compose form (preview, a test to
   herself, send): once per member, with the list headers.
2. She starts a thread about the PV campaign's info evenings and mentions Katrin Lang (a member) and Lena Hoffmann
   (a member of the NKK): the composer's @-suggestions offer Katrin, never Lena, and only Katrin is told (by
   email: the mention; the others read the new thread in their daily digest, as chosen). Katrin answers the
   notification from her mail program: an RFC 5322 reply to its Reply-To address, quoting it below "Am … schrieb
   …", goes through the portal's own inbound processing (networks.inbound.services.process, which the IMAP
   fetch calls for each message; the IMAP part itself runs against a real Dovecot in
   tests/inbound/test_imap_integration.py). The reply appears once in the thread, without the quote; the same
   message processed again adds nothing.
3. Lena Hoffmann (NKK) can neither open the thread, nor find it with the search box, nor list the KTT's people.
4. The next morning's digest: the beat task runs twice; Felix Braun gets exactly one digest, with the new thread.
5. Katrin finds last spring's slides by a word inside the PDF ("Dachflächenpotenzial") with the header's search
   box, sees the highlighted snippet and downloads the PDF.

No page may load anything from another host, log a console error or show an English sentence; each page of the
journey must fit a phone (390 px) without sideways scrolling.
"""

import re
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from tests.browser.helpers import assert_clean, log_in, log_out, phone_screenshot, search_from_header, submit

pytestmark = pytest.mark.browser

KTT = "klima-taten-team-westpfalz"
WORKSHOP = "Jahresplanungsworkshop 2027 des Klima.Taten.Teams"
THREAD = "Material für die PV-Infoabende"
SLIDES = "Folien Frühjahrstreffen 2026"
COORDINATOR = "ktt.koordination@example.org"
KATRIN = "ktt.kusel@example.org"  # Katrin Lang, member of the KTT
FELIX = "ktt.ps@example.org"  # Felix Braun, member of the KTT
LENA = "nkk.mitglied@example.org"  # Lena Hoffmann, member of the NKK only
# Words of this journey's posts, found nowhere in the demo.
NOTE_SUBJECT = "Bitte vormerken: unser Jahresplanungsworkshop"
POST_WORD = "Plakatständer"
POST = f"Die {POST_WORD} für die Infoabende sind bestellt. @"
REPLY = "Ja, ich hole die Ständer am Freitag in Landstuhl ab und bringe sie zum Infoabend mit."


def _fits_phone(page, name: str) -> None:
    phone_screenshot(page, f"channel-{name}")


def _forget_the_demo_invitation(event) -> None:
    """The demo has sent the workshop's invitation already: the journey starts just before that."""
    from networks.announcements.models import INVITATION, Announcement
    from networks.announcements.services import OBJECT_TYPE
    from networks.models import OutboxMessage

    for invitation in Announcement.objects.filter(reason=INVITATION, about=f"event:{event.pk}"):
        OutboxMessage.objects.filter(object_type=OBJECT_TYPE, object_id=str(invitation.pk)).delete()
        invitation.delete()


def _deliver(reason: str, **filters) -> None:
    """What the outbox worker does (eagerly already, when the transaction committed): anything left, now."""
    from networks.models import OutboxMessage
    from networks.outbox import outbox_deliver

    pending = OutboxMessage.objects.filter(reason=reason, sent_at__isnull=True, **filters)
    for pk in pending.values_list("pk", flat=True):
        outbox_deliver(message_id=pk)


def _email_reply(notification, *, sender: str, name: str, text: str) -> bytes:
    """What a mail program sends back: the text, then the quoted notification below "Am … schrieb …"."""
    sent = timezone.localtime(notification.created_at)
    quoted = "\n".join(f"> {line}".rstrip() for line in notification.body_text.splitlines())
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>"
    msg["To"] = notification.headers["Reply-To"]
    msg["Subject"] = f"Re: {notification.subject}"
    msg["Date"] = format_datetime(timezone.now())
    msg["Message-ID"] = "<journey-reply-1@kusel.example>"
    msg["In-Reply-To"] = notification.headers["Message-ID"]
    msg["References"] = notification.headers["Message-ID"]
    msg["User-Agent"] = "Mozilla Thunderbird"
    wrote = f"Am {sent:%d.%m.%Y} um {sent:%H:%M} schrieb Klimanetz:"
    msg.set_content(f"{text}\n\nViele Grüße\nKatrin Lang\n\n{wrote}\n{quoted}\n")
    return msg.as_bytes()


def test_invitation_reply_by_email_another_network_digest_and_slides(demo_data, browsing, settings, monkeypatch):
    from events.models import Event
    from networks.channel.models import Post, Thread
    from networks.digest import tasks
    from networks.inbound import services as inbound
    from networks.inbound.models import InboundMessage
    from networks.models import OutboxMessage, Person

    settings.INBOUND_IMAP_URL = "imaps://klimanetz:secret@imap.example.org/INBOX"
    settings.INBOUND_REPLY_DOMAIN = "klimanetz.example"
    page = browsing.page
    workshop = Event.objects.get(network__slug=KTT, title=WORKSHOP)
    _forget_the_demo_invitation(workshop)
    mail.outbox.clear()

    # --- 1. The coordinator invites the members to the workshop -------------------------------------------
    log_in(browsing, COORDINATOR, from_home=True)
    page.goto(browsing.url(f"/netzwerke/{KTT}/termine/"))
    page.locator("main").get_by_role("link", name=WORKSHOP, exact=True).first.click()
    page.wait_for_url(f"**{workshop.get_absolute_url()}")
    assert page.locator("h1").inner_text() == WORKSHOP
    submit(page, page.get_by_role("button", name="Mitglieder einladen", exact=True))
    assert "Die Einladung wurde an" in page.locator(".messages").inner_text()
    _fits_phone(page, "event-invited")
    _deliver("event_invitation")

    members = set(
        Person.objects.filter(network_roles__network__slug=KTT, user__is_active=True)
        .exclude(registrations__event=workshop)
        .values_list("user__email", flat=True)
    )
    invitations = list(OutboxMessage.objects.filter(reason="event_invitation"))
    recipients = [row.recipient for row in invitations]
    assert sorted(recipients) == sorted(members), "every member who has not answered, exactly once"
    assert all(row.sent_at for row in invitations)
    sent = [message for message in mail.outbox if "Jahresplanungsworkshop" in message.subject]
    assert sorted(address for message in sent for address in message.to) == sorted(members)
    for message in sent:
        (ics,) = [a for a in message.attachments if a[2].startswith("text/calendar")]
        calendar = icalendar.Calendar.from_ical(ics[1])
        assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [WORKSHOP]
        assert message.extra_headers["List-Id"]
        assert workshop.get_absolute_url() in message.body, "the way to register"
    # Inviting again sends nothing.
    page.goto(browsing.url(workshop.get_absolute_url()))
    assert page.get_by_role("button", name="Mitglieder einladen", exact=True).count() == 0
    assert OutboxMessage.objects.filter(reason="event_invitation").count() == len(members)

    # The same through the compose form: a note to all members, previewed, tested on herself, then sent.
    page.goto(browsing.url(f"/netzwerke/{KTT}/ankuendigungen/"))
    page.get_by_role("link", name="Ankündigung schreiben", exact=True).first.click()
    page.wait_for_url(f"**/netzwerke/{KTT}/ankuendigungen/neu/")
    compose = page.locator("main form").filter(has=page.locator("input[name=subject]"))
    assert compose.locator("select[name=audience] option:checked").inner_text().startswith("Alle Mitglieder")
    compose.locator("input[name=subject]").fill(NOTE_SUBJECT)
    compose.locator("textarea[name=body]").fill("Bitte merken Sie sich **den Workshop** vor.\n\n- Kampagnen\n- Talks")
    submit(page, compose.get_by_role("button", name="Vorschau", exact=True))
    assert page.locator("main strong", has_text="den Workshop").count() == 1, "the preview renders the Markdown"
    _fits_phone(page, "announcement-compose")
    submit(page, page.get_by_role("button", name="Test an mich senden", exact=True))
    assert "Ein Test wurde an" in page.locator(".messages").inner_text()
    submit(page, page.get_by_role("button", name="Senden …", exact=True))
    submit(page, page.locator("main form").get_by_role("button", name=re.compile(r"^Jetzt an \d+ Personen senden$")))
    assert "#" not in page.url, "the sent announcement's URL is clean, without the preview's fragment"
    note = OutboxMessage.objects.filter(reason="announcement", subject__contains=NOTE_SUBJECT)
    assert sorted(note.filter(occasion="").values_list("recipient", flat=True)) == sorted(
        Person.objects.filter(network_roles__network__slug=KTT).values_list("user__email", flat=True)
    ), "once per member"
    assert note.filter(occasion__startswith="test:").get().recipient == COORDINATOR
    for row in note.filter(occasion=""):
        assert row.body_text and row.headers["Auto-Submitted"] == "auto-generated" and row.headers["List-Unsubscribe"]

    # --- 2a. A new thread with mentions; the suggestions offer only the network's people ----------------------
    page.goto(browsing.url(f"/netzwerke/{KTT}/diskussionen/"))
    page.get_by_role("link", name="Neues Thema beginnen", exact=True).click()
    page.wait_for_url("**/diskussionen/neu/")
    form = page.locator("form.channel-form")
    form.locator("input[name=title]").fill(THREAD)
    composer = form.locator("textarea[name=body]")
    composer.press_sequentially(POST + "Katr")
    suggestions = form.locator(".mention-list li")
    suggestions.filter(has_text="Katrin Lang").click()  # the name is completed in the text
    composer.press_sequentially("holt sie ab. Und @Lena")
    page.wait_for_timeout(700)  # the composer asks after 200 ms of quiet
    assert suggestions.count() == 0, "a person of another network is never suggested"
    composer.press_sequentially(" Hoffmann, Sie auch?")
    people_url = form.get_attribute("data-people-url")

    def names(typed: str) -> list[str]:
        people = page.request.get(browsing.url(f"{people_url}?q={typed}")).json()["people"]
        return [person["name"] for person in people]

    assert names("Katrin") == ["Katrin Lang"]
    assert names("Lena") == [] and names("Hoffmann") == []
    submit(page, form.get_by_role("button", name="Thema beginnen", exact=True))
    thread = Thread.objects.get(network__slug=KTT, title=THREAD)
    assert page.url.endswith(thread.get_absolute_url())
    post = Post.objects.get(thread=thread)
    assert "@Katrin Lang holt sie ab." in post.body and "@Lena Hoffmann" in post.body
    told = OutboxMessage.objects.filter(object_type="channel.post", object_id=str(post.pk))
    assert not told.filter(recipient=LENA).exists(), "a person of another network is never mentioned"
    assert not told.filter(recipient=FELIX).exists(), "Felix reads new threads in his daily digest"
    notification = told.get(recipient=KATRIN)
    assert notification.reason == "channel_mention"
    assert notification.headers["Reply-To"].startswith("reply+")
    assert notification.headers["List-Id"]
    _fits_phone(page, "thread")

    # The coordinator finds the thread by the word of her post (the control for step 3): the header's search (a box
    # on wide screens, its icon up to 1440 px and on phones, leading to the search page).
    search_from_header(page, POST_WORD)
    assert page.locator(".search-hit").filter(has_text=THREAD).count() >= 1
    log_out(browsing)

    # --- 2b. Katrin replies by email; the reply appears once, without the quote -----------------------------
    raw = _email_reply(notification, sender=KATRIN, name="Katrin Lang", text=REPLY)
    inbound.process(raw)
    inbound.process(raw)  # the same message again (a second fetch): taken at most once
    assert InboundMessage.objects.filter(message_id="<journey-reply-1@kusel.example>").count() == 1
    replies = Post.objects.filter(thread=thread, body__contains="Ständer am Freitag")
    assert replies.count() == 1
    reply = replies.get()
    assert reply.author.user.email == KATRIN
    assert "schrieb" not in reply.body and POST_WORD not in reply.body  # the quote is cut; the greeting is hers

    log_in(browsing, KATRIN, from_home=True)
    page.goto(browsing.url(thread.get_absolute_url()))
    text = page.locator("main").inner_text()
    assert text.count("Ständer am Freitag") == 1
    assert text.count(POST_WORD) == 1, "the quoted post is not shown a second time"
    assert "schrieb Klimanetz" not in text
    assert "per E-Mail" in page.locator(".post").filter(has_text="Ständer am Freitag").inner_text()

    # --- 5. Last spring's slides, found by a word inside them ------------------------------------------------
    search_from_header(page, "Dachflächenpotenzial")
    hit = page.locator(".search-hit").filter(has_text=SLIDES)
    assert hit.count() == 1
    assert "dachflächenpotenzial" in hit.locator(".search-snippet mark").first.inner_text().lower()
    _fits_phone(page, "search-slides")
    hit.get_by_role("link", name=SLIDES).click()
    page.wait_for_url(f"**/netzwerke/{KTT}/dokumente/*/")
    assert page.locator("h1").inner_text() == SLIDES
    download = page.locator('main a[href$="/herunterladen/"]').first.get_attribute("href")
    response = page.request.get(browsing.url(download))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.body().startswith(b"%PDF")

    # The pages of the channel at both widths.
    for name, path in (
        ("threads", f"/netzwerke/{KTT}/diskussionen/"),
        ("announcements", f"/netzwerke/{KTT}/ankuendigungen/"),
        ("library", f"/netzwerke/{KTT}/dokumente/"),
        ("working-group", f"/netzwerke/{KTT}/arbeitsgruppen/{thread.network.working_groups.order_by('pk')[0].pk}/"),
        ("email-settings", "/profil/e-mails/netzwerke/"),
    ):
        response = page.goto(browsing.url(path))
        assert response.status == 200, path
        _fits_phone(page, name)
    assert_clean(browsing)
    log_out(browsing)

    # --- 3. A member of another network: no thread, no hit, no people ----------------------------------------
    log_in(browsing, LENA, from_home=True)
    response = page.goto(browsing.url(thread.get_absolute_url()))
    assert response.status in (403, 404)
    assert POST_WORD not in page.locator("body").inner_text()
    # The refused page is the one console error expected here (Chromium logs every 4xx document).
    browsing.console_errors[:] = [e for e in browsing.console_errors if f"status of {response.status}" not in e]
    response = page.request.get(browsing.url(f"{people_url}?q=Katrin"))
    assert response.status in (403, 404)
    page.goto(browsing.url("/"))
    for word in (POST_WORD, "Ständer", "PV-Infoabende"):
        search_from_header(page, word)
        main = page.locator("main").inner_text()
        assert page.locator(".search-hit").filter(has_text=THREAD).count() == 0, word
        assert THREAD not in main and POST_WORD not in main and "Ständer am" not in main, word
    search_from_header(page, POST_WORD)
    assert page.locator(".search-hit").count() == 0
    assert page.locator(".search-facets .badge").count() == 0, "no count of what Lena may not see"
    assert_clean(browsing)
    log_out(browsing)

    # --- 4. The next morning's digest arrives once ----------------------------------------------------------
    tomorrow = timezone.localdate() + timedelta(days=1)
    morning = timezone.make_aware(datetime.combine(tomorrow, time(8, 5)))
    # The clock moves on to tomorrow morning for the beat (nothing else runs now: the browser is done).
    monkeypatch.setattr(timezone, "now", lambda: morning)
    mail.outbox.clear()
    tasks.digests_dispatch()
    tasks.digests_dispatch()  # the beat runs again (or a worker redelivers): nothing twice
    digests = OutboxMessage.objects.filter(recipient=FELIX, reason="digest_daily", occasion=tomorrow.isoformat())
    assert digests.count() == 1
    digest = digests.get()
    assert digest.subject.startswith("Tagesüberblick")
    assert THREAD in digest.body_text
    assert "Neues Thema von Miriam Schuster, 1 Antwort: Ja, ich hole die Ständer am Freitag" in digest.body_text
    assert f"/netzwerke/{KTT}/diskussionen/{thread.pk}/" in digest.body_text
    _deliver("digest_daily", occasion=tomorrow.isoformat())  # if the eager worker has not sent it yet
    digest.refresh_from_db()
    assert digest.sent_at is not None
    assert [m.subject for m in mail.outbox if FELIX in m.to] == [digest.subject], "one email arrived"
    # Lena's digest (if she has news of her own network) knows nothing of the KTT's thread.
    assert not OutboxMessage.objects.filter(recipient=LENA, body_text__contains=POST_WORD).exists()
    assert not OutboxMessage.objects.filter(recipient=LENA, body_text__contains=THREAD).exists()
