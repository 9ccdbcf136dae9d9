"""Permission funnels for monitoring (DESIGN §4), on top of networks.access and measures.access.

- Indicators, values, balances, target paths, heat planning and the climate strategy of an
  organisation: its editors (and staff) change them. Public indicators of published roadmaps
  are read by everyone on the roadmap page.
- The network board (heat planning, target years, comparison): members of the network, and
  everyone when the network made the board public.
- The health view: the network's coordinators (and staff).
- Reports: who may ask for one may read it (editors of the roadmap's/organisation's
  organisation, coordinators of the network); a published roadmap report is public.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from monitoring.models import Indicator, Report
from networks.access import access_network, is_coordinator, is_editor, is_member
from networks.models import Network, Organisation


def access_organisation_edit(user, slug: str) -> Organisation:
    """An organisation whose monitoring data the user edits. Others: 403 (organisations are public)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not is_editor(user, organisation):
        raise PermissionDenied
    return organisation


def access_indicator_edit(user, organisation: Organisation, pk: int) -> Indicator:
    if not is_editor(user, organisation):
        raise PermissionDenied
    return get_object_or_404(Indicator.objects.select_related("roadmap"), organisation=organisation, pk=pk)


def can_see_board(user, network: Network) -> bool:
    return network.board_public or is_member(user, network)


def access_board(user, slug: str) -> Network:
    """The network board: public when the network says so, members-only otherwise (403 on a visible network)."""
    network = access_network(user, slug)
    if not can_see_board(user, network):
        raise PermissionDenied
    return network


def access_health(user, slug: str) -> Network:
    """The coordinator's health view of a network."""
    network = access_network(user, slug)
    if not is_coordinator(user, network):
        raise PermissionDenied
    return network


def can_request_report(user, *, roadmap=None, organisation=None, network=None) -> bool:
    if roadmap is not None:
        return is_editor(user, roadmap.organisation)
    if organisation is not None:
        return is_editor(user, organisation)
    if network is not None:
        return is_coordinator(user, network)
    return False


def can_manage_report(user, report: Report) -> bool:
    """Editors of the subject's organisation or coordinators of the subject network: see, retry, publish."""
    return can_request_report(user, roadmap=report.roadmap, organisation=report.organisation, network=report.network)


def is_public_report(report: Report) -> bool:
    """Published reports of published roadmaps are public (only roadmap reports can be published)."""
    return (
        report.published
        and report.status == Report.Status.DONE
        and report.roadmap is not None
        and report.roadmap.published
    )


def can_read_report(user, report: Report) -> bool:
    return is_public_report(report) or can_manage_report(user, report)


def access_report(user, pk: int) -> Report:
    """A report the user may read: published ones for everyone, the others for who may manage them (404)."""
    report = get_object_or_404(
        Report.objects.select_related("roadmap__organisation", "organisation", "network", "requested_by"), pk=pk
    )
    if not can_read_report(user, report):
        raise Http404
    return report


def access_report_manage(user, pk: int) -> Report:
    report = access_report(user, pk)
    if not can_manage_report(user, report):
        raise PermissionDenied
    return report
