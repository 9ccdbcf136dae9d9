"""The demo events (issue 3 §8): loaded by load_demo after the networks, idempotent, and showing what the
portal can do: a full meeting with a waiting list, the fortnightly office hour, minutes with action items."""

import itertools
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from events import demo
from events.models import AgendaItem, Event, EventSeries, Notice, Outcome, Question, Registration, Visibility
from networks.announcements import demo as announcements_demo
from networks.announcements.models import INVITATION, Announcement
from networks.digest import demo as digest_demo
from networks.digest.models import DeliveryPreference, DigestRun
from networks.models import Network, NetworkRole, Organisation, OutboxMessage, Person

pytestmark = pytest.mark.django_db

MODELS = [
    Event,
    EventSeries,
    Registration,
    Notice,
    Outcome,
    Question,
    AgendaItem,
    OutboxMessage,
    Person,
    NetworkRole,
    Network,
    Organisation,
]


def load() -> str:
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def loaded(demo_once, settings) -> str:
    """The demo, loaded once for the module (tests.conftest.demo_once); each test in a savepoint."""
    settings.MEDIA_ROOT = demo_once.media
    return demo_once.output


def full_meeting() -> Event:
    return Event.objects.with_counts().get(network__slug="kek-dortmund", capacity=3)


def test_load_demo_twice_creates_nothing_twice(loaded):
    first = counts()
    assert first["Event"] >= 20 and first["Registration"] >= 30 and first["Notice"] > 0
    assert first["Network"] == 5 and Network.objects.get(slug="kek-dortmund").memberships.current().count() == 10
    load()
    assert counts() == first


def test_load_demo_reports_the_events(loaded):
    assert "Demo events:" in loaded and "waiting" in loaded


def test_the_full_meeting_has_a_waiting_list_and_kek_mitglied_is_free_to_register(loaded):
    event = full_meeting()
    assert not event.is_past
    assert (event.registered_count, event.waiting_count) == (3, 2)
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by("queued_at", "pk")
    assert [r.person.user.email for r in waiting] == ["kek.caritas@example.org", "kek.sparkasse@example.org"]
    assert not event.registrations.filter(person__user__email="kek.mitglied@example.org").exists()
    # Registered through the service: everyone got a confirmation notice.
    assert Notice.objects.filter(registration__event=event, kind=Notice.Kind.CONFIRMATION).count() == 5


def test_a_second_upcoming_kek_meeting_has_free_places_and_an_online_link(loaded):
    event = Event.objects.with_counts().get(network__slug="kek-dortmund", capacity=25)
    assert not event.is_past and event.registration_open
    assert event.places_left > 0
    assert event.online_url.startswith("https://meet.example.org/")
    assert not event.registrations.filter(person__user__email="kek.mitglied@example.org").exists()
    assert event.agenda.exclude(time=None).count() >= 3


def test_the_office_hour_series_has_occurrences_fourteen_days_apart(loaded):
    series = EventSeries.objects.get(network__slug="klima-taten-team-westpfalz", title="Klima.Taten.Talk")
    assert series.interval == 2 and series.kind == "office_hour"
    starts = list(series.occurrences.upcoming().values_list("starts_at", flat=True))
    assert len(starts) >= 10  # six months ahead
    days = {(timezone.localtime(b).date() - timezone.localtime(a).date()).days for a, b in itertools.pairwise(starts)}
    assert days == {14}
    assert all(timezone.localtime(s).hour == 10 for s in starts)  # same wall-clock time across DST
    assert all(
        url.startswith("https://meet.example.org/") for url in series.occurrences.values_list("online_url", flat=True)
    )


def test_the_office_hour_has_questions_and_an_faq(loaded):
    questions = Question.objects.filter(network__slug="klima-taten-team-westpfalz")
    answered = questions.exclude(answered_at=None)
    assert answered.count() == 3 and all(q.event.is_past for q in answered)
    open_questions = questions.filter(answered_at=None)
    assert open_questions.count() == 2 and all(not q.event.is_past for q in open_questions)
    assert questions.filter(anonymous=True).exists()


def test_the_nkk_meeting_has_published_minutes_and_action_items(loaded):
    event = Event.objects.get(network__slug="nkk-koeln-bonn", starts_at__date=date(2025, 1, 30))
    assert timezone.localtime(event.starts_at).hour == 10
    assert event.venue == "Geschäftsstelle des Region Köln/Bonn e. V."
    assert event.minutes_published_at is not None and event.minutes_published_at > event.ends_at
    assert "Wärmeplanung" in event.minutes and event.minutes.startswith("## ")
    kinds = set(event.outcomes.values_list("kind", flat=True))
    assert kinds == {Outcome.Kind.DECISION, Outcome.Kind.IDEA, Outcome.Kind.ACTION}
    actions = list(event.outcomes.action_items())
    assert 2 <= len(actions) <= 3
    assert any(a.owner_person_id for a in actions) and any(a.owner_organisation_id for a in actions)
    assert [a.text for a in actions if a.is_overdue] == [
        "Übersicht erstellen: Stand der kommunalen Wärmeplanung in allen NKK-Kommunen"
    ]
    owner = Person.objects.get(user__email="nkk.mitglied@example.org")
    assert Outcome.objects.open().of_person(owner).filter(event=event).exists()
    # Participants were told through the service.
    assert Notice.objects.filter(registration__event=event, kind=Notice.Kind.MINUTES).count() == 4


