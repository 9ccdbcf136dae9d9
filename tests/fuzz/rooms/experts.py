"""Fuzz entries of networks.experts (see tests/fuzz/endpoints.py and tests/fuzz/test_forms_fuzz.py).

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| experts:ask | POST | member | QuestionForm | topic (GET, compared with the expert's topics' ids) |
| experts:question-detail | POST | member | MessageForm | – |
| experts:block | POST | member | – | unblock (only its presence) |
| experts:questions | GET | member | – | page |
"""

from __future__ import annotations

from django.urls import reverse

from networks.experts.forms import MessageForm, QuestionForm
from tests.fuzz.engine import Endpoint


def _expert(w):
    """The other network's member, with a topic made visible to all networks."""
    expert = w.people["other_network"]
    expert.expertise.update_or_create(topic=w.working_group.topic, defaults={"visible_everywhere": True})
    return expert


def _question(w):
    from networks.experts.models import Question

    question = Question.objects.filter(asker=w.people["member"]).first()
    return question or Question.objects.create(asker=w.people["member"], expert=_expert(w), subject="Frage")


ENDPOINTS: list = [
    Endpoint(
        "experts:ask",
        "member",
        lambda w: reverse("experts:ask", args=[_expert(w).pk]),
        lambda w: [QuestionForm()],
        covers=(QuestionForm,),
    ),
    Endpoint(
        "experts:question-detail",
        "member",
        lambda w: reverse("experts:question-detail", args=[_question(w).pk]),
        lambda w: [MessageForm()],
        covers=(MessageForm,),
    ),
]
NOT_FUZZED: dict[str, str] = {
    "experts:block": "no input but the presence of 'unblock' (the conversation's button; tests/experts)",
}
READ_ONLY: set[str] = {"experts:questions"}  # its one GET key is the page number (networks.pages.page_of)
