"""How a linked paper or decision reads on a page: "Beschlossen am 12.03.2025 im Kreistag, Drucksache 2025/123".

OParl gives an agenda item's result as free text ("Geändert beschlossen", "einstimmig abgelehnt", ...): the
common outcomes are recognised and said in the reader's language; any other result is shown as the council wrote
it. A linked paper (not one decision) reads as its deciding consultation: the latest with a result, an
authoritative one first; else its latest consultation; else the paper alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from measures.council.models import CouncilConsultation, CouncilLink, CouncilPaper

OUTCOMES = (  # (pattern in the lower-cased result, outcome): the first match wins
    (r"abgelehnt|nicht beschlossen|nicht zugestimmt", "rejected"),
    (r"vertagt|zurückgestellt|zurückgezogen|abgesetzt", "deferred"),
    (r"beschlossen|zugestimmt|angenommen|genehmigt|verabschiedet", "adopted"),
    (r"kenntnis", "noted"),
)
FEMININE = ("ung", "ion", "enz", "schaft", "heit", "keit", "kammer", "runde", "sitzung", "konferenz")


def outcome(result: str) -> str:
    lowered = result.lower()
    if not lowered.strip():
        return "pending"
    return next((name for pattern, name in OUTCOMES if re.search(pattern, lowered)), "other")


def _head_noun(name: str) -> str:
    """The committee's head noun: "Finanzausschuss" in "Haupt- und Finanzausschuss", "Bezirksvertretung" in
    "Bezirksvertretung Innenstadt"."""
    for word in name.split():
        if word.endswith("-") or not word[:1].isupper():
            continue
        return word.strip(",.;:()").lower()
    return ""


def in_committee(name: str) -> str:
    """ "im Kreistag", "in der Bezirksvertretung" (German needs the committee's gender; English says "in the")."""
    if _head_noun(name).endswith(FEMININE):
        return pgettext("feminine committee", "in the %(name)s") % {"name": name}
    return pgettext("masculine or neuter committee", "in the %(name)s") % {"name": name}


def _day(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def consultation_text(consultation: CouncilConsultation, *, today: date | None = None) -> str:
    """ "Beschlossen am 12.03.2025 im Kreistag"; a consultation without a result says when it is (was) on the
    agenda."""
    today = today or timezone.localdate()
    values = {
        "date": _day(consultation.meeting_date) if consultation.meeting_date else "–",
        "where": in_committee(
            consultation.organization_name or consultation.meeting_name or pgettext("committee", "council")
        ),
        "result": consultation.result,
    }
    kind = outcome(consultation.result)
    if kind == "pending" and consultation.meeting_date and consultation.meeting_date >= today:
        return _("On the agenda on %(date)s %(where)s") % values
    texts = {
        "adopted": _("Adopted on %(date)s %(where)s"),
        "rejected": _("Rejected on %(date)s %(where)s"),
        "deferred": _("Deferred on %(date)s %(where)s"),
        "noted": _("Noted on %(date)s %(where)s"),
        "other": _("%(result)s on %(date)s %(where)s"),
        "pending": _("Discussed on %(date)s %(where)s"),
    }
    return texts[kind] % values


def deciding(paper: CouncilPaper, consultations: list[CouncilConsultation]) -> CouncilConsultation | None:
    """The consultation that speaks for the paper (see the module's docstring)."""
    if not consultations:
        return None
    decided = [c for c in consultations if c.result]
    pool = [c for c in decided if c.authoritative] or decided or consultations
    return max(pool, key=lambda c: (c.meeting_date or date.min, c.pk))


@dataclass(frozen=True)
class Line:
    link: CouncilLink
    text: str  # the decision, or "" for a paper with no consultation yet
    paper: CouncilPaper
    url: str

    @property
    def reference(self) -> str:
        return self.paper.reference or self.paper.name[:60]


def line(link: CouncilLink) -> Line:
    """A link as the pages show it (the paper's consultations prefetched)."""
    consultation = link.consultation or deciding(link.paper, list(link.paper.consultations.all()))
    text = consultation_text(consultation) if consultation else ""
    return Line(link=link, text=text, paper=link.paper, url=link.paper.url)
