from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from events.models import (
    AgendaItem,
    CalendarToken,
    Document,
    Event,
    EventSeries,
    Notice,
    Outcome,
    Question,
    Registration,
)
from networks.admin_history import HistoryAdmin


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    autocomplete_fields = ["person"]
    readonly_fields = ["queued_at", "created_at"]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0
    exclude = ["network", "working_group"]  # the event's (set in EventAdmin.save_formset)
    autocomplete_fields = ["owner_person", "owner_organisation"]


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    readonly_fields = ["content_type", "size", "uploaded_by", "created_at"]


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    list_display = ["title", "network", "kind", "format", "starts_at", "status", "visibility", "capacity"]
    list_filter = ["network", "kind", "format", "status", "visibility"]
    search_fields = ["title", "venue", "description"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["network", "series", "created_by"]
    filter_horizontal = ["topics"]
    readonly_fields = ["uid", "sequence", "original_start", "detached", "minutes_published_at"]
    inlines = [AgendaInline, RegistrationInline, OutcomeInline, DocumentInline]
    list_select_related = ["network"]
    history_hidden = ("sequence",)  # the calendar revision counts every save
    history_with = ((Outcome, "event_id"),)  # the minutes and their outcomes in one list

    def history_record_title(self, record) -> str:
        return Truncator(record.text).chars(80)

    def save_formset(self, request, form, formset, change):
        if formset.model is Outcome:  # an outcome of the event belongs to the event's network
            for outcome in formset.save(commit=False):
                outcome.network_id = form.instance.network_id
                outcome.save()
            for outcome in formset.deleted_objects:
                outcome.delete()
            return
        super().save_formset(request, form, formset, change)


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "frequency", "interval", "weekday", "first_date", "until", "ended_on"]
    list_filter = ["network", "frequency", "kind"]
    search_fields = ["title"]
    autocomplete_fields = ["network", "created_by"]
    filter_horizontal = ["topics"]
    readonly_fields = ["materialised_until", "ended_on"]
    list_select_related = ["network"]


@admin.register(Registration)
class RegistrationAdmin(HistoryAdmin):
    list_display = ["person", "event", "status", "queued_at"]
    list_filter = ["status", "event__network"]
    search_fields = ["person__name", "event__title"]
    autocomplete_fields = ["person", "event"]
    list_select_related = ["person", "event"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["registration", "kind", "occasion", "skipped", "created_at"]
    list_filter = ["kind", "skipped"]
    raw_id_fields = ["registration"]


@admin.register(Outcome)
class OutcomeAdmin(HistoryAdmin):
    list_display = ["text", "kind", "network", "event", "owner_person", "owner_organisation", "due_date", "status"]
    list_filter = ["kind", "status", "network"]
    search_fields = ["text"]
    autocomplete_fields = ["event", "owner_person", "owner_organisation"]
    list_select_related = ["network", "event", "owner_person", "owner_organisation"]


class QuestionRemovedFilter(admin.SimpleListFilter):
    title = _("removed")
    parameter_name = "removed"

    def lookups(self, request, model_admin):
        return [("yes", _("removed by the coordination")), ("no", _("listed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(removed_at__isnull=False)
        return queryset.listed() if self.value() == "no" else queryset


@admin.register(Question)
class QuestionAdmin(HistoryAdmin):
    """Every question, also those the asker withdrew (their history) or the coordination removed (with the reason)."""

    list_display = ["text", "network", "event", "anonymous", "answered_at", "removed_at"]
    list_filter = ["network", "anonymous", QuestionRemovedFilter]
    list_select_related = ["network", "event"]
    search_fields = ["text", "answer", "removed_reason"]
    autocomplete_fields = ["event", "author", "answered_by", "topic", "removed_by"]
    readonly_fields = ["edited_at"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "kind", "content_type", "size", "created_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["title"]
    autocomplete_fields = ["event"]
    readonly_fields = ["content_type", "size", "uploaded_by"]


admin.site.register(CalendarToken, list_display=["person", "created_at"], readonly_fields=["token"])
