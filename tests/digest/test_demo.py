"""The demo's digests: today's daily digest queued for the demo accounts (pending in the admin's outbox), the demo
people's choices applied, nothing twice when loaded again."""

from __future__ import annotations

import pytest

from networks.digest import demo
from networks.digest.models import DeliveryPreference, DigestRun
from networks.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_demo_queues_digests_once(demo_once):
    digests = OutboxMessage.objects.filter(reason="digest_daily")
    assert digests.count() >= 5
    assert digests.filter(status=OutboxMessage.Status.PENDING).count() == digests.count()
    nkk = digests.get(recipient="nkk.mitglied@example.org")
    assert nkk.subject.startswith("Tagesüberblick:") and "NKK" in nkk.subject
    assert DeliveryPreference.objects.get(person__user__email="ktt.kl@example.org").posts == "weekly"
    before = (DigestRun.objects.count(), OutboxMessage.objects.count())
    demo.load()
    assert (DigestRun.objects.count(), OutboxMessage.objects.count()) == before
