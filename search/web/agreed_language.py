"""Where a paragraph's wording comes from: the paragraphs of other documents with the same
or nearly the same wording (search.ingest.agreed_language), earliest first, each with what
changed between it and the paragraph asked about, and a sentence a delegate can quote.

Agreed language is a function of stored rows: `cached_agreed_language` keeps it, keyed by what it is
computed from, so any write that could change it makes the old entry unreachable. The
uses are listed PER_PAGE at a time: a page marks the changes of its own uses only.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from search.engine.wording import words
from search.models import Paragraph, Resolution, SharedWording
from search.parsing import RESOLUTION
from search.web.caching import LATE_CHANGES, log_state_sql, remember
from search.web.comparing import OverBudget, Work, mark_changes


@dataclass
class Use:
    """One paragraph with the wording: its document, date and what changed since the one before."""

    paragraph: Paragraph
    resolution: Resolution
    date: datetime.date | None
    similarity: float | None  # to the paragraph asked about; None for that paragraph itself
    this: bool = False
    html: str = ""  # the text, escaped, with what changed between it and this paragraph marked
    changed: bool = False
    marked: bool = True  # False: changed, but too long to mark word by word
    compare_url: str = ""  # the two documents compared whole, the earlier first

    @property
    def adopted(self) -> bool:
        return self.resolution.doc_type == RESOLUTION

    @property
    def label(self) -> str:
        return self.paragraph.label_in(self.paragraph.version.language)

    @property
    def url(self) -> str:
        language, anchor = self.paragraph.version.language, self.paragraph.anchor
        return f"{self.resolution.get_absolute_url()}?lang={language}#{anchor}"


@dataclass
class AgreedLanguage:
    paragraph: Paragraph
    uses: list[Use] = field(default_factory=list)  # earliest first, the paragraph itself among them
    first: Use | None = None  # the earliest adopted resolution with the wording
    reused_in: int = 0  # adopted resolutions after the first
    changed_in: list[int] = field(default_factory=list)  # years an adopted version changed the wording
    drafts: int = 0  # drafts and papers with the wording
    key: str = ""  # in the results cache, when it was kept there

    @property
    def this(self) -> Use:
        return next(use for use in self.uses if use.this)

    @property
    def others(self) -> int:
        return len(self.uses) - 1

    def sentence(self) -> str:
        """ "First agreed in A/RES/70/179, PP 6 (2015); used again in 5 resolutions; changed in 2019." """
        if self.first is None:
            return _("Not in an adopted resolution here.")
        where = {"document": self.first.resolution, "label": self.first.label, "year": _year(self.first)}
        if self.first.this:
            parts = [_("First agreed here (%(year)s)") % where]
        else:
            parts = [_("First agreed in %(document)s, %(label)s (%(year)s)") % where]
        if self.reused_in:
            parts.append(
                ngettext("used again in %(n)d resolution", "used again in %(n)d resolutions", self.reused_in)
                % {"n": self.reused_in}
            )
        if self.changed_in:
            parts.append(_("changed in %(years)s") % {"years": ", ".join(map(str, self.changed_in))})
        return _("%(sentence)s.") % {"sentence": pgettext("between parts of a sentence", "; ").join(parts)}


# A formula repeated by thousands of resolutions would make a page of thousands of
# comparisons: the uses are listed this many at a time, all are counted.
PER_PAGE = 20
VERSION = 2  # of what the cache holds: a change of it makes earlier entries unreachable


@dataclass
class Page:
    """One page of an agreed language's uses, with what changed in each marked."""

    agreed: AgreedLanguage
    number: int
    uses: list[Use]

    @property
    def total(self) -> int:
        return len(self.agreed.uses)

    @property
    def pages(self) -> int:
        return pages(self.agreed)

    @property
    def start(self) -> int:
        return (self.number - 1) * PER_PAGE + 1

    @property
    def end(self) -> int:
        return self.start + len(self.uses) - 1

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    def url(self, number: int | None, path: str = "agreed_language") -> str | None:
        if number is None:
            return None
        p = self.agreed.paragraph
        return agreed_language_url(p.version.resolution.key, p.version.language, p.anchor, number, path)

    @property
    def previous_url(self) -> str | None:
        return self.url(self.previous)

    @property
    def next_url(self) -> str | None:
        return self.url(self.next)


def _year(use: Use) -> str:
    return str(use.date.year) if use.date else "?"


def _date(paragraph: Paragraph) -> datetime.date | None:
    """Adopted, else issued; a draft inside a report, when its report was issued."""
    resolution = paragraph.version.resolution
    date = resolution.adopted_on or paragraph.version.issued_on
    if date is None and resolution.contained_in_id:
        report = resolution.contained_in.texts.filter(language=paragraph.version.language).first()
        date = report.issued_on if report else None
    return date


