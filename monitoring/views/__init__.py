from monitoring.views.emissions import balance_entry, balance_import, heat_planning_edit, path_edit, strategy_edit
from monitoring.views.indicators import (
    indicator_create,
    indicator_delete,
    indicator_edit,
    organisation_overview,
    values_entry,
    values_import,
)
from monitoring.views.network import board, board_export, health, health_detail
from monitoring.views.open_data import balance_data, indicator_data
from monitoring.views.reports import (
    report_create,
    report_detail,
    report_download,
    report_publish,
    report_retry,
    report_schedule,
    report_status,
)

__all__ = [
    "balance_data",
    "balance_entry",
    "balance_import",
    "board",
    "board_export",
    "health",
    "health_detail",
    "heat_planning_edit",
    "indicator_create",
    "indicator_data",
    "indicator_delete",
    "indicator_edit",
    "organisation_overview",
    "path_edit",
    "report_create",
    "report_detail",
    "report_download",
    "report_publish",
    "report_retry",
    "report_schedule",
    "report_status",
    "strategy_edit",
    "values_entry",
    "values_import",
]
