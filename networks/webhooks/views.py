"""The webhook pages of an organisation (its editors) and of a network (its coordinators): the same views, the
owner's kind (``scope``) comes from the URL pattern."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from networks.models import Organisation
from networks.pages import network_context, page_of, person_of
from networks.webhooks import selectors, services, signing
from networks.webhooks.access import Owner, access_endpoint, access_owner
from networks.webhooks.forms import EndpointForm
from networks.webhooks.kinds import NETWORK, ORGANISATION

SECRET_SESSION_KEY = "webhooks-secret-{pk}"  # noqa: S105 (a session key, not a secret)
LAYOUTS = {NETWORK: "network_layout.html", ORGANISATION: "monitoring/editor/layout.html"}  # the owner's navigation


def _owner(request: HttpRequest, scope: str, kwargs: dict) -> Owner:
    return access_owner(request.user, scope, kwargs.get("organisation") or kwargs["slug"])


def _context(request: HttpRequest, owner: Owner, **extra) -> dict:
    """What the owner's layout needs: the network's navigation, or the organisation's editor navigation."""
    base = {"owner": owner, "routes": owner.routes, "layout": LAYOUTS[owner.scope]}
    if owner.is_network:
        return network_context(request, owner.obj, **base, **extra)
    is_public_body = owner.obj.kind in Organisation.PUBLIC_BODIES
    return {"organisation": owner.obj, "editor_nav": "webhooks", "is_public_body": is_public_body, **base, **extra}


def _to_detail(owner: Owner, endpoint) -> HttpResponse:
    return redirect(owner.route("endpoint"), owner.slug, endpoint.pk)


def _sent(request: HttpRequest):
    """The sent data, also when it is empty (an empty POST is a form with errors, not a blank form)."""
    return request.POST if request.method == "POST" else None


def _form_page(request: HttpRequest, owner: Owner, form, **extra) -> HttpResponse:
    """The form, with 400 when a sent form has errors."""
    status = 400 if form.errors else 200
    return render(request, "webhooks/endpoint_form.html", _context(request, owner, form=form, **extra), status=status)


def _remember_secret(request: HttpRequest, endpoint, secret: str) -> None:
    """The secret is shown once, on the next view of the endpoint's page, then never again."""
    request.session[SECRET_SESSION_KEY.format(pk=endpoint.pk)] = secret


@login_required
@require_safe
def endpoint_list(request: HttpRequest, scope: str, **kwargs) -> HttpResponse:
    owner = _owner(request, scope, kwargs)
    endpoints = list(selectors.endpoints_for_list(owner.endpoints()))
    return render(request, "webhooks/endpoint_list.html", _context(request, owner, endpoints=endpoints))


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_create(request: HttpRequest, scope: str, **kwargs) -> HttpResponse:
    owner = _owner(request, scope, kwargs)
    form = EndpointForm(_sent(request), owner=owner)
    if request.method == "POST" and form.is_valid():
        endpoint = services.endpoint_create(owner=owner.obj, by=person_of(request), **form.cleaned_data)
        _remember_secret(request, endpoint, endpoint.secret)
        messages.success(request, _("The endpoint has been registered."))
        return _to_detail(owner, endpoint)
    return _form_page(request, owner, form)


@login_required
@require_safe
def endpoint_detail(request: HttpRequest, scope: str, pk: int, **kwargs) -> HttpResponse:
    owner = _owner(request, scope, kwargs)
    endpoint = access_endpoint(owner, pk)
    secret = request.session.pop(SECRET_SESSION_KEY.format(pk=endpoint.pk), None)
    page = page_of(request, selectors.delivery_log(endpoint), selectors.LOG_PAGE_SIZE)
    context = _context(
        request,
        owner,
        endpoint=endpoint,
        secret=secret,
        page=page,
        python_snippet=signing.PYTHON_SNIPPET,
        shell_snippet=signing.SHELL_SNIPPET,
    )
    response = render(request, "webhooks/endpoint_detail.html", context)
    response["Cache-Control"] = "no-store"  # the secret, once
    return response


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(request: HttpRequest, scope: str, pk: int, **kwargs) -> HttpResponse:
    owner = _owner(request, scope, kwargs)
    endpoint = access_endpoint(owner, pk)
    form = EndpointForm(_sent(request), instance=endpoint, owner=owner)
    if request.method == "POST" and form.is_valid():
        services.endpoint_update(endpoint=endpoint, **form.cleaned_data)
        messages.success(request, _("The endpoint has been saved."))
        return _to_detail(owner, endpoint)
    return _form_page(request, owner, form, endpoint=endpoint)


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_delete(request: HttpRequest, scope: str, pk: int, **kwargs) -> HttpResponse:
    owner = _owner(request, scope, kwargs)
    endpoint = access_endpoint(owner, pk)
    if request.method == "POST":
        services.endpoint_delete(endpoint=endpoint)
        messages.success(request, _("The endpoint and its delivery log have been deleted."))
        return redirect(owner.route("endpoints"), owner.slug)
    return render(request, "webhooks/endpoint_delete.html", _context(request, owner, endpoint=endpoint))


@login_required
@require_POST
def endpoint_test(request: HttpRequest, scope: str, pk: int, **kwargs) -> HttpResponse:
    owner = _owner(request, scope, kwargs)
    endpoint = access_endpoint(owner, pk)
    services.test_event_send(endpoint=endpoint, by=person_of(request))
    messages.success(request, _("A test event is on its way; its delivery appears in the log below."))
    return _to_detail(owner, endpoint)


@login_required
@require_POST
def endpoint_resume(request: HttpRequest, scope: str, pk: int, **kwargs) -> HttpResponse:
    owner = _owner(request, scope, kwargs)
    endpoint = access_endpoint(owner, pk)
    if services.endpoint_resume(endpoint=endpoint):
        messages.success(request, _("The endpoint is active again and receives new events."))
    else:
        messages.info(request, _("The endpoint was not paused."))
    return _to_detail(owner, endpoint)


@login_required
@require_POST
def endpoint_secret(request: HttpRequest, scope: str, pk: int, **kwargs) -> HttpResponse:
    owner = _owner(request, scope, kwargs)
    endpoint = access_endpoint(owner, pk)
    _remember_secret(request, endpoint, services.endpoint_secret_renew(endpoint=endpoint))
    messages.success(request, _("A new secret is in force from now on. The old one no longer verifies."))
    return _to_detail(owner, endpoint)
