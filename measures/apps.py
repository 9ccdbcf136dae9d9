from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measures"
    verbose_name = _("measures")

    def ready(self) -> None:
        from measures import mail_kinds, network_roadmaps_panel, panels, pledge_panel, search
        from networks import mail
        from networks import panels as extension_points

        mail.register(*mail_kinds.KINDS)
        extension_points.register("home", panels.HOME_ROADMAPS)
        extension_points.register("dashboard", panels.MY_ROADMAPS)
        extension_points.register("network_detail", pledge_panel.NETWORK_PLEDGES)
        extension_points.register("network_detail", network_roadmaps_panel.NETWORK_ROADMAPS)
        from measures.services import contact

        extension_points.register_personal_data("measure_contact", contact.export)  # messages to contact persons
        extension_points.register_account_delete("measure_contact", contact.before_account_delete)
        search.register_sources()  # roadmaps and measures in the one search (networks.search)
        from measures import participation_panels
        from measures.services import follows

        participation_panels.register()  # phases on the roadmap, questions on the editors' dashboard and digest
        follows.connect()  # status changes and progress reports become events for followers
        _watch_for_page_cache()


def _watch_for_page_cache() -> None:
    """Public roadmap pages cached by networks.cache: a roadmap's overview, measure list and measures."""
    from measures.models import (
        Comment,
        Feedback,
        Measure,
        MeasureLink,
        MeasureUpdate,
        Milestone,
        ParticipationPhase,
        Proposal,
        Roadmap,
    )
    from networks import cache

    def roadmap_slug(**lookup) -> str | None:
        return Roadmap.objects.filter(**lookup).values_list("slug", flat=True).first()

    def of_roadmap_child(instance) -> tuple[str, ...]:
        return cache.of_roadmap(roadmap_slug(pk=instance.roadmap_id))

    def of_measure_child(instance) -> tuple[str, ...]:
        return cache.of_roadmap(roadmap_slug(measures=instance.measure_id))

    cache.watch(Roadmap, cache.everything)  # its address may change; listed on the home page
    cache.watch(Measure, of_roadmap_child)
    cache.watch(Proposal, of_roadmap_child)
    cache.watch(ParticipationPhase, of_roadmap_child)
    for model in (Milestone, MeasureUpdate, MeasureLink, Feedback):
        cache.watch(model, of_measure_child)

    def of_comment(instance) -> tuple[str, ...]:  # on a measure or on a proposal
        if instance.measure_id:
            return of_measure_child(instance)
        return cache.of_roadmap(roadmap_slug(proposals=instance.proposal_id))

    cache.watch(Comment, of_comment)

    _watch_public_events(cache, Roadmap)


def _watch_public_events(cache, roadmap_model) -> None:
    """A roadmap's page lists the next public events of the public networks its organisation hosts
    (events.roadmap_panel): a change of such an event shows there at once, not when the entry expires. Its own
    receiver (events' cache.watch of Event bumps the network's scopes under its own dispatch_uid)."""
    from django.db.models.signals import post_delete, post_save

    from events.models import Event
    from networks.models import Network

    def event_changed(sender, instance, **kwargs):
        if kwargs.get("raw") or not cache.enabled():
            return
        host = Network.objects.filter(pk=instance.network_id, is_public=True).values_list("host_id", flat=True)
        slugs = roadmap_model.objects.filter(organisation_id__in=host).values_list("slug", flat=True)
        names = [name for slug in slugs for name in cache.of_roadmap(slug)]
        if names:
            cache.bump_now_and_on_commit(dict.fromkeys(names))

    post_save.connect(event_changed, sender=Event, weak=False, dispatch_uid="pagecache-roadmap-events")
    post_delete.connect(event_changed, sender=Event, weak=False, dispatch_uid="pagecache-roadmap-events")
