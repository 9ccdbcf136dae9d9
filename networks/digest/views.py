"""The delivery settings pages (all networks; one network) and the one-click links of the digest's emails."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from networks import access
from networks.digest import build, preferences
from networks.digest.forms import DigestTimeForm, NetworkDeliveryForm
from networks.digest.models import DEFAULT_POSTS, DigestRun
from networks.models import Network, Person
from networks.services import person_ensure


def _network_forms(data, person: Person, networks: list[Network]) -> list[NetworkDeliveryForm]:
    stored = preferences.preferences_of([person.pk]).get(person.pk, {})
    forms = []
    for network in networks:
        posts, by_email = stored.get(network.pk, (DEFAULT_POSTS, True))
        forms.append(NetworkDeliveryForm(data, network=network, posts=posts, by_email=by_email))
    return forms


def _save(person: Person, forms: list[NetworkDeliveryForm]) -> None:
    with transaction.atomic():
        for form in forms:
            preferences.preference_set(
                person=person,
                network=form.network,
                posts=form.cleaned_data["posts"],
                announcements_by_email=form.by_email,
            )


@login_required
@require_http_methods(["GET", "POST"])
def delivery_settings(request: HttpRequest) -> HttpResponse:
    """Every network of the person, and the digest's hour and weekday."""
    person = person_ensure(user=request.user)
    networks = list(Network.objects.filter(roles__person=person).distinct().order_by("name"))
    data = request.POST if request.method == "POST" else None
    current = preferences.digest_settings(person)
    time_form = DigestTimeForm(data, initial={"hour": current.hour, "weekday": current.weekday})
    forms = _network_forms(data, person, networks)
    if data is not None and time_form.is_valid() and all(f.is_valid() for f in forms):
        with transaction.atomic():
            _save(person, forms)
            preferences.digest_settings_set(person=person, **time_form.cleaned_data)
        messages.success(request, _("Your settings for discussions, announcements and digests have been saved."))
        return redirect("digest:settings")
    return render(request, "digest/settings.html", {"forms": forms, "time_form": time_form})


@login_required
@require_safe
def digest_preview(request: HttpRequest) -> HttpResponse:
    """The viewer's own next digest as it would look now (build.preview: nothing written, nothing sent). Only ever
    the signed-in person's: the address names no one. ?period=weekly for the weekly one."""
    person = person_ensure(user=request.user)
    period = DigestRun.Period.WEEKLY if request.GET.get("period") == "weekly" else DigestRun.Period.DAILY
    context = build.preview(person, period)
    in_digest = {n for found in context.pop("streams").values() for n in found}
    context.update(
        period=period,
        in_digest=sorted(n.name for n in in_digest),
        digest_time=preferences.digest_settings(person),
    )
    return render(request, "digest/preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def network_delivery(request: HttpRequest, slug: str) -> HttpResponse:
    """One network's choices, reached from its space ("Benachrichtigungen")."""
    network = access.access_network_internal(request.user, slug)
    person = person_ensure(user=request.user)
    data = request.POST if request.method == "POST" else None
    forms = _network_forms(data, person, [network])
    if data is not None and forms[0].is_valid():
        _save(person, forms)
        messages.success(request, _("Your settings for this network have been saved."))
        return redirect("digest:network-settings", slug=network.slug)
    return render(request, "digest/network_settings.html", {"network": network, "form": forms[0]})


# RFC 8058 one-click: a mail program POSTs "List-Unsubscribe=One-Click" without cookies or a CSRF token; the signed
# token in the path is the authorisation and a POST can only do the one thing the token names for the one person
# (networks.mail_views.mail_unsubscribe explains the same choice). GET only shows the button.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def one_click(request: HttpRequest, token: str) -> HttpResponse:
    found = preferences.one_click_read(token)
    person = Person.objects.filter(pk=found[0], anonymised_at__isnull=True).first() if found else None
    if person is None:
        return render(request, "digest/one_click_invalid.html", status=400)
    _person_id, network_id, action = found
    network = Network.objects.filter(pk=network_id).first() if network_id is not None else None
    if network_id is not None and network is None:
        return render(request, "digest/one_click_invalid.html", status=400)
    if request.method == "POST":
        preferences.one_click_apply(person=person, network_id=network_id, action=action)
        done = _("Done: your choice has been saved.")
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(done, content_type="text/plain; charset=utf-8")
        messages.success(request, done)
        return redirect("digest:one-click", token=token)
    context = {"action": action, "network": network, "token": token}
    return render(request, "digest/one_click.html", context)
