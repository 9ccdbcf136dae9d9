"""Hardening (issue 14 §2.8): the password again before the account is deleted or an address changed, no stored
copies of pages with personal data or secrets, a Permissions-Policy, no Server banner under gunicorn."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.urls import reverse

from networks.models import User
from tests.networks.factories import PASSWORD
from tests.test_deploy_check import production_env

# --- Re-authentication ----------------------------------------------------------------------------------------------


def test_deleting_the_account_asks_for_the_password_first_and_then_deletes(w):
    user = w.user("citizen")
    client = Client()
    w.login(client, "citizen")
    url = reverse("networks:account-delete")
    assert client.get(url).status_code == 200  # the form; the POST waits for the password
    response = client.post(url, {"confirm": user.email})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_reauthenticate')}?{urlencode({'next': url})}"
    assert User.objects.filter(pk=user.pk).exists()
    wrong = client.post(response["Location"], {"password": "not-the-password"})
    assert wrong.status_code == 200 and User.objects.filter(pk=user.pk).exists()
    done = client.post(response["Location"], {"password": PASSWORD})  # allauth replays the waiting POST
    assert done.status_code == 302 and done["Location"] == reverse("networks:home")
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_recent_password_confirmation_deletes_at_once(w):
    user = w.user("citizen")
    client = Client()
    w.login(client, "citizen")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("networks:account-delete"), {"confirm": user.email})
    assert response.status_code == 302 and response["Location"] == reverse("networks:home")
    assert not User.objects.filter(pk=user.pk).exists()


def test_adding_an_email_address_asks_for_the_password_first(w):
    client = Client()
    w.login(client, "member")
    response = client.post(reverse("account_email"), {"action_add": "", "email": "neu@example.org"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="neu@example.org").exists()


def test_changing_the_password_needs_the_current_one(w):
    user = w.user("member")
    client = Client()
    w.login(client, "member")
    new = "Sonnenstrom-2027!"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": "not-the-password", "password1": new, "password2": new}
    )
    assert response.status_code == 200 and response.context["form"].errors["oldpassword"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- No stored copies, Permissions-Policy ----------------------------------------------------------------------------

NO_STORE = [
    ("networks:profile-export", lambda w: []),
    ("events:my-calendar", lambda w: []),
    ("networks:member-list", lambda w: [w.network.slug]),
]


@pytest.mark.parametrize(("name", "args"), NO_STORE, ids=[n for n, _a in NO_STORE])
def test_pages_with_personal_data_or_secrets_are_not_stored(w, name, args):
    client = Client()
    w.login(client, "member")
    response = client.get(reverse(name, args=args(w)))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


COORDINATION_NO_STORE = [
    ("networks:people-manage", lambda w: [w.network.slug]),
    ("events:participant-list", lambda w: [w.network.slug, w.event_public.pk]),
]


@pytest.mark.parametrize(("name", "args"), COORDINATION_NO_STORE, ids=[n for n, _a in COORDINATION_NO_STORE])
def test_the_coordinations_lists_of_people_are_not_stored(w, name, args):
    client = Client()
    w.login(client, "coordinator")
    response = client.get(reverse(name, args=args(w)))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_two_factor_setup_is_not_stored(w):
    client = Client()
    w.login(client, "citizen")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_other_pages_keep_their_caching(w):
    """The control: a public page is not marked (the browser may keep it)."""
    assert "no-store" not in Client().get(reverse("networks:home")).get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/", "/konto/login/", "/gibt-es-nicht/", "/netzwerke/ktt/mitglieder/"])
def test_every_answer_switches_browser_features_off(w, path):
    response = Client().get(path)
    policy = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()", feature


# --- gunicorn --------------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _headers_under_gunicorn(tmp_path, *options: str):
    port = _free_port()
    env = production_env(ALLOWED_HOSTS="127.0.0.1", SQLITE_PATH=str(tmp_path / "db.sqlite3"))
    for name in ("DATABASE_URL", "REDIS_URL", "CACHE_URL"):
        env.pop(name, None)
    command = [sys.executable, "-m", "gunicorn", *options, "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"})
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
                    return response.status, response.headers
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=15)


def test_gunicorn_answers_without_a_server_banner(tmp_path):
    status, headers = _headers_under_gunicorn(tmp_path, "-c", "config/gunicorn.conf.py")
    assert status == 200
    assert "Server" not in headers
    assert "camera=()" in headers["Permissions-Policy"]


def test_gunicorn_names_itself_without_the_configuration(tmp_path):
    """The control: what config/gunicorn.conf.py takes away."""
    _status, headers = _headers_under_gunicorn(tmp_path)
    assert headers["Server"].startswith("gunicorn")
