"""networks.library: Document library (a room of networks, DESIGN §2)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.library"
    label = "library"
    verbose_name = _("Document library")

    def ready(self) -> None:
        from networks import panels as extension_points
        from networks.library import digest, panels, personal_data, search

        panels.register()
        search.register_sources()
        _move_deleted_groups_library()
        digest.register()
        extension_points.register_personal_data("library", personal_data.export)
        _watch_for_page_cache()


def _move_deleted_groups_library() -> None:
    """A deleted working group's folders and documents move to the network (services.group_library_to_network)."""
    from django.db.models.signals import pre_delete

    from networks.library.services import on_group_delete
    from networks.models import WorkingGroup

    pre_delete.connect(on_group_delete, sender=WorkingGroup, weak=False, dispatch_uid="library:group-deleted")


def _watch_for_page_cache() -> None:
    """The network space (cached per role) shows the latest documents: a changed document renews it."""
    from networks import cache
    from networks.library.models import Document
    from networks.models import Network

    def of_document(document) -> tuple[str, ...]:
        slug = Network.objects.filter(pk=document.network_id).values_list("slug", flat=True).first()
        return cache.of_network(slug)

    cache.watch(Document, of_document)
