from datetime import date, time, timedelta

import factory
from django.utils import timezone

from events.models import Event, EventSeries, Format, Kind, Outcome, Question, Registration, Visibility
from tests.networks.factories import NetworkFactory, PersonFactory


def in_days(days: int, hour: int = 10):
    """An aware datetime ``days`` from today at ``hour`` o'clock, Europe/Berlin."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime.combine(day, time(hour)))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Netzwerktreffen {n}")
    kind = Kind.NETWORK_MEETING
    format = Format.ONLINE
    online_url = factory.Sequence(lambda n: f"https://meet.example.org/treffen-{n}")
    starts_at = factory.LazyFunction(lambda: in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    visibility = Visibility.NETWORK
    description = "Austausch zur kommunalen Wärmeplanung."


class EventSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventSeries

    network = factory.SubFactory(NetworkFactory)
    title = "Klima.Taten.Talk"
    kind = Kind.OFFICE_HOUR
    format = Format.ONLINE
    online_url = "https://meet.example.org/klima-taten-talk"
    frequency = EventSeries.Frequency.WEEKLY
    interval = 2
    weekday = EventSeries.Weekday.TUESDAY
    first_date = factory.LazyFunction(lambda: date.today() + timedelta(days=1))
    start_time = time(10)
    end_time = time(11)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    status = Registration.Status.REGISTERED


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory, kind=Kind.OFFICE_HOUR)
    network = factory.SelfAttribute("event.network")
    author = factory.SubFactory(PersonFactory)
    text = "Wie gehen andere Kommunen mit dem Gebäudeenergiegesetz um?"


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    event = factory.SubFactory(EventFactory)
    network = factory.LazyAttribute(lambda o: o.event.network if o.event else NetworkFactory())
    kind = Outcome.Kind.ACTION
    text = "Musterausschreibung für die Wärmeplanung teilen"
    owner_person = factory.SubFactory(PersonFactory)
    due_date = factory.LazyFunction(lambda: date.today() + timedelta(days=14))
