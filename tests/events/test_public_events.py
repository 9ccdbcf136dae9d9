"""Public events for citizens (issue 16 §1, §3, §5 and the events' FINDINGS): the venue with address, access and
transit; past events; registration without an account (verified email, waiting list, cancel link, rate limit,
never telling whether an address is registered); hybrid events' on site/online; walk-ins; schema.org JSON-LD;
the Atom feed of a network's public events; the .ics filename; the personal feed's stable ETag."""

import hashlib
import json
import re
from datetime import timedelta

import icalendar
import pytest
from defusedxml import ElementTree as ET
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from events import services
from events.models import Event, Format, Kind, Registration, Visibility
from events.services import guests
from events.views import calendar as calendar_views
from networks import cache as page_cache
from networks.models import OutboxMessage
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.networks.factories import NetworkFactory, PersonFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """The guest rate limit counts in the cache (only its own key: the Redis cache may be shared)."""
    cache.delete(guests._rate_key("127.0.0.1"))
    yield
    cache.delete(guests._rate_key("127.0.0.1"))


def _de(name, *args):
    with translation.override("de"):
        return reverse(f"events:{name}", args=args)


@pytest.fixture
def public_event(personas):
    return EventFactory(
        network=personas.network,
        title="Bürgerwerkstatt Klima-Roadmap",
        kind=Kind.PUBLIC_EVENT,
        format=Format.ON_SITE,
        online_url="",
        visibility=Visibility.PUBLIC,
        venue="Kreishaus Düren",
        room="Großer Sitzungssaal",
        street="Bismarckstraße 16",
        postcode="52351",
        town="Düren",
        step_free=True,
        hearing_loop=True,
        accessibility_notes="Aufzug am Seiteneingang",
        transit_notes="Bushaltestelle Kreishaus, 10 Minuten vom Bahnhof",
        capacity=2,
        description="Ideen für die **kleinen Dinge** vor der Haustür.",
    )


def _guest_post(client, event, *, name="Erika Muster", email="erika@example.org", follow=False, **extra):
    data = {"name": name, "email": email, "consent": "on", **extra}
    return client.post(_de("guest-register", event.network.slug, event.pk), data, follow=follow)


SENT = "Wir haben eine E-Mail an"


def _link(message, name: str) -> str:
    """The path of the guest link (confirm or cancel) in a mail's text."""
    for url in re.findall(r"https?://\S+/veranstaltungen/anmeldung/\S+", message.body_text):
        if (name == "cancel") == url.endswith("/abmelden/"):
            return "/" + url.split("/", 3)[3]
    raise AssertionError(f"no {name} link in {message.body_text}")


# --- The public event page ----------------------------------------------------------------------------


def test_public_page_gives_address_access_transit_and_an_osm_link(client, public_event):
    page = client.get(public_event.get_absolute_url()).text
    for text in ["Großer Sitzungssaal", "Bismarckstraße 16", "52351 Düren", "Aufzug am Seiteneingang"]:
        assert text in page
    assert "Bushaltestelle Kreishaus" in page and "Stufenloser Zugang" in page and "Induktionsschleife" in page
    assert 'href="https://www.openstreetmap.org/search?query=Bismarckstra%C3%9Fe+16%2C+52351+D%C3%BCren"' in page
    assert "<iframe" not in page and "tile.openstreetmap" not in page  # a link only, nothing from another host


def test_past_event_says_it_took_place_without_calendar_link_and_shows_public_minutes(client, personas):
    event = EventFactory(
        network=personas.network,
        visibility=Visibility.PUBLIC,
        starts_at=in_days(-3),
        minutes="## Ergebnisse\n\nViele Ideen.",
        minutes_published_at=timezone.now(),
    )
    page = client.get(event.get_absolute_url()).text
    assert "Diese Veranstaltung hat stattgefunden." in page
    assert _de("event-ics", event.network.slug, event.pk) not in page
    assert "Viele Ideen." in page
    upcoming = EventFactory(network=personas.network, visibility=Visibility.PUBLIC)
    page = client.get(upcoming.get_absolute_url()).text
    assert _de("event-ics", upcoming.network.slug, upcoming.pk) in page and "hat stattgefunden" not in page


