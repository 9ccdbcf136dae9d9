"""The event emails: every kind renders in German and English, the online link only when allowed, .ics attached."""

from datetime import datetime

import icalendar
import pytest
from django.utils import timezone

from events.models import Format, Notice, Registration
from events.notifications import WITH_ICS, notify
from networks.models import OutboxMessage
from tests.events.factories import EventFactory, RegistrationFactory
from tests.networks.factories import PersonFactory

KINDS = Notice.Kind.values
# Kinds that say where to go and so carry the link for someone with a place.
KINDS_WITH_LINK = {"confirmation", "promoted", "reminder_7d", "reminder_1d", "changed"}
WEEKDAY = {"de": "Dienstag", "en": "Tuesday"}
MONTH = {"de": "Dezember", "en": " Dec 20"}  # British: "15 Dec 2026" (config/formats/en)


def berlin(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


@pytest.fixture
def event(db):
    return EventFactory(
        title="Netzwerktreffen Wärme & Strom",
        format=Format.HYBRID,
        venue="Umweltamt Dortmund",
        street="Brückstraße 45",
        postcode="44135",
        town="Dortmund",
        online_url="https://meet.example.org/kek-treffen",
        starts_at=berlin(2030, 12, 10, 10),  # a Tuesday
        ends_at=berlin(2030, 12, 10, 11, 30),
        cancelled_reason="Die Referentin ist erkrankt.",
    )


def _unfolded(ics: str) -> str:
    """iCalendar folds long lines (RFC 5545 §3.1); a URL can be split across two."""
    return ics.replace("\r\n ", "")


def _mail(event, kind, *, language="de", status=Registration.Status.REGISTERED) -> OutboxMessage:
    person = PersonFactory(name="Anna Beispiel", language=language)
    registration = RegistrationFactory(event=event, person=person, status=status)
    assert notify(registration, kind) is True
    return OutboxMessage.objects.get(recipient=person.user.email, reason=f"event_{kind}")


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_completely_in_both_languages(event, kind, language):
    mail = _mail(event, kind, language=language)
    assert mail.language == language
    assert "Netzwerktreffen Wärme & Strom" in mail.subject and "&amp;" not in mail.subject
    assert "Netzwerktreffen Wärme & Strom" in mail.body_text  # plain text is not HTML-escaped
    assert "Netzwerktreffen Wärme &amp; Strom" in mail.body_html
    for body in (mail.subject, mail.body_text, mail.body_html):
        assert "{{" not in body and "{%" not in body and "}}" not in body
    assert "Anna Beispiel" in mail.body_text and "Anna Beispiel" in mail.body_html
    # date with weekday in the mail's language, Europe/Berlin
    for body in (mail.body_text, mail.body_html):
        assert WEEKDAY[language] in body and MONTH[language] in body and "10:00–11:30" in body
    # the way to switch this kind off
    settings_path = "/en/profil/e-mails/" if language == "en" else "/profil/e-mails/"
    assert f"http://127.0.0.1:8000{settings_path}" in mail.body_text
    assert f'href="http://127.0.0.1:8000{settings_path}"' in mail.body_html
    unsubscribe = f"http://127.0.0.1:8000{settings_path.removesuffix('profil/e-mails/')}e-mails/abbestellen/"
    assert unsubscribe in mail.body_text and f'href="{unsubscribe}' in mail.body_html
    assert event.get_absolute_url() in mail.body_text and event.get_absolute_url() in mail.body_html


@pytest.mark.parametrize("kind", KINDS)
def test_online_link_only_for_people_with_a_place(event, kind):
    registered = _mail(event, kind)
    expected = kind in KINDS_WITH_LINK
    assert (event.online_url in registered.body_text) == expected
    assert (event.online_url in registered.body_html) == expected
    if kind not in ("reminder_7d", "reminder_1d", "minutes"):  # these go to people with a place only
        waiting = _mail(event, kind, status=Registration.Status.WAITING)
        assert event.online_url not in waiting.body_text and event.online_url not in waiting.body_html
        for attachment in waiting.attachments:
            assert event.online_url not in _unfolded(attachment["content"])


def test_venue_and_address_are_in_the_details(event):
    mail = _mail(event, "reminder_1d")
    for body in (mail.body_text, mail.body_html):
        assert "Umweltamt Dortmund" in body and "Brückstraße 45, 44135 Dortmund" in body


@pytest.mark.parametrize("kind", sorted(WITH_ICS))
def test_ics_attachment_parses_and_carries_the_link_only_with_a_place(event, kind):
    mail = _mail(event, kind)
    (attachment,) = mail.attachments
    assert attachment["filename"].endswith(".ics") and attachment["mimetype"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(attachment["content"])
    (vevent,) = cal.walk("VEVENT")
    assert str(vevent["UID"]) == f"{event.uid}@klimanetz"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.online_url in str(vevent["DESCRIPTION"]) and event.online_url in _unfolded(attachment["content"])


def test_waiting_list_confirmation_says_so(event):
    mail = _mail(event, "confirmation", language="en", status=Registration.Status.WAITING)
    assert mail.subject.startswith("Waiting list:")
    assert "you are on the waiting list" in mail.body_text
    assert "As soon as a place becomes free, you move up automatically" in mail.body_text
    assert "leave the waiting list" in mail.body_html
    assert mail.attachments == []  # no calendar entry without a place
    registered = _mail(event, "confirmation", language="en")
    assert registered.subject.startswith("Registration confirmed:") and "waiting list:" not in registered.body_text
    assert "please cancel your registration on the event page" in registered.body_text


def test_cancellation_gives_the_reason_and_no_cancel_instructions(event):
    mail = _mail(event, "cancelled", language="en")
    assert "Die Referentin ist erkrankt." in mail.body_text and "Die Referentin ist erkrankt." in mail.body_html
    assert "has been cancelled" in mail.body_text
    assert "please cancel your registration" not in mail.body_text


@pytest.mark.parametrize("language", ["de", "en"])
def test_minutes_mail_links_to_the_minutes(event, language):
    mail = _mail(event, "minutes", language=language)
    assert event.get_absolute_url() + "#minutes" in mail.body_text
    assert event.get_absolute_url() + "#minutes" in mail.body_html


def test_reminders_tell_how_to_cancel(event):
    for kind in ("reminder_7d", "reminder_1d"):
        mail = _mail(event, kind, language="en")
        assert "please cancel your registration on the event page" in mail.body_text


def test_user_text_is_escaped_in_html_but_not_in_text(event):
    event.title = "<b>Fett</b> & Co"
    event.cancelled_reason = "<script>x</script>"
    event.save(update_fields=["title", "cancelled_reason"])
    mail = _mail(event, "cancelled")
    assert "<b>Fett</b>" not in mail.body_html and "&lt;b&gt;Fett&lt;/b&gt;" in mail.body_html
    assert "<script>" not in mail.body_html
    assert "<b>Fett</b> & Co" in mail.body_text and "<b>Fett</b> & Co" in mail.subject


def test_an_event_over_two_days_shows_both_days(event):
    event.ends_at = berlin(2030, 12, 11, 16)
    event.save(update_fields=["ends_at"])
    mail = _mail(event, "reminder_7d", language="en")
    assert "Tuesday" in mail.body_text and "Wednesday" in mail.body_text and "16:00" in mail.body_text
