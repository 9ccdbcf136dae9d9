"""Switching a kind off, on the settings page or with the link of an email, stops exactly that kind, for every
sender (event notification, monitoring reminder, funding deadline, moderation), and nothing else."""

from __future__ import annotations

import base64
import json

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.test import Client
from django.urls import reverse

from events.models import Notice
from networks import mail
from networks.models import MailOptOut, NetworkRole, OutboxMessage
from tests.networks import factories as f

pytestmark = pytest.mark.django_db

SENDERS = ["event_reminder_1d", "monitoring_indicator_due", "funding_deadline", "proposal_moderated"]


def _send(senders, person, kind: str) -> None:
    """Run the sender of ``kind`` (for everyone it concerns)."""
    if kind == "event_reminder_1d":
        senders.event_notification(person, Notice.Kind.REMINDER_1D)
    elif kind == "monitoring_indicator_due":
        senders.monitoring_reminder()
    elif kind == "funding_deadline":
        senders.funding_deadline()
    else:
        senders.moderation(person)


def _received(senders, person) -> set[str]:
    reasons = OutboxMessage.objects.filter(recipient=person.user.email, reason__in=SENDERS)
    return set(reasons.values_list("reason", flat=True))


def _switch_off_by_page(client, person, kind):
    client.force_login(person.user)
    keep = [k.code for k in mail.switchable_kinds() if k.code != kind]
    response = client.post(reverse("networks:mail-settings"), dict.fromkeys(keep, "on"))
    assert response.status_code == 302 and response["Location"] == reverse("networks:mail-settings")
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def _switch_off_by_link(client, person, kind):
    url = _path(mail.unsubscribe_url(person, kind, person.language))
    assert client.get(url).status_code == 200
    assert not MailOptOut.objects.exists()  # GET changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url


@pytest.mark.parametrize("how", [_switch_off_by_page, _switch_off_by_link], ids=["page", "link"])
@pytest.mark.parametrize("kind", SENDERS)
def test_switching_a_kind_off_stops_exactly_that_kind(senders, client, kind, how):
    german, english = senders.people["de"], senders.people["en"]
    how(client, german, kind)
    assert set(MailOptOut.objects.values_list("person_id", "kind")) == {(german.pk, kind)}
    for other in SENDERS:
        _send(senders, german, other)
        _send(senders, english, other)
    assert _received(senders, german) == set(SENDERS) - {kind}  # exactly that kind stopped ...
    assert _received(senders, english) == set(SENDERS)  # ... and only for that person


def test_switching_on_again_sends_again(senders, client):
    german = senders.people["de"]
    mail.mail_switch_off(person=german, kind="funding_deadline")
    senders.funding_deadline()
    assert "funding_deadline" not in _received(senders, german)
    _switch_off_by_page(client, german, "event_minutes")  # the page: funding deadline ticked again
    senders.funding_deadline()
    assert "funding_deadline" in _received(senders, german)


def test_a_switched_off_reminder_goes_to_nobody_in_the_persons_place(senders):
    """The monitoring reminder falls back to editors only when nobody responsible can be mailed, not when the
    responsible person does not want it."""
    from monitoring.models import Indicator
    from tests.networks import factories as f

    german = senders.people["de"]
    editor = f.OrganisationRoleFactory(organisation=Indicator.objects.get(responsible=german).organisation).person
    mail.mail_switch_off(person=german, kind="monitoring_indicator_due")
    senders.monitoring_reminder()
    reminded = OutboxMessage.objects.filter(reason="monitoring_indicator_due").values_list("recipient", flat=True)
    assert list(reminded) == [senders.people["en"].user.email]
    assert editor.user.email not in reminded


def test_mail_wanted_follows_can_be_mailed_and_the_switch(senders):
    german = senders.people["de"]
    assert mail.mail_wanted(german, "funding_deadline")
    mail.mail_switch_off(person=german, kind="funding_deadline")
    assert not mail.mail_wanted(german, "funding_deadline") and mail.mail_wanted(german, "event_minutes")
    assert mail.mail_wanted_by(senders.people.values(), "funding_deadline") == {senders.people["en"].pk}
    german.user.is_active = False
    assert not mail.mail_wanted(german, "invitation")  # not mailable at all: not even a transactional mail
    assert mail.mail_wanted_by([german], "event_minutes") == set()
    with pytest.raises(ValueError):
        mail.mail_switch_off(person=german, kind="password_reset_key")


