"""Staff count as staff only after using their second factor in this session (networks.staff)."""

from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from networks import staff

# Reachable while the second factor is pending: setting it up or entering it (allauth's two-factor pages, the
# password confirmation the setup asks first), leaving, and the language switch.
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
        if not is_mfa_enabled(request.user):
            messages.warning(request, _("Staff accounts must use two-factor authentication. Please set it up first."))
            return redirect("mfa_activate_totp")
        messages.warning(request, _("Please confirm with the code of your authenticator app to use your staff rights."))
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
