"""A measure whose slug changed is found at its old address: 301 to the new one (measures.seo.moved_measure).

As a middleware's process_exception, so it works whatever answers a 404: the portal's page (config.urls.handler404,
DEBUG off) and Django's technical 404 page (DEBUG on, ``make run``) alike.
"""

from __future__ import annotations

from django.db import DatabaseError
from django.http import Http404, HttpResponsePermanentRedirect


class MovedMeasureMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Http404) or request.method not in ("GET", "HEAD"):
            return None
        from measures.seo import moved_measure

        try:
            target = moved_measure(request)
        except DatabaseError:
            return None
        return HttpResponsePermanentRedirect(target) if target else None
