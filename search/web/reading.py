"""What the resolution page shows: chosen language versions, rows aligned by anchor,
citations, and the paragraphs the search finds for the query, marked by its highlighter."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from search.engine.highlight import highlight
from search.engine.index import IndexUnavailable
from search.engine.query import ParsedQuery
from search.engine.searching import matching_anchors
from search.models import Citation, Paragraph, Resolution, Text, html_lang, interface_language, language_name
from search.parsing import ANNEX, DRAFT_RESOLUTION, LANGUAGES, Cited, citation_number, official_url
from search.web.agreed_language import agreed_language_url, partner_counts
from search.web.amendments import Amendments, of_amendment, proposed_to
from search.web.citing import cite, documents_here, link_spans, stored_citations
from search.web.mandates import PageMandates, history, paragraph_mandates, resolution_asks
from search.web.proceedings import proceedings_of
from search.web.results import search_url


@dataclass
class Column:
    language: str
    resolution: Resolution  # whose text this is: this one, its draft or its adopted resolution
    text: Text | None  # None when this language is not loaded
    label: str = ""  # "Chinese: draft" when the columns come from related documents
    footnotes: list[dict] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return html_lang(self.language)

    @property
    def official_url(self) -> str | None:
        return official_url(self.resolution.symbol, self.language)

    @property
    def name(self) -> str:
        return language_name(self.language)


@dataclass
class Row:
    anchor: str
    cells: list[dict]  # one per column; "paragraph" is None where that version lacks it
    headings: list[dict] = field(default_factory=list)  # per column, only where one changes
    annex_starts: bool = False
    matched: bool = False  # the search finds the query here (in a column shown)
    separate_votes: list[str] = field(default_factory=list)  # votes on this paragraph alone
    amendments: list[str] = field(default_factory=list)  # what amendments proposed do to it
    previous_match: str = ""  # anchors of the matched rows before and after this one
    next_match: str = ""


@dataclass
class Reading:
    columns: list[Column]
    rows: list[Row]
    side_by_side: bool
    query: str = ""
    parsed: ParsedQuery | None = None  # None without a query that asks for something
    matches: int = 0
    search_unavailable: bool = False
    first_match: str = ""
    missing: str = ""  # a language asked for with ?lang= that is not loaded
    missing_related: Text | None = None  # that language in the draft / adopted resolution
    symbol: str | None = None
    pair_label: str = ""  # "Chinese: draft; English: adopted resolution A/RES/74/176"
    official: list[dict] = field(default_factory=list)  # undocs.org link per language
    views: list[dict] = field(default_factory=list)  # the language / side by side switch
    cited: dict[str, str] = field(default_factory=dict)  # symbol cited → its page here
    citations: dict[int, list[Cited]] = field(default_factory=dict)  # paragraph id → what it cites
    cited_by: dict | None = None  # how many paragraphs of other documents cite this one
    same_wording: dict[int, int] = field(default_factory=dict)  # paragraph id → uses elsewhere
    mandates: dict = field(default_factory=dict)  # paragraph id → what it asks (web.mandates)
    asks: list = field(default_factory=list)  # "What this resolution asks"
    comparable: set[str] = field(default_factory=set)  # keys of related works "What changed" can show
    proceedings: dict | None = None  # how it was adopted, its sponsors, its stages (web.proceedings)
    amendments: Amendments | None = None  # the amendments proposed to it (web.amendments)
    amendment: Amendments | None = None  # what it does, when it is an amendment

    @property
    def missing_name(self) -> str:
        return language_name(self.missing)

    @property
    def missing_url(self) -> str | None:
        return official_url(self.symbol, self.missing)

    @property
    def footnoted_columns(self) -> list[Column]:
        return [c for c in self.columns if c.footnotes]


def _related(resolution: Resolution) -> list[Resolution]:
    """The resolution it became and its drafts."""
    return [*([resolution.became] if resolution.became_id else []), *resolution.drafts.all()]


def related_text(resolution: Resolution, language: str) -> Text | None:
    """Return the text in `language` of the draft this became or the resolution it became."""
    for other in _related(resolution):
        for text in other.texts.all():
            if text.language == language:
                return text
    return None


def choose_language(available: list[str], requested: str | None, interface: str) -> str:
    if requested in available:
        return requested
    preferred = "zh" if interface.startswith("zh") else "en"
    return preferred if preferred in available else available[0]


def build_reading(
    resolution: Resolution,
    *,
    lang: str | None,
    view: str | None,
    query: ParsedQuery,
    interface: str,
    base_url: str,
    cited_page: str | None = None,
) -> Reading:
    """Pick the versions to show and align their paragraphs row by row; mark what the
    search finds for the query."""
    texts = {t.language: t for t in resolution.texts.all()}
    side_by_side = view == "both"
    columns, missing, missing_related = _columns(resolution, texts, lang, side_by_side, interface)
    q = query.typed
    reading = Reading(columns, [], side_by_side, q, query if query.asks_for_something else None)
    reading.missing, reading.missing_related = missing, missing_related
    reading.symbol = resolution.symbol
    reading.pair_label = _pair_label(columns)
    _fill_rows(reading, resolution, base_url)
    reading.proceedings = proceedings_of(resolution)
    for row in reading.rows if reading.proceedings else []:
        row.separate_votes = reading.proceedings["separate_votes"].get(row.anchor, [])
    _add_amendments(reading, resolution, columns[0].language if columns else interface_language())
    reading.cited_by = cited_by(resolution, cited_page, lang=lang, view=view, q=q)
    reading.comparable = comparable(resolution)
    reading.official = _official(resolution, texts)
    reading.views = _views(q, texts, "both" if side_by_side else (columns[0].language if columns else ""))
    return reading


def _add_amendments(reading: Reading, resolution: Resolution, language: str) -> None:
    """The amendments proposed to it beside the paragraphs they target; an amendment's own
    operations beside the paragraphs they are read from."""
    reading.amendments = proposed_to(resolution, [row.anchor for row in reading.rows], language)
    reading.amendment = of_amendment(resolution, language)
    for found in (reading.amendments, reading.amendment):
        for row in reading.rows if found else []:
            row.amendments += found.beside.get(row.anchor, [])


def _columns(resolution, texts, lang, side_by_side, interface) -> tuple[list[Column], str, Text | None]:
    """The versions to show, and a language asked for that is not loaded (with that
    language in the draft or adopted resolution, if it is there)."""
    if side_by_side:
        return _side_by_side(resolution, texts), "", None
    return _one_language(resolution, texts, lang, interface)


def _pair_label(columns: list[Column]) -> str:
    """ "Chinese: draft; English: adopted resolution …" when the columns come from related documents."""
    if not (columns and all(c.label for c in columns)):
        return ""
    return _("%(first)s; %(second)s") % {"first": columns[0].label, "second": columns[1].label}


def _official(resolution: Resolution, texts: dict[str, Text]) -> list[dict]:
    """The official document's link in each language, and whether that language is loaded here."""
    return [
        {"language": language, "name": language_name(language), "url": url, "loaded": language in texts}
        for language in LANGUAGES
        if (url := official_url(resolution.symbol, language))
    ]


