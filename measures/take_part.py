"""Reads for the citizens' pages (issue 16 §1): "Mitmachen" (what citizens can do themselves, from each public
measure's "how citizens can take part") and the citizen's own area (their proposals, comments, supports, follows).

Every function runs a fixed number of queries, however many rows there are. Measures reach templates only as
measures.public.PublicMeasure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from events.models import Registration
from measures.models import Comment, Measure, Proposal, ProposalSupport, Roadmap
from measures.public import PublicMeasure
from networks.models import Organisation, Person

CitizenCost = Measure.CitizenCost

# "Cost for me at most": each choice lets through the cheaper ones (a stated cost only).
COST_AT_MOST = {
    CitizenCost.FREE: (CitizenCost.FREE,),
    CitizenCost.LOW: (CitizenCost.FREE, CitizenCost.LOW),
    CitizenCost.MEDIUM: (CitizenCost.FREE, CitizenCost.LOW, CitizenCost.MEDIUM),
    CitizenCost.HIGH: (CitizenCost.FREE, CitizenCost.LOW, CitizenCost.MEDIUM, CitizenCost.HIGH),
}


def offers(roadmap: Roadmap | None = None) -> QuerySet[Measure]:
    """Public measures that tell citizens how to take part (of one roadmap, or of every published one)."""
    measures = Measure.objects.public().exclude(how_to_take_part="")
    if roadmap is not None:
        measures = measures.filter(roadmap=roadmap)
    return measures


def _links_prefetch() -> list:
    """The measures' external links (measures.models.MeasureLink, from the measure page) once they exist."""
    field_names = {f.name for f in Measure._meta.get_fields()}
    return ["links"] if "links" in field_names else []


def in_order(measures: QuerySet[Measure]):
    """The offers' ids in the pages' order (by roadmap, sector and code): paged as they are, so that only one
    page's rows are read whole (sorting 40,000 whole rows for 20 took 230 ms at national size)."""
    return measures.order_by("roadmap__title", "roadmap_id", "sector", "code").values_list("pk", flat=True)


def for_page(ids) -> list[Measure]:
    """What the entries of one page show, in the order of ``ids``: roadmap and organisation, contact person, links
    (2 queries: rows, links)."""
    rows = (
        Measure.objects.filter(pk__in=list(ids))
        .select_related("roadmap__organisation", "lead_organisation", "responsible_person")
        .prefetch_related(*_links_prefetch())
        .in_bulk()
    )
    return [rows[pk] for pk in ids if pk in rows]


def filtered(
    measures: QuerySet[Measure], *, sector: str = "", place: str = "", municipality=None, cost: str = ""
) -> QuerySet:
    """The filters of the "Mitmachen" pages: sector, a place typed (the public bodies whose name contains it) or a
    municipality (by its address), each as the roadmap's organisation, the lead or a partner; the cost for me at
    most."""
    if sector:
        measures = measures.filter(sector=sector)
    if place:
        named = Organisation.objects.filter(kind__in=Organisation.PUBLIC_BODIES, name__icontains=place)
        measures = _concerning(measures, named.values("pk"))
    if municipality is not None:
        measures = _concerning(measures, [municipality.pk])
    if cost:
        measures = measures.filter(citizen_cost__in=COST_AT_MOST[cost])
    return measures


def _concerning(measures: QuerySet[Measure], organisations) -> QuerySet[Measure]:
    """The measures whose roadmap's organisation, lead or a partner is one of ``organisations`` (ids or a query)."""
    partnered = Measure.partners.through.objects.filter(measure=OuterRef("pk"), organisation__in=organisations)
    return measures.filter(
        Q(roadmap__organisation__in=organisations) | Q(lead_organisation__in=organisations) | Exists(partnered)
    )


