"""Token lifecycle: created on the profile page and shown once, stored only as a keyed digest, last use recorded
(at most once a minute), revoked → 401; staff get no staff powers through a token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.tokens import digest_of, token_check
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db


def test_created_on_the_profile_page_shown_once_and_hashed(world):
    client = Client()
    client.force_login(world.person("editor").user)
    url = reverse("apitokens:token-list")
    created = client.post(url, {"name": "Website", "scope": "write"})
    assert created.status_code == 302 and created["Location"] == url  # post, redirect, get: a reload adds none
    response = client.get(url)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret.startswith("kn_") and len(secret) > 40 and secret in response.content.decode()
    token = ApiToken.objects.get(name="Website")
    assert token.digest == digest_of(secret) and secret not in (token.digest, token.prefix)
    assert secret[:8] == token.prefix
    again = client.get(url)
    assert secret not in again.content.decode() and token.prefix in again.content.decode()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/me/").json()["token"] == "Website"


def test_form_errors_and_other_peoples_tokens(world):
    client = Client()
    client.force_login(world.person("editor").user)
    assert client.post(reverse("apitokens:token-list"), {"name": "", "scope": "admin"}).status_code == 400
    other = ApiToken.objects.create(user=world.person("member").user, name="x", prefix="kn_x", digest="d" * 64)
    assert client.post(reverse("apitokens:token-revoke", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_revoked_token_is_401_at_once(world):
    client = Client()
    client.force_login(world.person("editor").user)
    client.post(reverse("apitokens:token-list"), {"name": "Kurz", "scope": "read"})
    secret = client.get(reverse("apitokens:token-list")).context["secret"]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me/").status_code == 200
    token = ApiToken.objects.get(name="Kurz")
    response = client.post(reverse("apitokens:token-revoke", args=[token.pk]))
    assert response.status_code == 302 and "Kurz" in messages_of(response)[0]
    assert api.get("/api/v1/me/").status_code == 401
    assert api.get("/api/v1/roadmaps/").status_code == 401  # a bad token is never read as anonymous
    assert Client(HTTP_AUTHORIZATION="Bearer kn_falsch").get("/api/v1/roadmaps/").status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(world, django_assert_num_queries):
    client = world.client("editor", scope="read")
    token = ApiToken.objects.get(user=world.person("editor").user)
    assert token.last_used_at is None
    client.get("/api/v1/me/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    raw = client.defaults["HTTP_AUTHORIZATION"].split()[1]
    with django_assert_num_queries(1):  # the token and its user; no UPDATE within the minute
        token_check(raw)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    with django_assert_num_queries(2):  # and the UPDATE of the last use
        token_check(raw)


def test_staff_token_has_no_staff_powers(world):
    client = world.client("staff")
    url = f"/api/v1/roadmaps/{world.roadmap.slug}/measures/{world.measure.slug}/status/"
    response = client.put(url, data='{"status": "completed"}', content_type="application/json")
    assert response.status_code == 403  # staff powers need the second factor of a session


def test_operators_see_and_revoke_tokens_in_the_admin(world):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.helpers import login_with_second_factor

    staff = world.person("staff").user
    TOTP.activate(staff, generate_totp_secret())
    admin = Client()
    login_with_second_factor(admin, staff)
    client = world.client("editor", scope="read")
    token = ApiToken.objects.get(user=world.person("editor").user)
    url = reverse("admin:api_apitoken_changelist")
    page = admin.get(url, {"q": token.prefix})
    assert page.status_code == 200 and token.prefix in page.content.decode()
    assert token.digest not in page.content.decode()
    answer = admin.post(url, {"action": "revoke", "_selected_action": [token.pk]})
    assert answer.status_code == 302
    assert client.get("/api/v1/me/").status_code == 401
