from django.urls import path

from measures.funding import views

app_name = "funding"

base = "foerderprogramme/"
programme = base + "<slug:slug>/"

urlpatterns = [
    path(base, views.programme_list, name="programme-list"),
    path(base + "neu/", views.programme_create, name="programme-create"),
    path(base + "import/", views.programme_import, name="programme-import"),
    path(base + "fristen.ics", views.deadlines_feed, name="deadlines-feed"),
    path(base + "fristen/<slug:token>.ics", views.personal_deadlines_feed, name="personal-deadlines-feed"),
    path(base + "massnahmen/<slug:slug>/<int:pk>/", views.measure_funding, name="measure-funding"),
    path(programme, views.programme_detail, name="programme-detail"),
    path(programme + "bearbeiten/", views.programme_edit, name="programme-edit"),
    path(programme + "verlauf/", views.programme_history, name="programme-history"),
    path(programme + "aufrufe/neu/", views.call_create, name="call-create"),
    path(programme + "aufrufe/<int:pk>/bearbeiten/", views.call_edit, name="call-edit"),
    path(programme + "aufrufe/<int:pk>/loeschen/", views.call_delete, name="call-delete"),
    path("netzwerke/<slug:slug>/foerderradar/", views.network_radar, name="network-radar"),
]
