"""Emails of the discussions: one per (recipient, post), by the person's choice, never to the author, with the list
headers, the reply address and the post in the mail; mentions only of readers."""

import pytest
from django.core import mail as sent_mail

from networks import mail
from networks.channel import mentions, notify, services
from networks.channel.models import ThreadFollow
from networks.digest.preferences import set_posts
from networks.models import OutboxMessage
from tests.networks.factories import NetworkRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(personas):
    return services.thread_create(
        network=personas.network, author=personas.people["coordinator"], title="PV auf Schulen", body="Wer macht mit?"
    )


def rows(reason=None, **filters):
    found = OutboxMessage.objects.filter(**filters)
    return found.filter(reason=reason) if reason else found


def test_each_mode_gets_every_post_once_with_list_headers(thread, personas, settings):
    settings.INBOUND_IMAP_URL, settings.INBOUND_REPLY_DOMAIN = "imap://u:p@127.0.0.1/INBOX", "antwort.example.org"
    member = personas.people["member"]
    set_posts(member, personas.network, "each")
    post = services.post_reply(thread=thread, author=personas.people["coordinator"], body="**Heute** 14 Uhr")
    notify.post_created(post)  # a second run adds nothing
    row = rows("channel_post").get()
    assert row.recipient == member.user.email and row.object_id == str(post.pk)
    assert row.subject == f"Re: [{personas.network.short_name}] PV auf Schulen"
    assert row.headers["List-Id"] == mail.list_id(personas.network)
    assert row.headers["Reply-To"].startswith("reply+") and row.headers["Reply-To"].endswith("@antwort.example.org")
    assert "ein-klick" in row.headers["List-Unsubscribe"] and row.headers["Precedence"] == "list"
    assert f"klimanetz.thread.{thread.pk}@" in row.headers["References"]
    assert "**Heute** 14 Uhr" in row.body_text and "<strong>Heute</strong>" in row.body_html
    assert "oberhalb dieser Zeile" in row.body_text and post.get_absolute_url() in row.body_text


def test_without_inbound_no_reply_address_and_no_hint(thread, personas):
    set_posts(personas.people["member"], personas.network, "each")
    services.post_reply(thread=thread, author=personas.people["coordinator"], body="Hallo")
    row = rows("channel_post").get()
    assert "Reply-To" not in row.headers and "oberhalb dieser Zeile" not in row.body_text


def test_the_mail_is_sent_with_its_headers(thread, personas, django_capture_on_commit_callbacks):
    set_posts(personas.people["member"], personas.network, "each")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reply(thread=thread, author=personas.people["coordinator"], body="Hallo")
    message = sent_mail.outbox[-1]
    assert message.to == [personas.people["member"].user.email]
    assert message.extra_headers["List-Id"] == mail.list_id(personas.network)
    assert message.alternatives and "Hallo" in message.body


def test_daily_mode_nothing_at_once_and_nothing_to_the_author(thread, personas):
    services.post_reply(thread=thread, author=personas.people["member"], body="Ich!")
    # the coordinator started the thread: follows it and gets the reply; the member (daily, author) nothing
    assert list(rows().values_list("reason", "recipient")) == [
        ("channel_reply", personas.people["coordinator"].user.email)
    ]


def test_muted_thread_gets_nothing_not_even_mentions(thread, personas):
    member = personas.people["member"]
    set_posts(member, personas.network, "each")
    services.follow_set(thread=thread, person=member, state=ThreadFollow.State.MUTED)
    services.post_reply(thread=thread, author=personas.people["coordinator"], body="@Mitglied schau mal")
    assert not rows(recipient=member.user.email).exists()


def test_mention_once_and_not_twice_for_each_mode(thread, personas):
    member = personas.people["member"]
    extra = NetworkRoleFactory(network=personas.network, person__name="Katrin Lang").person
    set_posts(member, personas.network, "each")
    post = services.post_reply(
        thread=thread, author=personas.people["coordinator"], body="@Katrin Lang und @Mitglied, bitte ansehen"
    )
    assert rows("channel_mention").get().recipient == extra.user.email
    member_row = rows(recipient=member.user.email).get()  # one email: the post, saying they were mentioned
    assert member_row.reason == "channel_post" and "erwähnt" in member_row.body_text
    services.post_edit(post=post, editor=personas.people["coordinator"], body=post.body + " @Katrin Lang")
    assert rows(recipient=extra.user.email).count() == 1


