"""/katalog/: the DCAT-AP.de catalogue for data portals (GovData, the Länder portals) and a page for people.

Content negotiation on ``Accept``: Turtle, RDF/XML or JSON-LD for programs; a browser (text/html first) gets a
short German page with the three files; a client that names none of them (``*/*``, curl, a harvester without
preference) gets RDF/XML, what GovData's harvesters read. ``?format=ttl|rdf|jsonld`` and the file links
(/katalog/katalog.ttl) choose without a header."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from opendata.catalogue import SERIALISATIONS, catalogue_bytes, catalogue_url

HTML = "text/html"
BY_MEDIA_TYPE = {media_type: key for key, (_s, media_type, _f) in SERIALISATIONS.items()}
OFFERED = [HTML, "application/rdf+xml", "text/turtle", "application/ld+json", "application/json"]
DEFAULT = "rdf"


def _negotiated(request: HttpRequest) -> str:
    """The format key the client asked for, or "html"."""
    if "format" in request.GET:
        fmt = request.GET["format"]
        if fmt not in SERIALISATIONS:
            raise Http404
        return fmt
    accept = request.headers.get("Accept", "")
    if not accept.strip() or accept.strip() == "*/*":
        return DEFAULT
    preferred = request.get_preferred_type(OFFERED)
    if preferred == HTML:
        return "html"
    if preferred == "application/json":
        return "jsonld"
    return BY_MEDIA_TYPE.get(preferred, DEFAULT)


def _rdf_response(fmt: str) -> HttpResponse:
    _serializer, media_type, filename = SERIALISATIONS[fmt]
    response = HttpResponse(catalogue_bytes(fmt), content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    fmt = _negotiated(request)
    if fmt == "html":
        files = [(key, filename, media_type) for key, (_s, media_type, filename) in SERIALISATIONS.items()]
        response = render(request, "opendata/catalogue.html", {"files": files, "catalogue_url": catalogue_url()})
    else:
        response = _rdf_response(fmt)
    patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def catalogue_file(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in SERIALISATIONS:
        raise Http404
    return _rdf_response(fmt)
