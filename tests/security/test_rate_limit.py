"""Login rate limiting really blocks: after the allowed number of wrong passwords even the right one is refused,
for the account (from any address) and for the address (with any account), until the window has passed.

The limits are allauth's ACCOUNT_RATE_LIMITS in the default cache (Redis in production); the suite's conftest
clears the cache around every test.
"""

from __future__ import annotations

import time

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
