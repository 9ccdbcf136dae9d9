from django.conf import settings


def portal(request) -> dict:
    return {"SITE_NAME": "Klimanetz", "DEBUG": settings.DEBUG}
