"""Demo data of the measure page (issue 16): the external links of a few Düren measures.

Called at the end of measures.demo.load; idempotent: a link is found by its measure and its address.
"""

from __future__ import annotations

from measures.models import Measure, MeasureLink

ROADMAP = "klima-roadmap-kreis-dueren"
Kind = MeasureLink.Kind

# measure code -> [(kind, label, url)]
LINKS = {
    "PH-01": [
        (Kind.FUNDING, "Zuschuss für Steckersolargeräte beantragen", "https://www.kreis-dueren.de/"),
        (Kind.OTHER, "Beratung der Verbraucherzentrale zu Balkonkraftwerken", "https://www.verbraucherzentrale.nrw/"),
    ],
    "GW-01": [
        (Kind.FUNDING, "Bundesförderung Energieberatung für Wohngebäude (BAFA)", "https://www.bafa.de/"),
    ],
    "PH-02": [
        (
            Kind.PROJECT,
            "Reparatur-Initiativen in Deutschland: Termine in der Nähe",
            "https://www.reparatur-initiativen.de/",
        ),
    ],
}


def load(*, stdout=None) -> None:
    measures = {m.code: m for m in Measure.objects.filter(roadmap__slug=ROADMAP, code__in=LINKS)}
    created = 0
    for code, links in LINKS.items():
        measure = measures.get(code)
        if measure is None:
            continue
        for order, (kind, label, url) in enumerate(links):
            _link, made = MeasureLink.objects.get_or_create(
                measure=measure, url=url, defaults={"kind": kind, "label": label, "order": order}
            )
            created += made
    if stdout is not None and created:
        stdout.write(f"Demo measure links: {created} new.")
