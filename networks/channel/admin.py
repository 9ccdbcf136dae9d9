"""The operator's view of the discussions: threads with their history (who pinned, closed, moved), posts with their
earlier versions and moderation, reports, categories, FAQ entries. Posts are read here, written in the portal (the
services keep numbering, notifications and the search index right)."""

from django.contrib import admin

from networks.admin_history import HistoryAdmin
from networks.channel.models import Category, FaqEntry, Post, PostReport, PostRevision, Thread


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "position"]
    list_filter = ["network"]
    search_fields = ["name"]


class RevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    can_delete = False
    fields = ["written_at", "replaced_at", "replaced_by", "body"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Thread)
class ThreadAdmin(HistoryAdmin):
    list_display = ["title", "network", "working_group", "category", "post_count", "last_post_at", "pinned", "closed"]
    list_filter = ["network", "pinned", "closed"]
    search_fields = ["title"]
    list_select_related = ["network", "working_group", "category"]
    raw_id_fields = ["author", "last_post_by", "answer", "working_group", "category"]
    readonly_fields = ["post_count", "last_post_at", "last_post_by", "created_at"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "via", "created_at", "edited_at", "hidden_at"]
    list_filter = ["via", ("hidden_at", admin.EmptyFieldListFilter)]
    search_fields = ["body", "thread__title"]
    list_select_related = ["thread", "author"]
    raw_id_fields = ["thread", "author", "hidden_by", "attachments"]
    readonly_fields = ["thread", "number", "author", "body", "via", "created_at", "edited_at"]
    inlines = [RevisionInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(PostReport)
class PostReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reporter", "created_at", "resolved_at", "resolution"]
    list_filter = ["resolution", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["post__thread", "reporter"]
    raw_id_fields = ["post", "reporter", "resolved_by"]


@admin.register(FaqEntry)
class FaqEntryAdmin(HistoryAdmin):
    list_display = ["question", "network", "topic", "created_at"]
    list_filter = ["network"]
    search_fields = ["question", "answer"]
    raw_id_fields = ["thread", "created_by"]
