"""A guest's own data (registration for a public event without an account, issue 16 §1 and §5): what is stored,
a copy as JSON and erasure at once, through the link in every email about the registration; the privacy page says
how. Also: messages to contact persons are deleted after 90 days (measures.services.contact)."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Format, Kind, Registration, Visibility
from events.services import guests
from measures.models import ContactMessage
from measures.services import contact
from networks.models import OutboxMessage
from tests.events.factories import EventFactory, RegistrationFactory
from tests.measures.factories import MeasureFactory
from tests.networks.factories import PersonFactory

pytestmark = pytest.mark.django_db

EMAIL = "erika@example.org"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.delete(guests._rate_key("127.0.0.1"))
    yield
    cache.delete(guests._rate_key("127.0.0.1"))


@pytest.fixture
def event(personas):
    return EventFactory(
        network=personas.network,
        title="Bürgerwerkstatt Klima-Roadmap",
        kind=Kind.PUBLIC_EVENT,
        format=Format.ON_SITE,
        online_url="",
        visibility=Visibility.PUBLIC,
        capacity=1,
    )


@pytest.fixture
def guest(client, event):
    """Registered and confirmed through the form and the link, as a guest does: two emails kept about it."""
    with translation.override("de"):
        client.post(
            reverse("events:guest-register", args=[event.network.slug, event.pk]),
            {"name": "Erika Muster", "email": EMAIL, "consent": "on"},
        )
    registration = Registration.objects.get(guest_email=EMAIL)
    guests.guest_confirm(registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    return registration


def _page(registration) -> str:
    with translation.override("de"):
        return reverse("events:guest-data", args=[registration.guest_token])


PERSONAS = ["anonymous", "citizen", "other_network", "member", "coordinator", "staff"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_link_is_the_key_whoever_is_signed_in_and_a_wrong_one_is_404(client, personas, guest, persona):
    personas.login(client, persona)
    page = client.get(_page(guest))
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    content = page.content.decode()
    assert "Erika Muster" in content and EMAIL in content and 'name="robots" content="noindex' in content
    for name in ("guest-data", "guest-data-download"):
        assert client.get(reverse(f"events:{name}", args=["x" * 43])).status_code == 404
    assert client.post(reverse("events:guest-data-download", args=[guest.guest_token])).status_code == 405


def test_a_member_registration_has_no_guest_data_page(client, event):
    registration = RegistrationFactory(event=event)
    assert not registration.guest_token
    assert client.get(reverse("events:guest-data", args=["-" * 10])).status_code == 404


def test_the_download_holds_everything_stored(client, guest):
    response = client.get(reverse("events:guest-data-download", args=[guest.guest_token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["registration"]["name"] == "Erika Muster" and data["registration"]["email"] == EMAIL
    assert data["registration"]["status"] == "registered" and data["registration"]["email_confirmed"]
    assert len(data["emails"]) == OutboxMessage.objects.filter(recipient=EMAIL).count() >= 2


def test_erasing_gives_the_place_back_and_forgets_name_address_history_and_emails(client, event, guest):
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITING)
    other = OutboxMessage.objects.create(
        recipient=EMAIL, reason="other", object_type="x", object_id="1", subject="S", body_text="B"
    )
    page = _page(guest)
    assert client.get(page).status_code == 200  # a GET (a mail scanner) erases nothing
    response = client.post(page)
    assert response.status_code == 200 and "Link funktioniert nicht mehr" in response.content.decode()
    guest.refresh_from_db()
    assert (guest.guest_name, guest.guest_email, guest.guest_token) == (guests.FORGOTTEN_NAME, "", "")
    assert guest.status == Registration.Status.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED  # the first waiting moved up
    assert not guest.history.filter(guest_email=EMAIL).exists()
    assert not guest.history.exclude(guest_name=guests.FORGOTTEN_NAME).exists()
    assert list(OutboxMessage.objects.filter(recipient=EMAIL)) == [other]  # only mails about this registration
    assert client.get(page).status_code == 404 and client.post(page).status_code == 404  # the link is gone


def test_after_the_event_erasing_keeps_the_attendance_count(client, event, guest):
    Registration.objects.filter(pk=guest.pk).update(status=Registration.Status.ATTENDED)
    type(event).objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2, hours=-2)
    )
    client.post(_page(guest))
    guest.refresh_from_db()
    assert guest.status == Registration.Status.ATTENDED and guest.guest_email == ""


def test_confirm_and_cancel_pages_lead_to_the_data_and_the_privacy_page_says_how(client, guest):
    for name in ("guest-confirm", "guest-cancel"):
        assert _page(guest) in client.get(reverse(f"events:{name}", args=[guest.guest_token])).content.decode()
    with translation.override("de"):
        privacy = client.get(reverse("networks:privacy")).content.decode()
    assert "Anmeldung zu einer öffentlichen Veranstaltung ohne Konto" in privacy and "„Ihre Daten“" in privacy
    assert "90 Tage nach dem Versand automatisch gelöscht" in privacy


# --- Messages to contact persons: 90 days ------------------------------------------------------------------


def test_contact_messages_and_their_emails_are_deleted_after_90_days_idempotently():
    contact_person = PersonFactory(contact_visibility="public")
    measure = MeasureFactory(responsible_person=contact_person)
    sender = PersonFactory()
    message = contact.contact_message_send(
        measure=measure, sender=sender, text="Eine Frage " * 3, reply_to_sender=False
    )
    mail = OutboxMessage.objects.get(reason=contact.KIND)
    now = timezone.now()
    assert contact.contact_messages_purge(now=now + timedelta(days=89)) == 0
    assert contact.contact_messages_purge(now=now + timedelta(days=91)) == 0  # its email is not sent yet: kept
    OutboxMessage.objects.filter(pk=mail.pk).update(status=OutboxMessage.Status.SENT, sent_at=now)
    young = ContactMessage.objects.create(measure=measure, sender=sender, recipient=contact_person, text="x" * 20)
    ContactMessage.objects.filter(pk=young.pk).update(created_at=now + timedelta(days=30))
    assert contact.contact_messages_purge(now=now + timedelta(days=91)) == 1
    assert not ContactMessage.objects.filter(pk=message.pk).exists() and not OutboxMessage.objects.filter(pk=mail.pk)
    assert ContactMessage.objects.filter(pk=young.pk).exists()
    assert contact.contact_messages_purge(now=now + timedelta(days=91)) == 0  # twice changes nothing


def test_the_purge_is_scheduled_nightly(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"measures.tasks.contact_messages_purge", "events.tasks.guests_forget"} <= tasks
