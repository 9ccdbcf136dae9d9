"""URLs of the webhooks: an organisation's under organisationen/<organisation>/webhooks/, a network's under
netzwerke/<slug>/webhooks/ (mounted under i18n_patterns). The same views; ``scope`` says whose."""

from django.urls import path

from networks.webhooks import views
from networks.webhooks.kinds import NETWORK, ORGANISATION

app_name = "webhooks"


def _patterns(scope: str, base: str) -> list:
    extra = {"scope": scope}
    endpoint = base + "<int:pk>/"
    return [
        path(base, views.endpoint_list, extra, name=f"{scope}-endpoints"),
        path(base + "neu/", views.endpoint_create, extra, name=f"{scope}-endpoint-create"),
        path(endpoint, views.endpoint_detail, extra, name=f"{scope}-endpoint"),
        path(endpoint + "bearbeiten/", views.endpoint_edit, extra, name=f"{scope}-endpoint-edit"),
        path(endpoint + "loeschen/", views.endpoint_delete, extra, name=f"{scope}-endpoint-delete"),
        path(endpoint + "test/", views.endpoint_test, extra, name=f"{scope}-endpoint-test"),
        path(endpoint + "fortsetzen/", views.endpoint_resume, extra, name=f"{scope}-endpoint-resume"),
        path(endpoint + "neues-geheimnis/", views.endpoint_secret, extra, name=f"{scope}-endpoint-secret"),
    ]


urlpatterns = [
    *_patterns(ORGANISATION, "organisationen/<slug:organisation>/webhooks/"),
    *_patterns(NETWORK, "netzwerke/<slug:slug>/webhooks/"),
]