def _order(use: Use) -> tuple:
    # Undated last; on one day a draft before the resolution it became.
    return (use.date is None, use.date or datetime.date.max, use.adopted, use.resolution.key)


def partner_counts(paragraph_ids: list[int]) -> dict[int, int]:
    """How many paragraphs of other documents share each paragraph's wording."""
    return {pid: len(others) for pid, others in SharedWording.objects.partners(paragraph_ids).items()}


def agreed_language_of(paragraph: Paragraph) -> AgreedLanguage:
    """The paragraph's wording through the documents that have it, earliest first, and the
    sentence's figures; what changed in each use is marked by `page_of`, a page at a time."""
    rows = SharedWording.objects.filter(Q(first=paragraph) | Q(second=paragraph))
    similar = {
        (second if first == paragraph.pk else first): alike
        for first, second, alike in rows.values_list("first_id", "second_id", "similarity")
    }
    others = Paragraph.objects.filter(pk__in=similar).select_related("version__resolution__contained_in")
    uses = [Use(paragraph, paragraph.version.resolution, _date(paragraph), None, this=True)]
    uses += [Use(p, p.version.resolution, _date(p), similar[p.pk]) for p in others]
    uses.sort(key=_order)
    language = paragraph.version.language
    agreed = AgreedLanguage(paragraph, uses)
    adopted = [u for u in uses if u.adopted]
    agreed.drafts = len({u.resolution.pk for u in uses if not u.adopted})
    if adopted:
        agreed.first = adopted[0]
        agreed.reused_in = len({u.resolution.pk for u in adopted[1:]} - {adopted[0].resolution.pk})
        years = []
        for before, after in zip(adopted, adopted[1:], strict=False):
            if after.date and words(before.paragraph.text, language) != words(after.paragraph.text, language):
                years.append(after.date.year)
        agreed.changed_in = sorted(set(years))
    return agreed


