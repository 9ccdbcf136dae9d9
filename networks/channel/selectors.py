"""Reads of the discussions, each with a fixed number of queries whatever the number of threads and posts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import CharField, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from networks.access import person_in_readable_place, working_group_readers
from networks.channel.access import can_moderate
from networks.channel.models import (
    POSTS_PER_PAGE,
    THREADS_PER_PAGE,
    FaqEntry,
    Post,
    PostReport,
    Thread,
    ThreadFollow,
)
from networks.models import Person

NEW_FOR = timedelta(days=30)  # a thread never opened counts as new this long after its last post


def with_reading(threads, person: Person | None):
    """Annotate ``last_read`` (0: never opened) and ``follow_state`` of ``person`` (one subquery each)."""
    if person is None:
        return threads.annotate(last_read=Value(-1, output_field=IntegerField()), follow_state=Value(""))
    follows = ThreadFollow.objects.filter(thread=OuterRef("pk"), person=person)
    return threads.annotate(
        last_read=Coalesce(Subquery(follows.values("last_read_number")[:1]), Value(0)),
        follow_state=Coalesce(Subquery(follows.values("state")[:1]), Value(ThreadFollow.State.NORMAL)),
    )


def unread_of(thread) -> int:
    """How many posts of an annotated thread the person has not read (0 for a never-opened old thread)."""
    if thread.last_read < 0:
        return 0
    if thread.last_read == 0 and thread.last_post_at < timezone.now() - NEW_FOR:
        return 0
    return max(0, thread.post_count - thread.last_read)


def decorate(threads, network=None) -> list:
    """Each thread of a page with ``unread`` and ``first_unread_url`` (no query: ``network`` is the threads' own,
    or loaded with them)."""
    threads = list(threads)
    for thread in threads:
        if network is not None:
            thread.network = network
        thread.unread = unread_of(thread)
        thread.first_unread_url = thread.url_of(thread.last_read + 1) if thread.unread else thread.get_absolute_url()
    return threads


def thread_page(request, network, person, *, category=None, group=None):
    """A page of the network's threads the user may read (closed groups' only for their readers), pinned first,
    then by the latest post (two queries: count and rows)."""
    threads = Thread.objects.visible_to(request.user).filter(network=network)
    if category is not None:
        threads = threads.filter(category=category)
    if group is not None:
        threads = threads.filter(working_group=group)
    page = Paginator(with_reading(threads.listed(), person), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = decorate(page.object_list, network)
    return page


def latest_threads(network, person, *, group=None, limit: int = 5) -> list:
    """The latest threads of the network for a panel (one query): those every member may read (none of a closed
    group: the network space is cached per role, not per person); or those of one working group (the caller checked
    that the reader may read it)."""
    threads = Thread.objects.filter(network=network)
    if group is not None:
        threads = threads.filter(working_group=group)
    else:
        threads = threads.filter(Q(working_group__isnull=True) | Q(working_group__is_open=True))
    threads = with_reading(threads.select_related("last_post_by", "category"), person).order_by("-last_post_at")
    return decorate(threads[:limit], network)


def unread_count(network, person) -> int:
    """How many threads of the network have unread posts for ``person`` (one query)."""
    since = timezone.now() - NEW_FOR
    threads = with_reading(Thread.objects.filter(person_in_readable_place(person), network=network), person)
    opened = Q(last_read__gt=0, post_count__gt=F("last_read"))
    return threads.filter(opened | Q(last_read=0, last_post_at__gte=since)).count()


@dataclass
class PostPage:
    number: int
    num_pages: int
    posts: list

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def post_page(request, thread, user, *, page: int | None = None) -> PostPage:
    """Page ``page`` (else ?page=) of the thread's posts by their numbers (one query, no count: the thread has it).
    Hidden posts are left out for everyone but the coordination, who see them with the reason."""
    num_pages = max(1, math.ceil(thread.post_count / POSTS_PER_PAGE))
    if page is None:
        try:
            page = int(request.GET.get("page", 1))
        except (TypeError, ValueError):
            page = 1
    page = min(max(page, 1), num_pages)
    first = (page - 1) * POSTS_PER_PAGE + 1
    posts = Post.objects.filter(thread=thread, number__gte=first, number__lt=first + POSTS_PER_PAGE)
    if not can_moderate(user, thread.network):
        posts = posts.shown()
    posts = list(posts.for_thread_page())
    for post in posts:
        post.thread = thread
    return PostPage(number=page, num_pages=num_pages, posts=posts)


def follow_of(thread, person: Person | None) -> ThreadFollow | None:
    if person is None:
        return None
    return ThreadFollow.objects.filter(thread=thread, person=person).first()


def open_reports(network):
    return (
        PostReport.objects.open()
        .filter(post__thread__network=network)
        .select_related("post__thread", "post__author", "reporter")
        .order_by("created_at", "pk")
    )


def people_to_mention(network, query: str, *, group=None, limit: int = 8) -> list[dict]:
    """Who can be mentioned in the network's threads (in ``group``'s threads: who may read the group, a closed
    group's members and the coordination) and whose name contains ``query``: names and organisations only, never an
    email address (one query)."""
    query = " ".join((query or "").split())[:50]
    if len(query) < 2:
        return []
    people = Person.objects.all() if group is None else working_group_readers(group)
    people = (
        people.filter(network_roles__network=network, name__icontains=query, anonymised_at__isnull=True)
        .select_related("organisation")
        .distinct()
        .order_by("name")[:limit]
    )
    return [{"name": p.name, "organisation": p.organisation.name if p.organisation else ""} for p in people]


# --- the network's FAQ: office-hour answers and answers taken from threads, one list -------------------------


def faq_rows(questions, network, *, words: str = "", topic=None):
    """One list for a paginator, newest first, of (kind, pk, date): the answered office-hour questions
    (``questions``: events' queryset, already filtered) and the network's FaqEntry rows filtered by the same words
    and topic. ``faq_items`` loads a page of it (two queries, whatever the page's size)."""
    entries = FaqEntry.objects.filter(network=network)
    if words.strip():
        entries = entries.filter(Q(question__icontains=words.strip()) | Q(answer__icontains=words.strip()))
    if topic is not None:
        entries = entries.filter(topic=topic)
    kind = CharField(max_length=8)
    asked = questions.order_by().annotate(faq_kind=Value("question", output_field=kind), faq_date=F("answered_at"))
    taken = entries.order_by().annotate(faq_kind=Value("thread", output_field=kind), faq_date=F("created_at"))
    return (
        asked.values_list("faq_kind", "pk", "faq_date")
        .union(taken.values_list("faq_kind", "pk", "faq_date"), all=True)
        .order_by("-faq_date", "-pk")
    )


def faq_items(rows, questions) -> list:
    """The objects of a page of ``faq_rows``, in its order, each with ``faq_kind`` ("question" or "thread")."""
    rows = list(rows)
    asked = questions.in_bulk([pk for kind, pk, _date in rows if kind == "question"])
    taken = FaqEntry.objects.select_related("topic", "thread__network").in_bulk(
        [pk for kind, pk, _date in rows if kind == "thread"]
    )
    items = []
    for kind, pk, _date in rows:
        item = asked.get(pk) if kind == "question" else taken.get(pk)
        if item is not None:
            item.faq_kind = kind
            items.append(item)
    return items
