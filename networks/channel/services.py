"""Writes of the discussions: each one transaction, with its rule; the emails go into the outbox inside it.

Contract for the other rooms (COMMON.md): ``thread_create`` and ``post_reply`` (the inbound mail calls it with
``via="email"``): PermissionDenied when the author may not post there, ValidationError for a bad text.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import markdown
from networks.access import can_read_working_group, is_coordinator, is_member
from networks.channel import notify
from networks.channel.access import can_post, can_read_thread
from networks.channel.models import (
    TITLE_MAX,
    Category,
    FaqEntry,
    Post,
    PostReport,
    PostRevision,
    Thread,
    ThreadFollow,
)
from networks.channel.search import REINDEX_POSTS
from networks.models import Network, NetworkRole, Person, Topic, WorkingGroup


def _user(person: Person | None):
    """The account that acts for ``person`` (PermissionDenied without an active one)."""
    user = getattr(person, "user", None)
    if user is None or not user.is_active or person.anonymised_at is not None:
        raise PermissionDenied
    return user


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Please write something.")})
    limit = markdown.PROFILES["discussion"].max_length
    if len(body) > limit:
        raise ValidationError({"body": _("A post can have at most %(limit)s characters.") % {"limit": limit}})
    try:
        markdown.check(body, profile="discussion")
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Please give the thread a title.")})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("The title can have at most %(limit)s characters.") % {"limit": TITLE_MAX}})
    return title


def _check_place(network: Network, working_group: WorkingGroup | None, category: Category | None) -> None:
    if working_group is not None and working_group.network_id != network.pk:
        raise ValidationError({"working_group": _("This working group belongs to another network.")})
    if category is not None and category.network_id != network.pk:
        raise ValidationError({"category": _("This category belongs to another network.")})


def _mark_read(*, person: Person, thread: Thread, number: int) -> None:
    """Two queries whatever the state: raise the read marker (never lower it), or create it."""
    now = timezone.now()
    raised = ThreadFollow.objects.filter(person=person, thread=thread, last_read_number__lt=number).update(
        last_read_number=number, last_read_at=now
    )
    if not raised:
        ThreadFollow.objects.bulk_create(
            [ThreadFollow(person=person, thread=thread, last_read_number=number, last_read_at=now)],
            ignore_conflicts=True,
        )


# --- threads and posts ---------------------------------------------------------------------------------------


@transaction.atomic
def thread_create(
    *,
    network: Network,
    author: Person,
    title: str,
    body: str,
    working_group: WorkingGroup | None = None,
    category: Category | None = None,
    via: str = Post.Via.WEB,
) -> Thread:
    """A new thread with its first post; its author follows it (the answers come at once)."""
    if not is_member(_user(author), network):
        raise PermissionDenied
    title, body = _clean_title(title), _clean_body(body)
    _check_place(network, working_group, category)
    if working_group is not None and not can_read_working_group(_user(author), working_group):
        raise ValidationError({"working_group": _("Only its members and the coordination write in a closed group.")})
    now = timezone.now()
    thread = Thread.objects.create(
        network=network,
        working_group=working_group,
        category=category,
        title=title,
        author=author,
        created_at=now,
        last_post_at=now,
        last_post_by=author,
        post_count=1,
    )
    post = Post.objects.create(thread=thread, number=1, author=author, body=body, via=via, created_at=now)
    ThreadFollow.objects.create(
        person=author, thread=thread, state=ThreadFollow.State.FOLLOWING, last_read_number=1, last_read_at=now
    )
    notify.post_created(post)
    return thread


@transaction.atomic
def post_reply(
    *, thread: Thread, author: Person, body: str, via: str = Post.Via.WEB, attachments=(), notify_now: bool = True
) -> Post:
    """A reply at the end of ``thread`` (numbered under the thread's row lock: two at once get 5 and 6).
    ``notify_now=False``: the caller hands the readers' emails to ``networks.channel.tasks.posts_notify`` (inbound
    replies, in batches); the post is marked ``notify_pending`` until the task has written them (a sweep re-sends
    what no task delivered)."""
    network = thread.network
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.network = network
    user = _user(author)
    if not can_read_thread(user, thread) or not can_post(user, thread):
        raise PermissionDenied
    body = _clean_body(body)
    now = timezone.now()
    number = thread.post_count + 1
    post = Post.objects.create(
        thread=thread, number=number, author=author, body=body, via=via, created_at=now, notify_pending=not notify_now
    )
    if attachments:
        post.attachments.set(attachments)
    thread.post_count, thread.last_post_at, thread.last_post_by = number, now, author
    thread.save(update_fields=["post_count", "last_post_at", "last_post_by"])
    _mark_read(person=author, thread=thread, number=number)
    if notify_now:
        notify.post_created(post)
    return post


@transaction.atomic
def post_edit(*, post: Post, editor: Person, body: str) -> Post:
    """The author changes their post; the text before is kept as a revision. Unchanged text: nothing happens."""
    user = _user(editor)
    if post.author_id != editor.pk or post.is_hidden or not can_post(user, post.thread):
        raise PermissionDenied
    body = _clean_body(body)
    if body == post.body:
        return post
    before = post.body
    now = timezone.now()
    PostRevision.objects.create(
        post=post, body=before, written_at=post.edited_at or post.created_at, replaced_at=now, replaced_by=editor
    )
    post.body, post.edited_at = body, now
    post.save(update_fields=["body", "body_html", "edited_at"])
    notify.post_edited(post, before=before)
    return post


@transaction.atomic
def post_hide(*, post: Post, by, reason: str) -> Post:
    """A coordinator hides a post (members no longer see it; coordinators see it with the reason); the author is
    told. Its open reports are resolved; a hidden answer is no longer the thread's answer."""
    if not is_coordinator(by, post.thread.network):
        raise PermissionDenied
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Please give a reason; the author will read it.")})
    if post.is_hidden:
        return post
    now = timezone.now()
    post.hidden_at, post.hidden_by, post.hidden_reason = now, getattr(by, "person", None), reason[:500]
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    post.reports.open().update(resolved_at=now, resolved_by=post.hidden_by, resolution=PostReport.Resolution.HIDDEN)
    if Thread.objects.filter(pk=post.thread_id, answer_id=post.pk).update(answer=None):
        post.thread.answer = None
    notify.post_hidden(post)
    return post


