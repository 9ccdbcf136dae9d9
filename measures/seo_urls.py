"""Preview images and the Atom feed of a roadmap (measures.seo), under the language prefix like the pages."""

from django.urls import path

from measures import seo

app_name = "seo"

roadmap = "klima-roadmaps/<slug:slug>/"

urlpatterns = [
    path(roadmap + "vorschau.png", seo.roadmap_image, name="roadmap-image"),
    path(roadmap + "aktuelles.atom", seo.roadmap_feed, name="roadmap-feed"),
    path(roadmap + "massnahmen/<slug:measure>/vorschau.png", seo.measure_image, name="measure-image"),
]
