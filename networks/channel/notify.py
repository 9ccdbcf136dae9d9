"""Emails of the discussions, through the outbox, in the transaction of the post that causes them.

One email per (recipient, post) at most: each reader of the thread falls into at most one of the three kinds
(networks.channel.mail_kinds says which), and each kind's outbox key (recipient, kind, post) makes a second call
for the same post a no-op. The queries do not grow with the readers: the readers with their accounts, their
modes (networks.digest.preferences.post_modes), their follows of the thread and the switched-off kinds are read
once per post.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from networks import mail
from networks.access import working_group_readers
from networks.channel import mentions
from networks.channel.models import Post, PostReport, ThreadFollow
from networks.digest.preferences import one_click_url, post_modes
from networks.inbound.tokens import reply_address
from networks.models import NetworkRole, OutboxMessage, Person
from networks.outbox import outbox_enqueue_template

EACH = "each"


def readers_of(thread) -> list[Person]:
    """Everyone with a role in the thread's network, with their accounts: who may read it and can be mentioned
    (staff may read every thread, but a thread does not talk to them). A closed working group's thread: its members
    and the coordination only (networks.access.working_group_readers)."""
    if thread.working_group_id is not None:
        people = working_group_readers(thread.working_group)
    else:
        people = Person.objects.filter(network_roles__network_id=thread.network_id).distinct()
    return list(people.select_related("user").order_by("pk"))


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "klimanetz.invalid"


def _absolute(obj, language: str) -> str:
    """The full address of ``obj``'s page in the recipient's language (/en/... for an English reader)."""
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + obj.get_absolute_url()


def _headers(post: Post, person: Person, *, kind: str) -> dict[str, str]:
    """List headers (RFC 2369/2919), threading headers so that mail programs group a thread, and the reply address."""
    thread, host = post.thread, _host()
    headers = {
        "List-Id": mail.list_id(thread.network),
        "List-Archive": f"<{mail.absolute_url('channel:thread-list', person.language, slug=thread.network.slug)}>",
        "Precedence": "list",
        "Message-ID": f"<klimanetz.post.{post.pk}.{person.pk}@{host}>",
        "References": f"<klimanetz.thread.{thread.pk}@{host}>",
        "In-Reply-To": f"<klimanetz.thread.{thread.pk}@{host}>",
    }
    if kind == "channel_post":  # not a kind to switch off: the link moves the network's posts to the daily digest
        headers["List-Unsubscribe"] = f"<{one_click_url(person, thread.network, 'posts-daily', person.language)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    address = reply_address(person, thread)
    if address:
        headers["Reply-To"] = address
    return headers


def _send(post: Post, person: Person, *, kind: str, mentioned: bool) -> None:
    thread = post.thread
    address = reply_address(person, thread)
    context = {
        "person": person,
        "post": post,
        "thread": thread,
        "network": thread.network,
        "mentioned": mentioned,
        "reply_by_email": bool(address),
        "post_url": _absolute(post, person.language),
        "settings_url": mail.settings_url(person.language),
        "daily_url": one_click_url(person, thread.network, "posts-daily", person.language)
        if kind == "channel_post"
        else "",
    }
    outbox_enqueue_template(
        recipient=person.user.email,
        reason=kind,
        template=kind,
        context=context,
        language=person.language,
        obj=post,
        headers=_headers(post, person, kind=kind),
    )


def post_created(post: Post) -> None:
    """Notify the readers of a new post (a new thread's first post, or a reply)."""
    readers = [p for p in readers_of(post.thread) if p.pk != post.author_id]
    recipients = _recipients(post, readers, mentioned=mentions.resolve(post.body, readers))
    for person, kind, mentioned in recipients:
        _send(post, person, kind=kind, mentioned=mentioned)


def post_edited(post: Post, *, before: str) -> None:
    """An edit that adds a mention tells the newly mentioned people (who have not had the post by email yet)."""
    readers = [p for p in readers_of(post.thread) if p.pk != post.author_id]
    earlier = {p.pk for p in mentions.resolve(before, readers)}
    new = [p for p in mentions.resolve(post.body, readers) if p.pk not in earlier]
    if not new:
        return
    had = set(
        OutboxMessage.objects.filter(object_type=post._meta.label_lower, object_id=str(post.pk)).values_list(
            "recipient", flat=True
        )
    )
    new = [p for p in new if p.can_be_mailed and p.user.email.strip().lower() not in had]
    for person, kind, mentioned in _recipients(post, new, mentioned=new, only_mentions=True):
        _send(post, person, kind=kind, mentioned=mentioned)


def _recipients(post: Post, people: list[Person], *, mentioned: list[Person], only_mentions: bool = False):
    """(person, kind, mentioned) for each of ``people`` who gets this post by email: one kind each."""
    if not people:
        return []
    thread = post.thread
    ids = [p.pk for p in people]
    modes = post_modes(thread.network, ids)
    states = dict(ThreadFollow.objects.filter(thread=thread, person_id__in=ids).values_list("person_id", "state"))
    mentioned_ids = {p.pk for p in mentioned}
    wants = {kind: mail.mail_wanted_by(people, kind) for kind in ("channel_post", "channel_reply", "channel_mention")}
    out = []
    for person in people:
        state = states.get(person.pk, ThreadFollow.State.NORMAL)
        if state == ThreadFollow.State.MUTED:
            continue
        is_mentioned = person.pk in mentioned_ids
        if not only_mentions and modes[person.pk] == EACH and person.pk in wants["channel_post"]:
            out.append((person, "channel_post", is_mentioned))
        elif not only_mentions and state == ThreadFollow.State.FOLLOWING and person.pk in wants["channel_reply"]:
            out.append((person, "channel_reply", is_mentioned))
        elif is_mentioned and person.pk in wants["channel_mention"]:
            out.append((person, "channel_mention", True))
    return out


def post_hidden(post: Post) -> None:
    """Tell the author that a coordinator hid their post, and why."""
    author = post.author
    if author is None or not mail.mail_wanted(author, "channel_post_hidden"):
        return
    outbox_enqueue_template(
        recipient=author.user.email,
        reason="channel_post_hidden",
        template="channel_post_hidden",
        context={
            "person": author,
            "post": post,
            "thread": post.thread,
            "post_url": _absolute(post.thread, author.language),
        },
        language=author.language,
        obj=post,
        occasion=post.hidden_at.isoformat(),
    )


def post_reported(report: PostReport) -> None:
    """Tell the network's coordinators that a post was reported (once per coordinator and report)."""
    thread = report.post.thread
    coordinators = list(
        Person.objects.filter(
            Q(network_roles__network_id=thread.network_id) & Q(network_roles__role=NetworkRole.Role.COORDINATOR)
        )
        .select_related("user")
        .distinct()
    )
    wanted = mail.mail_wanted_by(coordinators, "channel_report")
    for person in coordinators:
        if person.pk not in wanted:
            continue
        outbox_enqueue_template(
            recipient=person.user.email,
            reason="channel_report",
            template="channel_report",
            context={
                "person": person,
                "report": report,
                "post": report.post,
                "thread": thread,
                "queue_url": mail.absolute_url("channel:report-list", person.language, slug=thread.network.slug),
            },
            language=person.language,
            obj=report,
        )
