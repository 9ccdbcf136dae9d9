"""The operator's view: the list of known council information systems (offered to editors), the organisations'
endpoints with their last reading, and the links; with history."""

from django.contrib import admin

from measures.council.models import CouncilEndpoint, CouncilLink, CouncilSystem
from networks.admin_history import HistoryAdmin


@admin.register(CouncilSystem)
class CouncilSystemAdmin(HistoryAdmin):
    list_display = ("name", "vendor", "system_url")
    search_fields = ("name", "vendor", "system_url")


@admin.register(CouncilEndpoint)
class CouncilEndpointAdmin(HistoryAdmin):
    list_display = (
        *("organisation", "system_url", "body_name"),
        *("last_sync_at", "last_success_at", "last_error", "is_demo"),
    )
    list_filter = ("last_error", "is_demo", "state")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name", "system_url", "body_name")
    raw_id_fields = ("organisation", "created_by")
    readonly_fields = (
        *("state", "cursors", "synced_since", "last_sync_at", "last_success_at"),
        *("last_error", "last_error_url", "last_error_status", "updated_at"),
    )


@admin.register(CouncilLink)
class CouncilLinkAdmin(HistoryAdmin):
    list_display = ("measure", "paper", "consultation", "milestone", "created_at")
    list_select_related = ("measure", "paper", "consultation", "milestone")
    raw_id_fields = ("measure", "milestone", "paper", "consultation", "created_by")
