"""The admin's autocomplete fields answer a submitted value that is no id with the form's error, not a 500
(networks.admin_autocomplete; found by the form fuzzer on the identity provider form)."""

import pytest
from django.urls import reverse

from tests.helpers import login_with_second_factor
from tests.networks import factories as f


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "field"),
    [
        ("admin:signin_provider_add", "organisation"),  # a foreign key
        ("admin:networks_workinggroup_add", "members"),  # several (a many-to-many relation)
        ("admin:networks_membership_add", "network"),
    ],
)
@pytest.mark.parametrize("value", ["1.5", "abc", "9" * 30, "-1"])
def test_a_value_that_is_no_id_is_a_form_error(client, url_name, field, value):
    login_with_second_factor(client, f.PersonFactory(user__is_staff=True, user__is_superuser=True).user)
    response = client.post(reverse(url_name), {field: value})
    assert response.status_code == 200  # the form again, with its errors
    assert response.context["adminform"].form.errors[field]
