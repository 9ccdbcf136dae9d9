from django.contrib import admin

from monitoring.models import (
    ClimateStrategy,
    EmissionBalance,
    EmissionPath,
    EmissionPathPoint,
    HeatPlanning,
    HeatPlanningStep,
    Indicator,
    IndicatorValue,
    Reminder,
    Report,
    ReportSchedule,
)
from monitoring.services.indicators import next_due_refresh
from networks.admin_history import HistoryAdmin


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    raw_id_fields = ["entered_by"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "organisation", "scope", "kind", "next_due", "public"]
    list_filter = ["scope", "kind", "direction", "public"]
    search_fields = ["name", "code", "organisation__name"]
    autocomplete_fields = ["organisation", "roadmap", "measures", "responsible"]
    list_select_related = ["organisation"]
    inlines = [IndicatorValueInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        next_due_refresh([form.instance])  # values added, changed or deleted inline: the one due-date rule


@admin.register(IndicatorValue)
class IndicatorValueAdmin(HistoryAdmin):
    list_display = ["indicator", "year", "date", "kind", "value", "checked", "entered_by"]
    list_filter = ["kind", "checked", "year"]
    search_fields = ["indicator__name", "indicator__organisation__name", "source"]
    raw_id_fields = ["indicator", "entered_by"]
    list_select_related = ["indicator", "entered_by"]

    # A value saved or deleted here moves the indicator's due date as in the portal (the one rule).
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        next_due_refresh([obj.indicator])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        next_due_refresh([obj.indicator])

    def delete_queryset(self, request, queryset):
        values = queryset.select_related("indicator")
        indicators = list({value.indicator_id: value.indicator for value in values}.values())
        super().delete_queryset(request, queryset)
        next_due_refresh(indicators)


@admin.register(EmissionBalance)
class EmissionBalanceAdmin(HistoryAdmin):
    list_display = ["organisation", "year", "sector", "energy_carrier", "emissions"]
    list_filter = ["sector", "year"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["entered_by"]
    list_select_related = ["organisation"]


class PathPointInline(admin.TabularInline):
    model = EmissionPathPoint
    extra = 0


@admin.register(EmissionPath)
class EmissionPathAdmin(admin.ModelAdmin):
    list_display = ["organisation", "baseline_year", "target_year", "method"]
    autocomplete_fields = ["organisation"]
    inlines = [PathPointInline]


class HeatPlanningStepInline(admin.TabularInline):
    model = HeatPlanningStep
    extra = 0


@admin.register(HeatPlanning)
class HeatPlanningAdmin(HistoryAdmin):
    list_display = ["organisation", "stage", "office", "council_decision_on", "is_demo"]
    list_filter = ["stage", "is_demo"]
    search_fields = ["organisation__name", "office"]
    autocomplete_fields = ["organisation", "convoy"]
    inlines = [HeatPlanningStepInline]
    history_with = ((HeatPlanningStep, "planning_id"),)  # the dates each stage was reached

    def history_record_title(self, record) -> str:
        return str(record.get_stage_display())


@admin.register(ClimateStrategy)
class ClimateStrategyAdmin(HistoryAdmin):
    list_display = ["organisation", "neutrality_year", "concept_adopted_on", "concept_share_implemented", "is_demo"]
    list_filter = ["neutrality_year", "is_demo"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "scope", "status", "progress", "published", "created_at", "finished_at"]
    list_filter = ["status", "scope", "published", "scheduled"]
    search_fields = ["title"]
    raw_id_fields = ["roadmap", "organisation", "network", "requested_by"]
    readonly_fields = ["status", "progress", "step", "error", "attempts", "started_at", "heartbeat_at", "finished_at"]
    exclude = ["snapshot"]


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ["roadmap", "enabled", "publish"]
    autocomplete_fields = ["roadmap"]
    raw_id_fields = ["requested_by"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "item", "period", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
