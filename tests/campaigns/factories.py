"""Test data of networks.campaigns: a campaign with participating organisations and figures."""

from datetime import date
from decimal import Decimal

from networks.campaigns.models import FigureValue, KeyFigure
from tests.networks import factories as f


def campaign_with(network, *, organisations=2, start=date(2026, 1, 1), end=date(2026, 12, 31)):
    campaign = f.CampaignFactory(network=network, title="PV-Kampagne Westpfalz", start=start, end=end)
    for i in range(organisations):
        campaign.organisations.add(f.OrganisationFactory(name=f"Verbandsgemeinde {i}", ags=f"07335{i:03d}"))
    return campaign


def figure(campaign, *, name="PV installiert", unit="kWp", period=KeyFigure.Period.QUARTER):
    return KeyFigure.objects.create(campaign=campaign, name=name, unit=unit, period=period)


def value(figure, organisation, start, amount):
    return FigureValue.objects.create(
        figure=figure, organisation=organisation, period_start=start, value=Decimal(amount)
    )
