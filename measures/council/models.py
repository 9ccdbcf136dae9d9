"""What the portal keeps of a council information system (OParl 1.1), and the links from measures to it.

- ``CouncilSystem``: the operator's list of known OParl endpoints (name, System URL, vendor), kept in the admin.
- ``CouncilEndpoint``: one organisation's endpoint, with the state of its reading (last sync, last error).
- ``CouncilOrganization``, ``CouncilMeeting``, ``CouncilAgendaItem``, ``CouncilPaper``, ``CouncilConsultation``:
  the objects read from the endpoint, each keyed by its OParl id (a URL) within the endpoint; files stay links on
  the paper. A consultation carries its meeting's date and name, its committee and its agenda item's result,
  resolved when it is read (the display needs no joins by URL).
- ``CouncilLink``: a paper, or one of its consultations (a decision), linked to a measure or one of its milestones.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.models import Measure, Milestone
from networks.models import Organisation, Person

URL_LENGTH = 500


class CouncilSystem(models.Model):
    """A council information system the operator knows, offered to editors as a choice."""

    name = models.CharField(_("name"), max_length=200)
    system_url = models.URLField(_("OParl system URL"), max_length=URL_LENGTH, unique=True)
    vendor = models.CharField(_("vendor"), max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("council information system")
        verbose_name_plural = _("council information systems")

    def __str__(self) -> str:
        return f"{self.name} ({self.vendor})" if self.vendor else self.name


class SyncError(models.TextChoices):
    """Why the last reading failed; the page says it in the reader's language (measures.council.messages)."""

    REFUSED = "refused", _("address refused")
    TIMEOUT = "timeout", _("timeout")
    TOO_LARGE = "too_large", _("answer too large")
    UNREACHABLE = "unreachable", _("not reachable")
    HTTP_STATUS = "http_status", _("error answer")
    NOT_JSON = "not_json", _("not JSON")
    NOT_OPARL = "not_oparl", _("not OParl")
    NO_BODY = "no_body", _("no body")
    UNEXPECTED = "unexpected", _("unexpected error")


class CouncilEndpoint(models.Model):
    class State(models.TextChoices):
        IDLE = "idle", _("idle")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="council_endpoint")
    system = models.ForeignKey(
        CouncilSystem, on_delete=models.SET_NULL, null=True, blank=True, related_name="endpoints",
        verbose_name=_("council information system"),
    )  # fmt: skip
    system_url = models.URLField(_("OParl system URL"), max_length=URL_LENGTH)
    body_url = models.URLField(_("OParl body"), max_length=URL_LENGTH, blank=True)
    body_name = models.CharField(_("body"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.IDLE)
    # the lists' next pages when a run stopped at its page limit (resumed by the next run), and the moment the
    # last complete reading started: the next one asks only for what changed since (modified_since)
    cursors = models.JSONField(default=dict, blank=True)
    synced_since = models.DateTimeField(null=True, blank=True)
    last_sync_at = models.DateTimeField(_("last reading"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful reading"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=20, choices=SyncError, blank=True)
    last_error_url = models.CharField(max_length=URL_LENGTH, blank=True)  # the address that failed
    last_error_status = models.PositiveSmallIntegerField(null=True, blank=True)  # its HTTP status, if any
    is_demo = models.BooleanField(_("example data"), default=False)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    # what the editors chose; the readings' state is on the page, not in the history
    history = HistoricalRecords(
        excluded_fields=[
            *("body_url", "body_name", "state", "cursors", "synced_since", "last_sync_at", "last_success_at"),
            *("last_error", "last_error_url", "last_error_status", "updated_at"),
        ]
    )

    class Meta:
        verbose_name = _("OParl endpoint")
        verbose_name_plural = _("OParl endpoints")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.system_url}"


class EndpointObject(models.Model):
    """What every object read from an endpoint has: its OParl id (a URL), unique within the endpoint."""

    endpoint = models.ForeignKey(CouncilEndpoint, on_delete=models.CASCADE, related_name="+")
    oparl_id = models.CharField(max_length=URL_LENGTH)
    modified = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class CouncilOrganization(EndpointObject):
    name = models.CharField(max_length=300, blank=True)
    short_name = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["endpoint", "oparl_id"], name="council_org_once")]

    def __str__(self) -> str:
        return self.name or self.short_name or self.oparl_id


