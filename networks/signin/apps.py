"""networks.signin: sign-in with an organisation's own identity provider, OpenID Connect or SAML 2.0 (issue 19 §5,
app label ``signin``). allauth's socialaccount does the protocols; this app says which provider serves which email
domains (staff configure it in the admin) and hands allauth its apps (networks.adapters.SocialAccountAdapter)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "networks.signin"
    label = "signin"
    verbose_name = _("Organisation sign-in")
