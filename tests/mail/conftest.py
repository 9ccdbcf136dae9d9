"""One world that makes every sender of the portal write its emails, to a German and an English recipient."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Notice
from events.notifications import notify
from measures.models import Measure
from measures.selectors import months_before
from measures.services.participation import comment_moderate, proposal_moderate
from measures.services.roadmap import funding_reminders_send
from monitoring.services.reminders import reminders_send
from networks.affiliations import affiliation_decide, affiliation_request
from networks.models import OutboxMessage
from networks.services import invitation_create
from tests.announcements.mail_world import send_announcements
from tests.channel.mail_world import send_channel_mails
from tests.digest.mail_world import send_digests
from tests.events.factories import EventFactory, RegistrationFactory
from tests.events.mail_world import send_guest_mails, send_question_mails, send_task_mails
from tests.experts.mail_world import send_expert_mails
from tests.funding.mail_world import send_funding_mails
from tests.inbound.mail_world import send_inbound_mails
from tests.mail.participation_mails import send_contact_mails, send_participation_mails
from tests.measures.factories import CommentFactory, MeasureFactory, MeasureUpdateFactory, ProposalFactory
from tests.monitoring.factories import IndicatorFactory
from tests.networks import factories as f
from tests.networks.mail_world import send_membership_requests
from tests.webhooks.mail_world import send_webhook_mails

LANGUAGES = ("de", "en")


@dataclass
class Senders:
    """Runs each sender for one person; the same objects for every call, so a second run is a new occasion only
    where the sender makes one."""

    people: dict = field(default_factory=dict)
    o: dict = field(default_factory=dict)
    round: int = 0

    def event_notification(self, person, kind: str = Notice.Kind.REMINDER_1D) -> bool:
        self.round += 1
        return notify(self.o["registration", person.pk], kind, occasion=f"test{self.round}")

    def monitoring_reminder(self) -> int:
        return reminders_send(today=timezone.localdate())

    def funding_deadline(self) -> int:
        return funding_reminders_send(today=timezone.localdate())

    def moderation(self, person) -> None:
        proposal = ProposalFactory(roadmap=self.o["roadmap"], author=person, title="Mehr Bäume am Markt")
        proposal_moderate(proposal=proposal, publish=True, by=None)

    def mails(self, person, reason: str) -> list[OutboxMessage]:
        return list(OutboxMessage.objects.filter(recipient=person.user.email, reason=reason).order_by("pk"))


def make_senders(network) -> Senders:
    """A German and an English person, each registered for an event, author of a proposal and a comment,
    responsible for a measure with a funding deadline, a stale measure and an indicator that is due."""
    today = timezone.localdate()
    s = Senders()
    event = EventFactory(network=network, title="Klimafrühstück Westpfalz")
    roadmap = MeasureFactory().roadmap
    s.o.update(event=event, roadmap=roadmap)
    for language in LANGUAGES:
        person = f.PersonFactory(language=language, name=f"Person {language}")
        s.people[language] = person
        s.o["registration", person.pk] = RegistrationFactory(event=event, person=person)
        MeasureFactory(
            roadmap=roadmap,
            responsible_person=person,
            funding_programme="Kommunalrichtlinie",
            funding_status=Measure.FundingStatus.APPLIED,
            funding_deadline=today + timedelta(days=10),
        )
        stale = MeasureFactory(roadmap=roadmap, responsible_person=person)
        MeasureUpdateFactory(measure=stale, date=months_before(today, 7))
        IndicatorFactory(next_due=today + timedelta(days=5), responsible=person)
        s.o["edited", person.pk] = f.OrganisationRoleFactory(person=person).organisation  # confirms who belongs
    return s


@pytest.fixture
def senders(db, network) -> Senders:
    return make_senders(network)


def send_everything(s: Senders, network) -> None:
    """Every kind of email with a template, to both people (the invitation to a fresh address per language)."""
    for person in s.people.values():
        for kind in Notice.Kind.values:
            s.event_notification(person, kind)
        s.moderation(person)
        comment = CommentFactory(measure=MeasureFactory(roadmap=s.o["roadmap"]), author=person, text="Gute Idee")
        comment_moderate(comment=comment, publish=False, reason="Bitte sachlich bleiben", by=None)
        invitation_create(
            network=network,
            email=f"neu-{person.language}@example.org",
            role="member",
            invited_by=s.people["de"],
            language=person.language,
        )
        # someone asks to belong to the organisation the person edits; the person asks to belong to another one
        asking = f.PersonFactory(name="Klima-Roadmap Anfrage", organisation=None)
        affiliation_request(person=asking, organisation=s.o["edited", person.pk], user=asking.user)
        wish = affiliation_request(person=person, organisation=f.OrganisationFactory(), user=person.user)
        assert wish == "requested"
        affiliation_decide(request=person.affiliation_requests.get(), confirm=False, by=asking)
    s.funding_deadline()
    send_funding_mails(list(s.people.values()))  # the funding radar's deadline reminders (issue 17 §3)
    s.monitoring_reminder()
    send_digests(list(s.people.values()), network)
    send_task_mails(list(s.people.values()), network)  # after the digests: the people are members by then
    send_announcements(list(s.people.values()), network)
    send_channel_mails(list(s.people.values()))
    send_inbound_mails(list(s.people.values()))
    send_expert_mails(list(s.people.values()))  # questions to experts through "Wer weiß was" (issue 17 §4)
    send_question_mails(list(s.people.values()))
    send_membership_requests(list(s.people.values()))
    send_participation_mails(list(s.people.values()), s.o["roadmap"])  # follows and feedback (issue 16 §2)
    send_guest_mails(list(s.people.values()))  # registration without an account for a public event (issue 16 §1)
    send_contact_mails(list(s.people.values()), s.o["roadmap"])  # a message to a measure's contact (issue 16 §1)
    send_webhook_mails(list(s.people.values()))  # a webhook endpoint paused after three days of failures (issue 18 §2)
