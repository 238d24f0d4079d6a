"""Settings for the MOPR case-management project, read from the environment in one place.

Defaults are the demo's: an SQLite file and Celery running tasks eagerly in-process,
so that a newcomer's first command works without PostgreSQL or Redis. Production sets
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and the e-mail settings.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """A setting from the environment; NAME_FILE (a path) takes precedence, for secrets."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = (env(name, default) or "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    try:
        return int(env(name, str(default)))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = env("SECRET_KEY") or ""
if not SECRET_KEY:
    if not (DEBUG or envbool("MOPR_DEMO", "false") or os.environ.get("PYTEST_VERSION")):
        raise ImproperlyConfigured("SECRET_KEY must be set (or DEBUG/MOPR_DEMO for local use)")
    SECRET_KEY = "insecure-demo-key-only-for-local-use-" + "x" * 20

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "csp",
    "mopr",
    "units",
    "complaints",
    "bluecard",
    "grants",
]
# The domain apps, in menu order: the header's menu, the second-factor hooks and the demo data read this one
# list (each app offers permissions.can_open_module / requires_second_factor and demo.seed where it has them).
DOMAIN_APPS = [
    {"app": "complaints", "url": "complaints:list", "label": "Skargi i wnioski"},
    {"app": "bluecard", "url": "bluecard:home", "label": "Niebieska Karta"},
    {"app": "grants", "url": "grants:list", "label": "Konkursy ofert"},
]
if os.environ.get("PYTEST_VERSION") or os.environ.get("MOPR_TEST_APPS"):
    INSTALLED_APPS.append("tests.testapp")  # a unit-owned record for the permission-service tests

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mopr.memo.RequestMemoMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mopr.middleware.SessionTimeoutMiddleware",
    "mopr.middleware.LoginRequiredMiddleware",
    "mopr.site.otp.OTPRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "mopr.middleware.NoStoreMiddleware",
    "mopr.middleware.RefusedReadMiddleware",
    "mopr.middleware.SuperuserAuditMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mopr.urls"
WSGI_APPLICATION = "mopr.wsgi.application"

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
                "mopr.site.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo on SQLite: a writing transaction takes the lock at BEGIN and waits up to 20 s for it, so two
    # clerks registering at once queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SIMPLE_HISTORY_REVERT_DISABLED = True  # and mopr.adminbase.HistoryAdmin refuses the POST itself

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mopr.auth.AccountThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock username+IP after N failures for a cool-off period.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# On top of username+IP: one account, any address (mopr.auth).
ACCOUNT_FAILURE_LIMIT = envint("ACCOUNT_FAILURE_LIMIT", 20)
ACCOUNT_LOCK_WINDOW = timedelta(minutes=envint("ACCOUNT_LOCK_MINUTES", 60))
AXES_RESET_ON_SUCCESS = True
# The client IP comes from the proxy's header only when a proxy is configured (mopr.accesslog.client_ip).
BEHIND_PROXY = envbool("BEHIND_PROXY", "false")
PROXY_COUNT = envint("PROXY_COUNT", 1)
AXES_CLIENT_IP_CALLABLE = "mopr.accesslog.client_ip"
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions: idle and absolute timeouts (minutes), enforced by mopr.middleware.
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_MINUTES", 30) * 60
SESSION_ABSOLUTE_TIMEOUT = envint("SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = envbool("SECURE_COOKIES", "false" if DEBUG else "true")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
SECURE_REDIRECT_EXEMPT = [r"^zdrowie/$"]  # the container healthcheck speaks plain HTTP inside the network
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS", "")

# Content-Security-Policy (django-csp 4): nothing inline, nothing external.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Roles that must verify a second factor (TOTP) before any protected page (mopr/otp.py); on in production.
OTP_REQUIRED = envbool("OTP_REQUIRED", "false" if DEBUG or envbool("MOPR_DEMO", "false") else "true")
OTP_TOTP_ISSUER = "MOPR"

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski")]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mopr.formats"]  # dates as dd.mm.rrrr (mopr/formats/pl/formats.py)

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        # Production default: hashed names, long cache lifetimes, compressed files (run collectstatic).
        if envbool(
            "MANIFEST_STATIC",
            "false" if DEBUG or envbool("MOPR_DEMO", "false") or os.environ.get("PYTEST_VERSION") else "true",
        )
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never served publicly: documents go through permission-checked views
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_MB", 10) * 1024 * 1024
ATTACHMENT_EXTENSIONS = envlist("ATTACHMENT_EXTENSIONS", "pdf,jpg,jpeg,png,odt,docx,xml,txt")

# E-mail
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or envbool("MOPR_DEMO", "false")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "MOPR <no-reply@mopr.local>")

# Celery: Redis in production; with no REDIS_URL tasks run eagerly (the demo).
REDIS_URL = env("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# The cache (and the sessions read through it) lives in Redis when there is one, so that every gunicorn
# worker shares it; the demo keeps it in memory. Sessions are cached_db: read from the cache, written to both.
CACHES = (
    {"default": {"BACKEND": "mopr.cache.TolerantRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "mopr"}}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)
# Sessions through the cache only when the cache is shared by every process (Redis); with a per-process
# memory cache a logged-out session would live on in the other workers, so the database alone serves them.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing a task never holds a page for long when Redis is down: the row waits in the database and the
# sweeps (digest, pending documents) pick it up (mopr.tasks.enqueue_on_commit).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_BEAT_SCHEDULE = {
    # K5: a frequent idempotent scan; the outbox key makes it one digest per person per day.
    "deadline-digest": {
        "task": "mopr.tasks.send_deadline_digests",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    # Documents whose render was never queued (Redis down at the time) or was lost: rendered late, not never.
    "render-pending-documents": {
        "task": "mopr.tasks.render_pending_documents",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    # B2, B12: overdue meetings and the annual report.
    "bluecard-daily-checks": {
        "task": "bluecard.tasks.bluecard_daily_checks",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # U4/U7: who acts for whom changes with dated absences and memberships.
    "recompute-unit-groups": {
        "task": "units.tasks.recompute_unit_groups",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    # R1: data-processing authorisations end with the membership (a future end date takes effect that day).
    "registers-expire-authorisations": {
        "task": "units.tasks.registers_expire_authorisations",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}
# The outbox (mopr/outbox.py): batches over one SMTP connection, bounded in time; retries with a growing pause.
OUTBOX_BATCH_SECONDS = envint("OUTBOX_BATCH_SECONDS", 120)
OUTBOX_BATCH_MAX = envint("OUTBOX_BATCH_MAX", 5000)
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_RETRY_MINUTES = envint("OUTBOX_RETRY_MINUTES", 5)
DIGEST_START_HOUR = envint("DIGEST_START_HOUR", 6)
DIGEST_WINDOW_WORKING_DAYS = envint("DIGEST_WINDOW_WORKING_DAYS", 3)
PDF_RENDER_TIME_LIMIT = envint("PDF_RENDER_TIME_LIMIT", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "mopr.security": {"handlers": ["console"], "level": "INFO"},
        "django.request": {"handlers": ["console"], "level": "WARNING"},
    },
}

GUARDIAN_RAISE_403 = False
GUARDIAN_MONKEY_PATCH_USER = False
ANONYMOUS_USER_NAME = None
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
