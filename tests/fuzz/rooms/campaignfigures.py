"""Fuzz entries of networks.campaigns (label campaignfigures; see tests/fuzz/endpoints.py).

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| campaignfigures:figure-create | POST | coordinator | KeyFigureForm | – |
| campaignfigures:figure-edit | POST | coordinator | KeyFigureForm (a figure) | – |
| campaignfigures:values-enter | POST | coordinator | ValuesForm (a number per period) | organisation (compared) |
| campaignfigures:links | POST | coordinator | LinksForm | – |
| campaignfigures:figure-delete | POST | coordinator | – | – |
| campaignfigures:figures | GET | member | – | – |
| campaignfigures:export | GET | member | – | – (the format is in the path) |
"""

from __future__ import annotations

from django.urls import reverse

from networks.campaigns import selectors
from networks.campaigns.forms import KeyFigureForm, LinksForm, ValuesForm
from tests.fuzz.engine import Endpoint


def _figure(w):
    from networks.campaigns.models import KeyFigure

    w.campaign.organisations.add(w.organisation)
    figure, _ = KeyFigure.objects.get_or_create(campaign=w.campaign, name="PV installiert", defaults={"unit": "kWp"})
    return figure


def _args(w, *extra):
    return [w.network.slug, w.campaign.pk, *extra]


ENDPOINTS: list = [
    Endpoint(
        "campaignfigures:figure-create",
        "coordinator",
        lambda w: reverse("campaignfigures:figure-create", args=_args(w)),
        lambda w: [KeyFigureForm(campaign=w.campaign)],
        covers=(KeyFigureForm,),
    ),
    Endpoint(
        "campaignfigures:figure-edit",
        "coordinator",
        lambda w: reverse("campaignfigures:figure-edit", args=_args(w, _figure(w).pk)),
        lambda w: [KeyFigureForm(campaign=w.campaign, instance=_figure(w))],
    ),
    Endpoint(
        "campaignfigures:values-enter",
        "coordinator",
        lambda w: reverse("campaignfigures:values-enter", args=_args(w, _figure(w).pk)),
        lambda w: [
            ValuesForm(figure=_figure(w), starts=selectors.periods(w.campaign, _figure(w).period), initial_values={})
        ],
        covers=(ValuesForm,),
        extra={"organisation": "1"},
    ),
    Endpoint(
        "campaignfigures:links",
        "coordinator",
        lambda w: reverse("campaignfigures:links", args=_args(w)),
        lambda w: [LinksForm(campaign=w.campaign, user=w.user("coordinator"), chosen={})],
        covers=(LinksForm,),
    ),
]
NOT_FUZZED: dict[str, str] = {
    "campaignfigures:figure-delete": "no input (the figure form's delete button; tests/campaigns)",
}
READ_ONLY: set[str] = {"campaignfigures:figures", "campaignfigures:export"}  # no query keys read
