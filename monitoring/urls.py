from django.urls import path

from monitoring import views

app_name = "monitoring"

org = "organisationen/<slug:organisation>/monitoring/"
network = "netzwerke/<slug:slug>/monitoring/"
report = "berichte/<int:pk>/"

urlpatterns = [
    # Editors of an organisation: indicators, values, balances, planning status
    path(org, views.organisation_overview, name="organisation"),
    path(org + "indikatoren/neu/", views.indicator_create, name="indicator-create"),
    path(org + "indikatoren/<int:pk>/", views.indicator_edit, name="indicator-edit"),
    path(org + "indikatoren/<int:pk>/loeschen/", views.indicator_delete, name="indicator-delete"),
    path(org + "werte/", views.values_entry, name="values-entry"),
    path(org + "werte/import/", views.values_import, name="values-import"),
    path(org + "thg-bilanz/", views.balance_entry, name="balance"),
    path(org + "thg-bilanz/import/", views.balance_import, name="balance-import"),
    path(org + "thg-bilanz/zielpfad/", views.path_edit, name="path-edit"),
    path(org + "waermeplanung/", views.heat_planning_edit, name="heat-planning-edit"),
    path(org + "klimaschutzkonzept/", views.strategy_edit, name="strategy-edit"),
    # A network: the board (public or members) and the coordinators' health view
    path(network, views.board, name="board"),
    path(network + "waermeplanung.<str:fmt>", views.board_export, name="board-export"),
    path(network + "gesundheit/", views.health, name="health"),
    path(network + "gesundheit/<slug:organisation>/", views.health_detail, name="health-detail"),
    # Reports
    path("berichte/neu/", views.report_create, name="report-create"),
    path(report, views.report_detail, name="report"),
    path(report + "status.json", views.report_status, name="report-status"),
    path(report + "bericht.<str:fmt>", views.report_download, name="report-download"),
    path(report + "wiederholen/", views.report_retry, name="report-retry"),
    path(report + "veroeffentlichen/", views.report_publish, name="report-publish"),
    path("klima-roadmaps/<slug:slug>/jahresbericht/", views.report_schedule, name="report-schedule"),
    # Open data of a public roadmap (measures.opendata describes them in the roadmap's datapackage.json)
    path("klima-roadmaps/<slug:slug>/indikatoren.<str:fmt>", views.indicator_data, name="indicator-data"),
    path("klima-roadmaps/<slug:slug>/thg-bilanz.<str:fmt>", views.balance_data, name="balance-data"),
]
