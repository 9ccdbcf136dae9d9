"""Models of networks.channel (app label ``channel``): a network's discussions.

A Thread lives in a network, optionally in one of its working groups and one of the categories the coordinators
manage. Its posts are numbered 1, 2, 3 ... in the order they were written (``Post.number``): the number is the
anchor on the thread page, says on which page a post is, and is what a person's read marker
(``ThreadFollow.last_read_number``) remembers. The Markdown of a post is rendered once on save (profile "discussion").
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks.library.models import Document
from networks.markdown import PROFILES, MarkdownHTMLField, MarkdownValidator
from networks.models import Network, Person, Topic, WorkingGroup

POSTS_PER_PAGE = 50
THREADS_PER_PAGE = 25
TITLE_MAX = 200


class Category(models.Model):
    """A heading the coordinators give the network's threads (Wärmeplanung, Fördermittel, PV-Kampagne ...)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="discussion_categories")
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("short name in the address"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("discussion category")
        verbose_name_plural = _("discussion categories")
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="channel_category_unique_slug"),
            models.UniqueConstraint(fields=["network", "name"], name="channel_category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The threads ``user`` may read (networks.channel.access is the same rule for one thread)."""
        from networks.channel.access import readable_threads

        return readable_threads(self, user)

    def listed(self):
        """With the list's joins: pinned first, then by the latest post."""
        return self.select_related("category", "working_group", "author", "last_post_by").order_by(
            "-pinned", "-last_post_at", "-pk"
        )


class Thread(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="threads")
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threads",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.SET_NULL, null=True, blank=True, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="threads_started")
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now)
    last_post_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    post_count = models.PositiveIntegerField(_("posts"), default=0)  # the highest Post.number, hidden ones included
    pinned = models.BooleanField(_("pinned"), default=False)
    closed = models.BooleanField(_("closed"), default=False)
    answer = models.ForeignKey(
        "channel.Post", verbose_name=_("answer"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Who pinned, closed, moved or retitled it when (not every reply: the counters are left out).
    history = HistoricalRecords(excluded_fields=["last_post_at", "last_post_by", "post_count"])
    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-pk"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["network", "-pinned", "-last_post_at"], name="channel_thread_list_idx"),
            models.Index(fields=["working_group", "-pinned", "-last_post_at"], name="channel_thread_group_idx"),
            models.Index(fields=["category", "-pinned", "-last_post_at"], name="channel_thread_category_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("channel:thread-detail", args=[self.network.slug, self.pk])

    def page_of(self, number: int) -> int:
        return max(1, (number - 1) // POSTS_PER_PAGE + 1)

    def url_of(self, number: int) -> str:
        """The address of post ``number`` on its page."""
        page = self.page_of(number)
        query = f"?page={page}" if page > 1 else ""
        return f"{self.get_absolute_url()}{query}#beitrag-{number}"


class PostQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(hidden_at__isnull=True)

    def for_thread_page(self):
        return (
            self.select_related("author__organisation", "hidden_by")
            .prefetch_related(
                models.Prefetch("attachments", queryset=Document.objects.live().select_related("current", "network"))
            )
            .order_by("number")
        )


class Post(models.Model):
    class Via(models.TextChoices):
        WEB = "web", _("on the web")
        EMAIL = "email", _("by email")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="posts")
    body = models.TextField(
        _("text"), max_length=PROFILES["discussion"].max_length, validators=[MarkdownValidator("discussion")]
    )
    body_html = MarkdownHTMLField(source="body", profile="discussion")
    via = models.CharField(_("written"), max_length=8, choices=Via, default=Via.WEB)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    # Files attached on the web or to a reply by email: documents of the network's library (its download checks
    # access), never bytes in the post.
    attachments = models.ManyToManyField(
        "library.Document", verbose_name=_("attachments"), blank=True, related_name="channel_posts"
    )
    # The readers' emails are still to be written by a task (replies by email: networks.channel.tasks.posts_notify
    # clears it; posts_notify_sweep re-sends what no task delivered, e.g. when the broker was down).
    notify_pending = models.BooleanField(_("emails pending"), default=False, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["thread", "number"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="channel_post_unique_number"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="channel_post_hidden_has_reason",
                violation_error_message=_("Please give a reason for hiding the post."),
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="channel_post_created_idx"),
            models.Index(fields=["author", "-created_at"], name="channel_post_author_idx"),
            models.Index(fields=["created_at"], condition=Q(notify_pending=True), name="channel_post_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.number}"

    def get_absolute_url(self) -> str:
        return self.thread.url_of(self.number)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def mentioned_names(self) -> list[str]:
        """The names of the thread's readers this text mentions (networks.channel.mentions: only who may read the
        thread), marked in ``body_html`` when the post is saved. No query for a text without an "@" that counts."""
        from networks.channel import mentions
        from networks.channel.notify import readers_of

        if not mentions.has_mention(self.body):
            return []
        return [person.name for person in mentions.resolve(self.body, readers_of(self.thread))]


class PostRevision(models.Model):
    """An earlier text of an edited post: the history of its edits (who wrote which version when)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("text"))
    written_at = models.DateTimeField(_("written at"))
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)
    replaced_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["post", "-replaced_at", "-pk"]
        verbose_name = _("earlier version of a post")
        verbose_name_plural = _("earlier versions of posts")

    def __str__(self) -> str:
        return f"{self.post} ({self.written_at:%Y-%m-%d %H:%M})"


class ThreadFollow(models.Model):
    """A person's relation to a thread: how much they want to hear of it, and how far they have read."""

    class State(models.TextChoices):
        NORMAL = "normal", _("normal")
        FOLLOWING = "following", _("following")
        MUTED = "muted", _("muted")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="thread_follows")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    state = models.CharField(_("notifications"), max_length=10, choices=State, default=State.NORMAL)
    last_read_number = models.PositiveIntegerField(_("read up to post"), default=0)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("followed thread")
        verbose_name_plural = _("followed threads")
        constraints = [models.UniqueConstraint(fields=["person", "thread"], name="channel_follow_once")]
        indexes = [models.Index(fields=["thread", "state"], name="channel_follow_state_idx")]

    def __str__(self) -> str:
        return f"{self.person} – {self.thread} ({self.state})"


class PostReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class PostReport(models.Model):
    """A member tells the coordination that a post breaks the network's rules."""

    class Resolution(models.TextChoices):
        KEPT = "kept", _("post kept")
        HIDDEN = "hidden", _("post hidden")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="post_reports")
    reason = models.CharField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    resolution = models.CharField(_("resolution"), max_length=10, choices=Resolution, blank=True)

    objects = PostReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reported post")
        verbose_name_plural = _("reported posts")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], condition=Q(resolved_at__isnull=True), name="channel_report_open_once"
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="channel_report_queue_idx")]

    def __str__(self) -> str:
        return f"{self.post}: {self.reason[:60]}"


class FaqEntry(models.Model):
    """A thread's accepted answer taken into the network's FAQ (listed with the answered office-hour questions)."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="faq_entries")
    question = models.CharField(_("question"), max_length=TITLE_MAX)
    answer = models.TextField(
        _("answer"), max_length=PROFILES["answer"].max_length, validators=[MarkdownValidator("answer")]
    )
    answer_html = MarkdownHTMLField(source="answer", profile="answer")
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thread = models.OneToOneField(Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="faq_entry")
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("taken into the FAQ"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["answer_html"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("FAQ entry from a discussion")
        verbose_name_plural = _("FAQ entries from discussions")
        indexes = [models.Index(fields=["network", "-created_at"], name="channel_faq_network_idx")]

    def __str__(self) -> str:
        return self.question