def test_venue_fields_in_the_editor_form(client, personas):
    personas.login(client, "coordinator")
    page = client.get(_de("event-create", personas.network.slug)).text
    for name in ["room", "street", "postcode", "town", "step_free", "hearing_loop", "transit_notes"]:
        assert f'name="{name}"' in page


def test_ics_filename_spells_out_umlauts(client, public_event):
    response = client.get(_de("event-ics", public_event.network.slug, public_event.pk))
    day = timezone.localtime(public_event.starts_at).date().isoformat()
    assert f'filename="buergerwerkstatt-klima-roadmap-{day}.ics"' in response["Content-Disposition"]
    location = str(icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]["LOCATION"])
    assert location == "Kreishaus Düren, Großer Sitzungssaal, Bismarckstraße 16, 52351 Düren"


# --- Registration without an account ----------------------------------------------------------------------------


def test_guest_registers_confirms_and_cancels_by_links(client, public_event, django_capture_on_commit_callbacks):
    response = _guest_post(client, public_event, follow=True)
    assert response.redirect_chain[-1][0] == public_event.get_absolute_url() + "#registration"
    assert SENT in response.text and "erika@example.org" in response.text
    registration = Registration.objects.get(event=public_event, guest_email="erika@example.org")
    assert registration.status == Registration.Status.PENDING and registration.person is None
    verify = OutboxMessage.objects.get(reason="event_guest_verify")
    assert verify.recipient == "erika@example.org" and "Erika Muster" in verify.body_text
    confirm = _link(verify, "confirm")
    page = client.get(confirm)  # a mail scanner's GET confirms nothing
    assert page.status_code == 200 and "Anmeldung bestätigen" in page.text
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    assert client.post(confirm).status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED and registration.verified_at
    mail = OutboxMessage.objects.get(reason="event_confirmation", recipient="erika@example.org")
    assert mail.attachments[0]["filename"] == "termin.ics"
    for body in (mail.body_text, mail.body_html):  # no account: no email settings to point to, the cancel link instead
        assert "/profil/e-mails/" not in body and "/e-mails/abbestellen/" not in body
    cancel = _link(mail, "cancel")
    assert client.post(confirm).status_code == 200  # twice: nothing more
    assert OutboxMessage.objects.filter(reason="event_confirmation").count() == 1
    assert "Abmelden" in client.get(cancel).text or "abmelden" in client.get(cancel).text
    client.post(cancel)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_guests_follow_the_waiting_list_rules(client, public_event):
    RegistrationFactory(event=public_event)
    RegistrationFactory(event=public_event)  # capacity 2: full
    _guest_post(client, public_event)
    registration = Registration.objects.get(guest_email="erika@example.org")
    guests.guest_confirm(registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.WAITING
    first = Registration.objects.filter(event=public_event, person__isnull=False).first()
    services.registration_cancel(event=public_event, person=first.person)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    promoted = OutboxMessage.objects.get(reason="event_promoted", recipient="erika@example.org")
    assert "/abmelden/" in promoted.body_text


def test_the_answer_never_tells_whether_an_address_is_registered(client, public_event):
    first = _guest_post(client, public_event, email="bekannt@example.org", follow=True)
    guests.guest_confirm(registration=Registration.objects.get(guest_email="bekannt@example.org"))
    known = _guest_post(client, public_event, email="bekannt@example.org", follow=True)
    unknown = _guest_post(client, public_event, email="neu@example.org", follow=True)

    def main(response):
        text = response.text.split('<main id="main"', 1)[1].replace("bekannt@", "X@").replace("neu@", "X@")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert first.redirect_chain == known.redirect_chain == unknown.redirect_chain
    assert SENT in known.text and main(known) == main(unknown)
    reminder = OutboxMessage.objects.filter(recipient="bekannt@example.org", reason="event_guest_verify")
    assert reminder.count() == 1  # one such email per address, event and hour
    assert Registration.objects.get(guest_email="bekannt@example.org").status == Registration.Status.REGISTERED


def test_guest_registration_is_rate_limited(client, public_event):
    for n in range(guests.RATE_PER_CLIENT):
        assert _guest_post(client, public_event, email=f"p{n}@example.org").status_code == 302
    response = _guest_post(client, public_event, email="zuviel@example.org")
    assert response.status_code == 429
    assert not Registration.objects.filter(guest_email="zuviel@example.org").exists()
    assert 'value="Erika Muster"' in response.text  # what was typed stays


def test_bad_input_keeps_the_text_and_registers_nobody(client, public_event):
    response = _guest_post(client, public_event, email="keine-adresse", consent="")
    assert response.status_code == 400
    assert 'value="Erika Muster"' in response.text and 'value="keine-adresse"' in response.text
    response = client.post(
        _de("guest-register", public_event.network.slug, public_event.pk),
        {"name": "   ", "email": "a@example.org", "consent": "on"},
    )
    assert response.status_code == 400
    assert not Registration.objects.exists()


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "other_network", "member", "coordinator", "staff"])
def test_internal_events_and_hidden_networks_take_no_guests(client, personas, persona):
    internal = EventFactory(network=personas.network, visibility=Visibility.NETWORK)
    hidden = EventFactory(network=NetworkFactory(is_public=False), visibility=Visibility.PUBLIC)
    personas.login(client, persona)
    for event in (internal, hidden):
        response = _guest_post(client, event)
        assert response.status_code == 404, (persona, event)
    assert not Registration.objects.exists()