def municipalities(measures: QuerySet[Measure]) -> QuerySet[Organisation]:
    """The public bodies (municipalities, towns, counties) the offers concern: the values ``kommune`` accepts (read
    only to check a value given; 1 query). The organisations of the offers' roadmaps, leads and partners as one
    UNION (joining them to the organisations and making the rows DISTINCT took 1.9 s at 200,000 measures)."""
    offers = measures.order_by()
    concerned = (
        offers.values("roadmap__organisation")
        .union(offers.filter(lead_organisation__isnull=False).values("lead_organisation"))
        .union(Measure.partners.through.objects.filter(measure__in=offers.values("pk")).values("organisation"))
    )
    return (
        Organisation.objects.filter(kind__in=Organisation.PUBLIC_BODIES, pk__in=concerned)
        .only("pk", "name", "slug")
        .order_by("name")
    )


@dataclass
class Offer:
    """One entry of "Mitmachen": the measure as the public sees it, its contact person when they may be named
    publicly (and the editors did not mark the contact internal), its external links."""

    measure: PublicMeasure
    contact: Person | None
    links: list = field(default_factory=list)


def offers_of(measures) -> list[Offer]:
    entries = []
    for row in measures:
        measure = PublicMeasure(row)
        person = measure.responsible_person
        contact = person if person is not None and person.is_publicly_named else None
        links = list(row.links.all()) if _links_prefetch() else []
        entries.append(Offer(measure=measure, contact=contact, links=links))
    return entries


# --- The citizen's own area ---------------------------------------------------------------------------------


def my_proposals(person: Person) -> list[Proposal]:
    """The person's proposals, newest first, with their roadmap and their number of supports (1 query)."""
    return list(
        Proposal.objects.filter(author=person)
        .select_related("roadmap")
        .annotate(support_count=Count("supports"))
        .order_by("-created_at", "-pk")
    )


def my_comments(person: Person) -> list[Comment]:
    """The person's comments, newest first, with what they comment on (1 query)."""
    related = [f"{name}__roadmap" for name in ("measure", "proposal") if _has_field(Comment, name)]
    return list(Comment.objects.filter(author=person).select_related(*related).order_by("-created_at", "-pk"))


def my_supports(person: Person) -> list[ProposalSupport]:
    """The proposals the person supports (published ones: a proposal hidden meanwhile is not listed) (1 query)."""
    return list(
        ProposalSupport.objects.filter(person=person, proposal__status="published")
        .select_related("proposal__roadmap")
        .order_by("-created_at", "-pk")
    )


def my_registrations(person: Person) -> list[Registration]:
    """The person's places at events still to come, registered or waiting, soonest first (1 query): a citizen
    registers for public events; their dashboard is this page."""
    return list(
        Registration.objects.filter(
            person=person,
            event__ends_at__gte=timezone.now(),
            status__in=(*Registration.TAKES_A_PLACE, Registration.Status.WAITING),
        )
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def my_follows(person: Person) -> list[dict]:
    """What the person follows, each as {follow, kind label, object} (the participation area's Follow; 4 queries:
    the follows, then the roadmaps, measures and proposals they name, each in one query)."""
    try:
        from measures.models import Follow
    except ImportError:  # the participation area's follows are not there yet
        return []
    follows = list(Follow.objects.filter(person=person).order_by("-created_at", "-pk"))
    ids: dict[str, set[int]] = {}
    for follow in follows:
        ids.setdefault(follow.kind, set()).add(follow.object_id)
    objects = {
        "roadmap": Roadmap.objects.filter(published=True, pk__in=ids.get("roadmap", ())),
        "measure": Measure.objects.public().select_related("roadmap").filter(pk__in=ids.get("measure", ())),
        "proposal": Proposal.objects.published().select_related("roadmap").filter(pk__in=ids.get("proposal", ())),
    }
    found = {kind: {row.pk: row for row in rows} for kind, rows in objects.items()}
    rows = []
    for follow in follows:
        subject = found.get(follow.kind, {}).get(follow.object_id)
        if subject is not None:
            rows.append({"follow": follow, "subject": subject})
    return rows
