"""History of indicator values, balance lines and the planning status (heat planning with the dates of its stages,
climate concept and target): written by the editors' pages and the balance import with the editor, shown read-only
in the admin (tests/admin_history.py), the heat planning together with its stages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.models import ClimateStrategy, EmissionBalance, HeatPlanning, IndicatorValue, Stage
from monitoring.services import planning as planning_services
from tests.admin_history import (
    DENIED,
    assert_denied,
    assert_flat_queries,
    assert_history_shows,
    assert_read_only,
    changes,
    history_url,
    staff_client,
)
from tests.monitoring.factories import (
    ClimateStrategyFactory,
    EmissionBalanceFactory,
    HeatPlanningFactory,
    IndicatorFactory,
    IndicatorValueFactory,
)
from tests.monitoring.test_entry_imports import BALANCE, confirm
from tests.monitoring.test_entry_planning import planning_data, sectors
from tests.monitoring.test_entry_views import org, roadmap, row  # noqa: F401 (fixtures)
from tests.networks.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def url(name, org):  # noqa: F811
    return reverse(f"monitoring:{name}", args=[org.slug])


def latest(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_an_indicator_value_keeps_who_changed_it(client, personas, org, roadmap):  # noqa: F811
    indicator = IndicatorFactory(roadmap=roadmap, name="PV-Leistung")
    value = IndicatorValueFactory(indicator=indicator, year=2023, value=Decimal("7"))
    editor = personas.people["editor"]
    personas.login(client, "editor")
    assert client.post(url("values-entry", org) + "?jahr=2023", row(indicator, "8,5")).status_code == 302
    assert latest(value).history_user == editor.user and latest(value).value == Decimal("8.5")
    assert_history_shows(staff_client(client, personas), value, who=editor.name, label="Wert", old="7", new="8,5")


def test_a_deleted_indicator_value_is_kept(client, personas, org, roadmap):  # noqa: F811
    indicator = IndicatorFactory(roadmap=roadmap)
    value = IndicatorValueFactory(indicator=indicator, year=2023)
    personas.login(client, "editor")
    client.post(url("values-entry", org) + "?jahr=2023", row(indicator, ""))
    assert not IndicatorValue.objects.filter(pk=value.pk).exists()
    gone = IndicatorValue.history.filter(id=value.pk).order_by("-history_date", "-history_id").first()
    assert gone.history_type == "-" and gone.history_user == personas.user("editor")


def test_a_balance_line_keeps_who_changed_it(client, personas, org):  # noqa: F811
    line = EmissionBalanceFactory(organisation=org, year=2022, sector="households", emissions=100)
    editor = personas.people["editor"]
    personas.login(client, "editor")
    assert client.post(url("balance", org) + "?jahr=2022", sectors(households="120,5")).status_code == 302
    assert latest(line).history_user == editor.user
    operator = staff_client(client, personas)
    assert_history_shows(operator, line, who=editor.name, label="Emissionen (t CO2e)", old="100", new="120,5")


def test_the_balance_import_writes_history_with_the_editor(client, personas, org):  # noqa: F811
    personas.login(client, "editor")
    assert confirm(client, "balance-import", org, BALANCE, "bilanz.csv").status_code == 302
    lines = list(EmissionBalance.objects.filter(organisation=org))
    records = EmissionBalance.history.filter(id__in=[line.pk for line in lines], history_type="+")
    assert records.count() == len(lines) > 0
    assert {record.history_user for record in records} == {personas.user("editor")}


def test_heat_planning_keeps_its_stages_and_who_set_them(client, personas, org):  # noqa: F811
    org.kind = "city"
    org.save()
    editor = personas.people["editor"]
    personas.login(client, "editor")
    client.post(url("heat-planning-edit", org), planning_data(Stage.DECIDED, s1="2023-03-01"))
    client.post(url("heat-planning-edit", org), planning_data(Stage.INVENTORY, s1="2023-03-01", s3="2024-02-01"))
    planning = HeatPlanning.objects.get(organisation=org)
    assert [r.stage for r in planning.history.order_by("history_date", "history_id")] == [
        Stage.DECIDED,
        Stage.INVENTORY,
    ]
    assert planning.history.as_of(timezone.now() + timedelta(days=1)).stage == Stage.INVENTORY  # as a report reads
    operator = staff_client(client, personas)
    page = operator.get(history_url(planning))
    entries = [record.entry for record in page.context["page_obj"].object_list]
    sheet = next(e for e in entries if e["kind"] == "~" and not e.get("subject_shown"))
    assert sheet["who"] == editor.name
    assert changes(sheet)["Stufe"][1] == Stage.INVENTORY.label
    steps = [e for e in entries if e.get("subject_shown")]  # the dates each stage was reached, in the same list
    assert {e["title"] for e in steps} == {Stage.DECIDED.label, Stage.INVENTORY.label}
    assert all(e["who"] == editor.name for e in steps)


def test_climate_strategy_keeps_who_changed_it(client, personas, org):  # noqa: F811
    strategy = ClimateStrategyFactory(organisation=org, neutrality_year=2045)
    editor = personas.people["editor"]
    personas.login(client, "editor")
    data = {"neutrality_year": "2035", "neutrality_decided_on": "2021-06-01", "note": ""}
    assert client.post(url("strategy-edit", org), data).status_code == 302
    operator = staff_client(client, personas)
    label = str(ClimateStrategy._meta.get_field("neutrality_year").verbose_name)
    assert_history_shows(
        operator, strategy, who=editor.name, label=label[0].upper() + label[1:], old="2045", new="2035"
    )


def _all(org, roadmap):  # noqa: F811
    indicator = IndicatorFactory(roadmap=roadmap)
    return [
        IndicatorValueFactory(indicator=indicator, year=2023),
        EmissionBalanceFactory(organisation=org),
        HeatPlanningFactory(organisation=org),
        ClimateStrategyFactory(organisation=org),
    ]


def test_admin_histories_are_read_only(client, personas, org, roadmap):  # noqa: F811
    operator = staff_client(client, personas)
    for obj in _all(org, roadmap):
        assert_read_only(operator, obj)


@pytest.mark.parametrize("persona", DENIED)
def test_only_staff_see_the_admin_histories(client, personas, org, roadmap, persona):  # noqa: F811
    for obj in _all(org, roadmap):
        assert_denied(client, personas, persona, obj)


def test_admin_history_queries_do_not_grow_with_the_changes(client, personas, org, roadmap):  # noqa: F811
    operator = staff_client(client, personas)
    indicator = IndicatorFactory(roadmap=roadmap)

    def value(n):
        obj = IndicatorValueFactory(indicator=indicator, year=2000 + n)
        for i in range(n):
            obj.value = i
            obj.save(update_fields=["value", "updated_at"])
        return obj

    def planning(n):
        obj = HeatPlanningFactory(organisation=OrganisationFactory(kind="city"))
        for i in range(n):
            obj.stage = Stage.DECIDED if i % 2 == 0 else Stage.NOT_STARTED
            planning_services.heat_planning_save(planning=obj, reached={1: date(2023, 1, 1 + i)}, convoy=[])
        return obj

    assert_flat_queries(operator, value)
    assert_flat_queries(operator, planning)


def test_the_scale_data_has_no_holes_in_the_history(db):
    from django.core.management import call_command

    from events.models import Event, Registration
    from measures.models import Comment, Measure, MeasureUpdate, Milestone

    sizes = ["--organisations", "12", "--networks", "2", "--measures", "20", "--roadmaps", "2", "--events", "6"]
    call_command("generate_scale_data", *sizes, "--registrations", "30", "--indicator-values", "40", "--force")
    for model in (Measure, Milestone, MeasureUpdate, Comment, Event, Registration, IndicatorValue):
        rows = model.objects.count()
        assert rows > 0 and model.history.filter(history_type="+").count() == rows, model


def test_rows_from_before_the_history_get_their_first_record(personas, org):  # noqa: F811
    """What monitoring/migrations/0003_history_of_existing_rows does for the rows already in a database."""
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from events.models import Event
    from networks.history import record_existing
    from tests.events.factories import EventFactory

    event = EventFactory(network=personas.network, title="Vor der Historie")
    line = EmissionBalanceFactory(organisation=org, emissions=Decimal("12.5"))
    Event.history.all().delete()
    EmissionBalance.history.all().delete()
    record_existing(apps, SimpleNamespace(connection=connection), ["events.Event", "monitoring.EmissionBalance"])
    record_existing(apps, SimpleNamespace(connection=connection), ["events.Event"])  # twice: no second record
    first = event.history.get()
    assert (first.history_type, first.title, first.network_id, first.history_user) == (
        "+",
        event.title,
        event.network_id,
        None,
    )
    assert line.history.get().emissions == Decimal("12.5")
