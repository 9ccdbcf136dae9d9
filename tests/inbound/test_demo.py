"""The room's demo: a reply by email posted once, an out-of-office reply dropped; idempotent."""

from io import StringIO

import pytest

from networks.channel.models import Post
from networks.channel.services import thread_create
from networks.inbound import demo
from networks.inbound.models import InboundMessage
from tests.networks import factories as f

pytestmark = pytest.mark.django_db


def test_demo_reply_posted_once_without_quote_and_signature():
    network = f.NetworkFactory(slug="klima-taten-team-westpfalz", short_name="KTT")
    coordinator = f.NetworkRoleFactory(network=network, role="coordinator").person
    member = f.NetworkRoleFactory(network=network, person__user__email="ktt.kusel@example.org").person
    thread = thread_create(network=network, author=coordinator, title=demo.THREAD_TITLE, body="Vorlagen sind da.")

    out = StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)

    [post] = Post.objects.filter(thread=thread, via="email")
    assert post.author == member
    assert post.body.startswith("Hallo zusammen,") and post.body.endswith("Viele Grüße\naus Kusel")
    assert "schrieb" not in post.body and "Trierer Straße" not in post.body
    assert "für den Infoabend" in post.body  # the flowed paragraph is one again
    assert sorted(InboundMessage.objects.values_list("outcome", flat=True)) == ["dropped", "posted"]
    assert "2 emails taken" in out.getvalue() and "0 emails taken" in out.getvalue()


def test_demo_without_the_thread_does_nothing():
    demo.load()
    assert not InboundMessage.objects.exists()
