"""networks.keyset.pages: long results a page at a time in primary-key order, one short query per page."""

from operator import itemgetter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks import keyset
from networks.models import Organisation
from tests.networks.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    return sorted(OrganisationFactory.create_batch(5), key=lambda o: o.pk)


def test_every_row_once_in_pages_of_the_size(organisations):
    with CaptureQueriesContext(connection) as queries:
        pages = list(keyset.pages(Organisation.objects.order_by("-name"), 2))
    assert [[o.pk for o in page] for page in pages] == [
        [organisations[0].pk, organisations[1].pk],
        [organisations[2].pk, organisations[3].pk],
        [organisations[4].pk],
    ]
    assert len(queries) == 3  # one query per page, none held open between them
    assert all("LIMIT 2" in q["sql"] for q in queries.captured_queries)


def test_a_full_last_page_ends_with_an_empty_read(organisations):
    assert [len(page) for page in keyset.pages(Organisation.objects.all(), 5)] == [5]
    assert list(keyset.pages(Organisation.objects.none(), 5)) == []


def test_values_rows_say_where_their_key_is(organisations):
    rows = Organisation.objects.values_list("pk", "name")
    pages = list(keyset.pages(rows, 3, pk_of=itemgetter(0)))
    assert [row for page in pages for row in page] == [(o.pk, o.name) for o in organisations]
