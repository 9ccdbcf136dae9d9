from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

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
from measures.views.editor import history_entries
from networks.admin import HistoryAdmin


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
    # interface language), read-only: a revert here would bypass the measure services (late state, caches).
    object_history_template = "admin/measures/measure/object_history.html"
    history_list_per_page = 50

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise PermissionDenied  # simple_history's revert form (it would save an old version past the services)

    def history_view_title(self, request, obj) -> str:
        return _("History of %(code)s %(title)s") % {"code": obj.code, "title": obj.title}

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return queryset.select_related("history_user__person").order_by("-history_date", "-history_id")

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True) -> None:
        """Each record of the page gets ``entry`` (who, kind, changed fields), compared with the record before
        it, also across the page's end."""
        records = list(historical_records)
        end = historical_records.end_index() if records else 0
        before = list(historical_records.paginator.object_list[end : end + 1])
        for record, entry in zip(records, history_entries([*records, *before]), strict=False):
            record.entry = entry


class SupportInline(admin.TabularInline):
    model = ProposalSupport
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "roadmap", "sector", "status", "created_at"]
    list_filter = ["status", "roadmap", "sector"]
    search_fields = ["title", "text"]
    raw_id_fields = ["author", "moderated_by"]
    inlines = [SupportInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
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
