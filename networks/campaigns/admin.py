from django.contrib import admin

from networks.admin_history import HistoryAdmin
from networks.campaigns.models import CampaignLink, FigureValue, KeyFigure


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "period", "campaign"]
    raw_id_fields = ["campaign"]


@admin.register(FigureValue)
class FigureValueAdmin(HistoryAdmin):
    list_display = ["figure", "organisation", "period_start", "value", "entered_by", "updated_at"]
    raw_id_fields = ["figure", "organisation", "entered_by"]


@admin.register(CampaignLink)
class CampaignLinkAdmin(admin.ModelAdmin):
    list_display = ["campaign", "source", "object_id"]
    raw_id_fields = ["campaign"]
