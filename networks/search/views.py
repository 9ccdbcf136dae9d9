"""The search page: one GET form for everyone (anonymous visitors find public items only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from networks.search.query import search


def _int(value: str, default: int = 1) -> int:
    return int(value) if value.isdigit() and len(value) < 6 else default


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    result = search(
        request.user,
        q,
        kind=request.GET.get("kind", ""),
        network=request.GET.get("network", ""),
        order=request.GET.get("sort", "relevance"),
        page=_int(request.GET.get("page", "1")),
    )
    return render(request, "search/search.html", {"q": q[:200], "result": result, "searched": bool(q.strip())})
