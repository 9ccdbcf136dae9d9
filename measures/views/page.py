"""The public measure page's own forms: citizens write to the measure's contact person; editors keep its links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from measures.access import access_measure, access_measure_edit, access_roadmap, has_verified_email
from measures.forms.page import ContactForm, MeasureLinkFormSet
from measures.public import PublicMeasure
from measures.services.contact import contact_message_send, contact_of
from networks.services import person_ensure


@login_required
@require_http_methods(["GET", "POST"])
def measure_contact(request: HttpRequest, slug: str, measure: str) -> HttpResponse:
    """Write to the measure's contact person (signed in, verified address); 404 without a public contact."""
    roadmap = access_roadmap(request.user, slug)
    instance = access_measure(request.user, roadmap, measure)
    if not instance.published:
        raise Http404  # an editor's preview has no contact form: nothing may reach anyone about it yet
    contact = contact_of(instance)
    if contact is None:
        raise Http404
    verified = has_verified_email(request.user)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and verified and form.is_valid():
        sender = person_ensure(user=request.user)
        try:
            contact_message_send(
                measure=instance,
                sender=sender,
                text=form.cleaned_data["text"],
                reply_to_sender=form.cleaned_data["reply_to_sender"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your message has been sent to %(name)s. Your email address was shared only if you agreed.")
                % {"name": contact.name},
            )
            return redirect(instance.get_absolute_url() + "#contact")
    status = 200
    if request.method == "POST":
        status = 403 if not verified else 400
    context = {
        "roadmap": roadmap,
        "measure": PublicMeasure(instance),
        "contact": contact,
        "form": form,
        "email_verified": verified,
    }
    return render(request, "measures/measure_contact.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def measure_links_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The editors keep the measure's external links (apply for funding, project website, documents)."""
    roadmap = access_roadmap(request.user, slug)
    measure = access_measure_edit(request.user, roadmap, pk)
    formset = MeasureLinkFormSet(request.POST or None, instance=measure, prefix="links")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("The links have been saved."))
        return redirect("measures:measure-edit", slug=roadmap.slug, pk=measure.pk)
    return render(
        request,
        "measures/measure_links_form.html",
        {"roadmap": roadmap, "measure": measure, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )
