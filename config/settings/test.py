"""Tests: real PostgreSQL and Redis on 127.0.0.1 (see .ci/run)."""

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fondsflow")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")
if "FONDSFLOW_VAR_DIR" not in os.environ:
    os.environ["FONDSFLOW_VAR_DIR"] = tempfile.mkdtemp(prefix="fondsflow-test-")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# WhiteNoise expects the directory; collectstatic fills it only in production.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
