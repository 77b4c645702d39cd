"""ASGI entry point, for servers that speak ASGI: requests are read as UTF-8 only."""

import os

from relcap.charset import asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcap.settings")
application = asgi_application()
