"""Writing and sending announcements.

Sending is one transaction: the announcement is locked and marked sent, one AnnouncementRecipient per person of
the audience and one outbox row per email are written in bulk (a constant number of queries for any number of
recipients), and one task delivers the rows after commit. The outbox key (recipient, reason, announcement, "")
and the state check under the lock make a second click, a second tab or a retried request send nothing more.

Each email is rendered once per language (and once with, once without the personal "move to the digest" link),
not once per recipient: the personal link is filled into the rendered text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from networks import mail
from networks.announcements import audiences
from networks.announcements.models import INVITATION, REASON, Announcement, AnnouncementRecipient
from networks.models import Network, NetworkRole, OutboxMessage, Person
from networks.outbox import queue_on_commit

MOVE_LINK = "@@klimanetz-move-to-digest@@"  # filled per recipient into the rendered email
SLOT = "klimanetz-one-click-slot"  # the place of the signed token in the one-click address
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # together; larger documents go as links only
MAX_ATTACHMENTS = 10
OBJECT_TYPE = Announcement._meta.label_lower


# --- Drafts -------------------------------------------------------------------------------------------------


@transaction.atomic
def announcement_save(*, announcement: Announcement, author: Person | None, documents=None) -> Announcement:
    """Create or change a draft (a sent announcement cannot change: the emails are out)."""
    if announcement.pk and Announcement.objects.filter(pk=announcement.pk, state=Announcement.State.SENT).exists():
        raise ValidationError(_("This announcement has been sent already; it cannot be changed."))
    if announcement.author_id is None:
        announcement.author = author
    announcement.full_clean(exclude=["network", "author"])
    announcement.audience_label = audiences.label(announcement.network, announcement.audience) or ""
    announcement.working_group = working_group_of(announcement)
    announcement.save()
    if documents is not None:
        _attachments_set(announcement, documents)
    return announcement


def working_group_of(announcement: Announcement):
    """The group an announcement belongs to: an invitation's (``about``: the meeting's group), else its audience's
    ("group:<id>", an event's audiences); None for the whole network."""
    network = announcement.network
    if announcement.about:
        group = audiences.working_group_of(network, announcement.about)
        if group is not None:
            return group
    return audiences.working_group_of(network, announcement.audience)


def _attachments_set(announcement: Announcement, documents) -> None:
    announcement.documents.set(documents)


@transaction.atomic
def announcement_delete(*, announcement: Announcement) -> None:
    """Discard a draft."""
    if announcement.is_sent:
        raise ValidationError(_("A sent announcement stays in the archive."))
    announcement.delete()


# --- Rendering ----------------------------------------------------------------------------------------------


@dataclass
class Rendered:
    subject: str
    text: str
    html: str


def documents_of(announcement: Announcement) -> list:
    """The library documents attached (those not deleted since), with what their links need."""
    if announcement.pk is None:
        return []
    return list(announcement.documents.filter(deleted_at=None).select_related("current", "network").order_by("title"))


def attachments_of(announcement: Announcement, documents=None) -> list[dict]:
    """The outbox attachments: the library documents' current files (read from storage when sent, never copied)
    and what the portal made (an invitation's .ics)."""
    out = []
    for document in documents_of(announcement) if documents is None else documents:
        version = document.current
        if version is not None:
            out.append(
                {"filename": version.original_name, "mimetype": version.content_type, "storage_name": version.file.name}
            )
    return out + list(announcement.extra_attachments)


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def render(
    announcement: Announcement,
    *,
    language: str,
    move_link: bool,
    test_count: int | None = None,
    extra: dict | None = None,
) -> Rendered:
    """The email in ``language``; ``move_link``: with the placeholder of the personal link to the digest;
    ``test_count``: a test to the author, naming how many the real one will reach; ``extra``: more context
    (an invitation's reminder)."""
    template = announcement.reason  # the kind of email is the template's name: announcement, event_invitation
    with translation.override(language):
        context = {
            "announcement": announcement,
            "network": announcement.network,
            "author": announcement.author,
            "documents": [(d.title, _site(d.get_absolute_url())) for d in documents_of(announcement)],
            "archive_url": _site(announcement.get_absolute_url()) if announcement.pk else "",
            "move_url": MOVE_LINK if move_link else "",
            "is_test": test_count is not None,
            "test_count": test_count,
            "site_url": settings.SITE_URL,
            "language": language,
            "mail_footer": mail.footer_context(kind=announcement.reason, person=None, language=language),
        }
        context.update(audiences.mail_context(announcement, language))
        context.update(extra or {})
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return Rendered(" ".join(subject.split())[:250], text, html)


def headers_of(announcement: Announcement) -> dict[str, str]:
    """Mailing-list headers every email of the announcement carries (the personal List-Unsubscribe is added per
    member; Auto-Submitted is added by the outbox to every email)."""
    headers = {
        "List-Id": mail.list_id(announcement.network),
        "List-Archive": f"<{_site(reverse('announcements:announcement-list', args=[announcement.network.slug]))}>",
        "Precedence": "list",
        "Auto-Submitted": "auto-generated",
    }
    author = announcement.author
    if author is not None and author.contact_is_visible and author.user_id and author.user.email:
        headers["Reply-To"] = author.user.email  # the members see this address in the network's space anyway
    return headers


def _move_urls(network: Network):
    """``move_url`` for many people: the address is built once per language, only the signed token per person
    (reversing a URL in a language is most of the cost)."""
    from networks.digest.preferences import one_click_token

    bases: dict[str, str] = {}

    def url(person: Person, language: str) -> str:
        if language not in bases:
            bases[language] = mail.absolute_url("digest:one-click", language, token=SLOT)
        return bases[language].replace(SLOT, one_click_token(person, network, "announcements-digest"))

    return url


# --- Who gets it --------------------------------------------------------------------------------------------


def recipients(announcement: Announcement) -> list[Person]:
    return audiences.recipients(announcement.network, announcement.audience)


def members_of(network: Network, people: list[Person]) -> set[int]:
    ids = [p.pk for p in people]
    return set(NetworkRole.objects.filter(network=network, person_id__in=ids).values_list("person_id", flat=True))


def by_email_of(network: Network, people: list[Person], members: set[int]) -> dict[int, bool]:
    """True: by email; False: in the digest (members who chose so; everyone else, e.g. a citizen registered for a
    public event, by email: they have no digest of this network)."""
    from networks.digest.preferences import announcements_by_email

    chosen = announcements_by_email(network, members)
    return {p.pk: chosen.get(p.pk, True) for p in people}


# --- Sending ------------------------------------------------------------------------------------------------


def announcement_send_test(*, announcement: Announcement, to: Person) -> OutboxMessage:
    """One email to ``to`` (the author), marked as a test, never counted. The same text twice is one email (a
    double click); a changed text is a new test."""
    if not to.can_be_mailed:
        raise ValidationError(_("Your account has no email address to send the test to."))
    count = len(recipients(announcement))
    rendered = render(announcement, language=to.language, move_link=False, test_count=count)
    fingerprint = hashlib.sha256(
        "\x00".join(
            [rendered.subject, rendered.text, str(sorted(a["filename"] for a in attachments_of(announcement)))]
        ).encode()
    ).hexdigest()[:24]
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            recipient=to.user.email.strip().lower(),
            reason=announcement.reason,
            object_type=OBJECT_TYPE,
            object_id=str(announcement.pk),
            occasion=f"test:{fingerprint}",
            defaults={
                "subject": rendered.subject,
                "body_text": rendered.text,
                "body_html": rendered.html,
                "language": to.language,
                "attachments": attachments_of(announcement),
                "headers": headers_of(announcement),
            },
        )
        if created:
            from networks.tasks import outbox_deliver_task

            queue_on_commit(outbox_deliver_task, message.pk)
    return message


