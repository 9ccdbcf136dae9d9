from django.urls import path

from measures.catalogue import views
from networks.cache import public_page


def catalogue_scopes(request, *args, **kwargs) -> list[str]:
    return ["catalogue"]


app_name = "catalogue"

library = "massnahmenbibliothek/"

urlpatterns = [
    path(library, public_page(catalogue_scopes)(views.entry_list), name="entry-list"),
    path(library + "neu/", views.entry_create, name="entry-create"),
    path(library + "<slug:slug>/", public_page(catalogue_scopes)(views.entry_detail), name="entry"),
    path(library + "<slug:slug>/bearbeiten/", views.entry_edit, name="entry-edit"),
    path(library + "<slug:slug>/uebernehmen/", views.entry_adopt, name="entry-adopt"),
    path(
        "klima-roadmaps/<slug:slug>/redaktion/massnahmen/<int:pk>/bibliothek/",
        views.measure_offer,
        name="measure-offer",
    ),
]
