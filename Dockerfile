# relcap image: gunicorn serving Django (static files through whitenoise), or a Celery worker or
# beat: `docker/entrypoint.sh web|worker|beat` (web is the default).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_DEBUG=false

# Pango for WeasyPrint, which renders the report as PDF; gettext's msgfmt compiles the interface
# translations (locale/*/LC_MESSAGES/django.po) during the build.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
       gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY relcap ./relcap
COPY assessments ./assessments
COPY profiles ./profiles
COPY analysis ./analysis
COPY practice ./practice
COPY moments ./moments
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY manage.py ./
COPY docker ./docker
RUN pip install -c constraints.txt -e . \
    && DJANGO_SECRET_KEY=collectstatic-only DJANGO_EMAIL_BACKEND=discard \
       python manage.py collectstatic --noinput \
    && DJANGO_SECRET_KEY=compilemessages-only DJANGO_EMAIL_BACKEND=discard \
       python manage.py compilemessages \
    && useradd --system --home /app relcap \
    && mkdir -p /app/media && chown relcap /app/media

USER relcap
# Report PDFs; mount one volume here in web and worker containers (docker-compose.yml does).
ENV RELCAP_MEDIA_ROOT=/app/media
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
ENTRYPOINT ["docker/entrypoint.sh"]
CMD ["web"]
