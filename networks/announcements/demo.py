"""Demo announcements (load_demo calls ``load`` after the apps' demos and the library's): the NKK's call for the
heat-planning status, and what the audience providers add (events: the KEK's announcement of its next meeting and
the Klima.Taten.Team's invitation to its annual planning workshop). Idempotent: an announcement is found by its
network and subject, never sent twice."""

from __future__ import annotations

from networks.announcements import audiences, services
from networks.announcements.models import Announcement
from networks.models import Network, Person

NKK_SUBJECT = "Bitte bis Monatsende: Stand Ihrer kommunalen Wärmeplanung"
NKK_BODY = """\
Liebe Mitglieder des NKK,

für unser nächstes Treffen möchten wir wieder zeigen, **wo die Kommunen der Region bei der Wärmeplanung stehen**:
vom Ratsbeschluss über die Bestands- und Potenzialanalyse bis zum beschlossenen Wärmeplan.

- Tragen Sie den Stand Ihrer Kommune bitte im Portal unter *Monitoring* ein.
- Wer ein Planungsbüro beauftragt hat: Nennen Sie uns gern Ihre Erfahrungen, damit andere davon profitieren.
- Die Zieljahre zur Treibhausgasneutralität liegen in der Region zwischen 2035 und 2045 – wir stellen die
  Spannweite beim Treffen vor.

Vielen Dank und viele Grüße
Ihre Koordination des NKK
"""


def send(*, network: Network, author_email: str, subject: str, body: str, audience: str = "members", documents=()):
    """Write and send one demo announcement unless it is there already (then it is returned as it is)."""
    found = Announcement.objects.filter(network=network, subject=subject).first()
    if found is not None:
        return found
    author = Person.objects.filter(user__email=author_email).first()
    announcement = Announcement(network=network, audience=audience, subject=subject, body=body)
    services.announcement_save(announcement=announcement, author=author, documents=list(documents))
    services.announcement_send(announcement=announcement, by=author)
    return announcement


def load(*, stdout=None) -> None:
    nkk = Network.objects.filter(slug="nkk-koeln-bonn").first() or Network.objects.filter(short_name="NKK").first()
    if nkk is not None:
        send(network=nkk, author_email="nkk.koordination@example.org", subject=NKK_SUBJECT, body=NKK_BODY)
    for provider in audiences.providers():
        if provider.demo is not None:
            provider.demo(stdout=stdout)
    if stdout is not None:
        stdout.write(f"Announcements: {Announcement.objects.sent().count()} sent (archive in each network's space).")
