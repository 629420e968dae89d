"""The database is the source of truth: the search index is derived from these rows."""

import functools
from collections import Counter
from dataclasses import dataclass

from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from search.parsing import (
    ADD,
    AMENDMENT,
    ANNEX,
    BODIES,
    COMMITTEE_STAGE,
    DELETE,
    DOC_TYPES,
    DRAFT_DECISION,
    DRAFT_RESOLUTION,
    GA_DRAFT_SYMBOL,
    INSERT,
    KINDS,
    LANGUAGES,
    MAIN_COMMITTEES,
    NOTE,
    OPERATIVE,
    PLENARY,
    PREAMBULAR,
    REPLACE,
    REPORT,
    REPORT_DOC,
    RESOLUTION,
    REVISION,
    SUBMISSION,
    UNREAD,
    Operation,
    Target,
    official_url,
    session_number,
)

# What the parser's codes are called, in the interface language: defined here once.
LANGUAGE_NAMES = {"zh": _("Chinese"), "en": _("English")}
DOC_TYPE_NAMES = {
    RESOLUTION: _("Resolution"),
    DRAFT_RESOLUTION: _("Draft resolution"),
    REPORT_DOC: _("Report"),
    AMENDMENT: _("Amendment"),
    DRAFT_DECISION: _("Draft decision"),
    NOTE: _("Note by the Secretariat"),
}
KIND_NAMES = {PREAMBULAR: _("Preambular"), OPERATIVE: _("Operative"), ANNEX: _("Annex"), REPORT: _("Report")}


def interface_language() -> str:
    """Return the language of the interface: "zh" or "en"."""
    return "zh" if (get_language() or "").startswith("zh") else "en"


def _un_name(english: str, chinese: str) -> str:
    """A UN body's own name in the interface language (the parser's tables hold both)."""
    return chinese if interface_language() == "zh" else english


UN_NAME = lazy(_un_name, str)
COMMITTEE_NAMES = {code: UN_NAME(*names) for code, names in MAIN_COMMITTEES.items()}
COMMITTEE_NAMES["plenary"] = _("Plenary, without reference to a Main Committee")
# A paragraph's wording, as the index files it (search.ingest.agreed_language): "wording:new".
WORDING_NAMES = {"new": _("New wording"), "agreed": _("Agreed before")}
BODY_NAMES = {code: UN_NAME(*names) for code, names in BODIES.items()}
BECAME_TITLE, BECAME_CONTENT, BECAME_STAFF, BECAME_RECORD = "title", "content", "staff", "record"
BECAME_METHODS = [
    (BECAME_TITLE, _("same symbol series and title")),
    (BECAME_CONTENT, _("matched by content")),
    (BECAME_STAFF, _("confirmed by staff")),
    (BECAME_RECORD, _("the session's proceedings")),
]
LANGUAGE_CHOICES = [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]


def language_name(language: str) -> str:
    """Return "Chinese" or "English" (中文 names in a Chinese interface)."""
    return str(LANGUAGE_NAMES.get(language, language))


def session_label(session: str) -> str:
    """Return "74th session" (第74届会议) for "74", "2013 session" for an Economic and
    Social Council year; other sessions as they are written."""
    if not session.isdigit():
        return _("%(session)s session") % {"session": session}
    n = int(session)
    if n >= 1946:
        return _("%(year)s session") % {"year": n}
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return _("%(number)s%(suffix)s session") % {"number": n, "suffix": suffix}


def html_lang(language: str) -> str:
    """Return the HTML lang attribute of a text in this language."""
    return "zh-Hans" if language == "zh" else "en"


