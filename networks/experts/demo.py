"""Demo of "Wer weiß was" across networks (issue 17 §4): the NKK's heat-planning expert in Hürth (Claudia Vogel)
and a DEW21 colleague of the KEK made topics visible to all networks; the NKK's coordinator (Sabine Neumann) did not,
so members of other networks never find her. A KEK member (Tobias Wagner) asked Claudia Vogel about the council
decision on the heat plan, and she answered by email. Rows only: no emails are queued (the demo's people have
example addresses). Idempotent: found by person, topic and subject."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from networks.experts.models import Question, QuestionMessage
from networks.models import Expertise, Person

OPEN = [  # (email, topic slug): visible to members of all networks
    ("nkk.huerth@example.org", "kommunale-waermeplanung"),
    ("nkk.mitglied@example.org", "klimaanpassung"),
    ("kek.dew21@example.org", "photovoltaik"),
]
QUESTION = (
    "kek.mitglied@example.org",
    "nkk.huerth@example.org",
    "kommunale-waermeplanung",
    "Wärmeplan im Rat: wie haben Sie den Beschluss vorbereitet?",
    [
        (
            "asker",
            "Guten Tag Frau Vogel,\n\nwir bereiten in Dortmund die Beschlussvorlage für den Wärmeplan vor. Haben Sie "
            "die Fraktionen vorab eingebunden, und welche Unterlagen hatten Sie dem Rat vorgelegt?\n\nViele Grüße\n"
            "Tobias Wagner",
            "web",
        ),
        (
            "expert",
            "Hallo Herr Wagner,\n\nwir haben zwei Fraktionsrunden vor der Ausschusssitzung gemacht und eine "
            "zweiseitige Zusammenfassung mit Karte der Eignungsgebiete beigelegt. Gern schicke ich Ihnen unsere "
            "Vorlage – rufen Sie mich an.\n\nClaudia Vogel",
            "email",
        ),
    ],
)


def load(*, stdout=None) -> None:
    people = {
        p.user.email: p for p in Person.objects.select_related("user").filter(user__email__endswith="@example.org")
    }
    opened = 0
    for email, topic in OPEN:
        if email in people:
            opened += Expertise.objects.filter(person=people[email], topic__slug=topic).update(visible_everywhere=True)
    asker_email, expert_email, topic, subject, messages = QUESTION
    asker, expert = people.get(asker_email), people.get(expert_email)
    if asker is None or expert is None:
        return
    question = Question.objects.filter(asker=asker, expert=expert, subject=subject).first()
    if question is None:
        question = Question.objects.create(
            asker=asker, expert=expert, subject=subject, topic=expert.expertise.get(topic__slug=topic).topic
        )
        start = timezone.now() - timedelta(days=6)
        for number, (who, body, via) in enumerate(messages):
            message = QuestionMessage.objects.create(
                question=question, author=asker if who == "asker" else expert, body=body, via=via
            )
            at = start + timedelta(days=number, hours=3 * number)
            QuestionMessage.objects.filter(pk=message.pk).update(created_at=at)
            Question.objects.filter(pk=question.pk).update(last_message_at=at)
        Question.objects.filter(pk=question.pk).update(created_at=start)
    if stdout is not None:
        stdout.write(f"  Wer weiß was: {opened} topics visible to all networks, 1 question to an expert")
