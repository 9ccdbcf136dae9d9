"""The API instance: /api/v1/, its OpenAPI schema (/api/v1/openapi.json), the documentation page (Swagger UI
from our own static files, api/templates/api/docs.html) and the errors as problem details (api.problems)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import DocsBase
from ninja.renderers import JSONRenderer

from api import personal, public
from api.problems import field_errors, problem, pydantic_errors

DESCRIPTION = gettext_noop(
    """Open data of the Klimanetz portal: networks' public profiles, climate roadmaps and their measures,
milestones and public progress reports, indicators, greenhouse-gas balances and target paths, public events,
published monitoring reports, the measure library and the funding radar. Without a token: what everyone sees on the
public pages. With a personal API token (created on the profile page, `Authorization: Bearer kn_…`): what its person
may see, and writes for editors (a token with the write scope).

Errors are RFC 9457 problem details (`application/problem+json`) in German or English by `Accept-Language`.
Lists are paged by an opaque `cursor` (`next_cursor`); answers carry `ETag` (and `Last-Modified` where known)
and answer conditional requests with 304. Rate limits per token and per address: 429 with `Retry-After`."""
)


class SelfHostedSwagger(DocsBase):
    """Swagger UI from static/vendor/swagger-ui (no CDN), configured by a JSON block (no inline script)."""

    def render_page(self, request, api, **kwargs):
        return render(request, "api/docs.html", {"openapi_url": self.get_openapi_url(api, kwargs)})


class Utf8JSON(JSONRenderer):
    """Umlauts as they are (UTF-8, as the Content-Type says), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class KlimanetzAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Errors are documented as what they are: application/problem+json. The description in the request's
        language (the documentation page reads it from here)."""
        schema = super().get_openapi_schema(**kwargs)
        schema["info"]["description"] = _(DESCRIPTION)
        for item in schema["paths"].values():
            for operation in item.values():
                for code, answer in operation.get("responses", {}).items():
                    if int(code) >= 400 and "application/json" in answer.get("content", {}):
                        answer["content"] = {"application/problem+json": answer["content"]["application/json"]}
        return schema


api = KlimanetzAPI(
    title="Klimanetz API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=SelfHostedSwagger(),
    docs_url="/docs/",
    openapi_url="/openapi.json",
    renderer=Utf8JSON(),
)
api.add_router("", public.router)
api.add_router("", personal.router)


@api.exception_handler(NinjaValidationError)
def _invalid(request, error):
    return problem(request, 400, _("The request is not valid."), errors=pydantic_errors(error.errors))


@api.exception_handler(public.InvalidFilter)
def _invalid_filter(request, error):
    return problem(request, 400, _("A filter value is not valid."), errors=error.errors)


@api.exception_handler(ValidationError)
def _invalid_input(request, error):
    return problem(request, 400, _("The values are not valid."), errors=field_errors(error))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, error):
    detail = _("A valid API token is needed: Authorization: Bearer <token>.")
    return problem(request, 401, detail, headers={"WWW-Authenticate": 'Bearer realm="api"'})


@api.exception_handler(PermissionDenied)
def _forbidden(request, error):
    return problem(request, 403, _("You may not do this."))


@api.exception_handler(Http404)
def _not_found(request, error):
    return problem(request, 404, _("There is nothing at this address, or you may not see it."))


@api.exception_handler(HttpError)
def _http_error(request, error):
    return problem(request, error.status_code, str(error))
