"""Reads of the measure library, each with a fixed number of queries however many entries and adoptions exist."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from measures.catalogue import effects
from measures.catalogue.models import Adoption, LibraryEntry
from measures.models import Measure, MeasureUpdate, Roadmap
from networks.models import Membership, NetworkRole, Organisation, Person


def _ids(objects) -> list[int] | QuerySet:
    if isinstance(objects, QuerySet):
        return objects.values("pk") if objects.model is Organisation else objects
    return [o if isinstance(o, int) else o.pk for o in objects]


def entries_adopted_by(organisations: Iterable[Organisation | int] | QuerySet) -> list[LibraryEntry]:
    """The published library entries that any of ``organisations`` copied into a roadmap, newest adoption first
    per entry, each with ``adopted_by``: those organisations' adoptions (``measure`` with its roadmap and
    organisation; ``adoption.is_public`` says whether the measure's page is public). Two queries.

    For the comparison (monitoring.comparison): "similar municipalities that did better, and the library entries
    they adopted". Link a measure only where ``is_public``; the entry's page is public."""
    ids = _ids(organisations)
    adoptions = (
        Adoption.objects.filter(organisation__in=ids)
        .select_related("measure__roadmap", "organisation")
        .order_by("-created_at", "-pk")
    )
    entries = list(
        LibraryEntry.objects.published()
        .filter(adoptions__organisation__in=ids)
        .distinct()
        .prefetch_related(Prefetch("adoptions", queryset=adoptions, to_attr="adopted_by"))
        .order_by("title", "pk")
    )
    for entry in entries:
        for adoption in entry.adopted_by:
            adoption.is_public = adoption.measure.published and adoption.measure.roadmap.published
    return entries


def library_entries(user=None) -> QuerySet:
    """The entries of the library page: published ones (their number of adopters is stored: ``adopter_count``)."""
    return LibraryEntry.objects.published().select_related("source_organisation")


REACHED_FIELDS = {Measure.Status.IN_PROGRESS: "reached_in_progress", Measure.Status.COMPLETED: "reached_completed"}


def adopters_recount(entry_ids) -> None:
    """Store how many organisations copied each entry and which statuses their copies have reached now (after an
    adoption was made or deleted, or a copy's status changed). ``entry_ids``: ids or a query of them; one query."""
    count = (
        Adoption.objects.filter(entry=OuterRef("pk"))
        .order_by()
        .values("entry")
        .annotate(n=Count("organisation", distinct=True))
        .values("n")
    )
    reached = {
        name: Exists(Adoption.objects.filter(entry=OuterRef("pk"), measure__status=status))
        for status, name in REACHED_FIELDS.items()
    }
    ids = entry_ids if isinstance(entry_ids, QuerySet) else list(entry_ids)
    LibraryEntry.objects.filter(pk__in=ids).update(
        adopter_count=Coalesce(Subquery(count, output_field=IntegerField()), 0), **reached
    )


def measure_recount(measure_id: int) -> None:
    """A measure was saved: renew the entry it copies, if any (its status may have changed; one query)."""
    adopters_recount(Adoption.objects.filter(measure_id=measure_id).values("entry_id"))


def reached_status_q(statuses) -> Q:
    """Entries whose copies in some roadmap are in one of ``statuses`` now (of REACHED_FIELDS: stored on the
    entry, so the library page reads one table)."""
    q = Q()
    for status in statuses:
        q |= Q(**{REACHED_FIELDS[status]: True})
    return q


def adoption_rows(entry: LibraryEntry, user) -> list[Adoption]:
    """The entry's adoptions for its page (three queries, and what ``effects`` sources ask: monitoring two): each
    with ``is_public`` (a public measure of a public roadmap: shown by name with its costs and effects where not
    marked internal), ``latest_update`` (its latest public progress report), ``indicators`` (the latest values of
    the public indicators linked to it) and ``own`` (the viewer edits that organisation: shown by name to them)."""
    public_updates = MeasureUpdate.objects.filter(public=True).order_by("-date", "-pk")
    rows = list(
        entry.adoptions.select_related("measure__roadmap", "organisation")
        .prefetch_related(Prefetch("measure__updates", queryset=public_updates, to_attr="public_updates"))
        .order_by("created_at", "pk")
    )
    own = set(editable_organisation_ids(user)) if rows else set()
    public_ids = [r.measure_id for r in rows if r.measure.published and r.measure.roadmap.published]
    indicators = effects.of_measures(public_ids)  # e.g. monitoring: the linked indicators' latest values
    for row in rows:
        measure = row.measure
        row.is_public = measure.published and measure.roadmap.published
        row.own = row.organisation_id in own
        row.latest_update = measure.public_updates[0] if measure.public_updates else None
        internal = set(measure.internal_fields or [])
        row.cost_shown = measure.cost_estimate if "cost_estimate" not in internal else None
        row.effect_shown = measure.effect_expected if "effect" not in internal else None
        row.indicators = indicators.get(measure.pk, []) if row.is_public else []
    return rows


def editable_organisation_ids(user) -> list[int]:
    if user is None or not user.is_authenticated:
        return []
    return list(Organisation.objects.filter(roles__person__user=user).values_list("pk", flat=True))


def adoptable_roadmaps(user) -> QuerySet:
    """The roadmaps the viewer may copy an entry into (editors of its organisation; staff all)."""
    return Roadmap.objects.editable_by(user).select_related("organisation").order_by("organisation__name", "title")


def lineage_of(measure: Measure) -> Adoption | None:
    """The measure's origin in the library (one query)."""
    return Adoption.objects.filter(measure=measure).select_related("entry__source_organisation", "created_by").first()


def whom_to_ask(entry: LibraryEntry, user) -> dict:
    """Whom the viewer may ask about the entry (three queries at most):
    - ``editors``: the editors of the organisation of origin whose contact the viewer may see (everyone sees
      those who are named publicly; a signed-in viewer who shares a network with them those visible to members);
    - ``coordinators``: otherwise the coordinators of a network the viewer shares with that organisation;
    anonymous visitors are told nobody personal."""
    if user is None or not user.is_authenticated or not entry.source_organisation_id:
        return {"editors": [], "coordinators": []}
    my_networks = NetworkRole.objects.filter(person__user=user).values("network")
    shared = Person.objects.in_networks_of(user).values("pk")
    editors = list(
        Person.objects.filter(organisation_roles__organisation_id=entry.source_organisation_id, user__is_active=True)
        .filter(
            Q(contact_visibility=Person.ContactVisibility.PUBLIC)
            | Q(contact_visibility=Person.ContactVisibility.MEMBERS, pk__in=shared)
        )
        .filter(anonymised_at__isnull=True)
        .exclude(user=user)
        .select_related("user", "organisation")
        .distinct()
        .order_by("name")[:5]
    )
    if editors:
        return {"editors": editors, "coordinators": []}
    origin = entry.source_organisation_id
    networks_of_origin = Membership.objects.current().filter(organisation_id=origin).values("network")
    coordinators = list(
        NetworkRole.objects.filter(
            role=NetworkRole.Role.COORDINATOR,
            network__in=my_networks,
            person__anonymised_at__isnull=True,
        )
        .filter(network__in=networks_of_origin)
        .exclude(person__user=user)
        .select_related("person__user", "person__organisation", "network")
        .order_by("network__name", "person__name")[:5]
    )
    return {"editors": [], "coordinators": coordinators}
