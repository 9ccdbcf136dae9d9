"""Questions to experts in the world that sends every kind of email (tests/mail/conftest.py send_everything): each
person is asked a question through "Wer weiß was" (experts_question) and gets the asker's next message
(experts_message), with the reply address of networks.inbound when reply by email is on."""

from __future__ import annotations

from django.test import override_settings

from networks.experts import services
from tests.channel.mail_world import INBOUND
from tests.networks import factories as f


def send_expert_mails(people) -> None:
    network = f.NetworkFactory(name="Wärmeplanung Austausch", short_name="Wärme A")
    asker = f.NetworkRoleFactory(network=network, person__name="Klimafrühstück Fragende").person
    topic = f.TopicFactory(slug="waermeplanung-fragen", name="Wärmeplanung", name_en="Heat planning")
    with override_settings(**INBOUND):
        for person in people:
            f.NetworkRoleFactory(network=network, person=person)
            f.ExpertiseFactory(person=person, topic=topic)
            question = services.question_ask(
                asker=asker,
                expert=person,
                topic=topic,
                subject="Klimafrühstück: Ausschreibung der Wärmeplanung",
                body="Klimafrühstück: wie haben Sie die Leistungsbeschreibung aufgebaut?",
            )
            services.message_add(
                question=question, author=asker, body="Klimafrühstück: und wie lange hat die Vergabe gedauert?"
            )
