"""The portal's own middleware: staff count as staff only after using their second factor in this session
(networks.staff); the headers that keep personal pages out of caches and browser features off; a query string
with too many parameters is a 400 everywhere."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import TooManyFieldsSent
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from networks import staff

# Reachable while the second factor is pending: setting it up or entering it (allauth's two-factor pages, passkeys
# among them, the password confirmation the setup asks first), leaving, and the language switch.
OPEN_VIEWS = {"account_logout", "account_reauthenticate", "set_language", "healthz"}


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not staff.second_factor_pending(request):
            return None
        staff.withhold(request.user)
        view_name = request.resolver_match.view_name
        if view_name in OPEN_VIEWS or view_name.startswith("mfa_"):
            return None
        url = staff.second_factor_url(request.user)
        if url is None:
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. Please set up an authenticator app or add a "
                    "passkey first."
                ),
            )
            return redirect("mfa_activate_totp")  # the page offers the passkey as well
        messages.warning(
            request, _("Please confirm with your authenticator app or your passkey to use your staff rights.")
        )
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return redirect(f"{url}?{query}")


class QueryFieldsLimitMiddleware:
    """More query parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS: 400 on every page, with and without DEBUG.

    Django refuses them only where something reads ``request.GET`` (other pages answered 200), and with DEBUG its
    error page reads ``request.GET`` again and fails, a 500. Parsing the query string here (Django's own parser
    and limit; the result is kept for the view) answers before any of that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.GET  # noqa: B018 - parsed here once, kept on the request
        except TooManyFieldsSent as error:
            logging.getLogger("django.security.TooManyFieldsSent").warning("%s: %s", request.path, error)
            return bad_request(request, error)
        return self.get_response(request)


# Pages with personal data or secrets: no copy in a shared cache or on the browser's disk. The data export, the
# calendar page (the secret address of the personal feed), the member directory, the coordination's lists of people
# and of an event's participants, the two-factor setup (its secret) and the recovery codes. Downloads of member
# lists set it themselves (networks.views._download).
NO_STORE_VIEWS = {
    "networks:profile-export",
    "events:my-calendar",
    "networks:member-list",
    "networks:people-manage",  # the coordination's list: every person's address
    "events:participant-list",  # names and addresses of the registered
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
}


class SecurityHeadersMiddleware:
    """Permissions-Policy on every answer; ``Cache-Control: private, no-store`` on the pages of NO_STORE_VIEWS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        match = request.resolver_match
        if match is not None and match.view_name in NO_STORE_VIEWS:
            response["Cache-Control"] = "private, no-store"
        return response
