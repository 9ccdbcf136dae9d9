from django.urls import path

from api import views

app_name = "apitokens"

urlpatterns = [
    path("profil/api-zugaenge/", views.token_list, name="token-list"),
    path("profil/api-zugaenge/<int:pk>/widerrufen/", views.token_revoke, name="token-revoke"),
]
