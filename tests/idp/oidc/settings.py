"""A tiny OpenID provider: django-oauth-toolkit's OIDC, its settings filled in by serve.py from the environment."""

import os

SECRET_KEY = "test-idp-only"  # noqa: S105  # nosec: a throwaway provider on loopback
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.idp.oidc.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(os.path.dirname(__file__), "templates")],
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ.get("IDP_DB", ":memory:")}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "de"  # the login form's labels in German, like the municipality's own
USE_I18N = True
USE_TZ = True
LOGIN_URL = "/login/"
SESSION_COOKIE_NAME = "idp_sessionid"  # the portal's cookie on the same host (other port) is another one
CSRF_COOKIE_NAME = "idp_csrftoken"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": os.environ.get("IDP_RSA_KEY", ""),
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID", "email": "E-Mail", "profile": "Profil"},
    "OAUTH2_VALIDATOR_CLASS": "tests.idp.oidc.validator.Validator",
}
# Tables straight from the models (migrate --run-syncdb): a throwaway database, started in well under a second
MIGRATION_MODULES = {"auth": None, "contenttypes": None, "sessions": None, "oauth2_provider": None}
