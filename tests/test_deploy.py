"""The production setup: docker-compose.yml, .env.example, docs/deploy.md and the production settings.

None of these tests needs the database.
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import env_bool

ROOT = Path(__file__).resolve().parent.parent

SERVICES = {"postgres", "redis", "minio", "createbucket", "mailpit", "web", "worker", "worker-letters", "beat"}
APP_SERVICES = ("web", "worker", "worker-letters", "beat")
REQUIRED_IN_PRODUCTION = (
    "DJANGO_SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "REDIS_URL",
    "STORAGE_BACKEND",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "EMAIL_HOST",
    "EMAIL_PORT",
)
_SETTINGS_READ = re.compile(
    r"""(?:env_str|env_bool|env_int|env_list|os\.environ\.get|os\.environ\.setdefault|getenv)\(\s*["']([A-Z0-9_]+)["']"""
)
_ENV_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env_example():
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = _ENV_LINE.match(line.strip())
        if match:
            values[match.group(1)] = match.group(2).strip().strip('"')
    return values


def _variables_read_by_settings():
    names = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        names.update(_SETTINGS_READ.findall(path.read_text(encoding="utf-8")))
    return names


# --- docker-compose.yml ----------------------------------------------------------


def test_compose_defines_every_service_production_needs(compose):
    assert SERVICES <= set(compose["services"])


def test_web_worker_and_beat_run_with_production_settings(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production", name
        assert service["env_file"] == ".env", name


def test_worker_and_beat_reuse_the_web_service_definition(compose):
    app = compose["x-app"]
    for name in APP_SERVICES:
        service = compose["services"][name]
        for key in ("build", "image", "env_file", "environment", "depends_on"):
            assert service[key] == app[key], f"{name}.{key}"


def test_web_migrates_syncs_roles_and_collects_static_before_gunicorn_starts(compose):
    command = " ".join(compose["services"]["web"]["command"])
    steps = [
        "manage.py migrate --noinput",
        "manage.py sync_roles",
        "manage.py collectstatic --noinput",
        "gunicorn config.wsgi:application",
    ]
    positions = [command.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), command


def test_worker_and_beat_run_celery_for_the_config_app(compose):
    worker = compose["services"]["worker"]["command"]
    beat = compose["services"]["beat"]["command"]
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert "--max-memory-per-child" in worker
    assert beat[:4] == ["celery", "-A", "config", "beat"]


def test_every_celery_queue_has_a_worker_and_pdfs_render_with_low_concurrency(compose):
    from django.conf import settings

    served = {}
    for name in ("worker", "worker-letters"):
        command = compose["services"][name]["command"]
        served[command[command.index("-Q") + 1]] = command
    assert set(served) == {queue.name for queue in settings.CELERY_TASK_QUEUES}
    letters = served[settings.CELERY_TASK_ROUTES["notifications.tasks.render_letter"]["queue"]]
    assert letters[letters.index("--concurrency") + 1] == "1"


# --- .env.example -----------------------------------------------------------------


def test_env_example_defines_every_variable_production_needs(env_example):
    missing = [name for name in REQUIRED_IN_PRODUCTION if not env_example.get(name)]
    assert not missing, f"missing or empty in .env.example: {missing}"
    assert env_example["STORAGE_BACKEND"] == "s3"


def test_env_example_documents_every_variable_the_settings_read(env_example):
    read = _variables_read_by_settings()
    assert "DJANGO_SECRET_KEY" in read  # the scan itself works
    assert read - set(env_example) == set()


def test_hosts_named_in_env_example_are_compose_services(compose, env_example):
    hosts = {
        urlsplit(env_example[name]).hostname
        for name in (
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_BROKER_URL",
            "CELERY_RESULT_BACKEND",
            "S3_ENDPOINT_URL",
        )
    }
    hosts.add(env_example["EMAIL_HOST"])
    assert hosts == {"postgres", "redis", "minio", "mailpit"}
    assert hosts <= set(compose["services"])


def test_database_url_in_env_example_matches_the_postgres_container(env_example):
    url = urlsplit(env_example["DATABASE_URL"])
    assert url.username == env_example["POSTGRES_USER"]
    assert url.password == env_example["POSTGRES_PASSWORD"]
    assert url.path.lstrip("/") == env_example["POSTGRES_DB"]


def test_deploy_docs_explain_every_variable_in_env_example(env_example):
    docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    undocumented = [name for name in env_example if f"`{name}`" not in docs]
    assert not undocumented


# --- config.settings.production --------------------------------------------------


def _setup_production(tmp_path, **env):
    """Run django.setup() with production settings in a fresh interpreter and the given variables."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in _variables_read_by_settings() and not key.startswith(("DJANGO_", "S3_"))
    }
    clean.update(DJANGO_SETTINGS_MODULE="config.settings.production", FONDSFLOW_VAR_DIR=str(tmp_path))
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_MINIMUM = {
    "DJANGO_SECRET_KEY": "test-secret-key-for-the-production-settings-check",
    "DATABASE_URL": "postgres://fondsflow:secret@127.0.0.1:5432/fondsflow",
    "ALLOWED_HOSTS": "fondsflow.example.org",
    "STORAGE_BACKEND": "local",
}


def _refuses_without(name, tmp_path):
    env = {key: value for key, value in PRODUCTION_MINIMUM.items() if key != name}
    result = _setup_production(tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_production_refuses_to_start_without_the_secret_key(tmp_path):
    _refuses_without("DJANGO_SECRET_KEY", tmp_path)


def test_production_refuses_to_start_without_a_database_url(tmp_path):
    _refuses_without("DATABASE_URL", tmp_path)


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    _refuses_without("ALLOWED_HOSTS", tmp_path)


def test_production_refuses_an_empty_secret_key(tmp_path):
    result = _setup_production(tmp_path, **{**PRODUCTION_MINIMUM, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_starts_with_secret_key_database_url_and_allowed_hosts(tmp_path):
    result = _setup_production(tmp_path, **PRODUCTION_MINIMUM)
    assert result.returncode == 0, result.stderr


# --- config.settings.env ------------------------------------------------------------


def test_the_boolean_parser_rejects_maybe(monkeypatch):
    monkeypatch.setenv("FONDSFLOW_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FONDSFLOW_TEST_FLAG"):
        env_bool("FONDSFLOW_TEST_FLAG", False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), (" Yes ", True), ("1", True), ("off", False), ("0", False), ("", False)],
)
def test_the_boolean_parser_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FONDSFLOW_TEST_FLAG", raw)
    assert env_bool("FONDSFLOW_TEST_FLAG", not expected) is expected
