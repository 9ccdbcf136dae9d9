from django.contrib import admin
from django.utils.translation import gettext as _

from measures import admin_page, history  # noqa: F401  (admin_page registers the links and contact messages)
from measures.models import (
    Comment,
    Measure,
    MeasureUpdate,
    Milestone,
    Pledge,
    PledgeReport,
    Proposal,
    ProposalSupport,
    Roadmap,
)
from networks.admin_history import HistoryAdmin


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "target_year", "published"]
    list_filter = ["published"]
    search_fields = ["title", "organisation__name"]
    autocomplete_fields = ["organisation"]
    prepopulated_fields = {"slug": ["title"]}


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class UpdateInline(admin.StackedInline):
    model = MeasureUpdate
    extra = 0
    autocomplete_fields = ["author"]


@admin.register(Measure)
class MeasureAdmin(HistoryAdmin):
    list_display = ["code", "title", "roadmap", "sector", "status", "is_late", "published"]
    list_filter = ["roadmap", "sector", "status", "is_late", "published"]
    search_fields = ["code", "title", "summary"]
    autocomplete_fields = ["roadmap", "lead_organisation", "responsible_person", "partners", "origin_event"]
    readonly_fields = ["is_late", "origin_proposal"]
    inlines = [MilestoneInline, UpdateInline]
    list_select_related = ["roadmap"]
    # The history as the editors see it in the portal (who by name, each field before and after, in the
    # interface language), with the milestones and progress reports; read-only (networks.admin_history).
    object_history_template = "admin/measures/measure/object_history.html"
    history_with = history.WITH

    def history_view_title(self, request, obj) -> str:
        return _("History of %(code)s %(title)s") % {"code": obj.code, "title": obj.title}

    def history_entries(self, records: list) -> list[dict]:
        return history.history_entries(records)

    def history_record_title(self, record) -> str:
        return history.title(record)


class SupportInline(admin.TabularInline):
    model = ProposalSupport
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Proposal)
class ProposalAdmin(HistoryAdmin):  # the history keeps the moderation decisions: who, when, published or why not
    list_display = ["title", "roadmap", "sector", "status", "created_at"]
    list_filter = ["status", "roadmap", "sector"]
    search_fields = ["title", "text"]
    raw_id_fields = ["author", "moderated_by"]
    inlines = [SupportInline]


@admin.register(Comment)
class CommentAdmin(HistoryAdmin):  # the history keeps the moderation decisions: who, when, published or why not
    list_display = ["__str__", "measure", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["text"]
    raw_id_fields = ["author", "moderated_by", "measure"]


class PledgeReportInline(admin.TabularInline):
    model = PledgeReport
    extra = 0


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["organisation", "network", "target_year"]
    list_filter = ["network"]
    autocomplete_fields = ["network", "organisation"]
    inlines = [PledgeReportInline]
