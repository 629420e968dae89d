"""A database stored before citations had spans comes out of migration 0009 as a fresh
load of the same documents would: one row per citation, where it stands."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search.models import Citation

BEFORE = ("search", "0008_agreed_language")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])


def stored_by_0008() -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT paragraph_id, symbol FROM search_citation ORDER BY paragraph_id, symbol")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_the_migration_finds_the_spans_of_the_citations_stored_before():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("search")[0]
    # The corpus as `make run` stores it (the index and the wording are beside the point).
    with (
        mock.patch("search.ingest.store.record_changes"),
        mock.patch("search.ingest.agreed_language.trace_committed"),
    ):
        call_command("load_corpus", stdout=io.StringIO(), stderr=io.StringIO())
    fresh = set(Citation.objects.values_list("paragraph_id", "start", "end", "symbol"))
    assert len(fresh) > 100
    try:
        migrate(BEFORE)
        # 0008 kept one row per paragraph and symbol, without spans.
        assert stored_by_0008() == sorted({(p, symbol) for p, _, _, symbol in fresh})
    finally:
        migrate(latest)

    assert set(Citation.objects.values_list("paragraph_id", "start", "end", "symbol")) == fresh
