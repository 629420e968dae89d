"""Pay, before a server process takes its first request, what its first search would pay.

search/wsgi.py calls warm_up() in every process that serves: each gunicorn worker
(after the fork: see search/gunicorn_conf.py) and runserver. Without it the first
Chinese search of each worker waited for jieba's dictionary, seconds on a busy machine.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, connections
from django.template.loader import get_template

from search.engine.analysis import analyze, jieba_tokenizer, literal_analyzer, word_analyzer
from search.engine.index import IndexUnavailable
from search.engine.searching import search_paragraphs

log = logging.getLogger(__name__)

# Chinese and English, words and a phrase: every analyzer, the index's readers and the
# highlighter are loaded by them.
QUERIES = ("贩运人口", "trafficking in persons")
# The search page's templates, compiled once per process (Django's cached loader).
TEMPLATES = ("base.html", "search/home.html", "search/_results.html", "search/_count.html")


def load_language_data() -> None:
    jieba_tokenizer()
    for text in QUERIES:
        analyze(word_analyzer(), text)
        analyze(literal_analyzer(), text)


def search_once() -> None:
    """Open the index and search; an index still being built or a database not answering
    yet is logged, not raised."""
    try:
        for q in QUERIES:
            search_paragraphs(q)
    except (IndexUnavailable, DatabaseError) as error:
        log.warning("warming up: the first search failed (%s); serving anyway", error)
    finally:
        # Opened outside a request: closed here, as a request's end would have.
        connections.close_all()


def compile_templates() -> None:
    for name in TEMPLATES:
        get_template(name)


# What warm_up does, in order, by the name its log line gives each.
STEPS = {
    "language data": load_language_data,
    "index and a search": search_once,
    "templates": compile_templates,
}


def warm_up() -> dict[str, float]:
    """Load the language data, open the index and run a search; return the seconds each took.

    A missing dictionary raises (the start-up checks say so first). An index still being
    built or a database not answering yet is logged: the worker serves anyway, and says
    so on /healthz, as it would have on its first request.
    """
    took = {}
    for name, step in STEPS.items():
        started = time.perf_counter()
        step()
        took[name] = time.perf_counter() - started
    log.info("ready to serve: %s", ", ".join(f"{name} {seconds:.2f} s" for name, seconds in took.items()))
    return took
