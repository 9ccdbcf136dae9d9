"""Posting a drawn submission and judging the answer: never a 500, a rejected submission changes nothing,
an accepted one leaves only valid objects behind."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django import forms
from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.db import connection, transaction
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.fuzz.strategies import PDF, field_kind

APPS = ("networks", "events", "measures", "monitoring", "account")


@dataclass
class FieldSpec:
    name: str  # as posted, with the form's prefix
    kind: str
    valid: object = None  # a value the field accepts (None: none known, the field is only ever fuzzed)
    choices: list = field(default_factory=list)


@dataclass
class Endpoint:
    """One form page or action: who posts what where."""

    url_name: str
    persona: str
    url: Callable  # world -> path
    forms: Callable = lambda w: []  # world -> unbound forms / formsets / filtersets whose fields are posted
    covers: tuple = ()  # the form and filterset classes this endpoint fuzzes (the registry test reads them)
    method: str = "post"
    extra: dict = field(default_factory=dict)  # raw request.POST/GET keys the view reads itself: name -> valid
    valid: dict = field(default_factory=dict)  # valid values by posted name, where the default guess is wrong
    hook: Callable | None = None  # (data, draw) -> data: e.g. the digest of an uploaded import file
    skip_clean: tuple = ()  # model labels whose rows an accepted submission may leave failing full_clean
    note: str = ""

    @property
    def id(self) -> str:
        keys = "+".join(self.extra) if not self.covers and self.extra else ""
        return f"{self.url_name}[{self.method}{'-' + keys if keys else ''}]"


def default_valid(name: str, f: forms.Field, kind: str):
    today = timezone.localdate()
    if kind == "text":
        limit = getattr(f, "max_length", None) or 30
        return ("Fuzz " + name.rsplit("-", 1)[-1])[:limit]
    if kind == "email":
        return "fuzz.neu@example.org"
    if kind == "url":
        return "https://example.org/fuzz"
    if kind == "number" and "year" in name:
        return "2019" if "baseline" in name else "2040"
    if kind == "number":
        low, high = getattr(f, "min_value", None), getattr(f, "max_value", None)
        value = 3
        if low is not None:
            value = max(value, low)
        if high is not None:
            value = min(value, high)
        return str(value)
    if kind == "date":
        return today.isoformat()
    if kind == "datetime":
        return (timezone.localtime() + timedelta(days=30)).replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M")
    if kind == "time":
        return "10:00"
    if kind == "bool":
        return "on"
    if kind == "yearlines":
        return "2030: 45,5"
    if kind == "file":
        return PDF
    if kind in ("choice", "multi", "model", "multi_model"):
        choices = [str(v) for v, _label in getattr(f, "choices", []) if str(v) != ""]
        if not choices:
            return None
        return [choices[0]] if kind.startswith("multi") else choices[0]
    return None


def current_value(bound):
    """What the page would send back unchanged for a field of an edit form (None: nothing)."""
    value = bound.value()
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(item.pk if hasattr(item, "pk") else item) for item in value]
    if isinstance(value, date | time):
        return bound.field.widget.format_value(value)
    return str(value)


def field_specs(endpoint: Endpoint, world) -> list[FieldSpec]:
    specs: list[FieldSpec] = []

    def add_form(form):
        for name, f in form.fields.items():
            posted = form.add_prefix(name)
            kind = field_kind(f)
            choices = [str(v) for v, _l in getattr(f, "choices", []) if str(v) != ""] if kind != "file" else []
            current = current_value(form[name])
            if posted in endpoint.valid:
                valid = endpoint.valid[posted]
                valid = valid(world) if callable(valid) else valid
            elif current is not None or kind == "bool" and form.initial.get(name) is False:
                valid = current
            else:
                valid = default_valid(posted, f, kind)
            specs.append(FieldSpec(posted, kind, valid, choices[:20]))

    for item in endpoint.forms(world):
        if isinstance(item, BaseFormSet):
            add_form(item.management_form)
            for form in item.forms:
                add_form(form)
        elif hasattr(item, "form") and not isinstance(item, forms.BaseForm):  # a django-filter FilterSet
            add_form(item.form)
        else:
            add_form(item)
    for name, valid in endpoint.extra.items():
        specs.append(FieldSpec(name, "text", valid))
    return specs


# --- Snapshots ------------------------------------------------------------------------------------


def watched_models():
    models = []
    for label in APPS:
        try:
            models += list(apps.get_app_config(label).get_models())
        except LookupError:
            continue
    return models


IGNORED_COLUMNS = {"last_login"}  # set when the personas sign in (tests.helpers.PersonaSessions)
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


def _rows(model) -> dict:
    """pk -> the row's values (a plain SELECT: the ORM's query building took half the fuzzer's time)."""
    quote = connection.ops.quote_name
    columns = [f.column for f in model._meta.concrete_fields if f.attname not in IGNORED_COLUMNS]
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = f"SELECT {pk}, {', '.join(map(quote, columns))} FROM {table}"  # noqa: S608 - the models' own names
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0]: row[1:] for row in cursor.fetchall()}


