"""Demo data of the digest: a few lived-in choices, and today's daily digest queued for every demo account
(the admin's outbox shows them, pending until the outbox sweep sends them). Idempotent: the choices are upserts
by (person, network), and a second load finds today's runs and builds nothing twice."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from networks.digest import build, preferences
from networks.digest.models import DeliveryPreference, DigestRun, PostsMode
from networks.models import Network, NetworkRole, Person

# email, network slug, posts mode, announcements by email: what demo people chose. The KEK coordinator reads
# every post at once; the NKK member gets everything once a day, announcements too; a busy KTT member once a week.
CHOICES = [
    ("kek.koordination@example.org", "kek-dortmund", PostsMode.EACH, True),
    ("nkk.mitglied@example.org", "nkk-koeln-bonn", PostsMode.DAILY, False),
    ("ktt.kl@example.org", "klima-taten-team-westpfalz", PostsMode.WEEKLY, True),
]
# The demo's items were all created a moment ago: a build "now" would leave them to the next digest (build.LAG).
# Exactly LAG ahead, so the window ends now: a window reaching into the future would swallow the posts of the next
# minute (they would be in no one's digest, neither this one nor the next).
AHEAD = build.LAG
FIRST_WINDOW = timedelta(days=14)  # the demo's first digests show the last two weeks of the lived-in channel


def load(*, stdout=None) -> None:
    for email, slug, posts, by_email in CHOICES:
        person = Person.objects.filter(user__email=email).first()
        network = Network.objects.filter(slug=slug).first()
        if person and network and NetworkRole.objects.filter(person=person, network=network).exists():
            preferences.preference_set(person=person, network=network, posts=posts, announcements_by_email=by_email)
    people = Person.objects.filter(user__email__endswith="@example.org", network_roles__isnull=False).distinct()
    weekly = DeliveryPreference.objects.filter(posts=PostsMode.WEEKLY).values("person")
    now = timezone.now() + AHEAD
    sent = 0
    for period, who in ((DigestRun.Period.DAILY, people), (DigestRun.Period.WEEKLY, people.filter(pk__in=weekly))):
        key = build.period_key(period, build.local_now(now))
        ids = list(who.order_by("pk").values_list("pk", flat=True))
        for batch in build.chunks(ids):
            sent += build.digest_build_batch(
                person_ids=batch, period=period, key=key, now=now, deliver=False, first_since=now - FIRST_WINDOW
            ).sent
    if stdout is not None:
        stdout.write(f"Digests: {sent} queued in the outbox for the demo accounts.")
