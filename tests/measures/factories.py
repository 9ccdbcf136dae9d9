from datetime import date, timedelta

import factory

from measures.models import Comment, Measure, MeasureUpdate, Milestone, Pledge, Proposal, Roadmap, Sector
from tests.networks.factories import OrganisationFactory, PersonFactory


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    organisation = factory.SubFactory(OrganisationFactory, kind="county")
    slug = factory.Sequence(lambda n: f"kreis-musterland-{n}")
    title = factory.Sequence(lambda n: f"Klima-Roadmap Kreis Musterland {n}")
    target_year = 2035
    baseline_year = 2019
    baseline_emissions = 1_200_000
    description = "Der Kreis will bis 2035 klimaneutral werden."
    published = True


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    roadmap = factory.SubFactory(RoadmapFactory)
    code = factory.Sequence(lambda n: f"M-{n:03d}")
    slug = factory.LazyAttribute(lambda o: o.code.lower())
    title = factory.Sequence(lambda n: f"Solaroffensive {n}")
    summary = "PV auf alle geeigneten Dächer der Kreisverwaltung."
    sector = Sector.ENERGY_SUPPLY
    status = Measure.Status.IN_PROGRESS
    start = factory.LazyFunction(lambda: date.today() - timedelta(days=200))
    end = factory.LazyFunction(lambda: date.today() + timedelta(days=400))
    published = True


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    measure = factory.SubFactory(MeasureFactory)
    title = "Ausschreibung veröffentlicht"
    due_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))


class MeasureUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureUpdate

    measure = factory.SubFactory(MeasureFactory)
    text = "Die ersten zehn Dächer sind belegt."
    percent = 40
    author = factory.SubFactory(PersonFactory)
    public = True


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    roadmap = factory.SubFactory(RoadmapFactory)
    author = factory.SubFactory(PersonFactory, organisation=None)
    title = "Mehr Fahrradstellplätze an Bahnhöfen"
    text = "An den Bahnhöfen fehlen sichere Abstellanlagen."
    sector = Sector.MOBILITY


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    measure = factory.SubFactory(MeasureFactory)
    author = factory.SubFactory(PersonFactory, organisation=None)
    text = "Gute Idee, auch für Schulen?"


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    organisation = factory.SubFactory(OrganisationFactory, kind="company")
    target_year = 2035
    baseline_year = 2020
    commitments = "Ökostrom ab 2026, Fuhrpark elektrisch bis 2030."
