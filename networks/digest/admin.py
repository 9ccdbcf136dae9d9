"""The operator's view of delivery: each person's choices per network, their digest time, and every digest run
(read-only: what was sent, for which window, with its outbox row)."""

from django.contrib import admin

from networks.digest.models import DeliveryPreference, DigestRun, DigestSettings


@admin.register(DeliveryPreference)
class DeliveryPreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "network", "posts", "announcements_by_email", "updated_at"]
    list_filter = ["posts", "announcements_by_email", "network"]
    search_fields = ["person__name", "person__user__email"]
    list_select_related = ["person", "network"]
    raw_id_fields = ["person", "network"]


@admin.register(DigestSettings)
class DigestSettingsAdmin(admin.ModelAdmin):
    list_display = ["person", "hour", "weekday", "updated_at"]
    list_filter = ["hour", "weekday"]
    search_fields = ["person__name", "person__user__email"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["person", "period", "period_key", "items", "since", "until", "outbox", "created_at"]
    list_filter = ["period", "period_key"]
    search_fields = ["person__name", "person__user__email"]
    list_select_related = ["person", "outbox"]
    fields = ["person", "period", "period_key", "since", "until", "items", "sections", "outbox", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
