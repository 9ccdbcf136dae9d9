"""The networks domain: organisations, people, networks and who belongs where.

Reads live on the QuerySets (``visible_to``, ``for_directory``); writes with rules
live in ``services.py``; permission questions are answered in ``access.py``.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from networks import municipal
from networks.staff import has_staff_powers
from observability.context import current_request_id

ags_validator = RegexValidator(r"^\d{8}$", _("The official municipality key (AGS) has exactly eight digits."))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """An account. Login is by email; the person behind it is ``user.person``."""

    username = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user account")
        verbose_name_plural = _("user accounts")

    def __str__(self) -> str:
        return self.email


class State(models.TextChoices):
    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        COUNTY = "county", _("county")
        CITY = "city", _("city")
        UTILITY = "utility", _("utility")
        COMPANY = "company", _("company")
        BANK = "bank", _("bank")
        CHURCH = "church", _("church")
        UNIVERSITY = "university", _("university")
        WELFARE = "welfare", _("welfare association")
        ENERGY_AGENCY = "energy_agency", _("energy agency")
        ASSOCIATION = "association", _("association")
        OTHER = "other", _("other")

    PUBLIC_BODIES = (Kind.MUNICIPALITY, Kind.COUNTY, Kind.CITY)

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    ags = models.CharField(_("official municipality key (AGS)"), max_length=8, blank=True, validators=[ags_validator])
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    state = models.CharField(_("federal state"), max_length=2, choices=State, blank=True)
    area = models.DecimalField(
        _("area (km²)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("The official area of the territory, for comparisons per km²."),
    )
    website = models.URLField(_("website"), blank=True)
    editors = models.ManyToManyField(
        "Person", through="OrganisationRole", related_name="edited_organisations", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["ags"], condition=~Q(ags=""), name="organisation_unique_ags"),
            models.CheckConstraint(
                condition=Q(ags="") | Q(kind__in=["municipality", "county", "city"]),
                name="organisation_ags_only_for_public_bodies",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.ags and self.kind not in self.PUBLIC_BODIES:
            raise ValidationError({"ags": _("Only municipalities, cities and counties have an AGS.")})
        land = municipal.land_of_ags(self.ags)
        if self.ags and self.state and land != self.state:  # one truth: the AGS names the Land
            raise ValidationError({"state": _("The AGS belongs to another federal state.")})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def land(self) -> str:
        """The Land's code: from the AGS where there is one (networks.municipal), else the state entered."""
        return municipal.land_of_ags(self.ags) or self.state

    @property
    def size_class(self) -> str:
        """The size class key (networks.municipal.SIZE_CLASSES; "county" for counties, "" when unknown)."""
        return municipal.size_class_of(self.population, is_county=self.kind == self.Kind.COUNTY)


