"""What the public measure page adds to a measure: its external links, and the messages citizens send its contact
person through the contact form (the address is never shown; the message goes through the outbox)."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from measures.models.roadmap import Measure
from networks.models import Person

CONTACT_TEXT_MAX = 3000
CONTACT_TEXT_MIN = 20


class MeasureLink(models.Model):
    """A link the measure page shows: where to apply for funding, the project's own website, a document."""

    class Kind(models.TextChoices):
        FUNDING = "funding", _("apply for funding")
        PROJECT = "project", _("project website")
        DOCUMENT = "document", _("document")
        OTHER = "other", _("further information")

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind of link"), max_length=10, choices=Kind, default=Kind.OTHER)
    label = models.CharField(_("link text"), max_length=120, help_text=_("For example: Apply for the PV grant"))
    url = models.URLField(_("address (URL)"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("link of a measure")
        verbose_name_plural = _("links of a measure")
        constraints = [models.UniqueConstraint(fields=["measure", "url"], name="measure_link_url_unique")]

    def __str__(self) -> str:
        return f"{self.label} ({self.url})"


class ContactMessage(models.Model):
    """A message to a measure's contact person, sent through the outbox (one email per message)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="contact_messages"
    )
    sender = models.ForeignKey(Person, verbose_name=_("sender"), on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        Person, verbose_name=_("recipient"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(
        _("message"),
        max_length=CONTACT_TEXT_MAX,
        validators=[MinLengthValidator(CONTACT_TEXT_MIN), MaxLengthValidator(CONTACT_TEXT_MAX)],
    )
    reply_to_sender = models.BooleanField(_("the contact may answer me by email"), default=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to a contact person")
        verbose_name_plural = _("messages to contact persons")
        indexes = [models.Index(fields=["sender", "created_at"], name="contact_message_rate_idx")]

    def __str__(self) -> str:
        return f"{self.sender} → {self.measure}"
