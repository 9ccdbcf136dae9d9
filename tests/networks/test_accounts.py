"""Accounts through allauth: verified sign-up, rate limits, admin behind allauth and staff MFA."""

import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse

from networks.models import OutboxMessage, Person, User
from tests.helpers import login_with_second_factor
from tests.networks import factories as f


def test_signup_requires_email_verification_and_creates_a_person(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "buergerin@example.org",
                "password1": "Sonnenstrom-2026!",
                "password2": "Sonnenstrom-2026!",
                "name": "Bürgerin Beispiel",
            },
        )
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    person = Person.objects.get(user__email="buergerin@example.org")
    assert person.name == "Bürgerin Beispiel" and person.language == "de"
    assert not EmailAddress.objects.get(email="buergerin@example.org").verified
    # the verification mail went through the outbox
    message = OutboxMessage.objects.get(recipient="buergerin@example.org")
    assert message.status == OutboxMessage.Status.SENT and len(mail.outbox) == 1
    # unverified: cannot log in yet
    login = client.post(reverse("account_login"), {"login": "buergerin@example.org", "password": "Sonnenstrom-2026!"})
    assert login["Location"] == reverse("account_email_verification_sent")


def test_the_confirmation_page_names_the_person_not_their_address_twice(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "buergerin@example.org",
                "password1": "Sonnenstrom-2026!",
                "password2": "Sonnenstrom-2026!",
                "name": "Bürgerin Beispiel",
            },
        )
    body = OutboxMessage.objects.get(recipient="buergerin@example.org").body_text
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", body).group(0)
    page = client.get(urlsplit(link).path).content.decode()
    assert "Bürgerin Beispiel" in page
    sentence = page.split('href="mailto:buergerin@example.org"')[1].split("</p>")[0]
    assert "Bürgerin Beispiel" in sentence and "buergerin@example.org" in sentence  # the link's text
    assert sentence.count("buergerin@example.org") == 1  # not "an address of buergerin@example.org" again


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not an email", "password1": "Sonnenstrom-2026!", "password2": "Sonnenstrom-2026!", "name": "A"},
        {"email": "a@example.org", "password1": "short", "password2": "short", "name": "A"},
        {"email": "a@example.org", "password1": "Sonnenstrom-2026!", "password2": "different-2026!", "name": "A"},
        {"email": "a@example.org", "password1": "Sonnenstrom-2026!", "password2": "Sonnenstrom-2026!", "name": ""},
    ],
)
def test_signup_rejects_bad_input(client, db, data):
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert not Person.objects.exists()


