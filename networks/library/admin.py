"""The operator's view of the document library: folders and documents with their history, restoring a deleted
document (within PURGE_AFTER, before the nightly purge removes its files), extracted texts read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from networks.admin_history import HistoryAdmin
from networks.library.models import Document, DocumentVersion, FileText, Folder


class DeletedFilter(admin.SimpleListFilter):
    title = _("deleted")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", _("deleted")), ("no", _("not deleted"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(deleted_at=None)
        if self.value() == "no":
            return queryset.filter(deleted_at=None)
        return queryset


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = ["number", "original_name", "content_type", "size", "uploaded_by", "uploaded_at", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(HistoryAdmin):
    list_display = ["title", "network", "working_group", "folder", "updated_at", "deleted_at"]
    list_filter = [DeletedFilter, "network"]
    search_fields = ["title", "versions__original_name"]
    list_select_related = ["network", "working_group", "folder"]
    raw_id_fields = ["network", "working_group", "folder", "created_by"]
    readonly_fields = ["current", "deleted_at", "deleted_by", "created_at", "updated_at"]
    inlines = [VersionInline]
    actions = ["restore"]
    history_hidden = ("current",)

    @admin.action(description=_("Restore the deleted documents"))
    def restore(self, request, queryset) -> None:
        restored = 0
        for document in queryset.exclude(deleted_at=None):
            document.deleted_at, document.deleted_by = None, None
            document.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
            restored += 1
        text = ngettext("%(count)d document restored.", "%(count)d documents restored.", restored)
        self.message_user(request, text % {"count": restored}, messages.SUCCESS)


@admin.register(Folder)
class FolderAdmin(HistoryAdmin):
    list_display = ["name", "network", "working_group", "parent"]
    list_filter = ["network"]
    search_fields = ["name"]
    list_select_related = ["network", "working_group", "parent"]
    raw_id_fields = ["network", "working_group", "parent", "created_by"]


@admin.register(FileText)
class FileTextAdmin(admin.ModelAdmin):
    list_display = ["storage_name", "extracted_at", "error"]
    search_fields = ["storage_name"]
    readonly_fields = ["storage_name", "text", "extracted_at", "error"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