class SourceFile(models.Model):
    """The bytes exactly as uploaded or read from the corpus, kept for provenance."""

    data = models.BinaryField(_("data"))
    filename = models.CharField(_("filename"), max_length=255)
    sha256 = models.CharField(_("sha256"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("source file")
        verbose_name_plural = _("source files")

    def __str__(self):
        return f"{self.filename} ({self.sha256[:12]})"


def document_path(key: str) -> str:
    """The path of a document's page (`Resolution.get_absolute_url` without the row)."""
    return _document_path(key, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=4096)
def _document_path(key: str, _script_prefix: str, _urlconf) -> str:
    # reverse() was a third of a 2,000-row CSV export, and a page links the same documents
    # again and again (its citations, agreed language, hits). What it returns depends on these three.
    return reverse("resolution", kwargs={"key": key})


class Resolution(models.Model):
    """One work, whatever the languages it exists in."""

    # Used in URLs: the symbol when known, else a manifest key ("draft-A-C.3-74-zh").
    key = models.CharField(_("key"), max_length=200, unique=True)
    # Null when the text does not say and no official record gives it: never invented.
    symbol = models.CharField(_("symbol"), max_length=100, null=True, blank=True, unique=True)
    doc_type = models.CharField(
        _("doc type"), max_length=20, choices=[(t, DOC_TYPE_NAMES[t]) for t in DOC_TYPES]
    )
    body = models.CharField(_("body"), max_length=20, null=True, blank=True, choices=list(BODY_NAMES.items()))
    session = models.CharField(_("session"), max_length=100, blank=True)
    agenda_item = models.CharField(_("agenda item"), max_length=50, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    # The Main Committee whose report it was adopted on ("C1" … "C6"), "plenary" when
    # adopted without reference to one; a draft's committee is that of its symbol.
    committee = models.CharField(_("committee"), max_length=20, blank=True)
    committee_report = models.CharField(_("committee report"), max_length=100, blank=True)  # "A/80/459"
    became = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
        verbose_name=_("became"),
    )
    contained_in = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contained",
        verbose_name=_("contained in"),
    )
    position = models.PositiveIntegerField(_("position"), null=True, blank=True)
    annex_adopted_as = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="annex_of",
        verbose_name=_("annex adopted as"),
    )
    # An amendment's draft, by symbol ("A/C.3/80/L.2"): the draft may be uploaded later.
    amends = models.CharField(_("amends"), max_length=100, blank=True)
    # How a draft's `became` was found, and how sure the match by content is (0–1).
    became_method = models.CharField(_("became method"), max_length=10, blank=True, choices=BECAME_METHODS)
    became_confidence = models.FloatField(_("became confidence"), null=True, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    def session_number(self) -> str:
        """The session as a number ("78" for "Seventy-eighth session" or "第七十八届会议")."""
        return session_number(self.session)

    def session_name(self) -> str:
        """ "78th session" (第78届会议), or the session as written when it has no number."""
        number = self.session_number()
        return session_label(number) if number else self.session

    def filed_committee(self) -> str:
        """The committee it is filed and searched under: its own ("C3", "plenary"), else
        "plenary" for a draft of the plenary (A/80/L.5: no Main Committee in its symbol)."""
        if self.committee:
            return self.committee
        draft = GA_DRAFT_SYMBOL.match(self.symbol or "")
        return "plenary" if draft and not draft["committee"] else ""

    def committee_name(self) -> str:
        """ "Third Committee" (第三委员会), or "" when no committee is known."""
        return str(COMMITTEE_NAMES.get(self.filed_committee(), ""))

    def amended(self) -> "Resolution | None":
        """The stored draft this amendment amends, if it is here."""
        return Resolution.objects.filter(symbol=self.amends).first() if self.amends else None

    def amendments(self):
        """The amendments proposed to this draft that are stored here."""
        return Resolution.objects.filter(amends=self.symbol) if self.symbol else Resolution.objects.none()

    def __str__(self):
        return self.symbol or self.described()

    def described(self) -> str:
        """Name a document without a symbol by what it is, never by its internal key.

        "General Assembly draft resolution, 74th session"; "Draft resolution 4 in the
        General Assembly report, 79th session, agenda item 107" (大会第74届会议决议草案 …).
        """
        if self.contained_in_id and self.contained_in is not None:
            report = (
                self.contained_in.described() if not self.contained_in.symbol else self.contained_in.symbol
            )
            return _("Draft resolution %(number)s in the %(report)s") % {
                "number": self.position,
                "report": report,
            }
        kind = DOC_TYPE_NAMES.get(self.doc_type, self.doc_type)
        parts = {
            "kind": str(kind).lower() if self.body else kind,
            "body": BODY_NAMES.get(self.body, self.body or ""),
            "session": self.session_name(),
            "item": self.agenda_item,
        }
        if self.body and self.session and self.agenda_item:
            return _("%(body)s %(kind)s, %(session)s, agenda item %(item)s") % parts
        if self.body and self.session:
            return _("%(body)s %(kind)s, %(session)s") % parts
        if self.body:
            return _("%(body)s %(kind)s") % parts
        return str(kind)

    def year(self) -> int | None:
        """The year a reader files it under: adopted, else the adoption of what it became,
        else the year its General Assembly session opened (the 74th in 2019)."""
        if self.adopted_on:
            return self.adopted_on.year
        if self.became_id and self.became is not None and self.became.adopted_on:
            return self.became.adopted_on.year
        if self.body == "GA" and self.session.isdigit():
            return 1945 + int(self.session)
        return None

    def get_absolute_url(self):
        return document_path(self.key)

    def became_note(self) -> str:
        """Say how the resolution this draft became was found, and how sure that is."""
        confidence = {"confidence": f"{self.became_confidence:.2f}"} if self.became_confidence else {}
        if self.became_method == BECAME_STAFF:
            return str(_("confirmed by staff"))
        if self.became_method == BECAME_RECORD:
            return str(_("as the session's proceedings record it"))
        if self.became_method == BECAME_CONTENT:
            return str(
                _("matched by content, confidence %(confidence)s; not yet confirmed by staff") % confidence
            )
        if self.became_method == BECAME_TITLE and confidence:
            return str(
                _("same symbol series and title; the content agrees, confidence %(confidence)s") % confidence
            )
        if self.became_method == BECAME_TITLE:
            return str(_("same symbol series and title"))
        return ""


class DraftMatch(Resolution):
    """A draft and the resolution it became, as staff confirm or correct it in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("draft match")
        verbose_name_plural = _("draft matches")


class Text(models.Model):
    """One language version of a Resolution."""

    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="texts", verbose_name=_("resolution")
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    title = models.TextField(_("title"), blank=True)
    meeting = models.CharField(_("meeting"), max_length=200, blank=True)
    sponsors = models.JSONField(_("sponsors"), default=list, blank=True)
    # Page one's heading: "Distr.: General" and the date under it, the agenda item's title.
    distribution = models.CharField(_("distribution"), max_length=20, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    agenda_item_title = models.TextField(_("agenda item title"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    references = models.JSONField(_("references"), default=list, blank=True)
    # Drafts inside a report point to the report's file.
    source = models.ForeignKey(
        SourceFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="texts",
        verbose_name=_("source"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["resolution__key", "language"]
        verbose_name = _("text")
        verbose_name_plural = _("texts")
        constraints = [
            models.UniqueConstraint(fields=["resolution", "language"], name="one_text_per_language")
        ]

    def __str__(self):
        return f"{self.resolution} [{self.language}]"

    def get_absolute_url(self):
        return self.resolution.get_absolute_url()

    @property
    def official_url(self):
        return official_url(self.resolution.symbol, self.language)


class Paragraph(models.Model):
    # The content field is `text` as in documents.Paragraph, so the FK to the
    # language version is called `version`.
    version = models.ForeignKey(
        Text, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("version")
    )
    order = models.PositiveIntegerField(_("order"))
    # Anchors are the same in every language of a Resolution: they align zh and en.
    anchor = models.CharField(_("anchor"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=[(k, KIND_NAMES[k]) for k in KINDS])
    label = models.CharField(_("label"), max_length=100, blank=True)
    label_zh = models.CharField(_("label zh"), max_length=100, blank=True)
    number = models.CharField(_("number"), max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    text = models.TextField(_("text"))
    heading = models.TextField(_("heading"), blank=True)
    footnotes = models.JSONField(_("footnotes"), default=list, blank=True)
    # No adopted resolution dated before this paragraph's document has its wording (None:
    # not yet traced). Derived, like the two tables below: search.ingest.agreed_language.
    new_wording = models.BooleanField(_("new wording"), null=True)
    # Paragraphs with the same wording (SharedWording pairs) share a family: a search shows
    # them once. The id of the family's first paragraph; None: its own (`family`). Derived.
    wording_key = models.PositiveIntegerField(_("wording family"), null=True, blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [models.UniqueConstraint(fields=["version", "anchor"], name="unique_anchor_per_text")]

    def __str__(self):
        return f"{self.version} {self.anchor}"

    @property
    def family(self) -> int:
        """The wording family this paragraph is shown once with (search.engine.families)."""
        return self.wording_key or self.pk

    def label_in(self, language: str) -> str:
        """Return the citation label in a language: "OP 3 (b)" or "执行部分第3(b)段"."""
        return (self.label_zh or self.label) if language == "zh" else self.label

    def get_absolute_url(self):
        """Return the deep link to this paragraph on its resolution's page."""
        return f"{self.version.resolution.get_absolute_url()}#{self.anchor}"


class WordingBand(models.Model):
    """One band of a paragraph's MinHash signature: paragraphs sharing a key are candidates
    for the same wording (search.engine.wording)."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("wording band")
        verbose_name_plural = _("wording bands")


class SharedWordingQuerySet(models.QuerySet):
    def partners(self, paragraph_ids) -> dict[int, set[int]]:
        """The paragraphs that share wording with each of these (both ways, chunked)."""
        ids = list(paragraph_ids)
        found: dict[int, set[int]] = {}
        for start in range(0, len(ids), 500):  # well under every database's parameter limit
            chunk = ids[start : start + 500]
            rows = self.filter(models.Q(first_id__in=chunk) | models.Q(second_id__in=chunk))
            for first, second in rows.values_list("first_id", "second_id"):
                found.setdefault(first, set()).add(second)
                found.setdefault(second, set()).add(first)
        return found


class SharedWording(models.Model):
    """Two paragraphs of different documents, in one language, with the same or nearly the
    same wording; `first` is the one with the lower id."""

    objects = SharedWordingQuerySet.as_manager()

    first = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()

    class Meta:
        verbose_name = _("shared wording")
        verbose_name_plural = _("shared wordings")
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="unique_shared_wording")]
        indexes = [models.Index(fields=["second"])]


class Citation(models.Model):
    """Where a paragraph cites a document, and its symbol ("resolution 74/175" is
    A/RES/74/175), whether or not that document is here: one row per citation, found
    when the paragraph is stored (search.ingest.agreed_language.cite), so a page links what the
    paragraph cites by these offsets and never reads its text for them again."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="citations")
    symbol = models.CharField(max_length=100, db_index=True)
    # The cited characters, text[start:end] of the paragraph's text ("74/175", "A/80/537").
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [models.UniqueConstraint(fields=["paragraph", "start"], name="unique_citation_span")]


class Footnote(models.Model):
    version = models.ForeignKey(
        Text, on_delete=models.CASCADE, related_name="footnotes", verbose_name=_("version")
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="unique_footnote_per_text")]

    def __str__(self):
        return f"{self.version} note {self.number}"


