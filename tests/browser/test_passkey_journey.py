"""Passkeys in a real Chromium (issue 19 §5), with Chromium's virtual authenticator (DevTools protocol, WebAuthn domain:
CTAP2, built in, resident keys, user verification that succeeds, like a laptop's fingerprint reader).

A staff account signs in with its password and is sent to set up its second factor; instead of the app it adds a
passkey ("Passkey hinzufügen") and has its staff rights at once (the admin). It signs out, signs in with the
passkey alone ("Mit einem Passkey anmelden": no address, no password) and reaches the admin again: the passkey
stands in for the password and the authenticator app. WebAuthn needs a secure context and a host name as RP ID: the
live server is http://localhost (pytest-django's default; an IP address is no valid RP ID). No page loads anything
from another host, logs a console error (allauth's WebAuthn scripts run from static files, configured by a JSON
block: the CSP allows no inline script) or shows English on a German page; axe finds nothing on the passkey pages."""

from urllib.parse import urlsplit

import pytest
from django.db import connections

from tests.browser.helpers import assert_clean, log_out, submit
from tests.browser.test_accessibility import AXE, RULES
from tests.networks.factories import PASSWORD

pytestmark = pytest.mark.browser

STAFF = "betrieb@example.org"


def virtual_authenticator(page) -> tuple[object, str]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    return cdp, cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA findings on the page as it is (tests/browser/test_accessibility.py's rules)."""
    page.evaluate(AXE)
    return page.evaluate(
        """async (rules) => (await axe.run(document, {runOnly: {type: "tag", values: rules}})).violations
            .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)""",
        RULES,
    )


def test_staff_add_a_passkey_and_sign_in_with_it_alone(transactional_db, browsing):
    from allauth.mfa.models import Authenticator

    from tests.networks.factories import PersonFactory

    staff = PersonFactory(name="Betrieb", user__email=STAFF, user__is_staff=True, user__is_superuser=True).user
    assert urlsplit(browsing.base_url).hostname == "localhost"
    page = browsing.page
    try:
        cdp, authenticator_id = virtual_authenticator(page)
        page.goto(browsing.url("/konto/login/"))  # typed, as the staff's bookmark (the home page: other journeys)
        form = page.locator("form", has=page.locator("input[name=login]"))
        form.locator("input[name=login]").fill(STAFF)
        form.locator("input[name=password]").fill(PASSWORD)
        submit(page, form.locator("button[type=submit]"))
        # Staff without a second factor: to its setup, the password confirmed again first (allauth).
        page.wait_for_url("**/konto/reauthenticate/**")
        page.locator("input[name=password]").fill(PASSWORD)
        submit(page, page.locator("main form button[type=submit]").first)
        page.wait_for_url("**/konto/2fa/totp/activate/")
        page.get_by_role("link", name="Passkey hinzufügen").click()
        page.wait_for_url("**/konto/2fa/webauthn/add/")
        assert axe_violations(page) == []
        page.get_by_label("Name des Passkeys").fill("Laptop")
        assert page.get_by_label("Mit diesem Passkey auch allein anmelden, ohne Passwort").is_checked()
        submit(page, page.get_by_role("button", name="Passkey erstellen"))
        page.wait_for_url("**/konto/2fa/recovery-codes/")
        key = Authenticator.objects.get(user=staff, type=Authenticator.Type.WEBAUTHN)
        assert key.wrap().name == "Laptop" and key.wrap().is_passwordless
        credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
        assert (
            len(credentials) == 1 and credentials[0]["isResidentCredential"] and credentials[0]["rpId"] == "localhost"
        )

        # The passkey added in this session is its second factor: the staff rights at once.
        page.locator("header").get_by_role("link", name="Administration").click()
        page.wait_for_url("**/admin/")
        assert page.locator("#site-name").inner_text() == "Klimanetz-Administration"
        page.goto(browsing.url("/konto/2fa/webauthn/"))  # the account's passkeys: name, added, last used
        assert page.locator("table.passkey-table tbody th").all_inner_texts() == ["Laptop"]
        assert axe_violations(page) == []
        log_out(browsing)

        # Back, with the passkey alone: no address, no password, no code.
        page.locator("header").get_by_role("link", name="Anmelden", exact=True).click()
        page.wait_for_url("**/konto/login/**")
        submit(page, page.get_by_role("button", name="Mit einem Passkey anmelden"))
        assert page.get_by_role("button", name="Abmelden", exact=True).is_visible()
        page.locator("header").get_by_role("link", name="Administration").click()
        page.wait_for_url("**/admin/")
        assert page.locator("#site-name").inner_text() == "Klimanetz-Administration"
        key.refresh_from_db()
        assert key.last_used_at is not None
        assert_clean(browsing)
    finally:
        connections.close_all()
