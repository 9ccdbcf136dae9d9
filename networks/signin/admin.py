"""Staff configure an organisation's identity provider here: the protocol's settings and the email domains it
covers. The client secret is never shown again (its last four characters name it); empty keeps it."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from networks.signin import selectors, services
from networks.signin.models import Provider, domain_validator


def _masked(secret: str) -> str:
    return ("•" * 8 + secret[-4:]) if len(secret) > 8 else ("•" * 8 if secret else "")


class ProviderForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("client secret"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    metadata_xml = forms.CharField(
        label=_("IdP metadata (XML)"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("SAML: paste the metadata instead of a URL; its entity ID, sign-on URL and certificate are taken."),
    )
    domains = forms.CharField(
        label=_("email domains"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One or more, separated by commas or lines, e.g. kreis-dueren.de. Only addresses in these domains are"
            " accepted from the identity provider."
        ),
    )

    class Meta:
        model = Provider
        fields = [  # the secret is the form's own field above: never rendered back
            "organisation",
            "protocol",
            "slug",
            "label",
            "active",
            "server_url",
            "client_id",
            "entity_id",
            "metadata_url",
            "sso_url",
            "certificate",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["domains"].initial = ", ".join(self.instance.domains.values_list("domain", flat=True))
            if self.instance.secret:
                self.fields["secret"].help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                    "masked": _masked(self.instance.secret)
                }

    def clean_domains(self) -> list[str]:
        raw = [d.strip().lower().lstrip("@") for d in self.cleaned_data["domains"].replace("\n", ",").split(",")]
        domains = sorted({d for d in raw if d})
        if not domains:
            raise forms.ValidationError(_("Give at least one domain."))
        for d in domains:
            domain_validator(d)
        taken = services.Domain.objects.filter(domain__in=domains).exclude(provider_id=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("Already covered by another identity provider: %(domains)s")
                % {"domains": ", ".join(taken.values_list("domain", flat=True))}
            )
        return domains

    def clean(self):
        data = super().clean()
        xml = data.get("metadata_xml", "").strip()
        if xml:
            try:
                parsed = services.saml_metadata_parse(xml)
            except ValueError as exc:
                self.add_error("metadata_xml", str(exc))
            else:
                for field in ("entity_id", "sso_url", "certificate"):
                    data[field] = parsed[field]
                    setattr(self.instance, field, parsed[field])
        if not data.get("secret"):
            data["secret"] = self.instance.secret  # empty keeps the stored secret (never rendered back)
        return data


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    form = ProviderForm
    list_display = ["__str__", "organisation", "protocol", "active", "domain_list"]
    list_filter = ["protocol", "active"]
    list_select_related = ["organisation"]
    search_fields = ["slug", "label", "organisation__name", "domains__domain"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["addresses_for_it", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["organisation", "protocol", "slug", "label", "active", "domains", "addresses_for_it"]}),
        (_("OpenID Connect"), {"fields": ["server_url", "client_id", "secret"]}),
        (_("SAML 2.0"), {"fields": ["entity_id", "metadata_url", "metadata_xml", "sso_url", "certificate"]}),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    @admin.display(description=_("email domains"))
    def domain_list(self, obj: Provider) -> str:
        return ", ".join(d.domain for d in obj.domains.all())

    @admin.display(description=_("for the organisation's IT"))
    def addresses_for_it(self, obj: Provider) -> str:
        if not obj.pk:
            return _("Shown once saved.")
        if obj.protocol == Provider.Protocol.OIDC:
            return format_html(
                "{}: <code>{}</code>", _("Redirect URI"), settings.SITE_URL + selectors.oidc_callback_path(obj.slug)
            )
        url = settings.SITE_URL + selectors.sp_metadata_path(obj.slug)
        return format_html("{}: <code>{}</code> ({})", _("SP metadata and entity ID"), url, _("signed assertions"))

    def save_model(self, request, obj: Provider, form, change: bool) -> None:
        services.provider_save(provider=obj, domains=form.cleaned_data["domains"])
