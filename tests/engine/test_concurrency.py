"""Searching from many threads at once gives the answers of one thread."""

import random
import threading

from django.db import connection

from search.engine.searching import search_paragraphs

QUERIES = [
    "贩运人口",
    '"打击贩运人口"',
    "会员国 器官",
    "trafficking in persons",
    '"organ removal"',
    "A/RES/71/322",
    "Khartoum process",
    "traffickers lang:en kind:operative",
    "器官 OR 组织",
    "贩运 -器官",
]


def answer(q: str, page: int) -> tuple:
    result = search_paragraphs(q, page=page)
    hits = tuple((h["resolution"], h["language"], h["anchor"], h["snippet"]) for h in result["hits"])
    return result["total"], hits, repr(result["facets"])


def test_many_threads_get_the_answers_of_one(live_corpus):
    work = [(q, page) for q in QUERIES for page in (1, 2)]
    expected = {item: answer(*item) for item in work}
    assert sum(1 for total, _, _ in expected.values() if total) >= 9

    from search.engine.index import reset_searcher

    reset_searcher()  # the threads open the searcher themselves, all at once
    wrong, errors = [], []
    start = threading.Barrier(8)

    def client(seed: int):
        rng = random.Random(seed)
        start.wait()
        try:
            for _ in range(25):
                item = rng.choice(work)
                try:
                    got = answer(*item)
                except Exception as error:  # noqa: BLE001
                    errors.append(repr(error))
                    continue
                if got != expected[item]:
                    wrong.append(item)
        finally:
            connection.close()  # each thread's own: a server closes it after each request

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and wrong == []
