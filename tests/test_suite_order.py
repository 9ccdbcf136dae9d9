"""The order in which pytest-xdist hands out the suite's units (tests/conftest.py): long units first."""

from tests.conftest import long_units_first


def test_groups_largest_first_then_long_tests_then_the_rest_in_order():
    nodeids = [
        "tests/announcements/test_a.py::test_one",
        "tests/browser/test_x.py::test_journey",
        "tests/mail/test_migration.py::test_data_migration",
        "tests/monitoring/test_reports.py::test_one",
        "tests/monitoring/test_reports.py::test_two",
        "tests/monitoring/test_reports.py::test_three",
        "tests/browser/test_y.py::test_journey",
        "tests/zeta/test_z.py::test_last",
    ]
    assert long_units_first(nodeids) == [
        "tests/monitoring/test_reports.py::test_one",  # the largest group (3 tests), in its own order
        "tests/monitoring/test_reports.py::test_two",
        "tests/monitoring/test_reports.py::test_three",
        "tests/browser/test_x.py::test_journey",  # then the browser group (2), its tests together
        "tests/browser/test_y.py::test_journey",
        "tests/mail/test_migration.py::test_data_migration",
        "tests/announcements/test_a.py::test_one",
        "tests/zeta/test_z.py::test_last",
    ]
    assert sorted(long_units_first(nodeids)) == sorted(nodeids)  # nothing lost, nothing twice
