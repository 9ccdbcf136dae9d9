"""Staff must use two-factor authentication before they reach the admin."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.KLIMANETZ_STAFF_MFA_REQUIRED
            and user.is_authenticated
            and user.is_staff
            and request.path_info.startswith(reverse("admin:index"))  # /admin/ or /en/admin/, as activated
            and not is_mfa_enabled(user)
        ):
            messages.warning(request, _("Staff accounts must use two-factor authentication. Please set it up first."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
