"""Who may do what with a campaign's figures (one rule per thing, DESIGN §4).

- Read the figures, the chart and the export: the network's members, coordinators and staff (as the campaign:
  networks.access.access_campaign; outsiders 404).
- Define figures and link events, documents, announcements: the network's coordinators and staff (403 for members).
- Enter values: for a participating organisation, its editors (networks.access.is_editor) who are members of the
  network, and the coordinators and staff for every participating organisation.
"""

from __future__ import annotations

from networks import access
from networks.models import Campaign, Organisation, OrganisationRole


def enterable_organisations(user, campaign: Campaign) -> list[Organisation]:
    """The participating organisations ``user`` may enter figures for (one query)."""
    organisations = campaign.organisations.order_by("name")
    if access.is_coordinator(user, campaign.network):
        return list(organisations)
    if not user.is_authenticated or not access.is_member(user, campaign.network):
        return []
    edited = OrganisationRole.objects.filter(person__user=user).values("organisation")
    return list(organisations.filter(pk__in=edited))


def may_enter(user, campaign: Campaign) -> bool:
    return bool(enterable_organisations(user, campaign))
