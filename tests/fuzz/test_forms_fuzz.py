"""Hypothesis-driven fuzzing of every form of the portal (issue 6 §2): never a 500, never a half-written change.

Each endpoint below is posted (or, for filters, requested) as the persona allowed to use it, with drawn
submissions: huge strings (100,000 characters), right-to-left text, emoji, NUL bytes, whitespace only,
numbers like 1e309, NaN, -0, 1.234,5 and forty nines, dates like 2026-02-30, 0000-00-00 and 31.12.99999,
times that do not exist in Europe/Berlin, wrong choices and ids, files of the wrong type, missing and repeated
fields, and url-encoded bodies of arbitrary bytes (invalid UTF-8). For every submission:

- the status is below 500 (and no exception escapes);
- a rejected submission (4xx, a form page, or a redirect with only error messages) changes no row of any
  table of the four apps, the accounts or e-mail addresses (compared row by row before and after);
- an accepted submission leaves only objects that pass ``full_clean()``.

Each example runs in a savepoint that is rolled back, so every example starts from the same small world
(tests/fuzz/conftest.py). Profiles: HYPOTHESIS_PROFILE=ci (default, derandomised, FUZZ_EXAMPLES=6 per
endpoint) or local (200 per endpoint, random seed).

A new form, FilterSet or URL in the apps fails ``test_every_form_is_fuzzed`` / ``test_every_url_is_listed``
until it is added to tests/fuzz/endpoints.py (and to this table).

Inventory (URL name · method · persona · forms · raw request keys read by the view):

| URL name | method | persona | forms / filters | raw keys |
|---|---|---|---|---|
| networks:profile | POST | member | ProfileForm, ExpertiseForm | – |
| networks:profile | POST | citizen | CitizenProfileForm | – |
| networks:verification-resend | POST | anonymous | ResendForm | – |
| networks:affiliation-change | POST | member | AffiliationForm | – |
| networks:affiliation-decide | POST | editor | AffiliationDecisionForm | – |
| networks:account-delete | POST | citizen | AccountDeleteForm | – |
| networks:network-edit | POST | coordinator | NetworkForm | – |
| networks:membership-list | POST | coordinator | MembershipAddForm | – |
| networks:invitation-create | POST | coordinator | InvitationForm | – |
| networks:member-import | POST | coordinator | MemberImportForm | action |
| networks:member-import | POST | coordinator | MemberImportConfirmForm | action |
| networks:role-change | POST | coordinator | RoleChangeForm | – |
| networks:working-group-create | POST | coordinator | WorkingGroupForm | – |
| networks:working-group-edit | POST | coordinator | WorkingGroupForm | – |
| networks:campaign-create | POST | coordinator | CampaignForm | – |
| networks:campaign-edit | POST | coordinator | CampaignForm | – |
| networks:member-list | GET | member | MemberDirectoryFilter | page |
| networks:expertise-search | GET | member | ExpertiseSearchFilter | page |
| account_signup | POST | anonymous | SignupExtraForm | email, password1, password2 |
| signin:start | POST | anonymous | StartForm | next |
| admin:signin_provider_add | POST | staff | ProviderForm | – |
| mfa_login_webauthn | POST | anonymous | LoginPasskeyForm | – |
| mfa_add_webauthn | POST | member | AddPasskeyForm | – |
| mfa_reauthenticate_webauthn | POST | member | ReauthenticatePasskeyForm | – |
| mfa_authenticate | POST | anonymous | AuthenticatePasskeyForm | – |
| mfa_edit_webauthn | POST | member | RenamePasskeyForm | – |
| events:event-list | GET | anonymous | EventFilter, EventFilterForm | page |
| events:network-calendar | GET | member | CalendarViewForm | page |
| networks:mail-settings | POST | member | MailSettingsForm | – |
| events:event-create | POST | coordinator | EventForm, AgendaItemForm | thread |
| events:event-edit | POST | coordinator | EventForm, AgendaItemForm | – |
| events:event-cancel | POST | coordinator | EventCancelForm | – |
| events:series-create | POST | coordinator | SeriesForm | – |
| events:series-edit | POST | coordinator | SeriesChangeForm | – |
| events:series-cancel | POST | coordinator | SeriesCancelForm | – |
| events:minutes-edit | POST | coordinator | MinutesForm | – |
| events:outcome-create | POST | coordinator | OutcomeForm | – |
| events:document-upload | POST | coordinator | DocumentForm | – |
| events:action-items | GET | member | ActionItemFilterForm | page |
| events:action-item-status | POST | member | ActionItemStatusForm | back |
| events:action-item-create | POST | coordinator | ActionItemForm | thread |
| events:outcome-edit | POST | coordinator | OutcomeEditForm | – |
| events:outcome-comment | POST | member | TaskCommentForm | – |
| events:attendance | POST | coordinator | AttendanceForm | – |
| networks:membership-request | POST | citizen | MembershipRequestForm | – |
| events:guest-register | POST | anonymous | GuestRegistrationForm, ModeForm | – |
| events:walk-in-add | POST | coordinator | WalkInForm | – |
| events:question-create | POST | member | QuestionForm | – |
| events:question-answer | POST | coordinator | AnswerForm | – |
| events:question-edit | POST | member | QuestionForm | – |
| events:question-remove | POST | coordinator | QuestionRemoveForm | – |
| events:faq | GET | member | FaqFilter | page |
| measures:roadmap-create | POST | editor | RoadmapForm | – |
| measures:roadmap-edit | POST | editor | RoadmapForm | – |
| measures:measure-create | POST | editor | MeasureForm | – |
| measures:measure-edit | POST | editor | MeasureForm | – |
| measures:milestones-edit | POST | editor | MilestoneForm | – |
| measures:measure-links | POST | editor | MeasureLinkForm | – |
| measures:measure-contact | POST | citizen | ContactForm | – |
| measures:update-create | POST | editor | UpdateForm | – |
| measures:bulk-status | POST | editor | BulkStatusForm | – |
| measures:measure-import | POST | editor | ImportForm, MeasureRowForm | action |
| measures:measure-import | POST | editor | ImportConfirmForm | action |
| measures:editor-dashboard | GET | editor | MeasureTableFilter | page |
| measures:measure-list | GET | anonymous | MeasureFilter, MeasureFilterForm | page |
| measures:participate | GET | anonymous | ParticipateFilterForm | page |
| measures:roadmap-participate | GET | anonymous | ParticipateFilterForm | page |
| measures:proposal-list | GET | anonymous | ProposalFilter | page |
| measures:proposal-create | POST | citizen | ProposalForm | – |
| measures:comment-create | POST | citizen | CommentForm | – |
| measures:proposal-moderate | POST | editor | ModerationForm | – |
| measures:comment-moderate | POST | editor | ModerationForm | – |
| measures:proposal-to-measure | POST | editor | ProposalToMeasureForm | – |
| measures:proposal-comment-create | POST | citizen | CommentForm | – |
| measures:comment-report | POST | citizen | ReportForm | – |
| measures:proposal-answer | POST | editor | ProposalAnswerForm | – |
| measures:follow-roadmap | POST | citizen | FollowForm | – |
| measures:follow-measure | POST | citizen | FollowForm | – |
| measures:follow-proposal | POST | citizen | FollowForm | – |
| measures:follows | POST | citizen | FollowForm | follow |
| measures:feedback-create | POST | anonymous | FeedbackForm | – |
| measures:feedback-moderate | POST | editor | ModerationForm | – |
| measures:phases | POST | editor | PhaseForm | – |
| measures:pledge-edit | POST | coordinator | PledgeForm | – |
| measures:pledge-report | POST | coordinator | PledgeReportForm | – |
| monitoring:indicator-create | POST | editor | IndicatorForm | – |
| monitoring:indicator-edit | POST | editor | IndicatorForm | – |
| monitoring:values-entry | POST | editor | ValueRowForm | – |
| monitoring:values-entry | GET | editor | YearForm | – |
| monitoring:values-import | POST | editor | UploadForm | action, vorlage |
| monitoring:balance | POST | editor | SectorRowForm | – |
| monitoring:balance | GET | editor | YearForm | – |
| monitoring:balance-import | POST | editor | UploadForm | action |
| monitoring:path-edit | POST | editor | PathForm | – |
| monitoring:heat-planning-edit | POST | editor | HeatPlanningForm | – |
| monitoring:strategy-edit | POST | editor | StrategyForm | – |
| comparison:comparison | GET | anonymous | PeerGroupForm | – |
| comparison:consent | POST | editor | ConsentForm | – |
| comparison:key-data | POST | editor | KeyDataForm | – |
| monitoring:report-create | POST | editor | ReportRequestForm | – |
| monitoring:report-create | GET | editor | – | roadmap |
| monitoring:report-create | GET | editor | – | organisation |
| monitoring:report-create | GET | coordinator | – | network |
| monitoring:report-publish | POST | editor | – | publish |
| monitoring:report-schedule | POST | editor | ReportScheduleForm | – |
| monitoring:health | GET | coordinator | – | sortierung |
"""

