"""The discussions' section of the digest (networks.digest.sections, stream POSTS): per thread with news in the
window, the new thread or its new replies, newest first; not the person's own posts, not muted threads, no hidden
posts, a closed working group's threads only for those who may read them. Constant queries per batch: the posts
of every network of the batch in the widest window (one query), the batch's mutes (one query), what they already
got by email (two queries: nothing twice), who may read the closed groups (networks.access.ClosedGroupReaders, at
most three); each person's part is cut from them in memory.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from networks.access import ClosedGroupReaders
from networks.channel.models import Post, ThreadFollow
from networks.digest.sections import POSTS, Item, Request, register
from networks.markdown import plain_start
from networks.models import OutboxMessage, Person

MAILED_KINDS = ("channel_post", "channel_reply", "channel_mention")  # what a person may have had at once
MAX_POSTS = 5_000  # per batch: a weekly digest of very busy networks shows the newest


def _net_id(network) -> int:
    return getattr(network, "pk", network)


def items_batch(requests: list[Request]) -> dict[int, list[Item]]:
    network_ids = {_net_id(n) for r in requests for n in r.networks}
    since, until = min(r.since for r in requests), max(r.until for r in requests)
    posts = list(
        Post.objects.filter(
            thread__network_id__in=network_ids, created_at__gt=since, created_at__lte=until, hidden_at__isnull=True
        )
        .select_related("thread__network", "author")
        .order_by("-created_at", "-pk")[:MAX_POSTS]
    )
    people = [r.person.pk for r in requests]
    muted = set(
        ThreadFollow.objects.filter(
            person_id__in=people, state=ThreadFollow.State.MUTED, thread_id__in={p.thread_id for p in posts}
        ).values_list("person_id", "thread_id")
    )
    mailed = _mailed(people, posts)
    readers = ClosedGroupReaders(people, {p.thread.working_group_id for p in posts})
    built: dict[tuple[int, ...], Item] = {}  # the same thread news for many people of the batch: one Item
    return {r.person.pk: _items_of(r, posts, muted, mailed, built, readers) for r in requests}


def _mailed(people: list[int], posts: list[Post]) -> set[tuple[int, int]]:
    """(person id, post id) of the posts the batch's people already got by email (a followed thread, a mention):
    the digest does not repeat them (two queries: the people's addresses, their outbox rows of these posts)."""
    if not posts:
        return set()
    emails = {
        email.strip().lower(): pk
        for pk, email in Person.objects.filter(pk__in=people).values_list("pk", "user__email")
        if email
    }
    rows = OutboxMessage.objects.filter(
        reason__in=MAILED_KINDS,
        object_type=Post._meta.label_lower,
        object_id__in=[str(p.pk) for p in posts],
        recipient__in=list(emails),
    ).values_list("recipient", "object_id")
    return {(emails[recipient], int(object_id)) for recipient, object_id in rows}


def _items_of(
    request: Request, posts: list[Post], muted: set, mailed: set, built: dict, readers: ClosedGroupReaders
) -> list[Item]:
    networks = {_net_id(n) for n in request.networks}
    person = request.person.pk
    by_thread: dict[int, list[Post]] = {}
    for post in posts:  # newest first
        if (
            post.thread.network_id in networks
            and request.since < post.created_at <= request.until
            and post.author_id != person
            and (person, post.thread_id) not in muted
            and (person, post.pk) not in mailed
            and readers.may(person, post.thread.working_group_id)
        ):
            by_thread.setdefault(post.thread_id, []).append(post)
    items = []
    for found in by_thread.values():
        key = tuple(p.pk for p in found)
        if key not in built:
            built[key] = _item(found)
        items.append(built[key])
    return items


def _item(posts: list[Post]) -> Item:
    newest, oldest = posts[0], posts[-1]
    thread = newest.thread
    replies = [p for p in posts if p.number > 1]
    if oldest.number == 1:
        summary = _("New thread by %(name)s") % {"name": oldest.author.name if oldest.author else _("former member")}
        if replies:
            summary += ", " + ngettext("%(count)s reply", "%(count)s replies", len(replies)) % {"count": len(replies)}
    else:
        summary = ngettext("%(count)s new reply", "%(count)s new replies", len(replies)) % {"count": len(replies)}
    excerpt = " ".join(plain_start(newest.body_html, length=300).split())  # one line in the digest's list
    return Item(
        network=thread.network,
        title=thread.title,
        url=thread.url_of(oldest.number),
        date=newest.created_at,
        summary=f"{summary}: {excerpt}" if excerpt else summary,
        key=f"channel.thread:{thread.pk}",
    )


def items(person, networks, since, until) -> list[Item]:
    return items_batch([Request(person=person, networks=tuple(networks), since=since, until=until)])[person.pk]


def register_section() -> None:
    register(
        key="channel",
        title=gettext_lazy("Discussions"),
        order=20,
        stream=POSTS,
        items=items,
        items_batch=items_batch,
    )
