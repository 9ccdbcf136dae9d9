from django.contrib import admin

from networks.webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "network", "status", "failing_since", "last_success_at"]
    list_filter = ["status"]
    search_fields = ["url", "description", "organisation__name", "network__name"]
    readonly_fields = ["paused_at", "pause_reason", "failing_since", "last_success_at", "created_at", "updated_at"]
    exclude = ["secret"]  # never shown again after it was created


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["uid", "kind", "endpoint", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["endpoint"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
