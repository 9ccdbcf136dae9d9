"""The one history page of the admin for every model that keeps history: read-only (no revert: an old version
saved from the admin would bypass the services that keep the rules, caches and mail), readable (who by name,
German labels, values as the portal shows them), paged with a constant number of queries, staff only."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from networks.history import ORDER, history_entries, timeline, timeline_records


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_template = "admin/history/object_history.html"
    history_list_per_page = 50
    history_hidden: tuple[str, ...] = ()  # fields not worth showing (never change, or internal counters)
    # Child rows whose history is part of this object's timeline: (model, its foreign key to this model's id).
    history_with: tuple[tuple[type, str], ...] = ()

    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404  # simple_history would answer a malformed id with a 500
        return super().history_view(request, object_id, extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise PermissionDenied  # simple_history's revert form

    def history_view_title(self, request, obj) -> str:
        return _("History of %(object)s") % {"object": obj}

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        queryset = super().get_history_queryset(request, history_manager, pk_name, object_id)
        queryset = queryset.select_related("history_user__person").order_by(*ORDER)
        if not self.history_with or not self.model._default_manager.filter(pk=object_id).exists():
            return queryset  # a deleted object's page is its own records (simple_history reads its last one)
        return timeline(self._parts(queryset, object_id))

    def _parts(self, own, object_id) -> list:
        return [own, *(model.history.filter(**{field: object_id}) for model, field in self.history_with)]

    def history_entries(self, records: list) -> list[dict]:
        return history_entries(records, hidden=self.history_hidden)

    def history_record_title(self, record) -> str:
        """What a child row of the timeline is called (its title, if it has one)."""
        return str(getattr(record, "title", ""))

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True) -> None:
        """Each record of the page gets ``entry`` (who, kind, changed fields against the record before it)."""
        records = list(historical_records)
        if records and isinstance(records[0], dict):  # a timeline page: its rows name the records
            models = [self.model, *(model for model, _field in self.history_with)]
            records = historical_records.object_list = timeline_records(records, [m.history.model for m in models])
        own = self.model.history.model
        for record, entry in zip(records, self.history_entries(records), strict=True):
            if not isinstance(record, own):
                entry.update(subject_shown=True, title=self.history_record_title(record))
            record.entry = entry
