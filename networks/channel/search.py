"""The discussions in the one search: threads (title and first post) and replies, for the network's members.

Scopes: ``members:<network>``; a closed working group's threads and posts ``group:<id>`` and
``coordinators:<network>`` (networks.search.scopes.internal: the working groups' read rule). Opening or closing a
group reindexes its threads and posts. Hidden posts are not indexed (hiding one removes it from the index). A
thread is reindexed when its first post changes; a thread's replies when it is renamed or moved (``thread_move``
asks for it: an ordinary reply saves the thread's counters and must not reindex all its posts).
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _

from networks.channel.models import Post, Thread
from networks.markdown import plain_start
from networks.models import WorkingGroup
from networks.search import scopes
from networks.search.registry import Dependency, SearchDocument, Source, register, schedule

REINDEX_POSTS = "_reindex_posts"  # set on a Thread instance before a save that changes what its posts show


def _text(html: str) -> str:
    """What a reader sees of a post (its rendered HTML as text): snippets show no Markdown marks."""
    return plain_start(html, length=len(html)).strip()


def _threads():
    first = Post.objects.filter(thread=OuterRef("pk"), number=1, hidden_at__isnull=True).values("body_html")[:1]
    return Thread.objects.select_related("network", "working_group").annotate(first_body=Subquery(first))


def _thread_document(thread: Thread) -> SearchDocument:
    body = getattr(thread, "first_body", None)
    if body is None and not hasattr(thread, "first_body"):
        body = thread.posts.shown().filter(number=1).values_list("body_html", flat=True).first()
    return SearchDocument(
        title=thread.title,
        body=_text(body or ""),
        url=thread.get_absolute_url(),
        scopes=scopes.internal(thread.network_id, thread.working_group),
        network_id=thread.network_id,
        date=thread.created_at,
    )


def _post_document(post: Post) -> SearchDocument | None:
    if post.is_hidden or post.number == 1:  # the first post is the thread's document
        return None
    thread = post.thread
    return SearchDocument(
        title=thread.title,
        body=_text(post.body_html),
        url=post.get_absolute_url(),
        scopes=scopes.internal(thread.network_id, thread.working_group),
        network_id=thread.network_id,
        date=post.created_at,
    )


def _group_deleted(sender, instance, **kwargs) -> None:
    """A deleted working group's threads move to the whole network (Thread.working_group: SET_NULL): their
    scopes change, so they are reindexed when the deletion commits (taken here, before the group is gone)."""
    threads = list(Thread.objects.filter(working_group=instance).values_list("pk", flat=True))
    if threads:
        schedule("thread", threads)
        schedule("post", Post.objects.filter(thread_id__in=threads).values_list("pk", flat=True))


def register_sources() -> None:
    pre_delete.connect(_group_deleted, sender=WorkingGroup, weak=False, dispatch_uid="channel:group-deleted")
    register(
        Source(
            kind="thread",
            label=_("Discussions"),
            model=Thread,
            document=_thread_document,
            queryset=_threads,
            dependencies=(
                Dependency(Post, lambda post: [post.thread] if post.number == 1 else []),
                Dependency(WorkingGroup, lambda group: group.threads.all() if group.openness_changed else []),
            ),
            order=60,
        )
    )
    register(
        Source(
            kind="post",
            label=_("Posts"),
            model=Post,
            document=_post_document,
            queryset=lambda: Post.objects.select_related("thread__network", "thread__working_group"),
            dependencies=(
                Dependency(
                    Thread,
                    lambda thread: thread.posts.filter(number__gt=1) if getattr(thread, REINDEX_POSTS, False) else [],
                ),
                Dependency(
                    WorkingGroup,
                    lambda group: Post.objects.filter(thread__working_group=group) if group.openness_changed else [],
                ),
            ),
            order=61,
        )
    )
