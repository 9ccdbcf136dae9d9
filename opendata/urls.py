from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("katalog/", views.catalogue, name="catalogue"),
    path("katalog/katalog.<str:fmt>", views.catalogue_file, name="catalogue-file"),
]
