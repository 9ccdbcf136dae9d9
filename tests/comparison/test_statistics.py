"""Peer statistics: quartiles, at least five organisations, and never a figure someone may not see."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from monitoring.comparison import statistics
from monitoring.comparison.models import Audience, FigureValue
from monitoring.comparison.selectors import comparison_page, position_words, quarter_of
from monitoring.comparison.statistics import MIN_GROUP, Statistic, Viewer
from tests.comparison.factories import consent, derive, municipality
from tests.networks.factories import MembershipFactory, NetworkFactory, NetworkRoleFactory

pytestmark = pytest.mark.django_db


def total_row(page):
    return next(row for row in page.rows if row.figure.key == "ghg-total")


def test_quartiles_and_the_position_in_words():
    subject = municipality(70_000)  # 1.0 t per inhabitant
    peers = [municipality(70_000 * factor) for factor in (2, 3, 4, 5, 6)]
    derive(subject, *peers)
    row = total_row(comparison_page(subject, AnonymousUser()))
    assert row.statistic.n == 6
    assert row.statistic.median == pytest.approx(3.5)
    assert row.statistic.q1 == pytest.approx(2.25)
    assert row.statistic.q3 == pytest.approx(4.75)
    assert row.quarter == 1
    assert row.position == position_words(1)
    assert row.share_behind == 100 or row.share_behind >= 80


def test_direction_decides_which_end_is_best():
    stat = Statistic(n=8, q1=1.0, median=2.0, q3=3.0)
    assert quarter_of(0.5, stat, lower_is_better=True) == 1
    assert quarter_of(0.5, stat, lower_is_better=False) == 4
    assert quarter_of(3.5, stat, lower_is_better=False) == 1
    assert quarter_of(2.5, stat, lower_is_better=False) == 2
    assert quarter_of(1.5, stat, lower_is_better=False) == 3


def test_fewer_than_five_show_no_statistics():
    subject = municipality(70_000)
    peers = [municipality(140_000 + i) for i in range(MIN_GROUP - 2)]  # with the subject: four
    derive(subject, *peers)
    row = total_row(comparison_page(subject, AnonymousUser()))
    assert row.statistic.n == MIN_GROUP - 1
    assert not row.has_statistic
    assert row.statistic.median is None and row.quarter is None
    assert row.better == []


def test_a_non_consenting_organisation_never_counts():
    """Five towns, one of them has not opted in: four are left, no statistic, and its value is in none."""
    subject = municipality(70_000)
    secret = municipality(9_999_999, audience=None)
    peers = [municipality(140_000 + i) for i in range(3)]
    derive(subject, secret, *peers)
    assert FigureValue.objects.get(organisation=secret, figure="ghg-total").audience == Audience.NOBODY
    for viewer in (Viewer(), Viewer(staff=True)):
        rows = FigureValue.objects.filter(viewer.visible(), figure="ghg-total")
        assert secret.pk not in set(rows.values_list("organisation_id", flat=True))
    row = total_row(comparison_page(subject, AnonymousUser()))
    assert row.statistic.n == 4 and not row.has_statistic


def test_members_only_figures_count_only_for_members_of_a_shared_network():
    network = NetworkFactory()
    subject = municipality(70_000)
    members_only = [municipality(140_000 + i, audience=Audience.MEMBERS) for i in range(5)]
    for organisation in members_only:
        MembershipFactory(network=network, organisation=organisation)
    derive(subject, *members_only)
    anonymous = total_row(comparison_page(subject, AnonymousUser()))
    assert anonymous.statistic.n == 1  # only the subject is public
    member = NetworkRoleFactory(network=network).person.user
    seen = total_row(comparison_page(subject, member))
    assert seen.statistic.n == 6 and seen.has_statistic
    stranger = NetworkRoleFactory().person.user  # a member of another network
    assert total_row(comparison_page(subject, stranger)).statistic.n == 1


def test_figure_consent_limits_the_organisation_consent():
    subject = municipality(70_000, audience=None)
    consent(subject, Audience.PUBLIC, figures=("ghg-total",), figure_audience=Audience.MEMBERS)
    derive(subject)
    assert FigureValue.objects.get(organisation=subject, figure="ghg-total").audience == Audience.MEMBERS
    consent(subject, Audience.MEMBERS, figures=("ghg-total",), figure_audience=Audience.PUBLIC)
    derive(subject)
    assert FigureValue.objects.get(organisation=subject, figure="ghg-total").audience == Audience.MEMBERS
    assert not FigureValue.objects.filter(organisation=subject, figure="ghg-households").exclude(audience=0).exists()


def test_statistics_are_cached_and_retired_when_a_value_changes(django_assert_num_queries):
    subject = municipality(70_000)
    peers = [municipality(140_000 + i) for i in range(5)]
    derive(subject, *peers)
    page = comparison_page(subject, AnonymousUser())
    group = page.group
    gen = statistics.generation()
    wanted = {"ghg-total": (2022, True)}
    first = statistics.statistics_for(wanted, group, Viewer(), gen)
    with django_assert_num_queries(0):
        again = statistics.statistics_for(wanted, group, Viewer(), gen)
    assert again["ghg-total"].median == first["ghg-total"].median
    peers[0].emission_balances.update(emissions=7_000_000)
    derive(peers[0])
    assert statistics.generation() > gen
    fresh = statistics.statistics_for(wanted, group, Viewer(), statistics.generation())
    assert fresh["ghg-total"].q3 != first["ghg-total"].q3 or fresh["ghg-total"].median != first["ghg-total"].median
