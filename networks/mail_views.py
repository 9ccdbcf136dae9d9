"""The email settings page and the personal switch-off link of every email (networks.mail)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from networks import mail
from networks.mail_forms import MailSettingsForm
from networks.services import person_ensure


@login_required
@require_http_methods(["GET", "POST"])
def mail_settings(request: HttpRequest) -> HttpResponse:
    person = person_ensure(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = MailSettingsForm(data, off=mail.switched_off(person), kinds=mail.kinds_for(person))
    if form.is_valid():
        mail.mail_settings_set(person=person, off=form.switched_off())
        messages.success(request, _("Your email settings have been saved."))
        return redirect("networks:mail-settings")
    return render(request, "networks/mail_settings.html", {"form": form})


# RFC 8058 one-click unsubscribe: a mail program POSTs "List-Unsubscribe=One-Click" to the URL of the
# List-Unsubscribe header without any cookie or form, so this one view cannot ask for a CSRF token. It is safe
# without: the signed token in the path is the authorisation, and the only thing a POST can do is switch off
# the one kind of email of the one person the token names. GET never changes anything (link scanners follow it).
# The mail program's POST gets a plain 200 (no redirect it would not follow, no cookie: no message, no page with
# the CSRF token of the language switch); the page's own button (a browser) is sent back to the page.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def mail_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = mail.unsubscribe_read(token)
    if found is None:
        return render(request, "networks/mail_unsubscribe_invalid.html", status=400)
    person, kind = found
    if request.method == "POST":
        switched = mail.mail_switch_off(person=person, kind=kind.code)
        done = _("Done: you will no longer receive emails of this kind.")
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(done, content_type="text/plain; charset=utf-8")
        if switched:
            messages.success(request, done)
        return redirect("networks:mail-unsubscribe", token=token)
    context = {"kind": kind, "is_off": kind.code in mail.switched_off(person), "token": token}
    return render(request, "networks/mail_unsubscribe.html", context)
