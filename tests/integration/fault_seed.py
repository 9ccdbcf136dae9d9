"""Seed data for the PostgreSQL fault test, run in a subprocess against the private cluster (its DATABASE_URL):
one network, one open event and ``FAULT_SEED_MEMBERS`` members with ready sessions. Prints JSON for the test.

    python -c "import django; django.setup(); from tests.integration.fault_seed import main; main()"
"""

import json
import os

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from tests.events.factories import EventFactory
from tests.networks import factories as nf


def main() -> None:
    event = EventFactory(capacity=None, title="Netzwerktreffen unter Last")
    sessions = []
    for _ in range(int(os.environ.get("FAULT_SEED_MEMBERS", "100"))):
        user = nf.NetworkRoleFactory(network=event.network).person.user
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "networks.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    kwargs = {"slug": event.network.slug, "pk": event.pk}
    print(
        json.dumps(
            {
                "detail": event.get_absolute_url(),
                "register": reverse("events:register", kwargs=kwargs),
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "sessions": sessions,
            }
        )
    )
