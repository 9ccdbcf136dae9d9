"""An organisation's identity provider and the email domains it vouches for.

The provider's settings live here and only here: allauth's SocialApp objects are built from a row when allauth asks
for one (selectors.social_app), never stored, so there is one place to change and one secret to keep."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DOMAIN_RE = r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
domain_validator = RegexValidator(DOMAIN_RE, _("Enter a domain such as kreis-dueren.de (lower case, no @)."))
slug_validator = RegexValidator(r"^[a-z0-9][a-z0-9-]{1,62}$", _("Lower-case letters, digits and hyphens."))


class ProviderQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def for_email(self, email: str):
        """The active provider whose domains cover the address's domain (at most one: a domain is unique)."""
        domain = email.rpartition("@")[2].strip().lower()
        return self.active().filter(domains__domain=domain).select_related("organisation")


class Provider(models.Model):
    class Protocol(models.TextChoices):
        OIDC = "openid_connect", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    organisation = models.ForeignKey(
        "networks.Organisation",
        on_delete=models.CASCADE,
        related_name="sign_in_providers",
        verbose_name=_("organisation"),
    )
    protocol = models.CharField(_("protocol"), max_length=16, choices=Protocol)
    slug = models.CharField(
        _("identifier"),
        max_length=63,
        unique=True,
        validators=[slug_validator],
        help_text=_("Part of the addresses given to the organisation's IT, e.g. kreis-dueren. Do not change it later."),
    )
    label = models.CharField(
        _("button label"),
        max_length=100,
        blank=True,
        help_text=_("Shown as “Sign in with …”; empty: the organisation's name."),
    )
    active = models.BooleanField(_("active"), default=True)
    # OpenID Connect
    server_url = models.URLField(
        _("issuer URL"),
        blank=True,
        help_text=_("OpenID Connect: the issuer; /.well-known/openid-configuration is added."),
    )
    client_id = models.CharField(_("client ID"), max_length=200, blank=True)
    secret = models.CharField(_("client secret"), max_length=500, blank=True)
    # SAML 2.0
    entity_id = models.CharField(_("IdP entity ID"), max_length=500, blank=True)
    metadata_url = models.URLField(_("IdP metadata URL"), blank=True)
    sso_url = models.URLField(_("IdP single sign-on URL"), blank=True, help_text=_("SAML without a metadata URL."))
    certificate = models.TextField(
        _("IdP signing certificate"), blank=True, help_text=_("SAML without a metadata URL (PEM).")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(protocol="openid_connect") | (~models.Q(server_url="") & ~models.Q(client_id="")),
                name="signin_oidc_needs_issuer_and_client",
            ),
            models.CheckConstraint(
                condition=~models.Q(protocol="saml")
                | (
                    ~models.Q(entity_id="")
                    & (~models.Q(metadata_url="") | (~models.Q(sso_url="") & ~models.Q(certificate="")))
                ),
                name="signin_saml_needs_metadata_or_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_protocol_display()})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.protocol == self.Protocol.OIDC:
            missing = {
                f: _("Required for OpenID Connect.") for f in ("server_url", "client_id") if not getattr(self, f)
            }
        elif self.protocol == self.Protocol.SAML:
            missing = {"entity_id": _("Required for SAML.")} if not self.entity_id else {}
            if not self.metadata_url and not (self.sso_url and self.certificate):
                missing["metadata_url"] = _("Give the metadata URL, or the single sign-on URL and the certificate.")
        else:
            missing = {}
        if missing:
            raise ValidationError(missing)

    @property
    def display_name(self) -> str:
        return self.label or self.organisation.name


class Domain(models.Model):
    """An email domain whose addresses the provider vouches for: its email counts as verified only for these."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253, unique=True, validators=[domain_validator])

    class Meta:
        verbose_name = _("email domain")
        verbose_name_plural = _("email domains")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
