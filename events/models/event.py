"""Events and recurring series, their agendas and registrations.

All times are aware datetimes; the portal's zone is Europe/Berlin (settings.TIME_ZONE).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from events.recurrence import describe_series
from networks.markdown import PROFILES, MarkdownHTMLField, MarkdownValidator
from networks.models import Network, Person, Topic, WorkingGroup
from networks.staff import has_staff_powers


class Kind(models.TextChoices):
    KICK_OFF = "kick_off", _("kick-off")
    WORKSHOP = "workshop", _("workshop")
    NETWORK_MEETING = "network_meeting", _("network meeting")
    OFFICE_HOUR = "office_hour", _("office hour")
    PUBLIC_EVENT = "public_event", _("public event")
    PRACTICE_WORKSHOP = "practice_workshop", _("practice workshop")


class Format(models.TextChoices):
    ON_SITE = "on_site", _("on site")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    NETWORK = "network", _("network members only")


class EventFields(models.Model):
    """What an event and a series (as the template of its occurrences) have in common."""

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    format = models.CharField(_("format"), max_length=10, choices=Format)
    venue = models.CharField(_("venue"), max_length=200, blank=True, help_text=_("For example: Umweltamt Dortmund"))
    room = models.CharField(
        _("room"), max_length=120, blank=True, help_text=_("For example: Großer Sitzungssaal (A 101), 1st floor")
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=10, blank=True, validators=[RegexValidator(r"^[0-9A-Za-z -]{3,10}$")]
    )
    town = models.CharField(_("town"), max_length=100, blank=True)
    step_free = models.BooleanField(
        _("step-free access"), null=True, blank=True, help_text=_("Can people in a wheelchair reach the room?")
    )
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility_notes = models.CharField(
        _("accessibility notes"),
        max_length=500,
        blank=True,
        help_text=_("For example: lift at the side entrance, accessible toilet, sign language interpreting."),
    )
    transit_notes = models.CharField(
        _("getting there"),
        max_length=500,
        blank=True,
        help_text=_("Public transport and parking, e.g. “Bus 201 to Kreishaus, 5 minutes from Düren station”."),
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Only registered participants and the coordination see the link.")
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("Leave empty for no limit. When it is full, further registrations go on the waiting list."),
    )
    visibility = models.CharField(_("visible to"), max_length=10, choices=Visibility, default=Visibility.NETWORK)
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=PROFILES["description"].max_length,
        validators=[MarkdownValidator("description")],
        help_text=_("Markdown: **bold**, *italic*, lists with “-”, [text](https://…) for a link."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def address(self) -> str:
        """The postal address on one line: 'Bismarckstraße 16, 52351 Düren' (without the venue's name)."""
        place = " ".join(part for part in (self.postcode, self.town) if part)
        return ", ".join(part for part in (self.street, place) if part)

    @property
    def full_place(self) -> str:
        """Venue, room and address on one line (calendar files, emails)."""
        return ", ".join(part for part in (self.venue, self.room, self.address) if part)

    @property
    def map_url(self) -> str:
        """A search for the address on OpenStreetMap (a link, nothing embedded); empty without a street or town."""
        if not (self.street or self.town):
            return ""
        query = ", ".join(part for part in (self.venue if not self.street else "", self.address) if part)
        return "https://www.openstreetmap.org/search?" + urlencode({"query": query})

    def clean_place(self) -> dict:
        errors = {}
        if self.format in (Format.ONLINE, Format.HYBRID) and not self.online_url:
            errors["online_url"] = _("An online or hybrid event needs an online link.")
        if self.format in (Format.ON_SITE, Format.HYBRID) and not self.venue:
            errors["venue"] = _("An event on site needs a venue.")
        return errors


class EventSeries(EventFields):
    """A recurrence rule (RFC 5545) whose occurrences are materialised as Events ahead of time."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("every n weeks on a weekday")
        MONTHLY = "monthly", _("monthly on the nth weekday")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    class Ordinal(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="series")
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(
        _("every"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Weeks (or months) between two dates: 2 = every second week."),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    ordinal = models.SmallIntegerField(
        _("which weekday of the month"), choices=Ordinal, null=True, blank=True, help_text=_("Only for monthly series.")
    )
    first_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(
        _("number of dates"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    registration_closes_hours = models.PositiveSmallIntegerField(
        _("registration closes (hours before)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    agenda = models.JSONField(
        _("agenda"), default=list, blank=True, editable=False, help_text=_("Each date's agenda: time, item, note.")
    )
    materialised_until = models.DateField(_("dates created until"), null=True, blank=True, editable=False)
    ended_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["network", "title"]
        verbose_name = _("event series")
        verbose_name_plural = _("event series")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="series_end_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1),
                name="series_interval_positive",
                violation_error_message=_("The interval must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(frequency="weekly") | Q(ordinal__isnull=False),
                name="series_monthly_needs_ordinal",
                violation_error_message=_("A monthly series needs the weekday's position in the month."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(count__isnull=True),
                name="series_until_or_count",
                violation_error_message=_("Give either a last date or a number of dates, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:series-detail", args=[self.network.slug, self.pk])

    def clean(self) -> None:
        errors = self.clean_place()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The end must be after the start.")
        if self.frequency == self.Frequency.MONTHLY and self.ordinal is None:
            errors["ordinal"] = _("A monthly series needs the weekday's position in the month.")
        if self.until and self.count:
            errors["count"] = _("Give either a last date or a number of dates, not both.")
        if self.until and self.first_date and self.until < self.first_date:
            errors["until"] = _("The last date cannot be before the first date.")
        if errors:
            raise ValidationError(errors)

    def rrule(self, dtstart: datetime | None = None):
        """The dateutil rule of this series; its DTSTART is the first occurrence in Europe/Berlin."""
        from dateutil import rrule

        weekday = rrule.weekdays[self.weekday]
        if self.frequency == self.Frequency.MONTHLY:
            freq, byweekday = rrule.MONTHLY, weekday(self.ordinal)
        else:
            freq, byweekday = rrule.WEEKLY, weekday
        start = dtstart or datetime.combine(self.first_date, self.start_time)
        until = datetime.combine(self.until, self.start_time) if self.until else None
        return rrule.rrule(
            freq, dtstart=start, interval=self.interval, byweekday=byweekday, until=until, count=self.count
        )

    @property
    def rrule_text(self) -> str:
        """The RRULE line as RFC 5545 writes it, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TU."""
        return str(self.rrule()).split("RRULE:", 1)[-1]

    @property
    def duration(self) -> timedelta:
        return datetime.combine(self.first_date, self.end_time) - datetime.combine(self.first_date, self.start_time)

    def agenda_items(self) -> list[dict]:
        """The agenda as the event services take it: time (a time or None), title, note."""
        from datetime import time as time_of_day

        return [
            {
                "time": time_of_day.fromisoformat(item["time"]) if item.get("time") else None,
                "title": item["title"],
                "note": item.get("note", ""),
            }
            for item in self.agenda or []
            if item.get("title")
        ]

    def describe(self) -> str:
        """The rule in words: 'every second Tuesday, 10:00–11:00' (events.recurrence, the one place for it)."""
        return describe_series(self)


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public events of visible networks; all events of the user's networks; staff see all. A closed working
        group's meetings only for who may read the group (networks.access.group_allows, also for public ones)."""
        from networks.access import group_allows_q

        if has_staff_powers(user):
            return self.all()
        public = Q(visibility=Visibility.PUBLIC, network__is_public=True)
        if not user.is_authenticated:
            return self.filter(public, group_allows_q(user))
        return self.filter(public | Q(network__in=Network.objects.of_user(user).values("pk"))).filter(
            group_allows_q(user)
        )

    def visible_to_person(self, person: Person):
        """What a person's emails and personal calendar feed may show of events: those of the networks of their
        roles (closed groups' meetings only where they may read the group) and ``visible_to``'s public ones."""
        from networks.access import person_group_allows_q

        public = Q(visibility=Visibility.PUBLIC, network__is_public=True)
        roles = Q(network__in=Network.objects.filter(roles__person=person).values("pk"))
        return self.filter(public | roles).filter(person_group_allows_q(person))

    def upcoming(self, now: datetime | None = None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now: datetime | None = None):
        return self.filter(ends_at__lt=now or timezone.now())

    def active(self):
        return self.exclude(status=Event.Status.CANCELLED)

    def with_counts(self):
        """Registered and waiting numbers as annotations (one query for any number of events): each a subquery
        over the registrations of the row's own event (the queue's index), so a page of 20 counts the
        registrations of 20 events, not of every event the filters let through before the page is cut."""

        def counted(statuses) -> Coalesce:
            rows = Registration.objects.filter(event=OuterRef("pk"), status__in=statuses).order_by()
            number = rows.values("event").annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(number, output_field=models.IntegerField()), 0)

        return self.annotate(
            registered_count=counted(Registration.TAKES_A_PLACE),
            waiting_count=counted([Registration.Status.WAITING]),
        )

    def with_my_status(self, person: Person | None):
        """The viewer's registration status on each event as ``my_status`` (None when not registered)."""
        if person is None:
            return self.annotate(my_status=models.Value(None, output_field=models.CharField()))
        mine = Registration.objects.filter(event=OuterRef("pk"), person=person).values("status")[:1]
        return self.annotate(my_status=models.Subquery(mine))

    def for_list(self):
        return self.select_related("network", "series").prefetch_related("topics").with_counts()