def pages(agreed: AgreedLanguage) -> int:
    return max(1, -(-len(agreed.uses) // PER_PAGE))


def page_number(value: str | None, agreed: AgreedLanguage) -> tuple[int, str | None]:
    """The page asked for (1 when none is), else the nearest page and what is wrong, in words."""
    last = pages(agreed)
    if value in (None, ""):
        return 1, None
    if not value.isdigit() or not 1 <= int(value) <= last:
        wrong = f"page must be a whole number from 1 to {last}, not {value[:20]!r}"
        return (last if value.isdigit() and int(value) > last else 1), wrong
    return int(value), None


def page_of(agreed: AgreedLanguage, number: int) -> Page:
    """The uses of one page, each with what changed between it and this paragraph marked:
    only these are compared, the others are only counted."""
    here = next(i for i, use in enumerate(agreed.uses) if use.this)
    this = agreed.uses[here]
    language = this.paragraph.version.language
    own_words = words(this.paragraph.text, language)
    shown = []
    for position in range((number - 1) * PER_PAGE, min(number * PER_PAGE, len(agreed.uses))):
        use = agreed.uses[position]
        changed = not use.this and words(use.paragraph.text, language) != own_words
        compare_url = ""
        if not use.this:
            earlier, later = (use, this) if position < here else (this, use)
            query = {"from": earlier.resolution.key, "to": later.resolution.key, "lang": language}
            compare_url = f"{reverse('compare')}?{urlencode(query)}"
        html = None
        if changed:  # in the order of time: what the later one dropped and added
            before, after = (use, this) if position < here else (this, use)
            html = _changes(before.paragraph.text, after.paragraph.text, language)
        marked = html is not None or not changed
        html = html if html is not None else format_html("{}", use.paragraph.text)
        marks = {"changed": changed, "html": html, "marked": marked, "compare_url": compare_url}
        shown.append(dataclasses.replace(use, **marks))
    return Page(agreed, number, shown)


def _changes(before: str, after: str, language: str) -> str | None:
    """One text, escaped, with what the later dropped (<del>) and added (<ins>) marked
    inline; None when the two are too long to compare word by word (see comparing)."""
    try:
        old, new = mark_changes(before, after, language, Work())
    except OverBudget:
        return None
    # mark_changes gives each side its own marks; a reader wants one text: the two merged,
    # the earlier one's words that went struck through where they were.
    return mark_safe(_inline(old, new))


def _inline(old: str, new: str) -> str:
    """Merge two marked sides into one: equal runs once, <del> from the old, <ins> from the new.

    Both sides come from one sequence of operations, so their equal runs are the same
    text in the same order; only the marked runs differ.
    """
    piece = re.compile(r"(<del>.*?</del>|<ins>.*?</ins>)", re.S)
    a, b = piece.split(old), piece.split(new)
    out, i, j = [], 0, 0
    while i < len(a) or j < len(b):
        if i < len(a) and a[i].startswith("<del>"):
            out.append(a[i])
            i += 1
        elif j < len(b) and b[j].startswith("<ins>"):
            out.append(b[j])
            j += 1
        else:
            # Equal runs: the same in both (an empty split piece on one side is skipped).
            if i < len(a) and j < len(b):
                out.append(b[j])
                i, j = i + 1, j + 1
            elif j < len(b):
                out.append(b[j])
                j += 1
            else:
                i += 1
    return "".join(out)


def api_data(page: Page, base_url: str) -> dict:
    """A page of the agreed language as the API gives it: the sentence, the figures, and the page's
    uses, earliest first, with the links to the pages before and after."""
    agreed = page.agreed
    paragraph = agreed.paragraph
    link = lambda number: base_url + page.url(number, "api_agreed_language") if number else None  # noqa: E731
    return {
        "paragraph": {
            "document": str(paragraph.version.resolution),
            "key": paragraph.version.resolution.key,
            "language": paragraph.version.language,
            "anchor": paragraph.anchor,
            "new_wording": paragraph.new_wording,
        },
        "summary": agreed.sentence(),
        "first_agreed": (
            {
                "document": str(agreed.first.resolution),
                "label": agreed.first.label,
                "date": _iso(agreed.first.date),
            }
            if agreed.first
            else None
        ),
        "used_again_in": agreed.reused_in,
        "changed_in": agreed.changed_in,
        "total": page.total,
        "page": page.number,
        "pages": page.pages,
        "per_page": PER_PAGE,
        "previous": link(page.previous),
        "next": link(page.next),
        "uses": [
            {
                "document": str(use.resolution),
                "key": use.resolution.key,
                "doc_type": use.resolution.doc_type,
                "date": _iso(use.date),
                "label": use.label,
                "anchor": use.paragraph.anchor,
                "url": base_url + use.url,
                "this": use.this,
                "similarity": use.similarity,
                "changed": use.changed,
                "text": use.paragraph.text,
            }
            for use in page.uses
        ],
    }


def _iso(date: datetime.date | None) -> str | None:
    return date.isoformat() if date else None


def agreed_language_url(
    resolution_key: str, language: str, anchor: str, page: int = 1, path: str = "agreed_language"
) -> str:
    query = {"key": resolution_key, "lang": language, "anchor": anchor} | ({"page": page} if page > 1 else {})
    return f"{reverse(path)}?{urlencode(query)}"


# --- the cache ----------------------------------------------------------------


def cached_agreed_language(paragraph: Paragraph) -> AgreedLanguage:
    """agreed_language_of(), kept in the results cache under what it is computed from."""
    # The version's creation time too: a test database numbers rows from 1 again.
    created = paragraph.version.created_at.timestamp()
    key = f"agreed-language:{VERSION}:{paragraph.pk}:{created}:{'.'.join(map(str, revision(paragraph.pk)))}"

    def build() -> AgreedLanguage:
        built = agreed_language_of(paragraph)
        built.key = key
        return built

    found = remember(key, build)
    found.paragraph = paragraph  # its own row as read now: its flags are not part of the key
    return found


def cached_page(agreed: AgreedLanguage, number: int) -> Page:
    """page_of(), kept in the results cache beside its agreed language: made from the same rows."""
    if not agreed.key:
        return page_of(agreed, number)
    uses = remember(f"{agreed.key}:page:{PER_PAGE}:{number}", lambda: page_of(agreed, number).uses)
    return Page(agreed, number, uses)


def revision(paragraph_id: int) -> tuple[int, ...]:
    """What an agreed language is computed from besides its paragraph's own row, read in one query.

    Its pairs of shared wording: a trace (after a publish, or `trace_wording`) deletes and
    inserts rows, never updates one, and a new row takes an id never used before, so the
    highest id and the count of the paragraph's rows change whenever the set does. The
    other paragraphs' texts: a publish that changes one replaces its row, and its pairs
    go with it. Their documents' dates, symbols and types: every publish, replace, delete
    and edit of a document writes the change log (IndexChange) in its own transaction,
    so the log's last number, and how many of the last LATE_CHANGES numbers are visible,
    change with it.
    """
    quote = connection.ops.quote_name
    pairs, first, second = (
        quote(SharedWording._meta.db_table),
        quote(SharedWording._meta.get_field("first").column),
        quote(SharedWording._meta.get_field("second").column),
    )
    pk = quote(SharedWording._meta.pk.column)
    sql = (
        f"SELECT (SELECT MAX({pk}) FROM {pairs} WHERE {first} = %s),"
        f" (SELECT COUNT(*) FROM {pairs} WHERE {first} = %s),"
        f" (SELECT MAX({pk}) FROM {pairs} WHERE {second} = %s),"
        f" (SELECT COUNT(*) FROM {pairs} WHERE {second} = %s),"
        f" {log_state_sql()}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [paragraph_id] * 4 + [LATE_CHANGES])
        return tuple(value or 0 for value in cursor.fetchone())
