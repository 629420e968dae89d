"""Mandates: what an operative paragraph asks, of whom, and by when.

Most operative paragraphs give someone a task, in a handful of fixed forms: an action
verb ("Requests", 请; "Calls upon", 吁请; "Decides", 决定 …), the entities asked ("the
Secretary-General and Member States", 秘书长和会员国), what they must produce or hold ("a
report", "an oral update", "the item in the provisional agenda", "a high-level meeting")
and when ("at its eighty-first session", 第八十一届会议, "by 2030", "annually"). A paragraph
may chain several ("…, and requests the Special Rapporteur to report thereon"), and a
sub-paragraph ("(a) To …") carries the action and addressees of its chapeau ("Calls upon
all States:").

`read_mandates` reads them in either language: the opening verb (after "Also", 还, 又 …)
and every chained verb starts a clause; the addressees are the entities right after the
verb, each normalised to one entity of `entities.csv` (UNODC and "the United Nations
Office on Drugs and Crime" are one; 秘书长 and "the Secretary-General" are one), or a
named body the table does not know, as written; then the deliverables and due dates of
the clause, each due date given to the deliverable nearest it. Everything is a scan
over a bounded prefix of the paragraph's words (characters in Chinese), matched against
a table of fixed phrases: no pattern can backtrack, and the cost grows with the
paragraph's length only.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from search.parsing.text import EN_SESSIONS, zh_number

ENTITIES = Path(__file__).with_name("entities.csv")
MAX_WORDS = 600  # words of an English paragraph that are read
MAX_CHARS = 1500  # characters of a Chinese one
WORD_CHARS = 24  # characters read for each English word: more than the longest words and spaces

# The actions, strongest first: (key, strength 3 "decides" … 1 "invites").
DECIDES, AUTHORIZES, DEMANDS = "decides", "authorizes", "demands"
REQUESTS, URGES, CALLS_UPON = "requests", "urges", "calls-upon"
RECOMMENDS, ENCOURAGES, INVITES = "recommends", "encourages", "invites"
ACTIONS = (DECIDES, AUTHORIZES, DEMANDS, REQUESTS, URGES, CALLS_UPON, RECOMMENDS, ENCOURAGES, INVITES)
STRENGTH = {DECIDES: 3, AUTHORIZES: 3, DEMANDS: 3, REQUESTS: 2, URGES: 2, CALLS_UPON: 2}
STRENGTH |= {RECOMMENDS: 1, ENCOURAGES: 1, INVITES: 1}

REPORT, ORAL_UPDATE, AGENDA_ITEM, MEETING = "report", "oral-update", "agenda-item", "meeting"
STUDY, RECOMMENDATIONS, INFORMATION = "study", "recommendations", "information"
DELIVERABLES = (REPORT, ORAL_UPDATE, AGENDA_ITEM, MEETING, STUDY, RECOMMENDATIONS, INFORMATION)
PERIODS = ("annually", "biennially", "triennially", "quadrennially")

GENERAL_ASSEMBLY, ECOSOC = "general-assembly", "economic-and-social-council"
# Bodies whose sessions a due date names, and how a due date writes them ("HRC 62").
BODY_ABBREVIATIONS = {
    GENERAL_ASSEMBLY: "GA",
    ECOSOC: "ECOSOC",
    "human-rights-council": "HRC",
    "security-council": "SC",
    "cnd": "CND",
    "ccpcj": "CCPCJ",
    "csw": "CSW",
    "csocd": "CSocD",
    "ilc": "ILC",
    "uncitral": "UNCITRAL",
    "copuos": "COPUOS",
    "special-committee-on-decolonization": "C24",
    "cpc": "CPC",
    "committee-on-contributions": "COC",
    "icsc": "ICSC",
    "peacebuilding-commission": "PBC",
}


@dataclass(frozen=True)
class Due:
    """When a deliverable is due: a body's session ("GA 81"), a year, or a period."""

    body: str = ""  # entity key of the body whose session it is
    session: int | None = None
    year: int | None = None
    period: str = ""

    @property
    def term(self) -> str:
        """The due date as the `due:` filter writes it: "81" (the General Assembly's
        session), "hrc-62", "ecosoc-2027", "2030", "annually"."""
        if self.period:
            return self.period
        if self.session is not None:
            if self.body == GENERAL_ASSEMBLY:
                return str(self.session)
            return f"{BODY_ABBREVIATIONS.get(self.body, self.body).lower()}-{self.session}"
        return str(self.year) if self.year else ""

    @property
    def label(self) -> str:
        """ "GA 81", "HRC 62", "2030", "annually": the labelled sample's form."""
        if self.session is not None:
            return f"{BODY_ABBREVIATIONS.get(self.body, self.body)} {self.session}"
        return self.period or (str(self.year) if self.year else "")


NO_DUE = Due()


@dataclass(frozen=True)
class Mandate:
    """One thing a paragraph asks: an action, of one addressee (an entity key, or "" when
    the paragraph names none: "Calls for the immediate release…"), a deliverable ("" when
    it asks for none) and when it is due (NO_DUE when it says not)."""

    action: str
    addressee: str = ""
    addressee_name: str = ""  # the name as written, for an entity the table does not know
    deliverable: str = ""
    due: Due = NO_DUE
    start: int = 0  # the clause: where its verb starts and it ends, in the paragraph's text
    end: int = 0

    @property
    def strength(self) -> int:
        return STRENGTH[self.action]


@dataclass(frozen=True)
class Entity:
    key: str
    en: str
    zh: str


@dataclass(frozen=True)
class MandateContext:
    """What the reader knows of a paragraph's document: the body that adopts it (its
    "Decides" and its bare "at its … session" are that body's), its session and year
    (a "next session" is the session after it, a year earlier than it is no due date),
    and the names of States (their Governments are addressees)."""

    body: str = GENERAL_ASSEMBLY
    session: int | None = None
    year: int | None = None
    states: dict[str, str] = field(default_factory=dict)  # lower-cased EN / ZH name → key


@functools.cache
def entities() -> dict[str, Entity]:
    """The entity table, read once per process: key → its English and Chinese names."""
    with ENTITIES.open(encoding="utf-8", newline="") as handle:
        return {row["key"]: Entity(row["key"], row["en"], row["zh"]) for row in csv.DictReader(handle)}