class CouncilMeeting(EndpointObject):
    name = models.CharField(max_length=300, blank=True)
    start = models.DateTimeField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    organization_ids = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["endpoint", "oparl_id"], name="council_meeting_once")]

    def __str__(self) -> str:
        return self.name or self.oparl_id


class CouncilAgendaItem(EndpointObject):
    meeting_id_url = models.CharField(max_length=URL_LENGTH, blank=True)
    number = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=500, blank=True)
    result = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["endpoint", "oparl_id"], name="council_item_once")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip() or self.oparl_id


class PaperQuerySet(models.QuerySet):
    def current(self):
        return self.filter(deleted=False)

    def search(self, query: str):
        """By reference number ("2025/123") or words of the title."""
        query = query.strip()
        if not query:
            return self.none()
        words = Q()
        for word in query.split()[:8]:
            words &= Q(name__icontains=word)
        return self.filter(Q(reference__iexact=query) | Q(reference__istartswith=query) | words)


class CouncilPaper(EndpointObject):
    """A paper (Drucksache, Vorlage): its files are links only (``files``: [{"name", "url"}])."""

    reference = models.CharField(_("reference number"), max_length=120, blank=True)
    name = models.CharField(_("title"), max_length=1000, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    paper_type = models.CharField(_("type"), max_length=200, blank=True)
    web_url = models.URLField(max_length=URL_LENGTH, blank=True)
    files = models.JSONField(default=list, blank=True)
    deleted = models.BooleanField(default=False)

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "oparl_id"], name="council_paper_once")]
        indexes = [models.Index(fields=["endpoint", "reference"], name="council_paper_reference")]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip() or self.oparl_id

    @property
    def url(self) -> str:
        """Where a person reads the paper: its web page, else its main file, else nothing."""
        return self.web_url or next((f["url"] for f in self.files if f.get("url")), "")


class CouncilConsultation(EndpointObject):
    """A paper's consultation in a meeting: the decision when its agenda item has a result."""

    paper = models.ForeignKey(CouncilPaper, on_delete=models.CASCADE, related_name="consultations")
    meeting_url = models.CharField(max_length=URL_LENGTH, blank=True)
    agenda_item_url = models.CharField(max_length=URL_LENGTH, blank=True)
    organization_ids = models.JSONField(default=list, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    authoritative = models.BooleanField(_("authoritative"), default=False)
    # resolved from the meeting, the committee and the agenda item when read
    meeting_name = models.CharField(max_length=300, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    organization_name = models.CharField(max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=300, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["meeting_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "oparl_id"], name="council_consultation_once")]

    def __str__(self) -> str:
        return f"{self.organization_name} {self.meeting_date or ''} {self.result}".strip() or self.oparl_id


class LinkQuerySet(models.QuerySet):
    def for_display(self):
        return self.select_related("paper", "consultation", "milestone").order_by("milestone_id", "pk")


class CouncilLink(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="council_links")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="council_links",
        verbose_name=_("milestone"),
    )  # fmt: skip
    paper = models.ForeignKey(CouncilPaper, on_delete=models.CASCADE, related_name="links")
    consultation = models.ForeignKey(
        CouncilConsultation, on_delete=models.CASCADE, null=True, blank=True, related_name="links",
        verbose_name=_("decision"),
    )  # fmt: skip
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LinkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # once per measure, milestone (or none), paper and consultation (or none)
            models.UniqueConstraint(
                "measure", Coalesce("milestone", 0), "paper", Coalesce("consultation", 0), name="council_link_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} → {self.paper}"

    def clean(self) -> None:
        if self.milestone_id and self.milestone.measure_id != self.measure_id:
            raise ValidationError({"milestone": _("The milestone belongs to another measure.")})
        if self.consultation_id and self.consultation.paper_id != self.paper_id:
            raise ValidationError({"consultation": _("The decision belongs to another paper.")})
