from django.urls import path

from networks.search import views

app_name = "search"

urlpatterns = [
    path("suche/", views.search_page, name="search"),
]
