"""The library's section of the digest (networks.digest.sections): documents uploaded or given a new version in
the period, per network, newest first; one item per document (its newest version in the period); a closed working
group's documents only for those who may read them. One query for a whole batch of people (and at most three for
the closed groups' readers, networks.access.ClosedGroupReaders)."""

from __future__ import annotations

from collections import defaultdict

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.access import ClosedGroupReaders
from networks.digest import sections
from networks.library.models import DocumentVersion

PER_PERSON = 20


def _summary(version: DocumentVersion) -> str:
    who = version.uploaded_by.name if version.uploaded_by_id else ""
    size = filesizeformat(version.size)
    if version.number > 1:
        text = _("Version %(number)d by %(name)s") % {"number": version.number, "name": who or "–"}
        return f"{text} · {version.comment}" if version.comment else text
    return f"{_('Uploaded by %(name)s') % {'name': who or '–'}} · {size}"


def new_documents(requests: list[sections.Request]) -> dict[int, list[sections.Item]]:
    since = min(r.since for r in requests)
    until = max(r.until for r in requests)
    network_ids = {n.pk for r in requests for n in r.networks}
    versions = (
        DocumentVersion.objects.filter(
            document__network_id__in=network_ids,
            document__deleted_at=None,
            uploaded_at__gt=since,
            uploaded_at__lte=until,
        )
        .select_related("document__network", "uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )
    versions = list(versions)
    readers = ClosedGroupReaders([r.person.pk for r in requests], {v.document.working_group_id for v in versions})
    out: dict[int, list[sections.Item]] = defaultdict(list)
    for r in requests:
        mine, seen = {n.pk for n in r.networks}, set()
        for version in versions:
            document = version.document
            if document.network_id not in mine or document.pk in seen or not r.since < version.uploaded_at <= r.until:
                continue
            if not readers.may(r.person.pk, document.working_group_id):
                continue
            seen.add(document.pk)
            out[r.person.pk].append(
                sections.Item(
                    network=document.network_id,
                    title=document.title,
                    url=document.get_detail_url(),
                    date=version.uploaded_at,
                    summary=_summary(version),
                    key=f"library.document:{document.pk}:{version.number}",
                )
            )
            if len(out[r.person.pk]) >= PER_PERSON:
                break
    return out


def register() -> None:
    sections.register(key="library-documents", title=gettext_lazy("New documents"), order=45, items_batch=new_documents)
