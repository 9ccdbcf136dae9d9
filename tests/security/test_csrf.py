"""CSRF on every state change: each view of the matrix that takes a POST refuses one without the token, for every
persona, and writes nothing. With the token the same POSTs pass (the matrix sends them through Django's test
client, which skips the check), so the refusal here is the CSRF middleware's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.conftest import PERSONAS, NoWrites
from tests.security.test_url_matrix import TABLE, Row

POSTS = [row for row in TABLE if row.post is not None and not row.name.startswith("api:")]
# The API (api/) authenticates by bearer token only and never by the session cookie, so a browser's session cannot
# be used against it across sites: its check is that a signed-in session without a token is refused and writes
# nothing (401 for a POST operation, 405 where the operation takes PUT).
API_WRITES = [row for row in TABLE if row.post is not None and row.name.startswith("api:")]


def test_the_matrix_posts_to_every_view_that_takes_a_post():
    assert len({row.name for row in POSTS}) >= 60


@pytest.mark.parametrize("row", POSTS, ids=[f"{i:03d}-{row.name}" for i, row in enumerate(POSTS)])
def test_post_without_csrf_token_is_refused(w, row: Row):
    url = row.url(w)
    answers = {}
    for persona in PERSONAS:
        with w.sessions.client(persona, enforce_csrf_checks=True) as client, NoWrites():
            answers[persona] = client.post(url, {"title": "x", "text": "x", "status": "done"}).status_code
    assert answers == dict.fromkeys(PERSONAS, 403), f"POST {url} without CSRF token: {answers}"


@pytest.mark.parametrize("row", API_WRITES, ids=[row.name for row in API_WRITES])
def test_api_writes_ignore_the_session_cookie(w, row: Row):
    url = row.url(w)
    answers = {}
    for persona in PERSONAS:
        with w.sessions.client(persona, enforce_csrf_checks=True) as client, NoWrites():
            answers[persona] = {
                method: getattr(client, method)(url, '{"status": "done"}', content_type="application/json").status_code
                for method in ("post", "put", "patch")
            }
    assert all(set(codes.values()) <= {401, 405} for codes in answers.values()), f"{url}: {answers}"
    assert any(401 in codes.values() for codes in answers.values()), f"{url}: no method asked for a token: {answers}"


def test_api_writes_are_in_the_matrix():
    assert len(API_WRITES) >= 5


def test_post_with_the_token_passes_the_check(w):
    """The control: the same client with the token from the form gets through (here: a profile save)."""
    client = Client(enforce_csrf_checks=True)
    w.login(client, "citizen")
    page = client.get(reverse("networks:mail-settings"))
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    response = client.post(reverse("networks:mail-settings"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password", "admin:login"])
def test_account_and_admin_forms_need_the_token(w, name):
    client = Client(enforce_csrf_checks=True)
    with NoWrites():
        response = client.post(reverse(name), {"login": w.user("member").email, "password": "x", "email": "a@b.de"})
    assert response.status_code == 403


def test_logout_needs_the_token(w):
    client = Client(enforce_csrf_checks=True)
    w.login(client, "member")
    assert client.post(reverse("account_logout")).status_code == 403
    assert client.get(reverse("networks:dashboard")).status_code == 200  # still signed in
