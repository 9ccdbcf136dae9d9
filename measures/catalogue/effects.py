"""What apps to the right of measures add to the entry page's adoption table: the effects the copies show.

measures may not import monitoring (DESIGN §2), so monitoring registers a function here in its AppConfig.ready():
``register(fn)`` where ``fn(measure_ids)`` returns {measure id: [(label, value text), ...]} for the public measures
among them, in a fixed number of queries (monitoring: the public indicators linked to them and their latest
measured values).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_SOURCES: list[Callable[[list[int]], dict[int, list[tuple[str, str]]]]] = []


def register(fn: Callable[[list[int]], dict[int, list[tuple[str, str]]]]) -> None:
    if fn not in _SOURCES:
        _SOURCES.append(fn)


def of_measures(measure_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    ids = list(measure_ids)
    found: dict[int, list[tuple[str, str]]] = {}
    if not ids:
        return found
    for source in _SOURCES:
        for pk, lines in source(ids).items():
            found.setdefault(pk, []).extend(lines)
    return found
