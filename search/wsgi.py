"""The web process's entry: gunicorn's workers and runserver import `application` from here.

Before the first request: refuse to serve what would fail (search/checks.py), then
pay what a first search would (search/warmup.py). Both run in the process that serves:
gunicorn imports this in each worker after the fork (preload_app stays off, see
search/gunicorn_conf.py), runserver when it starts its server.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
application = get_wsgi_application()

from search.checks import require_ready_to_serve  # noqa: E402 (needs the apps loaded above)
from search.warmup import warm_up  # noqa: E402

require_ready_to_serve()
warm_up()
