"""Placeholder: implemented by its owner."""

from django.http import HttpResponse


def roadmap_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def roadmap_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def measure_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def measure_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def open_data(request, *args, **kwargs):
    return HttpResponse(status=501)