def test_unknown_tokens_are_404(client):
    assert client.get(_de("guest-confirm", "x" * 43)).status_code == 404
    assert client.post(_de("guest-cancel", "x" * 43)).status_code == 404


def test_closed_registration_takes_no_guests(client, personas):
    event = EventFactory(network=personas.network, visibility=Visibility.PUBLIC, starts_at=in_days(-1))
    response = _guest_post(client, event)
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_signed_in_people_see_no_guest_form_anonymous_do(client, personas, public_event):
    assert (
        _de("guest-register", public_event.network.slug, public_event.pk)
        in client.get(public_event.get_absolute_url()).text
    )
    personas.login(client, "citizen")
    assert (
        _de("guest-register", public_event.network.slug, public_event.pk)
        not in client.get(public_event.get_absolute_url()).text
    )


def test_participant_list_marks_guests_and_exports_them(client, personas, public_event):
    _guest_post(client, public_event)
    guests.guest_confirm(registration=Registration.objects.get(guest_email="erika@example.org"))
    personas.login(client, "coordinator")
    page = client.get(_de("participant-list", public_event.network.slug, public_event.pk)).text
    assert "Erika Muster" in page and "ohne Konto" in page and "erika@example.org" in page
    csv = client.get(_de("participant-csv", public_event.network.slug, public_event.pk)).content.decode("utf-8-sig")
    assert "Erika Muster" in csv and "erika@example.org" in csv


# --- Hybrid events and walk-ins ------------------------------------------------------------------------


def test_hybrid_registration_asks_on_site_or_online_and_the_list_counts_both(client, personas):
    event = EventFactory(
        network=personas.network, format=Format.HYBRID, venue="Rathaus", town="Düren", visibility=Visibility.PUBLIC
    )
    personas.login(client, "member")
    url = _de("register", event.network.slug, event.pk)
    assert 'name="mode"' in client.get(event.get_absolute_url()).text
    client.post(url)  # without a choice: not registered, told why
    assert not Registration.objects.filter(event=event).exists()
    client.post(url, {"mode": "online"})
    assert Registration.objects.get(event=event).mode == "online"
    client.logout()
    _guest_post(client, event, mode="on_site")
    guests.guest_confirm(registration=Registration.objects.get(guest_email="erika@example.org"))
    personas.login(client, "coordinator")
    page = client.get(_de("participant-list", event.network.slug, event.pk)).text
    stats = page.split("Teilnahme mit Platz", 1)[0] if "Teilnahme mit Platz" in page else page
    assert "<strong>1</strong> vor Ort" in stats and "<strong>1</strong> online" in stats


