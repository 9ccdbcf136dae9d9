"""services.process: a reply by email becomes a post once, or goes back once with an explanation, or is dropped."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from networks.channel.models import Post
from networks.channel.services import post_reply
from networks.inbound import services, tokens
from networks.inbound.models import InboundMessage
from networks.library.models import Document
from networks.models import NetworkRole, OutboxMessage
from tests.inbound.factories import reply_mail, sample

pytestmark = pytest.mark.django_db

R = InboundMessage.Reason


def refusals(**filters):
    return OutboxMessage.objects.filter(reason="inbound_refused", **filters)


def email_posts(thread):
    return list(Post.objects.filter(thread=thread, via="email").order_by("number"))


def test_reply_is_posted_once_without_the_quote(personas, thread, address_of):
    member = personas.people["member"]
    raw = sample("thunderbird_de.eml", to=address_of(member, thread), sender=member.user.email.upper())
    result = services.process(raw)
    assert (result.outcome, result.reason) == ("posted", "")
    [post] = email_posts(thread)
    assert post.author == member and post.number == 2
    assert post.body.startswith("Hallo zusammen,\n\nwir haben das Büro Wärme & Co. beauftragt")
    assert post.body.endswith("Mit freundlichen Grüßen\nAnna Beispiel")
    assert "schrieb" not in post.body and "Klimaschutzmanagerin" not in post.body
    assert result.message.post == post and result.message.person == member and result.message.thread == thread

    again = services.process(raw)
    assert again.duplicate and again.message == result.message
    assert len(email_posts(thread)) == 1
    assert InboundMessage.objects.count() == 1
    assert not refusals().exists()


@pytest.mark.parametrize("name", ["gmail_de.eml", "outlook_de.eml", "outlook_html_only.eml", "iphone_de.eml"])
def test_every_mail_program(personas, thread, address_of, name):
    member = personas.people["member"]
    services.process(sample(name, to=address_of(member, thread), sender=member.user.email))
    [post] = email_posts(thread)
    assert post.body and "\n>" not in post.body and "Von:" not in post.body and "schrieb" not in post.body


def test_coordinator_posts_in_closed_thread_members_are_refused_with_their_text(personas, thread, address_of):
    thread.closed = True
    thread.save(update_fields=["closed"])
    member, coordinator = personas.people["member"], personas.people["coordinator"]
    refused = services.process(reply_mail(to=address_of(member, thread), sender=member.user.email, body="Mein Text"))
    assert (refused.outcome, refused.reason) == ("refused", R.CLOSED)
    [mail] = refusals()
    assert mail.recipient == member.user.email
    assert "Mein Text" in mail.body_text and thread.title in mail.body_text  # nothing lost
    assert mail.headers["Auto-Submitted"] == "auto-replied"
    assert mail.headers["In-Reply-To"] == refused.message.message_id  # threads under the reply in the mail program
    assert mail.language == "de" and "Die Koordinator*innen haben das Thema geschlossen." in mail.body_text
    assert mail.subject == "Nicht veröffentlicht: Re: Frage"
    posted = services.process(reply_mail(to=address_of(coordinator, thread), sender=coordinator.user.email))
    assert posted.outcome == "posted"


def test_forged_token_refused_once(personas, thread, address_of):
    member = personas.people["member"]
    good = address_of(member, thread)
    forged = good.replace(tokens.make_token(member.pk, thread.pk), tokens.make_token(member.pk, thread.pk)[:-2] + "aa")
    assert forged != good
    raw = reply_mail(to=forged, sender=member.user.email, body="Geheim")
    result = services.process(raw)
    assert (result.outcome, result.reason) == ("refused", R.FORGED_TOKEN)
    assert services.process(raw).duplicate
    [mail] = refusals()
    assert mail.recipient == member.user.email
    assert thread.title not in mail.body_text and "Geheim" not in mail.body_text
    assert not email_posts(thread)


def test_token_of_a_deleted_thread_is_refused(personas, thread, address_of):
    member = personas.people["member"]
    address = address_of(member, thread)
    thread.delete()
    result = services.process(reply_mail(to=address, sender=member.user.email))
    assert (result.outcome, result.reason) == ("refused", R.FORGED_TOKEN)


def test_stranger_address_refused_without_the_thread(personas, thread, address_of):
    member = personas.people["member"]
    raw = reply_mail(to=address_of(member, thread), sender="Fremd <fremd@example.net>", body="Hallo")
    result = services.process(raw)
    assert (result.outcome, result.reason) == ("refused", R.WRONG_SENDER)
    [mail] = refusals()
    assert mail.recipient == "fremd@example.net"
    assert thread.title not in mail.body_text and member.name not in mail.body_text
    assert not email_posts(thread)


def test_confirmed_second_address_may_reply_unconfirmed_may_not(personas, thread, address_of):
    member = personas.people["member"]
    EmailAddress.objects.create(user=member.user, email="Zweit@Example.org", verified=True)
    EmailAddress.objects.create(user=member.user, email="unbestaetigt@example.org", verified=False)
    ok = services.process(reply_mail(to=address_of(member, thread), sender="zweit@example.org"))
    no = services.process(reply_mail(to=address_of(member, thread), sender="unbestaetigt@example.org"))
    assert (ok.outcome, no.reason) == ("posted", R.WRONG_SENDER)


@pytest.mark.parametrize("name", ["other_network", "citizen", "editor", "staff"])
def test_people_without_a_role_in_the_network_are_refused(personas, thread, address_of, name):
    person = personas.people[name]
    result = services.process(reply_mail(to=address_of(person, thread), sender=person.user.email))
    assert (result.outcome, result.reason) == ("refused", R.NO_ACCESS)
    assert refusals(recipient=person.user.email).count() == 1
    assert not email_posts(thread)


def test_member_who_left_is_refused(personas, thread, address_of):
    member = personas.people["member"]
    address = address_of(member, thread)
    NetworkRole.objects.filter(person=member).delete()
    result = services.process(reply_mail(to=address, sender=member.user.email))
    assert (result.outcome, result.reason) == ("refused", R.NO_ACCESS)


def test_deactivated_account_is_refused(personas, thread, address_of):
    member = personas.people["member"]
    member.user.is_active = False
    member.user.save(update_fields=["is_active"])
    result = services.process(reply_mail(to=address_of(member, thread), sender=member.user.email))
    assert (result.outcome, result.reason) == ("refused", R.NO_ACCESS)


def test_empty_reply_refused(personas, thread, address_of):
    member = personas.people["member"]
    raw = reply_mail(to=address_of(member, thread), sender=member.user.email, body="\n> nur das Zitat\n")
    result = services.process(raw)
    assert (result.outcome, result.reason) == ("refused", R.EMPTY)
    assert refusals().count() == 1


def test_too_long_reply_refused_with_the_text(personas, thread, address_of):
    member = personas.people["member"]
    raw = reply_mail(to=address_of(member, thread), sender=member.user.email, body="Sehr lang. " * 5000)
    result = services.process(raw)
    assert (result.outcome, result.reason) == ("refused", R.INVALID)
    [mail] = refusals()
    assert "Sehr lang." in mail.body_text


def test_no_token_refused(personas):
    result = services.process(reply_mail(to="reply@klimanetz.example", sender="anna@example.org"))
    assert (result.outcome, result.reason) == ("refused", R.NO_TOKEN)
    assert refusals(recipient="anna@example.org").count() == 1


@pytest.mark.parametrize("name", ["auto_reply_ooo.eml", "bounce.eml"])
def test_machines_dropped_silently(personas, thread, address_of, name):
    member = personas.people["member"]
    raw = sample(name, to=address_of(member, thread))
    result = services.process(raw)
    assert result.outcome == "dropped" and result.reason in ("auto-reply", "bounce")
    assert not refusals().exists() and not email_posts(thread)


def test_own_mails_and_own_reply_addresses_dropped(personas, thread, address_of):
    member = personas.people["member"]
    to = address_of(member, thread)
    ours = services.process(reply_mail(to=to, sender="Klimanetz <noreply@klimanetz.example>", body="Schleife?"))
    loop = services.process(reply_mail(to=to, sender=address_of(personas.people["coordinator"], thread)))
    marked = services.process(reply_mail(to=to, sender=member.user.email, headers={"X-Klimanetz-Message": "1"}))
    assert [r.reason for r in (ours, loop, marked)] == [R.OURS, R.OURS, R.OURS]
    assert not refusals().exists() and not email_posts(thread)


def test_refusals_are_rate_limited_per_sender(personas):
    results = [
        services.process(reply_mail(to="reply+kaputt@klimanetz.example", sender="robot@example.org"))
        for _ in range(services.REFUSALS_PER_HOUR + 3)
    ]
    assert all(r.outcome == "refused" for r in results)
    assert refusals(recipient="robot@example.org").count() == services.REFUSALS_PER_HOUR
    assert [r.message.refusal_sent for r in results].count(False) == 3
    assert services.process(
        reply_mail(to="reply+kaputt@klimanetz.example", sender="other@example.org")
    ).message.refusal_sent


def test_attachments_stored_in_the_library_refused_ones_listed(personas, thread, address_of):
    member = personas.people["member"]
    raw = sample("attachments.eml", to=address_of(member, thread), sender=member.user.email)
    result = services.process(raw)
    assert result.outcome == "posted"
    [post] = email_posts(thread)
    [document] = post.attachments.all()
    assert document.network == thread.network and document.title == "Folien Frühjahr.pdf"
    assert document.created_by == member
    assert [item["filename"] for item in result.message.attachments_refused] == ["tool.exe"]
    [notice] = OutboxMessage.objects.filter(reason="inbound_attachments_refused")
    assert notice.recipient == member.user.email and "tool.exe" in notice.body_text
    assert not refusals().exists()


def test_post_rolled_back_leaves_no_document(personas, thread, address_of, monkeypatch):
    member = personas.people["member"]

    def invalid(**kwargs):
        raise ValidationError("kaputt")

    monkeypatch.setattr("networks.channel.services.post_reply", invalid)
    raw = sample("attachments.eml", to=address_of(member, thread), sender=member.user.email)
    result = services.process(raw)
    assert (result.outcome, result.reason) == ("refused", R.INVALID)
    assert not Document.objects.exists()


def test_unreadable_message_recorded_once():
    first = services.record_failure(b"kaputt", RuntimeError("boom"))
    again = services.record_failure(b"kaputt", RuntimeError("boom"))
    assert first.outcome == "failed" and again.duplicate
    assert InboundMessage.objects.get().detail == "RuntimeError: boom"


def test_reply_posts_as_the_contract_says(personas, thread):
    # the contract this room relies on: post_reply refuses a person who may not post (PermissionDenied)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        post_reply(thread=thread, author=personas.people["other_network"], body="x", via="email")


def test_refusal_in_the_persons_language(personas, thread, address_of):
    member = personas.people["member"]
    member.language = "en"
    member.save(update_fields=["language"])
    services.process(reply_mail(to=address_of(member, thread), sender=member.user.email, body="> nur Zitat"))
    [mail] = refusals()
    assert mail.language == "en" and "Please write your reply above the quote." in mail.body_text
    assert "Ihre" not in mail.body_html


def test_round_trip_through_the_channels_notification(personas, thread, inbound_on):
    """The notification channel sends carries the reply address; answering it as a mail program does (the
    notification quoted below the answer) posts exactly the answer."""
    from networks.channel.services import post_reply as web_reply
    from networks.digest.preferences import set_posts

    member, coordinator = personas.people["member"], personas.people["coordinator"]
    set_posts(member, thread.network, "each")
    web_reply(thread=thread, author=coordinator, body="Kennt jemand **EnergieCheck Pro**?")
    [notification] = OutboxMessage.objects.filter(recipient=member.user.email, reason="channel_post")
    reply_to = notification.headers["Reply-To"]
    assert tokens.token_in_address(reply_to) == tokens.make_token(member.pk, thread.pk)

    quoted = "\n".join(f"> {line}".rstrip() for line in notification.body_text.splitlines())
    header = "Am 03.12.2026 um 10:15 schrieb Klimanetz <noreply@klimanetz.example>:"
    body = f"Ja, wir nutzen es seit 2024.\n\n{header}\n{quoted}\n"
    result = services.process(
        reply_mail(to=reply_to, sender=member.user.email, subject=notification.subject, body=body)
    )
    assert result.outcome == "posted"
    assert result.message.post.body == "Ja, wir nutzen es seit 2024."

    top_posted_without_header = f"Noch ein Nachtrag.\n\n{notification.body_text}"  # Outlook-style, no quote marks
    result = services.process(reply_mail(to=reply_to, sender=member.user.email, body=top_posted_without_header))
    assert result.message.post.body == "Noch ein Nachtrag."


def test_too_large_refused_without_reading_the_body(personas, thread, address_of, monkeypatch):
    from networks.inbound import parsing

    monkeypatch.setattr(parsing, "MAX_MESSAGE_BYTES", 2_000)
    member = personas.people["member"]
    raw = reply_mail(
        to=address_of(member, thread),
        sender=member.user.email,
        attachments=[("gross.pdf", "application/pdf", b"%PDF-1.4\n" + b"0" * 5_000)],
    )
    result = services.process(raw)
    assert (result.outcome, result.reason) == ("refused", R.TOO_LARGE)
    [mail] = refusals()
    assert "zu groß" in mail.body_text
    assert not email_posts(thread) and not Document.objects.exists()
    stranger = services.process(reply_mail(to=address_of(member, thread), sender="x@example.net", body="y" * 3_000))
    assert stranger.reason == R.WRONG_SENDER  # the sender check comes first


def test_the_readers_emails_of_a_reply_wait_for_the_commit_and_go_to_the_task(
    personas, thread, address_of, django_capture_on_commit_callbacks
):
    """Not written in the reply's transaction (about half its time): queued after the commit (eager in tests)."""
    member, coordinator = personas.people["member"], personas.people["coordinator"]
    readers = OutboxMessage.objects.filter(recipient=coordinator.user.email, object_type="channel.post")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.process(reply_mail(to=address_of(member, thread), sender=member.user.email, body="Ja."))
        assert result.outcome == "posted"
        assert not readers.exists()  # nothing for the readers inside the transaction
    assert readers.get().reason == "channel_reply"  # the coordinator follows the thread she started

    collected: list[int] = []  # a batch of the fetch collects the post instead
    with django_capture_on_commit_callbacks(execute=True):
        again = services.process(
            reply_mail(to=address_of(member, thread), sender=member.user.email, body="Noch was."), posted=collected
        )
    assert collected == [again.message.post_id]
    assert readers.count() == 1
