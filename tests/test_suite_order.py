"""The order in which pytest-xdist hands out the suite's units (tests/conftest.py): long units first."""

from tests.conftest import long_units_first, xdist_group


def test_browser_modules_then_modules_then_long_tests_then_the_rest_in_order():
    nodeids = [
        "tests/announcements/test_a.py::test_one",
        "tests/integration/test_s.py::test_service",
        "tests/browser/test_x.py::test_journey",
        "tests/mail/test_migration.py::test_data_migration",
        "tests/monitoring/test_reports.py::test_one",
        "tests/monitoring/test_reports.py::test_two",
        "tests/monitoring/test_reports.py::test_three",
        "tests/browser/test_y.py::test_journey",
        "tests/zeta/test_z.py::test_last",
    ]
    assert long_units_first(nodeids) == [
        "tests/browser/test_x.py::test_journey",  # each browser journey's module is a group: both workers share them
        "tests/browser/test_y.py::test_journey",
        "tests/monitoring/test_reports.py::test_one",  # a module sharing one world, in its own order
        "tests/monitoring/test_reports.py::test_two",
        "tests/monitoring/test_reports.py::test_three",
        "tests/mail/test_migration.py::test_data_migration",
        "tests/announcements/test_a.py::test_one",
        "tests/integration/test_s.py::test_service",  # the services where they were collected
        "tests/zeta/test_z.py::test_last",
    ]
    assert sorted(long_units_first(nodeids)) == sorted(nodeids)  # nothing lost, nothing twice
    assert xdist_group("tests/browser/test_x.py::test_journey") != xdist_group("tests/browser/test_y.py::test_journey")
    assert xdist_group("tests/integration/test_a.py::t") == xdist_group("tests/integration/test_b.py::t")
