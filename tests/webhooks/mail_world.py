"""The webhooks' part of the mail world (tests/mail/conftest.py): each person edits an organisation whose endpoint
has been failing for three days; the sweep pauses it and tells them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from networks.webhooks import services
from networks.webhooks.models import Endpoint
from tests.networks import factories as f
from tests.webhooks.factories import endpoint_of


def send_webhook_mails(people) -> int:
    paused = 0
    for person in people:
        organisation = f.OrganisationRoleFactory(person=person).organisation
        hook = endpoint_of(organisation, "https://hooks.example.org/klimanetz", description="Klima-Roadmap Website")
        Endpoint.objects.filter(pk=hook.pk).update(failing_since=timezone.now() - timedelta(days=4))
        paused += services.endpoint_pause_if_failing(endpoint_id=hook.pk)
    return paused
