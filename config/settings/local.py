"""Embedded default for `make run`: SQLite, Celery eager, files under var/, mails to the console."""

import os

os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("DJANGO_DEBUG", "true")

from .base import *  # noqa: E402,F403

# WhiteNoise expects the directory; collectstatic fills it only in production.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
