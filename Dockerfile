# Fondsflow application image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    FONDSFLOW_VAR_DIR=/app/var \
    PYTHONPATH=/app

# What WeasyPrint dlopens (Pango, HarfBuzz with subsetting, fontconfig) and a font for the letters.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libharfbuzz0b libfontconfig1 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --user-group fondsflow

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml LICENSE README.m[d] ./
RUN pip install .

# The layout is fixed (see DESIGN.md): a new top-level directory needed at run time gets a line here.
COPY manage.py ./
COPY config ./config
COPY fonds ./fonds
COPY notifications ./notifications
COPY workflows ./workflows
# Translations: the compiled catalogue is committed and checked up to date by tests/test_i18n.py.
COPY locale ./locale
# The code runs from /app (PYTHONPATH) so templates, static files and translations beside it are found.
RUN pip install --no-deps . \
    && mkdir -p /app/var \
    && chown fondsflow:fondsflow /app/var

USER fondsflow
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
