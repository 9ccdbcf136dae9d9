"""Authorization-matrix rows and world objects of networks.campaigns (label campaignfigures)."""

from __future__ import annotations

from datetime import date

from tests.security.conftest import World, poison


def build(w: World) -> None:
    """A key figure of the network's campaign with a value of the editor's organisation (a participant)."""
    from networks.campaigns.models import CampaignLink, FigureValue, KeyFigure

    w.campaign.organisations.add(w.org)
    figure = poison(KeyFigure.objects.create(campaign=w.campaign, name="PV", unit="kWp"), period="quarter")
    FigureValue.objects.create(figure=figure, organisation=w.org, period_start=date(date.today().year, 1, 1), value=5)
    CampaignLink.objects.create(campaign=w.campaign, source="event", object_id=0)  # a link to nothing: ignored
    w.o["key_figure"] = figure


def rows() -> list:
    from tests.security.test_url_matrix import (
        BAD,
        COORDINATORS_HIDDEN,
        FORBIDDEN,
        LOGIN,
        MEMBERS_HIDDEN,
        NOT_ALLOWED,
        NOT_FOUND,
        REDIRECT,
        Row,
        ex,
    )

    def camp(w):
        return {"slug": w.network.slug, "pk": w.campaign.pk}

    def fig(w):
        return {**camp(w), "figure": w.key_figure.pk}

    coordinators_bad = {**COORDINATORS_HIDDEN, "coordinator": BAD, "staff": BAD}
    coordinators_done = {**COORDINATORS_HIDDEN, "coordinator": REDIRECT, "staff": REDIRECT}
    return [
        Row("campaignfigures:figures", camp, MEMBERS_HIDDEN, note="the campaign's members' page, as the campaign"),
        Row("campaignfigures:export", lambda w: {**camp(w), "fmt": "csv"}, MEMBERS_HIDDEN),
        Row("campaignfigures:export", lambda w: {**camp(w), "fmt": "xlsx"}, MEMBERS_HIDDEN),
        Row(
            "campaignfigures:export",
            lambda w: {**camp(w), "fmt": "pdf"},
            ex(NOT_FOUND, anonymous=LOGIN),
            note="no such format",
        ),
        Row("campaignfigures:figure-create", camp, COORDINATORS_HIDDEN, post=coordinators_bad),
        Row("campaignfigures:figure-edit", fig, COORDINATORS_HIDDEN, post=coordinators_bad),
        Row("campaignfigures:figure-delete", fig, ex(NOT_ALLOWED, anonymous=LOGIN), post=coordinators_done),
        Row(
            "campaignfigures:values-enter",
            fig,
            {**COORDINATORS_HIDDEN, "member": FORBIDDEN},
            post=coordinators_done,
            note="the participants' editors who are members, and the coordination; the editor persona is no member "
            "of the network (404); an empty POST clears nothing that was not there (valid)",
        ),
        Row("campaignfigures:links", camp, COORDINATORS_HIDDEN, post=coordinators_done, note="empty: no links"),
    ]
