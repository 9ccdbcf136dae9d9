"""The funding radar's section of the digest (networks.digest.sections): funding calls that opened (or were
entered) in the digest's window and fit at least one member organisation of the network as an applicant, with the
deadline and the organisations; the item links to the network's Förderradar. Two queries per batch.

An item is dated by the moment the call became news (entered, or its opening day in Berlin, whichever is later),
so it comes in exactly one digest of each person.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.funding.matching import Applicant, may_apply
from measures.funding.models import FundingCall, FundingProgramme
from networks.digest import sections
from networks.models import Membership

BERLIN = ZoneInfo("Europe/Berlin")


def _news_at(call: FundingCall) -> datetime:
    if call.opens is None:
        return call.created_at
    return max(call.created_at, datetime.combine(call.opens, time(0), tzinfo=BERLIN))


def call_items(requests: list[sections.Request]) -> dict[int, list[sections.Item]]:
    since = min(r.since for r in requests)
    until = max(r.until for r in requests)
    network_ids = {n.pk for r in requests for n in r.networks}
    opened = Q(opens__gt=since.astimezone(BERLIN).date(), opens__lte=until.astimezone(BERLIN).date())
    calls = list(
        FundingCall.objects.filter(programme__status=FundingProgramme.Status.ACTIVE)
        .filter(deadline__gte=until.astimezone(BERLIN).date(), created_at__lte=until)
        .filter(Q(created_at__gt=since) | opened)
        .select_related("programme")
        .order_by("deadline", "pk")
    )
    if not calls:
        return {}
    members = defaultdict(list)
    for membership in Membership.objects.current().filter(network_id__in=network_ids).select_related("organisation"):
        members[membership.network_id].append(membership.organisation)
    out: dict[int, list[sections.Item]] = defaultdict(list)
    for r in requests:
        for network in r.networks:
            for call in calls:
                when = _news_at(call)
                if not (r.since < when <= r.until):
                    continue
                fits = [o for o in members[network.pk] if may_apply(call.programme, Applicant.of(o))]
                if fits:
                    out[r.person.pk].append(_item(call, network, fits, when))
    return out


def _item(call: FundingCall, network, organisations, when: datetime) -> sections.Item:
    names = ", ".join(sorted(o.display_name for o in organisations)[:6])
    summary = _("Deadline %(date)s · %(funder)s · fits %(names)s") % {
        "date": formats.date_format(call.deadline, "SHORT_DATE_FORMAT"),
        "funder": call.programme.funder,
        "names": names,
    }
    if call.programme.is_demo:
        summary += " · " + _("example data")
    return sections.Item(
        network=network,
        title=f"{call.programme.name}: {call.title}",
        url=reverse("funding:network-radar", args=[network.slug]),
        date=when,
        summary=summary,
        key=f"funding.call:{call.pk}:{network.pk}",
    )


def register() -> None:
    sections.register(key="funding-calls", title=gettext_lazy("Funding calls"), order=60, items_batch=call_items)
