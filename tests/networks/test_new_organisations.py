"""A coordinator adds a member organisation that is not in the portal yet (issue 14, findings: "a coordinator
cannot add a new municipality that is not yet in the list")."""

import pytest
from django.urls import reverse

from networks.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def _add(client, personas, **data):
    personas.login(client, "coordinator")
    url = reverse("networks:membership-list", args=[personas.network.slug])
    return client.post(url, {"organisation": "", "new_name": "", "new_kind": "municipality", "new_ags": "", **data})


def test_a_new_municipality_becomes_a_member(client, personas):
    response = _add(client, personas, new_name="  Gemeinde   Nettersheim ", new_ags="05366040")
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Gemeinde Nettersheim")
    assert (organisation.kind, organisation.ags, organisation.slug) == (
        "municipality",
        "05366040",
        "gemeinde-nettersheim",
    )
    assert Membership.objects.filter(network=personas.network, organisation=organisation, until__isnull=True).exists()
    personas.login(client, "coordinator")
    invitation_form = client.get(reverse("networks:invitation-create", args=[personas.network.slug])).context["form"]
    assert organisation in invitation_form.fields["organisation"].queryset  # people can be invited for it now


def test_umlauts_make_a_readable_unique_address(client, personas):
    Organisation.objects.create(name="Stadt Übach", slug="stadt-uebach")
    _add(client, personas, new_name="Stadt Übach-Palenberg", new_kind="city")
    assert Organisation.objects.get(name="Stadt Übach-Palenberg").slug == "stadt-uebach-palenberg"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, None),  # neither chosen nor named
        ({"organisation": "EXISTING", "new_name": "Gemeinde Neu"}, None),  # both
        ({"new_name": "gemeinde bestehend"}, "new_name"),  # the portal knows it (case aside): choose it
        ({"new_name": "Gemeinde Neu", "new_ags": "123"}, "new_ags"),
        ({"new_name": "Gemeinde Neu", "new_ags": "EXISTING_AGS"}, None),  # another body has this AGS
        ({"new_name": "Stadtwerke Neu", "new_kind": "utility", "new_ags": "05366040"}, None),  # AGS: public bodies
        ({"new_name": "Gemeinde Neu", "new_kind": "castle"}, "new_kind"),
        ({"new_name": "Gemeinde Neu", "new_kind": ""}, "new_kind"),
        ({"new_name": "x" * 201}, "new_name"),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(client, personas, data, field):
    existing = Organisation.objects.create(
        name="Gemeinde Bestehend", slug="gemeinde-bestehend", kind="municipality", ags="05366000"
    )
    replace = {"EXISTING": str(existing.pk), "EXISTING_AGS": "05366000"}
    data = {k: replace.get(v, v) for k, v in data.items()}
    organisations, memberships = Organisation.objects.count(), Membership.objects.count()
    response = _add(client, personas, **data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (field in errors) if field else errors
    assert (Organisation.objects.count(), Membership.objects.count()) == (organisations, memberships)


def test_only_coordinators_add(client, personas):
    for persona in ("member", "editor", "other_network"):
        personas.login(client, persona)
        url = reverse("networks:membership-list", args=[personas.network.slug])
        assert client.post(url, {"new_name": "Gemeinde Neu", "new_kind": "municipality"}).status_code == 403
    assert not Organisation.objects.filter(name="Gemeinde Neu").exists()
