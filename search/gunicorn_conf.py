"""gunicorn's settings for `make serve` (`gunicorn -c python:search.gunicorn_conf search.wsgi`).

Where it listens and how many workers it runs come from the command line (BIND and
WEB_CONCURRENCY in the Makefile); what bounds a request, and the start-up checks, are here.
"""

worker_class = "sync"

# A publish may wait up to 30 s for SQLite's write lock, then parse and index: 60 s.
timeout = 60
# On a stop or a restart, requests under way get this long to finish; a publish cut
# short is rolled back whole (one transaction), so nothing is left half-done.
graceful_timeout = 30

# The request line: 8190 bytes (gunicorn's most), so that a query of the 500 characters
# search reads (search/engine/query.py), Chinese and so 9 bytes each once percent-encoded,
# still arrives with its filters: longer is refused (414) before Django sees it.
limit_request_line = 8190
# Browsers send about 15 headers and a proxy adds a few: 50 leave room, not for floods.
limit_request_fields = 50
# One header's size (gunicorn's default): cookies here are a session and a CSRF token.
limit_request_field_size = 8190
# Bodies are bounded in Django, before anything reads them (search/web/protection.py).

accesslog = "-"
# No control socket: nothing here uses gunicornc.
control_socket_disable = True

# Each worker imports search.wsgi itself, after the fork, which checks and warms it up
# (search/warmup.py) before it accepts a request. The index's searcher, its follower
# thread and database connections opened in the master would not survive the fork as
# they should: only jieba's dictionary is loaded there (`on_starting`), shared by every
# worker, copy-on-write, and never loaded again by one that restarts.
preload_app = False


def on_starting(server):
    """Refuse to start, saying why, before binding: the checks of search/checks.py."""
    import os

    import django
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "search.settings")
    try:
        django.setup()
        from search.checks import require_ready_to_serve

        require_ready_to_serve()
        from search.engine.analysis import jieba_tokenizer

        jieba_tokenizer()
    except ImproperlyConfigured as error:
        # gunicorn prints a RuntimeError's message alone and exits with status 1.
        raise RuntimeError(str(error)) from None
