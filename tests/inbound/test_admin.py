"""The operator's list of incoming emails: staff only, read-only, constant queries."""

import pytest
from django.urls import reverse

from networks.inbound import services
from tests.inbound.factories import reply_mail

pytestmark = pytest.mark.django_db


def _take(n: int) -> None:
    for i in range(n):
        services.process(reply_mail(to=f"reply+kaputt{i}@klimanetz.example", sender=f"absender{i}@example.org"))


@pytest.mark.parametrize("name", ["anonymous", "citizen", "other_network", "member", "coordinator", "editor"])
def test_only_staff(client, personas, name):
    _take(1)
    personas.login(client, name)
    response = client.get(reverse("admin:inbound_inboundmessage_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_list_and_read_only_detail(client, personas, django_assert_max_num_queries):
    _take(2)
    personas.login(client, "staff")
    url = reverse("admin:inbound_inboundmessage_changelist")
    with django_assert_max_num_queries(40) as small:
        response = client.get(url)
    assert response.status_code == 200 and b"absender1@example.org" in response.content
    _take(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    from networks.inbound.models import InboundMessage

    row = InboundMessage.objects.first()
    detail = client.get(reverse("admin:inbound_inboundmessage_change", args=[row.pk]))
    assert detail.status_code == 200 and b'name="sender"' not in detail.content  # no editable field
    assert client.get(reverse("admin:inbound_inboundmessage_add")).status_code == 403
