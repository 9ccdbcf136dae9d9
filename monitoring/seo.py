"""Findable reports (issue 16 §3), registered with networks.seo: published reports of published roadmaps."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext

from monitoring.access import is_public_report
from monitoring.models import Report
from networks import seo


def _report_description(context: dict) -> str:
    report = context["report"]
    return gettext("%(title)s: report on %(subject)s for %(start)s to %(end)s.") % {
        "title": report.title,
        "subject": report.subject,
        "start": report.period_start.strftime("%d.%m.%Y"),
        "end": report.period_end.strftime("%d.%m.%Y"),
    }


seo.register_page(
    "monitoring:report",
    when=lambda context: is_public_report(context["report"]),
    description=_report_description,
    og_type="article",
)


class ReportSitemap(seo.SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Report.objects.published()
            .filter(roadmap__published=True)
            .only("pk", "published_at", "finished_at")
            .order_by("pk")
        )

    def lastmod(self, item: Report) -> datetime | None:
        return item.published_at or item.finished_at


seo.register_sitemap("reports", ReportSitemap)
