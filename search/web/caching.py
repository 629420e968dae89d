"""Parts of public pages kept in the results cache, keyed by the state of the stored data.

A document's page without a query is a function of stored rows alone: its texts, the
documents related to it, the partners of its paragraphs' wording and what cites it. It
is built once for each state of the data, not once a view. The key holds what every
writer changes: each publish, replace, delete, staff edit and draft-match correction
writes the change log (IndexChange) in its own transaction, and a trace of shared
wording inserts SharedWording rows with ids never used before, and an import of
proceedings that changes a file replaces its Stage rows. So the state is the
log's last number and time, how many of its last LATE_CHANGES numbers are visible (on
PostgreSQL a change may become visible after a later one), and the last SharedWording
id, the last Stage id and how many there are: one query. Any write makes every page
built before it unreachable; pages are built again as they are asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import connection

from search.models import IndexChange, SharedWording, Stage

T = TypeVar("T")

# The cache of comparisons, agreed language and document pages (settings.CACHES).
CACHE = "results"
# Raised when what a cached page holds changes shape: earlier entries become unreachable.
VERSION = 1
# PostgreSQL numbers a change when it is written, not when it commits: a change written
# before the last one can become visible after it. Counting the changes among the last
# this many numbers sees it arrive.
LATE_CHANGES = 1000


def log_state_sql() -> str:
    """Two columns of a SELECT: the change log's last number, and how many of its last
    LATE_CHANGES numbers are visible (a parameter: LATE_CHANGES)."""
    quote = connection.ops.quote_name
    log, seq = quote(IndexChange._meta.db_table), quote(IndexChange._meta.pk.column)
    return (
        f"(SELECT MAX({seq}) FROM {log}),"
        f" (SELECT COUNT(*) FROM {log} WHERE {seq} > (SELECT MAX({seq}) FROM {log}) - %s)"
    )


def data_state() -> str:
    """The state of everything a public page shows, read in one query."""
    quote = connection.ops.quote_name
    log, created = quote(IndexChange._meta.db_table), quote(IndexChange._meta.get_field("created_at").column)
    pairs, pair_id = quote(SharedWording._meta.db_table), quote(SharedWording._meta.pk.column)
    # An import of proceedings that changes a file replaces its stages with new rows.
    stages, stage_id = quote(Stage._meta.db_table), quote(Stage._meta.pk.column)
    sql = (
        f"SELECT {log_state_sql()}, (SELECT MAX({created}) FROM {log}), (SELECT MAX({pair_id}) FROM {pairs}),"
        f" (SELECT MAX({stage_id}) FROM {stages}), (SELECT COUNT(*) FROM {stages})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [LATE_CHANGES])
        last, visible, created_at, pair, stage, stage_count = cursor.fetchone()
        # In the order the key has always had: the log's last number and time, the count.
        return ".".join(str(value or 0) for value in (last, created_at, visible, pair, stage, stage_count))


def remember(key: str, build: Callable[[], T], keep: Callable[[T], bool] = lambda found: True) -> T:
    """The results cache's entry under `key`, else `build()`, kept when `keep` says so."""
    cache = caches[CACHE]
    found = cache.get(key)
    if found is None:
        found = build()
        if keep(found):
            cache.set(key, found)
    return found


def cached_part(name: str, parts: tuple, build: Callable[[], T]) -> T:
    """Return `build()`, kept under `name`, `parts` and the data's state."""
    # Hashed: a document's key and the site's address could make a key longer than
    # memcached allows.
    digest = hashlib.sha256(repr((data_state(), *parts)).encode()).hexdigest()
    return remember(f"page:{VERSION}:{name}:{digest}", build)
