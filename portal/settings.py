"""Settings for the Working Group Portal.

One module for every environment: production differs only by environment variables.
Secure by default: DEBUG is off and HTTPS hardening is on unless the environment says
otherwise, and the secret key is required whenever DEBUG is off.
"""

import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# With DEBUG on, errors still show the portal's own error pages unless a developer asks
# for Django's technical pages (every URL pattern, settings, tracebacks) with this.
DEBUG_PAGES = DEBUG and env.bool("DJANGO_DEBUG_PAGES", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 on a development machine).")
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "development-only-key-never-used-when-debug-is-off"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal",
    "home",
    "resources",
    "groups",
    "wagtail_footnotes",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    # Operations: Prometheus metrics (see the "Operations" block below).
    "django_prometheus",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.staticfiles",
    # Django's own widget templates, for the TemplatesSetting form renderer below.
    "django.forms",
]

MIDDLEWARE = [
    # Counts every request and its latency for the metrics; first and last, so that what
    # the other middleware costs is counted too.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "portal.middleware.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A cached page is answered here, before sessions, CSRF and messages: it is only ever
    # served to requests that carry no session cookie (see portal.cache).
    "portal.cache.AnonymousUpdateCacheMiddleware",
    "portal.cache.AnonymousFetchFromCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The site, its home page, menu and settings from the shared cache (home.frame).
    "home.frame.SiteFrameMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "portal.middleware.SessionTimeoutMiddleware",
    "portal.middleware.MFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin views about a page or document the person may not see answer 404.
    "portal.admin_access.AdminObjectAccessMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # With DEBUG on, the portal's own error pages rather than Django's technical ones;
    # after every other middleware, so that their headers apply to the error pages too.
    "portal.middleware.DevelopmentErrorPagesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.account",
            ],
        },
    },
]

# Forms render through the project's templates, so templates/django/forms/ draws every
# form and field of the site as GOV.UK Frontend form groups.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: a SQLite file in the project unless DATABASE_URL names another.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The development server and the task worker write to one file at once. Without
    # these, SQLite answers "database is locked" at once when a transaction that began
    # by reading tries to write: write-ahead logging lets readers and a writer overlap,
    # IMMEDIATE takes the write lock when a transaction starts (so it waits its turn
    # instead of failing midway), and the timeout is how long it waits.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches ---------------------------------------------------------------------------------
# The shared cache (rate limits, sign-in lockouts, sessions' fast copy) lives in the
# database by default, so it holds across gunicorn workers and servers. Rendered public
# pages get a cache of their own, which publishing clears without touching the rest. It
# is a local file cache by default: a database read per hit would cost more than half of
# what a cached page is meant to save (see `make bench`); that suits one server only.
# REDIS_URL moves both to Redis, the setting for several app servers: the shared cache on
# the database number it names, the page cache on the next one (clearing the page cache
# empties its whole Redis database). CACHE_URL and PAGE_CACHE_URL still override each.
REDIS_URL = env.str("REDIS_URL", default="")


def _next_redis_database(url):
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{number + 1}"))


CACHES = {
    "default": env.cache("CACHE_URL", default=REDIS_URL or "dbcache://portal_cache"),
    "pages": env.cache(
        "PAGE_CACHE_URL",
        default=_next_redis_database(REDIS_URL)
        if REDIS_URL
        else f"filecache://{Path(tempfile.gettempdir()) / 'portal-page-cache'}?max_entries=2000",
    ),
}
# Django's Redis backend builds a new Redis client for every call; portal.redis_cache
# keeps one per connection pool (a millisecond of CPU a signed-in request).
for _cache in CACHES.values():
    if _cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        _cache["BACKEND"] = "portal.redis_cache.RedisCache"
CACHE_MIDDLEWARE_ALIAS = "pages"
CACHE_MIDDLEWARE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
CACHE_MIDDLEWARE_KEY_PREFIX = "page"

