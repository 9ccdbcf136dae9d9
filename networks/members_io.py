"""Coordinators' member lists as spreadsheets: the export of a network's people and member organisations (CSV and
XLSX), and the import of people, who are invited to the network.

Export: what coordinators already see on the people page (name, organisation, job title, role, the account's
email address, since when) and on the member-organisation page (name, kind, AGS, population, state, member
since). Never what the profile keeps from coordinators (phone numbers, expertise notes, contact settings). The
municipality key (AGS) is a text cell (``tabular.TextCell``: text in the XLSX, quoted in the CSV); dates follow
the exports' one rule (``tabular.date_text``: 01.03.2021 in the CSV, date cells shown so in the XLSX).

Import: one row per person (``name``, ``email``, ``organisation``, ``role``; English or German headers; the
export's other columns are ignored, so an export imports back). ``read_rows`` reads the file into plain rows,
``check`` says per row what would happen (invite, already a member, already invited) or why it cannot, and
``run`` checks again inside one transaction (the network's row locked, so two imports of one network take turns)
and sends the invitations through ``services.invitation_create`` only when every row is valid, each with the
row's name and the organisation of the portal the row names (matched by name, case aside). Between the preview
and the confirmation the rows travel as a signed payload (``sign``/``unsign``): the server made it, the client
cannot alter it, it expires, and ``run`` validates every row again against the database as it is then.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks import access, services, tabular
from networks.models import Network, NetworkRole, Organisation, Person, User
from networks.tabular import ImportFileError, Preview, cell_text, normalise

MAX_BYTES = 1024 * 1024
MAX_ROWS = 500  # people per file: each becomes an email
NAME_MAX, ORGANISATION_MAX, EMAIL_MAX, MESSAGE_MAX = 150, 200, 254, 2000
SIGNING_SALT = "networks.members_io"
PAYLOAD_MAX_AGE = 60 * 60  # seconds between the preview and the confirmation

INVITE, MEMBER, INVITED = "invite", "member", "invited"
ACTION_LABELS = {
    INVITE: gettext_lazy("will be invited"),
    MEMBER: gettext_lazy("is already a member"),
    INVITED: gettext_lazy("has already been invited"),
}


@dataclass(frozen=True)
class Column:
    key: str
    en: str
    de: str
    aliases: tuple[str, ...] = ()
    importable: bool = True
    required: bool = False

    def header(self, language: str | None = None) -> str:
        language = language or translation.get_language() or "de"
        return self.de if language.startswith("de") else self.en


PEOPLE_COLUMNS = (
    Column("name", "Name", "Name", ("full name", "Vollständiger Name"), required=True),
    Column("organisation", "Organisation", "Organisation", ("organization", "Institution", "Kommune")),
    Column("job_title", "Job title", "Funktion", ("position", "Stelle", "Funktion Position"), importable=False),
    Column("role", "Role", "Rolle", ("role in the network", "Rolle im Netzwerk")),
    Column("email", "Email", "E-Mail", ("email address", "E-Mail-Adresse", "Mail", "Mailadresse"), required=True),
    Column("since", "In the network since", "Im Netzwerk seit", ("member since", "Mitglied seit"), importable=False),
)
IMPORT_COLUMNS = tuple(column for column in PEOPLE_COLUMNS if column.importable)
ORGANISATION_COLUMNS = (
    Column("name", "Name", "Name"),
    Column("kind", "Kind", "Art"),
    Column("ags", "Municipality key (AGS)", "Amtlicher Gemeindeschlüssel (AGS)"),
    Column("population", "Population", "Einwohnerzahl"),
    Column("state", "Federal state", "Bundesland"),
    Column("since", "Member since", "Mitglied seit"),
)
HEADER_NAMES = {normalise(name): col for col in PEOPLE_COLUMNS for name in (col.en, col.de, *col.aliases)}
ROLE_ALIASES = {
    "coordinator": ("koordinator", "koordinatorin", "koordinator in", "netzwerkmanagement", "coordinator"),
    "member": ("mitglied", "mitglieder", "teilnehmende", "member"),
}


# --- Export ----------------------------------------------------------------------------------------


def people_queryset(network: Network):
    """The people with a role in the network, with what the columns read: one query, however many rows."""
    return network.roles.select_related("person__organisation", "person__user").order_by("person__name", "pk")


def organisations_queryset(network: Network):
    """The current member organisations: one query."""
    return network.memberships.current().select_related("organisation").order_by("organisation__name")


def people_rows(roles) -> list[list]:
    rows = []
    for role in roles:
        person = role.person
        rows.append(
            [
                person.name,
                person.organisation.name if person.organisation else "",
                person.job_title,
                role.get_role_display(),
                person.user.email if person.user else "",
                role.since,
            ]
        )
    return rows


def organisation_rows(memberships) -> list[list]:
    rows = []
    for membership in memberships:
        organisation = membership.organisation
        rows.append(
            [
                organisation.name,
                organisation.get_kind_display(),
                tabular.TextCell(organisation.ags) if organisation.ags else "",  # 05913000 keeps its leading zero
                organisation.population if organisation.population is not None else "",
                organisation.get_state_display() if organisation.state else "",
                membership.since,
            ]
        )
    return rows


def _headers(columns) -> list[str]:
    return [column.header() for column in columns]


def people_csv(network: Network) -> bytes:
    return tabular.csv_bytes(_headers(PEOPLE_COLUMNS), people_rows(people_queryset(network)))


def organisations_csv(network: Network) -> bytes:
    return tabular.csv_bytes(_headers(ORGANISATION_COLUMNS), organisation_rows(organisations_queryset(network)))


def members_xlsx(network: Network) -> bytes:
    """One workbook, two sheets: the people, then the member organisations."""
    return tabular.xlsx_bytes(
        [
            (_("People"), _headers(PEOPLE_COLUMNS), people_rows(people_queryset(network))),
            (
                _("Member organisations"),
                _headers(ORGANISATION_COLUMNS),
                organisation_rows(organisations_queryset(network)),
            ),
        ]
    )


def template_csv() -> bytes:
    return tabular.csv_bytes(_headers(IMPORT_COLUMNS), [])


def template_xlsx() -> bytes:
    return tabular.xlsx_bytes([(_("People"), _headers(IMPORT_COLUMNS), [])])


def filename(kind: str, network: Network, ext: str) -> str:
    """``mitglieder-nkk-koeln-bonn-2026-11-21.xlsx``: the slug already spells umlauts out."""
    return f"{kind}-{network.slug}-{timezone.localdate().isoformat()}.{ext}"


# --- Import: reading -------------------------------------------------------------------------------


@dataclass
class RawRow:
    """One data row as text, the way it travels between the preview and the confirmation."""

    number: int  # as the spreadsheet shows it (row 1 is the header)
    name: str = ""
    email: str = ""
    organisation: str = ""
    role: str = ""


def map_headers(headers: list[str]) -> list[Column | None]:
    """The column of each header (None: a column the import ignores); ImportFileError for unknown, repeated or
    missing required columns."""
    columns, unknown, seen = [], [], set()
    for header in headers:
        text = str(header).strip()
        if not text:
            columns.append(None)
            continue
        column = HEADER_NAMES.get(normalise(text))
        if column is None:
            unknown.append(f"“{text}”")
        elif column.key in seen:
            raise ImportFileError(_("The column “%(name)s” appears twice.") % {"name": text})
        else:
            seen.add(column.key)
        columns.append(column if column is not None and column.importable else None)
    if unknown:
        raise ImportFileError(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
    missing = [column.header() for column in IMPORT_COLUMNS if column.required and column.key not in seen]
    if missing:
        raise ImportFileError(_("Required columns are missing: %(names)s.") % {"names": ", ".join(missing)})
    return columns


def read_rows(name: str, content: bytes) -> list[RawRow]:
    """The data rows of an uploaded file (``ImportFileError`` for a file that is not a member list)."""
    table = tabular.read_table(name, content, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    columns = map_headers(table.headers)
    rows = []
    for number, cells in table.rows:
        row = RawRow(number=number)
        for column, raw in zip(columns, cells, strict=False):
            if column is not None:
                # the export neutralises formula-like text in the XLSX too, so the apostrophe goes in both
                setattr(row, column.key, cell_text(raw, is_csv=True))
        rows.append(row)
    return rows


# --- Import: checking and writing ------------------------------------------------------------------


@dataclass
class RowResult:
    number: int
    name: str
    email: str
    organisation: str
    role: str  # the code (coordinator, member); the file's text when it is unknown
    action: str = ""  # INVITE, MEMBER or INVITED; empty when the row has errors
    errors: list[str] = field(default_factory=list)
    organisation_match: Organisation | None = None  # the organisation in the portal of that name, if any

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, ""))

    @property
    def role_label(self) -> str:
        return str(NetworkRole.Role(self.role).label) if self.role in NetworkRole.Role.values else self.role


def role_lookup() -> dict[str, str]:
    """Code, English and German label and the usual words for each role → code."""
    lookup = {}
    for language in ("en", "de"):
        with translation.override(language):
            lookup.update({normalise(label): value for value, label in NetworkRole.Role.choices})
    for value, words in ROLE_ALIASES.items():
        lookup.update({normalise(word): value for word in words})
    lookup.update({value: value for value in NetworkRole.Role.values})
    return lookup


def _email_errors(email: str) -> list[str]:
    if not email:
        return [_("The email address is missing.")]
    if len(email) > EMAIL_MAX:
        return [_("The email address is longer than %(max)s characters.") % {"max": EMAIL_MAX}]
    try:
        validate_email(email)
    except ValidationError:
        return [_("“%(email)s” is not a valid email address.") % {"email": email}]
    return []


def _check_row(raw: RawRow, roles: dict[str, str]) -> RowResult:
    email = raw.email.strip().lower()
    role = roles.get(normalise(raw.role)) if raw.role.strip() else NetworkRole.Role.MEMBER
    row = RowResult(raw.number, raw.name.strip(), email, raw.organisation.strip(), role or raw.role.strip())
    if not row.name:
        row.errors.append(_("The name is missing."))
    elif len(row.name) > NAME_MAX:
        row.errors.append(_("The name is longer than %(max)s characters.") % {"max": NAME_MAX})
    if len(row.organisation) > ORGANISATION_MAX:
        row.errors.append(_("The organisation is longer than %(max)s characters.") % {"max": ORGANISATION_MAX})
    row.errors.extend(_email_errors(email))
    if role is None:
        allowed = ", ".join(str(label) for _value, label in NetworkRole.Role.choices)
        row.errors.append(
            _("“%(role)s” is not a role in the network. Allowed: %(allowed)s.")
            % {"role": raw.role.strip(), "allowed": allowed}
        )
    return row


def _mark_duplicates(rows: list[RowResult]) -> None:
    where: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.email:
            where[row.email].append(row.number)
    for row in rows:
        others = [str(number) for number in where.get(row.email, []) if number != row.number]
        if others:
            row.errors.append(
                _("The address %(email)s is also in row %(rows)s: each person once per file.")
                % {"email": row.email, "rows": ", ".join(others)}
            )


def check(*, network: Network, rows: list[RawRow]) -> Preview:
    """The dry run: what each row would do, or why it cannot. Three queries, however many rows; writes nothing."""
    roles = role_lookup()
    results = [_check_row(raw, roles) for raw in rows]
    _mark_duplicates(results)
    members = {
        email.lower()
        for email in User.objects.filter(person__network_roles__network=network).values_list("email", flat=True)
    }
    invited = {
        email.lower()
        for email in network.invitations.open().values_list("email", flat=True)  # pending and the link still works
    }
    # the database lowers both sides alike (SQLite only ASCII letters); Python then pairs them by casefold
    wanted = [Lower(Value(name)) for name in {row.organisation for row in results if row.organisation}]
    organisations = access.network_organisations(network)  # only what the coordination may assign
    candidates = organisations.annotate(key=Lower("name")).filter(key__in=wanted) if wanted else []
    known = {organisation.name.casefold(): organisation for organisation in candidates}
    for row in results:
        row.organisation_match = known.get(row.organisation.casefold())
        if row.errors:
            continue
        row.action = MEMBER if row.email in members else INVITED if row.email in invited else INVITE
    return Preview(results)


def run(*, network: Network, rows: list[RawRow], by: Person, language: str, message: str = "") -> Preview:
    """Check again and, when every row is valid, invite every new address in one transaction; otherwise nothing.

    Safe to repeat: addresses that are members or invited by now are left alone, so nobody gets a second mail.
    An expired invitation that was never accepted is renewed (with a new mail), as the invitation form does."""
    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).values_list("pk", flat=True).first()
        preview = check(network=network, rows=rows)
        if not preview.ok:
            return preview
        for row in preview.of(INVITE):
            services.invitation_create(
                network=network,
                email=row.email,
                role=row.role,
                invited_by=by,
                language=language,
                message=message,
                name=row.name,
                organisation=row.organisation_match,
            )
    return preview


# --- The round trip between preview and confirmation ------------------------------------------------


@dataclass
class Batch:
    rows: list[RawRow]
    language: str
    message: str


def sign(*, network: Network, user, batch: Batch) -> str:
    data = {"network": network.pk, "user": user.pk, **asdict(batch)}
    return signing.dumps(data, salt=SIGNING_SALT, compress=True)


def unsign(payload: str, *, network: Network, user) -> Batch:
    """The batch the server signed for this network and user; ImportFileError when the payload is altered,
    expired or someone else's. Its contents are checked again by ``run``."""
    problem = ImportFileError(_("The check of the file has expired or is not valid. Please upload the file again."))
    try:
        data = signing.loads(payload, salt=SIGNING_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired included
        raise problem from error
    if not isinstance(data, dict) or data.get("network") != network.pk or data.get("user") != user.pk:
        raise problem
    try:
        rows = [RawRow(**row) for row in data["rows"]][:MAX_ROWS]
        language, message = str(data["language"]), str(data["message"])[:MESSAGE_MAX]
    except (KeyError, TypeError) as error:
        raise problem from error
    if language not in dict(settings.LANGUAGES) or not rows:
        raise problem
    return Batch(rows=rows, language=language, message=message)


# --- Documentation (the import page) ---------------------------------------------------------------


def column_docs() -> list[tuple[str, str, str]]:
    """(German header, English header, what it takes) of each column the import reads or ignores
    (partials/import_columns.html)."""
    roles = ", ".join(str(label) for _value, label in NetworkRole.Role.choices)
    texts = {
        "name": _("Required. The person's name, as the preview shows it."),
        "email": _("Required. The address the invitation goes to; each address once per file."),
        "organisation": _(
            "Optional. The name of a member organisation of the network (or of its host): the person belongs to it "
            "on joining, unless they belong to one already. Other names are only shown in the preview."
        ),
        "role": _("Optional: %(roles)s (German or English). Empty: member.") % {"roles": roles},
        "job_title": _("Exported for information; the import ignores it."),
        "since": _("Exported for information; the import ignores it."),
    }
    return [(column.de, column.en, texts[column.key]) for column in PEOPLE_COLUMNS]
