"""Admin of the measure page's models (imported by measures/admin.py): a measure's links, and the messages citizens
sent to contact persons (read-only: they were sent by email, the row is their record)."""

from __future__ import annotations

from django.contrib import admin

from measures.models import ContactMessage, MeasureLink


@admin.register(MeasureLink)
class MeasureLinkAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "measure", "url"]
    list_filter = ["kind"]
    search_fields = ["label", "url", "measure__title", "measure__code"]
    autocomplete_fields = ["measure"]


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "measure", "sender", "recipient", "reply_to_sender"]
    list_filter = ["reply_to_sender"]
    search_fields = ["measure__title", "sender__name", "recipient__name"]
    readonly_fields = ["measure", "sender", "recipient", "text", "reply_to_sender", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