# Accounts: django-allauth is the only way to sign in, the Wagtail admin included (see
# portal.urls), so that MFA and rate limits apply everywhere.
# allauth's backend, loading the person and whether they have MFA in one query (portal.auth).
AUTHENTICATION_BACKENDS = ["portal.auth.AuthenticationBackend"]
# With Redis as the shared cache, what that query answers is kept there this long, cleared
# on every change to it (portal.auth): a signed-in request then costs the database nothing
# before its view. The database cache would only swap one query for another: 0, not kept.
AUTH_USER_CACHE_SECONDS = (
    env.int("AUTH_USER_CACHE_SECONDS", default=60)
    if CACHES["default"]["BACKEND"] == "portal.redis_cache.RedisCache"
    else 0
)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/members/"
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
ACCOUNT_ADAPTER = "portal.accounts.AccountAdapter"
ACCOUNT_USER_DISPLAY = "portal.profiles.display_name"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# A new address is confirmed with a code sent to it, and only then replaces the old one;
# allauth allows email changes on MFA-protected accounts only with code verification.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Working Group Portal] "
# Five wrong passwords per account in 15 minutes (about 20 guesses an hour), and a cap
# per address; counted in the shared cache, so the limits hold across workers.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/15m/key",
    "login": "30/m/ip",
    # Feedback (home.antispam): more than five POSTs in ten minutes from one address get a 429.
    "feedback": env.str("FEEDBACK_RATE_LIMIT", default="5/10m/ip"),
    # Invitations (groups.membership.views), sent or sent again: per coordinator, and per
    # invited address whoever sends them, so no one is flooded with invitation emails.
    "invitation": env.str("INVITATION_RATE_LIMIT", default="30/h/user,100/d/user"),
    "invitation_address": env.str("INVITATION_ADDRESS_RATE_LIMIT", default="5/d/key"),
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Working Group Portal"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_RECOVERY_CODES_SHOW_ONCE = True
# Every signed-in account must have MFA before reaching anything but these.
MFA_EXEMPT_PATH_PREFIXES = ("/accounts/", "/exit/", "/static/", "/health/")
# URLs authenticated by a secret token alone, never by a session (members' calendar
# feeds): neither the MFA redirect nor the session timeout applies to them.
SESSIONLESS_PATH_PATTERNS = (r"^/members/[-\w]+/meetings/calendar/[^/]+\.ics$",)

# Sessions ---------------------------------------------------------------------------------
# Sessions end after 30 idle minutes (each request renews them) and, whatever the
# activity, 12 hours after sign-in. Renewing is not writing: portal.sessions stores a
# session when it changes, and otherwise at most once a minute (SESSION_WRITE_EVERY_SECONDS),
# so an idle session ends between 29 and 30 minutes after its last request. They are kept
# in the database, and read from Redis first when the shared cache is there (cached_db:
# Redis answers, the database keeps them through a Redis restart).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_WRITE_EVERY_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_HOURS", default=12) * 3600
SESSION_ENGINE = (
    "portal.sessions.cached_db"
    if CACHES["default"]["BACKEND"] == "portal.redis_cache.RedisCache"
    else "portal.sessions.db"
)
SESSION_CACHE_ALIAS = "default"

# Members may edit or delete their own updates for this long after posting.
UPDATE_EDIT_WINDOW_HOURS = env.int("UPDATE_EDIT_WINDOW_HOURS", default=24)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# The project's English wording where a package's differs: allauth's screens in sentence case.
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Storage ----------------------------------------------------------------------------------
# Uploaded files (the groups' documents) are local files under MEDIA_ROOT by default: one
# server only. AWS_STORAGE_BUCKET_NAME puts them in an S3-compatible bucket instead
# (django-storages), which every app server and worker shares; AWS_S3_ENDPOINT_URL names a
# provider other than AWS (MinIO, Ceph, a cloud's S3 API). The bucket stays private: files
# are only ever read by the portal and served through its own permission-checked view
# (WAGTAILDOCS_SERVE_METHOD below), never by a bucket URL; any URL the storage makes is
# signed and short-lived. Credentials come from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or from the machine's role (boto3's usual chain).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _s3_options = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        "location": env.str("AWS_LOCATION", default=""),
        "default_acl": None,  # the bucket's own: private
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    _uploads_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
else:
    _uploads_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _uploads_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "portal.storage.StaticFilesStorage"
    },
}

# Email: the console backend unless EMAIL_URL names an SMTP server. Everything is sent
# through the outbox (portal.outbox), never directly from a request.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Working Group Portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Retries: 1, 2, 4 … minutes, capped at an hour, 12 attempts: about 10 hours of outage
# before a row is marked failed (and `send_queued_email --retry-failed` still recovers it).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=12)
OUTBOX_BACKOFF_SECONDS = env.int("OUTBOX_BACKOFF_SECONDS", default=60)
OUTBOX_MAX_BACKOFF_SECONDS = env.int("OUTBOX_MAX_BACKOFF_SECONDS", default=3600)
# `manage.py send_digests` without --frequency sends the weekly digests on this weekday
# (0 is Monday … 6 is Sunday); daily ones on every run.
NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY = env.int("NOTIFICATIONS_WEEKLY_DIGEST_WEEKDAY", default=0)

# Trend returns are due this many days after the end of their quarter (shown on the form
# and in reminders).
TREND_RETURN_DEADLINE_DAYS = env.int("TREND_RETURN_DEADLINE_DAYS", default=30)
# A quarter's release is announced on /trends/ for this many days after the quarter ends.
TREND_RELEASE_DAYS = env.int("TREND_RELEASE_DAYS", default=60)
# Trend summaries: the smallest count published to members and to the public (smaller
# ones are hidden, see groups.trends.disclosure), and how many quarters the trend chart shows.
TREND_SUMMARY_MEMBERS_THRESHOLD = env.int("TREND_SUMMARY_MEMBERS_THRESHOLD", default=10)
TREND_SUMMARY_PUBLIC_THRESHOLD = env.int("TREND_SUMMARY_PUBLIC_THRESHOLD", default=10)
TREND_SUMMARY_QUARTERS = env.int("TREND_SUMMARY_QUARTERS", default=8)

