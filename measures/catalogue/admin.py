from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from measures.catalogue.models import Adoption, LibraryEntry


@admin.register(LibraryEntry)
class LibraryEntryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "sector", "source_code", "source_organisation", "offered", "published", "updated_at"]
    list_filter = ["published", "offered", "sector"]
    search_fields = ["title", "summary", "source_code"]
    raw_id_fields = ["source_measure", "source_organisation", "curator"]
    readonly_fields = ["cost_band", "effect_band", "effect_per_keur", "withdrawn_at"]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["entry", "measure", "organisation", "created_by", "created_at"]
    raw_id_fields = ["entry", "measure", "organisation", "created_by"]
