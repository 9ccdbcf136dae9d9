"""Filters of the event list across networks (django-filter)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from events.forms.calendar import DateInput, EventFilterForm
from events.models import Event, Format, Kind
from networks.models import Network, Topic


def _day_start(day) -> datetime:
    """Midnight of ``day`` in Europe/Berlin (the portal's time zone)."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _capitalised(choices):
    return [(value, capfirst(label)) for value, label in choices]


class EventFilter(django_filters.FilterSet):
    """Network (only networks the user may see), kind, format, topic and a date range.

    Without a start date the list shows what has not ended yet.
    """

    netzwerk = django_filters.ModelChoiceFilter(
        label=_("Network"), field_name="network", queryset=Network.objects.none(), empty_label=_("All networks")
    )
    art = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="kind", choices=_capitalised(Kind.choices), empty_label=_("All kinds")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), field_name="format", choices=_capitalised(Format.choices), empty_label=_("All formats")
    )
    thema = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=Topic.objects.order_by("name"), method="with_topic", empty_label=_("All topics")
    )
    von = django_filters.DateFilter(label=_("From"), method="ending_from", widget=DateInput())
    bis = django_filters.DateFilter(label=_("Until"), method="starting_until", widget=DateInput())

    class Meta:
        model = Event
        form = EventFilterForm
        fields = ["netzwerk", "art", "format", "thema", "von", "bis"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["netzwerk"].queryset = Network.objects.visible_to(user).order_by("name")
        self.form.fields["netzwerk"].label_from_instance = lambda network: network.name
        self.form.fields["thema"].label_from_instance = lambda topic: topic.label

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("von"):
            queryset = queryset.upcoming()
        return queryset

    def with_topic(self, queryset, name, value):
        through = Event.topics.through
        return queryset.filter(Exists(through.objects.filter(event=OuterRef("pk"), topic=value)))

    def ending_from(self, queryset, name, value):
        return queryset.filter(ends_at__gt=_day_start(value))

    def starting_until(self, queryset, name, value):
        return queryset.filter(starts_at__lt=_day_start(value + timedelta(days=1)))
