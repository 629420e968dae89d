"""tantivy beside our engine, for the benchmark only: the site never imports it (pyproject.toml's
import contract forbids it to `search`).

To compare the engines and not their analysis, tantivy is fed the tokens our analyzers make
(search.engine.analysis), joined by spaces into fields that tantivy's `whitespace` tokenizer
reads back one token a position:

- `words`: our `content` field: jieba's words in search mode and stemmed English words. jieba's
  sub-words (人道主义 inside 国际人道主义法) take a position of their own here, where ours share
  the long word's: only phrases of words without Chinese are asked of this field, and between
  two such words there is never a sub-word.
- `bigrams`: our `literal` field, cut into one token per Chinese character: the character and
  the next one of its run, or the character alone at the end of a run; words without Chinese
  whole and unstemmed. A phrase of these tokens finds a literal string exactly as our phrase of
  1- to 4-character grams does (punctuation aside, in both).
- `chars`: every Chinese character, for a query of one character.

Filters and facets read the values our index holds (search.engine.index.paragraph_document).
`translate` reads our parsed query (search.engine.query.parse_query) into a tantivy query of
the same words, phrases, symbol, filters and exclusions. It matches what our first tier does,
every word literally: our engine also finds a Chinese query's words in another order within a
sentence and, when few paragraphs have every word, those with most of them; tantivy does not.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import tantivy

from bench.phases import cpu_seconds, folder_size
from search.engine.agenda import is_facet_term
from search.engine.analysis import TEXT_RUN, analyze, is_cjk, normalize, word_analyzer
from search.engine.query import ParsedQuery, Unit, parse_query
from search.engine.searching import AGENDA_LISTED, FACETS, MANDATE_FACETS, MANDATES_LISTED

TOP = 20
CHUNK = 500  # paragraphs an analysing process is handed at a time
# One value a paragraph, counted for the facets (our FACETS): fast fields.
FACET_FIELDS = FACETS
# Several values a paragraph, as our KEYWORD fields hold them (split, lower-cased).
KEYWORDS = {"symbol_forms": None, "sponsor": ",", "agenda": ","}
KEYWORDS |= dict.fromkeys(MANDATE_FACETS, ",")  # asks, deliverable, due: also counted (fast)
# Shown with a hit, as our hits show them.
SHOWN = ("resolution", "symbol", "anchor", "label", "title", "adopted_on")

_WORDS = word_analyzer()


def make_schema():
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("words", stored=True, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("bigrams", stored=True, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("chars", tokenizer_name="whitespace", index_option="freq")
    for name in FACET_FIELDS:
        builder.add_text_field(name, stored=True, fast=True, tokenizer_name="raw", index_option="basic")
    for name in KEYWORDS:
        builder.add_text_field(name, fast=name in MANDATE_FACETS, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("agenda_facet", fast=True, tokenizer_name="raw", index_option="basic")
    for name in SHOWN:
        # resolution: also counted, as our "documents" (how many resolutions match)
        builder.add_text_field(name, stored=True, fast=name == "resolution", tokenizer_name="raw")
    builder.add_unsigned_field("pid", stored=True, fast=True)
    return builder.build()


# --- the tokens ------------------------------------------------------------------


def literal_tokens(normalized: str, query: bool = False) -> tuple[list[str], bool]:
    """The `bigrams` tokens of normalised text, and whether the last is a character that a
    query leaves open (it may be the first of a pair in the paragraph).

    A query's last run of Chinese ends where the query ends, not where the paragraph's run
    ends: its last pair already covers its last character, and a last run of one character
    matches that character alone or any pair it starts (`literal_query`).
    """
    runs = list(TEXT_RUN.finditer(normalized))
    tokens: list[str] = []
    open_end = False
    for n, m in enumerate(runs):
        run = m.group()
        if not m.group("cjk"):
            tokens.append(run)
            continue
        tokens += [run[i : i + 2] for i in range(len(run) - 1)]
        last = query and n == len(runs) - 1
        if not last or len(run) == 1:
            tokens.append(run[-1])
            open_end = last
    return tokens, open_end


def analysed(text: str) -> dict[str, str]:
    """The three text fields of a paragraph, as space-separated tokens."""
    normalized = normalize(text).text
    bigrams, _ = literal_tokens(normalized)
    return {
        "words": " ".join(analyze(_WORDS, text, mode="index")),
        "bigrams": " ".join(bigrams),
        "chars": " ".join(c for c in normalized if is_cjk(c)),
    }


def paragraph_fields(document: dict) -> dict:
    """What tantivy indexes of one of our index's documents (`paragraph_document`)."""
    fields = analysed(document["content"])
    for name in (*FACET_FIELDS, *SHOWN):
        fields[name] = [document[name]] if document[name] else []
    for name, separator in KEYWORDS.items():
        values = document[name].split(separator) if separator else document[name].split()
        fields[name] = [v.strip().lower() for v in values if v.strip()]
    fields["agenda_facet"] = [term for term in fields["agenda"] if is_facet_term(term)]
    fields["pid"] = document["pid"]
    return fields


