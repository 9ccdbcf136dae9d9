"""The action items' part of the world that sends every kind of email (tests/mail/conftest.py send_everything)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from events import services
from events.models import Outcome
from networks.models import NetworkRole
from tests.networks import factories as f


def send_task_mails(people, network) -> None:
    """Each person (a member of ``network``) is assigned an action item, reminded before and after its due date
    and told of a comment on it; as coordinators of a second network they hear that an item there is done."""
    today = timezone.localdate()
    coordination = f.NetworkFactory(name="Klimafrühstück Koordination", short_name="Klimafrühstück K")
    helper = f.NetworkRoleFactory(network=coordination, person__name="Klimafrühstück Helferin").person
    for person in people:
        f.NetworkRoleFactory(network=coordination, person=person, role=NetworkRole.Role.COORDINATOR)
        mine = services.outcome_save(
            outcome=Outcome(
                network=network,
                kind=Outcome.Kind.ACTION,
                text="Klimafrühstück vorbereiten",
                owner_person=person,
                due_date=today + timedelta(days=10),
            ),
            by=None,
        )
        services.task_comment_add(item=mine, author=helper, text="Klimafrühstück: **Raum** ist gebucht.")
    services.task_reminders_send(today=today + timedelta(days=7))
    services.task_reminders_send(today=today + timedelta(days=11))
    theirs = services.outcome_save(
        outcome=Outcome(network=coordination, kind=Outcome.Kind.ACTION, text="Klimafrühstück", owner_person=helper),
        by=None,
    )
    services.outcome_set_status(outcome=theirs, status=Outcome.Status.DONE, by=helper)


def send_question_mails(people) -> None:
    """The people coordinate a network with an office hour: a member's question reaches them (question_asked);
    each asks a question of their own there, and its answer reaches them (question_answered)."""
    from events.models import Kind
    from events.services import questions
    from tests.events.factories import EventFactory

    network = f.NetworkFactory(name="Klimafrühstück Sprechstunde", short_name="Klimafrühstück S")
    asker = f.NetworkRoleFactory(network=network, person__name="Klimafrühstück Fragerin").person
    for person in people:
        f.NetworkRoleFactory(network=network, person=person, role=NetworkRole.Role.COORDINATOR)
    office_hour = EventFactory(network=network, kind=Kind.OFFICE_HOUR, title="Klimafrühstück Sprechstunde")
    questions.question_ask(event=office_hour, person=asker, text="Klimafrühstück: wie fangen wir an?", anonymous=False)
    for person in people:
        mine = questions.question_ask(
            event=office_hour, person=person, text="Klimafrühstück: gibt es Fördermittel?", anonymous=False
        )
        questions.question_answer(question=mine, answer="Klimafrühstück: **ja**, die Kommunalrichtlinie.", by=None)


def send_guest_mails(people) -> None:
    """A registration without an account for a public event (issue 16 §1): the confirmation link, in each person's
    language (the guest's language is the page's when registering)."""
    from events.models import Visibility
    from events.services import guests
    from tests.events.factories import EventFactory

    event = EventFactory(title="Klimafrühstück für alle", visibility=Visibility.PUBLIC, venue="Rathaus", town="Düren")
    for person in people:
        guests.guest_register(
            event=event,
            name=f"Person {person.language}",
            email=f"gast-{person.language}@example.org",
            language=person.language,
            client=f"mail-world-{person.language}",
        )
