"""Monitoring reports: request, progress, downloads, retry, publish, yearly schedule."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls.converters import SlugConverter
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from measures.access import access_roadmap, access_roadmap_edit
from measures.models import Roadmap
from monitoring.access import access_report, access_report_manage, can_manage_report, can_request_report
from monitoring.forms.reports import ReportRequestForm, ReportScheduleForm
from monitoring.models import Report, ReportSchedule
from monitoring.reporting.text import sections
from monitoring.services import reports as service
from networks.access import access_network, is_staff
from networks.downloads import serve_stored_file
from networks.models import Network, NetworkRole, Organisation
from networks.pages import person_of

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SUBJECT_PARAMETERS = ("roadmap", "organisation", "network")
SLUG = re.compile(SlugConverter.regex)


def _subject(request: HttpRequest) -> tuple[str, object]:
    """The subject named in ?roadmap= | ?organisation= | ?network=: 404 for who may not see it, 403 for who
    sees it but may not ask for its report."""
    given = [(name, request.GET[name]) for name in SUBJECT_PARAMETERS if request.GET.get(name)]
    if len(given) != 1:
        raise ValidationError(_("Say which roadmap, organisation or network the report is about."))
    scope, slug = given[0]
    if not SLUG.fullmatch(slug):  # e.g. a NUL byte, which PostgreSQL refuses in a query (a 500)
        raise Http404
    if scope == "roadmap":
        subject = access_roadmap(request.user, slug)
    elif scope == "organisation":
        subject = get_object_or_404(Organisation, slug=slug)
    else:
        subject = access_network(request.user, slug)
    if not can_request_report(request.user, **{scope: subject}):
        raise PermissionDenied
    return scope, subject


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and not any(request.GET.get(name) for name in SUBJECT_PARAMETERS):
        return _choose_subject(request)
    try:
        scope, subject = _subject(request)
    except ValidationError as error:  # e.g. two subjects at once: the same choice, with the reason (styled, 400)
        return _choose_subject(request, error=error.messages[0])
    today = timezone.localdate()
    language = get_language() or "de"
    form = ReportRequestForm(
        request.POST if request.method == "POST" else None,
        today=today,
        default_title=service.default_title(subject, today.year - 1, language),
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = service.report_request(
                person=person_of(request),
                scope=scope,
                subject=subject,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                title=form.cleaned_data["title"],
                language=language,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The report is being generated. This page shows how far it is."))
            return redirect(report)
    context = {"form": form, "scope": scope, "subject": subject, "subject_name": service.subject_name(subject)}
    return render(request, "monitoring/report_create.html", context, status=400 if form.errors else 200)


def _choose_subject(request: HttpRequest, error: str = "") -> HttpResponse:
    """/berichte/neu/ without a subject: what the person may ask a report for (networks they coordinate,
    organisations they edit with their roadmaps), each a link to the form. Three queries whatever the count."""
    staff = is_staff(request.user)  # may ask for every network's report (networks are few)
    networks = (
        Network.objects.all()
        if staff
        else Network.objects.filter(roles__person__user=request.user, roles__role=NetworkRole.Role.COORDINATOR)
    ).order_by("name")
    organisations = (
        Organisation.objects.filter(roles__person__user=request.user)
        .distinct()
        .order_by("name")
        .prefetch_related(Prefetch("roadmaps", queryset=Roadmap.objects.order_by("title")))
    )
    context = {"networks": list(networks), "organisations": list(organisations), "error": error, "staff": staff}
    return render(request, "monitoring/report_choose.html", context, status=400 if error else 200)


def _status(report: Report) -> dict:
    return {
        "status": report.status,
        "status_label": report.get_status_display(),
        "progress": report.progress,
        "step": report.step,
        "error": report.error if report.status == Report.Status.FAILED else "",
        "done": report.is_finished,
    }


def _downloads(report: Report) -> list[dict]:
    labels = {"pdf": "PDF", "html": "HTML", "xlsx": "Excel (XLSX)", "csv": "CSV"}
    return [
        {"fmt": fmt, "label": labels[fmt], "name": service.download_name(report, fmt)}
        for fmt in ("pdf", "html", "xlsx", "csv")
        if getattr(report, f"{fmt}_file")
    ]


@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    can_manage = can_manage_report(request.user, report)
    snapshot = report.snapshot or {}
    context = {
        "report": report,
        "state": _status(report),
        "can_manage": can_manage,
        "downloads": _downloads(report) if report.status == Report.Status.DONE else [],
        "can_publish": can_manage and report.scope == Report.Scope.ROADMAP and report.status == Report.Status.DONE,
        "unpublished_measures": service.drafts_in(report),
        "drafts_refusal": service.DRAFTS_REFUSAL,
        "sections": sections(snapshot) if snapshot else [],
    }
    return render(request, "monitoring/report_detail.html", context)


@require_safe
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    report = access_report(request.user, pk)
    response = JsonResponse(_status(report))
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in Report.FORMATS:
        raise Http404
    report = access_report(request.user, pk)
    file = getattr(report, f"{fmt}_file")
    if report.status != Report.Status.DONE or not file:
        raise Http404
    html = fmt == "html"  # shown in the browser with the portal's stylesheet: from the portal's origin
    response = serve_stored_file(
        file,
        filename=service.download_name(report, fmt),
        content_type=CONTENT_TYPES[fmt],
        inline=html,
        redirect=not html,
    )
    response["X-Robots-Tag"] = "noindex" if not report.published else "all"
    return response


@login_required
@require_POST
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report_manage(request.user, pk)
    try:
        service.report_retry(report)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The report is being generated again."))
    return redirect(report)


@login_required
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report_manage(request.user, pk)
    publish = request.POST.get("publish") == "1"
    try:
        service.report_publish(report, publish)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(report)
    if publish:
        messages.success(request, _("The report is published on the roadmap page."))
    else:
        messages.success(request, _("The report is no longer published."))
    return redirect(report)


@login_required
@require_http_methods(["GET", "POST"])
def report_schedule(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = access_roadmap_edit(request.user, slug)
    schedule = ReportSchedule.objects.filter(roadmap=roadmap).first() or ReportSchedule(roadmap=roadmap, enabled=False)
    form = ReportScheduleForm(request.POST if request.method == "POST" else None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        service.report_schedule_set(
            roadmap=roadmap,
            enabled=form.cleaned_data["enabled"],
            publish=form.cleaned_data["publish"],
            person=person_of(request),
        )
        messages.success(request, _("The settings of the yearly report are saved."))
        return redirect("monitoring:report-schedule", slug=roadmap.slug)
    reports = Report.objects.filter(roadmap=roadmap).select_related("roadmap")
    context = {"roadmap": roadmap, "form": form, "reports": reports, "editor_nav": "reports"}
    return render(request, "monitoring/report_schedule.html", context, status=400 if form.errors else 200)