@functools.cache
def _aliases() -> tuple[dict[tuple[str, ...], str], dict[str, str], int]:
    """English aliases as tuples of lower-cased words, Chinese ones as strings."""
    english: dict[tuple[str, ...], str] = {}
    chinese: dict[str, str] = {}
    with ENTITIES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for alias in row["aliases"].split("|"):
                if _CJK.search(alias):
                    chinese[alias] = row["key"]
                else:
                    english[tuple(_words(alias))] = row["key"]
    return english, chinese, max(len(a) for a in english)


def normalise_addressee(name: str, context: MandateContext | None = None) -> str:
    """The entity key of a name as a user or a label writes it ("UNODC", "秘书长", "the
    Secretary-General"); a name the table does not know, lower-cased and hyphenated."""
    context = context or MandateContext()
    name = name.strip()
    english, chinese, _ = _aliases()
    if _CJK.search(name):
        found = chinese.get(name) or context.states.get(name)
        return found or name
    words = tuple(_words(name))
    while words and words[0] in {"the", "all", "relevant"}:
        words = words[1:]
    return english.get(words) or context.states.get(" ".join(words)) or "-".join(words)


def name_words(name: str) -> str:
    """A name as the reader compares names: its words, lower-cased, one space apart."""
    return " ".join(_words(name))


def read_mandates(
    text: str, language: str, context: MandateContext | None = None, chapeau: str = ""
) -> list[Mandate]:
    """Return what an operative paragraph asks (in the order it says it); a sub-paragraph
    is read with its chapeau, whose action and addressees it carries unless it has its own."""
    context = context or MandateContext()
    reader = _read_chinese if language == "zh" else _read_english
    clauses = reader(text, context)
    if chapeau and (not clauses or clauses[0].start > 0):
        inherited = reader(chapeau, context)
        if inherited:
            head = inherited[-1]
            first = _Clause(head.action, head.addressees, 0, clauses[0].start if clauses else len(text))
            reader_details = _english_details if language != "zh" else _chinese_details
            reader_details(first, text, context)
            clauses.insert(0, first)
    return _mandates(clauses)


# --- what both languages share ----------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z\u00c0-\u024f]+(?:['’-][a-z\u00c0-\u024f]+)*|\d+(?:st|nd|rd|th)?|[,;:.()]")


def _words(text: str) -> list[str]:
    return _WORD.findall(_plain(text).lower())


def _plain(text: str) -> str:
    """Hyphens and apostrophes of every kind as ASCII, the same length (spans stay true)."""
    return text.translate(_PLAIN)


_PLAIN = str.maketrans({"‑": "-", "‐": "-", "–": "-", "’": "'", "\u00a0": " "})


@dataclass
class _Clause:
    action: str
    addressees: list[tuple[str, str]]  # (key, name as written when not in the table)
    start: int
    end: int
    deliverables: list[tuple[int, str]] = field(default_factory=list)  # (position, key)
    dues: list[tuple[int, Due]] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)  # where its commas and semicolons stand


def _mandates(clauses: list[_Clause]) -> list[Mandate]:
    """One Mandate per addressee, deliverable and due date of each clause: a due date goes
    to the deliverable nearest before it (after it, when none is before)."""
    found: dict[tuple, Mandate] = {}
    for clause in clauses:
        pairs = _pair(clause.deliverables, clause.dues, clause.breaks)
        for key, name in clause.addressees or [("", "")]:
            for deliverable, due in pairs:
                mandate = Mandate(clause.action, key, name, deliverable, due, clause.start, clause.end)
                found.setdefault((clause.action, key, deliverable, due), mandate)
    return list(found.values())


def _pair(
    deliverables: list[tuple[int, str]], dues: list[tuple[int, Due]], breaks: list[int]
) -> list[tuple[str, Due]]:
    """Each due date with its deliverable: the one between the same commas ("并向人权理事会第
    六十二届会议提交口头报告"), else the nearest before it, else the nearest after it ("for
    submission to the General Assembly at its eighty-first session …, reports"). A date
    with nothing to deliver is when something happens, not a due date."""
    given: dict[tuple[str, Due], None] = {}
    claimed: set[int] = set()
    for at, due in dues:
        piece = [d for d in deliverables if _same_piece(d[0], at, breaks)]
        before = [d for d in deliverables if d[0] <= at]
        after = [d for d in deliverables if d[0] > at]
        nearest = (piece or before or after or [None])[-1 if not piece and before else 0]
        if nearest is not None:
            claimed.add(nearest[0])
            given[(nearest[1], due)] = None
    for at, key in deliverables:
        if at not in claimed and not any(k == key for k, _ in given):
            given[(key, NO_DUE)] = None
    return list(given) or [("", NO_DUE)]


def _same_piece(first: int, second: int, breaks: list[int]) -> bool:
    low, high = min(first, second), max(first, second)
    return not any(low < b < high for b in breaks)


# --- English ----------------------------------------------------------------------

