"""Settings for Celery worker processes started by tests (tests/notifications/test_resilience.py): the base
settings, everything else (database, broker, media directory, eager mode off) from the environment the test
passes. Mails are written to files (tests.support.slow_mail) and letters stored by tests.support.slow_storage,
both slowed down only on request.

Not config.settings.test: that one makes a fresh temporary directory on import, one left behind per worker."""

from config.settings.base import *  # noqa: F403

EMAIL_BACKEND = "tests.support.slow_mail.SlowFileBackend"
STORAGES["default"] = {  # noqa: F405
    "BACKEND": "tests.support.slow_storage.SlowFileSystemStorage",
    "OPTIONS": {"location": str(MEDIA_ROOT)},  # noqa: F405
}