from __future__ import annotations

import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from hypothesis import given

from tests.fuzz.endpoints import ENDPOINTS, NOT_FUZZED, READ_ONLY, ROOM_MODULES, ROOMS
from tests.fuzz.engine import differences, field_specs, rejected, run_example, snapshot, written_tables
from tests.fuzz.strategies import submission

APPS = ("networks", "events", "measures", "monitoring")
URL_NAMESPACES = (*APPS, *ROOMS, "seo")  # seo: measures.seo_urls (preview images, feed)
URL_NAMESPACES += ("comparison",)  # monitoring.comparison (issue 17 §2)
URL_NAMESPACES += ("apitokens",)  # the profile's API tokens (the fuzz room "api"; issue 18 §1)
URL_NAMESPACES += ("signin",)  # an organisation's own sign-in, its address step (issue 19 §5)
APPS += ("api",)  # its forms (the token form); its URLs are the namespace apitokens

# Base classes that are never used on their own (their subclasses are fuzzed).
ABSTRACT = {"networks.forms.NetworkScopedForm"}


def _import_apps() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, app + "."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)


def _subclasses(root) -> set[type]:
    found, todo = set(), [root]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in APPS:
                found.add(sub)
    return found


def _label(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def test_every_form_is_fuzzed():
    _import_apps()
    defined = {_label(c) for c in _subclasses(forms.BaseForm) | _subclasses(django_filters.FilterSet)} - ABSTRACT
    covered = {_label(c) for endpoint in ENDPOINTS for c in endpoint.covers}
    assert not defined - covered, f"forms without a fuzz entry in tests/fuzz/endpoints.py: {sorted(defined - covered)}"
    assert not covered - defined, f"fuzz entries for forms that no longer exist: {sorted(covered - defined)}"


def _app_url_names() -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns:
        for inner in getattr(pattern, "url_patterns", []):
            namespace = getattr(inner, "namespace", None)
            if namespace in URL_NAMESPACES:
                names |= {f"{namespace}:{p.name}" for p in inner.url_patterns if p.name}
    return names


def test_every_url_is_listed():
    names = _app_url_names()
    # the API's operations are walked by Schemathesis (tests/api/test_schema.py); one of them is here for its filter
    # the admin's forms (networks.signin's provider form) are fuzzed without the admin being an app namespace here
    listed = {e.url_name for e in ENDPOINTS if ":" in e.url_name and not e.url_name.startswith(("api:", "admin:"))}
    listed |= set(NOT_FUZZED) | READ_ONLY
    assert names, "no URL patterns found"
    assert not names - listed, f"URLs neither fuzzed nor listed in tests/fuzz/endpoints.py: {sorted(names - listed)}"
    assert not listed - names, f"listed URLs that no longer exist: {sorted(listed - names)}"


def test_inventory_table_is_complete():
    for endpoint in ENDPOINTS:
        row = f"| {endpoint.url_name} | {endpoint.method.upper()} |"
        documented = __doc__ + "".join(module.__doc__ for module in ROOM_MODULES)
        assert row in documented, f"{endpoint.id} is missing from the table in this module's docstring"


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # 100 kB reprs of huge values
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.id for e in ENDPOINTS])
def test_fuzz(endpoint, world):
    specs = field_specs(endpoint, world)
    before = snapshot()

    @given(data=submission(specs, endpoint.hook))
    def run(data):
        run_example(endpoint, world, data, before)

    run()


