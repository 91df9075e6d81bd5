"""Concord settings: every value comes from the environment, with safe development defaults.

SQLite and tasks in-process by default; PostgreSQL with DATABASE_URL, Celery with REDIS_URL.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or env_bool("CONCORD_DEV", default=True)):
        raise ImproperlyConfigured("SECRET_KEY must be set in production (CONCORD_DEV=false)")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "core.admin_site.ConcordAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "axes",  # sign-in lockout (security hardening, issue #11)
    "accounts",
    "core",
    "definition",
    "deliberation",
    "workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RejectHostileInputMiddleware",  # security hardening (issue #11)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lockout page
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'concord.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Without a busy timeout, the in-process worker and the web thread trip over each other's locks.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
# Where account pages send people back to: the profile with their votes and comments (a page
# of deliberation, which accounts may not name itself).
PROFILE_URL = "deliberation:profile"
HOME_URL = "deliberation:home"  # the list of definitions
JOIN_URL = "deliberation:join"  # a definition's page to apply to a group
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "concord@localhost")

REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "refresh-stale-summaries": {"task": "deliberation.tasks.refresh_stale_task", "schedule": 30.0},
    "verify-open-drafts": {"task": "deliberation.tasks.verify_open_drafts_task",
                           "schedule": env_int("CONSENSUS_VERIFY_SECONDS", 600)},
    "refresh-opinion-groups": {"task": "deliberation.tasks.refresh_opinion_groups_task",
                               "schedule": env_int("OPINION_REFRESH_SECONDS", 300)},
    "close-expired-drafts": {"task": "deliberation.tasks.close_expired_drafts_task",
                             "schedule": 60.0},
    "remind-closing": {"task": "deliberation.tasks.remind_closing_task",
                       "schedule": env_int("CLOSING_REMINDER_SECONDS", 900)},
    "regroup-stale-comments": {"task": "deliberation.tasks.regroup_stale_task",
                               "schedule": env_int("GROUPING_REFRESH_SECONDS", 300)},
}
# A burst of votes on one clause within this window costs one recompute.
CONSENSUS_DEBOUNCE_SECONDS = float(env_str("CONSENSUS_DEBOUNCE_SECONDS", "0.3"))
# The desk's stored grouping of similar comments (discussion.grouping): comments on one clause
# within this window cost one regrouping.
GROUPING_DEBOUNCE_SECONDS = float(env_str("GROUPING_DEBOUNCE_SECONDS", "5"))

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Rendered fragments under keys of their content (the figures of a clause): per process, no
    # network, so a page never waits on Redis for them; bounded, least recently used out.
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                  "LOCATION": "fragments", "TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 20000}},
}

# --- Queues, jobs and Redis outages (issue #10 items 2-4; README "Redis and Celery") -------------
# Consensus never waits behind exports: one queue each, one worker per queue in production.
CELERY_TASK_DEFAULT_QUEUE = "consensus"
CELERY_TASK_ROUTES = {
    "deliberation.tasks.export_task": {"queue": "exports"},
    # Grouping similar comments is CPU work that grows with a clause's comments: off consensus.
    "deliberation.tasks.regroup_clauses_task": {"queue": "exports"},
    "deliberation.tasks.regroup_stale_task": {"queue": "exports"},
    "deliberation.tasks.notify_reply_task": {"queue": "notifications"},
    "deliberation.tasks.notify_disposition_task": {"queue": "notifications"},
    "deliberation.tasks.notify_appeal_task": {"queue": "notifications"},
    "deliberation.tasks.remind_closing_task": {"queue": "notifications"},
    "definition.tasks.announce_draft_task": {"queue": "notifications"},
}
# An unacknowledged task (its worker was killed) is delivered again after this long: longer than
# the hard time limit, so that a slow task is never run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 0.5, "max_retries": 1,
    "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 60,
}
# A dead or hanging Redis costs a write at most half a second, once per REDIS_RETRY_SECONDS.
if REDIS_URL:
    CACHES["default"]["OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
REDIS_RETRY_SECONDS = float(env_str("REDIS_RETRY_SECONDS", "10"))
CONSENSUS_REFRESH_SECONDS = float(env_str("CONSENSUS_REFRESH_SECONDS", "30"))
CELERY_BEAT_SCHEDULE["refresh-stale-summaries"]["schedule"] = CONSENSUS_REFRESH_SECONDS
# Running jobs write a heartbeat; the reaper (on beat) re-queues a job whose heartbeat is older
# than JOB_STALE_SECONDS (its worker died), up to JOB_MAX_ATTEMPTS runs, then marks it failed.
JOB_HEARTBEAT_SECONDS = float(env_str("JOB_HEARTBEAT_SECONDS", "10"))
JOB_STALE_SECONDS = float(env_str("JOB_STALE_SECONDS", "60"))
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 2)
JOB_REAP_SECONDS = float(env_str("JOB_REAP_SECONDS", "30"))
# A job still pending this long after it was queued is queued again (its message was lost, e.g.
# Redis restarted empty); failed after three times this long.
JOB_PENDING_SECONDS = float(env_str("JOB_PENDING_SECONDS", "900"))
CELERY_BEAT_SCHEDULE["reap-stale-jobs"] = {"task": "deliberation.tasks.reap_stale_jobs_task",
                                           "schedule": JOB_REAP_SECONDS}
# Export jobs in flight (pending or running) per person; an identical finished export is reused
# for this long.
EXPORT_JOBS_PER_USER = env_int("EXPORT_JOBS_PER_USER", 2)
EXPORT_REUSE_SECONDS = env_int("EXPORT_REUSE_SECONDS", 600)
# --- end of queues, jobs and Redis outages ------------------------------------------------------

REST_FRAMEWORK = {
    # Token first: its header becomes the WWW-Authenticate challenge, so anonymous writes get 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api_classes.StrictTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": ["core.api_classes.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50),
    "DEFAULT_SCHEMA_CLASS": "core.api.ConcordAutoSchema",
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["core.api_classes.WriteThrottle"],
    # Per user, or per address when anonymous; generous by default so benchmarks are not throttled.
    "DEFAULT_THROTTLE_RATES": {
        "votes": env_str("THROTTLE_VOTES", "600/min"),
        "comments": env_str("THROTTLE_COMMENTS", "120/min"),
        "register": env_str("THROTTLE_REGISTER", "60/min"),
        "token": env_str("THROTTLE_TOKEN", "60/min"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Concord API",
    "DESCRIPTION": (
        "Drafting one definition together: drafts, clauses, votes, comments and consensus. "
        "Authenticate with `Authorization: Token <key>` (POST /api/v1/auth/token/) or a session. "
        "Every error is `{detail, errors: {field: [messages]}}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Links of the main flow and "no empty query value" (security hardening, issue #11).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "core.api_schema.refine_schema"],
    "ENUM_NAME_OVERRIDES": {
        "PositionEnum": "deliberation.models.Position",
        "DispositionStatusEnum": "deliberation.models.Disposition.Status",
        "MembershipStatusEnum": "definition.models.Membership.Status",
        "DraftStatusEnum": "definition.models.Draft.Status",
    },
}

# Logging, one configuration: every record is one JSON line on stderr; request errors (5xx,
# uncaught exceptions) carry the request's method, path, status and user id (config/logs.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logs.JsonFormatter"}},
    # The process's real stderr, even where sys.stderr is replaced (Celery makes it a logger).
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.__stderr__",
                             "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Without Django's default handlers (text in DEBUG, mail to ADMINS): up to the root's.
        "django": {"handlers": [], "level": env_str("LOG_LEVEL", "WARNING"), "propagate": True},
    },
}

# Celery keeps this configuration (its -l option still sets the level): worker lines are JSON too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Security headers and production hardening (issue 11) --------------------------------------
# A Content-Security-Policy without inline script or style on every page (django-csp 4); the one
# view that needs more (Swagger UI's inline <style>) relaxes it for itself in config/api_urls.py.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# /healthz is answered before anything else (host check, HTTPS redirect, sessions): probes.
MIDDLEWARE.insert(0, "core.health.HealthzMiddleware")
PRODUCTION = not DEBUG and not env_bool("CONCORD_DEV", default=True)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    # "HEADER,value" as the proxy in front sets it; empty when nothing in front sets it.
    _proxy_header = env_list("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO,https")
    if _proxy_header:
        if len(_proxy_header) != 2:
            raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be 'HEADER,value', "
                                       "e.g. HTTP_X_FORWARDED_PROTO,https")
        SECURE_PROXY_SSL_HEADER = tuple(_proxy_header)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must not hang a request (or /healthz) for minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
# Static files come from collectstatic (STATIC_ROOT) in production; elsewhere whitenoise also
# finds them in place, so that a development server needs no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Security hardening (issue #11) -----------------------------------------------------------------
# Request bodies: JSON API bodies are refused (400) past a size and a nesting depth; form posts past
# DATA_UPLOAD_MAX_MEMORY_SIZE. The largest legitimate body is a Markdown import of IMPORT_MAX_CHARS
# characters: up to 6 bytes each as JSON `\uXXXX` escapes, 9 bytes each URL-encoded in a form.
API_JSON_MAX_BYTES = env_int("API_JSON_MAX_BYTES", 8 * 1024 * 1024)
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
API_ARCHIVE_MAX_BYTES = env_int("API_ARCHIVE_MAX_BYTES", 100 * 1024 * 1024)  # import-archive
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
# Markdown import: at most this many clauses and characters, else the whole import is refused.
IMPORT_MAX_CLAUSES = env_int("IMPORT_MAX_CLAUSES", 2000)
IMPORT_MAX_CHARS = env_int("IMPORT_MAX_CHARS", 1_000_000)
# Sign-in lockout (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one address, sign-in (pages, admin, API token) is refused for LOGIN_COOLOFF_MINUTES. Attempts live
# in the database (no dependency on Redis); admins see and clear them in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # failures only: successful sign-ins are not logged
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"  # registration/locked_out.html, 429
AXES_IPWARE_PROXY_COUNT = env_int("LOGIN_PROXY_COUNT", 0) or None  # proxies in front, if any
AXES_VERBOSE = env_bool("LOGIN_LOCKOUT_VERBOSE", default=False)