class Event(EventFields):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CANCELLED = "cancelled", _("cancelled")

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="events")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(
        EventSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    original_start = models.DateTimeField(
        _("originally planned for"), null=True, blank=True, editable=False, help_text=_("The series' own date.")
    )
    detached = models.BooleanField(_("changed individually"), default=False, editable=False)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    minutes = models.TextField(
        _("minutes"),
        blank=True,
        max_length=PROFILES["minutes"].max_length,
        validators=[MarkdownValidator("minutes")],
        help_text=_("Markdown: headings, lists, links, bold."),
    )
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True, editable=False)
    minutes_html = MarkdownHTMLField(source="minutes", profile="minutes")
    description_html = MarkdownHTMLField(source="description", profile="description")
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Optional: a meeting of one of the network's working groups appears on the group's page."),
    )
    source_thread = models.ForeignKey(
        "channel.Thread",
        verbose_name=_("from the discussion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "minutes_html", "description_html"])  # html: derived
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message=_("The number of places must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True) | Q(registration_deadline__lte=models.F("ends_at")),
                name="event_deadline_before_end",
                violation_error_message=_("The registration deadline must be before the event ends."),
            ),
            models.UniqueConstraint(
                fields=["series", "original_start"],
                condition=Q(series__isnull=False),
                name="event_one_occurrence_per_series_date",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "starts_at"], name="event_network_start_idx"),
            models.Index(fields=["starts_at"], name="event_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("events:event-detail", args=[self.network.slug, self.pk])

    def clean(self) -> None:
        errors = self.clean_place()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        if self.registration_deadline and self.ends_at and self.registration_deadline > self.ends_at:
            errors["registration_deadline"] = _("The registration deadline must be before the event ends.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_started(self) -> bool:
        """From the start on, registrations are final: no new ones, no cancelling, attendance can be taken."""
        return self.starts_at <= timezone.now()

    @property
    def is_office_hour(self) -> bool:
        return self.kind == Kind.OFFICE_HOUR

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def registration_open(self) -> bool:
        now = timezone.now()
        if self.is_cancelled or self.has_started:
            return False
        return self.registration_deadline is None or now <= self.registration_deadline

    @property
    def places_left(self) -> int | None:
        """Free places (needs ``with_counts``); None without a limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - getattr(self, "registered_count", 0), 0)


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    time = models.TimeField(_("time"), null=True, blank=True)
    title = models.CharField(_("agenda item"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "time", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")

    def __str__(self) -> str:
        return self.title


class RegistrationQuerySet(models.QuerySet):
    def with_waiting_position(self):
        """``waiting_position``: 1 + the people ahead in the same event's waiting list (QUEUE_ORDER)."""
        ahead = (
            Registration.objects.filter(event=OuterRef("event"), status=Registration.Status.WAITING)
            .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk")))
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(waiting_position=Coalesce(Subquery(ahead, output_field=models.IntegerField()), 0) + 1)


def new_guest_token() -> str:
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    """A place, a waiting-list place or a cancellation: of a person with an account, or of a guest without one
    (public events: name and a verified email; ``guest_token`` opens the verification and cancel links), or a
    walk-in the coordination added to the attendance (name only, optionally linked to a person)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("email not confirmed yet")
        REGISTERED = "registered", _("registered")
        WAITING = "waiting", _("waiting list")
        CANCELLED = "cancelled", _("cancelled")
        ATTENDED = "attended", _("attended")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("on site")
        ONLINE = "online", _("online")

    TAKES_A_PLACE = (Status.REGISTERED, Status.ATTENDED)
    QUEUE_ORDER = ("queued_at", "pk")  # first come, first served: places, waiting list and promotion

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="registrations", null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status)
    mode = models.CharField(_("taking part"), max_length=10, choices=Mode, blank=True)
    guest_name = models.CharField(_("name"), max_length=200, blank=True)
    guest_email = models.EmailField(_("email"), blank=True)
    guest_language = models.CharField(max_length=8, blank=True, editable=False)
    guest_token = models.CharField(max_length=64, blank=True, editable=False)
    verified_at = models.DateTimeField(_("email confirmed"), null=True, blank=True, editable=False)
    walk_in = models.BooleanField(_("came without registering"), default=False)
    queued_at = models.DateTimeField(_("in the queue since"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "guest_token"])
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="registration_one_per_person"),
            models.UniqueConstraint(
                fields=["event", "guest_email"],
                condition=Q(person__isnull=True) & ~Q(guest_email=""),
                name="registration_one_per_guest_email",
            ),
            models.UniqueConstraint(
                fields=["guest_token"], condition=~Q(guest_token=""), name="registration_guest_token_unique"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_name=""),
                name="registration_person_or_name",
                violation_error_message=_("A registration needs a person or a name."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="registration_queue_idx")]

    def __str__(self) -> str:
        return f"{self.name} – {self.event} ({self.get_status_display()})"

    @property
    def is_guest(self) -> bool:
        """Without an account: a public registration by email or a walk-in not linked to a person."""
        return self.person_id is None

    @property
    def name(self) -> str:
        return self.person.name if self.person_id else self.guest_name

    @property
    def email(self) -> str:
        if self.person_id:
            return self.person.user.email if self.person.user_id else ""
        return self.guest_email

    @property
    def takes_a_place(self) -> bool:
        return self.status in self.TAKES_A_PLACE


def holds_a_place(person: Person):
    """Exists(): the person holds a place at the outer event (may see the online link)."""
    return Exists(
        Registration.objects.filter(event=OuterRef("pk"), person=person, status__in=Registration.TAKES_A_PLACE)
    )