def _side_by_side(resolution: Resolution, texts: dict[str, Text]) -> list[Column]:
    """Chinese and English, each this document's own or, where it has none, that of its
    draft or adopted resolution (then each column says whose it is)."""
    columns = [_column(resolution, texts, language) for language in ("zh", "en")]
    if any(c.resolution != resolution for c in columns):
        for c in columns:
            c.label = _describe(c)
    return columns


def _column(resolution: Resolution, texts: dict[str, Text], language: str) -> Column:
    """The document's own text in `language`, else its draft's or adopted resolution's."""
    text = texts.get(language) or related_text(resolution, language)
    return Column(language, text.resolution if text else resolution, text)


def _one_language(resolution, texts, lang, interface) -> tuple[list[Column], str, Text | None]:
    """The one version to show, and a language asked for that is not loaded (with that
    language in the draft or adopted resolution, if it is there)."""
    available = [language for language in LANGUAGES if language in texts]
    if not available:  # an empty Resolution named by a relation, not loaded yet
        return [], "", None
    language = choose_language(available, lang, interface)
    missing, missing_related = "", None
    if lang in LANGUAGES and lang != language:
        missing, missing_related = lang, related_text(resolution, lang)
    return [Column(language, resolution, texts[language])], missing, missing_related


def _views(q: str, texts: dict[str, Text], shown: str) -> list[dict]:
    """The switch between the languages and side by side."""
    return [
        {
            "label": language_name(language),
            "url": _page_url(q, lang=language),
            "current": shown == language,
            "loaded": language in texts,
        }
        for language in LANGUAGES
    ] + [
        {
            "label": _("Side by side"),
            "url": _page_url(q, view="both"),
            "current": shown == "both",
            "loaded": True,
        }
    ]


