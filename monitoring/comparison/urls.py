from django.urls import path

from monitoring.comparison import views

app_name = "comparison"

org = "organisationen/<slug:organisation>/vergleich/"

urlpatterns = [
    path(org, views.comparison, name="comparison"),
    path(org + "freigabe/", views.consent, name="consent"),
    path(org + "stammdaten/", views.key_data, name="key-data"),
]