def test_the_bulk_rule_is_one_query_at_two_sizes(django_assert_num_queries):
    from tests.networks import factories as f

    for size in (3, 30):
        people = list(f.PersonFactory.create_batch(size))
        people = [type(p).objects.select_related("user").get(pk=p.pk) for p in people]
        with django_assert_num_queries(1):
            mail.mail_wanted_by(people, "event_minutes")
        with django_assert_num_queries(1):
            mail.mail_preload(people)
        with django_assert_num_queries(0):
            assert all(mail.mail_wanted(p, "event_minutes") for p in people)


# --- the link --------------------------------------------------------------------------------------------


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_the_link_needs_no_login_and_get_changes_nothing(senders):
    german = senders.people["de"]
    path = _path(mail.unsubscribe_url(german, "event_minutes", "de"))
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200 and b'<form method="post"' in page.content
    assert not MailOptOut.objects.exists()
    # RFC 8058: the mail program posts List-Unsubscribe=One-Click, without cookie or CSRF token.
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200  # no redirect for the mail program (tests/security/test_robustness.py)
    assert list(MailOptOut.objects.values_list("person_id", "kind")) == [(german.pk, "event_minutes")]
    again = client.post(path)  # a second click: still off, nothing new
    assert again.status_code == 302 and MailOptOut.objects.count() == 1
    page = client.get(path)
    assert page.status_code == 200 and b'<form method="post"' not in page.content  # says it is off


