"""The benchmark's WSGI application: the product's URLs plus one bare template view as the baseline.

Served only by bench/measures_bench.py (``gunicorn bench.bare_urls:application``); the product never
routes to it. The bare view goes through the same middleware as every page (sessions, locale, CSRF,
CSP, ...) and renders a small Django template without touching the database: what a page costs
beyond it is the page's own work.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import path  # noqa: E402

from config.urls import urlpatterns as product_urlpatterns  # noqa: E402

TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul></main></body></html>
"""
)


def bare(request):
    return HttpResponse(TEMPLATE.render({"title": "Klimanetz", "items": range(20)}, request))


urlpatterns = [path("bench/bare/", bare), *product_urlpatterns]
settings.ROOT_URLCONF = __name__  # before the first request resolves a URL
if os.environ.get("BENCH_PAGE_CACHE") in ("on", "off"):  # bench/scale_bench.py: public pages without and with it
    settings.PUBLIC_PAGE_CACHE = os.environ["BENCH_PAGE_CACHE"] == "on"
