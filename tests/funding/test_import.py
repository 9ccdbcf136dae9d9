"""Import of funding programmes from CSV/XLSX: German numbers and labels, a preview with row errors, all or
nothing, updates by name, calls added once, the signed second step."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.funding import importing
from measures.funding.models import FundingProgramme
from networks import tabular
from tests.funding.factories import ProgrammeFactory
from tests.helpers import de

pytestmark = pytest.mark.django_db

HEADER = (
    "Name;Fördermittelgeber;Handlungsfelder;Antragsberechtigt;Bundesländer;Einwohnerzahl ab;Förderquote;"
    "Höchstzuschuss;Aufruf;Frist\n"
)
GOOD = (
    HEADER
    + "Radverkehr NRW;Land NRW;Mobilität|mobility;county,municipality;NW;10.000;70;1.500.000,50;Aufruf 2027;31.3.2027\n"
    + "Wärmenetze;BAFA;buildings_heat;;;;40;;;\n"
)


def upload(text: str, name: str = "programme.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_check_then_import(client, personas):
    ProgrammeFactory(name="Wärmenetze", funder="alt")
    personas.login(client, "coordinator")
    response = client.post(reverse("funding:programme-import"), {"file": upload(GOOD)})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [(row.name, row.action) for row in preview.rows] == [("Radverkehr NRW", "create"), ("Wärmenetze", "update")]
    assert FundingProgramme.objects.count() == 1  # nothing written yet
    payload = response.context["confirm_form"].initial["payload"]
    response = client.post(reverse("funding:programme-import"), {"action": "import", "payload": payload})
    assert response.status_code == 302
    bike = FundingProgramme.objects.get(name="Radverkehr NRW")
    assert (bike.sectors, bike.applicant_kinds, bike.states) == (["mobility"], ["county", "municipality"], ["NW"])
    assert (bike.population_min, str(bike.amount_max), bike.rate) == (10_000, "1500000.50", 70)
    assert [(c.title, str(c.deadline)) for c in bike.calls.all()] == [("Aufruf 2027", "2027-03-31")]
    assert FundingProgramme.objects.get(name="Wärmenetze").funder == "BAFA"
    client.post(reverse("funding:programme-import"), {"action": "import", "payload": payload})  # again
    assert bike.calls.count() == 1 and FundingProgramme.objects.count() == 2


def test_row_errors_and_nothing_written(client, personas):
    text = HEADER + "Gut;BMWK;mobility;;;;;;;\n" + ";BMWK;Weltraum;;XX;viele;150;;Aufruf;\n" + "Gut;X;;;;;;;;\n"
    personas.login(client, "staff")
    response = client.post(reverse("funding:programme-import"), {"file": upload(text)})
    assert response.status_code == 400
    rows = response.context["preview"].rows
    assert rows[0].errors == []
    assert len(rows[1].errors) >= 4  # name, sector, Land, population, rate and the call without deadline
    assert rows[2].errors == [de("The programme “%(name)s” is already in row %(row)s.", name="Gut", row=2)]
    assert response.context["confirm_form"] is None and not FundingProgramme.objects.exists()


def test_a_tampered_or_foreign_payload_is_refused(client, personas):
    personas.login(client, "coordinator")
    response = client.post(reverse("funding:programme-import"), {"file": upload(GOOD)})
    payload = response.context["confirm_form"].initial["payload"]
    for bad in (payload[:-2] + "xx", "nonsense"):
        answer = client.post(reverse("funding:programme-import"), {"action": "import", "payload": bad})
        assert answer.status_code == 400
    personas.login(client, "staff")
    assert client.post(reverse("funding:programme-import"), {"action": "import", "payload": payload}).status_code == 400
    assert not FundingProgramme.objects.exists()


def test_unknown_columns_and_xlsx():
    with pytest.raises(tabular.ImportFileError):
        importing.read_table("x.csv", b"Name;Farbe\nA;rot\n")
    with pytest.raises(tabular.ImportFileError):
        importing.read_table("x.csv", b"Funder\nA\n")
    content = tabular.xlsx_bytes(
        [
            (
                "Programme",
                ["name", "funder", "rate", "call_deadline", "call_title"],
                [["Solar", "Land", 55.5, "2027-05-01", "Fenster"]],
            )
        ]
    )
    preview = importing.check(table=importing.read_table("p.xlsx", content))
    assert preview.ok
    importing.run(table=importing.read_table("p.xlsx", content), by=None)
    assert str(FundingProgramme.objects.get(name="Solar").rate) == "55.50"