def test_mention_never_crosses_networks(thread, personas):
    outsider = personas.people["other_network"]
    post = services.post_reply(thread=thread, author=personas.people["member"], body=f"@{outsider.name} hallo")
    assert not rows(recipient=outsider.user.email).exists()
    assert post.body_html.count("@") == 1


def test_edit_adding_a_mention_tells_the_new_person_once(thread, personas):
    extra = NetworkRoleFactory(network=personas.network, person__name="Jonas Weber").person
    post = services.post_reply(thread=thread, author=personas.people["member"], body="Erster Stand")
    services.post_edit(post=post, editor=personas.people["member"], body="Erster Stand, @Jonas Weber?")
    services.post_edit(post=post, editor=personas.people["member"], body="Erster Stand, @Jonas Weber?!")
    assert rows("channel_mention", recipient=extra.user.email).count() == 1


def test_switched_off_kinds_are_respected(thread, personas):
    coordinator = personas.people["coordinator"]
    mail.mail_switch_off(person=coordinator, kind="channel_reply")
    services.post_reply(thread=thread, author=personas.people["member"], body="Antwort")
    assert not rows(recipient=coordinator.user.email).exists()


def test_follower_in_each_mode_gets_one_mail(thread, personas):
    coordinator = personas.people["coordinator"]
    set_posts(coordinator, personas.network, "each")
    services.post_reply(thread=thread, author=personas.people["member"], body="Antwort @Koordinatorin")
    assert list(rows(recipient=coordinator.user.email).values_list("reason", flat=True)) == ["channel_post"]


def test_notification_queries_do_not_grow_with_readers(thread, personas, django_assert_max_num_queries):
    def reply_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            services.post_reply(thread=thread, author=personas.people["member"], body="Antwort")
        return len(captured)

    few = reply_queries()
    for person in NetworkRoleFactory.create_batch(15, network=personas.network):
        set_posts(person.person, personas.network, "each")
    many = reply_queries()
    # each recipient's outbox row costs its insert (get_or_create: a savepoint, a select, an insert); the rest
    # (readers, modes, follows, switched-off kinds) is read once per post
    assert many - few <= 15 * 4 + 2


def test_post_hidden_tells_the_author_with_the_reason(thread, personas):
    post = services.post_reply(thread=thread, author=personas.people["member"], body="Werbung")
    services.post_hide(post=post, by=personas.user("coordinator"), reason="Bitte keine Werbung")
    row = rows("channel_post_hidden").get()
    assert row.recipient == personas.people["member"].user.email and "Bitte keine Werbung" in row.body_text


def test_report_tells_the_coordinators_once(thread, personas):
    post = services.post_reply(thread=thread, author=personas.people["coordinator"], body="Hm")
    services.post_report(post=post, reporter=personas.people["member"], reason="Ton")
    services.post_report(post=post, reporter=personas.people["member"], reason="Ton")
    assert list(rows("channel_report").values_list("recipient", flat=True)) == [
        personas.people["coordinator"].user.email
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("@Katrin Lang bitte", ["Katrin Lang"]),
        ("Hallo @katrin lang!", ["Katrin Lang"]),
        ("@Katrin Langer", []),  # not the name, and no one else
        ("mail@Katrin Lang", []),  # an address, no mention
        ("> @Katrin Lang schrieb", []),  # a quotation
        ("`@Katrin Lang`", []),  # code
        ("@Anna Maria Roth und @Anna Maria", ["Anna Maria Roth", "Anna Maria"]),  # the longest name wins
        ("@Katrin Lang @Katrin Lang", ["Katrin Lang"]),
    ],
)
def test_mention_resolution(body, expected, db):
    people = [
        PersonFactory.build(pk=n, name=name)
        for n, name in enumerate(["Katrin Lang", "Anna Maria", "Anna Maria Roth"], 1)
    ]
    assert [p.name for p in mentions.resolve(body, people)] == expected


def test_people_without_an_account_are_never_mailed(thread, personas):
    from networks.models import NetworkRole, Person

    ghost = Person.objects.create(name="Ohne Konto")
    NetworkRole.objects.create(network=personas.network, person=ghost, role=NetworkRole.Role.MEMBER)
    post = services.post_reply(thread=thread, author=personas.people["member"], body="Hallo")
    services.post_edit(post=post, editor=personas.people["member"], body="Hallo @Ohne Konto")
    assert not rows("channel_mention").exists()
