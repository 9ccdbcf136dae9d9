"""The operator's view of the announcements: what was sent when to whom; sent ones cannot be changed here."""

from django.contrib import admin

from networks.announcements.models import Announcement, AnnouncementRecipient


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["subject", "network", "reason", "state", "sent_at", "recipient_count", "emailed_count"]
    list_filter = ["state", "reason", "network"]
    search_fields = ["subject", "body", "author__name"]
    list_select_related = ["network"]
    raw_id_fields = ["author", "documents"]
    readonly_fields = ["reason", "about", "audience_label", "sent_at", "recipient_count", "emailed_count", "body_html"]
    date_hierarchy = "sent_at"

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_sent)


@admin.register(AnnouncementRecipient)
class AnnouncementRecipientAdmin(admin.ModelAdmin):
    list_display = ["announcement", "person", "via"]
    list_filter = ["via"]
    search_fields = ["person__name", "announcement__subject"]
    list_select_related = ["announcement", "person"]
    raw_id_fields = ["announcement", "person"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
