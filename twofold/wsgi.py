"""WSGI entry point (gunicorn twofold.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twofold.settings")
application = get_wsgi_application()
