"""Placeholder: implemented by its owner."""

from django.http import HttpResponse


def editor_dashboard(request, *args, **kwargs):
    return HttpResponse(status=501)


def roadmap_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def roadmap_edit(request, *args, **kwargs):
    return HttpResponse(status=501)


def measure_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def measure_edit(request, *args, **kwargs):
    return HttpResponse(status=501)


def milestones_edit(request, *args, **kwargs):
    return HttpResponse(status=501)


def update_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def measure_history(request, *args, **kwargs):
    return HttpResponse(status=501)


def bulk_status(request, *args, **kwargs):
    return HttpResponse(status=501)
