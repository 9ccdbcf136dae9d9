"""Citizen participation: proposals, support, comments, the moderation queue, proposals turned into measures."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from measures import services
from measures.models import Comment, Measure, Moderation, Proposal, ProposalSupport, Sector
from networks import markdown
from networks.models import OutboxMessage
from tests.helpers import de, messages_of
from tests.measures.factories import CommentFactory, MeasureFactory, ProposalFactory, RoadmapFactory
from tests.networks import factories as nf

SIGNED_IN = ["citizen", "other_network", "member", "coordinator", "editor", "staff"]
PERSONAS = ["anonymous", *SIGNED_IN]
# Who may see a roadmap's pending proposals and comments and moderate them: its organisation's editors and staff.
MODERATORS = {"editor", "staff"}
MODERATION_MATRIX = [
    ("anonymous", 302),
    ("citizen", 403),
    ("other_network", 403),
    ("member", 403),
    ("coordinator", 403),
    ("editor", 302),
    ("staff", 302),
]


@pytest.fixture
def roadmap(personas):
    organisation = personas.people["editor"].organisation_roles.get().organisation
    return RoadmapFactory(organisation=organisation, slug="kreis-dueren", title="Klima-Roadmap Kreis Düren 2035")


@pytest.fixture
def other_roadmap(db):
    return RoadmapFactory(slug="stadt-dortmund", title="Klima-Luft 2030")


@pytest.fixture
def measure(roadmap):
    return MeasureFactory(roadmap=roadmap, code="M-01", slug="m-01-solaroffensive", title="Solaroffensive")


@pytest.fixture
def author(db):
    """A citizen who writes proposals and comments (not one of the personas)."""
    return nf.PersonFactory(name="Bürger Autor", organisation=None, user__email="buerger@example.org")


@pytest.fixture
def unverified(db):
    return nf.PersonFactory(name="Unbestätigt", organisation=None, user__verified=False)


@pytest.fixture
def published(roadmap, author):
    return ProposalFactory(roadmap=roadmap, author=author, title="Fahrradstraßen in Düren", status=Moderation.PUBLISHED)


@pytest.fixture
def pending(roadmap, author):
    return ProposalFactory(roadmap=roadmap, author=author, title="Geheime Idee im Wartestand")


def login(client, personas, persona: str) -> None:
    personas.login(client, persona)


def url(name: str, roadmap, *args) -> str:
    return reverse(f"measures:{name}", args=[roadmap.slug, *args])


# --- Proposal list ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_proposal_list_is_public(client, personas, roadmap, published, pending, persona):
    login(client, personas, persona)
    response = client.get(url("proposal-list", roadmap))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Fahrradstraßen in Düren" in content
    assert "Geheime Idee im Wartestand" not in content  # pending: only in the editors' queue and for its author
    assert (url("moderation", roadmap) in content) is (persona in MODERATORS)
    if persona == "anonymous":
        assert reverse("account_login") in content
        assert url("proposal-create", roadmap) not in content
    else:
        assert url("proposal-create", roadmap) in content  # the submission form


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 404),
        ("citizen", 404),
        ("other_network", 404),
        ("member", 404),
        ("coordinator", 404),
        ("editor", 200),
        ("staff", 200),
    ],
)
def test_proposals_of_an_unpublished_roadmap_are_hidden(client, personas, roadmap, persona, status):
    roadmap.published = False
    roadmap.save(update_fields=["published"])
    login(client, personas, persona)
    assert client.get(url("proposal-list", roadmap)).status_code == status
    assert client.get(url("proposal-create", roadmap)).status_code == (302 if persona == "anonymous" else status)


def test_the_author_sees_own_unpublished_proposals_marked_with_the_reason(client, roadmap, author, pending):
    rejected = ProposalFactory(
        roadmap=roadmap,
        author=author,
        title="Abgelehnte Idee",
        status=Moderation.REJECTED,
        rejection_reason="Liegt nicht in der Zuständigkeit des Kreises.",
    )
    client.force_login(author.user)
    content = client.get(url("proposal-list", roadmap)).content.decode()
    assert pending.title in content and rejected.title in content
    assert "Liegt nicht in der Zuständigkeit des Kreises." in content
    assert 'class="status status-waiting"' in content and 'class="status status-cancelled"' in content


def test_unverified_citizens_are_asked_to_verify_instead_of_a_form(client, roadmap, unverified):
    client.force_login(unverified.user)
    content = client.get(url("proposal-list", roadmap)).content.decode()
    assert reverse("account_email") in content
    assert url("proposal-create", roadmap) not in content


def test_proposal_list_filters_by_sector_and_orders_by_support(client, roadmap, author):
    bikes = ProposalFactory(roadmap=roadmap, title="Radwege", sector=Sector.MOBILITY, status=Moderation.PUBLISHED)
    solar = ProposalFactory(roadmap=roadmap, title="Balkonkraftwerke", sector=Sector.HOUSEHOLDS, status="published")
    for _ in range(2):
        ProposalSupport.objects.create(proposal=solar, person=nf.PersonFactory())
    content = client.get(url("proposal-list", roadmap), {"sector": Sector.MOBILITY}).content.decode()
    assert bikes.title in content and solar.title not in content
    content = client.get(url("proposal-list", roadmap), {"order": "supports"}).content.decode()
    assert content.index(solar.title) < content.index(bikes.title)
    content = client.get(url("proposal-list", roadmap)).content.decode()  # newest first
    assert content.index(solar.title) < content.index(bikes.title)
    bikes.created_at = timezone.now() + timedelta(minutes=1)
    bikes.save(update_fields=["created_at"])
    content = client.get(url("proposal-list", roadmap)).content.decode()
    assert content.index(bikes.title) < content.index(solar.title)
    assert client.get(url("proposal-list", roadmap), {"sector": "nonsense", "page": "x"}).status_code == 200


def test_proposal_list_queries_are_flat(client, roadmap, author, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            proposal = ProposalFactory(roadmap=roadmap, status=Moderation.PUBLISHED)
            ProposalSupport.objects.create(proposal=proposal, person=nf.PersonFactory())
            ProposalFactory(roadmap=roadmap, author=author)  # the author's own, pending

    client.force_login(author.user)
    grow(2)
    # session and account from the cache (no query); roadmap, count, page of proposals with support counts, the
    # author's own, editor check, verified email; the participation phases, the person, netiquette accepted
    with django_assert_num_queries(9):
        assert client.get(url("proposal-list", roadmap)).status_code == 200
    grow(10)
    with django_assert_num_queries(9):
        response = client.get(url("proposal-list", roadmap))
    assert response.content.decode().count('class="card proposal-card"') == 12 + 12
    client.logout()
    with django_assert_num_queries(4):  # roadmap, count, page, participation phases
        client.get(url("proposal-list", roadmap))


# --- Submitting a proposal -----------------------------------------------------------------------

VALID = {
    "title": "Mehr Bäume in der Innenstadt",
    "text": "Schatten und **Kühlung** für heiße Sommer.",
    "sector": "adaptation",
    "netiquette": "on",  # the participation rules, accepted at the first contribution
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_proposal_create_permissions(client, personas, roadmap, persona):
    login(client, personas, persona)
    get = client.get(url("proposal-create", roadmap))
    response = client.post(url("proposal-create", roadmap), VALID)
    if persona == "anonymous":
        assert get.status_code == 302 and response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not Proposal.objects.exists()
        return
    assert get.status_code == 200
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url() + "#main"
    assert proposal.author == personas.people[persona]
    assert proposal.status == Moderation.PENDING and proposal.roadmap == roadmap
    assert de(
        "Thank you! Your proposal waits for approval by the editorial team. "
        "Until then only you can see it; we will tell you by email when it has been reviewed."
    ) in messages_of(response)


def test_unverified_citizen_cannot_submit(client, roadmap, unverified):
    client.force_login(unverified.user)
    assert client.get(url("proposal-create", roadmap)).status_code == 403
    response = client.post(url("proposal-create", roadmap), VALID)
    assert response.status_code == 403
    assert reverse("account_email") in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "x" * 151}, "title"),
        ({"title": ""}, "title"),
        ({"text": "x" * 4001}, "text"),
        ({"text": "   "}, "text"),
        ({"sector": ""}, "sector"),
        ({"sector": "space"}, "sector"),
    ],
)
def test_proposal_bad_input_is_a_form_error(client, author, roadmap, change, field):
    client.force_login(author.user)
    response = client.post(url("proposal-create", roadmap), {**VALID, **change})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Proposal.objects.exists()


def test_rate_limit_is_a_form_error(client, author, roadmap, measure):
    for _ in range(3):
        ProposalFactory(roadmap=roadmap, author=author)
    for _ in range(2):
        CommentFactory(measure=measure, author=author)
    client.force_login(author.user)
    response = client.post(url("proposal-create", roadmap), VALID)
    assert response.status_code == 400
    expected = de(
        "You have written %(count)s contributions in the last hour. Please wait a little before the next one.",
        count=services.RATE_LIMIT,
    )
    assert expected in response.context["form"].non_field_errors()
    assert Proposal.objects.count() == 3
    # a comment counts against the same limit
    response = client.post(
        url("comment-create", roadmap, measure.slug), {"netiquette": "on", "text": "Noch ein Kommentar"}
    )
    assert expected in messages_of(response)
    assert Comment.objects.count() == 2
    # an hour later it works again
    Proposal.objects.update(created_at=timezone.now() - timedelta(hours=2))
    Comment.objects.update(created_at=timezone.now() - timedelta(hours=2))
    assert client.post(url("proposal-create", roadmap), VALID).status_code == 302
    assert Proposal.objects.count() == 4


# --- Proposal detail and moderation invisibility ------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_pending_proposal_is_visible_only_to_author_and_editors(client, personas, roadmap, pending, persona):
    login(client, personas, persona)
    expected = 200 if persona in MODERATORS else 404
    assert client.get(pending.get_absolute_url()).status_code == expected
    assert client.get(url("proposal-list", roadmap)).content.decode().count(pending.title) == 0
    client.force_login(pending.author.user)
    assert client.get(pending.get_absolute_url()).status_code == 200
    assert pending.title in client.get(url("proposal-list", roadmap)).content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_publishing_makes_a_proposal_visible_to_everyone(client, personas, roadmap, pending, persona):
    services.proposal_moderate(proposal=pending, publish=True, by=personas.people["editor"])
    login(client, personas, persona)
    assert client.get(pending.get_absolute_url()).status_code == 200
    assert pending.title in client.get(url("proposal-list", roadmap)).content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_rejected_proposal_stays_hidden(client, personas, roadmap, pending, persona):
    services.proposal_moderate(proposal=pending, publish=False, reason="Doppelt", by=personas.people["editor"])
    login(client, personas, persona)
    assert client.get(pending.get_absolute_url()).status_code == (200 if persona in MODERATORS else 404)
    assert pending.title not in client.get(url("proposal-list", roadmap)).content.decode()


def test_proposal_detail_shows_support_and_published_measures_only(client, personas, roadmap, published):
    MeasureFactory(roadmap=roadmap, code="V-1", title="Fahrradstraßen umsetzen", origin_proposal=published)
    MeasureFactory(
        roadmap=roadmap, code="V-2", title="Noch nicht öffentlich", origin_proposal=published, published=False
    )
    ProposalSupport.objects.create(proposal=published, person=nf.PersonFactory())
    content = client.get(published.get_absolute_url()).content.decode()
    assert "Fahrradstraßen umsetzen" in content and "Noch nicht öffentlich" not in content
    assert published.author.name not in content  # citizens' names are not shown publicly
    assert reverse("account_login") in content
    personas.login(client, "editor")
    content = client.get(published.get_absolute_url()).content.decode()
    assert "Fahrradstraßen umsetzen" in content and "Noch nicht öffentlich" in content
    assert url("proposal-to-measure", roadmap, published.pk) in content


def test_proposal_of_another_roadmap_is_404(client, personas, roadmap, other_roadmap):
    foreign = ProposalFactory(roadmap=other_roadmap, status=Moderation.PUBLISHED)
    personas.login(client, "editor")
    assert client.get(url("proposal", roadmap, foreign.pk)).status_code == 404
    assert client.post(url("proposal-support", roadmap, foreign.pk)).status_code == 404
    assert (
        client.post(url("proposal-moderate", roadmap, foreign.pk), {"decision": "reject", "reason": "x"}).status_code
        == 404
    )
    assert client.post(url("proposal-to-measure", roadmap, foreign.pk), {"code": "X-1"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Moderation.PUBLISHED and not foreign.supports.exists() and not foreign.measures.exists()


MARKDOWN_ATTACK = (
    "Hallo <script>alert('x')</script> **fett**\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    '[Klick](javascript:alert(1)) <a href="javascript:alert(2)">hier</a>'
)


def test_list_shows_the_text_without_markdown_marks(client, roadmap):
    ProposalFactory(
        roadmap=roadmap, text="**Radwege** & <script>x()</script> [Karte](https://example.org)", status="published"
    )
    content = client.get(url("proposal-list", roadmap)).content.decode()
    assert "Radwege &amp; " in content and "Karte" in content
    assert "**" not in content and "<script>x()" not in content and "&amp;amp;" not in content


def test_markdown_is_sanitised(client, personas, roadmap, measure, author):
    proposal = ProposalFactory(roadmap=roadmap, author=author, text=MARKDOWN_ATTACK, status=Moderation.PUBLISHED)
    CommentFactory(measure=measure, author=author, text=MARKDOWN_ATTACK)
    pages = [client.get(proposal.get_absolute_url())]
    personas.login(client, "editor")
    ProposalFactory(roadmap=roadmap, author=author, text=MARKDOWN_ATTACK)
    pages.append(client.get(url("moderation", roadmap)))
    for response in pages:
        content = response.content.decode()
        assert "<strong>fett</strong>" in content
        assert "<script>alert" not in content
        assert "onerror" not in content
        assert "javascript:" not in content


# --- Support ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_support_permissions_and_once_per_person(client, personas, roadmap, published, persona):
    login(client, personas, persona)
    response = client.post(url("proposal-support", roadmap, published.pk))
    assert response.status_code == 302
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
        assert not ProposalSupport.objects.exists()
        return
    assert response["Location"] == published.get_absolute_url()
    assert ProposalSupport.objects.get().person == personas.people[persona]
    response = client.post(url("proposal-support", roadmap, published.pk))
    assert ProposalSupport.objects.count() == 1
    assert de("You already support this proposal; each person can support it once.") in messages_of(response)
    content = client.get(published.get_absolute_url()).content.decode()
    assert url("proposal-support", roadmap, published.pk) not in content


def test_unverified_citizen_cannot_support(client, roadmap, published, unverified):
    client.force_login(unverified.user)
    response = client.post(url("proposal-support", roadmap, published.pk))
    assert response.status_code == 302
    assert de("Please confirm your email address first: open the link in the email we sent you.") in messages_of(
        response
    )
    assert not ProposalSupport.objects.exists()


def test_pending_proposal_cannot_be_supported(client, personas, roadmap, pending):
    personas.login(client, "citizen")
    assert client.post(url("proposal-support", roadmap, pending.pk)).status_code == 404
    personas.login(client, "editor")  # editors see it, but it is not published
    response = client.post(url("proposal-support", roadmap, pending.pk))
    assert de("Only published proposals can be supported.") in messages_of(response)
    assert not ProposalSupport.objects.exists()


@pytest.mark.parametrize("path", ["proposal-support", "proposal-moderate", "proposal-to-measure"])
def test_state_changes_need_post(client, personas, roadmap, published, path):
    personas.login(client, "editor")
    assert client.get(url(path, roadmap, published.pk)).status_code == 405


# --- Comments -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_comment_create_permissions(client, personas, roadmap, measure, persona):
    login(client, personas, persona)
    response = client.post(
        url("comment-create", roadmap, measure.slug), {"netiquette": "on", "text": "Auch für Schulen?"}
    )
    assert response.status_code == 302
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
        assert not Comment.objects.exists()
        return
    comment = Comment.objects.get()
    assert response["Location"] == measure.get_absolute_url() + f"#comment-{comment.pk}"
    # the roadmap's editors (and staff) write official answers, published at once; everyone else waits
    official = persona in ("editor", "staff")
    expected = Moderation.PUBLISHED if official else Moderation.PENDING
    assert comment.author == personas.people[persona] and comment.status == expected and comment.official is official
    message = (
        "Your comment has been published as an official answer of the editorial team."
        if official
        else "Thank you! Your comment waits for approval by the editorial team and then appears on this page."
    )
    assert de(message) in messages_of(response)


@pytest.mark.parametrize("persona", PERSONAS)
def test_pending_comment_is_visible_only_to_author_and_editors(client, personas, measure, author, persona):
    comment = CommentFactory(measure=measure, author=author, text="Ein Kommentar im Wartestand")
    login(client, personas, persona)
    response = client.get(measure.get_absolute_url())
    assert response.status_code == 200
    assert (comment.text in response.content.decode()) is (persona in MODERATORS)
    client.force_login(author.user)
    assert comment.text in client.get(measure.get_absolute_url()).content.decode()
    services.comment_moderate(comment=comment, publish=True, by=personas.people["editor"])
    client.logout()
    login(client, personas, persona)
    assert comment.text in client.get(measure.get_absolute_url()).content.decode()


def test_measure_page_carries_the_comment_form(client, measure, author, unverified):
    action = url("comment-create", measure.roadmap, measure.slug)
    content = client.get(measure.get_absolute_url()).content.decode()
    assert action not in content and reverse("account_login") in content
    client.force_login(author.user)
    assert action in client.get(measure.get_absolute_url()).content.decode()
    client.force_login(unverified.user)
    content = client.get(measure.get_absolute_url()).content.decode()
    assert action not in content and reverse("account_email") in content


def test_comment_needs_verified_email_and_text(client, roadmap, measure, unverified, author):
    client.force_login(unverified.user)
    client.post(url("comment-create", roadmap, measure.slug), {"netiquette": "on", "text": "Hallo"})
    assert not Comment.objects.exists()
    client.force_login(author.user)
    for text in ["", "   ", "x" * 4001]:
        response = client.post(url("comment-create", roadmap, measure.slug), {"netiquette": "on", "text": text})
        assert response.status_code == 302
        assert any(m.startswith(de("Your comment could not be saved.")) for m in messages_of(response))
    assert not Comment.objects.exists()
    assert client.get(url("comment-create", roadmap, measure.slug)).status_code == 405


@pytest.mark.parametrize(
    ("persona", "status"),
    [("citizen", 404), ("member", 404), ("coordinator", 404), ("editor", 302), ("staff", 302)],
)
def test_no_comments_on_unpublished_measures(client, personas, roadmap, persona, status):
    hidden = MeasureFactory(roadmap=roadmap, published=False)
    login(client, personas, persona)
    assert (
        client.post(url("comment-create", roadmap, hidden.slug), {"netiquette": "on", "text": "Hallo"}).status_code
        == status
    )
    assert not Comment.objects.exists()


def test_comment_on_a_measure_of_another_roadmap_is_404(client, author, roadmap, other_roadmap):
    foreign = MeasureFactory(roadmap=other_roadmap)
    client.force_login(author.user)
    assert (
        client.post(url("comment-create", roadmap, foreign.slug), {"netiquette": "on", "text": "Hallo"}).status_code
        == 404
    )
    assert not Comment.objects.exists()


# --- Moderation queue ---------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), MODERATION_MATRIX)
def test_moderation_queue_permissions(client, personas, roadmap, pending, measure, persona, status):
    comment = CommentFactory(measure=measure, text="Ein wartender Kommentar")
    login(client, personas, persona)
    response = client.get(url("moderation", roadmap))
    assert response.status_code == (200 if status == 302 and persona != "anonymous" else status)
    if persona in MODERATORS:
        content = response.content.decode()
        assert pending.title in content and comment.text in content
        assert url("proposal-moderate", roadmap, pending.pk) in content
        assert url("comment-moderate", roadmap, comment.pk) in content


def test_editor_of_another_organisation_cannot_moderate(client, roadmap, pending):
    stranger = nf.OrganisationRoleFactory().person
    client.force_login(stranger.user)
    assert client.get(url("moderation", roadmap)).status_code == 403
    response = client.post(url("proposal-moderate", roadmap, pending.pk), {"decision": "publish"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Moderation.PENDING


def test_moderation_queue_is_oldest_first_and_shows_recent_decisions(client, personas, roadmap, author):
    old = ProposalFactory(roadmap=roadmap, title="Die älteste Idee")
    Proposal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    new = ProposalFactory(roadmap=roadmap, title="Die neueste Idee")
    done = ProposalFactory(roadmap=roadmap, title="Schon entschieden")
    services.proposal_moderate(proposal=done, publish=False, reason="Gibt es schon", by=personas.people["editor"])
    personas.login(client, "editor")
    content = client.get(url("moderation", roadmap)).content.decode()
    assert content.index(old.title) < content.index(new.title)
    assert "Gibt es schon" in content


def test_moderation_queue_queries_are_flat(client, personas, roadmap, measure, django_assert_num_queries):
    editor = personas.people["editor"]

    def grow(n):
        for _ in range(n):
            ProposalFactory(roadmap=roadmap)
            CommentFactory(measure=MeasureFactory(roadmap=roadmap))
            services.proposal_moderate(proposal=ProposalFactory(roadmap=roadmap), publish=True, by=editor)
            services.comment_moderate(comment=CommentFactory(measure=measure), publish=False, reason="x", by=editor)

    personas.login(client, "editor")
    grow(2)
    # session and account from the cache (no query); roadmap, editor check, 2 counts, pending proposals, pending
    # comments, recent proposals (with measure counts), recent comments; reported and confirmed-feedback counts
    # and their two lists
    with django_assert_num_queries(12):
        assert client.get(url("moderation", roadmap)).status_code == 200
    grow(10)
    with django_assert_num_queries(12):
        response = client.get(url("moderation", roadmap))
    assert len(response.context["pending_proposals"]) == 12 and len(response.context["pending_comments"]) == 12


@pytest.mark.parametrize(("persona", "status"), MODERATION_MATRIX)
def test_proposal_moderate_permissions(client, personas, roadmap, pending, persona, status):
    login(client, personas, persona)
    response = client.post(url("proposal-moderate", roadmap, pending.pk), {"decision": "publish"})
    assert response.status_code == status
    pending.refresh_from_db()
    assert (pending.status == Moderation.PUBLISHED) is (persona in MODERATORS)
    if persona in MODERATORS:
        assert response["Location"] == url("moderation", roadmap)
        assert pending.moderated_by == personas.people[persona]


@pytest.mark.parametrize(("persona", "status"), MODERATION_MATRIX)
def test_comment_moderate_permissions(client, personas, roadmap, measure, persona, status):
    comment = CommentFactory(measure=measure)
    login(client, personas, persona)
    response = client.post(
        url("comment-moderate", roadmap, comment.pk), {"decision": "reject", "reason": "Beleidigend"}
    )
    assert response.status_code == status
    comment.refresh_from_db()
    assert (comment.status == Moderation.REJECTED) is (persona in MODERATORS)
    if persona in MODERATORS:
        assert comment.rejection_reason == "Beleidigend"


def test_comment_of_another_roadmap_cannot_be_moderated_here(client, personas, roadmap, other_roadmap):
    foreign = CommentFactory(measure=MeasureFactory(roadmap=other_roadmap))
    personas.login(client, "editor")
    assert client.post(url("comment-moderate", roadmap, foreign.pk), {"decision": "publish"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Moderation.PENDING


@pytest.mark.parametrize(
    "data", [{"decision": "reject"}, {"decision": "reject", "reason": "   "}, {"decision": "maybe"}, {}]
)
def test_rejecting_without_a_reason_changes_nothing(client, personas, roadmap, pending, measure, data):
    comment = CommentFactory(measure=measure)
    personas.login(client, "editor")
    for response in [
        client.post(url("proposal-moderate", roadmap, pending.pk), data),
        client.post(url("comment-moderate", roadmap, comment.pk), data),
    ]:
        assert response.status_code == 302
        assert any(m.startswith(de("Nothing has been changed.")) for m in messages_of(response))
    pending.refresh_from_db()
    comment.refresh_from_db()
    assert pending.status == comment.status == Moderation.PENDING
    assert not OutboxMessage.objects.exists()


def test_the_author_gets_one_email_per_decision(client, personas, roadmap, pending, measure, author):
    personas.login(client, "editor")
    moderate = url("proposal-moderate", roadmap, pending.pk)
    client.post(moderate, {"decision": "reject", "reason": "Bitte genauer beschreiben"})
    client.post(moderate, {"decision": "reject", "reason": "Bitte genauer beschreiben"})  # a double click
    mails = OutboxMessage.objects.filter(recipient="buerger@example.org")
    assert mails.count() == 1
    mail = mails.get()
    assert mail.reason == "proposal_moderated"
    assert "Bitte genauer beschreiben" in mail.body_text and "Bitte genauer beschreiben" in mail.body_html
    assert pending.get_absolute_url() in mail.body_text
    client.post(moderate, {"decision": "publish"})
    assert mails.count() == 2
    assert pending.title in mails.latest("pk").subject
    comment = CommentFactory(measure=measure, author=author)
    client.post(url("comment-moderate", roadmap, comment.pk), {"decision": "publish"})
    assert mails.filter(reason="comment_moderated").count() == 1
    assert measure.get_absolute_url() in mails.get(reason="comment_moderated").body_text
    assert not OutboxMessage.objects.exclude(recipient="buerger@example.org").exists()


@pytest.mark.parametrize("published_", [True, False])
@pytest.mark.parametrize("kind", ["proposal", "comment"])
def test_moderation_emails_render_in_both_languages(roadmap, measure, author, kind, published_):
    from networks.outbox import outbox_render

    if kind == "proposal":
        item = ProposalFactory(roadmap=roadmap, author=author, title="Bäume", rejection_reason="Doppelt")
    else:
        item = CommentFactory(measure=measure, author=author, text="Mein Kommentar", rejection_reason="Doppelt")
    for language in ["de", "en"]:
        subject, text, html = outbox_render(
            template=f"{kind}_moderated",
            context={"item": item, "roadmap": roadmap, "person": author, "published": published_},
            language=language,
        )
        assert subject and "\n" not in subject
        assert author.name in text and author.name in html
        assert ("Doppelt" in text) is (not published_)
        assert "http" in text and 'href="http' in html


# --- Proposal to measure ------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), MODERATION_MATRIX)
def test_proposal_to_measure_permissions(client, personas, roadmap, published, persona, status):
    login(client, personas, persona)
    response = client.post(url("proposal-to-measure", roadmap, published.pk), {"code": "B-07"})
    assert response.status_code == status
    assert Measure.objects.exists() is (persona in MODERATORS)
    if persona in MODERATORS:
        measure = Measure.objects.get()
        assert response["Location"] == url("measure-edit", roadmap, measure.pk)
        assert measure.origin == Measure.Origin.PROPOSAL and measure.origin_proposal == published
        assert measure.title == published.title and measure.sector == published.sector
        assert not measure.published
        assert measure.history.get().history_user == personas.user(persona)


@pytest.mark.parametrize("code", ["", "x" * 21, "M-01"])
def test_proposal_to_measure_bad_code_changes_nothing(client, personas, roadmap, measure, published, code):
    personas.login(client, "editor")
    response = client.post(url("proposal-to-measure", roadmap, published.pk), {"code": code})
    assert response.status_code == 302 and response["Location"] == published.get_absolute_url()
    assert any(m.startswith(de("No measure has been created.")) for m in messages_of(response))
    assert Measure.objects.count() == 1  # only the fixture's M-01


def test_pending_proposal_cannot_become_a_measure(client, personas, roadmap, pending):
    personas.login(client, "editor")
    response = client.post(url("proposal-to-measure", roadmap, pending.pk), {"code": "B-08"})
    assert de("Only published proposals can become measures.") in " ".join(messages_of(response))
    assert not Measure.objects.exists()


# --- Markdown, rendered once when saved (networks.markdown) -------------------------------------

TOO_DEEP = de("Lists, quotations and emphases are nested too deeply: at most %(limit)s levels are possible.", limit=20)


def test_pages_serve_the_html_stored_with_the_text(client, personas, roadmap, measure, author, monkeypatch):
    text = "**Radwege** für [alle](https://example.org/radwege)"
    proposal = services.proposal_submit(
        roadmap=roadmap, author=author, title="Radwege", sector=Sector.MOBILITY, text=text, netiquette=True
    )
    comment = services.comment_submit(measure=measure, author=author, text=text)
    for item in (proposal, comment):
        assert item.text_html == (
            '<p><strong>Radwege</strong> für <a href="https://example.org/radwege" '
            'rel="nofollow ugc noopener noreferrer">alle</a></p>\n'
        )
    monkeypatch.setattr(markdown, "render", lambda *args, **kwargs: pytest.fail("Markdown rendered while serving"))
    personas.login(client, "editor")
    queue = client.get(url("moderation", roadmap)).content.decode()
    assert queue.count("<strong>Radwege</strong>") == 2  # the proposal and the comment
    services.proposal_moderate(proposal=proposal, publish=True, reason="", by=personas.people["editor"])
    services.comment_moderate(comment=comment, publish=True, reason="", by=personas.people["editor"])
    client.logout()
    assert "<strong>Radwege</strong>" in client.get(proposal.get_absolute_url()).content.decode()
    assert "<strong>Radwege</strong>" in client.get(measure.get_absolute_url()).content.decode()
    assert "Radwege für alle" in client.get(url("proposal-list", roadmap)).content.decode()  # the excerpt: text


def test_a_comment_nested_too_deeply_is_refused_with_a_clear_error(client, roadmap, measure, author):
    client.force_login(author.user)
    response = client.post(
        url("comment-create", roadmap, measure.slug), {"netiquette": "on", "text": "> " * 21 + "tief"}
    )
    assert response.status_code == 302
    assert " ".join([de("Your comment could not be saved."), TOO_DEEP]) in messages_of(response)
    assert not Comment.objects.exists()


def test_a_refused_comment_keeps_its_text_in_the_form_once(client, roadmap, measure, author):
    # issue 14 §4: nothing typed is dropped; the refusal redirects to the measure page, whose form holds the text
    client.force_login(author.user)
    text = "Mein langer Hinweis <zum> Radweg\n\n" + "> " * 21 + "tief"
    response = client.post(url("comment-create", roadmap, measure.slug), {"netiquette": "on", "text": text})
    assert response.status_code == 302
    form = client.get(measure.get_absolute_url()).context["comment_text"]
    assert form == text
    content = client.get(measure.get_absolute_url()).content.decode()
    assert "Mein langer Hinweis" not in content  # shown once: the next visit starts empty
    client.post(url("comment-create", roadmap, measure.slug), {"netiquette": "on", "text": text})
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Mein langer Hinweis &lt;zum&gt; Radweg" in page  # in the textarea, escaped
    assert not Comment.objects.exists()


def test_a_proposal_nested_too_deeply_is_a_form_error_that_keeps_the_text(client, roadmap, author):
    client.force_login(author.user)
    text = "- " * 21 + "tief"
    response = client.post(url("proposal-create", roadmap), {**VALID, "text": text})
    assert response.status_code == 400
    assert response.context["form"].errors["text"] == [TOO_DEEP]
    assert response.context["form"]["text"].value() == text
    assert not Proposal.objects.exists()


def test_the_migration_renders_the_proposals_and_comments_stored_before(roadmap, measure):
    proposal = ProposalFactory(roadmap=roadmap, text="*Idee*")
    comment = CommentFactory(measure=measure, text="# Laut")
    Proposal.objects.update(text_html="")
    Comment.objects.update(text_html="")
    importlib.import_module("measures.migrations.0004_markdown_html").render_stored(apps, None)
    proposal.refresh_from_db()
    comment.refresh_from_db()
    assert proposal.text_html == "<p><em>Idee</em></p>\n" and comment.text_html == "<p>Laut</p>\n"
