from django.urls import path

from monitoring.embeds import views

app_name = "embeds"

embed = "einbetten/<slug:slug>/"

urlpatterns = [
    path(embed, views.progress, name="progress"),
    path(embed + "massnahmen/<slug:measure>/", views.measure_card, name="measure"),
    path(embed + "indikatoren/<int:pk>/", views.indicator_chart, name="indicator"),
    path(embed + "abzeichen.<str:fmt>", views.progress_badge, name="badge"),
    path("klima-roadmaps/<slug:slug>/redaktion/einbetten/", views.embed_settings, name="settings"),
]