def _page_url(q: str, **params) -> str:
    if q:
        params["q"] = q
    return "?" + urlencode(params)


def _describe(column: Column) -> str:
    if column.resolution.doc_type == DRAFT_RESOLUTION:
        return _("%(language)s: draft") % {"language": column.name}
    return _("%(language)s: adopted resolution %(symbol)s") % {
        "language": column.name,
        "symbol": column.resolution.symbol or column.resolution.key,
    }


def comparable(resolution: Resolution) -> set[str]:
    """The keys of the resolution it became and of its drafts that share a language with it."""
    own = {t.language for t in resolution.texts.all()}
    return {r.key for r in _related(resolution) if own & {t.language for t in r.texts.all()}}


CITED_BY_PAGE = 50  # paragraphs a page of "Cited by": a document can be cited thousands of times


def cited_by(resolution: Resolution, page: str | None = None, **params) -> dict | None:
    """A page of the paragraphs of other documents that cite this one ("resolution 71/322",
    "第71/322号决议", "A/C.3/80/L.28"), by document, newest first, and how many there are in
    all; None if none. `params` (lang, view, q) are kept in the links to other pages."""
    if not resolution.symbol:
        return None
    citing = Paragraph.objects.filter(
        pk__in=Citation.objects.filter(symbol=resolution.symbol).values("paragraph_id")
    ).exclude(version__resolution=resolution)
    totals = citing.aggregate(paragraphs=Count("pk"), documents=Count("version", distinct=True))
    if not totals["paragraphs"]:
        return None
    pages = -(-totals["paragraphs"] // CITED_BY_PAGE)
    number = _page_number(page, pages)
    shown = list(
        citing.select_related("version__resolution").order_by(
            Coalesce("version__resolution__adopted_on", "version__issued_on").desc(nulls_last=True),
            "version__resolution__key",
            "version__language",
            "order",
        )[(number - 1) * CITED_BY_PAGE : number * CITED_BY_PAGE]
    )
    spans = stored_citations(Citation.objects.filter(paragraph_id__in=[p.pk for p in shown]))
    term = citation_number(resolution.symbol) or resolution.symbol
    kept = {k: v for k, v in params.items() if v}

    def url(n: int) -> str:
        return "?" + urlencode({**kept, "cited": n}) if n != number and 1 <= n <= pages else ""

    return {
        "documents": _citing_documents(shown, spans, documents_here(spans)),
        "paragraphs": totals["paragraphs"],
        "document_count": totals["documents"],
        "first": (number - 1) * CITED_BY_PAGE + 1,
        "last": (number - 1) * CITED_BY_PAGE + len(shown),
        "previous_url": url(number - 1),
        "next_url": url(number + 1),
        "search_url": search_url(f"{term} -symbol:{term}"),
    }


def _page_number(page: str | None, pages: int) -> int:
    """The page asked for, within 1 … pages (the first for anything else)."""
    try:
        return min(max(int(page or 1), 1), pages)
    except ValueError:
        return 1


def _citing_documents(paragraphs: list[Paragraph], citations: dict, known: dict[str, str]) -> list[dict]:
    """Group paragraphs, in order, by their language version: one entry per document."""
    documents: list[dict] = []
    for paragraph in paragraphs:
        text = paragraph.version
        work = text.resolution
        if not documents or documents[-1]["version"] != text.pk:
            documents.append(
                {
                    "version": text.pk,
                    "document": work,
                    "lang": html_lang(text.language),
                    "date": work.adopted_on or text.issued_on,
                    "paragraphs": [],
                }
            )
        # Escaped first; then what it cites becomes links, this document's among them.
        cited = citations.get(paragraph.pk, [])
        linked = link_spans(html.escape(paragraph.text), cited, text.language, known)
        documents[-1]["paragraphs"].append(
            {
                "label": paragraph.label_in(text.language),
                "url": f"{work.get_absolute_url()}?lang={text.language}#{paragraph.anchor}",
                "html": mark_safe(linked),
            }
        )
    return documents


def _fill_rows(reading: Reading, resolution: Resolution, base_url: str) -> None:
    per_column = [list(c.text.paragraphs.all()) if c.text else [] for c in reading.columns]
    _add_citations(reading)
    reading.same_wording = partner_counts([p.pk for ps in per_column for p in ps])
    asked = PageMandates.of(p.pk for ps in per_column for p in ps)
    reading.mandates = paragraph_mandates(asked)
    # "What this resolution asks": read from the first column's text.
    reading.asks = (
        resolution_asks(per_column[0], asked)
        if per_column and reading.columns[0].resolution == resolution
        else []
    )
    anchors, aligned = _align(per_column)
    _add_rows(reading, anchors, aligned, _found(reading), resolution, base_url)
    _link_matches(reading.rows)
    for column, paragraphs in zip(reading.columns, aligned, strict=True):
        column.footnotes = _footnotes(column, anchors, paragraphs)


def _add_citations(reading: Reading) -> None:
    """What the paragraphs cite, as stored when they were published: no text is read for it."""
    theirs = Citation.objects.filter(paragraph__version__in=[c.text for c in reading.columns if c.text])
    reading.citations = stored_citations(theirs)
    reading.cited = documents_here(reading.citations)


def _align(per_column: list[list[Paragraph]]) -> tuple[list[str], list[list[Paragraph | None]]]:
    """The rows' anchors, and for each column its paragraph in each row (None where it has none)."""
    anchors = _merge([[p.anchor for p in ps] for ps in per_column])
    by_anchor = [{p.anchor: p for p in ps} for ps in per_column]
    return anchors, [[column.get(anchor) for anchor in anchors] for column in by_anchor]


def _found(reading: Reading) -> list[set[str]]:
    """The anchors the search itself returns for the query in each version shown: those
    paragraphs are counted and marked, and no other."""
    nothing = [set() for _ in reading.columns]
    if not reading.parsed:
        return nothing
    try:
        found = matching_anchors(reading.parsed, [(c.resolution.key, c.language) for c in reading.columns])
    except IndexUnavailable:  # the text is the database's: show it, without marks
        reading.search_unavailable, reading.parsed = True, None
        return nothing
    # A column with no text of its own shows nothing to mark.
    return [f if c.text else set() for f, c in zip(found, reading.columns, strict=True)]


def _add_rows(reading, anchors, aligned, found, resolution, base_url) -> None:
    """A row per anchor: each column's cell, the headings that change there, where the annex starts."""
    headings = [_heading_changes(paragraphs) for paragraphs in aligned]
    annex = _first_annex_row(aligned)
    for r, anchor in enumerate(anchors):
        shown = _row_headings(reading.columns, [h[r] for h in headings])
        row = Row(anchor, [], shown, annex_starts=r == annex, matched=any(anchor in f for f in found))
        for i, column in enumerate(reading.columns):
            row.cells.append(_cell(reading, column, aligned[i][r], resolution, base_url, anchor in found[i]))
        reading.rows.append(row)


def _heading_changes(paragraphs: list[Paragraph | None]) -> list[str]:
    """For each row, the heading a column shows there: its paragraph's where it changes, else ""."""
    shown, last = [], ""
    for paragraph in paragraphs:
        if paragraph is not None and paragraph.heading != last:
            last = paragraph.heading
            shown.append(last)
        else:
            shown.append("")
    return shown


def _row_headings(columns: list[Column], texts: list[str]) -> list[dict]:
    """A row's headings, one per column; none where no column's heading changes."""
    if not any(texts):
        return []
    return [{"lang": column.lang, "text": text} for column, text in zip(columns, texts, strict=True)]


def _first_annex_row(aligned: list[list[Paragraph | None]]) -> int | None:
    """The first row where a column's paragraph belongs to the annex."""
    for r, row in enumerate(zip(*aligned, strict=True)):
        if any(p is not None and p.kind == ANNEX for p in row):
            return r
    return None


def _link_matches(rows: list[Row]) -> None:
    """Link each matched row to the matched rows before and after it."""
    matched = [row for row in rows if row.matched]
    for before, after in zip(matched, matched[1:], strict=False):
        before.next_match, after.previous_match = after.anchor, before.anchor


def _footnotes(column: Column, anchors: list[str], paragraphs: list[Paragraph | None]) -> list[dict]:
    """A column's footnotes, each with the paragraphs that refer to it (anchor, label)."""
    if not column.text:
        return []
    refs: dict[int, list[tuple[str, str]]] = {}
    for anchor, paragraph in zip(anchors, paragraphs, strict=True):
        for number in paragraph.footnotes if paragraph else []:
            refs.setdefault(number, []).append((anchor, paragraph.label_in(column.language)))
    return [
        {"number": f.number, "text": f.text, "refs": refs.get(f.number, [])}
        for f in column.text.footnotes.all()
    ]


def _cell(reading, column, paragraph, resolution, base_url, found: bool) -> dict:
    if paragraph is None:
        return {"lang": column.lang, "paragraph": None}
    own = column.resolution == resolution
    # A citation names the paragraph in this language: its link opens that language.
    url = f"{column.resolution.get_absolute_url()}?lang={column.language}#{paragraph.anchor}"
    units = reading.parsed.units if found else []
    # Escaped by the highlighter: its own <mark> is the only markup.
    # Then what it cites becomes links (to the document here, else the official text).
    cited = reading.citations.get(paragraph.pk, [])
    html = mark_safe(link_spans(highlight(paragraph.text, units), cited, column.language, reading.cited))
    if found:
        reading.matches += 1
        reading.first_match = reading.first_match or paragraph.anchor
    return {
        "lang": column.lang,
        "language": column.language,
        "paragraph": paragraph,
        "label": paragraph.label_in(column.language),
        "html": html,
        # Our own paragraphs link within the page, keeping ?view= and ?lang=.
        "href": f"#{paragraph.anchor}" if own else url,
        "url": base_url + url,
        "citation": cite(column.resolution, paragraph, column.language),
        "same_wording": reading.same_wording.get(paragraph.pk, 0),
        "mandates": [(asked, history(asked)) for asked in reading.mandates.get(paragraph.pk, [])],
        "agreed_language_url": agreed_language_url(column.resolution.key, column.language, paragraph.anchor),
    }


def _merge(sequences: list[list[str]]) -> list[str]:
    """Merge anchor sequences keeping each one's order; shared anchors share a row."""
    if len(sequences) <= 1:  # a work with no text yet (a draft named by another) has none
        return sequences[0] if sequences else []
    return _merge_two(*sequences)


def _merge_two(left: list[str], right: list[str]) -> list[str]:
    """Merge two anchor sequences: the left one's in its order, each anchor only in the
    right one placed before the next anchor they share."""
    right_pos = {a: i for i, a in enumerate(right)}
    left_set = set(left)
    merged, j = [], 0
    for anchor in left:
        if anchor in right_pos and right_pos[anchor] >= j:
            # Anchors only in the right sequence that come before this one go first.
            merged += [a for a in right[j : right_pos[anchor]] if a not in left_set]
            j = right_pos[anchor] + 1
        merged.append(anchor)
    merged.extend(a for a in right[j:] if a not in left_set)
    return merged
