from django.urls import path

from monitoring.comparison import views
from networks.cache import public_page

app_name = "comparison"

org = "organisationen/<slug:organisation>/vergleich/"

urlpatterns = [
    path(org, public_page(views.page_scopes)(views.comparison), name="comparison"),
    path(org + "freigabe/", views.consent, name="consent"),
    path(org + "stammdaten/", views.key_data, name="key-data"),
]