def announcement_send(*, announcement: Announcement, by: Person | None = None, exclude: set[int] = frozenset()) -> int:
    """Send a draft to its audience (``exclude``: person ids left out, e.g. those who answered an invitation).
    Returns how many people it reached now: 0 when it was sent already."""
    with transaction.atomic():
        locked = (
            Announcement.objects.select_for_update(of=("self",))
            .select_related("network", "author__user")
            .get(pk=announcement.pk)
        )
        if locked.is_sent:
            return 0
        if by is not None and locked.author_id is None:
            locked.author = by
        people = [p for p in recipients(locked) if p.pk not in exclude]
        if not people:
            raise ValidationError(_("Nobody in this audience can receive emails: the announcement was not sent."))
        count, emailed = _deliver(locked, people)
        locked.state = Announcement.State.SENT
        locked.sent_at = timezone.now()
        locked.recipient_count, locked.emailed_count = count, emailed
        locked.audience_label = audiences.label(locked.network, locked.audience) or locked.audience_label
        locked.working_group = working_group_of(locked)
        locked.save(
            update_fields=[
                "working_group",
                "state",
                "sent_at",
                "recipient_count",
                "emailed_count",
                "audience_label",
                "author",
                "updated_at",
            ]
        )
        from networks.announcements.tasks import announcement_deliver

        queue_on_commit(announcement_deliver, locked.pk)
    announcement.state, announcement.sent_at = locked.state, locked.sent_at
    announcement.working_group = locked.working_group
    announcement.recipient_count, announcement.emailed_count = count, emailed
    return count


