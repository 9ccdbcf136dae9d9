"""URLs of a campaign's key figures: under netzwerke/<slug>/kampagnen/<pk>/kennzahlen/ (mounted under i18n_patterns)."""

from django.urls import path

from networks.campaigns import views

app_name = "campaignfigures"

base = "netzwerke/<slug:slug>/kampagnen/<int:pk>/kennzahlen/"

urlpatterns = [
    path(base, views.figures, name="figures"),
    path(base + "neu/", views.figure_edit, name="figure-create"),
    path(base + "<int:figure>/bearbeiten/", views.figure_edit, name="figure-edit"),
    path(base + "<int:figure>/loeschen/", views.figure_delete, name="figure-delete"),
    path(base + "<int:figure>/erfassen/", views.values_enter, name="values-enter"),
    path(base + "verknuepfungen/", views.links_edit, name="links"),
    path(base + "export.<str:fmt>", views.export, name="export"),
]
