"""Findable and shareable roadmaps and measures (issue 16 §3), registered with networks.seo.

- Public page shapes: their description (the page's own text), preview image and feed, indexed only for
  published roadmaps and measures.
- Sitemap sections: published roadmaps and their published measures (one query each).
- Preview images (1200x630 PNG, networks.preview) per published roadmap and measure at a stable address, cached
  under a key of what they show (title, place, status, progress): a new title or status draws a new card, an
  unchanged one answers 304 to the ETag. Unpublished: 404 for everyone (a card is public by nature).
- The Atom feed of a roadmap's updates: public progress reports, milestones reached and status changes of its
  published measures (status changes from the measures' history).
- The 404 page (config.urls.handler404): the search box and the public roadmaps (cached, never a query that can
  fail it); a measure whose slug changed is found in the measures' history and answered with a 301.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import F, Q, Window
from django.db.models.functions import Lag
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from measures import selectors
from measures.models import Measure, MeasureUpdate, Milestone, Roadmap
from networks import preview, seo

PREVIEW_SECONDS = 24 * 3600  # bytes of a card in the cache; the key changes when what it shows changes
NOT_FOUND_ROADMAPS_SECONDS = 10 * 60
FEED_ITEMS = 30


# --- Public page shapes ---------------------------------------------------------------------------------


def _roadmap_public(context: dict) -> bool:
    return context["roadmap"].published


def _measure_public(context: dict) -> bool:
    return context["roadmap"].published and context["is_published"]


def _roadmap_description(context: dict) -> str:
    roadmap = context["roadmap"]
    return roadmap.description or gettext("Climate roadmap of %(organisation)s: measures, progress and target.") % {
        "organisation": roadmap.organisation.name
    }


def _measure_description(context: dict) -> str:
    measure = context["measure"]
    english = getattr(measure, "summary_en", "") if get_language() == "en" else ""  # where editors wrote one
    return english or measure.summary or measure.description or measure.title


def _roadmap_feeds(context: dict) -> list[tuple[str, str]]:
    roadmap = context["roadmap"]
    return [(gettext("Updates: %(title)s") % {"title": roadmap.title}, roadmap_feed_path(roadmap))]


def roadmap_feed_path(roadmap: Roadmap) -> str:
    return reverse("seo:roadmap-feed", args=[roadmap.slug])


def roadmap_image_path(roadmap: Roadmap) -> str:
    return reverse("seo:roadmap-image", args=[roadmap.slug])


def measure_image_path(roadmap: Roadmap, measure) -> str:
    return reverse("seo:measure-image", args=[roadmap.slug, measure.slug])


seo.register_page(
    "measures:roadmap-list",
    description=lambda context: _("Climate roadmaps of municipalities: what is planned, how far it is, how to help."),
)
seo.register_page(
    "measures:roadmap",
    when=_roadmap_public,
    description=_roadmap_description,
    image=lambda context: roadmap_image_path(context["roadmap"]),
    feeds=_roadmap_feeds,
)
seo.register_page(
    "measures:measure-list",
    when=_roadmap_public,
    identity=("page",),  # the filters are views of the one list (canonical: the list), the pages are not
    description=lambda context: (
        gettext("All measures of the climate roadmap %(title)s, with their status.")
        % {"title": context["roadmap"].title}
    ),
    image=lambda context: roadmap_image_path(context["roadmap"]),
    feeds=_roadmap_feeds,
)
seo.register_page(
    "measures:measure",
    when=_measure_public,
    description=_measure_description,
    image=lambda context: measure_image_path(context["roadmap"], context["measure"]),
    feeds=_roadmap_feeds,
    og_type="article",
)
seo.register_page(
    "measures:proposal-list",
    when=_roadmap_public,
    identity=("page",),
    description=lambda context: (
        gettext("Proposals of citizens for the climate roadmap %(title)s and their answers.")
        % {"title": context["roadmap"].title}
    ),
    image=lambda context: roadmap_image_path(context["roadmap"]),
)
seo.register_page(
    "measures:proposal",
    when=lambda context: context["roadmap"].published and context["proposal"].is_published,
    description=lambda context: context["proposal"].text,
    image=lambda context: roadmap_image_path(context["roadmap"]),
    og_type="article",
)
seo.register_page(
    "measures:participate",
    identity=("page",),
    description=lambda context: _("Take part in climate protection: what citizens can do themselves, per measure."),
)
seo.register_page(
    "measures:roadmap-participate",
    when=_roadmap_public,
    identity=("page",),
    description=lambda context: (
        gettext("Take part in the climate roadmap %(title)s: what citizens can do.")
        % {"title": context["roadmap"].title}
    ),
    image=lambda context: roadmap_image_path(context["roadmap"]),
)
seo.STATIC_PAGES.extend(["measures:roadmap-list", "measures:participate"])


# --- Sitemap ---------------------------------------------------------------------------------------------


class RoadmapSitemap(seo.SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Roadmap.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Roadmap) -> datetime:
        return item.updated_at


class MeasureSitemap(seo.SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Measure.objects.public()
            .select_related("roadmap")
            .only("slug", "updated_at", "roadmap__slug")
            .order_by("roadmap_id", "pk")
        )

    def location(self, item: Measure) -> str:
        return reverse("measures:measure", args=[item.roadmap.slug, item.slug])

    def lastmod(self, item: Measure) -> datetime:
        return item.updated_at


seo.register_sitemap("roadmaps", RoadmapSitemap)
seo.register_sitemap("measures", MeasureSitemap)


# --- Preview images --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    title: str
    context: str
    status: str
    progress: int | None
    modified: datetime

    @property
    def etag(self) -> str:
        key = "\x1f".join(
            [preview.VERSION, get_language() or "", self.title, self.context, self.status, str(self.progress)]
        )
        return hashlib.sha256(key.encode()).hexdigest()[:32]


def _card_response(request: HttpRequest, card: Card) -> HttpResponse:
    etag = quote_etag(card.etag)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        cache_key = f"seo:card:{card.etag}"
        body = cache.get(cache_key)
        if body is None:
            body = preview.render_card(
                title=card.title, context=card.context, status=card.status, progress=card.progress
            )
            cache.set(cache_key, body, PREVIEW_SECONDS)
        response = HttpResponse(body, content_type="image/png")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(card.modified.timestamp())
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _public_roadmap(slug: str) -> Roadmap:
    return get_object_or_404(Roadmap.objects.published().select_related("organisation"), slug=slug)


@require_safe
def roadmap_image(request: HttpRequest, slug: str) -> HttpResponse:
    """A published roadmap's card: its title, organisation and target year, how many measures are completed."""
    roadmap = _public_roadmap(slug)
    counts = selectors.progress_of(_with_counts(roadmap))  # one query: the published measures by status
    status = ngettext(
        "%(done)s of %(total)s measure completed", "%(done)s of %(total)s measures completed", counts.counted
    ) % {"done": counts.completed, "total": counts.counted}
    progress = round(100 * counts.completed / counts.counted) if counts.counted else None
    context = gettext("%(organisation)s · target %(year)s") % {
        "organisation": roadmap.organisation.name,
        "year": roadmap.target_year,
    }
    card = Card(roadmap.title, context, status, progress, roadmap.updated_at)
    return _card_response(request, card)


