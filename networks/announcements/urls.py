from django.urls import path

from networks.announcements import views

app_name = "announcements"

base = "netzwerke/<slug:slug>/ankuendigungen/"

urlpatterns = [
    path(base, views.announcement_list, name="announcement-list"),
    path(base + "neu/", views.announcement_create, name="announcement-create"),
    path(base + "<int:pk>/", views.announcement_detail, name="announcement-detail"),
    path(base + "<int:pk>/bearbeiten/", views.announcement_edit, name="announcement-edit"),
    path(base + "<int:pk>/senden/", views.announcement_send, name="announcement-send"),
    path(base + "<int:pk>/loeschen/", views.announcement_delete, name="announcement-delete"),
]
