"""Public events for people without an account: registration by email (confirm, cancel), walk-ins on the
participant list, and the Atom feed of a network's public events."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events import access
from events.forms.participation import GuestRegistrationForm, WalkInForm
from events.models import Event, Registration
from events.services import guests
from events.services.registration import RegistrationError
from events.views.calendar import FEED_PAST_DAYS
from networks.access import access_network
from networks.models import Network, Person
from networks.pages import network_context

# --- Registration without an account ---------------------------------------------------------------------


def _guest_event(request: HttpRequest, slug: str, pk: int) -> Event:
    """A public event of a public network (404 for everything else: internal events take no guests)."""
    network = access_network(request.user, slug)
    event = access.access_event(request.user, network, pk, queryset=Event.objects.with_counts())
    if not guests.can_register_as_guest(event):
        raise Http404
    return event


@require_http_methods(["GET", "POST"])
def guest_register(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The form (also on the event page); after sending, back to the event page with the same message whether or
    not the address is known (the email tells its owner)."""
    event = _guest_event(request, slug, pk)
    if not event.registration_open:
        messages.error(request, _("Registration for this event is closed."))
        return redirect(event)
    form = GuestRegistrationForm(request.POST or None, event=event)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                guests.guest_register(
                    event=event,
                    name=data["name"],
                    email=data["email"],
                    mode=form.chosen_mode,
                    language=get_language() or settings.LANGUAGE_CODE,
                    client=get_adapter().get_client_ip(request),
                )
            except guests.GuestRateLimited:
                form.add_error(None, _("Too many registrations from your connection. Please try again in an hour."))
                status = 429
            except RegistrationError as error:
                messages.error(request, str(error))
                return redirect(event)
            else:  # the same answer whether or not the address was registered already
                messages.success(
                    request,
                    _(
                        "We have sent an email to %(email)s. Please confirm your registration for “%(title)s” with "
                        "the link in it; only then is the place yours. No email after a few minutes? Look in your spam "
                        "folder."
                    )
                    % {"email": data["email"], "title": event.title},
                )
                return redirect(event.get_absolute_url() + "#registration")
        else:
            status = 400
    return render(
        request,
        "events/guest_register.html",
        network_context(request, event.network, event=event, form=form),
        status=status,
    )


def _by_token(token: str) -> Registration:
    registration = guests.guest_by_token(token)
    if registration is None:
        raise Http404
    return registration


@require_http_methods(["GET", "POST"])
def guest_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email: a button that confirms (a mail scanner's GET registers nobody)."""
    registration = _by_token(token)
    event = registration.event
    if request.method == "POST" and registration.status == Registration.Status.PENDING:
        try:
            registration = guests.guest_confirm(registration=registration)
        except RegistrationError as error:
            messages.error(request, str(error))
        else:
            registration = guests.guest_by_token(token)
    context = {"registration": registration, "event": event, "network": event.network}
    return render(request, "events/guest_confirm.html", context)


@require_http_methods(["GET", "POST"])
def guest_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _by_token(token)
    event = registration.event
    if request.method == "POST":
        try:
            guests.guest_cancel(registration=registration)
        except RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("You have cancelled your registration for “%(title)s”.") % {"title": event.title}
            )
        registration = guests.guest_by_token(token)
    context = {"registration": registration, "event": event, "network": event.network}
    return render(request, "events/guest_cancel.html", context)


# --- Walk-ins ----------------------------------------------------------------------------------------------


def walk_in_people(network: Network):
    """The people a walk-in can be linked to: those with a role in the network."""
    return Person.objects.filter(network_roles__network=network).distinct().order_by("name")


@login_required
@require_POST
def walk_in_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network = access_network(request.user, slug)
    event = access.access_event_manage(request.user, network, pk)
    back = reverse("events:participant-list", args=[network.slug, event.pk]) + "#walk-ins"
    form = WalkInForm(request.POST, event=event, people=walk_in_people(network))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    try:
        registration = guests.walk_in_add(
            event=event, name=data.get("name", ""), person=data.get("person"), mode=data.get("mode", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("%(name)s has been added to the attendance.") % {"name": registration.name})
    return redirect(back)


@login_required
@require_POST
def walk_in_remove(request: HttpRequest, slug: str, pk: int, registration: int) -> HttpResponse:
    network = access_network(request.user, slug)
    event = access.access_event_manage(request.user, network, pk)
    row = get_object_or_404(Registration.objects.select_related("person"), event=event, pk=registration)
    try:
        guests.walk_in_remove(registration=row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s has been removed from the attendance.") % {"name": row.name})
    return redirect(reverse("events:participant-list", args=[network.slug, event.pk]) + "#walk-ins")


# --- Atom feed of a network's public events -------------------------------------------------------------------


class NetworkEventsFeed(Feed):
    """The public events of a public network, upcoming first by date, for feed readers and local newsrooms."""

    feed_type = Atom1Feed
    LIMIT = 50

    def get_object(self, request, slug: str) -> Network:
        return access_network(AnonymousUser(), slug)  # public networks only: feed readers cannot log in

    def title(self, network: Network) -> str:
        return _("Public events: %(network)s") % {"network": network.name}

    def subtitle(self, network: Network) -> str:
        return _("Dates, places and registration of the public events of %(network)s on Klimanetz.") % {
            "network": network.name
        }

    def link(self, network: Network) -> str:
        return reverse("events:network-calendar", args=[network.slug])

    def feed_url(self, network: Network) -> str:
        return reverse("events:network-events-atom", args=[network.slug])

    def items(self, network: Network):
        return list(
            Event.objects.visible_to(AnonymousUser())  # public, not a closed working group's (events.access)
            .filter(network=network, ends_at__gte=_feed_since())
            .select_related("network")
            .order_by("-updated_at", "-pk")[: self.LIMIT]
        )

    def item_title(self, event: Event) -> str:
        when = timezone.localtime(event.starts_at).strftime("%d.%m.%Y %H:%M")
        title = f"{event.title} ({when})"
        return _("Cancelled: %(title)s") % {"title": title} if event.is_cancelled else title

    def item_description(self, event: Event) -> str:
        return event.description_html  # sanitised when saved (networks.markdown)

    def item_link(self, event: Event) -> str:
        return event.get_absolute_url()

    def item_guid(self, event: Event) -> str:
        return f"urn:uuid:{event.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, event: Event):
        return event.created_at

    def item_updateddate(self, event: Event):
        return event.updated_at

    def item_categories(self, event: Event):
        return [event.get_kind_display()]


def _feed_since():
    return timezone.now() - timedelta(days=FEED_PAST_DAYS)


network_events_atom = NetworkEventsFeed()
