"""Editors' monitoring pages: permissions, overview, indicators and the values of a year."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from monitoring.models import Indicator, IndicatorValue
from monitoring.services import indicators as services
from tests.helpers import assert_flat, messages_of
from tests.measures.factories import MeasureFactory, RoadmapFactory
from tests.monitoring.factories import (
    EmissionBalanceFactory,
    EmissionPathFactory,
    HeatPlanningFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ReportFactory,
)
from tests.networks.factories import OrganisationFactory, OrganisationRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = date.today().year
LAST_YEAR = THIS_YEAR - 1

MATRIX = [
    ("anonymous", 302),
    ("citizen", 403),
    ("member", 403),
    ("coordinator", 403),
    ("other_network", 403),
    ("other_editor", 403),
    ("editor", 200),
    ("staff", 200),
]


@pytest.fixture
def org(personas):
    organisation = personas.people["editor"].organisation_roles.first().organisation
    organisation.kind = "county"
    organisation.population = 267_000
    organisation.save()
    personas.people["other_editor"] = OrganisationRoleFactory(person__name="Andere Redaktion").person
    return organisation


@pytest.fixture
def roadmap(org):
    return RoadmapFactory(organisation=org)


@pytest.fixture
def indicator(roadmap):
    return IndicatorFactory(roadmap=roadmap, name="PV-Leistung", unit="MWp")


def url(name, org, *args):
    return reverse(f"monitoring:{name}", args=[org.slug, *args])


def login(client, personas, name):
    personas.login(client, name)


# --- Permissions ------------------------------------------------------------------------------------

PAGES = ["organisation", "indicator-create", "values-entry", "values-import", "balance", "balance-import", "path-edit"]
PAGES += ["heat-planning-edit", "strategy-edit"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_pages_permission_matrix(client, personas, org, page, persona, status):
    login(client, personas, persona)
    response = client.get(url(page, org))
    assert response.status_code == status
    if status == 302:
        assert "/login/" in response["Location"] or "anmelden" in response["Location"]


@pytest.mark.parametrize("page", ["indicator-edit", "indicator-delete"])
@pytest.mark.parametrize(("persona", "status"), MATRIX)
def test_indicator_pages_permission_matrix(client, personas, org, indicator, page, persona, status):
    login(client, personas, persona)
    assert client.get(url(page, org, indicator.pk)).status_code == status


@pytest.mark.parametrize("persona", ["citizen", "member", "coordinator", "other_network", "other_editor"])
def test_posts_of_outsiders_are_refused_and_change_nothing(client, personas, org, indicator, persona):
    login(client, personas, persona)
    assert client.post(url("indicator-delete", org, indicator.pk)).status_code == 403
    values = {f"i{indicator.pk}-value": "5"}
    assert client.post(url("values-entry", org) + f"?jahr={LAST_YEAR}", values).status_code == 403
    assert client.post(url("strategy-edit", org), {"neutrality_year": "2040"}).status_code == 403
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert not IndicatorValue.objects.exists()


def test_unknown_organisation_is_404(client, personas, org):
    login(client, personas, "staff")
    assert client.get(reverse("monitoring:organisation", args=["gibt-es-nicht"])).status_code == 404


def test_indicator_of_another_organisation_is_404_and_unchanged(client, personas, org):
    foreign = IndicatorFactory(name="Fremder Indikator")
    login(client, personas, "editor")
    assert client.get(url("indicator-edit", org, foreign.pk)).status_code == 404
    response = client.post(url("indicator-edit", org, foreign.pk), {"name": "Übernommen", "unit": "x"})
    assert response.status_code == 404
    assert client.post(url("indicator-delete", org, foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Fremder Indikator"
    # the other organisation's own address refuses this editor
    assert client.post(url("indicator-delete", foreign.organisation, foreign.pk)).status_code == 403
    assert Indicator.objects.filter(pk=foreign.pk).exists()


def test_methods_are_limited(client, personas, org, indicator):
    login(client, personas, "editor")
    assert client.post(url("organisation", org)).status_code == 405
    assert client.put(url("values-entry", org)).status_code == 405


# --- Overview ---------------------------------------------------------------------------------------


def test_overview_shows_indicators_balance_and_reports(client, personas, org, roadmap, indicator):
    translation.activate("en")
    IndicatorValueFactory(indicator=indicator, year=2024, value=Decimal("1234.5"))
    IndicatorValueFactory(indicator=indicator, year=2024, kind=IndicatorValue.Kind.TARGET, value=1000)
    indicator.next_due = timezone.localdate() - timedelta(days=3)
    indicator.save()
    own = IndicatorFactory(roadmap=None, organisation=org, scope="organisation", name="Ladepunkte", unit="Stück")
    EmissionBalanceFactory(organisation=org, year=2022, emissions=900)
    EmissionPathFactory(organisation=org, baseline_year=2020, baseline_emissions=1000, target_year=2030)
    ReportFactory(roadmap=roadmap, title="Bericht der Roadmap")
    ReportFactory(roadmap=None, scope="organisation", organisation=org, title="Bericht der Organisation")
    ReportFactory(title="Fremder Bericht")
    login(client, personas, "editor")
    response = client.get(url("organisation", org) + "?lang=en", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "PV-Leistung" in page and own.name in page
    assert roadmap.title in page  # the roadmap group
    assert "on track" in page  # 1234.5 ≥ 1000, higher is better
    assert "overdue" in page
    assert "Bericht der Roadmap" in page and "Bericht der Organisation" in page
    assert "Fremder Bericht" not in page
    assert 'id="chart-indicator-' in page
    assert "900" in page  # latest balance total
    assert "?organisation=" + org.slug in page


def test_overview_query_count_is_flat(client, personas, org, roadmap, django_assert_num_queries):
    login(client, personas, "editor")
    EmissionPathFactory(organisation=org)
    HeatPlanningFactory(organisation=org)

    def grow(n):
        for _ in range(n):
            item = IndicatorFactory(roadmap=roadmap)
            item.measures.add(MeasureFactory(roadmap=roadmap))
            IndicatorValueFactory(indicator=item, year=2023)
            IndicatorValueFactory(indicator=item, year=2030, kind="target")
            ReportFactory(roadmap=roadmap)

    # session and account from the cache (no query); organisation, editor role, indicators, their measures, values,
    # balance sums, path, path
    # points, heat planning, its steps, climate strategy, reports
    assert_flat(client, url("organisation", org), grow, django_assert_num_queries, 12)


# --- Indicator create / edit / delete ---------------------------------------------------------------


def indicator_data(the_roadmap, **extra):
    data = {
        "name": "Installierte PV-Leistung",
        "unit": "MWp",
        "scope": "roadmap",
        "roadmap": the_roadmap.pk,
        "code": "pv-leistung",
        "direction": "higher",
        "kind": "impact",
        "baseline_year": "2019",
        "baseline_value": "12,5",
        "source": "Marktstammdatenregister",
        "source_licence": "dl-de/by-2-0",
        "update_interval": "12",
        "next_due": "2026-03-31",
        "public": "on",
        "order": "1",
        "targets": "2030: 45,5\n2035; 1.100,25\n",
    }
    data.update(extra)
    return data


def test_indicator_create_with_targets(client, personas, org, roadmap):
    measure = MeasureFactory(roadmap=roadmap)
    person = PersonFactory(organisation=org)
    login(client, personas, "editor")
    response = client.post(
        url("indicator-create", org), indicator_data(roadmap, measures=[measure.pk], responsible=person.pk)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    indicator = Indicator.objects.get(organisation=org)
    assert indicator.baseline_value == Decimal("12.5")
    assert list(indicator.measures.all()) == [measure]
    assert indicator.responsible == person
    assert services.targets_of(indicator) == {2030: Decimal("45.5"), 2035: Decimal("1100.25")}


def test_indicator_edit_replaces_targets(client, personas, org, roadmap, indicator):
    IndicatorValueFactory(indicator=indicator, year=2028, kind="target", value=10)
    IndicatorValueFactory(indicator=indicator, year=2024, value=5)  # measured: untouched
    login(client, personas, "editor")
    page = client.get(url("indicator-edit", org, indicator.pk)).content.decode()
    assert "2028: 10" in page
    response = client.post(url("indicator-edit", org, indicator.pk), indicator_data(roadmap, targets="2030: 20"))
    assert response.status_code == 302
    assert services.targets_of(indicator) == {2030: Decimal("20")}
    assert indicator.values.measured().count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"baseline_value": "zwölf"}, "baseline_value"),
        ({"targets": "2030 45\nzwanzigdreißig: 4"}, "targets"),
        ({"targets": "2030: 45\n2030: 46"}, "targets"),
        ({"targets": "1800: 45"}, "targets"),
        ({"roadmap": ""}, "roadmap"),
        ({"scope": "measure"}, "measures"),
        ({"next_due": "31.02.2026"}, "next_due"),
        ({"baseline_year": "1900"}, "baseline_year"),
    ],
)
def test_indicator_bad_input_is_a_form_error(client, personas, org, roadmap, changes, field):
    login(client, personas, "editor")
    response = client.post(url("indicator-create", org), indicator_data(roadmap, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Indicator.objects.exists()
    assert not IndicatorValue.objects.exists()


def test_indicator_duplicate_name_and_foreign_choices_are_refused(client, personas, org, roadmap, indicator):
    foreign_roadmap = RoadmapFactory()
    foreign_measure = MeasureFactory(roadmap=foreign_roadmap)
    stranger = PersonFactory(organisation=OrganisationFactory())
    login(client, personas, "editor")
    response = client.post(url("indicator-create", org), indicator_data(roadmap, name="pv-leistung"))
    assert "name" in response.context["form"].errors
    response = client.post(
        url("indicator-create", org),
        indicator_data(roadmap, roadmap=foreign_roadmap.pk, measures=[foreign_measure.pk], responsible=stranger.pk),
    )
    assert response.status_code == 400
    assert {"roadmap", "measures", "responsible"} <= set(response.context["form"].errors)
    assert Indicator.objects.count() == 1


def test_indicator_delete_asks_then_deletes(client, personas, org, indicator):
    IndicatorValueFactory(indicator=indicator)
    login(client, personas, "editor")
    assert client.get(url("indicator-delete", org, indicator.pk)).status_code == 200
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    response = client.post(url("indicator-delete", org, indicator.pk))
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert not IndicatorValue.objects.exists()


# --- Values of a year -------------------------------------------------------------------------------


def row(indicator, value="", kind="measured", source="", note="", checked=False):
    prefix = f"i{indicator.pk}-"
    data = {prefix + "value": value, prefix + "kind": kind, prefix + "source": source, prefix + "note": note}
    if checked:
        data[prefix + "checked"] = "on"
    return data


def test_values_entry_defaults_to_last_year_and_prefills(client, personas, org, indicator):
    IndicatorValueFactory(indicator=indicator, year=LAST_YEAR, value=Decimal("1234.5"), source="MaStR")
    IndicatorValueFactory(indicator=indicator, year=LAST_YEAR - 1, value=Decimal("1000"))
    login(client, personas, "editor")
    response = client.get(url("values-entry", org))
    assert response.status_code == 200
    assert response.context["year"] == LAST_YEAR
    page = response.content.decode()
    assert 'value="1.234,5"' in page
    assert "1.000" in page  # the previous year beside it
    assert f"?jahr={LAST_YEAR - 1}" in page and f"?jahr={THIS_YEAR}" in page


def test_values_entry_creates_changes_and_deletes_in_one_go(client, personas, org, roadmap, indicator):
    second = IndicatorFactory(roadmap=roadmap, name="Ladepunkte")
    third = IndicatorFactory(roadmap=roadmap, name="Strom kommunal")
    IndicatorValueFactory(indicator=second, year=2023, value=7)
    IndicatorValueFactory(indicator=third, year=2023, value=9)
    login(client, personas, "editor")
    data = {
        **row(indicator, "1.234,5", source="MaStR", checked=True),
        **row(second, "8", kind="estimate", note="vorläufig"),
        **row(third, ""),
    }
    response = client.post(url("values-entry", org) + "?jahr=2023", data)
    assert response.status_code == 302
    assert response["Location"].endswith("?jahr=2023")
    first = IndicatorValue.objects.get(indicator=indicator, year=2023)
    assert (first.value, first.kind, first.source, first.checked) == (Decimal("1234.5"), "measured", "MaStR", True)
    assert first.entered_by == personas.people["editor"]
    changed = IndicatorValue.objects.get(indicator=second, year=2023)
    assert (changed.value, changed.kind, changed.note) == (Decimal("8"), "estimate", "vorläufig")
    assert not IndicatorValue.objects.filter(indicator=third).exists()
    assert any("2023" in message for message in messages_of(response))


@pytest.mark.parametrize("bad", ["zwölf", "1,2,3,4x", "1e400", "12345678901234567890"])
def test_values_entry_writes_nothing_when_a_row_is_invalid(client, personas, org, roadmap, indicator, bad):
    second = IndicatorFactory(roadmap=roadmap, name="Ladepunkte")
    IndicatorValueFactory(indicator=second, year=2023, value=7)
    login(client, personas, "editor")
    data = {**row(indicator, "5"), **row(second, bad)}
    response = client.post(url("values-entry", org) + "?jahr=2023", data)
    assert response.status_code == 400
    rows = {r.indicator: r for r in response.context["form"].rows}
    assert rows[second].errors and not rows[indicator].errors
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()
    assert IndicatorValue.objects.get(indicator=second).value == 7


@pytest.mark.parametrize("year", ["1800", str(THIS_YEAR + 1), "abc"])
def test_values_entry_year_out_of_range_is_a_clear_error(client, personas, org, indicator, year):
    login(client, personas, "editor")
    response = client.get(url("values-entry", org) + f"?jahr={year}")
    assert response.status_code == 400
    assert response.context["year_form"].errors
    response = client.post(url("values-entry", org) + f"?jahr={year}", row(indicator, "5"))
    assert response.status_code == 400
    assert not IndicatorValue.objects.exists()


def test_values_entry_bad_kind_is_a_form_error(client, personas, org, indicator):
    login(client, personas, "editor")
    response = client.post(url("values-entry", org) + "?jahr=2023", row(indicator, "5", kind="target"))
    assert response.status_code == 400
    assert not IndicatorValue.objects.exists()


def test_next_due_follows_the_latest_measured_period(client, personas, org, roadmap):
    """Saving a value moves the date on, saving the same period again does not, deleting the latest moves it back;
    estimates do not count and an indicator without measured values keeps the date its editor set."""
    set_by_editor = date(2030, 1, 31)
    yearly = IndicatorFactory(roadmap=roadmap, next_due=set_by_editor, update_interval=12)
    estimated = IndicatorFactory(roadmap=roadmap, next_due=set_by_editor, update_interval=12)
    IndicatorValueFactory(indicator=yearly, year=LAST_YEAR - 2, value=1)
    login(client, personas, "editor")

    def save(year, value, kind="measured"):
        data = {**row(yearly, value, kind=kind), **row(estimated, value, kind="estimate")}
        assert client.post(url("values-entry", org) + f"?jahr={year}", data).status_code == 302
        yearly.refresh_from_db()
        estimated.refresh_from_db()
        return yearly.next_due

    assert save(LAST_YEAR, "5") == date(THIS_YEAR + 1, 3, 31)  # values of this year due by 31 March next year
    assert save(LAST_YEAR, "6") == date(THIS_YEAR + 1, 3, 31)  # the same period again: no further
    assert save(LAST_YEAR - 1, "4") == date(THIS_YEAR + 1, 3, 31)  # an earlier year corrected: no further
    assert save(LAST_YEAR, "") == date(THIS_YEAR, 3, 31)  # the latest deleted: back to the year before's
    assert save(LAST_YEAR, "7", kind="estimate") == date(THIS_YEAR, 3, 31)  # an estimate covers nothing
    assert estimated.next_due == set_by_editor


@pytest.mark.parametrize(
    ("interval", "day", "due"),
    [
        (12, None, date(2027, 3, 31)),
        (12, date(2025, 5, 3), date(2027, 3, 31)),
        (6, date(2025, 5, 3), date(2026, 3, 31)),
        (3, date(2025, 8, 31), date(2026, 3, 31)),
        (1, date(2025, 1, 10), date(2025, 5, 31)),
        (24, None, date(2028, 3, 31)),
    ],
)
def test_next_due_of_dated_and_yearly_values(roadmap, interval, day, due):
    indicator = IndicatorFactory(roadmap=roadmap, update_interval=interval)
    IndicatorValueFactory(indicator=indicator, year=2025, date=day)
    services.next_due_refresh([indicator])
    assert Indicator.objects.get(pk=indicator.pk).next_due == indicator.next_due == due


def test_next_due_is_set_by_the_values_once_there_are_some(client, personas, org, roadmap, indicator):
    login(client, personas, "editor")
    form = client.get(url("indicator-edit", org, indicator.pk)).context["form"]
    assert not form.fields["next_due"].disabled
    IndicatorValueFactory(indicator=indicator, year=2025)
    services.next_due_refresh([indicator])
    response = client.post(url("indicator-edit", org, indicator.pk), indicator_data(roadmap, next_due="2040-01-01"))
    assert response.status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).next_due == date(2027, 3, 31)
    assert client.get(url("indicator-edit", org, indicator.pk)).context["form"].fields["next_due"].disabled


def test_changing_the_interval_moves_the_due_date(roadmap):
    indicator = IndicatorFactory(roadmap=roadmap, update_interval=12)
    IndicatorValueFactory(indicator=indicator, year=2025)
    indicator.update_interval = 24
    services.indicator_save(indicator=indicator, measures=[], targets={}, by=None)
    assert Indicator.objects.get(pk=indicator.pk).next_due == date(2028, 3, 31)


def test_values_entry_query_count_is_flat(client, personas, org, roadmap, django_assert_num_queries):
    login(client, personas, "editor")

    def grow(n):
        for _ in range(n):
            item = IndicatorFactory(roadmap=roadmap)
            IndicatorValueFactory(indicator=item, year=LAST_YEAR)
            IndicatorValueFactory(indicator=item, year=LAST_YEAR - 1)

    # session and account from the cache (no query); organisation, editor role, indicators, values of the two years
    assert_flat(client, url("values-entry", org), grow, django_assert_num_queries, 4)


def test_values_entry_post_query_count_is_flat(client, personas, org, roadmap):
    """Saving a year with nothing to write reads the same number of times whatever the number of indicators."""
    login(client, personas, "editor")
    counts = []
    for size in (2, 8):
        for _ in range(size):
            IndicatorFactory(roadmap=roadmap)
        data = {}
        for item in Indicator.objects.filter(organisation=org):
            data.update(row(item, ""))
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url("values-entry", org) + "?jahr=2020", data).status_code == 302
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_values_changed_in_the_admin_move_the_due_date_by_the_same_rule(client, personas, roadmap):
    """The operator's admin follows the one due-date rule too: a value deleted there moves the date back, one added
    inline on the indicator moves it on (the admin used to leave the date where the portal had put it)."""
    indicator = IndicatorFactory(roadmap=roadmap, update_interval=12)
    IndicatorValueFactory(indicator=indicator, year=2024)
    latest = IndicatorValueFactory(indicator=indicator, year=2025)
    services.next_due_refresh([indicator])
    assert Indicator.objects.get(pk=indicator.pk).next_due == date(2027, 3, 31)
    personas.login(client, "staff")

    response = client.post(reverse("admin:monitoring_indicatorvalue_delete", args=[latest.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).next_due == date(2026, 3, 31)

    earlier = IndicatorValue.objects.get(indicator=indicator, year=2024)
    response = client.post(
        reverse("admin:monitoring_indicatorvalue_changelist"),
        {"action": "delete_selected", "_selected_action": [earlier.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()

    IndicatorValueFactory(indicator=indicator, year=2025)
    value = IndicatorValueFactory(indicator=indicator, year=2023)
    response = client.post(
        reverse("admin:monitoring_indicatorvalue_change", args=[value.pk]),
        {
            "indicator": indicator.pk,
            "year": 2026,
            "kind": value.kind,
            "value": "5",
            "source": "",
            "note": "",
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # the form's errors, so the test names them instead of passing silently
        raise AssertionError(response.context["adminform"].form.errors)
    assert Indicator.objects.get(pk=indicator.pk).next_due == date(2028, 3, 31)
