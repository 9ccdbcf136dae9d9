"""Placeholder: implemented by its owner."""

from django.http import HttpResponse


def action_item_status(request, *args, **kwargs):
    return HttpResponse(status=501)


def action_items(request, *args, **kwargs):
    return HttpResponse(status=501)


def document_delete(request, *args, **kwargs):
    return HttpResponse(status=501)


def document_download(request, *args, **kwargs):
    return HttpResponse(status=501)


def document_upload(request, *args, **kwargs):
    return HttpResponse(status=501)


def minutes_edit(request, *args, **kwargs):
    return HttpResponse(status=501)


def outcome_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def outcome_delete(request, *args, **kwargs):
    return HttpResponse(status=501)
