"""The announcements' section of the digest: what a person moved from email into the digest.

Nothing twice: an announcement someone got by email (their AnnouncementRecipient says ``via=email``) is not
listed again; one they get in the digest (``via=digest``, written when it was sent) is listed once, in the
digest whose window holds its sending time. The recipient rows are the truth (not the person's current choice):
who switches back to email after an announcement went out still finds it in the next digest. A closed working
group's announcement is left out for who may no longer read the group (networks.access.ClosedGroupReaders).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from networks.access import ClosedGroupReaders
from networks.announcements.models import AnnouncementRecipient
from networks.markdown import plain_start


def _items_batch(requests) -> dict[int, list]:
    """One query for the whole batch."""
    from networks.digest.sections import Item

    if not requests:
        return {}
    by_person = {r.person.pk: r for r in requests}
    since, until = min(r.since for r in requests), max(r.until for r in requests)
    rows = list(
        AnnouncementRecipient.objects.filter(
            person_id__in=by_person,
            via=AnnouncementRecipient.Via.DIGEST,
            announcement__sent_at__gt=since,
            announcement__sent_at__lte=until,
        )
        .select_related("announcement__network")
        .order_by("-announcement__sent_at")
    )
    groups = ClosedGroupReaders(by_person, {row.announcement.working_group_id for row in rows})
    out: dict[int, list] = {}
    for row in rows:
        request, announcement = by_person[row.person_id], row.announcement
        if not request.since < announcement.sent_at <= request.until:
            continue
        if not groups.may(row.person_id, announcement.working_group_id):
            continue
        out.setdefault(row.person_id, []).append(
            Item(
                network=announcement.network,
                title=announcement.subject,
                url=announcement.get_absolute_url(),  # in the person's language; the digest adds SITE_URL
                date=announcement.sent_at,
                summary=plain_start(announcement.body_html, length=400)[:300],
                key=f"announcements.announcement:{announcement.pk}",
            )
        )
    return out


def register() -> None:
    try:
        from networks.digest.sections import ANNOUNCEMENTS
        from networks.digest.sections import register as register_section
    except ImportError:  # the digest room is not there (yet)
        return
    register_section(
        key="announcements", title=_("Announcements"), order=10, stream=ANNOUNCEMENTS, items_batch=_items_batch
    )
