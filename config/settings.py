"""Klimanetz settings: one module, typed environment variables, safe embedded defaults.

With no environment at all the portal runs on SQLite, eager Celery, console email,
local-memory cache and local media (``make run``). Production sets ``DEBUG=false``,
``DJANGO_SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``, ``REDIS_URL`` and ``EMAIL_URL``.
"""

import ipaddress
import os
import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import storage as storage_config
from observability import logs

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
TESTING = env.bool("KLIMANETZ_TESTING", default="pytest" in sys.modules)

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-klimanetz-not-for-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DEBUG is false.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false.")

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # sitemap.xml (networks.seo)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",  # sign-in with an organisation's identity provider (networks.signin)
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_filters",
    "simple_history",
    "csp",
    "networks",
    "networks.library",
    "networks.channel",
    "networks.announcements",
    "networks.inbound",
    "networks.digest",
    "networks.search",
    "networks.experts",
    "networks.campaigns",
    "networks.webhooks",  # webhooks of organisations and networks (issue 18 §2)
    "networks.signin",  # organisations' identity providers, OpenID Connect and SAML (issue 19 §5)
    "events",
    "measures",
    "measures.funding",  # the funding radar (issue 17 §3)
    "measures.catalogue",  # the measure library (issue 17 §1)
    "measures.council",  # council decisions through OParl (issue 18 §5)
    "monitoring",
    "monitoring.comparison",  # comparison with similar municipalities (issue 17 §2)
    "monitoring.embeds",  # embeds for municipal websites and the progress badge (issue 18 §4)
    "opendata",  # the DCAT-AP.de catalogue of the open data (issue 18 §3)
    "api",  # the REST API /api/v1/ (issue 18 §1): depends on every app, none on it
    "observability",  # /metrics, /readyz, request logs and ids, Sentry (issue 19 §4)
]

