"""Staff powers need the second factor used in this session (issue 14 §2.2, networks.staff).

A staff account signed in without its second factor is sent to set it up (no authenticator yet) or to enter its
code (set up, not used in this session) from every page, and acts as a non-staff account where it is let through
(the two-factor pages): not one network's member export, moderation queue or organisation's monitoring of
another. The cached access decision (networks.cache.remembered) is kept apart for the two states.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse

from networks import access
from networks.staff import has_staff_powers, withhold
from tests.helpers import login_with_second_factor
from tests.networks.factories import PASSWORD

# Pages only staff reach among the world's personas: another network's member export, the moderation queue of
# a roadmap and the monitoring of an organisation the staff account has no role in.
STAFF_PAGES = [
    ("networks:member-export-csv", lambda w: [w.other.slug]),
    ("measures:moderation", lambda w: [w.roadmap_b.slug]),
    ("monitoring:organisation", lambda w: [w.org_b.slug]),
]


def code(secret: str, offset: int = 0) -> str:
    """The authenticator app's code now (``offset``: the next 30-second window, a code not used yet)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def login_with_password_only(client, user) -> None:
    """Signed in with the password, as allauth records it, without the second factor."""
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session, request.user = client.session, user
    record_authentication(request, user, "password", email=user.email)
    request.session.save()


@pytest.fixture
def staff(w):
    return w.user("staff")


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES, ids=[n for n, _a in STAFF_PAGES])
def test_staff_after_the_second_factor_reach_the_page(w, name, args):
    client = Client()
    w.login(client, "staff")
    assert client.get(reverse(name, args=args(w))).status_code == 200


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES, ids=[n for n, _a in STAFF_PAGES])
def test_staff_without_a_second_factor_are_sent_to_set_it_up(w, staff, name, args):
    client = Client()
    login_with_password_only(client, staff)
    response = client.get(reverse(name, args=args(w)))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES, ids=[n for n, _a in STAFF_PAGES])
def test_staff_with_a_second_factor_not_used_in_this_session_are_asked_for_the_code(w, staff, name, args):
    TOTP.activate(staff, generate_totp_secret())
    client = Client()
    login_with_password_only(client, staff)
    url = reverse(name, args=args(w))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?{urlencode({'next': url})}"


def test_the_code_entered_gives_the_staff_powers_back(w, staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    client = Client()
    login_with_password_only(client, staff)
    url = reverse("networks:member-export-csv", args=[w.other.slug])
    asked = client.get(url)["Location"]
    wrong = client.post(asked, {"code": "123456" if code(secret) != "123456" else "654321"})
    assert wrong.status_code == 200 and client.get(url).status_code == 302
    response = client.post(asked, {"code": code(secret)})
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200


def test_removing_the_second_factor_ends_the_staff_powers_of_the_session(w, staff, django_capture_on_commit_callbacks):
    TOTP.activate(staff, generate_totp_secret())
    client = Client()
    login_with_second_factor(client, staff)
    url = reverse("monitoring:organisation", args=[w.org_b.slug])
    assert client.get(url).status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302 and not Authenticator.objects.filter(user=staff).exists()
    assert client.get(url)["Location"] == reverse("mfa_activate_totp")


def test_a_pending_session_acts_as_a_non_staff_account_where_it_is_let_through(w, staff):
    client = Client()
    login_with_password_only(client, staff)
    response = client.get(reverse("mfa_index"))  # open: where the second factor is set up
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert user.is_staff and not has_staff_powers(user)
    with pytest.raises(PermissionDenied):
        access.access_network_manage(user, w.other.slug)
    assert not access.is_editor(user, w.org_b)


def test_other_accounts_are_not_held_up(w):
    """The control: the rule is for staff; the others reach their pages with a plain login."""
    client = Client()
    client.force_login(w.user("coordinator"))
    assert client.get(reverse("networks:member-export-csv", args=[w.network.slug])).status_code == 200


def test_logout_is_open_while_the_second_factor_is_pending(w, staff):
    client = Client()
    login_with_password_only(client, staff)
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_remembered_access_is_kept_apart_for_a_pending_session(w, staff, settings):
    """networks.cache.remembered keeps the access to a network for a minute: the answer given to the staff
    session that used its second factor is not the one a pending session of the same account reads."""
    settings.PUBLIC_PAGE_CACHE = True
    w.other.is_public = False
    w.other.save(update_fields=["is_public"])
    assert access.access_network_internal(staff, w.other.slug, remembered=True) == w.other
    pending = type(staff).objects.get(pk=staff.pk)
    withhold(pending)
    with pytest.raises(Http404):
        access.access_network_internal(pending, w.other.slug, remembered=True)
