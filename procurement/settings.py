"""Settings for the GPAI supplier due-diligence app.

One settings module, configured from the environment. The defaults are safe for
production; `make run` switches on DEBUG for local development.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# pytest imports itself before it loads these settings; production processes never import it.
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "development-only-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local development."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core.apps.AdminConfig",  # django.contrib.admin with the app's rules
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",
    "django_countries",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "core",
    "vendors",
    "diligence",
    "documentation",
    "contracts",
    "portal",
    "overview",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "identity",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "identity.middleware.second_factor_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "procurement.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.auth.role_names",
            ],
        },
    },
    {
        # Row loops of the longest pages only, through the {% rows %} tag (core/jinja2.py).
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "core.jinja2.environment", "autoescape": True},
    },
]

WSGI_APPLICATION = "procurement.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction that will write takes the write lock when it begins, so two concurrent
    # saves queue up instead of both reading, then both failing to write.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    # Covering indexes (INCLUDE) exist for PostgreSQL's dashboard counts; SQLite builds the
    # same indexes without the extra columns, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles the expressions of queries it costs high (JIT) before running them;
    # for the dashboard's aggregates over tens of thousands of rows that took longer than the
    # queries themselves (50-160 ms each at ten times the benchmark data).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Parameters travel apart from the SQL (server-side binding), so a query the app sends
    # again and again is the same statement each time; psycopg prepares it on a connection
    # from its second run, and PostgreSQL stops planning it anew. Planning is most of the
    # server's work on the detail pages (the assessment page: about 8 ms of its CPU per
    # request before, 2 ms after). DB_PREPARE_THRESHOLD=off turns it off, as a connection
    # pooler in transaction mode (PgBouncer before 1.21) needs.
    if os.environ.get("DB_PREPARE_THRESHOLD", "2").lower() != "off":
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(
            os.environ.get("DB_PREPARE_THRESHOLD", "2")
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Without REDIS_URL each worker process keeps its own cache. What is cached carries the version
# of the data it was made from in its key (the dashboard's figures: overview.dashboard.data_version),
# so workers never need to tell each other that something changed. With REDIS_URL (more than one
# server) the cache is shared: every server reads the figures another one computed.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "gpai"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# Background work (django-tasks): jobs are rows in the database, run by `manage.py worker` (any
# number of them, on any number of machines: each job is claimed under a row lock and runs
# once). `make run` starts one beside the development server. TASKS_IMMEDIATE=1 runs each job
# at once in the process that asks for it, as the test suite does.
TASKS_IMMEDIATE = env_bool("TASKS_IMMEDIATE", TESTING)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TASKS_IMMEDIATE
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default", "documents"],
    }
}
# When facts change, open assessments of the models concerned are re-evaluated in the same
# request, or, when there are more than this many, by a job moments later.
REEVALUATE_IN_BACKGROUND_OVER = int(os.environ.get("REEVALUATE_IN_BACKGROUND_OVER", "25"))
# Daily work the worker starts by itself (core/schedule.py), at this local hour or later: the
# reminder emails, and the "expiring" webhook events for evidence and decisions.
DAILY_JOBS_HOUR = int(os.environ.get("DAILY_JOBS_HOUR", "6"))
DAILY_JOBS = [
    "core.tasks.reminders_send",
    "api.tasks.expiring_publish",
    "portal.tasks.supplier_reminders",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Passwords (ModelBackend, with the user's permissions kept in the cache per change of the
# roles), and single sign-on when an issuer is configured.
AUTHENTICATION_BACKENDS = ["identity.backends.LocalPasswordBackend"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence lives outside the web root and is served only through views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# With S3_BUCKET set, evidence and documents go to S3-compatible object storage (django-storages)
# instead: private objects, read by the app and still served only through the views that check
# access. S3_ENDPOINT_URL names a server other than AWS (MinIO, Ceph, a provider's S3 service).
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: printed to the console in development, sent over SMTP otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "due-diligence@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production-safe transport security. HTTPS defaults on outside development and tests;
# set HTTPS=0 only to try the production setup over plain HTTP on your own machine.
HTTPS = env_bool("HTTPS", not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    # The reverse proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: forms, htmx's included, post the token as a field.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"


# Sent by core.middleware.security_headers. Scripts and styles come only from our static
# files: no inline <script>, event handler or style attribute runs, so injected markup cannot
# either. Bootstrap's icons are data: URIs.
# With single sign-on, signing out posts a form whose answer leads to the provider's
# end-session page: form-action names the provider's origin too (set below).
def content_security_policy(*, sign_in_provider=""):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(sign_in_provider))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            f"form-action 'self' {origin}" if sign_in_provider else "form-action 'self'",
        ]
    )


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"

# Single sign-on with OpenID Connect (identity/oidc.py), on when OIDC_ISSUER is set. The
# provider's endpoints come from its discovery document.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your organisation's account")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
# The claim that finds the user: "email" matches the e-mail address, any other the user name.
OIDC_USER_CLAIM = os.environ.get("OIDC_USER_CLAIM", "email")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
# Group -> role, e.g. "dd-buyers=Procurement,dd-legal=Legal". Empty: roles stay with the admin.
OIDC_ROLE_MAP = {
    group.strip(): role.strip()
    for group, _, role in (pair.partition("=") for pair in env_list("OIDC_ROLE_MAP"))
}
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for the provider's end-session endpoint at sign-out
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_VERIFY_SSL = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
if OIDC_ISSUER:
    AUTHENTICATION_BACKENDS.append("identity.oidc.RoleMappingBackend")
CONTENT_SECURITY_POLICY = content_security_policy(sign_in_provider=OIDC_ISSUER)
# Password sign-in for everyone, or (0) only for the break-glass accounts named here.
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
PASSWORD_SIGN_IN_ACCOUNTS = env_list("PASSWORD_SIGN_IN_ACCOUNTS")

# Two-factor sign-in (identity/second_factor.py): always for staff and administrators; for
# everyone when this is on. Others may turn it on for themselves.
TWO_FACTOR_REQUIRED_FOR_ALL = env_bool("TWO_FACTOR_REQUIRED_FOR_ALL", False)
# The name authenticator apps show next to the codes.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "GPAI due diligence")
# Wrong codes are counted with failed passwords (core/throttle.py), per user name and address;
# django-otp's own per-device delay would only add a second pause after each typo.
OTP_TOTP_THROTTLE_FACTOR = 0

# Sign-in throttling (core/throttle.py): after this many failed sign-ins for one username
# within the window, or from one client address, further attempts are refused unchecked.
LOGIN_THROTTLE_FAILURES = int(os.environ.get("LOGIN_THROTTLE_FAILURES", "5"))
LOGIN_THROTTLE_IP_FAILURES = int(os.environ.get("LOGIN_THROTTLE_IP_FAILURES", "50"))
LOGIN_THROTTLE_WINDOW_MINUTES = int(os.environ.get("LOGIN_THROTTLE_WINDOW_MINUTES", "15"))
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client. Empty: the
# client is REMOTE_ADDR, and X-Forwarded-For, which anyone can send, is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# The admin shows django-simple-history's versions read-only (core/admin_site.py).
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Domain settings.
# A signature check older than this many days is shown as stale.
# Art. 54(1) asks for establishment in the Union. Iceland, Liechtenstein and Norway count once the
# AI Act is part of the EEA Agreement; until then they are outside (vendors.facts).
AI_ACT_EEA_AS_UNION = env_bool("AI_ACT_EEA_AS_UNION", False)
SIGNATURE_STALE_AFTER_DAYS = int(os.environ.get("SIGNATURE_STALE_AFTER_DAYS", "90"))
# A Model Documentation Form last updated longer ago than this counts as stale.
MDF_STALE_AFTER_DAYS = int(os.environ.get("MDF_STALE_AFTER_DAYS", "365"))
# Evidence files larger than this are refused before they are stored (25 MB by default).
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(25 * 1024 * 1024)))
# Clause texts (contracts/limits.py): one clause, and all clauses of a library version or a
# pack together, in characters; checked when a clause is saved and before rendering.
CLAUSE_BODY_MAX_CHARS = int(os.environ.get("CLAUSE_BODY_MAX_CHARS", "10000"))
CLAUSE_PACK_MAX_CHARS = int(os.environ.get("CLAUSE_PACK_MAX_CHARS", "150000"))
# A document is rendered in a child process, stopped after this many seconds (below
# gunicorn's 30-second worker timeout) or when it needs this much more memory.
DOCUMENT_RENDER_TIMEOUT_SECONDS = float(os.environ.get("DOCUMENT_RENDER_TIMEOUT_SECONDS", "20"))
DOCUMENT_RENDER_MAX_MEMORY_MB = int(os.environ.get("DOCUMENT_RENDER_MAX_MEMORY_MB", "512"))
# Where follow-ups come from (core/reminders.py): functions of the apps, by dotted path. An app
# that has dates to remind people of adds its source here.
FOLLOW_UP_SOURCES = [
    "diligence.followups.assessment_follow_ups",
    "diligence.followups.decision_follow_ups",
    "diligence.followups.evidence_follow_ups",
    "diligence.followups.review_follow_ups",
    "diligence.followups.assigned_item_follow_ups",
    "vendors.followups.stale_signature_follow_ups",
    "portal.followups.supplier_request_follow_ups",
]
# The supplier link (portal/): a link stops working this many days after the request's due
# date; the supplier's session ends this long after their last page; their uploads to one
# request together stay under this size; asking again gives at least this many days.
SUPPLIER_LINK_GRACE_DAYS = int(os.environ.get("SUPPLIER_LINK_GRACE_DAYS", "7"))
SUPPLIER_LINK_SESSION_SECONDS = int(os.environ.get("SUPPLIER_LINK_SESSION_SECONDS", "3600"))
SUPPLIER_LINK_QUOTA_BYTES = int(os.environ.get("SUPPLIER_LINK_QUOTA_BYTES", str(100 * 1024 * 1024)))
SUPPLIER_LINK_ASK_AGAIN_DAYS = int(os.environ.get("SUPPLIER_LINK_ASK_AGAIN_DAYS", "14"))
# The app's public address, for links in reminder emails (`manage.py send_reminders`).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# REST API (api/): bearer tokens or the signed-in session; the app's access rules apply.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        # The web pages' session (the API reference's "Try it out"), CSRF-checked on writes.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScopeAllows",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.PerToken", "api.throttles.PerAddress"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("API_THROTTLE_RATE", "600/min"),
        "address": os.environ.get("API_THROTTLE_ADDRESS_RATE", "1200/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
# Webhooks (api/webhooks.py). Each attempt waits at most this many seconds for an answer.
WEBHOOK_TIMEOUT = int(os.environ.get("WEBHOOK_TIMEOUT", "5"))
# Minutes to wait before each retry of a failed delivery; after the last, it is given up.
WEBHOOK_RETRY_MINUTES = [1, 5, 30, 120, 720]
# "Expiring" events go out this many days before evidence or a decision runs out.
WEBHOOK_EXPIRY_DAYS = int(os.environ.get("WEBHOOK_EXPIRY_DAYS", "30"))
# Only https endpoints on public addresses; on, plain http to loopback is allowed too
# (tests and trying a receiver on your own machine).
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", False)
SPECTACULAR_SETTINGS = {
    "TITLE": "GPAI supplier due diligence API",
    "DESCRIPTION": (
        "Suppliers, models, Code of Practice signatures, assessments, clause-pack documents and "
        "signatory-register snapshots. Authenticate with `Authorization: Bearer <token>`; a "
        "change sends the record's ETag in `If-Match`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SignatureStatusEnum": "vendors.models.SignatureStatus",
        "AssessmentStatusEnum": "diligence.models.AssessmentStatus",
        "ItemStatusEnum": "diligence.models.ItemStatus",
        "RegisterEntryStatusEnum": [("signed", "Signed"), ("declined", "Declined")],
    },
}