OPERATION_NAMES = [
    (DELETE, _("delete")),
    (INSERT, _("insert")),
    (REPLACE, _("replace")),
    (ADD, _("add")),
    (UNREAD, _("not read")),
]


class AmendmentOperation(models.Model):
    """One thing an amendment does to the draft it amends, read from one language version
    of it when that is stored (search.parsing.read_amendment). A row a thing, not a field
    of the version: a draft's page fetches, in one query, the operations of every
    amendment proposed to it, and finds the paragraphs they target by their anchors when
    it is shown, so the draft may be stored before the amendment or after it."""

    version = models.ForeignKey(
        Text, on_delete=models.CASCADE, related_name="operations", verbose_name=_("version")
    )
    order = models.PositiveIntegerField(_("order"))
    paragraph = models.PositiveIntegerField(_("amendment paragraph"))  # 1 for para1
    kind = models.CharField(_("operation kind"), max_length=10, choices=OPERATION_NAMES)
    # The draft's paragraphs it targets, by anchor ("pp38", "op5b"), or "pp*" / "op*" (all of
    # a part), "title", "*" (the whole text): search.parsing.Target.key. An ADD's paragraph
    # is the one the new paragraphs go beside.
    targets = models.JSONField(_("targets"), default=list)
    scope = models.CharField(_("scope"), max_length=12, blank=True)  # paragraphs, words
    position = models.CharField(_("position"), max_length=10, blank=True)  # after, before, end, start
    placed_by = models.TextField(_("placed by"), blank=True)  # after “…”
    old = models.TextField(_("old words"), blank=True)
    new = models.TextField(_("new words"), blank=True)
    paragraphs = models.JSONField(_("new paragraphs"), default=list, blank=True)
    new_part = models.CharField(_("new part"), max_length=20, blank=True)
    sentence = models.TextField(_("sentence"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)  # why it is not read

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("amendment operation")
        verbose_name_plural = _("amendment operations")
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="unique_operation_order")]

    def __str__(self):
        return f"{self.version} {self.kind} {' '.join(self.targets)}"

    def parsed(self) -> Operation:
        """The operation as the parser reads it (search.parsing.Operation)."""
        targets = [target for key in self.targets if (target := Target.from_key(key))]
        fields = {name: getattr(self, name) for name in OPERATION_FIELDS if name != "targets"}
        return Operation(targets=targets, **fields)


