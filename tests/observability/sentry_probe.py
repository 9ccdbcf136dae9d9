"""Run by tests/observability/test_sentry.py in a process of its own (SENTRY_DSN set: sentry-sdk patches Django
and Celery process-wide): one request whose view raises, with an email address, a password, a token in the path
and the query, an Authorization header and a cookie; then the SDK is flushed and the process ends."""

import os

import django
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def boom(request, secret: str) -> HttpResponse:
    raise ValueError(f"kaputt für {request.POST.get('email')} bei {request.get_full_path()}")


urlpatterns = [path("boom/<str:secret>/", boom)]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import sentry_sdk
    from django.test import Client
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF=__name__):
        client = Client(raise_request_exception=False)
        client.cookies["sessionid"] = "keks-9f8e7d6c5b4a39281706"
        response = client.post(
            "/boom/kalender-0123456789abcdefghijklmnop/?token=geheim-query-42",
            {"email": "anna.schmidt@example.org", "password": "Passwort-im-Body-77"},
            HTTP_AUTHORIZATION="Bearer api-token-5f4e3d2c1b0a99887766",
        )
    print(response.status_code, response["X-Request-ID"], flush=True)
    sentry_sdk.flush(timeout=10)


if __name__ == "__main__":
    main()
