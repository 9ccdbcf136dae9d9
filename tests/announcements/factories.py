import factory

from networks.announcements.models import Announcement
from tests.networks.factories import NetworkFactory


class AnnouncementFactory(factory.django.DjangoModelFactory):
    """A draft to all members; ``sent()`` (services.announcement_send) sends it."""

    class Meta:
        model = Announcement

    network = factory.SubFactory(NetworkFactory)
    audience = "members"
    audience_label = "Alle Mitglieder"
    subject = factory.Sequence(lambda n: f"Nächstes Netzwerktreffen {n}")
    body = "Liebe Mitglieder,\n\nwir treffen uns zur **Wärmeplanung**.\n\n- Tagesordnung folgt"
