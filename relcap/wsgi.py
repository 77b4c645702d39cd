"""WSGI entry point used by gunicorn (and runserver): requests are read as UTF-8 only."""

import os

from relcap.charset import wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcap.settings")
application = wsgi_application()