def test_login_is_by_email(client, db):
    user = f.UserFactory(email="kek@example.org")
    response = client.post(reverse("account_login"), {"login": "KEK@Example.org", "password": f.PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_failed_logins_are_rate_limited(client, db):
    user = f.UserFactory()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
    blocked = client.post(reverse("account_login"), {"login": user.email, "password": f.PASSWORD})
    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session  # even the right password is refused while blocked


def test_password_reset_mail_goes_through_the_outbox(client, db, django_capture_on_commit_callbacks):
    f.UserFactory(email="vergesslich@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "vergesslich@example.org"})
    assert OutboxMessage.objects.filter(recipient="vergesslich@example.org", reason="password_reset_key").exists()
    assert len(mail.outbox) == 1


def test_admin_login_goes_through_allauth(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert client.get(reverse("admin:login")).status_code == 302


def test_staff_without_mfa_must_set_it_up_before_the_admin(client, db):
    staff = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    TOTP.activate(staff, generate_totp_secret())
    response = client.get(reverse("admin:index"))  # set up, but not used in this session: the code first
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))
    login_with_second_factor(client, staff)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_setting_the_second_factor_up_in_the_session_counts_as_using_it(client, personas):
    """allauth asks for a code from the new device to set it up: the session has used its second factor
    (networks.staff.record_setup, on the commit of the setup: hence a transactional test)."""
    staff = personas.user("staff")
    client.force_login(staff)
    url = reverse("networks:member-export-csv", args=[personas.other.slug])
    assert client.get(url)["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})  # open: the setup asks for it
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert client.post(reverse("mfa_activate_totp"), {"code": code}).status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get(url).status_code == 200


def test_staff_with_mfa_is_asked_for_the_code_at_login(client, db):
    staff = f.UserFactory(is_staff=True)
    TOTP.activate(staff, generate_totp_secret())
    response = client.post(reverse("account_login"), {"login": staff.email, "password": f.PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_non_staff_cannot_open_the_admin(client, personas):
    personas.login(client, "coordinator")
    assert client.get(reverse("admin:index"), follow=True).status_code == 403


def test_every_user_can_switch_on_mfa(client, personas):
    personas.login(client, "citizen")
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))  # confirm the password first
    client.post(reverse("account_reauthenticate"), {"password": f.PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content  # QR code, no other host
    assert not Authenticator.objects.exists()


@pytest.mark.parametrize("persona", ["staff"])
def test_admin_pages_for_every_model_open(client, personas, persona):
    from django.contrib import admin

    staff = personas.user(persona)
    TOTP.activate(staff, generate_totp_secret())
    login_with_second_factor(client, staff)
    for model in admin.site._registry:
        if model._meta.app_label != "networks":
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url, {"q": "x"}).status_code == 200, url


def test_network_history_in_the_admin(client, personas):
    staff = personas.user("staff")
    TOTP.activate(staff, generate_totp_secret())
    login_with_second_factor(client, staff)
    network = personas.network
    network.region = "Pfalz"
    network.save(update_fields=["region"])
    page = client.get(reverse("admin:networks_network_history", args=[network.pk]))
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 2  # created, then the region changed
    assert client.get(f"/admin/networks/network/{network.pk}/change/history/").status_code == 404


# --- Signing up through an invitation link (issue 14 §2.6) ---------------------------------------------------


def _sign_up_through(client, invitation, django_capture_on_commit_callbacks):
    assert client.get(invitation.get_absolute_url()).status_code == 200
    password = "Sonnenstrom-2026!"
    data = {"email": invitation.email, "password1": password, "password2": password, "name": "Neu"}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("account_signup"), data)


def test_the_invitation_link_lets_the_new_account_accept_that_invitation_unconfirmed(
    client, personas, django_capture_on_commit_callbacks
):
    invitation = f.InvitationFactory(network=personas.network, email="neu@kusel.de")
    response = _sign_up_through(client, invitation, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == invitation.get_absolute_url()  # signed in
    assert client.post(invitation.get_absolute_url()).status_code == 302
    user = User.objects.get(email="neu@kusel.de")
    assert personas.network.roles.filter(person__user=user).exists()
    address = EmailAddress.objects.get(user=user)
    assert not address.verified  # proven for that invitation only
    assert OutboxMessage.objects.filter(recipient="neu@kusel.de", reason="email_confirmation_signup").exists()


def test_other_invitations_to_the_address_wait_for_the_confirmation(
    client, personas, django_capture_on_commit_callbacks
):
    invitation = f.InvitationFactory(network=personas.network, email="neu@kusel.de")
    _sign_up_through(client, invitation, django_capture_on_commit_callbacks)
    client.post(invitation.get_absolute_url())
    later = f.InvitationFactory(network=personas.other, email="neu@kusel.de")  # another network, afterwards
    page = client.get(reverse("networks:dashboard"))
    assert list(page.context["pending_invitations"]) == []
    assert later.get_absolute_url() not in page.content.decode()
    EmailAddress.objects.filter(email="neu@kusel.de").update(verified=True)  # confirmed the normal way
    page = client.get(reverse("networks:dashboard"))
    assert list(page.context["pending_invitations"]) == [later]


def test_the_next_login_asks_for_the_confirmation(client, personas, django_capture_on_commit_callbacks):
    invitation = f.InvitationFactory(network=personas.network, email="neu@kusel.de")
    _sign_up_through(client, invitation, django_capture_on_commit_callbacks)
    other = Client()
    response = other.post(reverse("account_login"), {"login": "neu@kusel.de", "password": "Sonnenstrom-2026!"})
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in other.session


def test_a_sign_up_with_another_address_than_the_invitations_needs_the_confirmation(
    client, personas, django_capture_on_commit_callbacks
):
    invitation = f.InvitationFactory(network=personas.network, email="neu@kusel.de")
    client.get(invitation.get_absolute_url())
    data = {"email": "anders@kusel.de", "password1": "Sonnenstrom-2026!", "password2": "Sonnenstrom-2026!"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), {**data, "name": "Anders"})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def _signup_fields(response) -> dict:
    from tests.announcements.html import page as parse

    return {node["name"]: node for node in parse(response.content).select("main form input[name]")}


def test_signing_up_from_an_invitation_prefills_its_address_and_name(client, personas):
    invitation = f.InvitationFactory(network=personas.network, email="nina.neu@kusel.de", name="Nina Neu")
    assert not _signup_fields(client.get(reverse("account_signup")))["name"]["value"]  # no link followed: empty
    client.get(invitation.get_absolute_url())
    fields = _signup_fields(client.get(reverse("account_signup")))
    assert fields["email"]["value"] == "nina.neu@kusel.de"
    assert fields["name"]["value"] == "Nina Neu"
    # what the person typed wins over the invitation's when the form comes back with an error
    typed = {"email": "nina.neu@kusel.de", "name": "Nina B. Neu", "password1": "kurz", "password2": "kurz"}
    again = _signup_fields(client.post(reverse("account_signup"), typed))
    assert again["name"]["value"] == "Nina B. Neu"


def test_the_password_error_stands_right_under_the_password_field(client, db):
    from tests.announcements.html import page as parse

    data = {"email": "neu@example.org", "name": "Neu", "password1": "kurz", "password2": "kurz"}
    page = parse(client.post(reverse("account_signup"), data).content)
    field = page.select_one("main form .field-invalid")
    assert field.select_one("input")["name"] == "password1"
    order = [node["class"] for node in field.select(".error, .help")]
    assert order[0] == "error" and order[-1] == "help", order  # the error first, then the rules