def _deliver(announcement: Announcement, people: list[Person]) -> tuple[int, int]:
    """The recipient rows and the outbox rows, in bulk. Returns (recipients, emails)."""
    network = announcement.network
    members = members_of(network, people)
    by_email = by_email_of(network, people, members)
    AnnouncementRecipient.objects.bulk_create(
        [
            AnnouncementRecipient(
                announcement=announcement,
                person=person,
                via=AnnouncementRecipient.Via.EMAIL if by_email[person.pk] else AnnouncementRecipient.Via.DIGEST,
            )
            for person in people
        ],
        ignore_conflicts=True,
    )
    attachments = attachments_of(announcement)
    headers = headers_of(announcement)
    links = _move_urls(network)
    rendered: dict[tuple[str, bool], Rendered] = {}
    rows = []
    for person in people:
        if not by_email[person.pk]:
            continue
        member = person.pk in members
        key = (person.language, member)
        if key not in rendered:
            rendered[key] = render(announcement, language=person.language, move_link=member)
        link = links(person, person.language) if member else ""
        rows.append(_row(announcement, person, rendered[key], attachments, headers, link))
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    return len(people), len(rows)


def _row(announcement, person, rendered: Rendered, attachments, headers, link: str) -> OutboxMessage:
    """One member's outbox row; ``link``: their move-to-digest link ("" for people outside the network)."""
    text, html, own_headers = rendered.text, rendered.html, dict(headers)
    if link:
        text, html = text.replace(MOVE_LINK, link), html.replace(MOVE_LINK, link)
        own_headers.update({"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    return OutboxMessage(
        recipient=person.user.email.strip().lower(),
        reason=announcement.reason,
        object_type=OBJECT_TYPE,
        object_id=str(announcement.pk),
        occasion="",
        language=person.language,
        subject=rendered.subject,
        body_text=text,
        body_html=html,
        attachments=attachments,
        headers=own_headers,
    )


def announcement_deliver(*, announcement_id: int) -> int:
    """Send the pending emails of one announcement now (the outbox's claim makes a second run send nothing)."""
    from networks.outbox import outbox_deliver

    ids = OutboxMessage.objects.filter(
        reason__in=[REASON, INVITATION],
        object_type=OBJECT_TYPE,
        object_id=str(announcement_id),
        status=OutboxMessage.Status.PENDING,
    ).values_list("pk", flat=True)
    return sum(outbox_deliver(message_id=pk) for pk in list(ids))


# --- Personal data (GDPR) -----------------------------------------------------------------------------------


def personal_data(person: Person) -> dict:
    """What the export lists: the announcements the person received, and how."""
    rows = AnnouncementRecipient.objects.filter(person=person).select_related("announcement__network")
    return {
        "announcements_received": [
            {
                "network": row.announcement.network.short_name,
                "subject": row.announcement.subject,
                "sent_at": row.announcement.sent_at.isoformat() if row.announcement.sent_at else None,
                "delivered": row.via,
            }
            for row in rows.order_by("announcement__sent_at")
        ]
    }


def before_account_delete(person: Person) -> None:
    """Who received what is the person's own; the announcements stay in their networks' archives."""
    AnnouncementRecipient.objects.filter(person=person).delete()
