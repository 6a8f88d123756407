"""
WSGI config for portal project.

It exposes the WSGI callable as a module-level variable named ``application``, loaded and warmed
up when the module is imported (portal/warmup.py): gunicorn imports it in each worker before the
worker accepts a connection (or once in the master with ``preload_app``), so no request pays for
the imports, and the collector's full collections leave the start-up heap alone.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

from portal.warmup import prepare  # noqa: E402 (needs the settings get_wsgi_application loaded)

prepare()
