"""Authorization-matrix rows and world objects of networks.experts (see tests/security/test_url_matrix.py)."""

from __future__ import annotations

from tests.networks import factories as f
from tests.security.conftest import PAYLOAD, World, poison


def build(w: World) -> None:
    """An expert of the other network who made a topic visible to all networks, and the member's question to them."""
    from networks.experts.models import Question, QuestionMessage

    expert = f.NetworkRoleFactory(network=w.other, person__name=f"Expertin {PAYLOAD}").person
    f.ExpertiseFactory(person=expert, note=f"Notiz {PAYLOAD}", visible_everywhere=True)
    w.o["expert"] = expert
    question = poison(Question.objects.create(asker=w.people["member"], expert=expert, subject="Frage"))
    poison(QuestionMessage.objects.create(question=question, author=w.people["member"], body="Text"))
    w.o["expert_question"] = question


def rows() -> list:
    from tests.security.test_url_matrix import (
        BAD,
        FORBIDDEN,
        LOGGED_IN,
        LOGIN,
        NOT_ALLOWED,
        NOT_FOUND,
        OK,
        REDIRECT,
        Row,
        ex,
        none,
    )

    def expert(w):
        return {"person": w.expert.pk}

    def question(w):
        return {"pk": w.expert_question.pk}

    askers = ex(OK, anonymous=LOGIN, citizen=FORBIDDEN)
    asker_only = ex(NOT_FOUND, anonymous=LOGIN, member=OK)
    return [
        Row(
            "experts:ask",
            expert,
            askers,
            post=ex(BAD, anonymous=LOGIN, citizen=FORBIDDEN),
            note="the expert opted in: every network member (and staff) finds and may ask them; citizens 403; an "
            "empty POST is a form error",
        ),
        Row("experts:questions", none, LOGGED_IN, note="each person's own questions, asked and received"),
        Row(
            "experts:question-detail",
            question,
            asker_only,
            post=ex(NOT_FOUND, anonymous=LOGIN, member=BAD),
            note="only the two parties (the expert is not a persona); staff are no exception: a private conversation",
        ),
        Row(
            "experts:block",
            question,
            ex(NOT_ALLOWED, anonymous=LOGIN),
            post=ex(NOT_FOUND, anonymous=LOGIN, member=REDIRECT),
            note="POST only: a party blocks the other",
        ),
    ]
