"""The operator's view of the discussions: lists and a thread's history (who pinned it), read-only posts."""

import pytest
from django.urls import reverse

from networks.channel import services
from networks.channel.models import Post
from tests.admin_history import assert_history_shows, staff_client

pytestmark = pytest.mark.django_db


def test_admin_lists_and_thread_history(client, personas):
    thread = services.thread_create(
        network=personas.network, author=personas.people["member"], title="Wärmeplanung", body="Frage"
    )
    services.thread_pin(thread=thread, by=personas.user("coordinator"), pinned=True)
    thread.history.filter(pinned=True).update(history_user=personas.user("coordinator"))
    staff_client(client, personas)
    for model in ("thread", "post", "category", "postreport", "faqentry"):
        assert client.get(reverse(f"admin:channel_{model}_changelist")).status_code == 200
    post = Post.objects.get()
    assert client.get(reverse("admin:channel_post_change", args=[post.pk])).status_code == 200
    assert client.get(reverse("admin:channel_post_add")).status_code == 403
    assert_history_shows(client, thread, who="Koordinatorin", label="Angeheftet", old="nein", new="ja")
