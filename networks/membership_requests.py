"""Asking to join a network: a signed-in person who is not a member writes to the network's coordination.

The way in that a non-member's 403 page offers (networks.errors). There is no membership by request: the
coordinators decide and add the person (people and invitations page); the request is one email to each of them,
with ``Reply-To`` the person's address so that a reply reaches them directly, and their own addresses stay
hidden. Once per person and network (the outbox key): asking again sends nothing and says so.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from networks import access, mail
from networks.models import Network, NetworkRole, OutboxMessage, Person
from networks.outbox import outbox_enqueue_template
from networks.pages import network_context, person_of

KIND = "membership_requested"  # the mail kind, outbox reason and template name


KINDS = [
    mail.MailKind(
        KIND,
        "networks",
        gettext_lazy("Someone asks to join my network"),
        gettext_lazy("You receive this email because you coordinate a network on Klimanetz."),
        help=gettext_lazy("When a person who is not a member asks the coordination to join a network you coordinate."),
        order=35,
        audience=mail.coordinates_a_network,
    )
]


def register() -> None:
    """Called in NetworksConfig.ready()."""
    mail.register(*KINDS)


class MembershipRequestForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Your message to the coordination (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "For example your organisation and what you would like to contribute. The coordination answers you by "
            "email."
        ),
    )


def coordinators_of(network: Network) -> list[Person]:
    return list(
        Person.objects.filter(network_roles__network=network, network_roles__role=NetworkRole.Role.COORDINATOR)
        .select_related("user", "organisation")
        .order_by("name")
    )


def asked_on(network: Network, person: Person):
    """When the person asked to join the network (their first request), or None."""
    return (
        OutboxMessage.objects.filter(
            reason=KIND, object_type=network._meta.label_lower, object_id=str(network.pk), occasion=_occasion(person)
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def _occasion(person: Person) -> str:
    return f"person:{person.pk}"


def membership_request_send(*, network: Network, person: Person, note: str) -> int:
    """Tell each coordinator (who wants this kind) once; returns how many were told now (0 when asked before)."""
    if NetworkRole.objects.filter(network=network, person=person).exists():
        raise ValidationError(_("You are already a member of this network."))
    coordinators = coordinators_of(network)
    wanted = mail.mail_wanted_by(coordinators, KIND)
    told = 0
    with transaction.atomic():
        if asked_on(network, person) is not None:
            return 0
        for coordinator in coordinators:
            if coordinator.pk not in wanted:
                continue
            language = coordinator.language
            outbox_enqueue_template(
                recipient=coordinator.user.email,
                reason=KIND,
                template=KIND,
                context={
                    "network": network,
                    "asker": person,
                    "asker_email": person.user.email,
                    "note": note.strip(),
                    "person": coordinator,
                    "people_url": mail.absolute_url("networks:people-manage", language, slug=network.slug),
                },
                language=language,
                obj=network,
                occasion=_occasion(person),
                headers={"Reply-To": person.user.email},
            )
            told += 1
    return told


@login_required
@require_http_methods(["GET", "POST"])
def membership_request(request: HttpRequest, slug: str) -> HttpResponse:
    network = access.access_network(request.user, slug)
    person = person_of(request)
    if access.is_member(request.user, network):
        messages.info(request, _("You are already a member of this network."))
        return redirect("networks:network-detail", slug=network.slug)
    if person is None:
        messages.error(request, _("Your account has no profile yet. Please complete your profile first."))
        return redirect("networks:profile")
    form = MembershipRequestForm(request.POST if request.method == "POST" else None)
    asked = asked_on(network, person)
    if request.method == "POST" and asked is None and form.is_valid():
        told = membership_request_send(network=network, person=person, note=form.cleaned_data["note"])
        if told:
            messages.success(
                request,
                _("Your request has been sent to the coordination of %(network)s. They will answer you by email.")
                % {"network": network.short_name},
            )
        else:
            messages.error(
                request,
                _("The coordination of %(network)s cannot be reached by email. Please contact %(host)s.")
                % {"network": network.short_name, "host": network.host.name},
            )
        return redirect("networks:network-detail", slug=network.slug)
    named = [p for p in coordinators_of(network) if p.is_publicly_named]  # the others stay unnamed to outsiders
    context = network_context(request, network, form=form, asked=asked, coordinators=named)
    return render(request, "networks/membership_request.html", context, status=400 if form.errors else 200)