def _tampered(token: str) -> list[str]:
    return [token[:-1] + ("A" if token[-1] != "A" else "B"), token[1:], "x" + token, "abc", "a:b:c"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_a_clear_400_and_does_nothing(senders, method):
    german = senders.people["de"]
    token = mail.unsubscribe_token(german, "event_minutes")
    # another person or another kind in the payload, with the signature of the real one
    payload = base64.urlsafe_b64encode(json.dumps({"p": senders.people["en"].pk, "k": "event_minutes"}).encode())
    forged = payload.decode().rstrip("=") + ":" + token.split(":", 1)[1]
    other_salt = signing.Signer(salt="another.salt").sign_object({"p": german.pk, "k": "event_minutes"})
    not_switchable = mail.unsubscribe_token(german, "password_reset_key")
    unknown_kind = mail.unsubscribe_token(german, "no_such_kind")
    for bad in [*_tampered(token), forged, other_salt, not_switchable, unknown_kind]:
        response = getattr(Client(), method)(reverse("networks:mail-unsubscribe", args=[bad]))
        assert response.status_code == 400, bad
        assert "Dieser Link ist nicht gültig".encode() in response.content or b"This link is not valid" in (
            response.content
        )
    assert not MailOptOut.objects.exists()


def test_another_persons_token_switches_off_only_for_that_person(senders, client):
    german, english = senders.people["de"], senders.people["en"]
    client.force_login(german.user)  # logged in as someone else: the token decides, not the session
    client.post(_path(mail.unsubscribe_url(english, "event_minutes", "de")))
    assert list(MailOptOut.objects.values_list("person_id", "kind")) == [(english.pk, "event_minutes")]


def _with_every_audience(person) -> None:
    """The person of the world edits an organisation and is responsible for measures and indicators; as a
    coordinator of a network, every kind of email is meant for them too (discussions, action items, questions)."""
    f.NetworkRoleFactory(person=person, role=NetworkRole.Role.COORDINATOR)


def test_the_settings_page_lists_every_switchable_kind_by_area(senders, client):
    _with_every_audience(senders.people["de"])
    client.force_login(senders.people["de"].user)
    page = client.get(reverse("networks:mail-settings")).content.decode()
    for kind in mail.switchable_kinds():
        assert f'name="{kind.code}"' in page
    assert page.count("<fieldset") == len([a for a, kinds in mail.areas()])
    assert reverse("networks:mail-settings") in client.get(reverse("networks:profile")).content.decode()


def test_a_settings_post_with_unknown_names_stores_only_known_kinds(senders, client):
    german = senders.people["de"]
    _with_every_audience(german)
    client.force_login(german.user)
    client.post(reverse("networks:mail-settings"), {"password_reset_key": "", "bogus": "on"})
    off = set(MailOptOut.objects.values_list("kind", flat=True))
    assert off == {k.code for k in mail.switchable_kinds()}


def test_the_settings_page_offers_no_network_kinds_to_someone_without_a_network(client):
    """A citizen with an account but no role in a network reads no discussions and has no action items: the page
    does not offer their kinds (nor the coordination's), and a post naming them stores nothing for them."""
    citizen = f.PersonFactory()
    client.force_login(citizen.user)
    page = client.get(reverse("networks:mail-settings")).content.decode()
    inside = {"channel_reply", "channel_mention", "channel_post_hidden", "channel_report", "task_assigned"}
    inside |= {"task_done", "question_asked", "membership_requested"}
    assert all(mail.kind_of(code) is not None for code in inside)
    assert [code for code in inside if f'name="{code}"' in page] == []
    assert 'name="question_answered"' in page  # a kind for everyone is offered
    client.post(reverse("networks:mail-settings"), {})
    off = set(MailOptOut.objects.filter(person=citizen).values_list("kind", flat=True))
    assert off and not off & inside


# --- headers ---------------------------------------------------------------------------------------------


def test_delivery_sets_list_unsubscribe_for_switchable_kinds_only(
    senders, network, mailoutbox, django_capture_on_commit_callbacks
):
    from networks.services import invitation_create

    german = senders.people["de"]
    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivers after commit
        senders.funding_deadline()
        invitation_create(network=network, email="neu@example.org", role="member", invited_by=german)
    by_to = {m.to[0]: m for m in mailoutbox}
    funding = next(m for m in mailoutbox if m.to == [german.user.email])
    header = funding.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http") and header.endswith(">") and "/e-mails/abbestellen/" in header
    assert funding.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header[1:-1] in funding.body  # the same personal link as in the footer
    assert "List-Unsubscribe" not in by_to["neu@example.org"].extra_headers
    # the header's link switches off exactly funding deadlines, one click, no login
    Client(enforce_csrf_checks=True).post(_path(header[1:-1]), {"List-Unsubscribe": "One-Click"})
    assert list(MailOptOut.objects.values_list("person_id", "kind")) == [(german.pk, "funding_deadline")]


# --- personal data -----------------------------------------------------------------------------------------


def test_export_lists_the_switched_off_kinds_and_deleting_the_account_removes_them(senders):
    from networks.services import account_delete, person_export

    german = senders.people["de"]
    mail.mail_switch_off(person=german, kind="funding_deadline")
    mail.mail_switch_off(person=german, kind="event_minutes")
    mail.mail_switch_off(person=senders.people["en"], kind="event_minutes")
    data = person_export(person=german)
    assert data["email_notifications_switched_off"] == ["event_minutes", "funding_deadline"]
    account_delete(user=german.user)
    assert not MailOptOut.objects.filter(person=german).exists()
    assert MailOptOut.objects.filter(person=senders.people["en"]).count() == 1


def test_the_settings_page_offers_reminders_only_to_people_who_can_get_them(senders, client):
    citizen = f.PersonFactory(language="de")
    client.force_login(citizen.user)
    page = client.get(reverse("networks:mail-settings")).content.decode()
    assert 'name="proposal_moderated"' in page and 'name="event_confirmation"' in page  # anyone can get these
    for kind in ("funding_deadline", "monitoring_indicator_due", "monitoring_measure_stale"):
        assert f'name="{kind}"' not in page

    MailOptOut.objects.create(person=citizen, kind="funding_deadline")  # switched off once: stays on the page
    page = client.get(reverse("networks:mail-settings")).content.decode()
    assert 'name="funding_deadline"' in page and 'name="monitoring_indicator_due"' not in page

    f.OrganisationRoleFactory(person=citizen)  # an editor gets the monitoring reminders
    page = client.get(reverse("networks:mail-settings")).content.decode()
    assert 'name="monitoring_indicator_due"' in page and 'name="monitoring_measure_stale"' in page
