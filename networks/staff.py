"""Staff powers: the one rule for when a staff account counts as staff (issue 14 §2.2).

Staff see and manage every network and organisation (member exports, moderation queues, monitoring) and reach
the admin. While KLIMANETZ_STAFF_MFA_REQUIRED is on, those powers count only in a session that has used the
account's second factor: allauth records every authentication step of the session (``get_authentication_records``),
an ``mfa`` record is the code entered at login, at a re-authentication or when the authenticator was set up in
this session, or a passkey used the same ways or to sign in without the password (issue 19 §5: a passkey may stand
in for the app). Until then networks.middleware.StaffMFAMiddleware marks the request's user as without staff powers
(``withhold``) and sends every page but the two-factor pages and the logout to set it up or to enter it.

Every check of staff rights asks ``has_staff_powers``; a user object not marked by the middleware (shell, tasks,
emails to other accounts) has its stored flag.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

WITHHELD = "staff_powers_withheld"  # set on the request's user by the middleware


def has_staff_powers(user) -> bool:
    """An active staff account whose session, if any, has used its second factor."""
    return bool(user.is_authenticated and user.is_active and user.is_staff and not getattr(user, WITHHELD, False))


def second_factor_pending(request: HttpRequest) -> bool:
    """A staff account signed in without using its second factor in this session (no query: the session only)."""
    from allauth.account.authentication import get_authentication_records

    user = request.user
    if not (settings.KLIMANETZ_STAFF_MFA_REQUIRED and user.is_authenticated and (user.is_staff or user.is_superuser)):
        return False
    return not any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def withhold(user) -> None:
    setattr(user, WITHHELD, True)


def second_factor_url(user) -> str | None:
    """Where a staff account uses its second factor: the app's code where it has an app (that page offers its passkeys
    as well), its passkey where it has only passkeys; None without either (it has to set one up first)."""
    from allauth.mfa.models import Authenticator
    from django.urls import reverse

    types = set(
        Authenticator.objects.filter(
            user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).values_list("type", flat=True)
    )
    if Authenticator.Type.TOTP in types:
        return reverse("mfa_reauthenticate")
    if Authenticator.Type.WEBAUTHN in types:
        return reverse("mfa_reauthenticate_webauthn")
    return None


def record_setup(sender, request: HttpRequest, user, authenticator, **kwargs) -> None:
    """A TOTP device set up in this session was set up with a code from it, a passkey added in this session was
    touched (and, where it can, asked for its PIN or fingerprint) to make the credential: the second factor is used."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is not None and authenticator.type in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN):
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, setup=True)


def forget_removed(sender, request: HttpRequest, user, authenticator, **kwargs) -> None:
    """The last authenticator removed: the session no longer counts as having used a second factor."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY, get_authentication_records
    from allauth.mfa.utils import is_mfa_enabled

    if request is None or is_mfa_enabled(user):
        return
    records = [r for r in get_authentication_records(request, user) if r.get("method") != "mfa"]
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


def connect() -> None:
    from allauth.mfa import signals

    signals.authenticator_added.connect(record_setup, dispatch_uid="networks-staff-mfa-added")
    signals.authenticator_removed.connect(forget_removed, dispatch_uid="networks-staff-mfa-removed")