def test_walk_ins_by_name_and_by_person(client, personas):
    event = EventFactory(network=personas.network, starts_at=in_days(-1))
    member = personas.people["member"]
    RegistrationFactory(event=event, person=member, status=Registration.Status.CANCELLED)
    personas.login(client, "coordinator")
    add = _de("walk-in-add", event.network.slug, event.pk)
    assert client.post(add, {"name": "Herr Spontan"}).status_code == 302
    assert client.post(add, {"person": member.pk}).status_code == 302
    walk_in = Registration.objects.get(event=event, guest_name="Herr Spontan")
    assert walk_in.walk_in and walk_in.status == Registration.Status.ATTENDED
    assert Registration.objects.get(event=event, person=member).status == Registration.Status.ATTENDED
    assert Registration.objects.filter(event=event, person=member).count() == 1  # no second row
    client.post(add, {"name": ""})  # neither: refused
    assert Registration.objects.filter(event=event).count() == 2
    page = client.get(_de("participant-list", event.network.slug, event.pk)).text
    assert "Herr Spontan" in page and "ohne Anmeldung" in page
    # saving the attendance keeps the walk-in
    client.post(_de("attendance", event.network.slug, event.pk), {})
    walk_in.refresh_from_db()
    assert walk_in.status == Registration.Status.ATTENDED
    client.post(_de("walk-in-remove", event.network.slug, event.pk, walk_in.pk))
    assert not Registration.objects.filter(pk=walk_in.pk).exists()
    registered = Registration.objects.get(event=event, person=member)
    client.post(_de("walk-in-remove", event.network.slug, event.pk, registered.pk))  # not a walk-in: refused
    assert Registration.objects.filter(pk=registered.pk).exists()


def test_walk_ins_only_after_the_start(client, personas):
    event = EventFactory(network=personas.network)
    personas.login(client, "coordinator")
    client.post(_de("walk-in-add", event.network.slug, event.pk), {"name": "Zu früh"})
    assert not Registration.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    "persona, status",
    [("anonymous", 302), ("citizen", 404), ("other_network", 404), ("member", 403), ("editor", 404), ("staff", 302)],
)
def test_walk_ins_are_the_coordinations(client, personas, persona, status):
    event = EventFactory(network=personas.network, starts_at=in_days(-1))
    walk_in = Registration.objects.create(event=event, guest_name="Gast", walk_in=True, status="attended")
    personas.login(client, persona)
    response = client.post(_de("walk-in-add", event.network.slug, event.pk), {"name": "Eindringling"})
    assert response.status_code == status
    client.post(_de("walk-in-remove", event.network.slug, event.pk, walk_in.pk))
    if persona != "staff":
        assert not Registration.objects.filter(guest_name="Eindringling").exists()
        assert Registration.objects.filter(pk=walk_in.pk).exists()
    if persona == "anonymous":
        assert "/login/" in response["Location"] or "anmelden" in response["Location"]


# --- JSON-LD --------------------------------------------------------------------------------------------------


def _json_ld(page: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert len(found) == 1, found
    return json.loads(found[0])


def test_json_ld_describes_the_event(client, public_event):
    data = _json_ld(client.get(public_event.get_absolute_url()).text)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Bürgerwerkstatt Klima-Roadmap"
    assert data["startDate"] == timezone.localtime(public_event.starts_at).isoformat(timespec="seconds")
    assert re.search(r"[+-]\d\d:\d\d$", data["startDate"]) and re.search(r"[+-]\d\d:\d\d$", data["endDate"])
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["@type"] == "Place" and data["location"]["name"] == "Kreishaus Düren"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "DE",
        "streetAddress": "Bismarckstraße 16",
        "postalCode": "52351",
        "addressLocality": "Düren",
    }
    assert data["organizer"]["name"] == public_event.network.name
    assert data["url"].endswith(public_event.get_absolute_url()) and data["url"].startswith("http")
    assert data["description"] == "Ideen für die kleinen Dinge vor der Haustür."


