"""The funding radar as a new user tries it (issue 17 "Done when"), in a real Chromium, on the demo portal.

The Düren editor opens the roadmap's editors' page: the funding radar lists the measures whose funding is missing
with the programmes that fit them (real programmes, marked as example data); from there the measure's funding
page shows every fitting programme with its next deadline. The daily reminder task then runs twice: the
measure's responsible person gets each reminder (six or two weeks ahead) exactly once.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.helpers import SCREENSHOTS, assert_clean, log_in, phone_screenshot

pytestmark = pytest.mark.browser

ROADMAP = "/klima-roadmaps/klima-roadmap-kreis-dueren/"


def _measure_with_a_deadline_soon():
    """A Düren measure with missing funding, a responsible person and a fitting call within six weeks."""
    from measures.funding.matching import ProgrammeIndex, candidates

    today = timezone.localdate()
    index = ProgrammeIndex.build(today)
    for measure in candidates().filter(roadmap__slug=ROADMAP.split("/")[2], responsible_person__user__is_active=True):
        near = [f for f in index.fits_for(measure) if f.call and f.call.deadline <= today + timedelta(days=42)]
        if measure.funding_status == "" and near:
            return measure, near
    raise AssertionError("the demo has no Düren measure with missing funding and a call within six weeks")


@pytest.mark.django_db(transaction=True)
def test_a_measure_with_missing_funding_shows_fitting_programmes_and_one_reminder(browsing, demo_data):
    from measures.funding import tasks
    from networks.models import OutboxMessage

    measure, near = _measure_with_a_deadline_soon()
    page = browsing.page
    log_in(browsing, "dueren.redaktion@example.org")
    page.goto(browsing.url(ROADMAP + "redaktion/"))
    radar = page.locator("#funding-radar")
    assert radar.locator("tbody tr").count() >= 3
    radar.locator(f"a[href$='/foerderprogramme/massnahmen/{measure.roadmap.slug}/{measure.pk}/']").click()
    page.wait_for_url(f"**/foerderprogramme/massnahmen/{measure.roadmap.slug}/{measure.pk}/")
    fits = page.locator("ul.funding-fits > li")
    assert fits.count() >= len(near)
    assert page.locator(f"ul.funding-fits a[href$='/foerderprogramme/{near[0].programme.slug}/']").count() == 1
    assert page.locator("ul.funding-fits .badge-demo").count() >= 1  # the calls are example data, and say so
    if SCREENSHOTS.exists():
        page.screenshot(path=str(SCREENSHOTS / "funding-measure.png"), full_page=True)
    phone_screenshot(page, "funding-measure")
    assert_clean(browsing)

    tasks.reminders_send()
    tasks.reminders_send()  # the beat task runs again: nothing new
    mails = OutboxMessage.objects.filter(
        reason="funding_call_reminder", object_id__endswith=f":measure:{measure.pk}"
    ).values_list("recipient", "object_id", "occasion")
    assert len(mails) == len(set(mails)) >= len(near)
    assert {recipient for recipient, _, _ in mails} == {measure.responsible_person.user.email.lower()}
