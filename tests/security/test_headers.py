"""Security headers, CSP and cookies with the production settings (DEBUG=false).

settings.py reads the environment only at import, so a fresh process imports it with the production
environment of tests/test_deploy_check.py and reports the security settings; the requests here then run with
exactly those values.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.networks.factories import PASSWORD
from tests.test_deploy_check import production_env

SECURITY_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_DOMAIN",
    "CSRF_COOKIE_PATH",
    "CONTENT_SECURITY_POLICY",
]
HOST = "klimanetz.example"
HTTPS = {"secure": True, "headers": {"host": HOST}}


@pytest.fixture(scope="module")
def production():
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {SECURITY_SETTINGS!r}}}, default=list))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=production_env(ALLOWED_HOSTS=HOST),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def prod(production, settings):
    for name, value in production.items():
        setattr(settings, name, value)
    return production


def test_production_settings_as_issue_6_asks(production):
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"]
    # __Host- cookies must have no Domain and the path /
    assert production["SESSION_COOKIE_DOMAIN"] is None and production["CSRF_COOKIE_DOMAIN"] is None
    assert production["SESSION_COOKIE_PATH"] == "/" and production["CSRF_COOKIE_PATH"] == "/"
    assert production["SECURE_HSTS_SECONDS"] >= 31536000


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("name", ["networks:home", "measures:roadmap-list", "events:event-list", "account_login"])
def test_security_headers_on_pages(w, prod, name):
    response = Client().get(reverse(name), **HTTPS)
    assert response.status_code == 200
    csp = _csp(response)
    for directive in ("script-src", "style-src"):
        assert csp[directive] == ["'self'"], response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize("name", ["embeds:progress", "embeds:measure", "embeds:indicator"])
def test_embeds_are_the_one_exception_framed_only_by_the_listed_websites(w, prod, name):
    """Everywhere else DENY (above); the embeds (issue 18 §4) say the same until the roadmap's editors list a
    website, then frame-ancestors names exactly it and X-Frame-Options (which cannot name one) is left out."""
    from monitoring.embeds.services import embed_origins_set

    args = {"embeds:progress": [], "embeds:measure": [w.measure.slug], "embeds:indicator": [w.indicator.pk]}[name]
    url = reverse(name, args=[w.roadmap.slug, *args])
    response = Client().get(url, **HTTPS)
    assert _csp(response)["frame-ancestors"] == ["'none'"] and response["X-Frame-Options"] == "DENY"
    embed_origins_set(roadmap=w.roadmap, origins=["https://www.kreis-dueren.de"], by=w.user("editor"))
    response = Client().get(url, **HTTPS)
    csp = _csp(response)
    assert csp["frame-ancestors"] == ["https://www.kreis-dueren.de"] and "X-Frame-Options" not in response
    assert csp["script-src"] == ["'self'"] and csp["default-src"] == ["'self'"]
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert Client().get(reverse("measures:roadmap", args=[w.roadmap.slug]), **HTTPS)["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https(w, prod):
    response = Client().get(reverse("networks:home"), headers={"host": HOST})
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/"


def test_https_behind_the_proxy_is_recognised(w, prod):
    response = Client().get(reverse("networks:home"), headers={"host": HOST, "x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_session_and_csrf_cookies_after_a_real_login(w, prod):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("account_login"), **HTTPS)
    csrf = page.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"
    response = client.post(
        reverse("account_login"),
        {"login": w.user("member").email, "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
        secure=True,
        headers={"host": HOST, "referer": f"https://{HOST}/konto/login/"},  # HTTPS: Django checks the Referer
    )
    assert response.status_code == 302, response.content[:500]
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["path"] == "/" and not session["domain"]
    assert session["samesite"] == "Lax"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert client.get(reverse("networks:dashboard"), **HTTPS).status_code == 200


def test_error_pages_carry_the_headers_too(w, prod):
    response = Client().get("/gibt-es-nicht/", **HTTPS)
    assert response.status_code == 404
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" in response


def test_downloads_are_not_sniffed(w, prod):
    """Files users uploaded go out with nosniff and as attachment unless they are safe to show inline."""
    url = reverse("events:document-download", args=[w.network.slug, w.event_public.pk, w.document.pk])
    response = Client().get(url, **HTTPS)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
