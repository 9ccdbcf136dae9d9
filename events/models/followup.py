"""What follows from events: notices, calendar tokens,
office-hour questions, outcomes (decisions, ideas, action items) and documents."""

from __future__ import annotations

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from events.models.event import Event, Registration
from networks.markdown import PROFILES, MarkdownHTMLField, MarkdownValidator
from networks.models import Network, Organisation, Person, Topic, WorkingGroup


class Notice(models.Model):
    """One notification that was decided for a registration: the unique key makes it once-only.

    The reminder scan inserts a row before it enqueues the email, so two scans (or a
    scan that runs twice) cannot send a reminder twice; kinds the person switched off
    (networks.mail, kind ``event_<kind>``) get a row too so the scan does not consider them again.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("registration confirmation")
        PROMOTED = "promoted", _("moved up from the waiting list")
        REMINDER_7D = "reminder_7d", _("reminder 7 days before")
        REMINDER_1D = "reminder_1d", _("reminder 1 day before")
        CHANGED = "changed", _("change of an event")
        CANCELLED = "cancelled", _("cancellation of an event")
        MINUTES = "minutes", _("minutes published")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind)
    occasion = models.CharField(max_length=40, default="", blank=True)
    skipped = models.BooleanField(default=False, help_text=_("The person had switched this kind off."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind", "occasion"], name="notice_once_per_registration")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.registration_id}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret of a person's calendar feed URL; renewing replaces it."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self) -> str:
        return f"{self.person}"


class QuestionQuerySet(models.QuerySet):
    def listed(self):
        """The questions lists show: not removed by the coordination (removed ones stay in the admin)."""
        return self.filter(removed_at__isnull=True)

    def listed_for(self, person: Person | None):
        """The listed questions and the person's own removed ones (the asker sees why theirs is gone)."""
        if person is None:
            return self.listed()
        return self.filter(Q(removed_at__isnull=True) | Q(author=person))


