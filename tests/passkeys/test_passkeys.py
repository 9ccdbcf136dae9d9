"""Passkeys (WebAuthn, issue 19 §5) through the client, with a software authenticator (tests/passkeys/authenticator):
adding, listing, renaming and removing them; signing in with a passkey alone; a passkey as a staff account's second
factor instead of the app (networks.staff, networks.middleware), the admin included; bad input refused, never a 500.

The client talks to the host ``localhost``, the RP ID the passkeys are made for (an IP address is none)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.helpers import de, messages_of
from tests.networks.factories import PASSWORD
from tests.passkeys.authenticator import HOST, SoftPasskey, register
from tests.security.test_staff_mfa import login_with_password_only
from tests.security.test_url_matrix import page_problems

CONFIG = re.compile(r'<script id="passkey-config" type="application/json">(.*?)</script>', re.S)
# Answers of the wrong shape where the browser's credential belongs: each a form error, never a 500
MALFORMED = [
    "",
    "{",
    "[1, 2]",
    '"text"',
    json.dumps({"id": "x"}),
    json.dumps({"id": 1, "rawId": 2}),
    json.dumps({"response": {"userHandle": "AAAA"}}),
    json.dumps({"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": []}),
]


@pytest.fixture(autouse=True)
def _localhost(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]


def client_at_localhost() -> Client:
    return Client(HTTP_HOST=HOST)


def page_config(response) -> dict:
    """The page's #passkey-config (networks.templatetags.passkeys), as static/js/passkeys.js reads it."""
    assert response.status_code == 200
    assert not page_problems(response)  # no inline script, no style attribute
    return json.loads(CONFIG.search(response.content.decode()).group(1))


def signed_in_and_confirmed(personas, name: str) -> Client:
    """Signed in with the password just now: allauth lets the account add or change a passkey."""
    client = client_at_localhost()
    login_with_password_only(client, personas.user(name))
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    return client


def add_passkey(client, passkey: SoftPasskey, name: str = "Laptop", **extra):
    config = page_config(client.get(reverse("mfa_add_webauthn")))
    assert config["kind"] == "addForm" and config["ids"]["add"] == "mfa_webauthn_add"
    credential = passkey.create(config["data"]["creation_options"])
    data = {"name": name, "passwordless": "on", "credential": json.dumps(credential), **extra}
    return client.post(reverse("mfa_add_webauthn"), data)


