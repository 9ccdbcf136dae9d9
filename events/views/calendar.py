"""Placeholder: implemented by its owner."""

from django.http import HttpResponse


def calendar_token_renew(request, *args, **kwargs):
    return HttpResponse(status=501)


def event_ics(request, *args, **kwargs):
    return HttpResponse(status=501)


def event_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def my_calendar(request, *args, **kwargs):
    return HttpResponse(status=501)


def network_calendar(request, *args, **kwargs):
    return HttpResponse(status=501)


def network_feed(request, *args, **kwargs):
    return HttpResponse(status=501)


def notification_settings(request, *args, **kwargs):
    return HttpResponse(status=501)


def personal_feed(request, *args, **kwargs):
    return HttpResponse(status=501)