EN_VERBS = {
    "decides": DECIDES,
    "authorizes": AUTHORIZES,
    "authorises": AUTHORIZES,
    "demands": DEMANDS,
    "requests": REQUESTS,
    "urges": URGES,
    "calls": CALLS_UPON,
    "appeals": CALLS_UPON,
    "recommends": RECOMMENDS,
    "encourages": ENCOURAGES,
    "invites": INVITES,
    "reiterates": "",  # its request / call: the action is the noun's
    "reaffirms": "",
    "renews": "",
}
# The infinitives that make "Decides to request…" a request.
EN_INFINITIVES = {
    "request": REQUESTS,
    "authorize": AUTHORIZES,
    "urge": URGES,
    "invite": INVITES,
    "encourage": ENCOURAGES,
    "recommend": RECOMMENDS,
}
EN_NOUNS = {"request": REQUESTS, "call": CALLS_UPON, "appeal": CALLS_UPON, "invitation": INVITES}
EN_ADVERBS = frozenset(
    {"also", "further", "furthermore", "finally", "again", "moreover", "once", "strongly", "urgently"}
    | {"therefore", "accordingly", "in", "this", "that", "regard", "context", "to", "end", "respect"}
    | {"consequently", "thus", "hereby", "respectfully", "earnestly", "both", "again", "once", "more"}
    | {"connection", "light", "view", "particular", "addition", "meanwhile", "similarly", "likewise"}
)
# Words between a verb and its addressees, or between two addressees.
EN_FILLERS = frozenset(
    {"the", "all", "relevant", "concerned", "other", "interested", "its", "their", "and", "or", ","}
    | {"as", "well", "also", "in", "particular", "including", "especially", "those", "respective"}
    | {"appropriate", "competent", "each", "every", "individual", "upon", "on", "both", "entire"}
    | {"other", "further", "again", "strongly", "once", "more", "them", "it", "her", "him"}
)
EN_PREPOSITIONS = frozenset({"in", "with", "for", "to", "as", "on", "at", "within", "through", "regarding"})
# How the English names of those who act end: "co-facilitators", "development partners",
# "participants", "authorities"; not "efforts", "action", "support".
ACTOR_ENDINGS = ("ors", "ers", "ants", "ents", "ists", "ies", "tions", "bodies", "groups", "committees")
# Entities whose one-word name is another's when "of …" follows it.
OF_SOMEONE = frozenset({"secretariat"})
JOINT_WORK = frozenset(
    {"cooperation", "coordination", "collaboration", "partnership", "partnerships", "dialogue", "synergies"}
)
EN_PRONOUNS = frozenset({"him", "her", "it", "them", "they", "he", "she"})
EN_NAME_JOINS = frozenset({"of", "the", "and", "on", "for", "in"})
EN_STOPS = frozenset({"to", "that", ":", ";", ".", "shall", "should", "will", "may", "is", "are", "with"})
EN_STOPS |= {"be", "been", "was", "were", "has", "have", "would", "can", "could", "must"}
EN_AUXILIARIES = frozenset(
    {"shall", "should", "will", "is", "are", "would", "continue", "continues", "remain"}
)
NOUN_FOLLOWERS = frozenset({"of", "from", "made", "received", "submitted", "contained", "and", ")", "by"})

PRODUCE = frozenset(
    {"submit", "submitting", "prepare", "preparing", "present", "presenting", "transmit", "issue", "provide"}
    | {"include", "produce", "make", "submission", "presentation", "finalize", "compile", "publish"}
)
REPORT_NOUNS = frozenset({"report", "reports"})
REPORT_AFTER = frozenset(
    {
        "to",
        "on",
        "thereon",
        "back",
        "annually",
        "regularly",
        "periodically",
        "biennially",
        "every",
        "at",
        "in",
        ",",
    }
    | {";", ".", "upon", "orally", "and"}
)
AGENDA_PAIRS = frozenset({("provisional", "agenda"), ("remain", "seized")})
AGENDA_OBJECTS = frozenset({"question", "item", "matter", "issue", "report"})
CONTINUE = frozenset({"continue"})
CONSIDER = frozenset({"consider", "considered", "consideration", "examine", "review", "welcomes", "notes"})
MEETING_VERBS = frozenset({"convene", "hold", "organize", "organise", "host", "held", "convened", "conduct"})
MEETING_NOUNS = frozenset(
    {"meeting", "meetings", "conference", "summit", "dialogue", "dialogues", "forum", "event", "events"}
    | {"symposium", "seminar", "seminars", "workshop", "workshops", "commemoration", "debate", "retreat"}
    | {"discussions", "discussion", "consultations", "ceremony", "congress", "summits", "conferences"}
)
STUDY_VERBS = frozenset({"conduct", "undertake", "prepare", "carry", "commission", "initiate", "complete"})
STUDY_NOUNS = frozenset(
    {"study", "studies", "review", "survey", "assessment", "analysis", "evaluation", "mapping", "audit"}
)
RECOMMEND_VERBS = PRODUCE | {"develop", "formulate", "propose", "elaborate", "draft", "identify", "explore"}
RECOMMEND_VERBS |= {
    "developing",
    "formulating",
    "elaborating",
    "drafting",
    "drawing",
    "preparation",
    "elaboration",
}
RECOMMEND_NOUNS = frozenset(
    {
        "recommendations",
        "recommendation",
        "proposals",
        "proposal",
        "options",
        "plan",
        "strategy",
        "guidelines",
        "plans",
        "strategies",
        "roadmap",
        "declaration",
    }
)
INFORM_VERBS = frozenset({"submit", "provide", "share", "transmit", "communicate", "send", "contribute"})
INFORM_VERBS |= {"submitting", "providing", "sharing", "contribution", "submission", "provision"}
INFORM_NOUNS = frozenset({"views", "information", "input", "inputs", "data", "contributions", "comments"})
EN_PERIODS = {
    ("annually",): "annually",
    ("annual", "basis"): "annually",
    ("every", "year"): "annually",
    ("each", "year"): "annually",
    ("annual", "report"): "annually",
    ("annual", "reports"): "annually",
    ("biennially",): "biennially",
    ("biennial", "basis"): "biennially",
    ("every", "two", "years"): "biennially",
    ("every", "second", "year"): "biennially",
    ("triennially",): "triennially",
    ("triennial", "basis"): "triennially",
    ("every", "three", "years"): "triennially",
    ("quadrennially",): "quadrennially",
    ("every", "four", "years"): "quadrennially",
}
DUE_WORDS = frozenset({phrase[0] for phrase in EN_PERIODS} | {"session"})
MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october"}
    | {"november", "december"}
)
YEAR_BEFORE = MONTHS | frozenset(
    {"by", "in", "before", "until", "till", "during", "of", "early", "mid", "late", "from"}
)
YEAR_PARTS = (["end"], ["half"], ["quarter"], ["beginning"], ["middle"], ["start"], ["spring"], ["autumn"])
YEAR = re.compile(r"(19|20)\d\d")
ORDINAL_NUMBER = re.compile(r"(\d{1,3})(?:st|nd|rd|th)")


