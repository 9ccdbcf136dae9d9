"""Authorization-matrix rows of monitoring.embeds (issue 18 §4): the frames and the badge are as public as the
roadmap, measure or indicator they show (an unpublished one: its editors only, 404 for everyone else); the page
with the code and the allowed websites is the roadmap's editors'."""

from __future__ import annotations

from tests.security.conftest import World


def build(w: World) -> None:
    """The world's roadmaps, measures and indicators are enough."""


def rows() -> list:
    from tests.security.test_url_matrix import (
        EDITORS,
        EDITORS_HIDDEN,
        EVERYONE,
        NOT_FOUND,
        Row,
        done,
        ex,
        rm,
    )

    hidden = ex(NOT_FOUND, editor=200, staff=200)

    def roadmap_hidden(w):
        return {"slug": w.roadmap_hidden.slug}

    return [
        Row("embeds:progress", rm, EVERYONE),
        Row("embeds:progress", roadmap_hidden, hidden, note="unpublished roadmap"),
        Row("embeds:measure", lambda w: {**rm(w), "measure": w.measure.slug}, EVERYONE),
        Row("embeds:measure", lambda w: {**rm(w), "measure": w.measure_hidden.slug}, hidden),
        Row("embeds:measure", lambda w: {**rm(w), "measure": w.measure_b.slug}, ex(NOT_FOUND), note="other roadmap"),
        Row("embeds:indicator", lambda w: {**rm(w), "pk": w.indicator.pk}, EVERYONE),
        Row("embeds:indicator", lambda w: {**rm(w), "pk": w.indicator_b.pk}, ex(NOT_FOUND), note="other roadmap"),
        Row("embeds:badge", lambda w: {**rm(w), "fmt": "svg"}, EVERYONE),
        Row("embeds:badge", lambda w: {**rm(w), "fmt": "png"}, EVERYONE),
        Row("embeds:badge", lambda w: {**roadmap_hidden(w), "fmt": "png"}, hidden),
        Row("embeds:badge", lambda w: {**rm(w), "fmt": "gif"}, ex(NOT_FOUND)),
        Row("embeds:settings", rm, EDITORS, post=done(EDITORS), note="an empty POST allows no website"),
        Row("embeds:settings", roadmap_hidden, EDITORS_HIDDEN, post=done(EDITORS_HIDDEN)),
    ]
