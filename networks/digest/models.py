"""Models of networks.digest (app label ``digest``): how each person wants a network's mail, and what was sent.

- ``DeliveryPreference``: per person and network, the posts mode (every post by email, daily or weekly digest,
  nothing) and whether announcements come by email or only in the digest. No row means the defaults
  (``DEFAULT_POSTS`` daily digest, announcements by email): a climate manager with 40 emails a day gets one digest
  a day and the coordinators' announcements at once.
- ``DigestSettings``: per person, the hour (Europe/Berlin) and the weekday of the weekly digest. No row: 7:00,
  Monday.
- ``DigestRun``: one per person, period kind and period ("2026-12-07", "2026-W50"), written in the same
  transaction as the digest's outbox row (or with ``items == 0`` when there was nothing: never an empty mail).
  Its ``until`` is the high-water mark the next run of the same kind starts from: nothing twice.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT_HOUR = 7
DEFAULT_WEEKDAY = 0  # Monday (datetime.weekday())


class PostsMode(models.TextChoices):
    EACH = "each", _("every post by email")
    DAILY = "daily", _("daily digest")
    WEEKLY = "weekly", _("weekly digest")
    OFF = "off", pgettext_lazy("digest", "nothing")


DEFAULT_POSTS = PostsMode.DAILY


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DeliveryPreference(models.Model):
    person = models.ForeignKey("networks.Person", on_delete=models.CASCADE, related_name="delivery_preferences")
    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="delivery_preferences")
    posts = models.CharField(
        pgettext_lazy("digest", "discussions"), max_length=8, choices=PostsMode, default=DEFAULT_POSTS
    )
    announcements_by_email = models.BooleanField(
        _("announcements by email"),
        default=True,
        help_text=_("Otherwise announcements come only in the digest; they cannot be switched off entirely."),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("delivery preference")
        verbose_name_plural = _("delivery preferences")
        constraints = [
            models.UniqueConstraint(fields=["person", "network"], name="digest_one_preference_per_network"),
            models.CheckConstraint(
                condition=models.Q(posts__in=PostsMode.values), name="digest_preference_posts_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.network}: {self.posts}"


class DigestSettings(models.Model):
    person = models.OneToOneField(
        "networks.Person", on_delete=models.CASCADE, primary_key=True, related_name="digest_settings"
    )
    hour = models.PositiveSmallIntegerField(
        pgettext_lazy("digest", "hour"),
        default=DEFAULT_HOUR,
        validators=[MaxValueValidator(23)],
        help_text=_("German time (Berlin)."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday of the weekly digest"), choices=Weekday, default=DEFAULT_WEEKDAY
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("digest settings")
        verbose_name_plural = _("digest settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="digest_settings_hour_0_23"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="digest_settings_weekday_0_6"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.hour}:00, {self.get_weekday_display()}"


class DigestRun(models.Model):
    class Period(models.TextChoices):
        DAILY = "daily", pgettext_lazy("digest", "daily")
        WEEKLY = "weekly", pgettext_lazy("digest", "weekly")

    person = models.ForeignKey("networks.Person", on_delete=models.CASCADE, related_name="digest_runs")
    period = models.CharField(pgettext_lazy("digest", "period kind"), max_length=6, choices=Period)
    period_key = models.CharField(pgettext_lazy("digest", "period"), max_length=10)  # "2026-12-07" or "2026-W50"
    since = models.DateTimeField(_("items since"))
    until = models.DateTimeField(_("items until"))  # the high-water mark of the next run of this kind
    items = models.PositiveIntegerField(pgettext_lazy("digest", "items"), default=0)
    sections = models.JSONField(_("items per section"), default=dict, blank=True)
    outbox = models.OneToOneField(
        "networks.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="digest_run"
    )
    # the batch that wrote the row (build.digest_build_batch inserts its rows ignoring conflicts, then keeps those
    # with its own claim: the one that got there first sends; a second run of the same batch finds nothing to do)
    claim = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(_("built at"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest run")
        verbose_name_plural = _("digest runs")
        constraints = [
            models.UniqueConstraint(fields=["person", "period", "period_key"], name="digest_one_run_per_period"),
        ]
        indexes = [models.Index(fields=["period", "period_key"], name="digest_run_period_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.period} {self.period_key}: {self.items}"
