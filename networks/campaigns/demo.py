"""Demo of campaign key figures (issue 17 §5): the Klima.Taten.Team Westpfalz's PV campaign (2022, finished) and
heat campaign (running since October 2022) with figures per participating municipality and quarter, invented but
plausible (the seeds name the campaigns and their online evenings, not their numbers), and links to the network's
campaign-related documents, announcements and events where the demo has them. Idempotent: figures by campaign and
name, values by figure, organisation and quarter."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from networks.campaigns import links, selectors
from networks.campaigns.models import CampaignLink, FigureValue, KeyFigure
from networks.models import Campaign

NETWORK = "klima-taten-team-westpfalz"
FIGURES = {
    "PV-Kampagne Westpfalz": [
        ("Installierte PV-Leistung", "kWp", "Neu gemeldete Dachanlagen im Gebiet (Marktstammdatenregister)", 80, 420),
        ("Energieberatungen Photovoltaik", "Beratungen", "Beratungen der Verbraucherzentrale und der Kommune", 12, 60),
        ("Veranstaltungen", "Veranstaltungen", "Online-Abende und Vor-Ort-Termine", 1, 3),
        ("Teilnehmende", "Personen", "Teilnehmende an den Veranstaltungen", 25, 140),
    ],
    "Wärmekampagne Westpfalz": [
        ("Energieberatungen Heizungstausch", "Beratungen", "Beratungen zu Heizungstausch und Wärmepumpe", 10, 55),
        ("Veranstaltungen", "Veranstaltungen", "Infoabende, Quartiersspaziergänge, Online-Sprechstunden", 0, 3),
        ("Teilnehmende", "Personen", "Teilnehmende an den Veranstaltungen", 0, 120),
    ],
}
LINK_WORDS = ("PV", "Photovoltaik", "Wärme", "Heiz")


def _amount(*parts, low: int, high: int) -> Decimal:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return Decimal(low + int.from_bytes(digest[:4], "big") % (high - low + 1))


def load(*, stdout=None) -> None:
    count = 0
    for campaign in Campaign.objects.filter(network__slug=NETWORK, title__in=FIGURES).select_related("network"):
        organisations = list(campaign.organisations.order_by("name"))
        for order, (name, unit, description, low, high) in enumerate(FIGURES[campaign.title]):
            figure, _ = KeyFigure.objects.update_or_create(
                campaign=campaign,
                name=name,
                defaults={"unit": unit, "description": description, "order": order, "period": "quarter"},
            )
            for start in selectors.periods(campaign, "quarter", today=min(date.today(), campaign.end or date.today())):
                for organisation in organisations:
                    _row, created = FigureValue.objects.get_or_create(
                        figure=figure,
                        organisation=organisation,
                        period_start=start,
                        defaults={"value": _amount(campaign.pk, name, organisation.slug, start, low=low, high=high)},
                    )
                    count += created
        _link(campaign)
    if stdout is not None:
        stdout.write(f"  Campaign figures: {count} new values")


def _link(campaign) -> None:
    """Link what the demo has about the campaign's theme (by words in titles), as its coordinators would."""
    from networks.models import NetworkRole

    coordinator = (
        NetworkRole.objects.filter(network=campaign.network, role="coordinator").select_related("person__user").first()
    )
    if coordinator is None or coordinator.person.user is None:
        return
    words = LINK_WORDS[:2] if campaign.kind == Campaign.Kind.PV else LINK_WORDS[2:]
    for source in links.sources():
        for object_id, label in source.choices(campaign, coordinator.person.user):
            if any(word.lower() in label.lower() for word in words):
                CampaignLink.objects.get_or_create(campaign=campaign, source=source.key, object_id=object_id)