def test_json_ld_of_cancelled_moved_online_and_internal_events(client, personas, public_event):
    online = EventFactory(network=personas.network, visibility=Visibility.PUBLIC, format=Format.ONLINE)
    data = _json_ld(client.get(online.get_absolute_url()).text)
    assert data["location"]["@type"] == "VirtualLocation" and online.online_url not in json.dumps(data)
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    before = public_event.starts_at
    public_event.starts_at += timedelta(days=7)
    public_event.ends_at += timedelta(days=7)
    services.event_update(event=public_event, changed=["starts_at", "ends_at"], by=None)
    data = _json_ld(client.get(public_event.get_absolute_url()).text)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == timezone.localtime(before).isoformat(timespec="seconds")
    services.event_cancel(event=public_event, reason="Krankheit", by=None)
    data = _json_ld(client.get(public_event.get_absolute_url()).text)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    internal = EventFactory(network=personas.network, visibility=Visibility.NETWORK)
    personas.login(client, "member")
    assert "application/ld+json" not in client.get(internal.get_absolute_url()).text


def test_json_ld_cannot_break_out_of_its_script(client, personas):
    event = EventFactory(network=personas.network, visibility=Visibility.PUBLIC, title="</script><b>x</b> & co")
    page = client.get(event.get_absolute_url()).text
    assert "</script><b>" not in page
    assert _json_ld(page)["name"] == "</script><b>x</b> & co"


# --- Atom feed ---------------------------------------------------------------------------------------------------


def test_atom_feed_of_a_networks_public_events(client, personas, public_event):
    EventFactory(network=personas.network, visibility=Visibility.NETWORK, title="Internes Treffen")
    cancelled = EventFactory(network=personas.network, visibility=Visibility.PUBLIC, title="Abgesagt")
    services.event_cancel(event=cancelled, reason="Krank", by=None)
    response = client.get(_de("network-events-atom", personas.network.slug))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    titles = [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]
    assert any(t.startswith("Bürgerwerkstatt Klima-Roadmap (") for t in titles)
    assert any(t.startswith("Abgesagt: Abgesagt") for t in titles)
    assert not any("Internes Treffen" in t for t in titles)
    ids = [entry.find(f"{ATOM}id").text for entry in root.findall(f"{ATOM}entry")]
    assert f"urn:uuid:{public_event.uid}" in ids
    profile = client.get(personas.network.get_absolute_url()).text
    assert _de("network-events-atom", personas.network.slug) in profile


@pytest.mark.parametrize("persona", ["anonymous", "member", "staff"])
def test_atom_feed_of_a_hidden_network_is_404_for_everyone(client, personas, persona):
    hidden = NetworkFactory(is_public=False)
    EventFactory(network=hidden, visibility=Visibility.PUBLIC)
    personas.login(client, persona)
    assert client.get(_de("network-events-atom", hidden.slug)).status_code == 404


def test_atom_feed_queries_do_not_grow(client, personas, django_assert_num_queries):
    EventFactory.create_batch(2, network=personas.network, visibility=Visibility.PUBLIC)
    url = _de("network-events-atom", personas.network.slug)
    with django_assert_num_queries(2):  # network, events with their network
        client.get(url)
    EventFactory.create_batch(8, network=personas.network, visibility=Visibility.PUBLIC)
    with django_assert_num_queries(2):
        client.get(url)


def test_public_event_page_queries_do_not_grow(client, public_event, django_assert_num_queries):
    RegistrationFactory(event=public_event)
    url = public_event.get_absolute_url()
    # network, event with counts, agenda, topics, documents, outcomes (no minutes: none), invitation (none: not a
    # coordinator): the same for any number of registrations and agenda items
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    RegistrationFactory.create_batch(5, event=public_event, status=Registration.Status.WAITING)
    public_event.agenda.create(title="Begrüßung")
    public_event.agenda.create(title="Ideen sammeln")
    with django_assert_num_queries(5):
        assert "Ideen sammeln" in client.get(url).text


# --- Personal feed: stable DTSTAMP and ETag ----------------------------------------------------------------------


