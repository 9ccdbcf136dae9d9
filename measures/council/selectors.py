"""Reads of the council link, each with a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch

from measures.council.decisions import Line, line
from measures.council.models import CouncilConsultation, CouncilEndpoint, CouncilLink, CouncilPaper

SEARCH_LIMIT = 25


def endpoint_of(organisation) -> CouncilEndpoint | None:
    return CouncilEndpoint.objects.filter(organisation=organisation).select_related("system").first()


def _consultations() -> Prefetch:
    return Prefetch("consultations", queryset=CouncilConsultation.objects.order_by("meeting_date", "pk"))


def paper_search(endpoint: CouncilEndpoint, query: str) -> list[CouncilPaper]:
    """The endpoint's papers by reference number or title words, newest first, with their consultations (two
    queries: the papers, their consultations)."""
    papers = CouncilPaper.objects.filter(endpoint=endpoint).current().search(query)
    return list(papers.order_by("-date", "-pk").prefetch_related(_consultations())[:SEARCH_LIMIT])


def links_of(measure) -> list[CouncilLink]:
    """The measure's links with their papers, decisions, milestones and the papers' consultations (two
    queries)."""
    links = (
        CouncilLink.objects.filter(measure=measure)
        .select_related("paper__endpoint", "consultation", "milestone")
        .prefetch_related(Prefetch("paper__consultations", queryset=CouncilConsultation.objects.order_by("pk")))
        .order_by("milestone__due_date", "pk")
    )
    return list(links)


def lines_of(links: list[CouncilLink]) -> list[Line]:
    return [line(link) for link in links]


def news_of(links: list[CouncilLink]) -> list[tuple[CouncilLink, CouncilConsultation]]:
    """Consultations of linked papers first read after the link was made (from the prefetched rows)."""
    seen: set[int] = set()
    news = []
    for link in links:
        for consultation in link.paper.consultations.all():
            if consultation.first_seen_at > link.created_at and consultation.pk not in seen:
                seen.add(consultation.pk)
                news.append((link, consultation))
    return sorted(news, key=lambda pair: pair[1].first_seen_at, reverse=True)
