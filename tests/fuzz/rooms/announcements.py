"""Fuzz entries of networks.announcements (see tests/fuzz/endpoints.py and tests/fuzz/test_forms_fuzz.py), and the
events-side invitation button (events.announcements).

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| announcements:announcement-create | POST | coordinator | AnnouncementForm | action |
| announcements:announcement-edit | POST | coordinator | AnnouncementForm (a draft) | action |
| announcements:announcement-list | GET | member | ArchiveSearchForm | page |
"""

from __future__ import annotations

from django.urls import reverse

from networks.announcements.forms import AnnouncementForm, ArchiveSearchForm
from networks.announcements.models import Announcement
from tests.fuzz.engine import Endpoint


def _draft(w) -> Announcement:
    draft = Announcement.objects.filter(network=w.network, state=Announcement.State.DRAFT).first()
    return draft or Announcement.objects.create(
        network=w.network, author=w.people["coordinator"], subject="Entwurf", body="Text", audience_label="Alle"
    )


ENDPOINTS: list = [
    Endpoint(
        "announcements:announcement-create",
        "coordinator",
        lambda w: reverse("announcements:announcement-create", args=[w.network.slug]),
        lambda w: [AnnouncementForm(network=w.network)],
        covers=(AnnouncementForm,),
        extra={"action": "save"},
        valid={"audience": "members"},
    ),
    Endpoint(
        "announcements:announcement-edit",
        "coordinator",
        lambda w: reverse("announcements:announcement-edit", args=[w.network.slug, _draft(w).pk]),
        lambda w: [AnnouncementForm(network=w.network, instance=_draft(w))],
        extra={"action": "preview"},
        valid={"audience": "members"},
    ),
    Endpoint(
        "announcements:announcement-list",
        "member",
        lambda w: reverse("announcements:announcement-list", args=[w.network.slug]),
        lambda w: [ArchiveSearchForm()],
        covers=(ArchiveSearchForm,),
        method="get",
        extra={"page": "1"},
    ),
]
NOT_FUZZED: dict[str, str] = {
    "announcements:announcement-send": "no input (the confirmation's button; the matrix and tests/announcements)",
    "announcements:announcement-delete": "no input (a draft is deleted)",
    "events:event-invite": "no input (the event page's button: events.announcements)",
}
READ_ONLY: set[str] = {"announcements:announcement-detail"}
