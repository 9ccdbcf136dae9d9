"""The menu's "Administration" follows the one staff rule (networks.staff.has_staff_powers): a staff session that
has not used its second factor does not see it, on the two-factor pages it is let through to."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.security.test_staff_mfa import login_with_password_only

pytestmark = pytest.mark.django_db

ADMIN_LINK = 'href="/admin/"'


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True  # as in production


def test_staff_after_the_second_factor_see_the_administration(client, personas):
    personas.login(client, "staff")
    page = client.get(reverse("networks:home")).content.decode()
    assert reverse("admin:index") == "/admin/" and ADMIN_LINK in page


def test_staff_without_an_authenticator_do_not_see_it_on_the_setup_page(client, personas):
    login_with_password_only(client, personas.user("staff"))
    response = client.get(reverse("networks:home"), follow=True)  # sent to set it up (allauth asks to confirm first)
    assert response.redirect_chain and response.status_code == 200
    assert ADMIN_LINK not in response.content.decode()


def test_staff_who_have_not_entered_the_code_do_not_see_it(client, personas):
    staff = personas.user("staff")
    TOTP.activate(staff, generate_totp_secret())
    assert Authenticator.objects.filter(user=staff).exists()
    login_with_password_only(client, staff)
    response = client.get(reverse("mfa_reauthenticate"))
    assert response.status_code == 200 and ADMIN_LINK not in response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "citizen", "member", "coordinator", "editor"])
def test_nobody_else_sees_it(client, personas, persona):
    personas.login(client, persona)
    assert ADMIN_LINK not in client.get(reverse("networks:home")).content.decode()