# What a stored operation keeps of the parser's, in the parser's names.
OPERATION_FIELDS = (
    "paragraph",
    "kind",
    "targets",
    "scope",
    "position",
    "placed_by",
    "old",
    "new",
    "paragraphs",
    "new_part",
    "sentence",
    "reason",
)


# The mandates' vocabularies (search.parsing.mandates), in the interface language.
ACTION_NAMES = {
    "decides": _("decides"),
    "authorizes": _("authorizes"),
    "demands": _("demands"),
    "requests": _("requests"),
    "urges": _("urges"),
    "calls-upon": _("calls upon"),
    "recommends": _("recommends"),
    "encourages": _("encourages"),
    "invites": _("invites"),
}
DELIVERABLE_NAMES = {
    "report": _("a report"),
    "oral-update": _("an oral update"),
    "agenda-item": _("an agenda item"),
    "meeting": _("a meeting"),
    "study": _("a study"),
    "recommendations": _("recommendations"),
    "information": _("information"),
}
PERIOD_NAMES = {
    "annually": _("annually"),
    "biennially": _("every two years"),
    "triennially": _("every three years"),
    "quadrennially": _("every four years"),
}


class Mandate(models.Model):
    """One thing an operative paragraph asks (search.parsing.read_mandates): an action, of
    one addressee (an entity key of search/parsing/entities.csv, a State's "state-mmr", or
    a name the table does not know), a deliverable and when it is due. Read when its text
    is stored (search.ingest.mandates); where it was first given is set when the text's
    shared wording is traced."""

    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="mandates", verbose_name=_("paragraph")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    action = models.CharField(_("action"), max_length=20, choices=list(ACTION_NAMES.items()))
    strength = models.PositiveSmallIntegerField(_("strength"))  # 3 decides … 1 invites
    addressee = models.CharField(_("addressee"), max_length=200, blank=True, db_index=True)
    addressee_name = models.CharField(_("addressee as written"), max_length=300, blank=True)
    deliverable = models.CharField(
        _("deliverable"), max_length=20, blank=True, choices=list(DELIVERABLE_NAMES.items())
    )
    due_body = models.CharField(_("due at the session of"), max_length=200, blank=True)
    due_session = models.PositiveIntegerField(_("due at session"), null=True, blank=True)
    due_year = models.PositiveIntegerField(_("due in"), null=True, blank=True)
    due_period = models.CharField(
        _("due every"), max_length=20, blank=True, choices=list(PERIOD_NAMES.items())
    )
    # The due date as the `due:` filter writes it: "81" (the General Assembly's session),
    # "hrc-62", "2030", "annually".
    due = models.CharField(_("due"), max_length=60, blank=True)
    start = models.PositiveIntegerField(_("start"))  # the clause, in the paragraph's text
    end = models.PositiveIntegerField(_("end"))
    # The earliest paragraph of an adopted resolution dated before this one, with the same
    # wording, that asked the same (action, addressee, deliverable); None: given here first.
    first_given = models.ForeignKey(
        Paragraph,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first given in"),
    )
    given_before = models.PositiveIntegerField(_("given before in"), default=0)  # adopted resolutions

    class Meta:
        ordering = ["paragraph", "order"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [models.UniqueConstraint(fields=["paragraph", "order"], name="unique_mandate_order")]
        indexes = [models.Index(fields=["due_body", "due_session"]), models.Index(fields=["due"])]

    def __str__(self):
        return f"{self.paragraph} {self.action} {self.addressee} {self.deliverable} {self.due}".strip()


# What a stored mandate keeps of the reader's, compared to write only what changed.
MANDATE_FIELDS = (
    "order",
    "action",
    "strength",
    "addressee",
    "addressee_name",
    "deliverable",
    "due_body",
    "due_session",
    "due_year",
    "due_period",
    "due",
    "start",
    "end",
)


class Upload(models.Model):
    """One file a staff member sent: staged until published, then its record."""

    PENDING = "pending"
    PUBLISHED = "published"
    STATUS_CHOICES = [(PENDING, _("pending review")), (PUBLISHED, _("published"))]

    token = models.CharField(_("token"), max_length=32, unique=True)
    user = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
        verbose_name=_("user"),
    )
    # Who, when, which file: kept after publishing; a cancelled upload leaves no row.
    filename = models.CharField(_("filename"), max_length=255)
    sha256 = models.CharField(_("sha256"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=PENDING)
    staged = models.BinaryField(_("staged"), null=True, blank=True)  # the bytes until publish
    # What the parser made of them, read once at staging (ParsedDocument.to_dict()),
    # and the language the text reads as: review and publish use these until publish.
    parsed = models.JSONField(_("parsed"), null=True, blank=True)
    detected_language = models.CharField(
        _("detected language"), max_length=2, blank=True, choices=LANGUAGE_CHOICES
    )
    source = models.ForeignKey(
        SourceFile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="uploads",
        verbose_name=_("source"),
    )
    resolution = models.ForeignKey(
        Resolution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploads",
        verbose_name=_("resolution"),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)  # what publishing changed
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Who published it, apart from who uploaded it (`user`); None from the command line.
    published_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_uploads",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")

    def __str__(self):
        return f"{self.filename} ({self.language}, {self.get_status_display()})"


