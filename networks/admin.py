from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from networks import mail, outbox
from networks.admin_history import HistoryAdmin
from networks.models import (
    AffiliationRequest,
    Campaign,
    Expertise,
    Invitation,
    Membership,
    Network,
    NetworkRole,
    Organisation,
    OrganisationRole,
    OutboxMessage,
    Person,
    Topic,
    User,
    WorkingGroup,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_active", "is_staff", "date_joined", "last_login"]
    search_fields = ["email", "person__name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


class NetworkRoleInline(admin.TabularInline):
    model = NetworkRole
    extra = 0
    autocomplete_fields = ["person"]


class OrganisationRoleInline(admin.TabularInline):
    model = OrganisationRole
    extra = 0
    autocomplete_fields = ["person"]


class ExpertiseInline(admin.TabularInline):
    model = Expertise
    extra = 0
    autocomplete_fields = ["topic"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "ags", "population", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "short_name", "ags"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationRoleInline]


@admin.register(Person)
class PersonAdmin(HistoryAdmin):  # the history keeps the affiliation (organisation) only
    list_display = ["name", "organisation", "job_title", "user", "contact_visibility", "anonymised_at"]
    list_filter = ["contact_visibility", "language", "organisation__kind"]
    search_fields = ["name", "user__email", "organisation__name", "job_title"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["organisation", "user"]
    inlines = [ExpertiseInline]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Network)
class NetworkAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "host", "region", "meeting_format", "is_public"]
    list_filter = ["kind", "meeting_format", "is_public"]
    search_fields = ["name", "short_name", "region", "host__name"]
    autocomplete_fields = ["host"]
    prepopulated_fields = {"slug": ["short_name"]}
    list_select_related = ["host"]
    inlines = [MembershipInline, NetworkRoleInline]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["organisation", "network", "since", "until"]
    list_filter = ["network"]
    search_fields = ["organisation__name", "network__name"]
    autocomplete_fields = ["organisation", "network"]
    list_select_related = ["organisation", "network"]


@admin.register(NetworkRole)
class NetworkRoleAdmin(HistoryAdmin):
    list_display = ["person", "network", "role", "since"]
    list_filter = ["role", "network"]
    search_fields = ["person__name", "person__user__email", "network__name"]
    autocomplete_fields = ["person", "network"]
    list_select_related = ["person", "network"]


@admin.register(OrganisationRole)
class OrganisationRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["person__name", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]
    list_select_related = ["person", "organisation"]


@admin.register(AffiliationRequest)
class AffiliationRequestAdmin(HistoryAdmin):
    """Read-only history: requests are decided on their page (staff see every pending one there), and staff set
    a person's organisation directly on the person."""

    list_display = ["person", "organisation", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["person__name", "organisation__name"]
    list_select_related = ["person", "organisation", "decided_by"]
    readonly_fields = ["person", "organisation", "status", "note", "created_at", "decided_by", "decided_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    list_display = ["person", "topic", "level", "note"]
    list_filter = ["level", "topic"]
    search_fields = ["person__name", "topic__name", "note"]
    autocomplete_fields = ["person", "topic"]
    list_select_related = ["person", "topic"]


@admin.register(Invitation)
class InvitationAdmin(HistoryAdmin):
    list_display = ["email", "name", "network", "role", "created_at", "expires_at", "used_at", "revoked_at"]
    list_filter = ["role", "network"]
    search_fields = ["email", "name", "network__name"]
    autocomplete_fields = ["network", "organisation", "invited_by", "used_by"]
    readonly_fields = ["token", "created_at", "used_at", "used_by"]
    list_select_related = ["network"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "topic", "is_active"]
    list_filter = ["is_active", "network", "topic"]
    search_fields = ["name", "description", "network__name"]
    autocomplete_fields = ["network", "topic", "members"]
    list_select_related = ["network", "topic"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "kind", "status", "start", "end"]
    list_filter = ["kind", "status", "network"]
    search_fields = ["title", "goals", "results", "network__name"]
    autocomplete_fields = ["network", "organisations"]
    list_select_related = ["network"]


def _kind_label(code: str) -> str:
    """The registered kind's label (networks.mail), or the code itself for a kind no longer registered."""
    kind = mail.kind_of(code)
    return str(kind.label) if kind is not None else code


class OutboxKindFilter(admin.SimpleListFilter):
    """Filter by kind of email, offered by the labels of the registered kinds (networks.mail)."""

    title = _("kind of email")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return [(kind.code, kind.label) for kind in mail.all_kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(reason=self.value()) if self.value() else queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", OutboxKindFilter]
    search_fields = ["recipient", "subject", "object_id"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = ["kind", *(f.name for f in OutboxMessage._meta.fields)]

    def has_add_permission(self, request) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("Outbox"), **(extra_context or {})})

    @admin.display(description=_("kind of email"), ordering="reason")
    def kind(self, message: OutboxMessage) -> str:
        return _kind_label(message.reason)

    @admin.action(description=_("Send again (failed messages only)"))
    def retry(self, request, queryset):
        count = outbox.outbox_retry(message_ids=list(queryset.values_list("pk", flat=True)))
        text = ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)