class Question(models.Model):
    """A member's question before an office hour; answered ones form the network's FAQ.

    The asker may edit or delete it while it is unanswered; the coordination may remove it (spam, a duplicate)
    with a reason: it is then hidden from every list and kept, with its history, in the admin."""

    event = models.ForeignKey(Event, verbose_name=_("office hour"), on_delete=models.CASCADE, related_name="questions")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="questions", editable=False)
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="questions")
    text = models.TextField(_("question"), max_length=2000)
    anonymous = models.BooleanField(
        _("ask anonymously"), default=False, help_text=_("Other members do not see your name; the coordination does.")
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(
        _("answer"),
        blank=True,
        max_length=PROFILES["answer"].max_length,
        validators=[MarkdownValidator("answer")],
    )
    answer_html = MarkdownHTMLField(source="answer", profile="answer")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        Person, verbose_name=_("removed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removed_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)

    history = HistoricalRecords(excluded_fields=["answer_html"])  # derived from the answer
    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="question_answered_has_answer",
                violation_error_message=_("Please write an answer."),
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removed_reason=""),
                name="question_removed_has_reason",
                violation_error_message=_("Please give a reason for the removal."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if self.removed_at and not self.removed_reason.strip():
            raise ValidationError({"removed_reason": _("Please give a reason for the removal.")})

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class OutcomeQuerySet(models.QuerySet):
    def action_items(self):
        return self.filter(kind=Outcome.Kind.ACTION)

    def open(self):
        return self.action_items().filter(status=Outcome.Status.OPEN)

    def of_person(self, person: Person):
        """Action items owned by the person or by an organisation the person belongs to."""
        owned = Q(owner_person=person)
        if person.organisation_id:
            owned |= Q(owner_organisation_id=person.organisation_id)
        return self.filter(owned)

    def of_working_group(self, group: WorkingGroup):
        """Outcomes recorded for the group, or at one of the group's meetings."""
        return self.filter(Q(working_group=group) | Q(event__working_group=group))

    def for_list(self):
        """With what every list shows: the network, the event (if any), the owner and the group (one query)."""
        return self.select_related(
            "network",
            "event__working_group",
            "owner_person",
            "owner_organisation",
            "working_group",
            "source_thread",
        )

    def group_readable_by(self, user):
        """Without the outcomes of closed working groups (their own or their meetings') ``user`` may not read
        (networks.access.group_allows; events.access.can_see_outcome is the same rule for one outcome)."""
        from networks.access import group_allows_q

        return self.filter(group_allows_q(user), group_allows_q(user, "event__working_group"))

    def group_readable_by_person(self, person: Person):
        """The same for a person (emails, reminders, digests)."""
        from networks.access import person_group_allows_q

        return self.filter(person_group_allows_q(person), person_group_allows_q(person, "event__working_group"))


class Outcome(models.Model):
    """A decision, idea or action item of a network: recorded in an event's minutes, or without an event (e.g.
    taken from a discussion thread). ``network`` is the event's network when there is an event."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("decision")
        IDEA = "idea", _("idea")
        ACTION = "action", _("action item")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="outcomes")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, blank=True, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    text = models.CharField(_("text"), max_length=500)
    owner_person = models.ForeignKey(
        Person, verbose_name=_("responsible person"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    completed_at = models.DateTimeField(_("completed on"), null=True, blank=True, editable=False)
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        help_text=_("Optional: the outcome then also appears on the working group's page."),
    )
    source_thread = models.ForeignKey(
        "channel.Thread",
        verbose_name=_("from the discussion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        editable=False,
    )
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The due date each reminder was last sent for (claimed with a conditional UPDATE by the reminder scan):
    # a new due date gets its own reminders, the same one never twice.
    reminded_before_for = models.DateField(null=True, blank=True, editable=False)
    reminded_after_for = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["reminded_before_for", "reminded_after_for"])
    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "due_date", "pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_person__isnull=True) | Q(owner_organisation__isnull=True),
                name="outcome_one_owner",
                violation_error_message=_("An action item has one owner: a person or an organisation."),
            ),
            models.CheckConstraint(
                condition=Q(kind="action")
                | Q(owner_person__isnull=True, owner_organisation__isnull=True, due_date__isnull=True),
                name="outcome_owner_only_for_actions",
                violation_error_message=_("Only action items have an owner and a due date."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status", "due_date"], name="outcome_open_idx"),
            models.Index(fields=["network", "kind", "status"], name="outcome_network_idx"),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("events:outcome-detail", args=[self.network.slug, self.pk])

    def clean(self) -> None:
        if self.owner_person_id and self.owner_organisation_id:
            raise ValidationError(_("An action item has one owner: a person or an organisation."))
        if self.kind == self.Kind.ACTION and not (self.owner_person_id or self.owner_organisation_id):
            raise ValidationError({"owner_person": _("An action item needs a person or organisation responsible.")})
        if self.kind != self.Kind.ACTION and (self.owner_person_id or self.owner_organisation_id or self.due_date):
            raise ValidationError(_("Only action items have an owner and a due date."))
        if self.event_id and self.network_id and self.event.network_id != self.network_id:
            raise ValidationError(_("The event belongs to another network."))
        if self.working_group_id and self.network_id and self.working_group.network_id != self.network_id:
            raise ValidationError({"working_group": _("The working group belongs to another network.")})

    @property
    def owner(self):
        return self.owner_person or self.owner_organisation

    @property
    def is_action(self) -> bool:
        return self.kind == self.Kind.ACTION

    @property
    def is_overdue(self) -> bool:
        return bool(self.status == self.Status.OPEN and self.due_date and self.due_date < timezone.localdate())


class TaskComment(models.Model):
    """A comment on an outcome (mostly an action item's progress), optionally with a file from the library."""

    item = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(
        _("comment"),
        blank=True,
        max_length=PROFILES["post"].max_length,
        validators=[MarkdownValidator("post")],
    )
    text_html = MarkdownHTMLField(source="text", profile="post")
    attachment = models.ForeignKey(
        "library.Document",
        verbose_name=_("file"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on an outcome")
        verbose_name_plural = _("comments on outcomes")
        indexes = [models.Index(fields=["item", "created_at"], name="taskcomment_item_idx")]

    def __str__(self) -> str:
        return self.text[:80]


def _document_path(instance: Document, filename: str) -> str:
    return f"events/{instance.event_id}/{uuid.uuid4().hex}/{filename}"


class Document(models.Model):
    class Kind(models.TextChoices):
        SLIDES = "slides", _("slides")
        MINUTES = "minutes", _("minutes")
        PHOTO = "photo", _("photo")
        OTHER = "other", _("other document")

    MAX_SIZE = 20 * 1024 * 1024

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.SLIDES)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=20 * 1024 * 1024),
                name="document_max_20mb",
                violation_error_message=_("The file is larger than 20 MB."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:document-download", args=[self.event.network.slug, self.event_id, self.pk])
