"""The discussions' part of the world that sends every kind of email (tests/mail/conftest.py send_everything):
replies in a followed thread, a mention, every post (the network's "each" choice), a hidden post and a report, to
each person (German and English), with inbound mail on (the reply address and its hint are in the mails)."""

from __future__ import annotations

from django.test import override_settings

from networks.channel import services
from networks.digest import preferences
from networks.models import NetworkRole
from tests.networks import factories as f

INBOUND = {
    "INBOUND_IMAP_URL": "imap://portal:secret@127.0.0.1:1/INBOX",
    "INBOUND_REPLY_DOMAIN": "klimanetz.example",
}


def send_channel_mails(people) -> None:
    """The people coordinate a network's discussions with a moderator and a reader."""
    network = f.NetworkFactory(name="Klimafrühstück Diskussionen", short_name="Klimafrühstück D")
    moderator = f.NetworkRoleFactory(
        network=network, person__name="Klimafrühstück Moderatorin", role=NetworkRole.Role.COORDINATOR
    ).person
    reader = f.NetworkRoleFactory(network=network, person__name="Klimafrühstück Leserin").person
    for person in people:
        f.NetworkRoleFactory(network=network, person=person, role=NetworkRole.Role.COORDINATOR)
    with override_settings(**INBOUND):
        for person in people:  # channel_reply: an answer in the thread the person started (and follows)
            mine = services.thread_create(
                network=network, author=person, title="Klimafrühstück im März?", body="Klimafrühstück: wer kommt?"
            )
            services.post_reply(thread=mine, author=moderator, body="Klimafrühstück: ich komme gern.")
        mentions = " ".join(f"@{person.name}" for person in people)  # channel_mention (the default: daily digest)
        services.thread_create(
            network=network, author=moderator, title="Klimafrühstück Raum", body=f"Klimafrühstück: {mentions}?"
        )
        for person in people:  # channel_post: every post of the network by email
            preferences.set_posts(person, network, "each")
        thread = services.thread_create(
            network=network, author=moderator, title="Klimafrühstück Protokoll", body="Klimafrühstück: **Protokoll**"
        )
        for person in people:  # channel_post_hidden: the moderator hides the person's post
            post = services.post_reply(thread=thread, author=person, body="Klimafrühstück: Werbung")
            services.post_hide(post=post, by=moderator.user, reason="Klimafrühstück: bitte beim Thema bleiben")
        # channel_report: a reader reports the moderator's post to the coordinators (the people among them)
        services.post_report(post=thread.posts.get(number=1), reporter=reader, reason="Klimafrühstück: falsch")
