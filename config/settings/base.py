"""Settings shared by every environment. Values come from the environment (see README)."""

import json
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from kombu import Queue

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("FONDSFLOW_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "unsafe-local-development-key-do-not-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "viewflow",
    "viewflow.workflow",
    "fonds",
    "notifications",
    "workflows",
]

# viewflow's AppConfig appends its SiteMiddleware and HotwireTurboMiddleware itself.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fonds.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous users get a login redirect instead of viewflow's bare 403;
    # public pages opt out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# Every form renders labels, hints and errors the accessible KERN way (fonds/templates/fonds/forms/).
FORM_RENDERER = "fonds.forms_renderer.FondsFormRenderer"

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
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fondsflow.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# ModelBackend, reading a user's permissions in one query (fonds/auth_backend.py).
AUTHENTICATION_BACKENDS = ["fonds.auth_backend.FondsBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded documents and letters are private: no MEDIA_URL is served; every file
# goes out through a view that checks access.
MEDIA_URL = "/nicht-oeffentlich/"

STORAGE_BACKEND = env_str("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "eu-central-1"),
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
elif STORAGE_BACKEND == "local":
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("STORAGE_BACKEND muss 'local' oder 's3' sein.")

STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads
FONDSFLOW_MAX_UPLOAD_BYTES = env_int("FONDSFLOW_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
FONDSFLOW_MAX_APPLICATION_BYTES = env_int("FONDSFLOW_MAX_APPLICATION_BYTES", 200 * 1024 * 1024)
FONDSFLOW_MAX_FILES_PER_APPLICATION = env_int("FONDSFLOW_MAX_FILES_PER_APPLICATION", 30)
FONDSFLOW_MAX_IMAGE_PIXELS = env_int("FONDSFLOW_MAX_IMAGE_PIXELS", 40_000_000)
# Bekanntgabe of a posted notice: this many days after posting (§ 41 Abs. 2 VwVfG NRW: 3; federal VwVfG since
# 2025: 4). See docs/finance.md.
FONDSFLOW_NOTICE_DAYS_AFTER_POSTING = env_int("FONDSFLOW_NOTICE_DAYS_AFTER_POSTING", 3)
# No single request may carry more files than an application may hold.
DATA_UPLOAD_MAX_NUMBER_FILES = FONDSFLOW_MAX_FILES_PER_APPLICATION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Fondsflow <noreply@localhost>")

# Celery: explicit, JSON only, idempotent tasks acknowledged late.
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_RESULT_EXPIRES = 3600
# WeasyPrint children grow with every render; recycle them.
CELERY_WORKER_MAX_TASKS_PER_CHILD = 200
# An unacknowledged message (worker killed) comes back after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
# A broker that is down must not hang a request: publishing gives up quickly; the outbox row waits and the
# periodic requeue delivers it once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
# PDF rendering has its own queue, served in production by a worker with low concurrency.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {"notifications.tasks.render_letter": {"queue": "letters"},
                      "notifications.tasks.render_board_packs": {"queue": "letters"},
                      "notifications.tasks.render_minutes": {"queue": "letters"},
                      "notifications.tasks.render_letter_batch": {"queue": "letters"}}
# Workers consume both queues unless started with -Q; production runs one worker per queue.
CELERY_TASK_QUEUES = (Queue("celery"), Queue("letters"))
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "fire-due-timers": {"task": "workflows.tasks.fire_due_timers", "schedule": 60.0},
    "requeue-stuck-letters": {"task": "notifications.tasks.requeue_unrendered_letters", "schedule": 300.0},
    "requeue-notifications": {"task": "notifications.tasks.requeue_notifications", "schedule": 60.0},
    "daily-reminders": {"task": "notifications.tasks.send_reminders", "schedule": crontab(hour=7, minute=0)},
    "overdue-tasks": {"task": "workflows.tasks.send_task_reminders", "schedule": crontab(hour=7, minute=15)},
    # Written procedures (Umlaufverfahren) past their response deadline: the answers decide.
    "close-written-procedures": {"task": "workflows.tasks.close_written_procedures", "schedule": 300.0},
    "meetings-ahead": {"task": "workflows.tasks.remind_meetings_ahead", "schedule": crontab(hour=7, minute=40)},
    "conflict-declarations": {"task": "workflows.tasks.remind_conflict_declarations",
                              "schedule": crontab(hour=7, minute=45)},
    "weekly-digest": {"task": "workflows.tasks.send_weekly_digest",
                      "schedule": crontab(hour=7, minute=30, day_of_week="mon")},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

SESSION_COOKIE_HTTPONLY = True
# Idle timeout: activity renews the session (at most once a minute, fonds.middleware); pages warn two minutes
# before it runs out.
SESSION_COOKIE_AGE = env_int("FONDSFLOW_SESSION_MINUTES", 60) * 60
# Sessions are read from the cache and written through to the database; production shares the cache (Redis)
# between all processes, the quick start runs in one process.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

VIEWFLOW = {}

# Working days per staff step before it is overdue, e.g. '{"eligibility": 10}' (defaults in workflows/deadlines.py).
FONDSFLOW_STEP_WORKING_DAYS = json.loads(env_str("FONDSFLOW_STEP_WORKING_DAYS", "{}"))
# Days after its due date when a still open staff task is reported to the team leads as well.
FONDSFLOW_ESCALATE_AFTER_DAYS = int(env_str("FONDSFLOW_ESCALATE_AFTER_DAYS", "5"))

# Links in e-mails point here.
FONDSFLOW_BASE_URL = env_str("FONDSFLOW_BASE_URL", "http://127.0.0.1:8000")

# Reports of barriers from the accessibility statement's feedback form go here.
FONDSFLOW_ACCESSIBILITY_EMAIL = env_str("FONDSFLOW_ACCESSIBILITY_EMAIL", "barrierefreiheit@dorsten.example")

# Map tiles for the area map (Leaflet URL template, e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png").
# Empty: no tiles; the map shows the eligible area and the marker on a plain background.
FONDSFLOW_MAP_TILES = env_str("FONDSFLOW_MAP_TILES", "")
# Shown with the tiles, as the OpenStreetMap licence asks.
FONDSFLOW_MAP_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap-Mitwirkende</a>'
