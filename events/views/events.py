"""Placeholder: implemented by its owner."""

from django.http import HttpResponse


def event_cancel(request, *args, **kwargs):
    return HttpResponse(status=501)


def event_copy(request, *args, **kwargs):
    return HttpResponse(status=501)


def event_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def event_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def event_edit(request, *args, **kwargs):
    return HttpResponse(status=501)


def series_cancel(request, *args, **kwargs):
    return HttpResponse(status=501)


def series_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def series_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def series_edit(request, *args, **kwargs):
    return HttpResponse(status=501)
