"""Test data of networks.experts: people with expertise in networks, questions."""

from networks.experts.models import Question, QuestionMessage
from tests.networks import factories as f


def expert_in(network, *, topic, visible_everywhere: bool, name: str = "", note: str = "Wärmeplanung begleitet"):
    """A member of ``network`` with expertise in ``topic``, opted in to all networks or not."""
    person = f.NetworkRoleFactory(network=network, **({"person__name": name} if name else {})).person
    f.ExpertiseFactory(person=person, topic=topic, note=note, visible_everywhere=visible_everywhere)
    return person


def question(*, asker, expert, subject="Ausschreibung Wärmeplanung", body="Wie sind Sie vorgegangen?"):
    q = Question.objects.create(asker=asker, expert=expert, subject=subject)
    QuestionMessage.objects.create(question=q, author=asker, body=body)
    return q
