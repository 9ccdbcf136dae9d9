"""The council's section of the digest (networks.digest.sections): a new consultation of a paper linked to a
public measure of a member organisation of the network (read after the link was made), dated when it was first
read, so that it comes in exactly one digest of each person. Three queries per batch."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.council.decisions import consultation_text
from measures.council.models import CouncilConsultation, CouncilLink
from networks.digest import sections
from networks.models import Membership


def consultation_items(requests: list[sections.Request]) -> dict[int, list[sections.Item]]:
    since = min(r.since for r in requests)
    until = max(r.until for r in requests)
    consultations = list(
        CouncilConsultation.objects.filter(first_seen_at__gt=since, first_seen_at__lte=until)
        .filter(paper__links__isnull=False)
        .select_related("paper")
        .distinct()
    )
    if not consultations:
        return {}
    network_ids = {n.pk for r in requests for n in r.networks}
    members = defaultdict(set)
    for network_id, organisation_id in (
        Membership.objects.current().filter(network_id__in=network_ids).values_list("network_id", "organisation_id")
    ):
        members[network_id].add(organisation_id)
    links = list(
        CouncilLink.objects.filter(paper_id__in={c.paper_id for c in consultations})
        .filter(Q(measure__published=True, measure__roadmap__published=True))
        .filter(measure__roadmap__organisation_id__in={o for orgs in members.values() for o in orgs})
        .select_related("measure__roadmap")
    )
    out: dict[int, list[sections.Item]] = defaultdict(list)
    for r in requests:
        for network in r.networks:
            for link in links:
                if link.measure.roadmap.organisation_id not in members[network.pk]:
                    continue
                for c in consultations:
                    if c.paper_id == link.paper_id and max(r.since, link.created_at) < c.first_seen_at <= r.until:
                        out[r.person.pk].append(_item(c, link, network))
    return out


def _item(consultation: CouncilConsultation, link: CouncilLink, network) -> sections.Item:
    paper = consultation.paper
    summary = _("Paper %(reference)s: %(decision)s") % {
        "reference": paper.reference or paper.name[:60],
        "decision": consultation_text(consultation),
    }
    return sections.Item(
        network=network,
        title=f"{link.measure.code} {link.measure.title}",
        url=link.measure.get_absolute_url(),
        date=consultation.first_seen_at,
        summary=summary,
        key=f"council.consultation:{consultation.pk}:{link.measure_id}",
    )


def register() -> None:
    sections.register(
        key="council-consultations", title=gettext_lazy("Council decisions"), order=65, items_batch=consultation_items
    )
