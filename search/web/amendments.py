"""What amendments do, shown where a reader needs it: beside the paragraphs of the draft
they amend, on the amendment's own page (its operations, linked to the draft's
paragraphs), and on the comparison of the draft with the resolution it became ("inserted
by amendment A/C.3/80/L.56, adopted 63–41–52").

Each note names the amendment (linked), who proposed it, what it does (in the interface
language, the words it quotes in the amendment's own) and what became of it as the
proceedings record it, or "outcome not recorded". The draft's paragraphs are found by
the anchors the operations were stored with, when the page is shown: a draft stored after
its amendments shows them all the same. A page costs two queries here, however many
amendments: their operations, and their stages in the proceedings.

The API (`api_data`, in /api/proceedings) gives the same facts as data, from the same
reading: the amendments, their operations and outcomes are found once, here, and only
their presentation differs.

Everything shown is escaped here; the only markup is this module's own links and spans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import unescape

from django.utils.html import conditional_escape, escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from search.engine.state_names import state_name
from search.engine.wording import same_wording, words
from search.models import AmendmentOperation, Paragraph, Resolution, Stage, html_lang, interface_language
from search.parsing import (
    ADD,
    ADOPTED,
    AFTER,
    AMENDMENT,
    BEFORE,
    BEYOND_LIMIT,
    DELETE,
    END,
    INSERT,
    LEFT_OVER,
    NO_TEXT,
    NOT_ADOPTED,
    OPERATIVE,
    PARAGRAPHS,
    PREAMBULAR,
    RECORDED,
    REPLACE,
    RESOLUTION,
    START,
    TITLE,
    TOO_LONG,
    TOO_MANY,
    UNCLOSED_QUOTE,
    UNKNOWN_FORM,
    WHOLE,
    WITHOUT_VOTE,
    Operation,
    Target,
)
from search.web.comparing import ADDED as ADDED_HERE

SPONSORS_SHOWN = 3  # a note names this many sponsors, then how many more


# What the record of an amendment's votes holds: one vote or outcome (GIVEN), none
# (NOT_RECORDED), stages that disagree (DISAGREEING), or only a vote the import left out as
# no fact (WITHHELD). The API says which; the pages say it in words (`outcome_text`).
GIVEN, NOT_RECORDED, DISAGREEING, WITHHELD = "given", "not_recorded", "disagreeing", "withheld"


@dataclass(frozen=True)
class Outcome:
    """What became of an amendment, as its stages in the proceedings record it."""

    voting: str = ""  # RECORDED, WITHOUT_VOTE or ""
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    outcome: str = ""  # ADOPTED, NOT_ADOPTED, "WITHDRAWN" or ""
    record: str = GIVEN


@dataclass
class Proposed:
    """One amendment, in the language version read, with what it does."""

    resolution: Resolution
    language: str
    sponsors: list[str]
    operations: list[Operation]
    outcome: Outcome = Outcome(record=NOT_RECORDED)

    @property
    def url(self) -> str:
        return self.resolution.get_absolute_url()

    @property
    def lang(self) -> str:
        return html_lang(self.language)


@dataclass
class Amendments:
    """The amendments a page shows: each with its operations described, and the notes
    beside the paragraphs they target."""

    amendments: list[dict] = field(default_factory=list)  # symbol, url, sponsors, outcome, operations
    beside: dict[str, list[SafeString]] = field(default_factory=dict)  # anchor → notes
    draft: Resolution | None = None  # on an amendment's page: the draft it amends, if here


def proposed_to(draft: Resolution, anchors: Iterable[str], language: str) -> Amendments | None:
    """The amendments proposed to a draft, with notes beside the paragraphs of `anchors`
    (those the page shows) that they target; None when there are none."""
    proposed = _proposed_to(draft, language)
    if not proposed:
        return None
    shown = set(anchors)
    found = Amendments()
    for amendment in proposed:
        found.amendments.append(_listed(amendment, lambda key: f"#{key}" if key in shown else ""))
        for operation in amendment.operations:
            note = beside_note(amendment, operation, lambda key: f"#{key}" if key in shown else "")
            for key in {key for key in operation.keys if key in shown}:
                found.beside.setdefault(key, []).append(note)
    return found


def _proposed_to(draft: Resolution, language: str) -> list[Proposed]:
    if not draft.symbol or draft.doc_type == RESOLUTION:  # an adopted resolution is amended no more
        return []
    return _proposed(_operations_on(draft), language)


def _operations_on(draft: Resolution):
    """The operations of the amendments proposed to a draft: by its symbol, whenever stored."""
    return AmendmentOperation.objects.filter(
        version__resolution__amends=draft.symbol, version__resolution__doc_type=AMENDMENT
    )


def of_amendment(amendment: Resolution, language: str) -> Amendments | None:
    """An amendment's own operations, linked to the paragraphs of the draft it amends
    when that draft is here; None for a document that is no amendment or has none."""
    proposed = _own(amendment, language)
    if not proposed:
        return None
    draft = amendment.amended()
    anchors = _anchors(draft)
    url = draft.get_absolute_url() if draft else ""

    def link(key: str) -> str:
        return f"{url}?lang={language}#{key}" if key in anchors else ""

    found = Amendments([_listed(proposed[0], link)], draft=draft)
    for operation, described in zip(proposed[0].operations, found.amendments[0]["operations"], strict=True):
        found.beside.setdefault(f"para{operation.paragraph}", []).append(described)
    return found


def _own(amendment: Resolution, language: str) -> list[Proposed]:
    if amendment.doc_type != AMENDMENT:
        return []
    return _proposed(AmendmentOperation.objects.filter(version__resolution=amendment), language)


def _anchors(draft: Resolution | None) -> set[str]:
    if draft is None:
        return set()
    return set(
        Paragraph.objects.filter(version__resolution=draft).values_list("anchor", flat=True).distinct()
    )


def _proposed(rows, language: str) -> list[Proposed]:
    """The amendments these operations belong to, each in `language` where that version
    is here (else the other), with their outcomes: one query each."""
    by_version: dict[int, list[AmendmentOperation]] = {}
    for row in rows.select_related("version__resolution").order_by("version__resolution__key", "order"):
        by_version.setdefault(row.version_id, []).append(row)
    chosen: dict[int, list[AmendmentOperation]] = {}
    for operations in by_version.values():
        version = operations[0].version
        mine = chosen.get(version.resolution_id)
        if mine is None or (version.language == language and mine[0].version.language != language):
            chosen[version.resolution_id] = operations
    proposed = [_one(operations) for operations in chosen.values()]
    outcomes = outcomes_of(p.resolution.symbol for p in proposed if p.resolution.symbol)
    for amendment in proposed:
        amendment.outcome = outcomes.get(amendment.resolution.symbol or "", amendment.outcome)
    return proposed


def _one(operations: list[AmendmentOperation]) -> Proposed:
    version = operations[0].version
    return Proposed(
        version.resolution, version.language, list(version.sponsors), [o.parsed() for o in operations]
    )


def outcomes_of(symbols: Iterable[str]) -> dict[str, Outcome]:
    """What became of each amendment that has stages in the proceedings: the vote or
    outcome its stages record, where they agree. A vote the import left out as no fact
    (`Stage.problem`: counts that contradict the outcome, votes that disagree) is WITHHELD,
    its counts never given."""
    votes: dict[str, set[tuple]] = {}
    withheld: set[str] = set()
    rows = Stage.objects.filter(symbol__in=list(symbols)).values_list(
        "symbol", "problem", "voting", "yes", "no", "abstain", "outcome"
    )
    for symbol, problem, *vote in rows:
        if vote[0] or vote[-1]:  # a stage that records a vote or an outcome
            votes.setdefault(symbol, set()).add(tuple(vote))
        elif problem:
            withheld.add(symbol)
    found = {
        symbol: Outcome(*next(iter(found))) if len(found) == 1 else Outcome(record=DISAGREEING)
        for symbol, found in votes.items()
    }
    return {symbol: Outcome(record=WITHHELD) for symbol in withheld} | found


def outcome_text(found: Outcome) -> str:
    """ "adopted 68–51–29", "rejected 17–87–45", "adopted without a vote", "outcome not recorded"."""
    if found.record == WITHHELD:
        return _("outcome not shown: its record contradicts itself")
    counts = {"yes": found.yes, "no": found.no, "abstain": found.abstain}
    counted = found.voting == RECORDED and None not in counts.values()
    if found.outcome == ADOPTED:
        if counted:
            return _("adopted %(yes)s–%(no)s–%(abstain)s") % counts
        return _("adopted without a vote") if found.voting == WITHOUT_VOTE else _("adopted")
    if found.outcome == NOT_ADOPTED:
        return _("rejected %(yes)s–%(no)s–%(abstain)s") % counts if counted else _("rejected")
    if found.outcome == "WITHDRAWN":
        return _("withdrawn")
    if counted:
        return _("voted %(yes)s–%(no)s–%(abstain)s, outcome not recorded") % counts
    return _("outcome not recorded")


def _listed(amendment: Proposed, link: Callable[[str], str]) -> dict:
    values = {
        "amendment": _amendment_link(amendment, _("Amendment %(symbol)s")),
        "sponsors": escape(sponsors_text(amendment.sponsors)),
        "outcome": escape(outcome_text(amendment.outcome)),
    }
    heading = (
        _("%(amendment)s (%(sponsors)s) — %(outcome)s")
        if amendment.sponsors
        else _("%(amendment)s — %(outcome)s")
    )
    return {
        "symbol": amendment.resolution.symbol or str(amendment.resolution),
        "url": amendment.url,
        "heading": _html(heading, values),
        "outcome": outcome_text(amendment.outcome),
        "operations": [describe(op, amendment.lang, link) for op in amendment.operations],
    }


def beside_note(amendment: Proposed, operation: Operation, link: Callable[[str], str]) -> SafeString:
    """ "Amendment A/C.3/80/L.57 (United States of America): in OP 64, after “…” insert “…”
    — adopted 68–51–29", the amendment linked."""
    values = {
        "amendment": _amendment_link(amendment, _("Amendment %(symbol)s")),
        "sponsors": escape(sponsors_text(amendment.sponsors)),
        "change": describe(operation, amendment.lang, link),
        "outcome": escape(outcome_text(amendment.outcome)),
    }
    if not amendment.sponsors:
        return _html(_("%(amendment)s: %(change)s — %(outcome)s"), values)
    return _html(_("%(amendment)s (%(sponsors)s): %(change)s — %(outcome)s"), values)