def to_document(fields: dict):
    doc = tantivy.Document()
    for name, value in fields.items():
        if name == "pid":
            doc.add_unsigned(name, value)
        elif isinstance(value, str):
            doc.add_text(name, value)
        else:
            for v in value:
                doc.add_text(name, v)
    return doc


# --- building -----------------------------------------------------------------


_proceedings: dict = {}


def _fields_of(pks: list[int]) -> list[dict]:
    """Read and analyse these paragraphs (in an analysing process, or this one)."""
    from search.engine.index import paragraph_document
    from search.models import Paragraph

    rows = Paragraph.objects.filter(pk__in=pks).select_related("version__resolution__became")
    rows = rows.order_by("version_id", "order")
    return [paragraph_fields(paragraph_document(p, _proceedings)) for p in rows]


def build_index(path: Path, pks: list[int] | None = None, procs: int = 1) -> dict:
    """Index these paragraphs (all by default) into a new tantivy index at `path`.

    Our analysis (jieba above all) is most of the work: like our rebuild, it runs in
    `procs` processes, each reading its share of paragraphs from the database; this process
    hands what they make to tantivy's writer. Returns the wall and CPU seconds of it all, and
    the wall seconds spent in tantivy's writer alone.
    """
    global _proceedings
    from django.db import connections

    from search.engine.index import proceedings_facts
    from search.models import Paragraph

    started, cpu = time.perf_counter(), cpu_seconds()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    if pks is None:
        pks = list(Paragraph.objects.order_by("version_id", "order").values_list("pk", flat=True))
    _proceedings = proceedings_facts()
    chunks = [pks[i : i + CHUNK] for i in range(0, len(pks), CHUNK)]
    index = tantivy.Index(make_schema(), path=str(path))
    writer = index.writer()
    in_writer = 0.0
    count = 0
    if procs > 1:
        import multiprocessing

        connections.close_all()  # each analysing process opens its own
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            for fields in pool.imap(_fields_of, chunks):
                in_writer += _add(writer, fields)
                count += len(fields)
    else:
        for chunk in chunks:
            fields = _fields_of(chunk)
            in_writer += _add(writer, fields)
            count += len(fields)
    at = time.perf_counter()
    writer.commit()
    writer.wait_merging_threads()
    in_writer += time.perf_counter() - at
    return {
        "paragraphs": count,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": cpu_seconds() - cpu,
        "writer_seconds": in_writer,
        "size_bytes": folder_size(path),
        # The stored fields, `words` and `bigrams` among them (what snippets are made from).
        "store_bytes": sum(f.stat().st_size for f in path.glob("*.store")),
    }


def _add(writer, fields: list[dict]) -> float:
    started = time.perf_counter()
    for f in fields:
        writer.add_document(to_document(f))
    return time.perf_counter() - started


# --- queries --------------------------------------------------------------------


def translate(schema, parsed: ParsedQuery):
    """Our parsed query as a tantivy query: every word literally, as our first tier (see the
    module's docstring); None when it asks for nothing."""
    groups = [_any(schema, [unit_query(schema, u) for u in group]) for group in parsed.groups]
    if parsed.symbol:  # a symbol typed alone finds its own resolution too
        own = _term(schema, "symbol_forms", parsed.symbol)
        groups = [_any(schema, [own, _all(groups)])] if groups else [own]
    if not groups:
        if not parsed.filters:
            return None
        groups = [tantivy.Query.all_query()]
    must = groups + [_values(schema, name, values) for name, values in parsed.filters.items()]
    must_not = [q for q in (unit_query(schema, u) for u in parsed.excluded) if q is not None]
    must_not += [_values(schema, name, values) for name, values in parsed.excluded_filters.items()]
    clauses = [(tantivy.Occur.Must, q) for q in must] + [(tantivy.Occur.MustNot, q) for q in must_not]
    return clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)


def unit_query(schema, unit: Unit):
    """A word or phrase: its literal characters if it has Chinese, else its (stemmed) words;
    or the symbol it is. None when it has neither."""
    found = []
    field = unit.field
    if field and field[0] == "literal":
        found.append(literal_query(schema, normalize(unit.text).text))
    elif field:
        found.append(_sequence(schema, "words", field[1]))
    if unit.symbol:
        found.append(_term(schema, "symbol_forms", unit.symbol))
    found = [q for q in found if q is not None]
    return _any(schema, found) if found else None