def test_personal_feed_etag_is_stable_across_rebuilds(client, personas, settings):
    member = personas.people["member"]
    EventFactory(network=personas.network)
    first_body, first_etag = calendar_views._feed_body(member)
    later = timezone.now() + timedelta(minutes=7)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        second_body, second_etag = calendar_views._feed_body(member)
    assert first_etag == second_etag and first_body == second_body
    token = services.calendar_token_get(person=member).token
    url = reverse("events:personal-feed", args=[token])
    etag = client.get(url)["ETag"]
    key = f"{page_cache.PREFIX}:feed:{hashlib.sha256(token.encode()).hexdigest()}"
    cache.delete_many([key, f"{key}:checked"])  # the next request rebuilds the calendar
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    stamp = icalendar.Calendar.from_ical(first_body).walk("VEVENT")[0]["DTSTAMP"].dt
    assert stamp == Event.objects.get().updated_at.replace(microsecond=0)


def test_dtstamp_moves_with_a_change(personas):
    member = personas.people["member"]
    event = EventFactory(network=personas.network)
    _body, before = calendar_views._feed_body(member)
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now() + timedelta(minutes=5), title="Neu")
    _body, after = calendar_views._feed_body(member)
    assert before != after


def test_guest_of_a_public_event_without_person_is_not_in_personal_data(personas, public_event):
    PersonFactory()  # a registration without an account belongs to nobody's account
    Registration.objects.create(
        event=public_event, guest_name="Gast", guest_email="gast@example.org", status="registered"
    )
    member = personas.people["member"]
    assert not member.registrations.exists()


def test_guests_are_forgotten_three_months_after_the_event(public_event, personas):
    past = EventFactory(network=personas.network, visibility=Visibility.PUBLIC, starts_at=in_days(-100))
    old = Registration.objects.create(
        event=past, guest_name="Alte Anmeldung", guest_email="alt@example.org", guest_token="t1", status="attended"
    )
    member = RegistrationFactory(event=past, person=personas.people["member"], status="attended")
    recent = Registration.objects.create(
        event=public_event, guest_name="Neu", guest_email="neu@example.org", status="registered"
    )
    assert guests.guests_forget() == 1
    assert guests.guests_forget() == 0  # idempotent
    old.refresh_from_db()
    assert (old.guest_name, old.guest_email, old.guest_token, old.status) == ("–", "", "", "attended")
    assert not Registration.history.filter(guest_email="alt@example.org").exists()
    assert Registration.objects.get(pk=recent.pk).guest_email == "neu@example.org"
    assert Registration.objects.get(pk=member.pk).person == personas.people["member"]


# --- FINDINGS: the series form has the single-event form's sections and an agenda -----------------------------


def _agenda(*rows) -> dict:
    data = {"agenda-TOTAL_FORMS": str(len(rows)), "agenda-INITIAL_FORMS": "0"}
    for i, (at, title) in enumerate(rows):
        data.update({f"agenda-{i}-time": at, f"agenda-{i}-title": title, f"agenda-{i}-note": ""})
    return data


def test_series_form_has_sections_and_an_agenda_every_date_gets(client, personas):
    from events.models import EventSeries
    from tests.events.test_events import _series_data

    personas.login(client, "coordinator")
    url = _de("series-create", personas.network.slug)
    page = client.get(url).text
    assert page.count("<legend>") >= 6 and 'name="agenda-0-title"' in page and 'name="street"' in page
    outside = client.post(url, {**_series_data(), **_agenda(("12:00", "Zu spät"))})
    assert outside.status_code == 400 and "liegt außerhalb" in outside.text and not EventSeries.objects.exists()
    assert 'value="Zu spät"' in outside.text  # kept
    client.post(url, {**_series_data(), **_agenda(("10:30", "Fragen"), ("10:00", "Begrüßung"))})
    series = EventSeries.objects.get()
    assert [item["title"] for item in series.agenda] == ["Begrüßung", "Fragen"]  # sorted by time
    occurrences = list(series.occurrences.all())
    assert len(occurrences) > 5
    assert all([a.title for a in e.agenda.all()] == ["Begrüßung", "Fragen"] for e in occurrences)
    edit = _de("series-edit", personas.network.slug, series.pk)
    form = client.get(edit).text
    assert 'value="Begrüßung"' in form
    data = {**_series_data(from_date=timezone.localdate().isoformat()), **_agenda(("10:00", "Neu"))}
    assert client.post(edit, data).status_code == 302
    assert all([a.title for a in e.agenda.all()] == ["Neu"] for e in series.occurrences.all())
