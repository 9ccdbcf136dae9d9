"""Views of a campaign's key figures: the figures page (sums, chart, table), defining figures, entering values,
linking events, documents and announcements, and the export for the funder."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from networks import access
from networks import services as network_services
from networks.campaigns import links, selectors, services
from networks.campaigns.access import enterable_organisations
from networks.campaigns.forms import KeyFigureForm, LinksForm, ValuesForm
from networks.campaigns.models import CampaignLink, FigureValue, KeyFigure, period_label
from networks.numbers import plain_number
from networks.pages import attachment, network_context
from networks.tabular import CSV_TYPE, XLSX_TYPE, csv_bytes, xlsx_bytes


def _campaign(request: HttpRequest, slug: str, pk: int, *, write: bool = False):
    network = access.access_network(request.user, slug)
    return network, access.access_campaign(request.user, network, pk, write=write)


def _figures_url(campaign) -> str:
    return reverse("campaignfigures:figures", args=[campaign.network.slug, campaign.pk])


@login_required
@require_safe
def figures(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network, campaign = _campaign(request, slug, pk)
    tables = selectors.figure_tables(campaign)
    for table in tables:
        table.width = selectors.chart_width(table)
    context = network_context(
        request,
        network,
        campaign=campaign,
        tables=tables,
        may_enter=bool(enterable_organisations(request.user, campaign)),
        may_define=access.is_coordinator(request.user, network),
        linked=links.linked(campaign, request.user),
        chart_height=selectors.CHART_HEIGHT,
    )
    return render(request, "campaignfigures/figures.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def figure_edit(request: HttpRequest, slug: str, pk: int, figure: int | None = None) -> HttpResponse:
    network, campaign = _campaign(request, slug, pk, write=True)
    instance = get_object_or_404(KeyFigure, campaign=campaign, pk=figure) if figure else None
    form = KeyFigureForm(request.POST if request.method == "POST" else None, instance=instance, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The key figure has been saved."))
        return redirect(_figures_url(campaign))
    context = network_context(request, network, campaign=campaign, form=form, figure=instance)
    return render(request, "campaignfigures/figure_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def figure_delete(request: HttpRequest, slug: str, pk: int, figure: int) -> HttpResponse:
    _network, campaign = _campaign(request, slug, pk, write=True)
    services.figure_delete(figure=get_object_or_404(KeyFigure, campaign=campaign, pk=figure))
    messages.success(request, _("The key figure and its values have been deleted."))
    return redirect(_figures_url(campaign))


@login_required
@require_http_methods(["GET", "POST"])
def values_enter(request: HttpRequest, slug: str, pk: int, figure: int) -> HttpResponse:
    network, campaign = _campaign(request, slug, pk)
    figure_obj = get_object_or_404(KeyFigure, campaign=campaign, pk=figure)
    organisations = enterable_organisations(request.user, campaign)
    if not organisations:
        raise PermissionDenied
    wanted = request.POST.get("organisation") or request.GET.get("organisation") or ""
    organisation = next((o for o in organisations if str(o.pk) == wanted), organisations[0])
    starts = selectors.periods(campaign, figure_obj.period)
    initial = dict(
        FigureValue.objects.filter(figure=figure_obj, organisation=organisation).values_list("period_start", "value")
    )
    starts = sorted(set(starts) | set(initial))
    form = ValuesForm(
        request.POST if request.method == "POST" else None, figure=figure_obj, starts=starts, initial_values=initial
    )
    if request.method == "POST" and form.is_valid():
        person = network_services.person_ensure(user=request.user)
        try:
            services.values_set(figure=figure_obj, organisation=organisation, values=form.values(), by=person)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The figures of %(organisation)s have been saved.") % {"organisation": organisation.name},
            )
            return redirect(_figures_url(campaign))
    context = network_context(
        request,
        network,
        campaign=campaign,
        figure=figure_obj,
        form=form,
        organisation=organisation,
        organisations=organisations,
    )
    return render(request, "campaignfigures/values_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def links_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    network, campaign = _campaign(request, slug, pk, write=True)
    chosen: dict[str, list[int]] = {}
    for key, object_id in CampaignLink.objects.filter(campaign=campaign).values_list("source", "object_id"):
        chosen.setdefault(key, []).append(object_id)
    form = LinksForm(
        request.POST if request.method == "POST" else None, campaign=campaign, user=request.user, chosen=chosen
    )
    if request.method == "POST" and form.is_valid():
        for source in links.sources():
            offered = {value for value, _label in form.fields[source.key].choices}
            kept = [i for i in chosen.get(source.key, []) if i not in offered]  # linked earlier, no longer offered
            services.links_set(campaign=campaign, key=source.key, ids=kept + list(form.cleaned_data[source.key]))
        messages.success(request, _("The links of the campaign have been saved."))
        return redirect(_figures_url(campaign))
    context = network_context(request, network, campaign=campaign, form=form)
    return render(request, "campaignfigures/links_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_safe
def export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    """Every value with its figure, unit, period and organisation, and the sums per figure and period (CSV: German
    Excel, decimal comma and BOM, networks.tabular; XLSX: numbers as numbers)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _network, campaign = _campaign(request, slug, pk)
    tables = selectors.figure_tables(campaign)
    header = [_("Key figure"), _("Unit"), _("Period"), _("Period start"), _("Organisation"), _("AGS"), _("Value")]
    rows, sums = [], []
    number = plain_number if fmt == "csv" else float
    for table in tables:
        figure = table.figure
        for row in table.rows:
            for period, value in zip(table.periods, row["cells"], strict=True):
                if value is not None:
                    organisation = row["organisation"]
                    label = period_label(figure.period, period["start"])
                    rows.append(
                        [
                            figure.name,
                            figure.unit,
                            label,
                            period["start"],
                            organisation.name,
                            organisation.ags or "",
                            number(value),
                        ]
                    )
        for period in table.periods:
            sums.append(
                [figure.name, figure.unit, period["label"], period["start"], _("all"), "", number(period["total"])]
            )
    stamp = timezone.localdate().isoformat()
    name = f"kampagne-{network_services.slugify_de(campaign.title)[:40] or campaign.pk}-kennzahlen-{stamp}"
    if fmt == "csv":
        return attachment(csv_bytes(header, rows + sums), CSV_TYPE, f"{name}.csv")
    content = xlsx_bytes([(_("Values"), header, rows), (_("Sums"), header, sums)])
    return attachment(content, XLSX_TYPE, f"{name}.xlsx")
