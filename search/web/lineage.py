"""Where a paragraph's wording comes from: the paragraphs of other documents with the same
or nearly the same wording (search.ingest.lineage), earliest first, each with what
changed from the version before it, and a sentence a delegate can quote."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

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
from search.web.comparing import mark_changes


@dataclass
class Use:
    """One paragraph with the wording: its document, date and what changed since the one before."""

    paragraph: Paragraph
    resolution: Resolution
    date: datetime.date | None
    similarity: float | None  # to the paragraph asked about; None for that paragraph itself
    this: bool = False
    html: str = ""  # the text, escaped, with what changed from the use before marked
    changed: bool = False
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
class Lineage:
    paragraph: Paragraph
    uses: list[Use] = field(default_factory=list)  # earliest first, the paragraph itself among them
    first: Use | None = None  # the earliest adopted resolution with the wording
    reused_in: int = 0  # adopted resolutions after the first
    changed_in: list[int] = field(default_factory=list)  # years an adopted version changed the wording
    drafts: int = 0  # drafts and papers with the wording
    not_shown: int = 0  # uses beyond SHOWN, counted in the sentence but not listed
    shown: list[Use] = field(default_factory=list)

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
# comparisons: the earliest are listed (and the paragraph itself), all are counted.
SHOWN = 200


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


def partners(paragraph_ids: list[int]) -> dict[int, int]:
    """How many paragraphs of other documents share each paragraph's wording."""
    return {pid: len(others) for pid, others in SharedWording.objects.partners(paragraph_ids).items()}


def lineage_of(paragraph: Paragraph) -> Lineage:
    """The paragraph's wording through the documents that have it, earliest first."""
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
    lineage = Lineage(paragraph, uses)
    here = uses.index(next(u for u in uses if u.this))
    shown = uses[:SHOWN] if here < SHOWN else [*uses[: SHOWN - 1], uses[here]]
    lineage.not_shown = len(uses) - len(shown)
    listed = {id(use) for use in shown}
    own_words = words(paragraph.text, language)
    for position, use in enumerate(uses):
        if id(use) not in listed:
            continue
        use.changed = not use.this and words(use.paragraph.text, language) != own_words
        if not use.this:
            earlier, later = (use, uses[here]) if position < here else (uses[here], use)
            query = {"from": earlier.resolution.key, "to": later.resolution.key, "lang": language}
            use.compare_url = f"{reverse('compare')}?{urlencode(query)}"
        if not use.changed:
            use.html = format_html("{}", use.paragraph.text)
        elif position < here:  # what this paragraph changed of the earlier one
            use.html = _changes(use.paragraph.text, paragraph.text, language)
        else:  # what the later one changed of this paragraph
            use.html = _changes(paragraph.text, use.paragraph.text, language)
    lineage.shown = shown
    adopted = [u for u in uses if u.adopted]
    lineage.drafts = len({u.resolution.pk for u in uses if not u.adopted})
    if adopted:
        lineage.first = adopted[0]
        lineage.reused_in = len({u.resolution.pk for u in adopted[1:]} - {adopted[0].resolution.pk})
        years = []
        for before, after in zip(adopted, adopted[1:], strict=False):
            if after.date and words(before.paragraph.text, language) != words(after.paragraph.text, language):
                years.append(after.date.year)
        lineage.changed_in = sorted(set(years))
    return lineage


def _changes(before: str, after: str, language: str) -> str:
    """One text, escaped, with what the later dropped (<del>) and added (<ins>) marked inline."""
    old, new = mark_changes(before, after, language)
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


def api_lineage(lineage: Lineage, base_url: str) -> dict:
    """The lineage as the API gives it: the sentence, the figures, and each use, earliest first."""
    paragraph = lineage.paragraph
    return {
        "paragraph": {
            "document": str(paragraph.version.resolution),
            "key": paragraph.version.resolution.key,
            "language": paragraph.version.language,
            "anchor": paragraph.anchor,
            "new_wording": paragraph.new_wording,
        },
        "summary": lineage.sentence(),
        "first_agreed": (
            {
                "document": str(lineage.first.resolution),
                "label": lineage.first.label,
                "date": _iso(lineage.first.date),
            }
            if lineage.first
            else None
        ),
        "used_again_in": lineage.reused_in,
        "changed_in": lineage.changed_in,
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
            for use in lineage.uses
        ],
    }


def _iso(date: datetime.date | None) -> str | None:
    return date.isoformat() if date else None


def lineage_url(resolution_key: str, language: str, anchor: str) -> str:
    return f"{reverse('lineage')}?{urlencode({'key': resolution_key, 'lang': language, 'anchor': anchor})}"
