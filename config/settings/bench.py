"""Benchmarks (bench/, `make bench`): production-like request handling on 127.0.0.1 against a seeded
PostgreSQL database. Only here: the floor view (/bench/floor/) and the per-request query counter."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ff_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
# PDF rendering never happens in a web request: letters go to the Celery queue.
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Persistent connections, as gunicorn runs in production.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")

from .base import *  # noqa: E402,F403

DEBUG = False
# As in production: the cache (and with it the sessions, cached_db) in Redis, shared by all gunicorn workers.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}  # noqa: F405
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Seeded users all share one password; MD5 keeps seeding and logging in fast (never in production).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# The count of SQL queries of each response, in the header X-Query-Count (bench only).
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