def _with_counts(roadmap: Roadmap) -> Roadmap:
    return selectors._with_status_counts(Roadmap.objects.filter(pk=roadmap.pk)).get()


@require_safe
def measure_image(request: HttpRequest, slug: str, measure: str) -> HttpResponse:
    """A published measure's card: its title, roadmap and lead organisation, status and latest progress."""
    instance = get_object_or_404(
        Measure.objects.public().select_related("roadmap__organisation", "lead_organisation"),
        roadmap__slug=slug,
        slug=measure,
    )
    latest = (
        instance.updates.filter(public=True, percent__isnull=False).order_by("-date", "-pk").values("percent").first()
    )
    place = [instance.roadmap.title]
    lead = instance.lead_organisation
    if lead is not None and lead.name != instance.roadmap.organisation.name:
        place.append(lead.name)
    card = Card(
        title=f"{instance.code} {instance.title}".strip(),
        context=" · ".join(place),
        status=str(instance.get_status_display()),
        progress=latest["percent"] if latest else None,
        modified=instance.updated_at,
    )
    return _card_response(request, card)


# --- Atom feed of a roadmap's updates --------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    kind: str  # "update", "milestone", "status"
    key: int
    when: datetime
    measure: Measure
    title: str
    text: str


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def roadmap_feed_items(roadmap: Roadmap, limit: int = FEED_ITEMS) -> list[FeedItem]:
    """The newest public happenings of the roadmap's published measures, newest first (3 queries)."""
    public = Measure.objects.public().filter(roadmap=roadmap)
    items: list[FeedItem] = []
    updates = (
        MeasureUpdate.objects.filter(public=True, measure__in=public)
        .select_related("measure__roadmap")
        .order_by("-date", "-pk")[:limit]
    )
    for update in updates:
        title = gettext("Progress report: %(measure)s") % {"measure": update.measure.title}
        if update.percent is not None:
            title += f" ({update.percent} %)"
        items.append(FeedItem("update", update.pk, _aware(update.date), update.measure, title, update.text))
    milestones = (
        Milestone.objects.filter(measure__in=public, done_date__isnull=False)
        .select_related("measure__roadmap")
        .order_by("-done_date", "-pk")[:limit]
    )
    for milestone in milestones:
        title = gettext("Milestone reached: %(milestone)s") % {"milestone": milestone.title}
        text = gettext("Measure: %(measure)s") % {"measure": milestone.measure.title}
        items.append(FeedItem("milestone", milestone.pk, _aware(milestone.done_date), milestone.measure, title, text))
    items.extend(_status_changes(roadmap, public, limit))
    items.sort(key=lambda item: (item.when, item.key), reverse=True)
    return items[:limit]


