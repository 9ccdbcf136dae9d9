"""Filters of the public measure list (django-filter): sector, status, lead organisation, search, sorting.

Everything a filter or a sort looks at is public: search reads code, title, summary and description only,
and sorting by expected effect treats an effect marked internal as unknown (it sorts last, like an empty one),
so the order of the list cannot betray an internal number.
"""

from __future__ import annotations

import django_filters
from django.db.models import Case, F, Q, Value, When
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from measures.forms.public import MeasureFilterForm
from measures.models import Measure, Roadmap, Sector
from measures.selectors import STATUS_ORDER
from networks.models import Organisation

SEARCH_MAX_LENGTH = 100

# key → (label, ordering); "-key" sorts the other way round. Empty values always come last.
SORT_FIELDS = {
    "code": ("code", _("Code (A–Z)"), _("Code (Z–A)")),
    "titel": ("title", _("Title (A–Z)"), _("Title (Z–A)")),
    "status": ("status_rank", _("Status (not started first)"), _("Status (completed first)")),
    "ende": ("end", _("End (earliest first)"), _("End (latest first)")),
    "wirkung": ("public_effect", _("Expected effect (smallest first)"), _("Expected effect (largest first)")),
}
DEFAULT_SORT = "code"


def _sort_choices() -> list[tuple[str, str]]:
    choices = []
    for key, (_field, ascending, descending) in SORT_FIELDS.items():
        choices += [(key, ascending), (f"-{key}", descending)]
    return choices


def _capitalised(choices):
    return [(value, capfirst(label)) for value, label in choices]


def sortable(measures):
    """Annotate what the sort options need: the status in workflow order and the effect only where public."""
    return measures.annotate(
        status_rank=Case(*(When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)), default=Value(99)),
        public_effect=Case(When(internal_fields__icontains='"effect"', then=None), default=F("effect_expected")),
    )


class MeasureFilter(django_filters.FilterSet):
    handlungsfeld = django_filters.ChoiceFilter(
        label=_("Sector"), field_name="sector", choices=_capitalised(Sector.choices), empty_label=_("All sectors")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="status",
        choices=_capitalised(Measure.Status.choices),
        empty_label=_("All statuses"),
    )
    federfuehrung = django_filters.ModelChoiceFilter(
        label=_("Lead organisation"),
        field_name="lead_organisation",
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )
    suche = django_filters.CharFilter(label=_("Search"), method="search", max_length=SEARCH_MAX_LENGTH)
    sortierung = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=_sort_choices(), method="sort", empty_label=_("Code (A–Z)")
    )

    class Meta:
        model = Measure
        form = MeasureFilterForm
        fields = ["handlungsfeld", "status", "federfuehrung", "suche", "sortierung"]

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        leading = Measure.objects.filter(roadmap=roadmap, published=True).values("lead_organisation")
        self.filters["federfuehrung"].queryset = Organisation.objects.filter(pk__in=leading).order_by("name")
        self.form.fields["federfuehrung"].label_from_instance = lambda organisation: organisation.name

    @property
    def sort_key(self) -> str:
        """The sort in effect (the default when none or a bad one was asked for)."""
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return data.get("sortierung") or DEFAULT_SORT

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sortierung"):
            queryset = self.sort(queryset, "sortierung", DEFAULT_SORT)
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value)
            | Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(description__icontains=value)
        )

    def sort(self, queryset, name, value):
        descending = value.startswith("-")
        field = SORT_FIELDS[value.lstrip("-")][0]
        order = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
        return queryset.order_by(order, "code", "pk")
