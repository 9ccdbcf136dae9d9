from django.urls import path

from networks.signin import views

app_name = "signin"

urlpatterns = [
    path("konto/organisation/", views.start, name="start"),
]