def _status_changes(roadmap: Roadmap, public, limit: int) -> list[FeedItem]:
    """Status changes from the measures' history (a row whose status differs from the row before it)."""
    history = Measure.history.model
    rows = (
        history.objects.filter(roadmap_id=roadmap.pk, id__in=public.values("pk"))
        .annotate(before=Window(Lag("status"), partition_by=[F("id")], order_by=[F("history_date").asc()]))
        .filter(Q(before__isnull=False) & ~Q(before=F("status")))
        .order_by("-history_date")
        .values("history_id", "id", "status", "before", "history_date")[:limit]
    )
    rows = list(rows)
    measures = {m.pk: m for m in public.filter(pk__in={row["id"] for row in rows}).select_related("roadmap")}
    labels = dict(Measure.Status.choices)
    items = []
    for row in rows:
        measure = measures.get(row["id"])
        if measure is None:
            continue
        title = gettext("Status changed: %(measure)s") % {"measure": measure.title}
        text = gettext("From “%(before)s” to “%(after)s”.") % {
            "before": labels.get(row["before"], row["before"]),
            "after": labels.get(row["status"], row["status"]),
        }
        items.append(FeedItem("status", row["history_id"], row["history_date"], measure, title, text))
    return items


class RoadmapFeed(Feed):
    """Atom 1.0 feed of a published roadmap's updates (absolute links on SITE_URL)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Roadmap:
        return _public_roadmap(slug)

    def title(self, roadmap: Roadmap) -> str:
        return gettext("Updates: %(title)s") % {"title": roadmap.title}

    def subtitle(self, roadmap: Roadmap) -> str:
        return gettext("Progress reports, milestones and status changes of the measures of %(title)s.") % {
            "title": roadmap.title
        }

    def link(self, roadmap: Roadmap) -> str:
        return seo.absolute(roadmap.get_absolute_url())

    def feed_url(self, roadmap: Roadmap) -> str:
        return seo.absolute(roadmap_feed_path(roadmap))

    def author_name(self, roadmap: Roadmap) -> str:
        return roadmap.organisation.name

    def items(self, roadmap: Roadmap) -> list[FeedItem]:
        return roadmap_feed_items(roadmap)

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_description(self, item: FeedItem) -> str:
        return seo.describe(item.text, limit=1000)

    def item_link(self, item: FeedItem) -> str:
        return seo.absolute(reverse("measures:measure", args=[item.measure.roadmap.slug, item.measure.slug]))

    def item_guid(self, item: FeedItem) -> str:
        return seo.absolute(f"/klima-roadmaps/{item.measure.roadmap.slug}/#{item.kind}-{item.key}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedItem) -> datetime:
        return item.when

    def item_updateddate(self, item: FeedItem) -> datetime:
        return item.when


roadmap_feed = require_safe(RoadmapFeed())


# --- The 404 page and moved measures ---------------------------------------------------------------------


def moved_measure(request: HttpRequest) -> str | None:
    """The new address of a measure page whose slug changed (the measures' history keeps the old slugs), for
    the measure page and its sub-pages; None when there is none or it is not public."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name.startswith(("measures:", "seo:")) or "measure" not in match.kwargs:
        return None
    slug, old = match.kwargs.get("slug"), match.kwargs["measure"]
    roadmap = Roadmap.objects.published().filter(slug=slug).only("pk").first()
    if roadmap is None:
        return None
    history = Measure.history.model.objects.filter(roadmap_id=roadmap.pk, slug=old).order_by("-history_date")
    measure_id = history.values_list("id", flat=True).first()
    if measure_id is None:
        return None
    current = Measure.objects.public().filter(pk=measure_id, roadmap_id=roadmap.pk).values_list("slug", flat=True)
    new = current.first()
    if not new or new == old:
        return None
    try:
        path = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "measure": new})
    except NoReverseMatch:
        return None
    query = request.META.get("QUERY_STRING", "")
    return path + ("?" + query if query else "")


def not_found_roadmaps() -> list[dict]:
    """The public roadmaps for the 404 page: from the cache; on a database error none (the page still works)."""
    key = f"seo:404-roadmaps:{get_language()}"
    roadmaps = cache.get(key)
    if roadmaps is None:
        try:
            roadmaps = [
                {"title": r.title, "url": r.get_absolute_url(), "organisation": r.organisation.name}
                for r in Roadmap.objects.published().select_related("organisation").order_by("title")[:12]
            ]
        except DatabaseError:
            return []
        cache.set(key, roadmaps, NOT_FOUND_ROADMAPS_SECONDS)
    return roadmaps


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """config.urls.handler404: the 404 page with search and roadmaps (a moved measure has been answered with a 301
    before, by measures.middleware.MovedMeasureMiddleware, with DEBUG on as well)."""
    context = {"roadmaps": not_found_roadmaps(), "request_path": request.path}
    return render(request, "404.html", context, status=404)
