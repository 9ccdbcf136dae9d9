"""Models of networks.inbound (app label ``inbound``): one row per email taken from the mailbox.

The row is the "taken at most once" rule: ``message_id`` is unique (a message without a Message-ID is keyed by a
hash of its bytes), and it is written in the transaction that posts the reply or queues the refusal. A fetch that
crashes before it commits leaves no row and no post; the message is taken on the next run. The text itself is not
kept here: a posted reply is the post, a refused one went back to its sender.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from networks.models import Person


class InboundMessage(models.Model):
    class Outcome(models.TextChoices):
        POSTED = "posted", pgettext_lazy("incoming email", "posted")
        REFUSED = "refused", pgettext_lazy("incoming email", "refused")
        DROPPED = "dropped", pgettext_lazy("incoming email", "dropped (automatic email)")
        FAILED = "failed", _("failed")

    class Reason(models.TextChoices):
        NONE = "", pgettext_lazy("incoming email", "—")
        NO_TOKEN = "no_token", _("sent to an address without a reply token")
        FORGED_TOKEN = "forged_token", _("unknown or forged reply token")
        WRONG_SENDER = "wrong_sender", _("sender is not the person the reply address belongs to")
        NO_ACCESS = "no_access", _("the person may no longer read or write in the thread")
        CLOSED = "closed", _("the thread is closed")
        EMPTY = "empty", _("no text above the quote")
        INVALID = "invalid", _("the text cannot be posted")
        TOO_LARGE = "too_large", _("the email is too large")
        AUTO_REPLY = "auto-reply", _("automatic reply")
        BOUNCE = "bounce", _("bounce or delivery report")
        LIST = "list", _("mail from a mailing list")
        OURS = "ours", _("one of the portal's own emails")
        ERROR = "error", _("error while processing")

    message_id = models.CharField(pgettext_lazy("incoming email", "Message-ID"), max_length=255, unique=True)
    received_at = models.DateTimeField(pgettext_lazy("incoming email", "received at"), auto_now_add=True, db_index=True)
    sender = models.CharField(pgettext_lazy("incoming email", "sender"), max_length=254, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person of the reply address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    thread = models.ForeignKey(
        "channel.Thread",
        verbose_name=_("thread"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    post = models.ForeignKey(
        "channel.Post", verbose_name=_("post"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason, blank=True, default="")
    detail = models.TextField(pgettext_lazy("incoming email", "detail"), blank=True)
    refusal_sent = models.BooleanField(pgettext_lazy("incoming email", "refusal sent"), default=False)
    attachments_refused = models.JSONField(_("attachments not taken"), default=list, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("incoming email")
        verbose_name_plural = _("incoming emails")
        indexes = [models.Index(fields=["sender", "refusal_sent", "received_at"], name="inbound_refusals_idx")]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.get_outcome_display()})"
