"""What keeps the library in step: an offered entry follows its measure (and the measure's milestones), and
the cached library pages and the adopters' public measure pages are renewed when what they show changes."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from networks import cache

UID = "catalogue-sync"


def _measure_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return  # a new measure is offered by no entry yet, and adopts none until its Adoption is saved
    from measures.catalogue.selectors import measure_recount
    from measures.catalogue.services import CATALOGUE_SCOPE, entry_sync

    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"is_late", "updated_at"}:
        return  # the nightly late state travels nowhere
    entry_sync(measure=instance)  # one query when the measure is not offered
    measure_recount(instance.pk)  # one query: the statuses its copy's entry has reached, if it is a copy
    if cache.enabled():
        cache.bump_now_and_on_commit([CATALOGUE_SCOPE])  # the adopters' statuses on the library pages


def _milestone_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from measures.catalogue.services import entry_sync
    from measures.models import Measure

    entry_sync(measure=Measure(pk=instance.measure_id))


def connect() -> None:
    from measures.catalogue.models import Adoption, LibraryEntry
    from measures.catalogue.services import CATALOGUE_SCOPE
    from measures.models import Measure, Milestone, Roadmap

    post_save.connect(_measure_saved, sender=Measure, weak=False, dispatch_uid=f"{UID}-measure")
    post_save.connect(_milestone_changed, sender=Milestone, weak=False, dispatch_uid=f"{UID}-milestone")
    post_delete.connect(_milestone_changed, sender=Milestone, weak=False, dispatch_uid=f"{UID}-milestone-del")

    def of_adoption(adoption) -> tuple[str, ...]:  # the copy's page shows its origin, the source's its adopters
        slugs = set(
            Roadmap.objects.filter(
                Q(measures=adoption.measure_id) | Q(measures__library_entry=adoption.entry_id)
            ).values_list("slug", flat=True)
        )
        return (CATALOGUE_SCOPE, "home", *(f"roadmap:{slug}" for slug in slugs))

    def of_entry(entry) -> tuple[str, ...]:  # the adopters' measure pages show it (or that it was withdrawn)
        slugs = Roadmap.objects.filter(measures__library_adoption__entry=entry).values_list("slug", flat=True)
        return (CATALOGUE_SCOPE, *(f"roadmap:{slug}" for slug in set(slugs)))

    def adopters_changed(sender, instance, raw=False, **kwargs):
        if not raw:
            from measures.catalogue.selectors import adopters_recount

            adopters_recount([instance.entry_id])

    post_save.connect(adopters_changed, sender=Adoption, weak=False, dispatch_uid=f"{UID}-adopters")
    post_delete.connect(adopters_changed, sender=Adoption, weak=False, dispatch_uid=f"{UID}-adopters-del")
    cache.watch(Adoption, of_adoption)
    cache.watch(LibraryEntry, of_entry)
