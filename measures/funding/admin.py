"""The operator's view of the funding radar: programmes with their calls, and the measures' kinds; with history."""

from django.contrib import admin

from measures.funding.models import FundingCall, FundingProgramme, MeasureFunding
from networks.admin_history import HistoryAdmin


class CallInline(admin.TabularInline):
    model = FundingCall
    extra = 0
    fields = ("title", "opens", "deadline", "note")


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(HistoryAdmin):
    list_display = ("name", "funder", "legal_basis", "status", "rolling", "is_demo", "last_checked")
    list_filter = ("status", "is_demo", "rolling")
    search_fields = ("name", "funder", "legal_basis")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_by", "created_at", "updated_at")
    inlines = [CallInline]
    history_with = ((FundingCall, "programme_id"),)


@admin.register(FundingCall)
class FundingCallAdmin(HistoryAdmin):
    list_display = ("title", "programme", "opens", "deadline")
    list_select_related = ("programme",)
    search_fields = ("title", "programme__name")
    date_hierarchy = "deadline"


@admin.register(MeasureFunding)
class MeasureFundingAdmin(HistoryAdmin):
    list_display = ("measure", "kinds")
    raw_id_fields = ("measure",)
