"""Login rate limiting really blocks: after the allowed number of wrong passwords even the right one is refused,
for the account (from any address) and for the address (with any account), until the window has passed.

The limits are allauth's ACCOUNT_RATE_LIMITS in the default cache (Redis in production); the suite's conftest
clears the cache around every test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.helpers import de
from tests.networks.factories import PASSWORD

LOGIN_FAILED = settings.ACCOUNT_RATE_LIMITS["login_failed"]  # "5/5m/ip,5/5m/key"
LIMIT = int(LOGIN_FAILED.split("/")[0])


def login(email: str, password: str, ip: str = "192.0.2.1"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    signed_in = client.get(reverse("networks:dashboard")).status_code == 200
    return response, signed_in


def test_the_limits_are_configured():
    assert LOGIN_FAILED == "5/5m/ip,5/5m/key"
    assert LIMIT == 5


def test_right_password_works_without_failures(w):
    response, signed_in = login(w.user("member").email, PASSWORD)
    assert response.status_code == 302 and signed_in


def test_after_the_limit_even_the_right_password_is_refused(w):
    email = w.user("member").email
    for attempt in range(LIMIT):
        response, signed_in = login(email, "wrong-password-1")
        assert response.status_code == 200 and not signed_in, attempt
    response, signed_in = login(email, PASSWORD)
    assert not signed_in
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [de("Too many failed login attempts. Try again later.")]


def test_the_account_is_blocked_from_other_addresses_too(w):
    email = w.user("member").email
    for attempt in range(LIMIT):
        login(email, "wrong-password-1", ip=f"198.51.100.{attempt + 1}")
    _response, signed_in = login(email, PASSWORD, ip="203.0.113.9")
    assert not signed_in


def test_the_address_is_blocked_for_other_accounts_too(w):
    """Password spraying: wrong passwords for many accounts from one address block that address."""
    for persona in ("citizen", "other_network", "coordinator", "editor", "staff"):
        login(w.user(persona).email, "wrong-password-1", ip="192.0.2.7")
    _response, signed_in = login(w.user("member").email, PASSWORD, ip="192.0.2.7")
    assert not signed_in
    _response, signed_in = login(w.user("member").email, PASSWORD, ip="192.0.2.8")
    assert signed_in  # another address, and the member's account had no failures


def test_the_block_ends_when_the_window_has_passed(w, monkeypatch):
    email = w.user("member").email
    for _attempt in range(LIMIT):
        login(email, "wrong-password-1")
    assert not login(email, PASSWORD)[1]
    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)  # allauth's rate limiting reads time.time()
    assert login(email, PASSWORD)[1]


def test_a_cleared_cache_lifts_the_block(w):
    """The control for the tests above: the block lives in the cache (shared by all processes in production)."""
    email = w.user("member").email
    for _attempt in range(LIMIT):
        login(email, "wrong-password-1")
    assert not login(email, PASSWORD)[1]
    cache.clear()
    assert login(email, PASSWORD)[1]


def test_the_admin_login_is_allauths_login(w):
    """The admin has no password form of its own (config/urls.py: secure_admin_login), so the limit above is the
    only way in."""
    response = Client().get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Behind the TLS proxy (issue 14 §2.3): every request comes from the proxy's address ---------------------------

PROXY = "10.0.0.2"


def login_behind_proxy(email: str, password: str, client_ip: str, forwarded: str = ""):
    """A login as the proxy passes it on: from the proxy's address, the client's appended to X-Forwarded-For
    (nginx: $proxy_add_x_forwarded_for; ``forwarded``: what the client itself sent in that header)."""
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=", ".join(filter(None, [forwarded, client_ip])))
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response, "_auth_user_id" in client.session


@pytest.fixture
def one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def test_failures_of_one_client_behind_the_proxy_do_not_lock_out_another(w, one_proxy):
    for attempt in range(LIMIT):  # password spraying from client A: five accounts, one wrong password each
        login_behind_proxy(f"nobody{attempt}@example.org", "wrong-password-1", client_ip="192.0.2.7")
    assert not login_behind_proxy(w.user("member").email, PASSWORD, client_ip="192.0.2.7")[1]  # A: blocked
    assert login_behind_proxy(w.user("member").email, PASSWORD, client_ip="198.51.100.8")[1]  # B: signs in


def test_a_client_cannot_escape_its_limit_by_sending_its_own_forwarded_header(w, one_proxy):
    for attempt in range(LIMIT):
        login_behind_proxy(
            f"nobody{attempt}@example.org", "wrong-password-1", "192.0.2.7", forwarded=f"1.2.3.{attempt}"
        )
    _response, signed_in = login_behind_proxy(w.user("member").email, PASSWORD, "192.0.2.7", forwarded="1.2.3.99")
    assert not signed_in


def test_without_the_proxy_setting_everyone_behind_the_proxy_shares_one_limit(w):
    """The control (the finding): counted by the proxy's address, one client's failures lock out the other."""
    for attempt in range(LIMIT):
        login_behind_proxy(f"nobody{attempt}@example.org", "wrong-password-1", client_ip="192.0.2.7")
    assert not login_behind_proxy(w.user("member").email, PASSWORD, client_ip="198.51.100.8")[1]


def test_a_header_the_proxy_sets_to_the_client_address(w, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    for attempt in range(LIMIT):
        Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="192.0.2.7").post(
            reverse("account_login"), {"login": f"nobody{attempt}@example.org", "password": "wrong-password-1"}
        )
    blocked = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="192.0.2.7")
    blocked.post(reverse("account_login"), {"login": w.user("member").email, "password": PASSWORD})
    other = Client(REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="198.51.100.8")
    other.post(reverse("account_login"), {"login": w.user("member").email, "password": PASSWORD})
    assert "_auth_user_id" not in blocked.session and "_auth_user_id" in other.session


def test_fewer_forwarded_entries_than_proxies_count_under_the_connecting_address(w, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response, signed_in = login_behind_proxy(w.user("member").email, PASSWORD, client_ip="192.0.2.7")
    assert response.status_code == 302 and signed_in  # not allauth's 500


def test_production_trusts_one_proxy_by_default():
    """README, Production: gunicorn runs behind one TLS proxy; TRUSTED_PROXY_COUNT changes it."""
    env = {**os.environ, "DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.pop("TRUSTED_PROXY_COUNT", None)
    run = [sys.executable, "-c", "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"]

    def count() -> str:
        done = subprocess.run(run, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    assert count() == "1"
    env["TRUSTED_PROXY_COUNT"] = "2"
    assert count() == "2"
