"""The authentication backends, each reading the signed-in account through the cache.

Django asks the backend for the session's user on every request (one query). ``get_user`` keeps the answer
in the cache under the account's version (networks.cache.remembered, scope ``user:<pk>``, which every save
of the account bumps except one of only ``last_login``): a logged-in request reads its user with one cache
read. Django still compares the session's hash with the password hash of the user returned, so a changed
password logs other sessions out as before; an account deactivated is no longer returned once the bump is
read (at most CHECK_SECONDS later when the bump was lost while the cache was unreachable).
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from networks import cache, citizens


class CachedUser:
    def get_user(self, user_id):
        key = f"{cache.PREFIX}:account:{user_id}"
        return cache.remembered(key, [f"user:{user_id}"], lambda: self._load(user_id))

    def _load(self, user_id):
        user = super().get_user(user_id)
        if user is not None:  # asked on every page (the header): kept in the cache with the account
            citizens.is_citizen(user)
        return user


class ModelBackend(CachedUser, DjangoModelBackend):
    """Django's backend (username or email and password, as the admin and force_login use it)."""


class AuthenticationBackend(CachedUser, AllauthBackend):
    """allauth's backend (login by email, by code, after sign-up)."""
