"""Filters of the public measure list and of its open-data downloads (django-filter): sector, status,
municipality and lead organisation (each several values), late, open to citizens, search, sorting.

The list and its downloads read the same query string through this one FilterSet ("download what I see"), and
both ignore an unknown value with a note (networks.filtering.ignore_unknown, the behaviour of every list).

Everything a filter or a sort looks at is public: the search reads code, title, summary and description only,
the municipality filter leaves out partners of measures whose partners are marked internal,
and sorting by expected effect treats an effect marked internal as unknown (it sorts last, like an empty one),
so the order of the list cannot betray an internal number.

The search folds text as the portal's search does (networks.search.text: lower case, accents and umlauts off,
transcribed umlauts tried both ways, the German stemmer), so "Waerme" finds "Wärmeplanung", and a few common
abbreviations find what they stand for ("PV" finds "Photovoltaik"): ``SYNONYMS``. It reads the roadmap's
published measures' texts in one query and matches in Python (a roadmap holds hundreds of measures, not
millions); the list then filters by their ids.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from measures.forms.public import MeasureFilterForm
from measures.models import Measure, Roadmap, Sector
from measures.selectors import STATUS_ORDER
from networks.models import Organisation
from networks.search import text as search_text

SEARCH_MAX_LENGTH = 100

# A few abbreviations and their long forms, both ways (folded, as search_text.fold writes them).
SYNONYM_GROUPS = (
    ("pv", "photovoltaik", "solarstrom"),
    ("wp", "warmepumpe"),
    ("kwk", "kraft warme kopplung"),
    ("opnv", "nahverkehr"),
    ("thg", "treibhausgas"),
)
SYNONYMS: dict[str, tuple[str, ...]] = {
    word: tuple(other for other in group if other != word) for group in SYNONYM_GROUPS for word in group
}

# key → (label, ordering); "-key" sorts the other way round. Empty values always come last.
SORT_FIELDS = {
    "code": ("code", _("Code (A–Z)"), _("Code (Z–A)")),
    "titel": ("title", _("Title (A–Z)"), _("Title (Z–A)")),
    "status": ("status_rank", _("Status (not started first)"), _("Status (completed first)")),
    "ende": ("end", _("End (earliest first)"), _("End (latest first)")),
    "wirkung": ("public_effect", _("Expected effect (smallest first)"), _("Expected effect (largest first)")),
}
DEFAULT_SORT = "code"
# Partners an editor marked internal (measures.public.GROUPS) are neither offered as a municipality nor matched.
PARTNERS_INTERNAL = Q(internal_fields__icontains='"partners"')
MULTIPLE = ("handlungsfeld", "status", "kommune", "federfuehrung")  # the filters that take several values


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


# --- Search --------------------------------------------------------------------------------------


def _folded(text: str) -> str:
    return " " + " ".join(search_text._WORD.findall(search_text.fold(text or ""))) + " "


def _needles(term: search_text.Term) -> tuple[str, ...]:
    """What a query word may be found as: its alternatives (with the transcribed umlauts folded), a long word by
    its stem anywhere ("Wärme" in "Fernwärmenetz"), a short one at the start of a word ("PV" in "PV-Anlage",
    not in "GPV"); and its synonyms."""
    needles = []
    for alternative in term.alternatives:
        needles.append(search_text.stem(alternative) if term.prefix else " " + alternative)
        needles += list(SYNONYMS.get(alternative, ()))
    return tuple(dict.fromkeys(needles))


def matches(query: search_text.Query, text: str) -> bool:
    """Whether the folded ``text`` holds every word (any of its needles) and every phrase."""
    folded = _folded(text)
    if not all(any(needle in folded for needle in _needles(term)) for term in query.terms):
        return False
    return all(f" {' '.join(phrase)} " in folded for phrase in query.phrases)


def query_of(value: str) -> search_text.Query:
    """The search parsed as the portal's search parses it; a lone short abbreviation ("PV") is a word too."""
    query = search_text.parse(value)
    if query or not value.strip():
        return query
    words = search_text._WORD.findall(search_text.fold(value))  # only stop words: search them as they are
    terms = tuple(search_text.Term(alternatives=(w,), prefix=False) for w in words[: search_text.MAX_TERMS])
    return search_text.Query(terms=terms, text=value.strip())


