from django.urls import path

from networks.digest import views

app_name = "digest"

urlpatterns = [
    path("profil/e-mails/netzwerke/", views.delivery_settings, name="settings"),
    path("profil/e-mails/netzwerke/vorschau/", views.digest_preview, name="preview"),
    path("netzwerke/<slug:slug>/benachrichtigungen/", views.network_delivery, name="network-settings"),
    path("e-mails/ein-klick/<str:token>/", views.one_click, name="one-click"),
]
