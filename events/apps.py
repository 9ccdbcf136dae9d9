from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"
    verbose_name = _("events")

    def ready(self) -> None:
        from events import announcements, channel, digest, library, mail_kinds, panels, personal_data, search
        from events.campaigns import register_source as register_campaign_links
        from events.roadmap_panel import register as register_roadmap_panel
        from networks import mail
        from networks import panels as extension_points

        mail.register(*mail_kinds.KINDS)
        mail.register_area(mail_kinds.TASK_AREA)
        mail.register(*mail_kinds.TASK_KINDS)
        panels.register()
        register_roadmap_panel()  # the next public events on the public roadmap page of the network's organisation
        channel.register()  # "plan as an event" / "record as an action item" on discussion threads
        library.register()  # event documents in the network's document library
        announcements.register()  # an event's participants as audiences of announcements; invitations
        search.register_sources()  # events, minutes, outcomes, FAQ and event documents in the one search
        digest.register()  # events' sections of the digest (networks.digest.sections)
        register_campaign_links()  # a campaign's events (networks.campaigns.links)
        _watch_for_page_cache()
        extension_points.register_personal_data("events", personal_data.export)
        extension_points.register_account_delete("events", personal_data.before_delete)


def _watch_for_page_cache() -> None:
    """Pages cached by networks.cache that show events: the network calendar, the home page, the network's
    space (members) and the personal calendar feed."""
    from events.models import CalendarToken, Event, EventSeries, Outcome, Registration
    from networks import cache
    from networks.models import Network

    def network_slug(network_id) -> str | None:
        return Network.objects.filter(pk=network_id).values_list("slug", flat=True).first()

    def of_event(event) -> tuple[str, ...]:
        return cache.of_network(network_slug(event.network_id))

    def of_registration(registration) -> tuple[str, ...]:  # the places left; the person's calendar feed
        slug = Network.objects.filter(events=registration.event_id).values_list("slug", flat=True).first()
        return (*cache.of_network(slug), *cache.of_person(registration.person_id))

    def of_outcome(outcome) -> tuple[str, ...]:  # the open action items counted in the network's space
        return cache.of_network(network_slug(outcome.network_id))

    cache.watch(Event, of_event)
    cache.watch(EventSeries, of_event)
    cache.watch(Registration, of_registration)
    cache.watch(Outcome, of_outcome)
    cache.watch(CalendarToken, lambda token: cache.of_person(token.person_id))  # renewed: the old address 404s
