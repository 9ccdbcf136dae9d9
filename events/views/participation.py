"""Placeholder: implemented by its owner."""

from django.http import HttpResponse


def attendance(request, *args, **kwargs):
    return HttpResponse(status=501)


def faq(request, *args, **kwargs):
    return HttpResponse(status=501)


def participant_export(request, *args, **kwargs):
    return HttpResponse(status=501)


def participant_list(request, *args, **kwargs):
    return HttpResponse(status=501)


def question_answer(request, *args, **kwargs):
    return HttpResponse(status=501)


def question_create(request, *args, **kwargs):
    return HttpResponse(status=501)


def register(request, *args, **kwargs):
    return HttpResponse(status=501)


def unregister(request, *args, **kwargs):
    return HttpResponse(status=501)
