"""Filters of the library page (django-filter; unknown values ignored with a note, networks.filtering).

Sector, cost band and effect band are the entry's own (stored on it); size class, kind of organisation and Land
are those of the organisations that ran the measure: the organisation of origin or one that copied it (all three
together describe one organisation: "what municipalities like mine do"); "reached by adopters" keeps entries
whose copy in some roadmap reached that status. Every filter and sort reads public things only: the entry's
travelling fields, and of the adopters only their organisation and the status of the copy (never its costs).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from measures.catalogue import bands
from measures.catalogue.models import Adoption, LibraryEntry
from measures.catalogue.selectors import REACHED_FIELDS, reached_status_q
from measures.models import Measure, Sector
from networks.models import Organisation, State

SEARCH_MAX_LENGTH = 100
MULTIPLE = ("handlungsfeld", "groesse", "art", "land", "kosten", "wirkung", "erreicht")
ORGANISATION_FILTERS = ("groesse", "art", "land")

SORTS = {
    "wirkung-pro-euro": (F("effect_per_keur").desc(nulls_last=True), _("Expected effect per euro")),
    "uebernahmen": (F("adopter_count").desc(), _("Number of adopters")),
    "neueste": (F("created_at").desc(), _("Newest")),
    "titel": (F("title").asc(), _("Title (A–Z)")),
}
DEFAULT_SORT = "wirkung-pro-euro"
REACHED = tuple(REACHED_FIELDS)  # the statuses stored on the entry


def _capitalised(choices):
    return [(value, capfirst(label)) for value, label in choices]


def _multiple(label, choices, **kwargs):
    return django_filters.MultipleChoiceFilter(
        label=label, choices=_capitalised(choices), widget=forms.CheckboxSelectMultiple, distinct=False, **kwargs
    )


class LibraryFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suche"].widget = forms.TextInput(attrs={"type": "search", "maxlength": SEARCH_MAX_LENGTH})


class LibraryFilter(django_filters.FilterSet):
    suche = django_filters.CharFilter(label=_("Search"), method="search", max_length=SEARCH_MAX_LENGTH)
    handlungsfeld = _multiple(_("Sector"), Sector.choices, field_name="sector")
    groesse = _multiple(_("Size of the municipality"), bands.size_class_choices(), method="by_organisation")
    art = _multiple(_("Kind of organisation"), Organisation.Kind.choices, method="by_organisation")
    land = _multiple(_("Federal state"), State.choices, method="by_organisation")
    kosten = _multiple(_("Typical costs"), bands.CostBand.choices, field_name="cost_band")
    wirkung = _multiple(_("Expected effect"), bands.EffectBand.choices, field_name="effect_band")
    erreicht = _multiple(
        _("Status reached by adopters"), [(s, Measure.Status(s).label) for s in REACHED], method="reached"
    )
    sortierung = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[(key, label) for key, (_order, label) in SORTS.items()],
        method="sort",
        empty_label=None,
    )

    class Meta:
        model = LibraryEntry
        form = LibraryFilterForm
        fields = ["suche", "handlungsfeld", "groesse", "art", "land", "kosten", "wirkung", "erreicht"]

    @property
    def sort_key(self) -> str:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return data.get("sortierung") or DEFAULT_SORT

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        organisations = Q()
        if data.get("groesse"):
            organisations &= bands.size_class_q(data["groesse"])
        if data.get("art"):
            organisations &= Q(kind__in=data["art"])
        if data.get("land"):
            organisations &= Q(state__in=data["land"])
        if organisations:
            # two uncorrelated subqueries (each hashed once), not one per entry: the planner's estimate of a
            # correlated EXISTS under OR was high enough to JIT-compile the query (60 ms of 65)
            matching = Organisation.objects.filter(organisations).values("pk")
            adopted = Adoption.objects.filter(organisation__in=matching).values("entry")
            queryset = queryset.filter(Q(source_organisation__in=matching) | Q(pk__in=adopted))
        if not data.get("sortierung"):
            queryset = self.sort(queryset, "sortierung", DEFAULT_SORT)
        return queryset

    def by_organisation(self, queryset, name, value):
        return queryset  # the three together, in filter_queryset

    def reached(self, queryset, name, value):
        return queryset.filter(reached_status_q(value)) if value else queryset

    def search(self, queryset, name, value):
        words = value.split()[:8]
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(source_code__iexact=word)
            )
        return queryset

    def sort(self, queryset, name, value):
        order, _label = SORTS.get(value, SORTS[DEFAULT_SORT])
        return queryset.order_by(order, "title", "pk")

    def chosen(self) -> int:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return sum(1 for key in self.Meta.fields if data.get(key))
