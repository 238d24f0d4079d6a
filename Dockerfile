# The production image: runtime dependencies only (requirements.lock), run as an unprivileged user that owns
# the media and static folders. One image serves web, worker, beat and the one-off migrate job.
# The Polish message catalogue is compiled in a throwaway stage: GNU gettext stays out of the runtime image.
FROM python:3.11-slim AS messages
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY locale /locale
RUN msgfmt --check -o /locale/pl/LC_MESSAGES/django.mo /locale/pl/LC_MESSAGES/django.po

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MEDIA_ROOT=/data/media \
    STATIC_ROOT=/app/staticfiles

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 mopr \
    && useradd --system --uid 10001 --gid mopr --home-dir /app --shell /usr/sbin/nologin mopr

WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock

COPY --chown=mopr:mopr . .
COPY --from=messages --chown=mopr:mopr /locale/pl/LC_MESSAGES/django.mo locale/pl/LC_MESSAGES/django.mo
RUN SECRET_KEY=collectstatic-only-not-secret MANIFEST_STATIC=true python manage.py collectstatic --noinput \
    && mkdir -p /data/media \
    && chown -R mopr:mopr /data /app/staticfiles

USER mopr
EXPOSE 8000
# exec form everywhere: the process named in "command" is PID 1's child under init and receives SIGTERM.
CMD ["gunicorn", "mopr.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--graceful-timeout", "30"]
