"""Who calls: a personal API token in ``Authorization: Bearer <token>`` (api.tokens), never the session.

The token's account becomes ``request.user`` as well, so the history that simple_history records for a write
names the token's person, as on the pages. Staff accounts get no staff powers through a token: those need the
second factor of a session (networks.staff); their tokens act as their person's roles.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from api.tokens import token_check
from networks import staff


class TokenAuth(HttpBearer):
    """A valid token is required (401 otherwise)."""

    def authenticate(self, request, token: str):
        found = token_check(token)
        if found is None:
            return None
        staff.withhold(found.user)
        request.user = found.user
        request.api_token = found
        return found.user


class OptionalTokenAuth(TokenAuth):
    """Without an Authorization header: anonymous; with one, it must be a valid token (401 otherwise)."""

    def __call__(self, request):
        if not request.headers.get("Authorization"):
            request.api_token = None
            return AnonymousUser()
        user = super().__call__(request)
        if user is None:
            raise AuthenticationError
        return user


REQUIRED = TokenAuth()
OPTIONAL = OptionalTokenAuth()


def require_write(request) -> None:
    """Writes need a token with the write scope (403 for a read-only one)."""
    token = getattr(request, "api_token", None)
    if token is None or not token.can_write:
        raise HttpError(403, _("This token may only read."))