def test_the_seeds_past_events_keep_their_dates(loaded):
    kick_off = Event.objects.get(network__slug="kek-dortmund", kind="kick_off")
    assert timezone.localtime(kick_off.starts_at).date() == date(2023, 6, 7)
    assert kick_off.venue == "Umweltamt der Stadt Dortmund"
    assert kick_off.registrations.filter(status=Registration.Status.ATTENDED).count() >= 5
    assert Event.objects.filter(network__slug="difu-praxis-werkstaetten", visibility=Visibility.PUBLIC).count() >= 2
    assert Event.objects.filter(network__slug="klima-roadmap-kreis-dueren", kind="kick_off").exists()
    assert Event.objects.filter(network__slug="klima-roadmap-kreis-dueren", kind="workshop").exists()
    assert Event.objects.filter(network__slug="klima-taten-team-westpfalz", kind="workshop", format="online").exists()


def test_online_links_only_on_meet_example_org(loaded):
    urls = set(Event.objects.exclude(online_url="").values_list("online_url", flat=True))
    assert urls and all(url.startswith("https://meet.example.org/") for url in urls)
    assert Event.objects.filter(visibility=Visibility.PUBLIC).exists()
    assert Event.objects.filter(visibility=Visibility.NETWORK).exists()


def test_an_upcoming_demo_event_that_is_over_moves_ahead_again(loaded):
    event = full_meeting()
    past = timezone.now() - timedelta(days=30)
    Event.objects.filter(pk=event.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=2), registration_deadline=None
    )
    before = counts()
    load()
    event.refresh_from_db()
    assert not event.is_past and event.sequence == 1
    assert counts() == before


def test_relative_dates_avoid_the_days_between_the_years():
    ahead = demo.Ahead(days=3, weekday=2)
    day = ahead.day(date(2026, 12, 20))
    assert day == date(2027, 1, 13) and day.weekday() == 2
    assert demo.Ahead(days=-35, weekday=2).day(date(2027, 1, 27)) == date(2026, 12, 16)
    assert demo.Ahead(days=12, weekday=2).day(date(2026, 3, 2)) == date(2026, 3, 18)


# --- The rooms' demo, on the same load (one demo load per module is the slow part of the suite) ---------------------


def test_the_demo_announces_and_invites_once(loaded):
    """The KEK's next meeting in its archive, the Klima.Taten.Team's annual planning workshop with its invitation
    (one email with the .ics per member), nothing twice when loaded again."""
    kek = Announcement.objects.sent().get(network__slug="kek-dortmund")
    assert kek.subject.startswith("Unser nächstes Netzwerktreffen") and kek.author.user.email.startswith("kek.")
    invitation = Announcement.objects.sent().get(reason=INVITATION, network__slug="klima-taten-team-westpfalz")
    members = set(NetworkRole.objects.filter(network=invitation.network).values_list("person__user__email", flat=True))
    rows = OutboxMessage.objects.filter(reason=INVITATION, object_id=str(invitation.pk), occasion="")
    assert sorted(rows.values_list("recipient", flat=True)) == sorted(members)
    assert all(row.attachments[0]["filename"] == "termin.ics" for row in rows)
    before = (Announcement.objects.count(), OutboxMessage.objects.count())
    announcements_demo.load()
    assert (Announcement.objects.count(), OutboxMessage.objects.count()) == before


def test_the_demo_queues_digests_once(loaded):
    """Today's daily digest queued for the demo accounts (pending in the admin's outbox), the demo people's choices
    applied, nothing twice when loaded again."""
    digests = OutboxMessage.objects.filter(reason="digest_daily")
    assert digests.count() >= 5
    assert digests.filter(status=OutboxMessage.Status.PENDING).count() == digests.count()
    nkk = digests.get(recipient="nkk.mitglied@example.org")
    assert nkk.subject.startswith("Tagesüberblick:") and "NKK" in nkk.subject
    assert DeliveryPreference.objects.get(person__user__email="ktt.kl@example.org").posts == "weekly"
    before = (DigestRun.objects.count(), OutboxMessage.objects.count())
    digest_demo.load()
    assert (DigestRun.objects.count(), OutboxMessage.objects.count()) == before