# Feedback: a form sent back sooner than FEEDBACK_MIN_SECONDS after it was shown, or with a
# ticket older than FEEDBACK_FORM_MAX_AGE_SECONDS, is refused politely (home.antispam).
# `manage.py purge_feedback` deletes feedback after FEEDBACK_RETENTION_DAYS and sent email
# after OUTBOX_RETENTION_DAYS.
FEEDBACK_MIN_SECONDS = env.float("FEEDBACK_MIN_SECONDS", default=3)
FEEDBACK_FORM_MAX_AGE_SECONDS = env.int("FEEDBACK_FORM_MAX_AGE_SECONDS", default=12 * 3600)
FEEDBACK_TEXT_MAX_LENGTH = env.int("FEEDBACK_TEXT_MAX_LENGTH", default=5000)
FEEDBACK_RETENTION_DAYS = env.int("FEEDBACK_RETENTION_DAYS", default=365)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=30)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Operations: scheduled jobs, health checks, metrics ----------------------------------
# The recurring jobs are declared in portal.schedule with their cron expressions;
# `manage.py run_scheduler` enqueues each one when it is due and `manage.py db_worker`
# runs it. Cron expressions are read in TIME_ZONE.
# /health/ready/ fails when the worker's last heartbeat (a scheduled job every minute) is
# older than this, or when the oldest unsent email has waited longer than this.
HEALTH_HEARTBEAT_MAX_AGE_SECONDS = env.int("HEALTH_HEARTBEAT_MAX_AGE_SECONDS", default=300)
HEALTH_OUTBOX_MAX_AGE_SECONDS = env.int("HEALTH_OUTBOX_MAX_AGE_SECONDS", default=3600)
# Prometheus metrics at /metrics/ for whoever sends `Authorization: Bearer <METRICS_TOKEN>`;
# everyone else, and everyone when no token is set, gets a 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
PROMETHEUS_EXPORT_MIGRATIONS = False

# Wagtail
WAGTAIL_SITE_NAME = "Working Group Portal"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# A trend summary is published on a data steward's approval (groups.models.stewardship).
WAGTAIL_FINISH_WORKFLOW_ACTION = "portal.workflows.publish_approved"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Uploads: these types only, checked by content (portal.documents), and a size limit.
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("DOCUMENT_MAX_UPLOAD_MB", default=20) * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.documents.DocumentForm"
# Every document is downloaded, never opened in the browser's own tab from this origin.
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
# Passwords and email addresses are changed, and passwords reset, through allauth only
# (portal.urls redirects Wagtail's account page and password reset there).
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No avatars from Gravatar: the admin would send a hash of each user's email address to a
# third party (and the Content Security Policy blocks the images anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]},
    }
}

# Security. DJANGO_HTTPS is on by default whenever DEBUG is off; turn it off only to
# serve plain HTTP on a local machine (as `make bench` does).
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)
SECURE_HSTS_SECONDS = 63072000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The __Host- prefix binds cookies to this exact host over HTTPS; browsers refuse it on
# plain HTTP, so it is used only when HTTPS is on.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Content Security Policy: nothing from third parties, no inline script on the public
# site. The Wagtail admin needs inline styles and scripts (see portal.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Logging -------------------------------------------------------------------------------
# Plain lines by default; one JSON object per line with LOG_FORMAT=json, for a log
# collector. Both escape control characters, so a crafted value cannot forge a line.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
# One line per task run or scheduled job is noise, and so, on a developer's console, is
# one per page change (a demo load makes hundreds) and the autoreloader's greeting:
# below WARNING these loggers are dropped, failures still show. DJANGO_LOG_VERBOSE=1
# (`make run VERBOSE=1`) shows everything at DJANGO_LOG_LEVEL.
LOG_VERBOSE = env.bool("DJANGO_LOG_VERBOSE", default=False)
QUIET_LOGGERS = (
    []
    if LOG_VERBOSE
    else ["django_tasks", "django_tasks_db", "apscheduler", *(["wagtail", "django.utils.autoreload"] if DEBUG else [])]
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "portal.logging.EscapingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "filters": {
        # Wagtail's own log lines name pages by title; the filter keeps titles out of the logs.
        "no_page_titles": {"()": "portal.logging.NoPageTitlesFilter"},
        "quiet": {"()": "portal.logging.QuietLoggersFilter", "loggers": QUIET_LOGGERS},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["no_page_titles", "quiet"]}
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's default configuration gives its loggers a console handler of their own
        # while DEBUG is on: every line of theirs would show twice, once through the root's.
        "django": {"handlers": []},
        "django.db.backends": {"level": "WARNING"},
    },
}
