"""The operator's view of the inbound path: every email taken from the mailbox, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from networks.inbound.models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "subject", "outcome", "reason", "refusal_sent", "thread", "post"]
    list_filter = ["outcome", "reason", "refusal_sent"]
    search_fields = ["sender", "subject", "message_id"]
    date_hierarchy = "received_at"
    list_select_related = ["thread", "post__thread"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("Incoming emails"), **(extra_context or {})})
