#!/bin/sh
# Start relcap in a container: apply migrations, check the production settings, serve.
# CI runs this same script (see .ci/run), since no Docker engine runs on our machines.
set -eu
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
