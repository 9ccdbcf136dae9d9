"""The public measure list of a roadmap: filters (measures.filters.MeasureFilter), sorting and paging.

Measures reach the template only as measures.public.PublicMeasure. The open-data links under the list carry
its query string, so a download holds what the list shows (measures.views.data.open_data applies the same
FilterSet). An unknown filter value is ignored with a note (networks.filtering); another bad value (a search
that is too long) is a form error and a 400, the list unfiltered by it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from measures import selectors
from measures.access import access_roadmap, can_edit
from measures.filters import MULTIPLE, SORT_FIELDS, MeasureFilter, sortable
from measures.public import PublicMeasure
from networks.filtering import ignore_unknown
from networks.pages import page_of

PAGE_SIZE = 25


def _sort_links(current: str) -> dict[str, dict]:
    """Per sortable column: the sort its header link asks for and its aria-sort state."""
    links = {}
    for key in SORT_FIELDS:
        if current == key:
            links[key] = {"next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "aria": "descending"}
        else:
            links[key] = {"next": f"-{key}" if key == "wirkung" else key, "aria": ""}
    return links


def filter_query(data: QueryDict) -> str:
    """The list's filters and sort as a query string for its downloads (the page number left out)."""
    query = data.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


@require_safe
def measure_list(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap(request.user, slug)
    measures = selectors.with_latest_percent(sortable(selectors.public_measures(roadmap)))
    measure_filter = MeasureFilter(request.GET, queryset=measures.select_related("lead_organisation"), roadmap=roadmap)
    notes = ignore_unknown(measure_filter)
    page = page_of(request, measure_filter.qs, PAGE_SIZE)
    for measure in page.object_list:
        measure.roadmap = roadmap  # for its URL, without joining the roadmap again
    page.object_list = [PublicMeasure(m) for m in page.object_list]
    context = {
        "roadmap": roadmap,
        "filter": measure_filter,
        "filter_notes": notes,
        "multiple_filters": MULTIPLE,
        "page": page,
        "sort_links": _sort_links(measure_filter.sort_key),
        "export_query": filter_query(measure_filter.data),
        "can_edit": can_edit(request.user, roadmap),
    }
    return render(request, "measures/measure_list.html", context, status=200 if measure_filter.is_valid() else 400)
