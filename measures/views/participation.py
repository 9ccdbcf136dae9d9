"""Placeholder: implemented by its owner."""

from django.http import HttpResponse


def proposal_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def proposal_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def proposal_detail(request, *args, **kwargs):
    return HttpResponse(status=501)


def proposal_support(request, *args, **kwargs):
    return HttpResponse(status=501)


def comment_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def moderation_queue(request, *args, **kwargs):
    return HttpResponse(status=501)


def proposal_moderate(request, *args, **kwargs):
    return HttpResponse(status=501)


def proposal_to_measure(request, *args, **kwargs):
    return HttpResponse(status=501)


def comment_moderate(request, *args, **kwargs):
    return HttpResponse(status=501)


def pledge_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def pledge_edit(request, *args, **kwargs):
    return HttpResponse(status=501)


def pledge_report(request, *args, **kwargs):
    return HttpResponse(status=501)