def literal_query(schema, normalized: str):
    """Where normalised text stands literally: a phrase of its `bigrams` tokens."""
    tokens, open_end = literal_tokens(normalized, query=True)
    if not tokens:
        return None
    if len(tokens) == 1 and open_end:
        return _term(schema, "chars", tokens[0])  # one Chinese character, wherever it stands
    if open_end:
        # The last character alone, or the first of a pair: a regex on that one word.
        words = [re.escape(t) for t in tokens[:-1]] + [re.escape(tokens[-1]) + ".?"]
        return tantivy.Query.regex_phrase_query(schema, "bigrams", words)
    return _sequence(schema, "bigrams", tokens)


def _sequence(schema, name: str, terms: list[str]):
    if len(terms) == 1:
        return _term(schema, name, terms[0])
    return tantivy.Query.phrase_query(schema, name, terms)


def _term(schema, name: str, value: str):
    return tantivy.Query.term_query(schema, name, value)


def _values(schema, name: str, values: list[str]):
    if len(values) == 1:
        return _term(schema, name, values[0])
    return tantivy.Query.term_set_query(schema, name, values)


def _any(schema, queries: list):
    if not queries:
        return tantivy.Query.empty_query()
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])


def _all(queries: list):
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def _aggregations() -> dict:
    """Our facets (every value with its count; the agenda's first AGENDA_LISTED) and how
    many resolutions match."""
    aggs = {name: {"terms": {"field": name, "size": 10_000}} for name in FACET_FIELDS}
    aggs["agenda"] = {"terms": {"field": "agenda_facet", "size": AGENDA_LISTED}}
    aggs |= {name: {"terms": {"field": name, "size": MANDATES_LISTED}} for name in MANDATE_FACETS}
    aggs["documents"] = {"cardinality": {"field": "resolution"}}
    return aggs


AGGREGATIONS = _aggregations()


class TantivySearch:
    """One opened index and its searcher, as a serving process would keep them."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.open()

    def open(self) -> None:
        """Open the index afresh: nothing tantivy read or decoded before is kept by this process."""
        self.close()
        self.index = tantivy.Index.open(str(self.path))
        self.searcher = self.index.searcher()
        self.schema = self.index.schema

    def close(self) -> None:
        """Let go of the index: its files are unmapped once nothing holds them."""
        self.index = self.searcher = self.schema = None

    def query(self, q: str):
        return translate(self.schema, parse_query(q))

    def search(self, q: str) -> dict:
        """What our search_paragraphs answers: the exact total, facet counts, how many
        resolutions match, and the top 20, each with its fields and a highlighted snippet."""
        parsed = parse_query(q)
        query = translate(self.schema, parsed)
        if query is None:
            return {"total": 0, "hits": [], "facets": {}}
        found = self.searcher.search(query, TOP, count=True)
        facets = self.searcher.aggregate(query, AGGREGATIONS)
        # Chinese is marked in the literal field, anything else in the words.
        field = "bigrams" if any(u.has_cjk for u in parsed.units) else "words"
        snippets = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, field)
        hits = []
        for _, address in found.hits:
            doc = self.searcher.doc(address)
            hit = {name: doc.get_first(name) for name in (*SHOWN, "language", "kind")}
            hit["snippet"] = snippets.snippet_from_doc(doc).to_html()
            hits.append(hit)
        return {"total": found.count, "hits": hits, "facets": facets}

    def count_and_rank(self, q: str) -> tuple[int, list]:
        """The total and the top 20 (BM25), no stored field read, no facet, no snippet."""
        query = self.query(q)
        if query is None:
            return 0, []
        found = self.searcher.search(query, TOP, count=True)
        return found.count, [address for _, address in found.hits]

    def pids(self, q: str) -> set[int]:
        """Every paragraph a query finds (for checks, not timed)."""
        query = self.query(q)
        if query is None:
            return set()
        count = self.searcher.search(query, 1, count=True).count
        found = self.searcher.search(query, max(count, 1), count=False)
        return {self.searcher.doc(address).get_first("pid") for _, address in found.hits}


def evict(paths) -> int:
    """Ask the kernel to drop every file under these folders from the page cache; return
    how many bytes were asked for. Pages a process has mapped stay (see docs)."""
    asked = 0
    for path in paths:
        for f in Path(path).rglob("*"):
            if not f.is_file():
                continue
            fd = os.open(f, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                asked += os.fstat(fd).st_size
            finally:
                os.close(fd)
    return asked
