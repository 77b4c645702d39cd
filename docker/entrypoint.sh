#!/bin/sh
# Start one relcap process in a container: `web` (the default), `worker` or `beat`.
#   web:    apply migrations, check the production settings, serve with gunicorn.
#   worker: a Celery worker on CELERY_BROKER_URL (health: manage.py task_health worker).
#   beat:   Celery beat, the schedules of relcap/settings.py (health: manage.py task_health beat).
# CI runs this same script for all three (see .ci/run), since no Docker engine runs on our machines.
set -eu
role="${1:-web}"
case "$role" in
  web)
    python manage.py migrate --noinput
    python manage.py check --deploy --fail-level WARNING
    exec gunicorn relcap.wsgi:application \
      --bind "0.0.0.0:${PORT:-8000}" \
      --workers "${GUNICORN_WORKERS:-3}" \
      --timeout 30 \
      --graceful-timeout 30 \
      --access-logfile - \
      --logger-class relcap.gunicorn_logging.RedactingLogger \
      --access-logformat '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s' \
      --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
    ;;
  worker|beat)
    if [ -z "${CELERY_BROKER_URL:-}" ]; then
      echo "set CELERY_BROKER_URL (e.g. redis://redis:6379/0) to run the $role" >&2
      exit 2
    fi
    python manage.py check --deploy --fail-level WARNING
    if [ "$role" = worker ]; then
      exec celery -A relcap worker --loglevel "${CELERY_LOG_LEVEL:-INFO}" \
        --concurrency "${CELERY_WORKER_CONCURRENCY:-2}" --hostname "celery@$(hostname)"
    fi
    exec celery -A relcap beat --loglevel "${CELERY_LOG_LEVEL:-INFO}" \
      --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/relcap-celerybeat-schedule}"
    ;;
  *)
    echo "usage: docker/entrypoint.sh [web|worker|beat]" >&2
    exit 2
    ;;
esac