def test_the_checks_see_a_change(world, client):
    """The machinery is not vacuous: a valid edit is accepted, its write is seen and its row differs."""
    endpoint = next(e for e in ENDPOINTS if e.url_name == "networks:network-edit")
    data = {spec.name: spec.valid for spec in field_specs(endpoint, world) if spec.valid is not None}
    data["name"] = "Klima.Taten.Team Westpfalz (neu)"
    before = snapshot()
    client.force_login(world.user("coordinator"))
    with CaptureQueriesContext(connection) as capture:
        response = client.post(endpoint.url(world), data)
    assert response.status_code == 302 and not rejected(response)
    assert "networks_network" in written_tables(capture.captured_queries)
    diff = differences(before, snapshot())
    assert sorted(model.__name__ for model in diff) == ["HistoricalNetwork", "Network"]


def test_ids_out_of_every_databases_range_are_refused_cleanly(world):
    """Every field that takes ids (a choice of objects, one or several) gets one beyond 64 bits, alone and
    beside a valid one, in an otherwise valid submission: a form error or 4xx, never a 500, nothing written
    (SQLite raised OverflowError for ``pk__in`` before networks.lookups)."""
    huge, negative = "9" * 30, "-" + "9" * 30
    tried = 0
    for endpoint in ENDPOINTS:
        specs = field_specs(endpoint, world)
        ids = [spec for spec in specs if spec.kind in ("model", "multi_model")]
        if not ids:
            continue
        tried += 1
        base = {spec.name: spec.valid for spec in specs if spec.valid is not None and spec.kind != "file"}
        before = snapshot()  # the same before every example (each is rolled back)
        for spec in ids:
            valid = spec.valid if isinstance(spec.valid, list) else [spec.valid] if spec.valid else []
            for value in ([huge], [*valid, huge], [negative]) if spec.kind == "multi_model" else (huge, negative):
                data = {**base, spec.name: value}
                run_example(endpoint, world, data, before)
    assert tried >= 5, tried
