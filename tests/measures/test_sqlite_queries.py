"""`make run` serves the portal from SQLite: the queries that combine querysets (UNION) must compile there too.
SQLite refuses ORDER BY inside the parts of a compound statement; the suite runs on PostgreSQL, so each such
query is compiled here for SQLite (no database needed: the error is the compiler's)."""

import pytest
from django.db.utils import ConnectionHandler

from measures import take_part
from measures.funding import selectors as funding
from networks.models import Organisation, User


@pytest.fixture(scope="module")
def sqlite():
    connection = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
    yield connection["default"]
    connection.close_all()


def _compiles(queryset, connection) -> str:
    sql, _params = queryset.query.get_compiler(connection=connection).as_sql()
    return sql


def test_the_union_queries_compile_for_sqlite(sqlite):
    user = User(pk=1, email="x@example.org")
    assert "UNION" in _compiles(funding.person_measures(user), sqlite)
    offers = take_part.offers()
    assert "UNION" in _compiles(take_part.municipalities(offers), sqlite)
    place = take_part.filtered(offers, place="Jülich", municipality=Organisation(pk=1), sector="mobility")
    assert _compiles(take_part.in_order(place), sqlite)