MIDDLEWARE = [
    "observability.middleware.ObservabilityMiddleware",  # first: request id, metrics and log line of every answer
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "api.middleware.ApiCacheMiddleware",  # /api/: language, rate-limit count, public cache hits before the rest
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "networks.middleware.StaffMFAMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "networks.middleware.SecurityHeadersMiddleware",
    "networks.middleware.QueryFieldsLimitMiddleware",  # too many query parameters: 400 before a view reads them
    "measures.middleware.MovedMeasureMiddleware",  # a measure's old address: 301, with DEBUG on as well
    "api.middleware.ApiMiddleware",  # /api/: language, CORS for reading, 429, ETag and 304 (api/middleware.py)
    "networks.signin.middleware.ProviderUnreachableMiddleware",  # an identity provider away: 502 and a page, not 500
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "networks.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite in WAL mode with a busy timeout by default; PostgreSQL when DATABASE_URL is set.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if TESTING else 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # DATABASE_POOLER=pgbouncer: DATABASE_URL points at PgBouncer in transaction mode (README, Production). Each
    # transaction may run on another server connection, so nothing may outlive one: no server-side cursors
    # (.iterator() declares one and fetches from it in later statements); the portal sets no session state, takes
    # only transaction-level advisory locks and never LISTENs (tests/integration/test_pgbouncer.py checks the code).
    # The connection to PgBouncer is kept (CONN_MAX_AGE) and checked before reuse: a restarted PgBouncer drops it.
    DATABASE_POOLER = env.str("DATABASE_POOLER", default="").lower()
    if DATABASE_POOLER not in ("", "pgbouncer"):
        raise ImproperlyConfigured("DATABASE_POOLER must be empty or 'pgbouncer'.")
    if DATABASE_POOLER == "pgbouncer":
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "networks.User"

# --- Cache, Celery ------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)  # another Redis database keeps cache.clear() off the queue
if CACHE_URL:
    # Django's RedisCache that misses instead of raising while Redis is unreachable (config/cache.py)
    CACHES = {"default": {"BACKEND": "config.cache.TolerantRedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "klimanetz"}}
if TESTING:
    # Each test process (each pytest-xdist worker) keeps its keys apart on the shared Redis: its cache.clear()
    # deletes only its own (config.cache.TolerantRedisCache.clear). A Celery worker or server a test starts
    # inherits the prefix through the environment and shares the test's keys; a pytest-xdist worker inherits
    # its controller's and makes its own.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if not os.environ.get("CACHE_KEY_PREFIX", "").endswith(f"-{_worker}"):
        os.environ["CACHE_KEY_PREFIX"] = f"t{os.getpid()}-{_worker}"
# Several sites on one Redis database: each with a prefix of its own (clear() then deletes only its keys).
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
if CACHE_URL or TESTING:
    # Sessions read from the cache, written through to the database (config/sessions.py): no session query
    # on a logged-in page. A local-memory cache is per process: with several processes (gunicorn) the
    # database alone; tests run in one process per worker and run what production runs.
    SESSION_ENGINE = "config.sessions"
if TESTING:
    # The public-page cache and what networks.cache remembers (the account, the access to a network) are on
    # in every test, as in production, also on the local-memory cache (one process, as `make run` has it).
    # The tests of the off-state set it to False.
    PUBLIC_PAGE_CACHE = True

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Europe/Berlin"
CELERY_BEAT_SCHEDULE = {
    "outbox-send-pending": {"task": "networks.tasks.outbox_send_pending", "schedule": timedelta(minutes=1)},
    "outbox-release-stale": {"task": "networks.tasks.outbox_release_stale", "schedule": timedelta(minutes=10)},
    "events-reminders": {"task": "events.tasks.reminders_send", "schedule": timedelta(minutes=5)},
    "events-guests-forget": {"task": "events.tasks.guests_forget", "schedule": crontab(minute=23, hour=3)},
    "events-task-reminders": {"task": "events.tasks.task_reminders_send", "schedule": crontab(minute=7, hour="7-20")},
    "measures-mark-late": {"task": "measures.tasks.measures_mark_late", "schedule": crontab(hour=2, minute=30)},
    "measures-funding-reminders": {
        "task": "measures.tasks.funding_reminders_send",
        "schedule": crontab(hour=7, minute=0),
    },
    "funding-reminders": {"task": "measures.funding.tasks.reminders_send", "schedule": crontab(hour=7, minute=5)},
    # participation (issue 16 §2): followers' immediate emails, the weekly summary, unverified feedback purged
    "measures-follows-notify": {"task": "measures.tasks.follows_notify", "schedule": timedelta(minutes=5)},
    "measures-follows-weekly": {
        "task": "measures.tasks.follows_weekly",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
    "measures-feedback-purge": {"task": "measures.tasks.feedback_purge", "schedule": crontab(hour=3, minute=40)},
    # messages to contact persons (and their emails) are deleted after 90 days (the privacy page says so)
    "measures-contact-messages-purge": {
        "task": "measures.tasks.contact_messages_purge",
        "schedule": crontab(hour=3, minute=45),
    },
    "events-series-materialise": {
        "task": "events.tasks.series_materialise_all",
        "schedule": crontab(hour=3, minute=15),
    },
    "monitoring-reports-watchdog": {"task": "monitoring.tasks.reports_watchdog", "schedule": timedelta(minutes=5)},
    "measures-imports-watchdog": {
        "task": "measures.tasks.measure_imports_watchdog",
        "schedule": timedelta(minutes=5),
    },
    "monitoring-reports-yearly": {
        "task": "monitoring.tasks.reports_schedule_yearly",
        "schedule": crontab(hour=4, minute=0),
    },
    "monitoring-reminders": {"task": "monitoring.tasks.reminders_send", "schedule": crontab(hour=7, minute=15)},
    "events-invitation-reminders": {  # once per invitation, a week before the deadline (events.announcements)
        "task": "events.announcements.invitation_reminders_task",
        "schedule": crontab(hour=9, minute=0),
    },
    "inbound-fetch": {"task": "networks.inbound.tasks.inbound_fetch", "schedule": timedelta(minutes=1)},
    # webhooks: deliveries whose task was lost or whose retry is due; endpoints failing for three days are paused
    "webhooks-sweep": {"task": "networks.webhooks.tasks.deliveries_sweep", "schedule": timedelta(minutes=1)},
    # replies by email whose readers' emails no task wrote (the broker was down as their batch ended)
    "channel-posts-notify-sweep": {
        "task": "networks.channel.tasks.posts_notify_sweep",
        "schedule": timedelta(minutes=5),
    },
    "search-reindex-all": {"task": "networks.search.tasks.reindex_all", "schedule": crontab(hour=3, minute=45)},
    # each person's daily/weekly digest at their hour (Europe/Berlin), in batches to the workers
    "digests-dispatch": {"task": "networks.digest.tasks.digests_dispatch", "schedule": crontab(minute="*/15")},
    # the document library: text of files whose extraction was missed; deleted documents' files after 30 days
    "library-extract-missing": {"task": "networks.library.tasks.extract_missing", "schedule": timedelta(hours=1)},
    "library-purge-deleted": {"task": "networks.library.tasks.purge_deleted", "schedule": crontab(hour=3, minute=40)},
    # files left in storage by a rolled-back transaction (no version references them), older than a day
    "library-sweep-orphans": {"task": "networks.library.tasks.sweep_orphans", "schedule": crontab(hour=3, minute=50)},
    # council information systems (OParl): what changed since the last reading, every night
    "council-sync-all": {"task": "measures.council.tasks.endpoints_sync_all", "schedule": crontab(hour=2, minute=50)},
}

# --- Accounts (allauth) -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, reading the session's account through the cache (networks.backends)
    "networks.backends.ModelBackend",
    "networks.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "networks:dashboard"
ACCOUNT_ADAPTER = "networks.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "networks.forms.SignupExtraForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # the password again before adding, removing or switching an address
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Klimanetz] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_USER_DISPLAY = "networks.adapters.user_display"  # the person's name where allauth names the user
# Rate limits live in the default cache: Redis in production, shared by all processes.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    "measure_feedback": "10/h/ip,3/h/key",  # feedback without an account (measures: key = the email address)
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Klimanetz"
# Passkeys (issue 19 §5): a second factor like the app, and sign-in by passkey alone on the login page (allauth asks
# the passkey for user verification, PIN or biometrics, there). WebAuthn needs a secure context and a host name:
# https, or http://localhost in development (http://127.0.0.1:8000 cannot, an IP address is no RP ID).
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_FORMS = {
    "add_webauthn": "networks.passkeys.AddPasskeyForm",
    "edit_webauthn": "networks.passkeys.RenamePasskeyForm",
    "login_webauthn": "networks.passkeys.LoginPasskeyForm",
    "reauthenticate_webauthn": "networks.passkeys.ReauthenticatePasskeyForm",
    "authenticate_webauthn": "networks.passkeys.AuthenticatePasskeyForm",
}
if DEBUG and not TESTING and env.bool("MFA_DEMO_BYPASS", default=True):
    # Development only: allauth accepts this code for any TOTP device (it refuses it unless DEBUG).
    MFA_TOTP_INSECURE_BYPASS_CODE = "000000"
# Sign-in with an organisation's identity provider (issue 19 §5, networks.signin): the providers are configured in
# the admin; allauth gets its apps from them (networks.adapters.SocialAccountAdapter.list_apps), none in settings.
SOCIALACCOUNT_ADAPTER = "networks.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True  # only for an open invitation (the adapter's is_open_for_signup)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking by address is the adapter's rule (networks.signin.services)
SOCIALACCOUNT_STORE_TOKENS = False  # the identity provider's tokens are not kept
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
KLIMANETZ_STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # English dates as "31 Dec 2028" (config/formats/en/formats.py)
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------
FORMS_URLFIELD_ASSUME_HTTPS = True
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Files: local disk (MEDIA_ROOT), or an S3-compatible bucket when STORAGE_URL (or AWS_STORAGE_BUCKET_NAME with
# django-storages' AWS_* names) is set: config/storage.py. Downloads pass the view's permission check and then
# redirect to a presigned URL valid STORAGE_PRESIGNED_SECONDS (STORAGE_REDIRECT=false: the portal streams the
# file itself), networks/downloads.py.
STORAGE_REDIRECT = env.bool("STORAGE_REDIRECT", default=True)
STORAGE_PRESIGNED_SECONDS = env.int("STORAGE_PRESIGNED_SECONDS", default=60)
STORAGES = {
    "default": storage_config.default_storage_config(os.environ, presigned_seconds=STORAGE_PRESIGNED_SECONDS),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Email --------------------------------------------------------------------
# EMAIL_URL like smtp+tls://user:password@mail.example.org:587; console by default.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if env.str("EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Klimanetz <noreply@klimanetz.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
# Reply by email (networks.inbound): the portal fetches replies from this IMAP mailbox, e.g.
# imaps://user:password@mail.example.org:993/INBOX (imap, imaps, imap+starttls). Empty: inbound mail is off and
# notifications carry no reply address. Replies go to <INBOUND_REPLY_LOCAL_PART>+<token>@<INBOUND_REPLY_DOMAIN>,
# which must be delivered into that mailbox (plus addressing / subaddressing).
INBOUND_IMAP_URL = env.str("INBOUND_IMAP_URL", default="")
INBOUND_REPLY_DOMAIN = env.str("INBOUND_REPLY_DOMAIN", default="")
INBOUND_REPLY_LOCAL_PART = env.str("INBOUND_REPLY_LOCAL_PART", default="reply")
# Where handled messages go in that mailbox (created when missing); "" leaves them in place, flagged as seen.
INBOUND_IMAP_DONE_FOLDER = env.str("INBOUND_IMAP_DONE_FOLDER", default="Klimanetz/Verarbeitet")

# --- Outbound HTTP (networks.outbound: webhooks, OParl) ---------------------------
# Requests to addresses that people enter go only to public IP addresses; True only in tests that talk to servers
# on 127.0.0.1. OUTBOUND_CA_BUNDLE: a PEM file of CAs to trust instead of the system's (tests trust their own CA).
OUTBOUND_ALLOW_PRIVATE = False
SIGNIN_HTTPS_ONLY = True  # identity providers' addresses (networks.signin.transport): https only; the tests' serve http
OUTBOUND_CA_BUNDLE = env.str("OUTBOUND_CA_BUNDLE", default="") or None
OUTBOUND_CONNECT_TIMEOUT = env.float("OUTBOUND_CONNECT_TIMEOUT", default=5.0)

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page uses these browser features; none may be switched on (networks.middleware.SecurityHeadersMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=()"
)
# The client's address behind the TLS proxy (README, Production): allauth's per-address limits (failed logins,
# sign-up, password reset) would otherwise count every visitor as the proxy. TRUSTED_PROXY_COUNT proxies under
# our control append to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for), the client is the entry that many
# places from the end; or TRUSTED_CLIENT_IP_HEADER names a header the proxy sets to the client's address alone.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0 if DEBUG else 1)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CSRF_COOKIE_HTTPONLY = True

# django-csp 4: nothing from other hosts, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Observability (issue 19 §4, observability/; README, Operations) ------------------------------------------
# LOG_FORMAT=json: one JSON object per line (production); text: readable lines (development). Every record has the
# request id of its request or task; the request id comes from the trusted proxy's X-Request-ID (when it looks like
# one and TRUSTED_PROXY_COUNT or TRUSTED_CLIENT_IP_HEADER says a proxy is there), else it is made here.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'.")
LOGGING = logs.logging_config(
    log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"), redis_configured=bool(REDIS_URL)
)
# /metrics (Prometheus): for a scraper with "Authorization: Bearer <METRICS_TOKEN>" or from one of
# METRICS_ALLOWED_NETWORKS (CIDR, the client address as the rate limits take it); 404 for everyone else, and off
# (404) when neither is set. gunicorn: config/gunicorn.conf.py; Celery worker nodes: CELERY_METRICS_PORT.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
try:
    [ipaddress.ip_network(n, strict=False) for n in METRICS_ALLOWED_NETWORKS]
except ValueError as error:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {error}") from None
# The probes and the scraper talk plain HTTP to a node, behind the TLS proxy: no redirect to https for them.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]
# Error reports to a Sentry-compatible service, personal data scrubbed (observability.sentry); off when unset.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from observability import sentry

    sentry.init(
        SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default=""),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- API (issue 18 §1) ---------------------------------------------------------------------------------------
# Requests per minute to /api/: per client address without a token, per token with one (api.ratelimit).
API_RATE_LIMIT_IP = env.int("API_RATE_LIMIT_IP", default=300)
API_RATE_LIMIT_TOKEN = env.int("API_RATE_LIMIT_TOKEN", default=1200)