class Topic(models.Model):
    """A managed list of subjects (heat planning, mobility, ...), not free text."""

    name = models.CharField(_("name (German)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") else self.name


def _network_ids_of(user):
    """Subquery: ids of the networks in which ``user`` has a role."""
    return NetworkRole.objects.filter(person__user=user).values("network")


class PersonQuerySet(models.QuerySet):
    def in_networks_of(self, user):
        """People who share at least one network with ``user`` (including themselves)."""
        return self.filter(pk__in=NetworkRole.objects.filter(network__in=_network_ids_of(user)).values("person"))

    def annotate_role(self, network: Network):
        """The person's role in ``network`` as ``network_role`` (one row per person)."""
        role = NetworkRole.objects.filter(network=network, person=models.OuterRef("pk")).values("role")[:1]
        return self.annotate(network_role=models.Subquery(role))

    def contact_visible(self):
        """People who let the members of their networks see their contact (``contact_is_visible``)."""
        return self.filter(contact_visibility__in=Person.MEMBERS_SEE_CONTACT, anonymised_at__isnull=True)

    def publicly_named(self):
        """People who may be named in public, e.g. as a measure's contact person (``is_publicly_named``)."""
        return self.filter(contact_visibility=Person.ContactVisibility.PUBLIC, anonymised_at__isnull=True)

    def for_directory(self):
        return self.select_related("organisation", "user").prefetch_related(
            models.Prefetch("expertise", queryset=Expertise.objects.select_related("topic"))
        )


class Person(models.Model):
    class ContactVisibility(models.TextChoices):  # from least to most visible; each includes the one before
        NOBODY = "nobody", _("nobody")
        MEMBERS = "members", _("members of my networks")
        PUBLIC = "public", _("everyone: also named publicly, e.g. as a measure's contact person")

    MEMBERS_SEE_CONTACT = (ContactVisibility.MEMBERS, ContactVisibility.PUBLIC)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_visibility = models.CharField(
        _("contact details visible to"), max_length=10, choices=ContactVisibility, default=ContactVisibility.MEMBERS
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="de")
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Only the affiliation: which organisation the person belonged to when (the rest is personal data that an
    # account deletion must be able to erase, not history to keep).
    history = HistoricalRecords(
        excluded_fields=["user", "name", "job_title", "phone", "contact_visibility", "language", "created_at"]
    )
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    @property
    def contact_is_visible(self) -> bool:  # the same rule as PersonQuerySet.contact_visible
        return self.contact_visibility in self.MEMBERS_SEE_CONTACT and self.anonymised_at is None

    @property
    def is_publicly_named(self) -> bool:  # the same rule as PersonQuerySet.publicly_named
        return self.contact_visibility == self.ContactVisibility.PUBLIC and self.anonymised_at is None

    @property
    def can_be_mailed(self) -> bool:
        """Someone a mail may go to: an active account with an address, not anonymised."""
        user = self.user
        return user is not None and user.is_active and bool(user.email) and self.anonymised_at is None


class Expertise(models.Model):
    class Level(models.IntegerChoices):
        BASIC = 1, _("basic knowledge")
        EXPERIENCED = 2, _("experienced")
        EXPERT = 3, _("expert")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="expertise")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="expertise")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level, default=Level.EXPERIENCED)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # issue 17 §4: off by default, per topic; members of the networks one shares always see it
    visible_everywhere = models.BooleanField(
        _("visible to members of all networks"),
        default=False,
        help_text=_(
            "Off: only members of the networks you belong to see this topic. On: members of every network on "
            "Klimanetz find you for it in “Who knows what” and can ask you a question through the portal; your "
            "email address stays hidden. Citizens and visitors never see it."
        ),
    )

    class Meta:
        ordering = ["topic__name"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")
        constraints = [
            models.UniqueConstraint(fields=["person", "topic"], name="expertise_one_per_topic"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="expertise_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.topic} ({self.get_level_display()})"


class NetworkQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def of_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=_network_ids_of(user))

    def visible_to(self, user):
        """Public networks, and the user's own; staff see all."""
        if has_staff_powers(user):
            return self.all()
        if not user.is_authenticated:
            return self.public()
        return self.filter(Q(is_public=True) | Q(pk__in=_network_ids_of(user)))

    def near_first(self, user):
        """Ordered for a national portal's front pages: the user's own networks and those their organisation is a
        member of first, then the newest."""
        if not user.is_authenticated:
            return self.order_by("-created_at", "pk")
        organisations = Person.objects.filter(user=user).values("organisation")
        theirs = Membership.objects.current().filter(organisation__in=organisations).values("network")
        near = Q(pk__in=_network_ids_of(user)) | Q(pk__in=theirs)
        rank = models.Case(models.When(near, then=models.Value(0)), default=models.Value(1))
        return self.alias(near_rank=rank).order_by("near_rank", "-created_at", "pk")

    def for_list(self):
        return self.select_related("host").annotate(
            organisation_count=models.Count(
                "memberships", filter=Q(memberships__until__isnull=True) | Q(memberships__until__gte=date.today())
            )
        )


class Network(models.Model):
    class Kind(models.TextChoices):
        CONSULTATION_CIRCLE = "consultation_circle", _("consultation circle")
        SELF_ORGANISED = "self_organised", _("self-organised network")
        REGIONAL_TEAM = "regional_team", _("regional team")
        WORKSHOP_SERIES = "workshop_series", _("practice workshop series")

    class MeetingFormat(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid")
        MIXED = "mixed", _("mostly online, sometimes on site")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind)
    host = models.ForeignKey(
        Organisation, verbose_name=_("host organisation"), on_delete=models.PROTECT, related_name="hosted_networks"
    )
    region = models.CharField(_("region"), max_length=120)
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"), null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    reactivated_on = models.DateField(_("reactivated on"), null=True, blank=True)
    meeting_format = models.CharField(_("usual meeting format"), max_length=10, choices=MeetingFormat)
    meeting_rhythm = models.CharField(_("meeting rhythm"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    goals = models.TextField(_("goals"), blank=True)
    funding_programme = models.CharField(_("funding programme"), max_length=200, blank=True)
    funding_start = models.DateField(_("funding from"), null=True, blank=True)
    funding_end = models.DateField(_("funding until"), null=True, blank=True)
    funding_amount = models.DecimalField(
        _("funding amount (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    website = models.URLField(_("website"), blank=True)
    is_public = models.BooleanField(
        _("public profile"), default=True, help_text=_("Anyone can see the profile; internal pages stay members-only.")
    )
    board_public = models.BooleanField(
        _("public monitoring board"),
        default=False,
        help_text=_("Anyone can see the heat-planning board and the target years; otherwise members only."),
    )
    organisations = models.ManyToManyField(Organisation, through="Membership", related_name="networks")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = NetworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.CheckConstraint(
                condition=Q(funding_end__isnull=True)
                | Q(funding_start__isnull=True)
                | Q(funding_end__gte=models.F("funding_start")),
                name="network_funding_period_order",
            ),
            models.CheckConstraint(
                condition=Q(funding_amount__isnull=True) | Q(funding_amount__gte=0),
                name="network_funding_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})"

    def get_absolute_url(self) -> str:
        return reverse("networks:network-detail", args=[self.slug])

    def clean(self) -> None:
        if self.funding_start and self.funding_end and self.funding_end < self.funding_start:
            raise ValidationError({"funding_end": _("The funding cannot end before it starts.")})


class MembershipQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=on), since__lte=on)


class Membership(models.Model):
    """An organisation's membership in a network, with its period; ended ones stay as history."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    since = models.DateField(_("member since"), default=date.today)
    until = models.DateField(_("member until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="membership_period_order"
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"], condition=Q(until__isnull=True), name="membership_one_open_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.network.short_name}"

    def clean(self) -> None:
        if self.until and self.since and self.until < self.since:
            raise ValidationError({"until": _("A membership cannot end before it begins.")})


class NetworkRole(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordination")
        MEMBER = "member", _("member")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_roles")
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.MEMBER)
    since = models.DateField(_("since"), default=date.today)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "person__name"]
        verbose_name = _("network role")
        verbose_name_plural = _("network roles")
        constraints = [models.UniqueConstraint(fields=["network", "person"], name="network_role_one_per_person")]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} ({self.network.short_name})"


class OrganisationRole(models.Model):
    """A person who edits an organisation's roadmap, measures, indicators and status."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("editor")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="organisation_roles")
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.EDITOR)

    class Meta:
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="organisation_role_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} ({self.organisation})"


class AffiliationRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=AffiliationRequest.Status.PENDING)


class AffiliationRequest(models.Model):
    """A person's wish to belong to an organisation. ``Person.organisation`` stays the confirmed affiliation; it
    changes only when the organisation's editors or a coordinator of one of its networks confirm (networks.access
    says who may; networks.affiliations does it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliation_requests")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="affiliation_requests"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    note = models.CharField(
        _("message to the organisation"),
        max_length=500,
        blank=True,
        help_text=_("Optional, for example your role there; whoever confirms reads it."),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        Person, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = AffiliationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("affiliation request")
        verbose_name_plural = _("affiliation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="pending"), name="affiliation_request_one_pending_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.organisation} ({self.get_status_display()})"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


PENDING_INVITATION = Q(used_at__isnull=True, revoked_at__isnull=True)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor withdrawn (possibly expired): at most one per address and network."""
        return self.filter(PENDING_INVITATION)

    def open(self):
        """Pending and still valid: the link works."""
        return self.pending().filter(expires_at__gt=timezone.now())

    def addressed_to(self, user):
        """The open invitations to the user's address, once the address is confirmed: an invitation link proves
        the address only for its own invitation (networks.adapters.InvitationEmailVerificationStage)."""
        from allauth.account.models import EmailAddress

        confirmed = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
        return self.open().filter(email__iexact=user.email).filter(models.Exists(confirmed))


class Invitation(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    name = models.CharField(
        _("name"), max_length=150, blank=True, help_text=_("Optional; the email greets the person by this name.")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("Optional; the person is assigned to it on joining, unless they have chosen one already."),
    )
    role = models.CharField(_("role"), max_length=12, choices=NetworkRole.Role, default=NetworkRole.Role.MEMBER)
    language = models.CharField(_("language of the email"), max_length=5, choices=settings.LANGUAGES, default="de")
    message = models.TextField(_("personal message"), max_length=2000, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, related_name="invitations_sent")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    used_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations_accepted"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token"])  # the link's secret is no history
    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "network",
                condition=PENDING_INVITATION,
                name="invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.network.short_name}"

    def get_absolute_url(self) -> str:
        return reverse("networks:invitation-accept", args=[self.token])

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class WorkingGroupQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("topic").annotate(member_count=models.Count("members", distinct=True))

    def readable_by(self, user):
        """The groups whose discussions and documents ``user`` may read (networks.access.readable_working_groups:
        open groups for the network's members; closed ones for their members, the coordination and staff)."""
        from networks.access import readable_working_groups

        return readable_working_groups(user, self)


class WorkingGroup(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="working_groups")
    name = models.CharField(_("name"), max_length=200)
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(Person, verbose_name=_("members"), related_name="working_groups", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_open = models.BooleanField(
        _("open group"),
        default=True,
        help_text=_(
            "Open: all members of the network can read the group and join it themselves. Closed: only the group's "
            "members and the coordination see its discussions, documents, meetings and tasks; the coordinators add "
            "members."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [models.UniqueConstraint(fields=["network", "name"], name="working_group_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:working-group-detail", args=[self.network.slug, self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        group = super().from_db(db, field_names, values)
        group._loaded_is_open = group.__dict__.get("is_open")
        return group

    @property
    def openness_changed(self) -> bool:
        """Whether ``is_open`` differs from what was loaded (the search reindexes the group's threads, posts and
        documents after such a save: their scopes change)."""
        loaded = getattr(self, "_loaded_is_open", None)
        return loaded is not None and loaded != self.is_open


class CampaignQuerySet(models.QuerySet):
    def for_list(self):
        return self.prefetch_related("organisations")


class Campaign(models.Model):
    class Kind(models.TextChoices):
        PV = "pv", _("photovoltaics")
        HEAT = "heat", _("heat")
        MOBILITY = "mobility", _("mobility")
        ENERGY_SAVING = "energy_saving", _("energy saving")
        ADAPTATION = "adaptation", _("climate adaptation")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        CANCELLED = "cancelled", _("cancelled")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PLANNED)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("participating organisations"), related_name="campaigns", blank=True
    )
    goals = models.TextField(_("goals"), blank=True)
    results = models.TextField(_("results"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "title"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="campaign_period_order",
            ),
            models.UniqueConstraint(fields=["network", "title"], name="campaign_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("networks:campaign-detail", args=[self.network.slug, self.pk])

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("A campaign cannot end before it starts.")})


class OutboxMessage(models.Model):
    """One outgoing email. Written in the transaction of the change that causes it.

    The unique key (recipient, reason, object, occasion) makes enqueueing idempotent;
    sending claims the row with a conditional UPDATE so it goes out at most once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.EmailField(_("recipient"))
    reason = models.CharField(_("reason"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64)
    occasion = models.CharField(_("occasion"), max_length=100, default="", blank=True)
    language = models.CharField(_("language"), max_length=5, default="de")
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text=_("Attachments: filename, MIME type and the text, or the name of a stored file."),
    )
    headers = models.JSONField(
        _("extra headers"),
        default=dict,
        blank=True,
        help_text=_("Headers of this message beside the usual ones, e.g. List-Id or Reply-To."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # the request or task that wrote the row (its id in the logs and error reports: observability.context)
    request_id = models.CharField(
        _("request id"), max_length=128, blank=True, default=current_request_id, editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")  # the admin says "Postausgang" where it lists the model
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reason", "object_type", "object_id", "occasion"], name="outbox_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.reason} → {self.recipient} ({self.get_status_display()})"


class MailOptOut(models.Model):
    """A kind of email a person has switched off (no row: on). The kinds are registered in networks.mail."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mail_opt_outs")
    kind = models.CharField(_("kind of email"), max_length=60)
    created_at = models.DateTimeField(_("switched off at"), auto_now_add=True)

    class Meta:
        ordering = ["person", "kind"]
        verbose_name = _("switched-off email")
        verbose_name_plural = _("switched-off emails")
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="mail_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind}"
