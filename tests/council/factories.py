from datetime import date

import factory

from measures.council.models import (
    CouncilConsultation,
    CouncilEndpoint,
    CouncilLink,
    CouncilPaper,
    CouncilSystem,
)
from tests.measures.factories import MeasureFactory
from tests.networks.factories import OrganisationFactory


class SystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilSystem

    name = factory.Sequence(lambda n: f"Ratsinfo {n}")
    system_url = factory.Sequence(lambda n: f"https://ratsinfo{n}.example.de/oparl/v1/system")
    vendor = "Somacos"


class EndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilEndpoint

    organisation = factory.SubFactory(OrganisationFactory, kind="county")
    system_url = factory.Sequence(lambda n: f"https://ratsinfo{n}.example.de/oparl/v1/system")
    body_name = "Kreis Musterland"


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilPaper

    endpoint = factory.SubFactory(EndpointFactory)
    oparl_id = factory.Sequence(lambda n: f"https://ratsinfo.example.de/oparl/v1/paper/{n}")
    # "VO/…": never one of the OParl test server's "2025/<n>" (the tests look those up by reference)
    reference = factory.Sequence(lambda n: f"VO/2025/{n:04d}")
    name = factory.Sequence(lambda n: f"Vorlage {n}: Klimaschutz")
    date = date(2025, 2, 20)
    paper_type = "Beschlussvorlage"
    web_url = factory.Sequence(lambda n: f"https://ratsinfo.example.de/vorlage/{n}")


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilConsultation

    paper = factory.SubFactory(PaperFactory)
    endpoint = factory.LazyAttribute(lambda o: o.paper.endpoint)
    oparl_id = factory.Sequence(lambda n: f"https://ratsinfo.example.de/oparl/v1/consultation/{n}")
    role = "Beschlussfassung"
    authoritative = True
    meeting_name = "12. Sitzung des Kreistags"
    meeting_date = date(2025, 3, 12)
    organization_name = "Kreistag"
    result = "Beschlossen"


class LinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilLink

    paper = factory.SubFactory(PaperFactory)
    measure = factory.SubFactory(MeasureFactory)
