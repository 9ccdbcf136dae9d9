"""Models of networks.announcements (app label ``announcements``).

An Announcement is what a coordinator writes to (a part of) the network; its audience is a key of the audience
registry (networks.announcements.audiences: "members", "role:coordinator", "group:12", "event:34:registered", ...).
Sending writes one AnnouncementRecipient per person (the record of who got it and how: by email, or in the digest
for those who moved announcements there) and one outbox row per email, keyed (recipient, reason, announcement, ""):
once per recipient however often "Senden" is clicked or a task runs.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from networks.markdown import PROFILES, MarkdownHTMLField, MarkdownValidator
from networks.models import Network, Person, WorkingGroup
from networks.staff import has_staff_powers

REASON = "announcement"  # the outbox reason and mail kind of an announcement
INVITATION = "event_invitation"  # an event's invitation to the members (events.announcements)


class AnnouncementQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(state=Announcement.State.SENT)

    def visible_to(self, user):
        """Sent announcements of the networks the user has a role in; staff see all. Drafts: see ``drafts_of``."""
        if has_staff_powers(user):
            return self.sent()
        if not user.is_authenticated:
            return self.none()
        from networks.access import group_allows_q

        return self.sent().filter(network__in=Network.objects.of_user(user).values("pk")).filter(group_allows_q(user))

    def for_list(self):
        return self.select_related("author").defer("body", "body_html")


class Announcement(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        Person, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("kind of email"), max_length=40, default=REASON, editable=False)
    about = models.CharField(
        _("about"), max_length=64, blank=True, editable=False, help_text=_("What an invitation is for, e.g. event:12.")
    )
    audience = models.CharField(_("to"), max_length=64, default="members")
    # The working group it belongs to (audience "group:<id>", or an invitation to the group's meeting): a closed
    # group's announcements only for the group's readers (networks.access.group_allows). A deleted group's become
    # the network's, as its threads do.
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="announcements",
    )
    audience_label = models.CharField(_("recipients"), max_length=300, blank=True, editable=False)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"),
        max_length=PROFILES["announcement"].max_length,
        validators=[MarkdownValidator("announcement")],
        help_text=_("Markdown: **bold**, *italic*, lists with “-”, [text](https://…) for a link."),
    )
    body_html = MarkdownHTMLField(source="body", profile="announcement")
    documents = models.ManyToManyField(
        "library.Document", verbose_name=_("attachments from the library"), blank=True, related_name="+"
    )
    extra_attachments = models.JSONField(
        _("generated attachments"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Attachments made by the portal, e.g. an invitation's calendar entry."),
    )
    state = models.CharField(_("state"), max_length=8, choices=State, default=State.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0, editable=False)
    emailed_count = models.PositiveIntegerField(_("by email"), default=0, editable=False)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-created_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.UniqueConstraint(
                fields=["reason", "about"], condition=~Q(about=""), name="announcement_one_per_subject"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(sent_at__isnull=False), name="announcement_sent_has_date"
            ),
        ]
        indexes = [models.Index(fields=["network", "state", "-sent_at"], name="announcement_archive_idx")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("announcements:announcement-detail", args=[self.network.slug, self.pk])

    @property
    def is_sent(self) -> bool:
        return self.state == self.State.SENT

    @property
    def is_invitation(self) -> bool:
        return self.reason == INVITATION


class AnnouncementRecipient(models.Model):
    """Who got a sent announcement, and how: by email, or in their digest (they moved announcements there)."""

    class Via(models.TextChoices):
        EMAIL = "email", _("by email")
        DIGEST = "digest", _("in the digest")

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="announcements_received")
    via = models.CharField(_("delivered"), max_length=6, choices=Via)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "person"], name="announcement_recipient_once"),
        ]
        indexes = [models.Index(fields=["person", "via"], name="announcement_recipient_idx")]

    def __str__(self) -> str:
        return f"{self.person} ← {self.announcement}"
