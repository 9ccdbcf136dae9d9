"""Keep the stored figures (``FigureValue``) in step with the monitoring data they are derived from.

A change of an indicator value, a balance line, the heat planning, the climate strategy or an organisation's
population and area marks the organisation; once the transaction commits, its figures are derived again in one
batch (a spreadsheet import of a thousand values derives them once) and the peer statistics' generation moves on,
so no cached statistic outlives the values it came from. This is derived data, like the search index: no rule
of the domain runs here. Writes that bypass signals (bulk_create, QuerySet.update) call ``refresh`` themselves.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from monitoring.comparison import figures
from monitoring.comparison.models import Audience, ComparisonConsent, FigureConsent, FigureValue
from networks import cache as page_cache
from networks.models import Membership, Organisation

GENERATION_KEY = "comparison:generation"


def generation() -> int:
    """The version of every stored figure: part of each cached statistic's key. It starts from the clock, so a
    counter the cache lost (evicted, restarted) never comes back to a number older entries were stored under."""
    return cache.get_or_set(GENERATION_KEY, time.time_ns() // 1000, None)


def bump() -> None:
    """A new generation of the figures: every cached statistic and comparison page is retired."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (evicted or never read): a new start from the clock retires them all
        generation()
    page_cache.bump("comparison")


def audiences(organisation_ids: Iterable[int]) -> dict[int, tuple[int, dict[str, int]]]:
    """{organisation id: (its audience, {figure: audience})}. Two queries."""
    ids = list(organisation_ids)
    result = {pk: (Audience.NOBODY, {}) for pk in ids}
    for organisation_id, audience in ComparisonConsent.objects.filter(organisation__in=ids).values_list(
        "organisation_id", "audience"
    ):
        result[organisation_id] = (audience, {})
    for organisation_id, figure, audience in FigureConsent.objects.filter(organisation__in=ids).values_list(
        "organisation_id", "figure", "audience"
    ):
        result[organisation_id][1][figure] = audience
    return result


def shared_with(consent: tuple[int, dict[str, int]], figure: str) -> int:
    """A figure is shared with the smaller of the organisation's and the figure's audience (none without a row)."""
    overall, by_figure = consent
    return min(overall, by_figure.get(figure, Audience.NOBODY))


@transaction.atomic
def refresh(organisation_ids: Iterable[int]) -> None:
    """Derive the organisations' figures again: create the new ones, update the changed, delete the gone."""
    ids = set(organisation_ids)
    organisations = list(Organisation.objects.filter(pk__in=ids, kind__in=Organisation.PUBLIC_BODIES))
    wanted = figures.compute(organisations)
    consents = audiences(ids)
    existing = {
        (row.organisation_id, row.figure, row.year): row for row in FigureValue.objects.filter(organisation__in=ids)
    }
    new, changed = [], []
    for organisation_id, values in wanted.items():
        for (figure, year), value in values.items():
            audience = shared_with(consents[organisation_id], figure)
            row = existing.pop((organisation_id, figure, year), None)
            if row is None:
                new.append(
                    FigureValue(
                        organisation_id=organisation_id, figure=figure, year=year, value=value, audience=audience
                    )
                )
            elif row.value != value or row.audience != audience:
                row.value, row.audience = value, audience
                changed.append(row)
    FigureValue.objects.bulk_create(new, batch_size=2000)
    FigureValue.objects.bulk_update(changed, ["value", "audience"], batch_size=2000)
    if existing:
        FigureValue.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    # Now (this transaction reads its own figures) and after the commit (another process may have cached a
    # statistic of the old figures meanwhile under the new generation).
    bump()
    transaction.on_commit(bump)


def schedule(organisation_ids: Iterable[int] = (), *, indicator_ids: Iterable[int] = ()) -> None:
    """Refresh these organisations (and those of these indicators) once the current transaction commits, all
    changes of one transaction in one batch; at once outside a transaction. No query until then."""
    organisations = {pk for pk in organisation_ids if pk is not None}
    indicators = {pk for pk in indicator_ids if pk is not None}
    if not organisations and not indicators:
        return
    connection = transaction.get_connection()
    batch = connection.__dict__.get("_comparison_batch")
    if batch is None or batch["callbacks"] is not connection.run_on_commit or not connection.in_atomic_block:
        batch = {"organisations": set(), "indicators": set(), "callbacks": connection.run_on_commit}
        connection.__dict__["_comparison_batch"] = batch
        batch["organisations"] |= organisations
        batch["indicators"] |= indicators
        transaction.on_commit(lambda: _flush(connection, batch))
        return
    batch["organisations"] |= organisations
    batch["indicators"] |= indicators


def _flush(connection, batch: dict) -> None:
    from monitoring.models import Indicator

    if connection.__dict__.get("_comparison_batch") is batch:
        del connection.__dict__["_comparison_batch"]
    ids = set(batch["organisations"])
    if batch["indicators"]:
        ids |= set(Indicator.objects.filter(pk__in=batch["indicators"]).values_list("organisation_id", flat=True))
    refresh(ids)


def watch_sources() -> None:
    """Connect the sources' saves and deletes (called from ComparisonConfig.ready)."""
    from monitoring.models import ClimateStrategy, EmissionBalance, HeatPlanning, Indicator, IndicatorValue

    def of_organisation(instance) -> None:
        schedule([instance.organisation_id])

    def handler(of):
        def receive(sender, instance, raw=False, **kwargs):
            if not raw:
                of(instance)

        return receive

    watched = [(model, of_organisation) for model in (Indicator, EmissionBalance, HeatPlanning, ClimateStrategy)]
    watched += [
        (IndicatorValue, lambda instance: schedule(indicator_ids=[instance.indicator_id])),
        (Organisation, lambda instance: schedule([instance.pk])),
    ]
    # A network's members are a peer group: who joins or leaves changes its statistics (the figures stay).
    watched.append((Membership, lambda instance: (bump(), transaction.on_commit(bump))))
    for model, of in watched:
        receive = handler(of)
        post_save.connect(receive, sender=model, weak=False, dispatch_uid=f"comparison-{model.__name__}-save")
        post_delete.connect(receive, sender=model, weak=False, dispatch_uid=f"comparison-{model.__name__}-delete")
