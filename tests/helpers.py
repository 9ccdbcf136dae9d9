"""Assertions and helpers several test modules share."""

from contextlib import contextmanager

from allauth.account.internal.flows.login import record_authentication
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import gettext


def assert_flat(client, url, grow, django_assert_num_queries, expected, *, sizes=(2, 10)):
    """The page at ``url`` runs ``expected`` queries at two sizes of data (``grow(n)`` adds n more rows)."""
    for size in sizes:
        grow(size)
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


def de(message: str, **values) -> str:
    """The German interface text (English until the translation is compiled, like the page)."""
    with translation.override("de"):
        text = gettext(message)
    return text % values if values else text


def messages_of(response) -> list[str]:
    """The django.contrib.messages a response left for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def login_with_second_factor(client, user) -> None:
    """Sign ``user`` in as allauth does after the password and the authenticator app's code: the session
    records both steps, so a staff account has its staff powers (networks.staff)."""
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session, request.user = client.session, user
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


def login_persona(client, name: str, user) -> None:
    """Sign in the persona ``name`` as ``user``: nobody for "anonymous", staff with the second factor (staff powers
    need it), everyone else with force_login."""
    if name == "staff":
        login_with_second_factor(client, user)
    elif name != "anonymous":
        client.force_login(user)


class PersonaSessions:
    """One signed-in session per persona, made once inside data built once for a module (its rows are the
    module's), for tests that send thousands of requests as the personas (the URL matrix, the form fuzzer).

    ``use(client, name)`` signs ``client`` in by the session's cookie instead of a new login: force_login writes a
    session, cycles its key and fills the caches, a third of the URL matrix's time. Use it for requests inside a
    savepoint that is rolled back: what a request changes in its session row goes back with the savepoint, and
    ``forget()`` drops the session's cached copy after each request, so the next one reads the row as it was made
    (a cached copy would keep what the rolled-back request wrote)."""

    def __init__(self, users: dict):
        self.keys: dict[str, str] = {}
        for name, user in users.items():
            if name == "anonymous" or user is None:
                continue
            client = Client()
            login_persona(client, name, user)
            self.keys[name] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def use(self, client, name: str) -> None:
        if name in self.keys:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.keys[name]

    def forget(self, name: str) -> None:
        if name in self.keys:
            caches[settings.SESSION_CACHE_ALIAS].delete(KEY_PREFIX + self.keys[name])

    @contextmanager
    def client(self, name: str, **client_options):
        """A new test client signed in as ``name`` by the session's cookie (``use``), its cached copy dropped when
        the block ends (``forget``): for a test whose transaction is rolled back when it ends."""
        client = Client(**client_options)
        self.use(client, name)
        try:
            yield client
        finally:
            self.forget(name)