@transaction.atomic
def post_unhide(*, post: Post, by) -> Post:
    if not is_coordinator(by, post.thread.network):
        raise PermissionDenied
    if post.is_hidden:
        post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
        post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return post


@transaction.atomic
def post_report(*, post: Post, reporter: Person, reason: str) -> PostReport:
    """A reader reports a post to the coordination (once while it is open; the coordinators are told)."""
    user = _user(reporter)
    if not can_read_thread(user, post.thread) or post.is_hidden or post.author_id == reporter.pk:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say what is wrong with the post.")})
    report = PostReport.objects.open().filter(post=post, reporter=reporter).first()
    if report is not None:
        return report
    report = PostReport.objects.create(post=post, reporter=reporter, reason=reason[:1000])
    notify.post_reported(report)
    return report


@transaction.atomic
def report_resolve(*, report: PostReport, by) -> PostReport:
    """The coordination keeps the post: the report is done (hiding the post resolves it through ``post_hide``)."""
    if not is_coordinator(by, report.post.thread.network):
        raise PermissionDenied
    if report.resolved_at is None:
        report.resolved_at, report.resolved_by = timezone.now(), getattr(by, "person", None)
        report.resolution = PostReport.Resolution.KEPT
        report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return report


# --- coordination of threads ---------------------------------------------------------------------------------


def _moderate(thread: Thread, by) -> None:
    if not is_coordinator(by, thread.network):
        raise PermissionDenied


@transaction.atomic
def thread_pin(*, thread: Thread, by, pinned: bool) -> Thread:
    _moderate(thread, by)
    if thread.pinned != pinned:
        thread.pinned = pinned
        thread.save(update_fields=["pinned"])
    return thread


