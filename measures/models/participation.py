"""Citizen proposals and comments (moderated before anyone else sees them), support for proposals,
the editors' official answers and the proposals' states, replies, follows and their events, feedback without an
account, participation phases, the netiquette accepted once, and the pledges of member organisations (their own
climate target, reported yearly)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.models.roadmap import Measure, Roadmap, Sector
from networks.markdown import PROFILES, MarkdownHTMLField, MarkdownValidator
from networks.models import Network, Organisation, Person


class Moderation(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Moderation.PUBLISHED)

    def visible_to(self, user, *, editor: bool):
        """Published ones; the author also sees their own; the roadmap's editors (and staff) see all."""
        if editor:
            return self.all()
        if not user.is_authenticated:
            return self.published()
        return self.filter(Q(status=Moderation.PUBLISHED) | Q(author__user=user))


class Moderated(models.Model):
    author = models.ForeignKey(Person, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"), max_length=PROFILES["post"].max_length, validators=[MarkdownValidator("post")])
    text_html = MarkdownHTMLField(source="text", profile="post")
    status = models.CharField(_("status"), max_length=10, choices=Moderation, default=Moderation.PENDING)
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        Person, verbose_name=_("moderated by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Moderation.PUBLISHED


class ProposalState(models.TextChoices):
    """Where a (published) proposal stands; moderation (published/rejected) only decides whether it is shown."""

    RECEIVED = "received", _("received")
    IN_REVIEW = "in_review", _("in review")
    ACCEPTED = "accepted", _("accepted")
    MERGED = "merged", _("merged")
    NOT_TAKEN_UP = "not_taken_up", _("not taken up")


class Proposal(Moderated):
    roadmap = models.ForeignKey(Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=150)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    state = models.CharField(_("state"), max_length=15, choices=ProposalState, default=ProposalState.RECEIVED)
    merged_into_proposal = models.ForeignKey(
        "self",
        verbose_name=_("merged into proposal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_proposals",
    )
    merged_into_measure = models.ForeignKey(
        Measure,
        verbose_name=_("merged into measure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_proposals",
    )
    # The editors' official answer (Markdown, profile "answer"), dated, with the organisation it speaks for.
    answer = models.TextField(
        _("official answer"),
        blank=True,
        max_length=PROFILES["answer"].max_length,
        validators=[MarkdownValidator("answer")],
    )
    answer_html = MarkdownHTMLField(source="answer", profile="answer", blank=True)
    answered_by = models.ForeignKey(
        Person, verbose_name=_("answered by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer_organisation = models.ForeignKey(
        Organisation, verbose_name=_("answered for"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    history = HistoricalRecords(
        excluded_fields=["text_html", "answer_html"]
    )  # moderation decisions: who, when, what; html derived

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="proposal_rejection_has_reason",
                violation_error_message=_("Please give a reason for rejecting."),
            )
        ]
        indexes = [models.Index(fields=["roadmap", "status"], name="proposal_roadmap_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:proposal", args=[self.roadmap.slug, self.pk])


class ProposalSupport(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="proposal_support_once")]

    def __str__(self) -> str:
        return f"{self.person} → {self.proposal}"


class Comment(Moderated):
    """On a measure or on a proposal (exactly one); a reply has a parent (one level: a reply to a reply answers the
    parent). ``official``: written by an editor of the roadmap, shown as "Offizielle Antwort"."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="comments", null=True, blank=True
    )
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments", null=True, blank=True
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    official = models.BooleanField(_("official answer"), default=False)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    report_reason = models.CharField(_("reason for reporting"), max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["text_html"])  # moderation decisions: who, when, what; html derived

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="comment_rejection_has_reason",
                violation_error_message=_("Please give a reason for rejecting."),
            ),
            models.CheckConstraint(
                condition=Q(measure__isnull=False, proposal__isnull=True)
                | Q(measure__isnull=True, proposal__isnull=False),
                name="comment_on_measure_or_proposal",
            ),
        ]
        indexes = [
            models.Index(fields=["measure", "status"], name="comment_measure_status_idx"),
            models.Index(fields=["proposal", "status"], name="comment_proposal_status_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return f"{self.subject.get_absolute_url()}#comment-{self.pk}"

    @property
    def subject(self):
        """The measure or proposal the comment belongs to."""
        return self.measure if self.measure_id else self.proposal


class FollowKind(models.TextChoices):
    ROADMAP = "roadmap", _("roadmap")
    MEASURE = "measure", _("measure")
    PROPOSAL = "proposal", _("proposal")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("immediately")
    WEEKLY = "weekly", _("once a week")


class Follow(models.Model):
    """A person follows a roadmap, a measure or a proposal: emails on a status change, a new progress report, an
    answer; immediately or weekly. ``object_id`` is the pk of the roadmap/measure/proposal named by ``kind``."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(_("kind"), max_length=10, choices=FollowKind)
    object_id = models.PositiveBigIntegerField()
    frequency = models.CharField(_("emails"), max_length=12, choices=Frequency, default=Frequency.IMMEDIATELY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["person", "kind", "object_id"], name="follow_once")]
        indexes = [models.Index(fields=["kind", "object_id"], name="follow_object_idx")]

    def __str__(self) -> str:
        return f"{self.person} → {self.kind}:{self.object_id}"


class FollowEvent(models.Model):
    """Something followers are told about: recorded once when it happens, mailed by the tasks (the outbox's key
    makes every email exactly-once)."""

    class Kind(models.TextChoices):
        STATUS = "status", _("status changed")
        PROGRESS = "progress", _("new progress report")
        ANSWER = "answer", _("answer")
        STATE = "state", _("state of the proposal changed")

    kind = models.CharField(max_length=10, choices=Kind)
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    summary = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)  # the immediate mails are enqueued

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d}"

    @property
    def subject(self):
        return self.measure or self.proposal or self.roadmap


class Feedback(models.Model):
    """Feedback on a measure without an account: the email is verified by a link before the editors see it; then
    moderated like a comment (published feedback shows on the measure page without the address)."""

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="feedback")
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("email address"))
    text = models.TextField(_("text"), max_length=PROFILES["post"].max_length, validators=[MarkdownValidator("post")])
    text_html = MarkdownHTMLField(source="text", profile="post")
    netiquette_at = models.DateTimeField(_("participation rules accepted"))
    verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Moderation, default=Moderation.PENDING)
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        Person, verbose_name=_("moderated by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["measure", "status"], name="feedback_measure_status_idx")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_published(self) -> bool:
        return self.status == Moderation.PUBLISHED


class ParticipationPhase(models.Model):
    """A phase of a roadmap's participation, e.g. "Ideen sammeln" until 31 March, then "Auswertung im Workshop".
    While a roadmap has phases, proposals are taken only during a collecting phase."""

    roadmap = models.ForeignKey(
        Roadmap, verbose_name=_("roadmap"), on_delete=models.CASCADE, related_name="participation_phases"
    )
    title = models.CharField(_("phase"), max_length=150)
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"))
    collecting = models.BooleanField(
        _("proposals are collected"), default=True, help_text=_("Citizens can send proposals during this phase.")
    )
    description = models.CharField(_("what happens"), max_length=500, blank=True)

    class Meta:
        ordering = ["starts", "pk"]
        verbose_name = _("participation phase")
        verbose_name_plural = _("participation phases")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lte=models.F("ends")),
                name="participation_phase_starts_before_end",
                violation_error_message=_("The phase must start before it ends."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts and self.ends and self.starts > self.ends:
            raise ValidationError({"ends": _("The phase must start before it ends.")})

    @property
    def is_current(self) -> bool:
        return self.starts <= timezone.localdate() <= self.ends


class NetiquetteAcceptance(models.Model):
    """A citizen accepted the participation rules (once, at the first contribution)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="netiquette")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("netiquette accepted")
        verbose_name_plural = _("netiquette accepted")

    def __str__(self) -> str:
        return f"{self.person} {self.accepted_at:%Y-%m-%d}"


class Pledge(models.Model):
    """A member organisation's own climate target within a network (Selbstverpflichtung)."""

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="pledges")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="pledges"
    )
    target_year = models.PositiveSmallIntegerField(
        _("climate-neutral by"), validators=[MinValueValidator(2025), MaxValueValidator(2100)]
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    baseline_emissions = models.DecimalField(
        _("baseline emissions (t CO2e/a)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    commitments = models.TextField(_("commitments"), max_length=4000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="pledge_one_per_organisation"),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True) | Q(baseline_year__lte=models.F("target_year")),
                name="pledge_baseline_before_target",
                violation_error_message=_("The baseline year must be before the target year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.target_year})"

    def clean(self) -> None:
        if self.baseline_year and self.target_year and self.baseline_year > self.target_year:
            raise ValidationError({"baseline_year": _("The baseline year must be before the target year.")})


class PledgeReport(models.Model):
    """The yearly progress report of a pledge."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    emissions = models.DecimalField(
        _("emissions (t CO2e/a)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    progress = models.TextField(_("progress"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("pledge report")
        verbose_name_plural = _("pledge reports")
        constraints = [models.UniqueConstraint(fields=["pledge", "year"], name="pledge_report_once_a_year")]

    def __str__(self) -> str:
        return f"{self.pledge} {self.year}"
