"""Robustness of the edges (issue 14 §3): a query string with too many parameters, the mail program's one-click
unsubscribe (RFC 8058)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from networks import mail
from networks.models import MailOptOut

# --- More query parameters than Django's limit ----------------------------------------------------------------

TOO_MANY = "&".join(f"p{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
PAGES = ["/", "/netzwerke/", "/konto/login/", "/en/konto/login/", "/netzwerke/ktt/mitglieder/"]


@pytest.mark.parametrize("debug", [False, True], ids=["production", "development"])
@pytest.mark.parametrize("path", PAGES)
def test_too_many_query_parameters_are_a_400_in_both_modes(w, settings, debug, path):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    w.login(client, "member")
    response = client.get(f"{path}?{TOO_MANY}")
    assert response.status_code == 400, getattr(response, "exc_info", None)
    assert "Ungültige Anfrage" in response.content.decode()  # templates/400.html, not the debug page
    assert response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"


def test_a_form_without_its_csrf_cookie_gets_the_portals_own_page(w):
    """Django's own page was English markup around German text ("Sie sehen Diese Nachricht")."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/konto/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="de">' in page and "Das Formular wurde nicht gesendet" in page and "Zurück-Taste" in page
    assert "CSRF" not in page


def test_as_many_query_parameters_as_the_limit_are_served(w):
    """The control: up to the limit the page answers as usual."""
    limit = "&".join(f"p{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS))
    assert Client().get(f"/konto/login/?{limit}").status_code == 200


# --- One-click unsubscribe (RFC 8058) ----------------------------------------------------------------------------


@pytest.fixture
def unsubscribe_path(w):
    url = mail.unsubscribe_url(w.people["member"], "event_minutes", "de")
    return url[len(settings.SITE_URL) :]


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_the_mail_programs_post_gets_a_plain_200_without_redirect_or_cookie(w, unsubscribe_path, encoding):
    client = Client(enforce_csrf_checks=True)  # the mail program: no cookie, no token
    if encoding == "urlencoded":
        body = "List-Unsubscribe=One-Click"
        response = client.post(unsubscribe_path, body, content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Location" not in response
    assert not response.cookies, list(response.cookies)  # no session, CSRF, messages or language cookie
    assert response["Content-Type"].startswith("text/plain")
    off = MailOptOut.objects.filter(person=w.people["member"]).values_list("kind", flat=True)
    assert list(off) == ["event_minutes"]
    again = client.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})  # sent twice: the same answer
    assert again.status_code == 200 and not again.cookies and MailOptOut.objects.count() == 1


def test_the_pages_button_still_returns_to_the_page_with_a_message(w, unsubscribe_path):
    client = Client(enforce_csrf_checks=True)
    response = client.post(unsubscribe_path)
    assert response.status_code == 302 and response["Location"] == unsubscribe_path
    assert MailOptOut.objects.filter(person=w.people["member"], kind="event_minutes").exists()