def _amendment_link(amendment: Proposed, name: str) -> str:
    symbol = amendment.resolution.symbol or str(amendment.resolution)
    return f'<a href="{escape(amendment.url)}">{escape(name % {"symbol": symbol})}</a>'


def _html(template: str, values: dict) -> SafeString:
    """A translated sentence filled with values already escaped: the sentence is escaped too."""
    return mark_safe(conditional_escape(template) % values)


def sponsors_text(names: list[str]) -> str:
    """The sponsors in the interface language: "Belarus and Russian Federation", the first
    few and how many more ("Austria, Belgium, Bulgaria and 24 others")."""
    language = interface_language()
    shown = [state_name(name, language) for name in names[:SPONSORS_SHOWN]]
    if len(names) > SPONSORS_SHOWN:
        rest = len(names) - SPONSORS_SHOWN
        return ngettext("%(names)s and %(count)s other", "%(names)s and %(count)s others", rest) % {
            "names": _comma(shown),
            "count": rest,
        }
    return _and(shown)


def _comma(names: list[str]) -> str:
    return pgettext("between names in a list", ", ").join(names)


def _and(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": _comma(names[:-1]), "last": names[-1]}


# What an operation does, in words.


def describe(operation: Operation, lang: str, link: Callable[[str], str]) -> SafeString:
    """ "in OP 68, after “…” insert “…”" (在执行部分第68段“…”之后插入“…”): the targets
    linked where `link` gives their address, the quoted words in the amendment's language."""
    values = {
        "targets": _and([_target(target, link) for target in operation.targets]),
        "at": _quoted(operation.placed_by, lang),
        "old": _quoted(operation.old, lang),
        "new": _quoted(operation.new, lang),
        "text": " ".join(f"“{_quoted(p, lang)}”" for p in operation.paragraphs),
        "count": len(operation.paragraphs),
        "reason": escape(reason_text(operation.reason)),
        "sentence": _quoted(operation.sentence, lang),
    }
    return _html(_sentence(operation), values)


def _sentence(operation: Operation) -> str:
    kind, scope, position = operation.kind, operation.scope, operation.position
    if kind == DELETE:
        return _("delete %(targets)s") if scope == PARAGRAPHS else _("in %(targets)s, delete “%(old)s”")
    if kind == INSERT:
        return _inserting(position)
    if kind == REPLACE and scope == PARAGRAPHS:
        return _("replace %(targets)s with: %(text)s")
    if kind == REPLACE:
        return _("in %(targets)s, replace “%(old)s” with “%(new)s”")
    if kind == ADD:
        return _adding(position, len(operation.paragraphs))
    return _("not read (%(reason)s): %(sentence)s")


def _inserting(position: str) -> str:
    return {
        AFTER: lambda: _("in %(targets)s, after “%(at)s” insert “%(new)s”"),
        BEFORE: lambda: _("in %(targets)s, before “%(at)s” insert “%(new)s”"),
        END: lambda: _("at the end of %(targets)s, add “%(new)s”"),
        START: lambda: _("at the beginning of %(targets)s, insert “%(new)s”"),
    }[position]()


def _adding(position: str, count: int) -> str:
    if position == BEFORE:
        return ngettext(
            "add a new paragraph before %(targets)s: %(text)s",
            "add %(count)s new paragraphs before %(targets)s: %(text)s",
            count,
        )
    return ngettext(
        "add a new paragraph after %(targets)s: %(text)s",
        "add %(count)s new paragraphs after %(targets)s: %(text)s",
        count,
    )


def _quoted(words: str, lang: str) -> str:
    return f'<span lang="{lang}">{escape(words)}</span>'


def target_name(target: Target) -> str:
    """ "OP 5 (b)" (执行部分第5(b)段), "the title", "all preambular paragraphs", "the whole text"."""
    en, zh = target.labels
    if en:
        return zh if interface_language() == "zh" else en
    return {
        TITLE: lambda: _("the title"),
        WHOLE: lambda: _("the whole text"),
        PREAMBULAR: lambda: _("all preambular paragraphs"),
        OPERATIVE: lambda: _("all operative paragraphs"),
    }[target.part]()


def _target(target: Target, link: Callable[[str], str]) -> str:
    name = escape(target_name(target))
    url = link(target.key)
    return f'<a href="{escape(url)}">{name}</a>' if url else name


def reason_text(reason: str) -> str:
    """Why an operation is not read, in the interface language."""
    return {
        UNKNOWN_FORM: lambda: _("not in a form this reader knows"),
        UNCLOSED_QUOTE: lambda: _("a quotation mark is not closed"),
        NO_TEXT: lambda: _("the text it inserts or deletes was not found"),
        LEFT_OVER: lambda: _("it is followed by text that no part of it accounts for"),
        TOO_LONG: lambda: _("too long to be one instruction"),
        BEYOND_LIMIT: lambda: _("past the part of the amendment that is read"),
        TOO_MANY: lambda: _("past the number of operations that are read"),
    }.get(reason, lambda: reason)()


# On the comparison of a draft with the resolution it became.


def beside_comparison(first: Resolution, second_text, language: str, pairs: list) -> list[list[SafeString]]:
    """For each pair of paragraphs compared, the notes of the amendments to the first (a
    draft) that concern it: beside the draft's paragraph an operation targets, and beside
    the resolution's paragraph that a new paragraph became ("inserted by amendment …")."""
    notes: list[list[SafeString]] = [[] for _ in pairs]
    proposed = _proposed(_operations_on(first), language) if first.symbol else []
    if not proposed:
        return notes
    url = first.get_absolute_url()

    def link(key: str) -> str:
        return f"{url}?lang={language}#{key}"

    left = {pair.left.anchor: i for i, pair in enumerate(pairs) if pair.left is not None}
    added = _added_texts(second_text, pairs)
    for amendment in proposed:
        for operation in amendment.operations:
            places = _inserted_at(operation, added, language) if operation.kind == ADD else []
            if places:
                note = _inserted_note(amendment)
            else:
                places = [left[key] for key in operation.keys if key in left]
                note = beside_note(amendment, operation, link)
            for i in places:
                notes[i].append(note)
    return notes


def _added_texts(second_text, pairs: list) -> dict[int, str]:
    """The text of each paragraph only the second version has, by its pair's place."""
    anchors = {pair.right.anchor: i for i, pair in enumerate(pairs) if pair.status == ADDED_HERE}
    if second_text is None or not anchors:
        return {}
    rows = Paragraph.objects.filter(version=second_text, anchor__in=list(anchors)).values_list(
        "anchor", "text"
    )
    return {anchors[anchor]: text for anchor, text in rows}


def _inserted_at(operation: Operation, added: dict[int, str], language: str) -> list[int]:
    """The added paragraphs of the resolution that have the wording of the new paragraphs."""
    places = []
    for paragraph in operation.paragraphs:
        new = words(paragraph, language)
        places += [i for i, text in added.items() if same_wording(new, words(text, language)) is not None]
    return sorted(set(places))


def _inserted_note(amendment: Proposed) -> SafeString:
    values = {
        "amendment": _amendment_link(amendment, _("amendment %(symbol)s")),
        "sponsors": escape(sponsors_text(amendment.sponsors)),
        "outcome": escape(outcome_text(amendment.outcome)),
    }
    if not amendment.sponsors:
        return _html(_("Inserted by %(amendment)s, %(outcome)s"), values)
    return _html(_("Inserted by %(amendment)s (%(sponsors)s), %(outcome)s"), values)


# The same facts for the API.


def api_data(document: Resolution, language: str, base_url: str) -> dict:
    """What the API gives of amendments for a document: `amendment`, what it does when it
    is one; `amendments`, those proposed to it when it is a draft, and
    `amendments_by_paragraph`, which of their operations target each of its paragraphs
    (by anchor); None where there are none. Each amendment is read in its `language`
    version where that is here, else the other."""
    own = _own(document, language)
    proposed = _proposed_to(document, language)
    data = {"amendment": None, "amendments": None, "amendments_by_paragraph": None}
    if own:
        draft = document.amended()
        link = _api_link(draft, _anchors(draft), base_url)
        data["amendment"] = _api_amendment(own[0], link, base_url) | {"draft": _api_document(draft, base_url)}
    if proposed:
        anchors = _anchors(document)
        link = _api_link(document, anchors, base_url)
        data["amendments"] = [_api_amendment(amendment, link, base_url) for amendment in proposed]
        data["amendments_by_paragraph"] = _by_paragraph(proposed, anchors)
    return data


def _by_paragraph(proposed: list[Proposed], anchors: set[str]) -> dict[str, list[dict]]:
    """The operations that target each paragraph here: the amendment's symbol and the
    operation's number in its list."""
    found: dict[str, list[dict]] = {}
    for amendment in proposed:
        for number, operation in enumerate(amendment.operations, 1):
            for key in dict.fromkeys(key for key in operation.keys if key in anchors):
                found.setdefault(key, []).append({"amendment": _symbol(amendment), "operation": number})
    return found


def _api_link(draft: Resolution | None, anchors: set[str], base_url: str) -> Callable[[str], str]:
    url = f"{base_url}{draft.get_absolute_url()}" if draft is not None else ""
    return lambda key: f"{url}#{key}" if key in anchors else ""


def _api_document(document: Resolution | None, base_url: str) -> dict | None:
    if document is None:
        return None
    return {"key": document.key, "symbol": document.symbol, "url": f"{base_url}{document.get_absolute_url()}"}


def _symbol(amendment: Proposed) -> str:
    return amendment.resolution.symbol or str(amendment.resolution)


def _api_amendment(amendment: Proposed, link: Callable[[str], str], base_url: str) -> dict:
    language = interface_language()
    return {
        "symbol": _symbol(amendment),
        "key": amendment.resolution.key,
        "url": f"{base_url}{amendment.url}",
        "language": amendment.language,
        "amends": amendment.resolution.amends or None,
        "sponsors": [state_name(name, language) for name in amendment.sponsors],
        "outcome": _api_outcome(amendment.outcome),
        "operations": [
            _api_operation(number, operation, amendment, link)
            for number, operation in enumerate(amendment.operations, 1)
        ],
    }


def _api_outcome(found: Outcome) -> dict:
    return {
        "record": found.record,
        "result": found.outcome or None,
        "voting": found.voting or None,
        "yes": found.yes,
        "no": found.no,
        "abstain": found.abstain,
        "text": outcome_text(found),
    }


def _api_operation(
    number: int, operation: Operation, amendment: Proposed, link: Callable[[str], str]
) -> dict:
    document = amendment.resolution.amends or None
    return {
        "number": number,
        "amendment_paragraph": f"para{operation.paragraph}",
        "kind": operation.kind,
        "scope": operation.scope or None,
        "position": operation.position or None,
        "targets": [_api_target(target, document, link) for target in operation.targets],
        "placed_by": operation.placed_by or None,
        "old": operation.old or None,
        "new": operation.new or None,
        "paragraphs": operation.paragraphs,
        "new_part": operation.new_part or None,
        "sentence": operation.sentence,
        "reason": operation.reason or None,
        # The sentence the pages show, as plain text: the same words, without their links.
        "description": unescape(strip_tags(describe(operation, amendment.lang, lambda key: ""))),
    }


def _api_target(target: Target, document: str | None, link: Callable[[str], str]) -> dict:
    return {
        "anchor": target.key if target.number is not None else None,
        "part": "whole" if target.part == WHOLE else target.part,
        "label": target_name(target),
        "document": document,
        "url": link(target.key) or None,
    }