@transaction.atomic
def thread_close(*, thread: Thread, by, closed: bool) -> Thread:
    _moderate(thread, by)
    if thread.closed != closed:
        thread.closed = closed
        thread.save(update_fields=["closed"])
    return thread


@transaction.atomic
def thread_move(
    *, thread: Thread, by, title: str, category: Category | None, working_group: WorkingGroup | None
) -> Thread:
    """Retitle a thread, or move it to another category or working group of the same network."""
    _moderate(thread, by)
    title = _clean_title(title)
    _check_place(thread.network, working_group, category)
    thread.title, thread.category, thread.working_group = title, category, working_group
    setattr(thread, REINDEX_POSTS, True)  # its replies show the title in the search
    thread.save(update_fields=["title", "category", "working_group"])
    return thread


@transaction.atomic
def mark_answer(*, thread: Thread, post: Post | None, by) -> Thread:
    """The thread's author or a coordinator marks a reply as the answer (``post`` None: no answer any more)."""
    person = getattr(by, "person", None) if by.is_authenticated else None
    is_author = person is not None and thread.author_id == person.pk
    if not (is_author and can_read_thread(by, thread)) and not is_coordinator(by, thread.network):
        raise PermissionDenied
    if post is not None and (post.thread_id != thread.pk or post.is_hidden or post.number == 1):
        raise ValidationError(_("Only a visible reply of this thread can be its answer."))
    thread.answer = post
    thread.save(update_fields=["answer"])
    return thread


@transaction.atomic
def faq_from_answer(*, thread: Thread, by, question: str = "", topic: Topic | None = None) -> FaqEntry:
    """Take the thread's answer into the network's FAQ in one step (again: the entry is updated, not doubled)."""
    _moderate(thread, by)
    if thread.answer_id is None:
        raise ValidationError(_("Mark a reply as the answer first."))
    question = _clean_title(question or thread.title)
    entry = FaqEntry.objects.filter(thread=thread).first() or FaqEntry(
        network=thread.network, thread=thread, created_by=getattr(by, "person", None)
    )
    entry.question, entry.answer, entry.topic = question, thread.answer.body, topic
    entry.save()
    return entry


# --- a person and a thread -----------------------------------------------------------------------------------


@transaction.atomic
def follow_set(*, thread: Thread, person: Person, state: str) -> ThreadFollow:
    """Follow, mute, or back to normal (the network's choice decides)."""
    if state not in ThreadFollow.State.values:
        raise ValidationError(_("Unknown choice."))
    if not can_read_thread(_user(person), thread):
        raise PermissionDenied
    follow, _created = ThreadFollow.objects.get_or_create(person=person, thread=thread, defaults={"state": state})
    if follow.state != state:
        follow.state = state
        follow.save(update_fields=["state"])
    return follow


def mark_read(*, thread: Thread, person: Person, number: int) -> None:
    """The person has seen the thread up to post ``number`` (called by the thread page: no access check here)."""
    _mark_read(person=person, thread=thread, number=min(number, thread.post_count))


# --- categories ----------------------------------------------------------------------------------------------


@transaction.atomic
def category_delete(*, category: Category, by) -> None:
    """Its threads stay, without a category."""
    if not is_coordinator(by, category.network):
        raise PermissionDenied
    category.delete()


# --- working groups: members of the network join and leave -------------------------------------------------


@transaction.atomic
def working_group_join(*, group: WorkingGroup, person: Person) -> None:
    """A member of the network joins an active open group; a closed group's members are added by the coordination
    (the working group's form)."""
    if not group.is_active or not group.is_open:
        raise PermissionDenied
    if not NetworkRole.objects.filter(network_id=group.network_id, person=person).exists():
        raise PermissionDenied
    group.members.add(person)


@transaction.atomic
def working_group_leave(*, group: WorkingGroup, person: Person) -> None:
    group.members.remove(person)
