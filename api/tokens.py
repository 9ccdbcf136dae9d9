"""Writes and the one check of personal API tokens.

A token is ``kn_`` and 43 random URL-safe characters (256 bits). It is shown once, when it is created; the
database keeps its first characters (to tell tokens apart on the profile page) and an HMAC-SHA256 of it keyed
with the secret key: a stolen database alone does not give working tokens, and a fast hash is enough for a
random secret this long (there is nothing to guess by trying). The last use is written at most once a minute
per token (a conditional UPDATE), so a busy client does not write on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from api.models import ApiToken

TOKEN_PREFIX = "kn_"  # noqa: S105 (the start of every token, not a secret)
LAST_USE_EVERY = timedelta(seconds=60)
MAX_TOKENS = 20  # per account


def digest_of(raw: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"api-token:" + raw.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def token_create(*, user, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token and its secret (the only time it is seen)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), scope=scope, prefix=raw[:8], digest=digest_of(raw))
    token.full_clean()
    token.save()
    return token, raw


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoked at once and for good (safe to repeat)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def token_check(raw: str) -> ApiToken | None:
    """The active token with this secret, with its user (one query), its last use recorded; None otherwise."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.active().select_related("user").filter(digest=digest_of(raw)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USE_EVERY:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USE_EVERY)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token
