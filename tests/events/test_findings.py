"""Findings on the events pages (issue 14 §4 FINDINGS): the dashboard links to the action item itself, ..."""

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Outcome
from tests.events.factories import EventFactory, OutcomeFactory, in_days

pytestmark = pytest.mark.django_db


def test_an_action_item_from_the_dashboard_opens_alone_with_its_status_form(client, personas):
    member = personas.people["member"]
    event = EventFactory(network=personas.network, starts_at=in_days(-3))
    mine = OutcomeFactory(event=event, text="Musterausschreibung teilen", owner_person=member)
    OutcomeFactory(event=event, text="Etwas anderes", owner_person=member)
    client.force_login(member.user)
    url = reverse("events:action-items", args=[personas.network.slug])
    page = client.get(f"{url}?item={mine.pk}").text
    assert "Musterausschreibung teilen" in page and "Etwas anderes" not in page
    assert f'id="item-{mine.pk}"' in page
    assert reverse("events:action-item-status", args=[personas.network.slug, mine.pk]) in page
    assert f'href="{url}"' in page  # back to all
    response = client.post(
        reverse("events:action-item-status", args=[personas.network.slug, mine.pk]),
        {"status": "done", "back": f"item={mine.pk}"},
    )
    assert response["Location"] == f"{url}?item={mine.pk}"
    mine.refresh_from_db()
    assert mine.status == Outcome.Status.DONE


@pytest.mark.parametrize("value", ["abc", "9" * 40, "-1", "١٢"])
def test_a_bad_item_in_the_address_is_ignored(client, personas, value):
    OutcomeFactory(event=EventFactory(network=personas.network), text="Sichtbar")
    personas.login(client, "member")
    with translation.override("de"):
        url = reverse("events:action-items", args=[personas.network.slug])
    response = client.get(url, {"item": value})
    assert response.status_code == 200 and "Sichtbar" in response.text
