"""The digest's part of the GDPR export and of account deletion, and its panel in the network space."""

from __future__ import annotations

from networks.digest.models import DeliveryPreference, DigestRun, DigestSettings


def export(person) -> dict:
    settings = DigestSettings.objects.filter(person=person).values("hour", "weekday").first()
    return {
        "delivery_preferences": [
            {"network": slug, "discussions": posts, "announcements_by_email": by_email}
            for slug, posts, by_email in DeliveryPreference.objects.filter(person=person)
            .order_by("network__slug")
            .values_list("network__slug", "posts", "announcements_by_email")
        ],
        "digest_settings": settings or {},
        "digests": [
            {"period": period, "key": key, "items": items}
            for period, key, items in DigestRun.objects.filter(person=person)
            .order_by("period_key")
            .values_list("period", "period_key", "items")
        ],
    }


def before_delete(person) -> None:
    DeliveryPreference.objects.filter(person=person).delete()
    DigestSettings.objects.filter(person=person).delete()
    DigestRun.objects.filter(person=person).delete()


def space_panel(request, network) -> dict:
    """The link to the person's choices for this network (the page is cached per network and role: no personal
    data here, only the link)."""
    return {"network": network}
