"""URLs of the document library: under netzwerke/<slug>/dokumente/ (mounted under i18n_patterns)."""

from django.urls import path

from networks.library import views

app_name = "library"

base = "netzwerke/<slug:slug>/dokumente/"

urlpatterns = [
    path(base, views.library, name="library"),
    path(base + "arbeitsgruppen/<int:group>/", views.group_library, name="group-library"),
    path(base + "bereich/<slug:key>/", views.source_detail, name="source-detail"),
    path(base + "hochladen/", views.document_upload, name="document-upload"),
    path(base + "ordner/neu/", views.folder_create, name="folder-create"),
    path(base + "ordner/<int:pk>/", views.folder_detail, name="folder-detail"),
    path(base + "ordner/<int:pk>/bearbeiten/", views.folder_edit, name="folder-edit"),
    path(base + "ordner/<int:pk>/loeschen/", views.folder_delete, name="folder-delete"),
    path(base + "<int:pk>/", views.document_detail, name="document-detail"),
    path(base + "<int:pk>/herunterladen/", views.document_download, name="document-download"),
    path(base + "<int:pk>/neue-version/", views.version_upload, name="version-upload"),
    path(base + "<int:pk>/versionen/<int:number>/herunterladen/", views.version_download, name="version-download"),
    path(base + "<int:pk>/bearbeiten/", views.document_edit, name="document-edit"),
    path(base + "<int:pk>/loeschen/", views.document_delete, name="document-delete"),
]
