from django.urls import path

from measures.council import views

app_name = "council"

editor = "klima-roadmaps/<slug:slug>/redaktion/"
measure = editor + "massnahmen/<int:pk>/ratsinformation/"

urlpatterns = [
    path(editor + "ratsinformation/", views.endpoint_edit, name="endpoint"),
    path(editor + "ratsinformation/abgleichen/", views.endpoint_sync, name="endpoint-sync"),
    path(measure, views.measure_papers, name="measure-papers"),
    path(measure + "<int:link>/loesen/", views.link_delete, name="link-delete"),
]