def search_ids(measures, value: str) -> list[int]:
    """Ids of the measures whose code, title, summary or description match the search (one query)."""
    query = query_of(value)
    if not query:
        return []
    rows = measures.order_by().values_list("pk", "code", "title", "summary", "description")
    return [pk for pk, *texts in rows if matches(query, " ".join(t or "" for t in texts))]


# --- The filter ----------------------------------------------------------------------------------


class MeasureFilter(django_filters.FilterSet):
    suche = django_filters.CharFilter(label=_("Search"), method="search", max_length=SEARCH_MAX_LENGTH)
    handlungsfeld = django_filters.MultipleChoiceFilter(
        label=_("Sector"),
        field_name="sector",
        choices=_capitalised(Sector.choices),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        field_name="status",
        choices=_capitalised(Measure.Status.choices),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    kommune = django_filters.ModelMultipleChoiceFilter(
        label=_("Municipality"),
        queryset=Organisation.objects.none(),
        method="in_municipality",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    federfuehrung = django_filters.ModelMultipleChoiceFilter(
        label=_("Lead organisation"),
        field_name="lead_organisation",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    verzoegert = django_filters.BooleanFilter(
        label=_("Only delayed measures"), method="only_late", widget=forms.CheckboxInput
    )
    mitmachen = django_filters.BooleanFilter(
        label=_("Only measures citizens can join"), method="open_to_citizens", widget=forms.CheckboxInput
    )
    sortierung = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=_sort_choices(), method="sort", empty_label=_("Code (A–Z)")
    )

    class Meta:
        model = Measure
        form = MeasureFilterForm
        fields = ["suche", "handlungsfeld", "status", "kommune", "federfuehrung", "verzoegert", "mitmachen"]

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.roadmap = roadmap
        published = Measure.objects.filter(roadmap=roadmap, published=True)
        leading = published.values("lead_organisation")
        partnering = Measure.partners.through.objects.filter(measure__in=published.exclude(PARTNERS_INTERNAL)).values(
            "organisation"
        )
        self.filters["federfuehrung"].queryset = Organisation.objects.filter(pk__in=leading).order_by("name")
        self.filters["kommune"].queryset = Organisation.objects.filter(
            Q(pk__in=leading) | Q(pk__in=partnering), kind__in=Organisation.PUBLIC_BODIES
        ).order_by("name")
        for name in ("federfuehrung", "kommune"):
            self.form.fields[name].label_from_instance = lambda organisation: organisation.name

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
        candidates = Measure.objects.filter(roadmap=self.roadmap, published=True)
        return queryset.filter(pk__in=search_ids(candidates, value))

    def in_municipality(self, queryset, name, value):
        if not value:
            return queryset
        through = Measure.partners.through
        partner = Exists(through.objects.filter(measure=OuterRef("pk"), organisation__in=value)) & ~PARTNERS_INTERNAL
        return queryset.filter(Q(lead_organisation__in=value) | partner)

    def only_late(self, queryset, name, value):
        return queryset.filter(is_late=True, late_override_reason="") if value else queryset

    def open_to_citizens(self, queryset, name, value):
        return queryset.exclude(how_to_take_part="") if value else queryset

    def sort(self, queryset, name, value):
        descending = value.startswith("-")
        field = SORT_FIELDS[value.lstrip("-")][0]
        order = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
        return queryset.order_by(order, "code", "pk")

    def chosen(self) -> int:
        """How many filters (not the sort) are in effect: the list says so and offers to reset them."""
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return sum(1 for key in self.Meta.fields if data.get(key))
