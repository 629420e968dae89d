"""Parts of public pages kept in the results cache, keyed by the state of the stored data.

A document's page without a query is a function of stored rows alone: its texts, the
documents related to it, the partners of its paragraphs' wording and what cites it. It
is built once for each state of the data, not once a view. The key holds what every
writer changes: each publish, replace, delete, staff edit and draft-match correction
writes the change log (IndexChange) in its own transaction, and a trace of shared
wording inserts SharedWording rows with ids never used before. So the state is the
log's last number and time, how many of its last LATE_CHANGES numbers are visible (on
PostgreSQL a change may become visible after a later one), and the last SharedWording
id: one query. Any write makes every page built before it unreachable; pages are built
again as they are asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import connection

from search.models import IndexChange, SharedWording
from search.web.comparing import CACHE

T = TypeVar("T")

# Raised when what a cached page holds changes shape: earlier entries become unreachable.
VERSION = 1
LATE_CHANGES = 1000


def data_state() -> str:
    """The state of everything a public page shows, read in one query."""
    quote = connection.ops.quote_name
    log, seq, created = (
        quote(IndexChange._meta.db_table),
        quote(IndexChange._meta.pk.column),
        quote(IndexChange._meta.get_field("created_at").column),
    )
    pairs, pair_id = quote(SharedWording._meta.db_table), quote(SharedWording._meta.pk.column)
    sql = (
        f"SELECT (SELECT MAX({seq}) FROM {log}),"
        f" (SELECT MAX({created}) FROM {log}),"
        f" (SELECT COUNT(*) FROM {log} WHERE {seq} > (SELECT MAX({seq}) FROM {log}) - %s),"
        f" (SELECT MAX({pair_id}) FROM {pairs})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [LATE_CHANGES])
        return ".".join(str(value or 0) for value in cursor.fetchone())


def cached_part(name: str, parts: tuple, build: Callable[[], T]) -> T:
    """Return `build()`, kept under `name`, `parts` and the data's state."""
    # Hashed: a document's key and the site's address could make a key longer than
    # memcached allows.
    digest = hashlib.sha256(repr((data_state(), *parts)).encode()).hexdigest()
    key = f"page:{VERSION}:{name}:{digest}"
    cache = caches[CACHE]
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found)
    return found
