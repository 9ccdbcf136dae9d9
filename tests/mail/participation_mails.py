"""The mail world's participation part (issue 16 §2): a follower's immediate email on a progress report, the weekly
summary, and the confirmation link of feedback without an account, for each person in their language."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from measures.models import Follow, Frequency
from measures.services import follows
from measures.services.feedback import feedback_submit
from measures.services.roadmap import update_add
from tests.measures.factories import MeasureFactory


def send_participation_mails(people, roadmap) -> None:
    for person in people:
        measure = MeasureFactory(roadmap=roadmap, title=f"Klima-Roadmap Maßnahme {person.language}")
        follows.follow(person=person, obj=measure, frequency=Frequency.IMMEDIATELY)
        weekly = MeasureFactory(roadmap=roadmap, title=f"Klima-Roadmap Wochenmaßnahme {person.language}")
        follow = follows.follow(person=person, obj=weekly, frequency=Frequency.WEEKLY)
        Follow.objects.filter(pk=follow.pk).update(created_at=timezone.now() - timedelta(days=30))
        update_add(
            measure=measure, text="Gute Idee: die ersten Dächer sind belegt.", percent=10, public=True, by=person
        )
        update_add(measure=weekly, text="Gute Idee: der Antrag ist gestellt.", percent=None, public=True, by=person)
        feedback_submit(
            measure=measure,
            name="Person",
            email=f"rueckmeldung-{person.language}@example.org",
            text="Gute Idee",
            netiquette=True,
            language=person.language,
        )
    follows.follows_notify()
    follows.follows_weekly(now=timezone.now() + timedelta(days=7))


def send_contact_mails(people, roadmap) -> None:
    """A citizen's message to a measure's contact person (issue 16 §1), to each person in their language."""
    from measures.services.contact import contact_message_send
    from networks.models import Person
    from tests.networks import factories as f

    sender = f.PersonFactory(name="Klima-Roadmap Bürgerin", organisation=None)
    for person in people:
        Person.objects.filter(pk=person.pk).update(contact_visibility=Person.ContactVisibility.PUBLIC)
        person.refresh_from_db()
        measure = MeasureFactory(
            roadmap=roadmap, title=f"Klima-Roadmap Kontakt {person.language}", responsible_person=person
        )
        contact_message_send(
            measure=measure, sender=sender, text="Gute Idee: wie kann ich mitmachen?", reply_to_sender=True
        )