@dataclass
class _Words:
    """A paragraph's words, lower-cased, with where each starts and ends in the text."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    capital: list[bool]

    @classmethod
    def of(cls, text: str) -> _Words:
        plain = _plain(text[: MAX_WORDS * WORD_CHARS])
        matches = list(itertools.islice(_WORD.finditer(plain.lower()), MAX_WORDS))
        return cls(
            [m.group() for m in matches],
            [m.start() for m in matches],
            [m.end() for m in matches],
            [plain[m.start()].isupper() for m in matches],
        )


def _read_english(text: str, context: MandateContext) -> list[_Clause]:
    w = _Words.of(text)
    clauses: list[_Clause] = []
    i = _skip_adverbs(w.words, 0)
    starts = [i] if i < len(w.words) else []
    starts += [j for j in range(i + 1, len(w.words)) if _chained_verb(w.words, j)]
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(w.words)
        clause = _english_clause(w, start, stop, context, clauses)
        if clause:
            clause.end = w.starts[stop] if stop < len(w.words) else len(text)
            _english_details(clause, text, context, w, start, stop)
            clauses.append(clause)
    return clauses


def _skip_adverbs(words: list[str], i: int) -> int:
    while i < len(words) and (words[i] in EN_ADVERBS or words[i] == ",") and words[i] not in EN_VERBS:
        i += 1
    return i


def _chained_verb(words: list[str], j: int) -> bool:
    """A verb chained to the clause before it: after "and", ";" or ", and" (with adverbs
    between: "and further requests", "and, in this regard, urges"), not a noun ("the
    requests of States and …")."""
    if words[j] not in EN_VERBS or (j + 1 < len(words) and words[j + 1] in NOUN_FOLLOWERS):
        return False
    k = j - 1
    while k >= 0 and words[k] in EN_ADVERBS | {","} and words[k] not in {"to"}:
        k -= 1
    if k >= 0 and words[k] in {"and", ";"}:
        return True
    # "and in that connection calls upon", "and with regard to the Repertoire calls upon"
    for k in range(j - 2, max(-1, j - 9), -1):
        if words[k] in EN_VERBS or words[k] in {",", ";", "."} and words[k - 1 : k] != ["and"]:
            return False
        if words[k] in {"and", ";"}:
            return words[k + 1] in EN_PREPOSITIONS
    return False


def _english_clause(w: _Words, start: int, stop: int, context: MandateContext, before: list[_Clause]):
    opened = _opening(w.words, start, stop)
    if opened is None:
        return None
    action, i = opened
    clause = _Clause(action, [], w.starts[start], 0)
    if action == DECIDES:
        clause.addressees = _decided(w, i, stop, context)
        return clause
    if i < stop and w.words[i] == "that":
        i += 1
    if action == CALLS_UPON and w.words[i - 1] == "for":
        return clause  # "Calls for the immediate release…": no one named
    clause.addressees = _addressees(w, i, stop, context) or _unnamed(w.words, i, stop)
    if not clause.addressees and i < stop and w.words[i] in EN_PRONOUNS and before:
        clause.addressees = list(before[-1].addressees)
    return clause


def _opening(words: list[str], start: int, stop: int) -> tuple[str, int] | None:
    """The action a clause's verb opens, and the word after it: "Calls upon", "Appeals
    to", "Reiterates its request to"; None when the verb opens no action."""
    verb, i = words[start], start + 1
    action = EN_VERBS.get(verb)
    if action is None:
        return None
    after = words[i] if i < stop else ""
    if verb == "calls":
        return (action, i + 1) if after in {"upon", "on", "for"} else None
    if verb == "appeals":
        return (action, i + 1) if after == "to" else None
    if action:
        return action, i
    # "Reiterates its request to the Secretary-General", not "the call made in …"
    noun = words[i + 1] if i + 1 < stop else ""
    if after not in {"its", "the"} or noun not in EN_NOUNS:
        return None
    i += 2
    if i < stop and words[i] in NOUN_FOLLOWERS:
        return None
    return EN_NOUNS[noun], i + (i < stop and words[i] in {"to", "upon", "that"})


def _unnamed(words: list[str], i: int, stop: int) -> list[tuple[str, str]]:
    """An addressee the table does not know and no capital marks, right before its
    infinitive: "Requests the co-facilitators to present…"."""
    while i < stop and words[i] in {"the", "all", "relevant", "its", "their"}:
        i += 1
    j = i
    while j < min(stop, i + 3) and words[j] not in EN_STOPS | {","} and words[j] not in EN_PRONOUNS:
        j += 1
    if j == i or j >= stop or words[j] != "to" or j + 1 >= stop or words[j + 1] in {"the", "a", "an", "its"}:
        return []
    if not words[j - 1].endswith(ACTOR_ENDINGS):  # "Calls for timely action to…": no actor
        return []
    return [("-".join(words[i:j]), " ".join(words[i:j]))]


def _decided(w: _Words, i: int, stop: int, context: MandateContext) -> list[tuple[str, str]]:
    """Who a decision tells to act: "Decides that the Working Group shall…" names it;
    otherwise the body deciding. "Decides to request X…" is read as a request (below)."""
    words = w.words
    while i < stop and words[i] in {"also", "further", "to", ","}:
        i += 1
    if i < stop and words[i] == "that":
        j = i + 1
        while j < stop and words[j] in {"the", "its", "all"}:
            j += 1
        named = _addressees(w, j, stop, context, subject=True)
        if named:
            return named
    if i < stop and words[i] in EN_INFINITIVES:
        return []  # "Decides to request the Secretary-General…": the request says who
    return [(context.body, "")]


def _addressees(
    w: _Words, i: int, stop: int, context: MandateContext, subject: bool = False
) -> list[tuple[str, str]]:
    """The entities named from word i on, until the infinitive ("to"), a clause's end, or
    a word that is neither a name nor a filler after a name. As the subject of a decision
    (`subject`), the names must come first and an auxiliary right after them ("that the
    Working Group shall…")."""
    if subject:
        return _subject(w, i, stop, context)
    words, found, idle = w.words, [], 0
    i = _past_joint_work(words, i, stop)
    while i < stop and idle <= 6:
        named = _name_at(w, i, stop, context)
        if named:
            (key, name), i = named
            if key and key not in (k for k, _ in found):
                found.append((key, name))
            idle = 0
            continue
        word = words[i]
        if word in EN_STOPS or (word == "," and i + 1 < stop and words[i + 1] == "to"):
            break
        if word not in EN_FILLERS:
            idle += 1
            # A word that ends a name of the list ("State organs, international
            # organizations and civil society") goes on to the next name; any other ends it.
            if found and words[i + 1 : i + 2] not in ([","], ["and"]):
                break
        i += 1
    return found


def _past_joint_work(words: list[str], i: int, stop: int) -> int:
    """ "Encourages cooperation among State organs, international organizations and civil
    society": those who are to work together are asked; the names follow the preposition."""
    j = i
    while j < stop and words[j] in {"the", "further", "closer", "enhanced", "increased", "continued"}:
        j += 1
    if j + 1 < stop and words[j] in JOINT_WORK and words[j + 1] in {"among", "between"}:
        return j + 2
    return i


def _subject(w: _Words, i: int, stop: int, context: MandateContext) -> list[tuple[str, str]]:
    """The names a decision's "that" clause opens with, when an auxiliary follows them."""
    english, _, longest = _aliases()
    end = i
    while end < stop and w.words[end] not in EN_AUXILIARIES and end - i < 16:
        end += 1
    if end >= stop or not (_longest(english, w.words, i, end, longest) or w.capital[i]):
        return []
    return _addressees(w, i, end, context)


def _name_at(w: _Words, i: int, stop: int, context: MandateContext):
    """The entity named at word i, and the word after it: one of the table's, a State, or
    a run of capitalised words the table does not know ("the Global Environment Facility")."""
    english, _, longest = _aliases()
    words = w.words
    match = _longest(english, words, i, stop, longest)
    if match and match[0] in OF_SOMEONE and words[match[1] : match[1] + 1] == ["of"]:
        match = None  # "the secretariat of the Convention": not the Secretariat
    if match and not _continued(w, match[1], stop):
        return (match[0], ""), match[1]
    state = _state(context, words, i, stop)
    if state:
        return (state[0], ""), state[1]
    word = words[i]
    if not w.capital[i] or word in EN_FILLERS or not word.replace("-", "").isalpha():
        return None
    j = _capitalised_run(w, i, stop)
    if j - i == 1 and word in {"government", "governments"}:
        return ("", ""), j  # "Government" alone: whose is not said
    return ("-".join(words[i:j]), _title(w, i, j)), j


def _capitalised_run(w: _Words, i: int, stop: int) -> int:
    """Where a name of capitalised words (joined by "of", "the", "and" …) ends; a single
    capitalised word takes the noun after it ("the Syrian authorities")."""
    words, j = w.words, i + 1
    while j < stop and (w.capital[j] or (words[j] in EN_NAME_JOINS and j + 1 < stop and w.capital[j + 1])):
        j += 1
    alone = j - i == 1 and words[i] not in {"government", "governments"}
    if alone and j < stop and words[j].isalpha() and words[j] not in EN_FILLERS | EN_STOPS | EN_NAME_JOINS:
        j += 1
    return j


def _continued(w: _Words, end: int, stop: int) -> bool:
    """A known name followed by a capitalised word is part of a longer one ("the United
    Nations Coalition on …")."""
    return end < stop and w.capital[end] and w.words[end] not in EN_FILLERS | EN_STOPS


def _title(w: _Words, i: int, j: int) -> str:
    return " ".join(
        word if w.capital[k] is False else word[:1].upper() + word[1:]
        for k, word in enumerate(w.words[i:j], i)
    )


def _longest(aliases: dict[tuple[str, ...], str], words: list[str], i: int, stop: int, longest: int):
    for n in range(min(longest, stop - i), 0, -1):
        key = aliases.get(tuple(words[i : i + n]))
        if key:
            return key, i + n
    return None


def _state(context: MandateContext, words: list[str], i: int, stop: int):
    """ "the Government of Myanmar" and "Myanmar" name the State."""
    if not context.states:
        return None
    j = i + 2 if words[i : i + 2] == ["government", "of"] else i
    for n in range(min(8, stop - j), 0, -1):
        key = context.states.get(" ".join(words[j : j + n]))
        if key:
            return key, j + n
    return None


def _english_details(
    clause: _Clause, text: str, context: MandateContext, w: _Words | None = None, start=0, stop=None
):
    """The deliverables and due dates of a clause (words start … stop)."""
    if w is None:
        w = _Words.of(text)
        start, stop = 0, len(w.words)
    words = w.words[start:stop]
    at = w.starts[start:stop]
    english, _, longest = _aliases()
    for i in range(len(words)):
        kind = _deliverable(words, i)
        if kind:
            clause.deliverables.append((at[i], kind))
    asked = _session_body(clause)
    for i, word in enumerate(words):
        due = (
            _english_due(words, i, context, english, longest, asked)
            if word in DUE_WORDS or YEAR.fullmatch(word)
            else None
        )
        if due:
            clause.dues.append((at[i], due))
    clause.breaks = [at[i] for i, word in enumerate(words) if word in {",", ";"}]


def _session_body(clause: _Clause) -> str:
    """The first body asked that holds sessions of its own, other than the General Assembly."""
    return next((k for k, _ in clause.addressees if k in BODY_ABBREVIATIONS and k != GENERAL_ASSEMBLY), "")


def _last(words: list[str], i: int, verbs: frozenset[str], back: int) -> int:
    """Where the last of `verbs` stands among the `back` words before word i; -1 if none."""
    for k in range(i - 1, max(-1, i - back - 1), -1):
        if words[k] in verbs and words[k - 1 : k + 1] != ["the", "present"]:
            return k
    return -1


def _near(words: list[str], i: int, verbs: frozenset[str], back: int = 10) -> bool:
    """One of `verbs` among the `back` words before word i ("the present resolution" is
    no verb)."""
    return any(
        words[k] in verbs and words[k - 1 : k + 1] != ["the", "present"] for k in range(max(0, i - back), i)
    )


def _deliverable(words: list[str], i: int) -> str:
    """What word i names as something to deliver, or ""."""
    word = words[i]
    if word in REPORT_NOUNS or word == "reporting":
        return _report(words, i)
    return _spoken(words, i) or _agenda(words, i) or _produced(words, i)


def _report(words: list[str], i: int) -> str:
    """ "to submit … a report", "to report thereon"; not "the present report", "in his
    report", "to report suspected cases"."""
    word, prev = words[i], words[i - 1] if i else ""
    if prev == "oral":
        return ORAL_UPDATE
    if prev == "to" and word == "report":
        return REPORT if i + 1 == len(words) or words[i + 1] in REPORT_AFTER else ""
    mention = prev in {"his", "her", "its", "their"} or words[i - 2 : i] in (["in", "the"], ["of", "the"])
    # "… and to consider the above-mentioned report": a verb of considering after the
    # verb of producing, before the report: a report considered, not one asked for
    produced = _last(words, i, PRODUCE, 25)
    if word not in REPORT_NOUNS or produced < 0 or mention:
        return ""
    return "" if any(w in CONSIDER for w in words[produced + 1 : i]) else REPORT


def _spoken(words: list[str], i: int) -> str:
    word, prev = words[i], words[i - 1] if i else ""
    if word in {"update", "updates", "briefing", "briefings"} and prev == "oral":
        return ORAL_UPDATE
    if (word == "brief" and prev == "to") or (word == "briefing" and prev in {"regular", "a", "an"}):
        return ORAL_UPDATE
    return ""


def _agenda(words: list[str], i: int) -> str:
    """ "the provisional agenda", "remain seized", "continue its consideration", "consider
    the question at its … session"."""
    pair = (words[i - 1] if i else "", words[i])
    if pair in AGENDA_PAIRS:
        return AGENDA_ITEM
    if pair[1] == "consideration" and pair[0] in {"its", "continue"} and _near(words, i, CONTINUE, 3):
        return AGENDA_ITEM
    considered = words[i + 1 : i + 3]
    if pair[1] == "consider" and len(considered) == 2 and considered[0] in {"the", "this"}:
        return AGENDA_ITEM if considered[1] in AGENDA_OBJECTS and "session" in words[i : i + 14] else ""
    return ""


def _produced(words: list[str], i: int) -> str:
    """A meeting held, a study conducted, recommendations made, information submitted:
    the noun, and a verb of its kind in the few words before it."""
    word = words[i]
    if word in MEETING_NOUNS and (_near(words, i, MEETING_VERBS, 8) or _held_after(words, i)):
        return MEETING
    if word == "session" and words[i - 1 : i] == ["special"] and _near(words, i, MEETING_VERBS, 8):
        return MEETING
    if word in STUDY_NOUNS and _near(words, i, STUDY_VERBS, 6) and words[i - 1 : i] != ["to"]:
        return STUDY
    if word in RECOMMEND_NOUNS and _near(words, i, RECOMMEND_VERBS, 8):
        return RECOMMENDATIONS
    if word in INFORM_NOUNS and _near(words, i, INFORM_VERBS, 8):
        return INFORMATION
    return ""


def _held_after(words: list[str], i: int) -> bool:
    """ "a ceremony … to be held", "the high-level meeting shall be convened"."""
    after = words[i + 1 : i + 8]
    return any(
        after[k] == "be" and after[k + 1] in {"held", "convened", "organized"} for k in range(len(after) - 1)
    )


def _english_due(
    words: list[str], i: int, context: MandateContext, english, longest, asked: str
) -> Due | None:
    word = words[i]
    for phrase, period in EN_PERIODS.items():
        if phrase[0] == word and tuple(words[i : i + len(phrase)]) == phrase:
            return Due(period=period)
    if word == "session":
        number = _session_before(words, i, context)
        if number is None or _described(words, i):
            return None
        body = _body_before(words, i, context, english, longest, asked)
        if body == context.body and context.session and number < context.session and body == GENERAL_ASSEMBLY:
            return None  # a past session: when something was decided, not when it is due
        return Due(body=body, session=number)
    if YEAR.fullmatch(word) and (prev := words[i - 1] if i else "") in YEAR_BEFORE:
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt in {"agenda", "session"} or (prev == "of" and words[i - 2 : i - 1] not in YEAR_PARTS):
            return None
        year = int(word)
        if context.year and year < context.year:
            return None
        return Due(year=year)
    return None


def _described(words: list[str], i: int) -> bool:
    """ "the report of the Conference on its eleventh session": a session a document is
    about, not one it is due at."""
    for k in range(i - 1, max(-1, i - 4), -1):
        if words[k] == "its":
            return k >= 1 and words[k - 1] in {"on", "of"} and words[k - 2 : k - 1] != ["agenda"]
    return False


def _session_before(words: list[str], i: int, context: MandateContext) -> int | None:
    """ "at its eighty-first session", "81st session", "its next session" → the number."""
    if not i:
        return None
    word = words[i - 1]
    if word in EN_SESSIONS:
        return EN_SESSIONS[word]
    if match := ORDINAL_NUMBER.fullmatch(word):
        return int(match.group(1))
    if word == "next" and context.session and words[i - 2 : i - 1] in (["its"], ["the"]):
        return context.session + 1
    if word == "regular" and i >= 2 and words[i - 2] in EN_SESSIONS:
        return EN_SESSIONS[words[i - 2]]
    return None


def _body_before(words: list[str], i: int, context: MandateContext, english, longest, asked: str = "") -> str:
    """Whose session: the body named in the few words before "at its … session"; else the
    body asked, when it is one that holds sessions ("Requests the Commission on Narcotic
    Drugs to … at its sixty-ninth session"); else the body adopting the text."""
    body = ""
    for k in range(max(0, i - 10), i):
        match = _longest(english, words, k, i, longest)
        if match and match[0] in BODY_ABBREVIATIONS:
            body = match[0]
    return body or asked or context.body


# --- Chinese ----------------------------------------------------------------------

ZH_VERBS = (
    ("强烈敦促", URGES),
    ("敦促", URGES),
    ("促请", URGES),
    ("吁请", CALLS_UPON),
    ("呼吁", CALLS_UPON),
    ("邀请", INVITES),
    ("请求", REQUESTS),
    ("鼓励", ENCOURAGES),
    ("决定", DECIDES),
    ("授权", AUTHORIZES),
    ("要求", DEMANDS),
    ("建议", RECOMMENDS),
    ("请", REQUESTS),
)
ZH_ADVERBS = (
    "在这方面",
    "为此",
    "此外",
    "进一步",
    "另外",
    "同时",
    "再次",
    "继续",
    "强烈",
    "大力",
    "坚决",
    "紧急",
    "还",
    "又",
    "并",
    "也",
    "另",
    "再",
    "因此",
)
ZH_FILLERS = (
    "所有",
    "一切",
    "有关的",
    "相关的",
    "有关",
    "相关",
    "其他",
    "各",
    "、",
    "和",
    "及",
    "以及",
    "特别是",
    "尤其是",
    "包括",
)
ZH_JOINS = ("并", "又", "还", "同时", "此外")  # "，并请秘书长…": a new clause, whatever follows
ZH_CHAIN = "，；,;"
ZH_DECIDE_AUX = ("应", "将", "须", "继续", "可")


def _read_chinese(text: str, context: MandateContext) -> list[_Clause]:
    text = text[:MAX_CHARS]
    starts = []
    i = _zh_skip_adverbs(text, 0)
    if _zh_verb(text, i):
        starts.append(i)
    for j, char in enumerate(text):
        if char in ZH_CHAIN:
            k = _zh_skip_adverbs(text, j + 1)
            joined = text.startswith(ZH_JOINS, j + 1)
            if _zh_verb(text, k) and (joined or _zh_chained(text, k)):
                starts.append(k)
    clauses: list[_Clause] = []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(text)
        clause = _chinese_clause(text, start, stop, context, clauses)
        if clause:
            clause.end = stop
            _chinese_details(clause, text[:stop], context, start)
            clauses.append(clause)
    return clauses


def _zh_skip_adverbs(text: str, i: int) -> int:
    moved = True
    while moved:
        moved = False
        for adverb in ZH_ADVERBS:
            if text.startswith(adverb, i) and not _zh_verb(text, i):
                i += len(adverb)
                moved = True
                break
    return i


def _zh_verb(text: str, i: int):
    for verb, action in ZH_VERBS:
        if text.startswith(verb, i):
            return verb, action
    return None


def _zh_chained(text: str, k: int) -> bool:
    """A verb after a comma starts a clause when an addressee follows it (并请秘书长…),
    or it is 决定."""
    verb, action = _zh_verb(text, k)
    if action == DECIDES:
        return True
    _, chinese, _ = _aliases()
    return bool(_zh_addressees(text, k + len(verb), len(text), MandateContext()))


def _chinese_clause(text: str, start: int, stop: int, context: MandateContext, before: list[_Clause]):
    verb, action = _zh_verb(text, start)
    i = start + len(verb)
    if action == DECIDES:
        named, end = _zh_names(text, i, stop, context)
        if named and text.startswith(ZH_DECIDE_AUX, end):
            return _Clause(action, named, start, 0)
        if text.startswith(("请", "邀请", "授权", "敦促", "鼓励"), i):
            return _Clause(action, [], start, 0)
        return _Clause(action, [(context.body, "")], start, 0)
    addressees = _zh_addressees(text, i, stop, context) or _zh_described(text, i, stop, context)
    if not addressees and text.startswith(("其", "他", "她", "它们", "他们"), i) and before:
        addressees = list(before[-1].addressees)
    return _Clause(action, addressees, start, 0)


def _zh_described(text: str, i: int, stop: int, context: MandateContext) -> list[tuple[str, str]]:
    """An addressee after the clause that describes it, before the first comma: 敦促尚未
    批准…的会员国考虑…, 邀请担任协调人的联合国毒品和犯罪问题办公室…"""
    end = min((at for at in (text.find(mark, i, stop) for mark in "，；,;。") if at >= 0), default=stop)
    at = text.find("的", i, end)
    while at >= 0:
        found = _zh_addressees(text, at + 1, end, context)
        if found:
            return found
        at = text.find("的", at + 1, end)
    return []


def _zh_addressees(text: str, i: int, stop: int, context: MandateContext) -> list[tuple[str, str]]:
    return _zh_names(text, i, stop, context)[0]


def _zh_names(text: str, i: int, stop: int, context: MandateContext) -> tuple[list[tuple[str, str]], int]:
    """The entities named from character i on (会员国、联合国系统和民间社会), and where
    their names end."""
    found: list[tuple[str, str]] = []
    while i < stop:
        match = _zh_longest(text, i, stop, context)
        if match:
            key, i = match
            if key not in (k for k, _ in found):
                found.append((key, ""))
            continue
        filler = next((f for f in ZH_FILLERS if text.startswith(f, i)), None)
        if filler is None:
            break
        i += len(filler)
    return found, i


def _zh_longest(text: str, i: int, stop: int, context: MandateContext):
    _, chinese, _ = _aliases()
    for n in range(min(40, stop - i), 0, -1):
        piece = text[i : i + n]
        key = chinese.get(piece) or context.states.get(piece)
        if key:
            end = i + n
            if context.states.get(piece) and text.startswith("政府", end):
                end += 2
            return key, end
    return None


ZH_PRODUCE = ("提交", "编写", "提出", "印发", "编制", "撰写", "提供")
ZH_MEETING = (
    "高级别会议",
    "会议",
    "论坛",
    "对话",
    "活动",
    "研讨会",
    "讲习班",
    "首脑会议",
    "特别会议",
    "纪念",
    "大会",
    "磋商",
)
ZH_MEETING_VERBS = ("召开", "举行", "召集", "主办", "安排", "举办")
ZH_STUDY = ("研究", "审查", "调查", "评估", "分析", "摸底")
ZH_STUDY_VERBS = ("开展", "进行", "编写", "编制", "委托", "完成")
ZH_RECOMMEND = ("建议", "提案", "备选方案", "计划", "战略", "准则")
ZH_RECOMMEND_VERBS = ("提出", "提交", "拟订", "制定", "制订", "拟定", "编写")
ZH_INFORM = ("意见", "资料", "信息", "投入", "数据", "材料")
ZH_INFORM_VERBS = ("提交", "提供", "分享", "通报", "转交")
ZH_KINDS = (
    (ZH_MEETING, ZH_MEETING_VERBS, MEETING),
    (ZH_STUDY, ZH_STUDY_VERBS, STUDY),
    (ZH_RECOMMEND, ZH_RECOMMEND_VERBS, RECOMMENDATIONS),
    (ZH_INFORM, ZH_INFORM_VERBS, INFORMATION),
)
ZH_YEAR_BEFORE = ("到", "在", "于", "至", "截至", "前")
ZH_YEAR_AFTER = ("前", "之前", "以前", "底前", "年底")
ZH_PERIODS = (
    ("每年", "annually"),
    ("年度报告", "annually"),
    ("每两年", "biennially"),
    ("两年一次", "biennially"),
    ("每三年", "triennially"),
    ("三年一次", "triennially"),
    ("每四年", "quadrennially"),
)
ZH_SESSION = re.compile(r"第([零一二三四五六七八九十百]{1,6}|\d{1,3})届")
ZH_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def _chinese_details(clause: _Clause, text: str, context: MandateContext, start: int = 0):
    """The deliverables and due dates of a clause (characters start … len(text))."""
    for i in range(start, len(text)):
        kind = _zh_deliverable(text, i, start)
        if kind:
            clause.deliverables.append((i, kind))
        for mark, period in ZH_PERIODS:
            if text.startswith(mark, i):
                clause.dues.append((i, Due(period=period)))
    clause.breaks = [i for i in range(start, len(text)) if text[i] in ZH_CHAIN]
    clause.dues += _zh_sessions(clause, text, context, start)
    clause.dues += [(match.start(), Due(year=int(match[1]))) for match in _zh_years(text, context, start)]


def _zh_sessions(clause: _Clause, text: str, context: MandateContext, start: int) -> list[tuple[int, Due]]:
    """第八十一届会议 (of the body named before it, else the body asked, else the body
    adopting), 下届会议 (the session after the text's)."""
    found = []
    for match in ZH_SESSION.finditer(text, start):
        # 第十一届会议的报告: the session a document is about, not a due date
        if not text.startswith("会议", match.end()) or text.startswith("会议的", match.end()):
            continue
        number = int(match[1]) if match[1].isdigit() else zh_number(match[1])
        body = _zh_body_before(text, match.start(), context, _session_body(clause))
        past = body == GENERAL_ASSEMBLY and context.session and number and number < context.session
        if number and not past:  # a past session: when something was decided
            found.append((match.start(), Due(body=body, session=number)))
    if context.session:
        found += [
            (at, Due(body=_zh_body_before(text, at, context), session=context.session + 1))
            for at in _find_all(text, "下届会议", start)
        ]
    return found


def _zh_years(text: str, context: MandateContext, start: int):
    """2030年前, 到 2030 年, 于 2026年: a year by which or in which, not one passed."""
    for match in ZH_YEAR.finditer(text, start):
        before = text[max(0, match.start() - 4) : match.start()].rstrip()
        after = text[match.end() : match.end() + 3]
        if "议程" in after or (context.year and int(match[1]) < context.year):
            continue
        if before.endswith(ZH_YEAR_BEFORE) or after.startswith(ZH_YEAR_AFTER):
            yield match


def _find_all(text: str, piece: str, start: int):
    at = text.find(piece, start)
    while at >= 0:
        yield at
        at = text.find(piece, at + 1)


def _zh_body_before(text: str, at: int, context: MandateContext, asked: str = "") -> str:
    """Whose session 第…届会议 is: the body named right before it (人权理事会第六十二届会议),
    else the body asked for 其第…届会议, else the body adopting the text."""
    window = text[max(0, at - 20) : at]
    named = [alias for alias in _zh_bodies() if window.endswith(alias)]
    if named:
        return _zh_bodies()[max(named, key=len)]
    return asked if text[max(0, at - 1) : at] == "其" and asked else context.body


@functools.cache
def _zh_bodies() -> dict[str, str]:
    """The Chinese names of the bodies that hold sessions (大会, 人权理事会 …) → their keys."""
    _, chinese, _ = _aliases()
    return {alias: key for alias, key in chinese.items() if key in BODY_ABBREVIATIONS}


def _zh_to_body(window: str) -> bool:
    """向大会…, 向人权理事会…: a report made to a body."""
    at = window.rfind("向")
    return at >= 0 and window.startswith(tuple(_zh_bodies()), at + 1)


def _zh_deliverable(text: str, i: int, start: int) -> str:
    """What the characters at i name as something to deliver, or ""."""
    if text.startswith("报告", i):
        return _zh_report(text, i, start)
    return _zh_spoken(text, i, start) or _zh_agenda(text, i, start) or _zh_produced(text, i, start)


def _zh_report(text: str, i: int, start: int) -> str:
    """提交…报告, 向大会…报告, 并报告; not 特别报告员, 在其报告中, 报告所载."""
    if text.startswith(("报告员", "报告中", "报告所"), i):
        return ""
    if text[i - 2 : i] == "口头":
        return ORAL_UPDATE
    window = text[max(start, i - 30) : i]
    if any(v in window for v in ZH_PRODUCE) or _zh_to_body(window) or text[i - 1 : i] == "并":
        return REPORT
    return ""


def _zh_spoken(text: str, i: int, start: int) -> str:
    if text.startswith("通报", i) and "向" in _zh_phrase(text, i, start) and text[i - 2 : i] != "口头":
        return INFORMATION
    if text.startswith(("口头通报", "口头介绍", "简报"), i):
        return ORAL_UPDATE
    return ORAL_UPDATE if text.startswith("最新情况", i) and "口头" in text[i - 4 : i] else ""


def _zh_agenda(text: str, i: int, start: int) -> str:
    """列入…临时议程, 继续审议, 决定在第…届会议审议."""
    window = text[max(start, i - 30) : i]
    if text.startswith("议程", i) and ("列入" in window or "临时" in text[i - 2 : i]):
        return AGENDA_ITEM
    if text.startswith(("继续审议", "继续处理", "继续积极处理"), i):
        return AGENDA_ITEM
    decides = text.startswith("决定", start)
    considered = text.startswith("审议", i) and not text.startswith("审议了", i)
    return AGENDA_ITEM if decides and considered and "届会议" in window else ""


def _zh_produced(text: str, i: int, start: int) -> str:
    """A meeting held, a study made, recommendations or information submitted: the noun,
    and a verb of its kind opening the words since the last comma (one verb's object)."""
    if text[i - 1 : i] in ("届", "的"):
        return ""
    phrase = _zh_phrase(text, i, start)
    for nouns, verbs, kind in ZH_KINDS:
        if text.startswith(nouns, i) and _zh_verb_before(phrase, verbs):
            return kind
    return ""


def _zh_phrase(text: str, i: int, start: int) -> str:
    cut = max(text.rfind(mark, start, i) for mark in "，；,;")
    return text[max(cut + 1, start, i - 60) : i]


def _zh_verb_before(phrase: str, verbs: tuple[str, ...]) -> bool:
    """A verb of the kind opens the object's phrase, not a relative clause ("举行的各讲习班")."""
    for verb in verbs:
        at = phrase.rfind(verb)
        if (
            at >= 0
            and not phrase.startswith("的", at + len(verb))
            and "的" not in phrase[at + len(verb) : at + len(verb) + 2]
        ):
            return True
    return False
