import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.models import Expertise, Network, Organisation, Person, Topic

# A longer search is refused as invalid (the filter is then not applied): SQLite gives up on very long
# LIKE patterns ("LIKE or GLOB pattern too complex", a 500), and PostgreSQL scans with them for nothing.
SEARCH_MAX_LENGTH = 100


class ThenByName(django_filters.OrderingFilter):
    """An ordering with the person's name (then the id) as tie-breakers, so pages never shuffle."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "name", "pk") if value else qs


class MemberDirectoryFilter(django_filters.FilterSet):
    """Filters for a network's member directory; the queryset is already scoped to the network."""

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=SEARCH_MAX_LENGTH)
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=_("All organisations")
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="expertise__topic",
        queryset=Topic.objects.order_by("name"),
        empty_label=_("All topics"),
        distinct=True,
    )
    level = django_filters.ChoiceFilter(
        label=_("Expertise at least"), choices=Expertise.Level.choices, method="min_level", empty_label=_("Any level")
    )
    sort = ThenByName(
        label=_("Sort by"),
        fields=(("name", "name"), ("organisation__name", "organisation")),
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("organisation", _("Organisation (A–Z)")),
            ("-organisation", _("Organisation (Z–A)")),
        ],
        empty_label=None,
    )

    class Meta:
        model = Person
        fields = ["q", "organisation", "topic", "level", "sort"]

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = (
            Organisation.objects.filter(people__network_roles__network=network).distinct().order_by("name")
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(job_title__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(expertise__note__icontains=value)
        ).distinct()

    def min_level(self, queryset, name, value):
        topic = self.form.cleaned_data.get("topic")
        condition = Q(expertise__level__gte=int(value))
        if topic:
            condition &= Q(expertise__topic=topic)
        return queryset.filter(condition).distinct()


class ExpertiseSearchFilter(django_filters.FilterSet):
    """'Who knows what': expertise rows the user may find (networks.experts.selectors.expertise_visible_to): of the
    networks the user belongs to, then of other networks for topics made visible to all networks."""

    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=Topic.objects.order_by("name"), empty_label=_("All topics")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level at least"),
        choices=Expertise.Level.choices,
        field_name="level",
        lookup_expr="gte",
        empty_label=_("Any level"),
    )
    network = django_filters.ModelChoiceFilter(
        label=_("Network"),
        queryset=Network.objects.none(),
        method="in_network",
        empty_label=_("All networks (mine first)"),
    )
    mine = django_filters.BooleanFilter(
        label=_("Only people of my networks"), method="only_mine", widget=forms.CheckboxInput
    )
    q = django_filters.CharFilter(label=_("Search in notes and names"), method="search", max_length=SEARCH_MAX_LENGTH)

    class Meta:
        model = Expertise
        fields = ["topic", "level", "network", "mine", "q"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["network"].queryset = Network.objects.of_user(user).order_by("name")
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})

    def in_network(self, queryset, name, value):
        return queryset.filter(person__network_roles__network=value).distinct()

    def only_mine(self, queryset, name, value):
        return queryset.filter(shared=True) if value else queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(note__icontains=value)
            | Q(person__name__icontains=value)
            | Q(topic__name__icontains=value)
            | Q(topic__name_en__icontains=value)
        )
