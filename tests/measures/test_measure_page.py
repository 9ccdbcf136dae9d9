"""The public measure page (issue 16 §1): indicators, contact form, links, previous/next, last changed, related.

Personas: anonymous, citizen (verified address), other_network, member, coordinator, editor (of the roadmap's
organisation), staff. The contact form is for signed-in people with a verified address, never reveals the contact's
address and sends through the outbox.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone, translation

from measures import selectors
from measures.models import ContactMessage, Measure, MeasureLink, MeasureUpdate, Sector
from measures.services import contact as contact_service
from networks.models import OutboxMessage, Person
from tests.helpers import assert_flat, messages_of
from tests.measures.factories import (
    MeasureFactory,
    MeasureUpdateFactory,
    MilestoneFactory,
    RoadmapFactory,
)
from tests.monitoring.factories import IndicatorFactory, IndicatorValueFactory
from tests.networks.factories import OrganisationFactory, PersonFactory

ALL = ["anonymous", "citizen", "other_network", "member", "coordinator", "editor", "staff"]
TEXT = "Wann werden die Dächer der Grundschule Nord belegt? Wir würden gern beim Bürgerstrom mitmachen."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    return RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren")


@pytest.fixture
def contact():
    return PersonFactory(
        name="Petra Klimaschutz",
        job_title="Klimaschutzmanagerin",
        contact_visibility=Person.ContactVisibility.PUBLIC,
        user__email="petra.klimaschutz@kreis-dueren.example",
    )


@pytest.fixture
def measure(roadmap, contact):
    return MeasureFactory(
        roadmap=roadmap, code="EV-02", slug="ev-02-solar", title="Solardächer auf Schulen", responsible_person=contact
    )


def _contact_url(measure) -> str:
    return reverse("measures:measure-contact", args=[measure.roadmap.slug, measure.slug])


def _links_url(measure) -> str:
    return reverse("measures:measure-links", args=[measure.roadmap.slug, measure.pk])


def _text(response) -> str:
    return response.content.decode()


# --- Previous / next -------------------------------------------------------------------------------------


@pytest.fixture
def row(roadmap):
    """Four published measures in list order (by code) and one unpublished between them."""
    made = {code: MeasureFactory(roadmap=roadmap, code=code, slug=code.lower()) for code in ("A-01", "B-02", "D-04")}
    made["C-03"] = MeasureFactory(roadmap=roadmap, code="C-03", slug="c-03", published=False)
    made["E-05"] = MeasureFactory(roadmap=roadmap, code="E-05", slug="e-05")
    MeasureFactory(code="B-03")  # another roadmap's
    return made


def test_previous_and_next_follow_the_list_order_and_skip_unpublished(client, row):
    page = _text(client.get(row["B-02"].get_absolute_url()))
    assert re.search(r'rel="prev" href="[^"]*/a-01/"', page)
    assert re.search(r'rel="next" href="[^"]*/d-04/"', page)  # C-03 is not published


def test_first_measure_has_no_previous_and_last_no_next(client, row):
    first = _text(client.get(row["A-01"].get_absolute_url()))
    last = _text(client.get(row["E-05"].get_absolute_url()))
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'rel="prev"' in last
    assert "All measures of this roadmap" in first and "All measures of this roadmap" in last


def test_a_lone_measure_has_neither(client, measure):
    page = _text(client.get(measure.get_absolute_url()))
    assert 'rel="prev"' not in page and 'rel="next"' not in page


# --- Last changed ---------------------------------------------------------------------------------------


def _age(measure, days: int):
    old = timezone.now() - timedelta(days=days)
    Measure.objects.filter(pk=measure.pk).update(updated_at=old)
    measure.refresh_from_db()
    return old


def test_last_changed_is_the_measure_row_without_reports_or_milestones(measure):
    old = _age(measure, 100)
    assert selectors.last_changed(measure) == old


def test_a_public_progress_report_counts_as_a_change(measure):
    old = _age(measure, 100)
    MeasureUpdateFactory(measure=measure)
    assert selectors.last_changed(measure) > old + timedelta(days=99)


def test_an_internal_progress_report_does_not_count(measure):
    old = _age(measure, 100)
    MeasureUpdateFactory(measure=measure, public=False)
    assert selectors.last_changed(measure) == old


def test_a_milestone_reached_or_removed_counts_as_a_change(measure):
    milestone = MilestoneFactory(measure=measure)
    old = _age(measure, 100)
    MeasureUpdate.history.model.objects.all().delete()
    type(milestone).history.model.objects.update(history_date=old - timedelta(days=1))
    assert selectors.last_changed(measure) == old
    milestone.done_date = timezone.localdate()
    milestone.save()
    reached = selectors.last_changed(measure)
    assert reached > old
    milestone.delete()
    assert selectors.last_changed(measure) >= reached


def test_the_page_says_last_changed_with_the_report_date(client, measure):
    _age(measure, 400)
    MeasureUpdateFactory(measure=measure)
    page = _text(client.get(measure.get_absolute_url()))
    today = timezone.localdate()
    assert f'datetime="{today.isoformat()}' in page
    assert "including progress reports and milestones" in page


# --- Related measures -----------------------------------------------------------------------------------


def test_related_measures_are_a_handful_of_the_same_sector(client, roadmap, measure):
    same = [MeasureFactory(roadmap=roadmap, sector=measure.sector, title=f"Gleich {i}") for i in range(6)]
    MeasureFactory(roadmap=roadmap, sector=measure.sector, title="Verworfen", status=Measure.Status.DROPPED)
    MeasureFactory(roadmap=roadmap, sector=measure.sector, title="Entwurf", published=False)
    MeasureFactory(roadmap=roadmap, sector=Sector.MOBILITY, title="Radweg")
    MeasureFactory(sector=measure.sector, title="Fremde Roadmap")
    related = selectors.related_measures(measure)
    assert len(related) == selectors.RELATED_MEASURES
    assert {m.pk for m in related} <= {m.pk for m in same}
    page = _text(client.get(measure.get_absolute_url()))
    for hidden in ("Verworfen", "Entwurf", "Radweg", "Fremde Roadmap"):
        assert hidden not in page
    assert "More measures in" in page and "Gleich 0" in page


def test_related_measures_put_active_ones_first(roadmap, measure):
    done = MeasureFactory(roadmap=roadmap, sector=measure.sector, code="A-00", status=Measure.Status.COMPLETED)
    active = MeasureFactory(roadmap=roadmap, sector=measure.sector, code="Z-99", status=Measure.Status.IN_PROGRESS)
    assert [m.pk for m in selectors.related_measures(measure)] == [active.pk, done.pk]


# --- Indicators ------------------------------------------------------------------------------------------


def test_linked_public_indicators_show_with_chart_and_table(client, roadmap, measure):
    shown = IndicatorFactory(roadmap=roadmap, name="PV auf Schuldächern", unit="kWp")
    shown.measures.add(measure)
    IndicatorValueFactory(indicator=shown, year=2023, value=120)
    IndicatorValueFactory(indicator=shown, year=2024, value=310)
    hidden = IndicatorFactory(roadmap=roadmap, name="Internes Maß", public=False)
    hidden.measures.add(measure)
    IndicatorFactory(roadmap=roadmap, name="Nicht verknüpft")
    page = _text(client.get(measure.get_absolute_url()))
    assert 'id="indicators"' in page and "PV auf Schuldächern" in page
    assert 'class="chart-table"' in page and '<th scope="row">2024</th>' in page
    assert "Internes Maß" not in page and "Nicht verknüpft" not in page


def test_without_linked_indicators_there_is_no_section(client, measure):
    assert 'id="indicators"' not in _text(client.get(measure.get_absolute_url()))


# --- Links -----------------------------------------------------------------------------------------------


def test_links_are_listed_with_their_kind(client, measure):
    MeasureLink.objects.create(
        measure=measure, kind=MeasureLink.Kind.FUNDING, label="Förderantrag PV", url="https://foerderung.example/pv"
    )
    MeasureLink.objects.create(measure=measure, label="Projektseite", url="https://projekt.example/", order=2)
    page = _text(client.get(measure.get_absolute_url()))
    assert '<a href="https://foerderung.example/pv" rel="noopener">Förderantrag PV</a>' in page
    assert page.index("Förderantrag PV") < page.index("Projektseite")
    assert "Apply for funding" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("other_network", 403),
        ("member", 403),
        ("coordinator", 403),
        ("editor", 200),
        ("staff", 200),
    ],
)
def test_only_editors_edit_the_links(client, personas, measure, persona, status):
    personas.login(client, persona)
    assert client.get(_links_url(measure)).status_code == status
    response = client.post(_links_url(measure), _links_data("Antrag", "https://antrag.example/"))
    assert response.status_code == (302 if status != 403 else 403)
    assert MeasureLink.objects.filter(measure=measure).exists() == (status == 200)


def _links_data(label: str, url: str, **extra) -> dict:
    return {
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "20",
        "links-0-kind": "funding",
        "links-0-label": label,
        "links-0-url": url,
        "links-0-order": "0",
        **extra,
    }


def test_a_bad_link_address_keeps_the_input_and_says_why(client, personas, measure):
    personas.login(client, "editor")
    response = client.post(_links_url(measure), _links_data("Antrag", "javascript:alert(1)"))
    assert response.status_code == 400
    assert 'value="Antrag"' in _text(response)
    assert not MeasureLink.objects.exists()


def test_links_of_a_measure_in_an_unpublished_roadmap_are_a_404_for_others(client, personas, measure):
    measure.roadmap.published = False
    measure.roadmap.save()
    personas.login(client, "citizen")
    assert client.get(_links_url(measure)).status_code == 404


# --- Contact ---------------------------------------------------------------------------------------------


def test_the_page_names_the_public_contact_without_their_address(client, measure, contact):
    page = _text(client.get(measure.get_absolute_url()))
    assert 'id="contact"' in page and "Petra Klimaschutz" in page
    assert "petra.klimaschutz" not in page and "@kreis-dueren" not in page
    assert "Sign in to write a message" in page and f"next={_contact_url(measure)}" in page


def test_a_contact_who_is_not_named_in_public_is_neither_shown_nor_reachable(client, personas, measure, contact):
    contact.contact_visibility = Person.ContactVisibility.MEMBERS
    contact.save()
    assert "Petra Klimaschutz" not in _text(client.get(measure.get_absolute_url()))
    personas.login(client, "citizen")
    assert client.get(_contact_url(measure)).status_code == 404
    assert client.post(_contact_url(measure), {"text": TEXT}).status_code == 404


def test_an_internal_contact_field_hides_the_contact(client, personas, measure):
    measure.internal_fields = ["responsible_person"]
    measure.save()
    assert 'id="contact"' not in _text(client.get(measure.get_absolute_url()))
    personas.login(client, "citizen")
    assert client.get(_contact_url(measure)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, measure):
    for response in (client.get(_contact_url(measure)), client.post(_contact_url(measure), {"text": TEXT})):
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert not ContactMessage.objects.exists() and not OutboxMessage.objects.exists()


def test_an_unverified_address_may_not_send(client, personas, measure):
    user = personas.user("citizen")
    EmailAddress.objects.filter(user=user).update(verified=False)
    personas.login(client, "citizen")
    page = client.get(_contact_url(measure))
    assert page.status_code == 200 and "Please confirm your email address first" in _text(page)
    response = client.post(_contact_url(measure), {"text": TEXT, "reply_to_sender": "on"})
    assert response.status_code == 403
    assert not ContactMessage.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.parametrize("persona", ["citizen", "other_network", "member", "coordinator", "editor", "staff"])
def test_an_unpublished_measure_has_no_contact_form(client, personas, measure, persona):
    measure.published = False
    measure.save()
    personas.login(client, persona)
    assert client.get(_contact_url(measure)).status_code == 404  # editors preview the page, but nobody writes yet
    assert not ContactMessage.objects.exists()


def test_a_message_goes_to_the_contact_through_the_outbox(client, personas, measure, contact):
    personas.login(client, "citizen")
    response = client.post(_contact_url(measure), {"text": TEXT})
    assert response.status_code == 302 and response["Location"].endswith("#contact")
    assert any("has been sent to Petra Klimaschutz" in m for m in messages_of(response))
    message = ContactMessage.objects.get()
    assert message.recipient == contact and message.sender == personas.people["citizen"]
    assert not message.reply_to_sender
    mail = OutboxMessage.objects.get(reason="measure_contact")
    assert mail.recipient == "petra.klimaschutz@kreis-dueren.example"
    assert TEXT in mail.body_text and "Bürgerin" in mail.body_text
    assert "Reply-To" not in mail.headers
    assert personas.user("citizen").email not in mail.body_text + mail.body_html
    assert "did not share their email address" in mail.body_text or "nicht geteilt" in mail.body_text


def test_reply_to_is_the_sender_only_when_they_agree(client, personas, measure):
    personas.login(client, "citizen")
    client.post(_contact_url(measure), {"text": TEXT, "reply_to_sender": "on"})
    mail = OutboxMessage.objects.get(reason="measure_contact")
    assert mail.headers == {"Reply-To": personas.user("citizen").email}


def test_a_too_short_message_keeps_the_text_and_says_why(client, personas, measure):
    personas.login(client, "citizen")
    response = client.post(_contact_url(measure), {"text": "Hallo?"})
    assert response.status_code == 400
    assert "Hallo?" in _text(response) and 'class="error"' in _text(response)
    assert not ContactMessage.objects.exists()


def test_the_rate_limit_stops_the_fourth_message_within_an_hour(client, personas, measure):
    personas.login(client, "citizen")
    for _ in range(contact_service.RATE_LIMIT):
        assert client.post(_contact_url(measure), {"text": TEXT}).status_code == 302
    response = client.post(_contact_url(measure), {"text": TEXT + " Noch eine Frage."})
    assert response.status_code == 400
    assert "Please wait a while" in _text(response) and "Noch eine Frage." in _text(response)
    assert ContactMessage.objects.count() == contact_service.RATE_LIMIT
    assert OutboxMessage.objects.filter(reason="measure_contact").count() == contact_service.RATE_LIMIT


def test_messages_older_than_an_hour_do_not_count_for_the_hourly_limit(personas, measure):
    sender = personas.people["citizen"]
    for _ in range(contact_service.RATE_LIMIT):
        contact_service.contact_message_send(measure=measure, sender=sender, text=TEXT, reply_to_sender=False)
    ContactMessage.objects.update(created_at=timezone.now() - timedelta(hours=2))
    contact_service.contact_message_send(measure=measure, sender=sender, text=TEXT, reply_to_sender=False)
    assert ContactMessage.objects.count() == contact_service.RATE_LIMIT + 1


def test_a_contact_without_an_account_cannot_be_written_to(personas, measure, contact):
    contact.user.is_active = False
    contact.user.save()
    with pytest.raises(contact_service.ValidationError):
        contact_service.contact_message_send(
            measure=measure, sender=personas.people["citizen"], text=TEXT, reply_to_sender=False
        )
    assert not ContactMessage.objects.exists()


def test_the_contact_page_never_shows_the_address(client, personas, measure):
    personas.login(client, "member")
    page = _text(client.get(_contact_url(measure)))
    assert "Write to Petra Klimaschutz" in page and "petra.klimaschutz@" not in page


# --- The page cache and the query count ------------------------------------------------------------------


def test_a_new_link_or_neighbour_renews_the_cached_page(client, roadmap, measure):
    url = measure.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    MeasureLink.objects.create(measure=measure, label="Neuer Link", url="https://neu.example/")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "Neuer Link" in _text(response)
    MeasureFactory(roadmap=roadmap, code="ZZ-99", slug="zz-99", title="Nachfolgerin")
    assert "Nachfolgerin" in _text(client.get(url))


def _grow(roadmap, measure, n):
    """n more published measures of the same sector (neighbours, related), and n more reports, milestones, links and
    linked indicators (with values) on ``measure``."""
    for i in range(n):
        MeasureFactory(roadmap=roadmap, sector=measure.sector, lead_organisation=OrganisationFactory())
        MeasureUpdateFactory(measure=measure)
        MilestoneFactory(measure=measure)
        MeasureLink.objects.create(measure=measure, label=f"Link {i}", url=f"https://example.org/{measure.pk}/{n}/{i}")
        indicator = IndicatorFactory(roadmap=roadmap, organisation=roadmap.organisation)
        indicator.measures.add(measure)
        IndicatorValueFactory(indicator=indicator, year=2020 + i, value=Decimal(i))


def test_measure_page_queries_are_flat(client, roadmap, measure, django_assert_num_queries):
    # roadmap, measure, public updates, responsible person, indicators, their values, milestones, partners, links,
    # last changed, previous, next, related; and participation's own (the comments with replies, feedback)
    grow = lambda n: _grow(roadmap, measure, n)  # noqa: E731
    assert_flat(client, measure.get_absolute_url(), grow, django_assert_num_queries, QUERIES_ANONYMOUS)


QUERIES_ANONYMOUS = 17  # + issue 17: the measure library's lineage (one query); + issue 18: council decisions


# --- Personal data ---------------------------------------------------------------------------------------


def test_the_senders_messages_are_in_their_export_and_go_with_their_account(personas, measure):
    from networks.panels import before_account_delete, personal_data

    sender = personas.people["citizen"]
    contact_service.contact_message_send(measure=measure, sender=sender, text=TEXT, reply_to_sender=True)
    exported = personal_data(sender)["messages_to_contact_persons"]
    assert exported == [
        {
            "measure": "EV-02 Solardächer auf Schulen",
            "text": TEXT,
            "contact_may_answer_by_email": True,
            "sent": ContactMessage.objects.get().created_at.isoformat(),
        }
    ]
    assert personal_data(personas.people["member"])["messages_to_contact_persons"] == []
    before_account_delete(sender)
    assert not ContactMessage.objects.exists()


def test_staff_see_the_messages_in_the_admin_read_only(client, personas, measure):
    contact_service.contact_message_send(
        measure=measure, sender=personas.people["citizen"], text=TEXT, reply_to_sender=False
    )
    personas.login(client, "staff")
    message = ContactMessage.objects.get()
    assert client.get(reverse("admin:measures_contactmessage_changelist")).status_code == 200
    page = client.get(reverse("admin:measures_contactmessage_change", args=[message.pk]))
    assert page.status_code == 200 and TEXT in _text(page)
    assert client.get(reverse("admin:measures_contactmessage_add")).status_code == 403
    assert client.get(reverse("admin:measures_measurelink_changelist")).status_code == 200


def test_links_editor_queries_are_flat(client, personas, roadmap, measure, django_assert_num_queries):
    personas.login(client, "editor")

    def grow(n):
        for i in range(n):
            MeasureLink.objects.create(measure=measure, label=f"Link {i}", url=f"https://example.org/{n}/{i}")

    # session and account from the cache (no query); roadmap, editor check, measure, links
    assert_flat(client, _links_url(measure), grow, django_assert_num_queries, QUERIES_LINKS_EDITOR)


def test_contact_form_queries_are_flat(client, personas, roadmap, measure, django_assert_num_queries):
    personas.login(client, "citizen")

    def grow(n):
        for _ in range(n):
            ContactMessage.objects.create(measure=measure, sender=personas.people["member"], text=TEXT)

    # session and account from the cache (no query); roadmap, measure, responsible person, verified address
    assert_flat(client, _contact_url(measure), grow, django_assert_num_queries, QUERIES_CONTACT_FORM)


QUERIES_LINKS_EDITOR = 4
QUERIES_CONTACT_FORM = 4


def test_the_editors_german_text_is_marked_german_on_the_english_page(client, db):
    """WCAG 3.1.2 (language of parts): a screen reader reads the German title and texts with German voice."""
    measure = MeasureFactory(
        title="Balkon-PV für Mieter*innen",
        description="Auch wer zur Miete wohnt, kann Solarstrom erzeugen.",
        how_to_take_part="Beantragen Sie den Zuschuss online.",
    )
    with translation.override("en"):
        english = client.get(measure.get_absolute_url()).content.decode()
    assert '<h1 id="measure-title" lang="de">' in english
    assert '<div lang="de"><p>Auch wer zur Miete wohnt' in english and '<div lang="de"><p>Beantragen' in english
    with translation.override("de"):
        german = client.get(measure.get_absolute_url()).content.decode()
    assert 'lang="de"><p>' not in german and '<h1 id="measure-title">' in german