class IndexChange(models.Model):
    """A language version whose paragraphs or work changed: the change log the index follows.

    Written in the same transaction as the rows (`search.ingest.store.ingest`); every
    index applies the log in order (`search.engine.index.apply_changes`) and keeps the
    last sequence number it applied, so whatever is killed and whenever, the next
    apply brings the index back to the database. `version` is the Text's id, not a
    foreign key: a deleted version must still leave the index.
    """

    seq = models.BigAutoField(primary_key=True)
    version = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("index change")
        verbose_name_plural = _("index changes")

    def __str__(self):
        return f"change {self.seq}: version {self.version}"


class ProceedingsFile(models.Model):
    """A file of proceedings imported (`import_proceedings`), with a digest of the rows it
    gave: a file imported again with the same rows changes nothing."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("proceedings file")
        verbose_name_plural = _("proceedings files")

    def __str__(self):
        return self.name


class Proposal(models.Model):
    """A proposal of a session as its proceedings record it: a draft's life from its
    sponsorship to its adoption or rejection."""

    source = models.ForeignKey(ProceedingsFile, on_delete=models.CASCADE, related_name="proposals")
    position = models.PositiveIntegerField(_("position"))
    body = models.CharField(_("body"), max_length=100)  # "Third Committee", as published
    committee = models.CharField(_("committee"), max_length=20, blank=True)  # "C3"
    session = models.CharField(_("session"), max_length=50, blank=True)
    agenda_item = models.CharField(_("agenda item"), max_length=50, blank=True)
    title = models.TextField(_("title"), blank=True)
    draft = models.CharField(_("draft"), max_length=100, blank=True)  # "A/C.3/80/L.2"
    # Main sponsors as published ("IRAQ (on behalf of Group of 77 and China)"), in order.
    sponsors = models.JSONField(_("main sponsors"), default=list)

    class Meta:
        ordering = ["source", "position"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self):
        return self.draft or self.title[:80]

    def separate_votes_by_document(self, stages: list["Stage"]) -> dict[int, list[tuple]]:
        """The separate votes each document here was put to, by its id, as (stage, vote)
        (`separate_vote_targets`). `stages` are this proposal's, with their documents and
        separate votes fetched."""
        votes = [list(stage.separate_votes.all()) for stage in stages]
        facts = [
            StageFacts(s.kind, s.document_id, bool(s.document_id and s.document.contained_in_id), bool(v))
            for s, v in zip(stages, votes, strict=True)
        ]
        placed: dict[int, list[tuple]] = {}
        for stage, own, targets in zip(stages, votes, separate_vote_targets(facts), strict=True):
            for target in targets:
                placed.setdefault(target, []).extend((stage, vote) for vote in own)
        return placed


def last_stage(stages: list["Stage"], kind: str) -> "Stage | None":
    found = [stage for stage in stages if stage.kind == kind]
    return found[-1] if found else None


def last_draft(stages) -> int | None:
    """The last draft of a proposal (submitted or revised) that is here, by its id: the
    text its committee had. `stages`: Stage rows, or StageFacts."""
    drafts = [s.document_id for s in stages if s.kind in (SUBMISSION, REVISION) and s.document_id]
    return drafts[-1] if drafts else None


@dataclass(frozen=True)
class StageFacts:
    """What `separate_vote_targets` reads of a stage (stored, or about to be)."""

    kind: str
    document_id: int | None
    in_report: bool  # its document is a draft of a committee's report
    separate_votes: bool  # it has any


def separate_vote_targets(stages: list[StageFacts]) -> list[list[int]]:
    """The documents here each stage's separate votes were on, as the records number them.

    The plenary votes on the text its committee recommended: on the resolution, on the
    report's draft (when here) and on the last draft the committee had when that draft
    numbers its paragraphs as the resolution does (as many preambular and operative
    paragraphs: nothing inserted or deleted since). The committee votes on the report's
    draft when here, else on the last draft it had. Any other stage on its document. Nothing
    for a stage without separate votes."""
    committees = [s for s in stages if s.kind == COMMITTEE_STAGE]
    recommended = committees[-1].document_id if committees and committees[-1].in_report else None
    draft = last_draft(stages)
    targets = []
    for stage in stages:
        if not stage.separate_votes:
            found = []
        elif stage.kind == PLENARY:
            alike = draft if stage.document_id and numbered_alike(draft, stage.document_id) else None
            found = [stage.document_id, recommended, alike]
        elif stage.kind == COMMITTEE_STAGE:
            found = [recommended or draft]
        else:
            found = [stage.document_id]
        targets.append(list(dict.fromkeys(t for t in found if t)))
    return targets


def numbered_alike(one: int | None, other: int) -> bool:
    """Whether two documents have as many preambular and as many operative paragraphs."""
    if not one or one == other:
        return one == other
    anchors = Paragraph.objects.filter(version__resolution_id__in=[one, other]).order_by()
    counts: dict[int, Counter] = {one: Counter(), other: Counter()}
    for document, kind, _anchor in anchors.values_list("version__resolution_id", "kind", "anchor").distinct():
        counts[document][kind] += 1
    return all(counts[one][kind] == counts[other][kind] for kind in (PREAMBULAR, OPERATIVE))


VOTINGS = [("recorded", _("recorded vote")), ("none", _("without a vote"))]


class Stage(models.Model):
    """One step of a proposal: its submission, a revision, its adoption by a committee or
    by the Assembly, with its date, meeting and vote. Counts are stored only when the
    record is consistent (`problem` says what was left out and why)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)  # "Adoption by Main Committee"
    kind = models.CharField(_("kind"), max_length=20)  # search.parsing.proceedings.STAGE_KINDS
    date = models.DateField(_("date"), null=True, blank=True)
    body = models.CharField(_("body"), max_length=100, blank=True)
    meeting = models.PositiveIntegerField(_("meeting"), null=True, blank=True)
    published_as = models.CharField(_("published as"), max_length=200, blank=True)
    symbol = models.CharField(_("symbol"), max_length=100, blank=True, db_index=True)
    draft_number = models.PositiveIntegerField(_("draft number"), null=True, blank=True)
    part = models.CharField(_("part"), max_length=5, blank=True)
    # The document here the symbol names (a report's draft when it is here, else the report).
    document = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.SET_NULL, related_name="stages"
    )
    voting = models.CharField(_("voting"), max_length=10, blank=True, choices=VOTINGS)
    yes = models.PositiveIntegerField(_("in favour"), null=True, blank=True)
    no = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)
    problem = models.TextField(_("problem"), blank=True)

    class Meta:
        ordering = ["proposal", "order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self):
        return f"{self.proposal}: {self.name}"


class SeparateVote(models.Model):
    """A vote on part of a proposal's text at one stage: the paragraphs it concerned
    (their anchors on the document's page) and its counts and outcome."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="separate_votes")
    order = models.PositiveIntegerField(_("order"))
    anchors = models.JSONField(_("anchors"), default=list)  # ["op4"]; empty when the record does not say
    yes = models.PositiveIntegerField(_("in favour"), null=True, blank=True)
    no = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)

    class Meta:
        ordering = ["stage", "order"]
        verbose_name = _("separate vote")
        verbose_name_plural = _("separate votes")


class AgendaItem(models.Model):
    """An item of a session's agenda as the proceedings publish it (plenary-agenda.json):
    its number (written as search.engine.agenda writes it, "72(a)"), its English title and
    the bodies it is allocated to. The titles of its documents' headings are theirs (Text)."""

    source = models.ForeignKey(ProceedingsFile, on_delete=models.CASCADE, related_name="agenda_items")
    session = models.CharField(_("session"), max_length=20)  # "80"
    item = models.CharField(_("agenda item"), max_length=50)  # "72(a)"
    title = models.TextField(_("title"), blank=True)
    allocation = models.CharField(_("allocation"), max_length=300, blank=True)  # "Third Committee"

    class Meta:
        ordering = ["session", "item"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["source", "session", "item"], name="one_agenda_item_a_file")
        ]

    def __str__(self):
        return f"{self.session}/{self.item} {self.title[:60]}"