def login_options(client) -> dict:
    response = client.get(reverse("mfa_login_webauthn"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()["request_options"]


def test_a_member_adds_a_passkey_and_sees_it_listed(personas, django_assert_num_queries):
    client = signed_in_and_confirmed(personas, "member")
    user = personas.user("member")
    response = add_passkey(client, SoftPasskey(), "Diensthandy")
    assert response.status_code == 302  # to the recovery codes allauth made with the first key
    key = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Diensthandy" and key.wrap().is_passwordless
    page = client.get(reverse("mfa_list_webauthn"))
    assert not page_problems(page)
    row = page.content.decode().split("<tbody>")[1]
    assert "Diensthandy" in row and de("never") in row and de("Rename") in row and de("Remove") in row
    assert de("Passkeys") in client.get(reverse("mfa_index")).content.decode()


def test_the_list_of_passkeys_asks_the_same_queries_for_one_and_five(personas, django_assert_num_queries):
    client = signed_in_and_confirmed(personas, "member")
    user = personas.user("member")
    url = reverse("mfa_list_webauthn")
    register(user, "Eins")
    client.get(url)  # the session's account is remembered from here on (networks.backends)
    with django_assert_num_queries(1):  # the account's passkeys (session and account: from the cache)
        assert client.get(url).status_code == 200
    for n in range(4):
        register(user, f"Schlüssel {n}")
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_rename_and_remove_ask_for_the_password_first(personas):
    user = personas.user("member")
    _passkey, key = register(user, "Alt")
    client = client_at_localhost()
    client.force_login(user)  # signed in long ago, as far as allauth knows
    edit = reverse("mfa_edit_webauthn", args=[key.pk])
    assert client.post(edit, {"name": "Neu"})["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.post(edit, {"name": ""}).status_code == 200  # a name is required: the form says so
    assert client.post(edit, {"name": "x" * 101}).status_code == 200
    assert client.post(edit, {"name": "Neu"})["Location"] == reverse("mfa_list_webauthn")
    key.refresh_from_db()
    assert key.wrap().name == "Neu"
    remove = reverse("mfa_remove_webauthn", args=[key.pk])
    assert not page_problems(client.get(remove))
    assert client.post(remove).status_code == 302
    assert not Authenticator.objects.filter(user=user).exists()  # the recovery codes went with the last key


@pytest.mark.parametrize("name", ["mfa_edit_webauthn", "mfa_remove_webauthn"])
def test_another_accounts_passkey_is_not_found(personas, name):
    _passkey, key = register(personas.user("coordinator"))
    client = signed_in_and_confirmed(personas, "member")
    url = reverse(name, args=[key.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Meins"}).status_code == 404
    assert Authenticator.objects.filter(pk=key.pk).exists()


@pytest.mark.parametrize("name", ["mfa_list_webauthn", "mfa_add_webauthn"])
def test_anonymous_visitors_are_sent_to_the_login(db, name):
    response = client_at_localhost().get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_credential_that_is_no_credential_is_a_form_error(personas):
    client = signed_in_and_confirmed(personas, "member")
    client.get(reverse("mfa_add_webauthn"))
    for credential in MALFORMED:
        response = client.post(reverse("mfa_add_webauthn"), {"name": "Laptop", "credential": credential})
        assert response.status_code == 200 and response.context["form"].errors
    assert not Authenticator.objects.filter(user=personas.user("member")).exists()


def test_a_credential_for_another_origin_is_refused(personas):
    client = signed_in_and_confirmed(personas, "member")
    response = add_passkey(client, SoftPasskey(origin="https://klimanetz.example.com"))
    assert response.status_code == 200 and response.context["form"].errors
    assert not Authenticator.objects.exists()


def test_the_login_page_offers_the_passkey(db):
    response = client_at_localhost().get(reverse("account_login"))
    config = page_config(response)
    assert config == {
        "kind": "loginForm",
        "ids": {"login": "passkey_login", "credential": "mfa_credential"},
        "data": {},
    }
    body = response.content.decode()
    assert 'id="passkey_login"' in body and 'id="mfa_login"' in body and de("Sign in with a passkey") in body


def test_sign_in_with_the_passkey_alone(personas):
    user = personas.user("member")
    passkey, key = register(user)
    client = client_at_localhost()
    credential = passkey.get(login_options(client))
    response = client.post(reverse("mfa_login_webauthn"), {"credential": json.dumps(credential)})
    assert response.status_code == 302 and response["Location"] == reverse("networks:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert de("never") not in client.get(reverse("mfa_list_webauthn")).content.decode().split("<tbody>")[1]


def test_a_passkey_without_user_verification_does_not_sign_in(personas):
    passkey, _key = register(personas.user("member"))
    passkey.verified = False  # touched, but no PIN or fingerprint asked: only a second factor
    client = client_at_localhost()
    credential = passkey.get(login_options(client))
    response = client.post(reverse("mfa_login_webauthn"), {"credential": json.dumps(credential)})
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("credential", MALFORMED)
def test_a_bad_passkey_answer_at_login_goes_back_to_the_login(db, credential):
    client = client_at_localhost()
    login_options(client)
    response = client.post(reverse("mfa_login_webauthn"), {"credential": credential})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_an_answer_is_good_for_one_login_only(personas):
    passkey, _key = register(personas.user("member"))
    client = client_at_localhost()
    credential = json.dumps(passkey.get(login_options(client)))
    assert client.post(reverse("mfa_login_webauthn"), {"credential": credential})["Location"] != reverse(
        "account_login"
    )
    other = client_at_localhost()
    login_options(other)  # a challenge of its own: the replayed answer signed another
    assert other.post(reverse("mfa_login_webauthn"), {"credential": credential})["Location"] == reverse("account_login")
    assert "_auth_user_id" not in other.session


# --- staff: a passkey instead of the authenticator app ---------------------------------------------------------


def test_staff_without_a_second_factor_are_offered_the_passkey_too(personas):
    client = signed_in_and_confirmed(personas, "staff")
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_activate_totp")
    assert messages_of(response) == [
        de(
            "Staff accounts must use two-factor authentication. Please set up an authenticator app or add a "
            "passkey first."
        )
    ]
    page = client.get(reverse("mfa_activate_totp"))
    assert f'href="{reverse("mfa_add_webauthn")}"' in page.content.decode()


def test_staff_who_add_a_passkey_have_their_staff_rights(personas):
    """Adding the passkey touched it (and asked for its screen lock): the session has used its second factor
    (networks.staff.record_setup)."""
    client = signed_in_and_confirmed(personas, "staff")
    url = reverse("monitoring:organisation", args=[personas.people["coordinator"].organisation.slug])
    assert client.get(url).status_code == 302
    assert add_passkey(client, SoftPasskey()).status_code == 302
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_with_only_a_passkey_confirm_with_it(personas):
    staff = personas.user("staff")
    passkey, _key = register(staff)
    client = client_at_localhost()
    login_with_password_only(client, staff)
    url = reverse("admin:index")
    response = client.get(url)
    asked = f"{reverse('mfa_reauthenticate_webauthn')}?{urlencode({'next': url})}"
    assert response["Location"] == asked
    assert messages_of(response) == [
        de("Please confirm with your authenticator app or your passkey to use your staff rights.")
    ]
    config = page_config(client.get(asked))
    assert config["kind"] == "authenticateForm"
    for bad in MALFORMED:
        assert client.post(asked, {"credential": bad})["Location"] == reverse("account_login")  # allauth's way
    assert client.get(url)["Location"] == asked
    config = page_config(client.get(asked))
    credential = passkey.get(config["data"]["request_options"])
    response = client.post(asked, {"credential": json.dumps(credential)})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200


def test_staff_with_the_app_and_a_passkey_are_asked_for_the_code_and_offered_the_passkey(personas):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    staff = personas.user("staff")
    TOTP.activate(staff, generate_totp_secret())
    register(staff)
    client = client_at_localhost()
    login_with_password_only(client, staff)
    url = reverse("admin:index")
    asked = client.get(url)["Location"]
    assert asked == f"{reverse('mfa_reauthenticate')}?{urlencode({'next': url})}"
    alternatives = client.get(asked).context["reauthentication_alternatives"]
    assert f"{reverse('mfa_reauthenticate_webauthn')}?{urlencode({'next': url})}" in [a["url"] for a in alternatives]


def test_staff_signed_in_by_passkey_alone_reach_the_admin(personas):
    staff = personas.user("staff")
    passkey, _key = register(staff)
    client = client_at_localhost()
    credential = passkey.get(login_options(client))
    assert client.post(reverse("mfa_login_webauthn"), {"credential": json.dumps(credential)}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("networks:member-export-csv", args=[personas.other.slug])).status_code == 200


def test_staff_with_a_passkey_and_the_password_are_asked_for_the_passkey_at_login(personas):
    staff = personas.user("staff")
    passkey, _key = register(staff, resident=False)
    client = client_at_localhost()
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    config = page_config(client.get(reverse("mfa_authenticate")))
    assert config["kind"] == "authenticateForm" and config["ids"]["authenticate"] == "mfa_webauthn_authenticate"
    credential = passkey.get(config["data"]["request_options"])
    response = client.post(reverse("mfa_authenticate"), {"credential": json.dumps(credential)})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_login_code_step_offers_a_passkey_only_to_accounts_with_one(personas):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    staff = personas.user("staff")
    TOTP.activate(staff, generate_totp_secret())
    client = client_at_localhost()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200 and not page_problems(page)
    assert not CONFIG.search(page.content.decode()) and 'id="mfa_webauthn_authenticate"' not in page.content.decode()
