"""Settings shared by every deployment; everything site-specific comes from the environment.

DATABASE_URL  sqlite:///path, postgres://user:pw@host:5432/db, mysql://user:pw@host:3306/db
              (default: SQLite file under SMELADDER_DATA_DIR)
SECRET_KEY    required when DEBUG is off
DEBUG         "1"/"true" to enable
ALLOWED_HOSTS comma-separated
SMELADDER_DATA_DIR  where the SQLite file and exports live (default: ./var under the cwd)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("SMELADDER_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Fail loudly rather than run production with a guessable key.
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "smeladder.accounts",
    "smeladder.reference",
    "smeladder.registry",
    "smeladder.screening",
    "smeladder.monitoring",
    "smeladder.policies",
    "smeladder.casework",
    "smeladder.jobs",
    "smeladder.api",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI files served locally: no CDN on an intranet
    "axes",
    "django_tasks",
    "django_tasks_db",
    "smeladder.web",
]

# Background jobs (screening runs, dashboard refresh) use the django-tasks backport of Django 6's
# tasks API, stored in the database so no broker is needed on an intranet. `smeladder db_worker`
# runs them (`make run` starts one beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The daily jobs' times (smeladder/jobs/schedule.py holds the defaults and why): overrides as
# "push_policies=09:00,escalate_cases=off" here from the environment, or a dict in a settings
# module. `smeladder scheduler` (started by `make run`) enqueues each job once a day.
SMELADDER_SCHEDULE: dict[str, str | None] | str = os.environ.get("SMELADDER_SCHEDULE", "")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (CSS, vendored ECharts/htmx) from the application server itself, so a single
    # gunicorn on an intranet needs no separate web server; a front proxy may still take them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "smeladder.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, as django-axes asks: it turns a lockout into the lockout response
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smeladder.urls"
WSGI_APPLICATION = "smeladder.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


def database_from_env() -> dict:
    default_sqlite = f"sqlite:///{DATA_DIR / 'smeladder.sqlite3'}"
    url = os.environ.get("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = default_sqlite
    config = dj_database_url.parse(url, conn_max_age=60)
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        # WAL lets the dev server read while a long import writes. Connections persist (each
        # server thread keeps its own): opening one and running the PRAGMAs on every request
        # was a measurable part of a page's time.
        config["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    elif engine.endswith("mysql"):
        config["OPTIONS"] = {
            "charset": "utf8mb4",
            "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
        }
        config.setdefault("TEST", {})
        config["TEST"].update({"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"})
    return config


DATABASES = {"default": database_from_env()}

# "assessments": the profile's outcome lines (web/views/profile.py), keyed by the content of a
# firm's facts, the date and the rulebooks, so an edit can never be answered from a stale entry.
# On disk under the data directory: shared by every gunicorn worker and kept across restarts.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "assessments": {
        "BACKEND": "smeladder.web.file_cache.OccasionallyCulledFileCache",
        "LOCATION": str(DATA_DIR / "cache" / "assessments"),
        "TIMEOUT": 2 * 24 * 3600,  # keys carry the date: yesterday's entries only wait to go
        "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Login throttling (django-axes): after 5 failures for one username from one address, that pair is
# locked out for 15 minutes; a success resets the count. Failures are kept in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/lockout.html"  # a Chinese page, not a bare 403/429

# The HTTP API (/api/v1/): session or token authentication, every call authenticated and scoped,
# errors as JSON with stable codes, an OpenAPI schema from drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "smeladder.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SME Ladder API 中小企业梯度培育平台",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Serve straight from the apps' static folders when `collectstatic` has not been run.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))

SESSION_COOKIE_HTTPONLY = True
# A working day, gone when the browser closes (shared office PCs); Secure flags: production.py
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False

# Demo accounts' password; documented in README, overridable for shared demos.
DEMO_PASSWORD = os.environ.get("SMELADDER_DEMO_PASSWORD", "ladder-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