def snapshot(models=None) -> dict:
    """Every row of every model of the portal's apps (and accounts, e-mail addresses), or of ``models`` only:
    model -> pk -> values."""
    return {model: _rows(model) for model in (watched_models() if models is None else models)}


def differences(before: dict, after: dict) -> dict:
    """model -> (created pks, changed pks, deleted pks), only for models that changed (of those in ``after``)."""
    out = {}
    for model, new in after.items():
        old = before[model]
        created = set(new) - set(old)
        deleted = set(old) - set(new)
        changed = {pk for pk in set(old) & set(new) if old[pk] != new[pk]}
        if created or deleted or changed:
            out[model] = (created, changed, deleted)
    return out


def describe(diff: dict) -> str:
    parts = [f"{m._meta.label}: +{sorted(c)[:5]} ~{sorted(ch)[:5]} -{sorted(d)[:5]}" for m, (c, ch, d) in diff.items()]
    return "; ".join(parts)


# --- One example ----------------------------------------------------------------------------------


def shorten(data) -> str:
    if isinstance(data, bytes):
        return repr(data[:300])
    parts = []
    for key, value in data.items():
        text = repr(value)
        parts.append(f"{key!r}: {text[:120]}{'…' if len(text) > 120 else ''}")
    return "{" + ", ".join(parts) + "}"


def rejected(response) -> bool:
    """Sent back (400, 403, 404, a form page with errors) or redirected with an error message only."""
    if response.status_code != 302:
        return True
    levels = {m.level for m in get_messages(response.wsgi_request)}
    return bool(levels) and levels <= {constants.ERROR}


def check_valid_objects(diff: dict, skip: tuple) -> list[str]:
    problems = []
    for model, (created, changed, _deleted) in diff.items():
        if model._meta.label in skip or model._meta.auto_created or model.__name__.startswith("Historical"):
            continue
        for obj in model._base_manager.filter(pk__in=created | changed):
            try:
                obj.full_clean()
            except Exception as error:  # noqa: BLE001 - report any failure with the object
                problems.append(f"{model._meta.label} #{obj.pk}: {error!r}"[:500])
    return problems


def written_tables(queries) -> set[str]:
    """The tables an INSERT, UPDATE or DELETE went to (also those rolled back by a savepoint later)."""
    return {match[1] for query in queries if (match := WRITE.match(query["sql"]))}


def send(client, endpoint: Endpoint, path: str, data):
    if isinstance(data, bytes):
        return client.generic(endpoint.method.upper(), path, data, content_type="application/x-www-form-urlencoded")
    if endpoint.method == "get":
        return client.get(path, data)
    return client.post(path, data)


def run_example(endpoint: Endpoint, world, data, before: dict) -> None:
    """Post ``data`` as the endpoint's persona, inside a savepoint that is rolled back afterwards.

    ``before`` is the snapshot of the world (the same at the start of every example); afterwards only the tables
    the request wrote to are read again (a table without an INSERT, UPDATE or DELETE has not changed)."""
    with transaction.atomic():
        try:
            client = Client(raise_request_exception=False)
            world.sessions.use(client, endpoint.persona)
            path = endpoint.url(world)
            capture = CaptureQueriesContext(connection)
            try:
                with capture:
                    response = send(client, endpoint, path, data)
            except Exception:  # noqa: BLE001 - outside the handler: still a crash to report
                raise AssertionError(
                    f"{endpoint.id}: exception for {shorten(data)}\n{traceback.format_exc()}"
                ) from None
            if response.status_code >= 500:
                exc = getattr(response, "exc_info", None)
                trace = "".join(traceback.format_exception(*exc)) if exc else ""
                raise AssertionError(f"{endpoint.id}: status {response.status_code} for {shorten(data)}\n{trace}")
            written = written_tables(capture.captured_queries)
            diff = differences(before, snapshot([model for model in before if model._meta.db_table in written]))
            if endpoint.method == "get" or rejected(response):
                assert not diff, (
                    f"{endpoint.id}: answered {response.status_code} (rejected) but changed rows: "
                    f"{describe(diff)} for {shorten(data)}"
                )
            else:
                problems = check_valid_objects(diff, endpoint.skip_clean)
                assert not problems, f"{endpoint.id}: accepted {shorten(data)} left invalid objects: {problems}"
        finally:
            transaction.set_rollback(True)
            world.sessions.forget(endpoint.persona)
