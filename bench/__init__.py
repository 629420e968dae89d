"""Benchmark search on a large corpus recombined from the real one (issue 3).

`run.run_benchmark` runs each phase in a fresh process (`python -m bench.phases PHASE`)
whose DATABASE_PATH and INDEX_DIR point into a work folder: the development database
and index are never touched, and each phase's peak memory is its own.

1. generate: migrate, load corpus/, then add synthetic resolutions whose paragraphs
   recombine real clauses of the same language and paragraph kind (`corpus`), so
   paragraph lengths and term frequencies stay those of the real corpus.
2. rebuild: `rebuild_index()`, timed; index size and peak memory.
3. queries: the mix below through `search_paragraphs` (what the API calls: snippets,
   facets and total included), after warm-up.
4. baseline: the same paragraphs and queries with jieba's stock ChineseAnalyzer and
   Whoosh defaults.
5. uploads: 100-paragraph uploads through `ingest`, timed until `search_paragraphs`
   finds them.

`report` turns the measurements into text. The generator and the report are plain
functions of their inputs.
"""

# (category, query). Rare words occur in 1-4 of the real corpus's 752 paragraphs.
QUERY_MIX = [
    ("common word", "会员国"),
    ("two common words", "会员国 贩运人口"),
    ("phrase", '"打击贩运人口"'),
    ("rare words", "医学协会"),
    ("rare words", "移植旅游"),
    ("rare words", "refugees"),
    ("English", "trafficking in persons"),
    ("English", "traffickers"),  # stemmed: meets trafficking, trafficked
    ("symbol", "71/322"),
    ("filter", "lang:en kind:operative year:2017 trafficking"),
]
CATEGORIES = list(dict.fromkeys(category for category, _ in QUERY_MIX))
