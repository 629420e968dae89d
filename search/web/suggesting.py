"""What to try when a search finds nothing, little, or only paragraphs with most of its
words: variants of the query that do find something, each counted and linked.

The variants, in the order they are tried: the query without its filters, without its
quotes; the names of States and UN bodies it holds in the other language; the other
word order of a Chinese term (人口贩运 → 贩运人口) or of an English phrase
("trafficking in organs" → "organ trafficking"); the noun phrase at the end of a wordy
question, in quotes; each word that carries meaning, alone. At most MAX_TRIED are
counted, each with one search, so a page costs a bounded number of searches; a word
that carries no meaning ("the", "how", 如何) is never offered alone.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from itertools import chain, islice

from django.utils.translation import gettext as _

from search.engine.analysis import CJK_RUN, jieba_words
from search.engine.index import searching
from search.engine.query import STOP_WORDS, ParsedQuery, is_stop_word, parse_query
from search.engine.searching import find_matches
from search.engine.state_names import state_rows
from search.parsing import BODIES, MAIN_COMMITTEES
from search.web.results import search_url

FEW = 10  # fewer paragraphs than a top 10 holds: the page also offers what to try
MAX_TRIED = 6  # variants counted per page, each with one search
MAX_NAMES = 3  # names of States and bodies translated per query
MAX_WORDS_ALONE = 5
LONGEST_NAME = 8  # words of the longest English name ("United Kingdom of Great Britain …")

# Words that join the words of a noun phrase ("use of the death penalty"); the other
# stop words ("how", "does", "say", "about") end one.
JOINING = frozenset({"of", "to", "in", "on", "for", "and", "with", "by", "from", "at", "the", "a", "an"})
PUNCTUATION = "?？!！.,，。;；:：\"'()（）"


def suggestions(query: ParsedQuery, found: dict) -> list[dict]:
    """On no, few or only partial hits, the variants that find something, with their
    counts; none otherwise."""
    if found["complete"] >= FEW:  # a top 10 of paragraphs with every word
        return []
    shown: list[dict] = []
    for label, candidate, relaxed in _tried(query):
        total, partial = count_paragraphs(candidate)
        if total and (relaxed or not partial):
            shown.append({"label": label, "q": candidate, "total": total, "url": search_url(candidate)})
    return shown


def _tried(query: ParsedQuery) -> Iterator[tuple[str, str, bool]]:
    """The first MAX_TRIED variants, each once, none the query itself or only stop words."""
    tried = {query.text}
    for label, candidate, relaxed in _candidates(query):
        candidate = re.sub(r"\s+", " ", candidate).strip()
        if candidate not in tried and _says_something(candidate):
            tried.add(candidate)
            yield label, candidate, relaxed
        if len(tried) > MAX_TRIED:
            return


def count_paragraphs(q: str) -> tuple[int, bool]:
    """How many paragraphs a query finds, and whether they have only most of its words:
    the matching set alone (what the search's total counts), with no ranking, facets or
    snippets, which would cost a variant ~15 ms more."""
    with searching() as searcher:
        match = find_matches(searcher, parse_query(q))
    return (0, False) if match is None else (len(match.docs), match.partial)


def _says_something(candidate: str) -> bool:
    """False for a variant made only of words that carry no meaning ("the", "how?", 如何)."""
    return any(not is_stop_word(word) for word in candidate.replace('"', " ").split())


def _candidates(query: ParsedQuery) -> Iterator[tuple[str, str, bool]]:
    """The variants to try, best first (the caller counts only the first few), and
    whether the paragraphs with most of its words will do: they will for the query's own
    words without its filters or quotes (the page says so), not for a variant made here."""
    for label, candidate in _without_filters_or_quotes(query):
        yield label, candidate, True
    made = chain(
        _in_other_language(query),
        islice(_other_word_orders(query), 2),
        islice(_phrases(query), 2),
        _words_alone(query),
    )
    for label, candidate in made:
        yield label, candidate, False


def _without_filters_or_quotes(query: ParsedQuery) -> Iterator[tuple[str, str]]:
    text, without_filters = query.text, query.without_filters
    if without_filters and without_filters != text:
        yield _("Without the filters"), without_filters
    if '"' in text:
        yield _("Without quotes"), text.replace('"', "")


def _words(text: str) -> list[str]:
    """The typed words, their punctuation cut: "persons?" → "persons"."""
    return [word.strip(PUNCTUATION) for word in text.split() if word.strip(PUNCTUATION)]


def _words_alone(query: ParsedQuery) -> Iterator[tuple[str, str]]:
    """Each of the first words that carries meaning, alone (never "the" or "how"); not
    the words of a name ("Human Rights Council"). A query of one Chinese run: its jieba words of two
    characters or more (缅甸罗兴亚人 → 缅甸, 罗兴亚人; 人体器官买卖 → 人体器官, 买卖)."""
    if _english_names(query):
        return
    words = [w for w in _words(query.without_filters.replace('"', " ")) if not is_stop_word(w)]
    if len(words) == 1 and CJK_RUN.fullmatch(words[0]):
        words = [w for w, *_ in jieba_words(words[0], search=False) if len(w) > 1 and not is_stop_word(w)]
    if len(words) > 1:
        for word in words[:MAX_WORDS_ALONE]:
            yield _("Fewer words"), word


# --- The other language: names of States and bodies ----------------------------------


def _name_words(name: str) -> tuple[str, ...]:
    """An English name as the words it is matched by: "People's" and "people s" alike."""
    return tuple(re.findall(r"[^\W_]+", CJK_RUN.sub(" ", name.lower())))


def _english_forms(row: dict) -> set[str]:
    """The ways a State's English name is written: short, formal, and before "(" as
    "Iran" of "Iran (Islamic Republic of)"; without UNTERM's "(the)", "the" and stars."""
    forms = {row["official_name_en"], row["UNTERM English Short"], row["UNTERM English Formal"]}
    forms = {re.sub(r"^the |\s*\(the\)|\s*\*+$", "", form.strip()) for form in forms}
    return forms | {form.split(" (")[0] for form in forms}


def _chinese_forms(row: dict) -> set[str]:
    forms = {row["official_name_cn"], row["UNTERM Chinese Short"], row["UNTERM Chinese Formal"]}
    return {form.strip(" *") for form in forms if CJK_RUN.fullmatch(form.strip(" *"))}


@functools.cache
def name_tables() -> tuple[dict[tuple[str, ...], str], dict[str, str], frozenset[str]]:
    """English names (as words) → the Chinese name; Chinese names → the English name;
    and the Chinese names of bodies. Read once per process."""
    english: dict[tuple[str, ...], str] = {}
    chinese: dict[str, str] = {}
    for row in state_rows():
        for form in _english_forms(row):
            english.setdefault(_name_words(form), row["official_name_cn"])
        for form in _chinese_forms(row):
            chinese.setdefault(form, row["official_name_en"])
    bodies = {**BODIES, **MAIN_COMMITTEES}.values()
    english |= {_name_words(name_en): name_zh for name_en, name_zh in bodies}
    chinese |= {name_zh: name_en for name_en, name_zh in bodies}
    return english, chinese, frozenset(name_zh for _, name_zh in bodies)


def _in_other_language(query: ParsedQuery) -> Iterator[tuple[str, str]]:
    """A query that names only States or bodies (besides words such as "the"), named in
    the other language, with its filters but the language's: 缅甸 → Myanmar."""
    if any(unit.has_cjk for unit in query.units):
        label, names = _("In English"), [_quoted(name) for name in _chinese_names(query)]
    else:
        label, names = _("In Chinese"), _english_names(query)
    if names:
        yield label, " ".join([*names[:MAX_NAMES], *_kept_filters(query)])


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name


def _kept_filters(query: ParsedQuery) -> list[str]:
    """The query's filters as typed, but the language's: a translation is searched in the other."""
    return [query.text[slice(*f.span)] for f in query.typed_filters if f.field and f.name != "lang"]


def _english_names(query: ParsedQuery) -> list[str]:
    """The Chinese names of the States and bodies the query names in English, longest
    names first; none if another word carries meaning."""
    english = name_tables()[0]
    words = [w for token in query.without_filters.split() if token[0] != "-" for w in _name_words(token)]
    found, at = [], 0
    while at < len(words):
        name = _longest_name(words, at, english)
        if name is None and words[at] not in STOP_WORDS:
            return []
        if name:
            found.append(english[name])
        at += len(name) if name else 1
    return list(dict.fromkeys(found))


def _longest_name(words: list[str], at: int, english: dict) -> tuple[str, ...] | None:
    """The longest name that starts at `words[at]`, as its words; None if none does."""
    spans = (tuple(words[at : at + size]) for size in range(LONGEST_NAME, 0, -1))
    return next((span for span in spans if span in english), None)


def _chinese_names(query: ParsedQuery) -> list[str]:
    """The English names of the States and bodies the query names in Chinese; none if
    any of its words is something else."""
    found = []
    for unit in query.units:
        names = _names_in_run(unit.text) if CJK_RUN.fullmatch(unit.text) else []
        if not names or sum(len(name) for name in names) < len(unit.text):
            return []
        found += names
    return list(dict.fromkeys(name_tables()[1][name] for name in found))


def _names_in_run(run: str) -> list[str]:
    """The names (in Chinese) in a run of Chinese that begin and end where jieba's words
    do. A body's name starts the run or follows another name: 大会 of 世界卫生大会 is
    another body."""
    chinese, bodies = name_tables()[1:]
    words = jieba_words(run, search=False)
    ends = sorted({end for _, _, end, _ in words}, reverse=True)
    found, after_name = [], 0
    for _word, start, _end, _index in words:
        if start < after_name:  # inside the name just found
            continue
        name = next((run[start:end] for end in ends if run[start:end] in chinese), None)
        if name and (name not in bodies or start == after_name):
            found.append(name)
            after_name = start + len(name)
    return found


# --- The other word order -------------------------------------------------------------


def _other_word_orders(query: ParsedQuery) -> Iterator[tuple[str, str]]:
    """The query with its first Chinese term's words in another order (人口贩运 → 贩运人口,
    贩卖人体器官 → 人体器官贩卖), or its English phrase turned ("trafficking in organs" →
    "organ trafficking")."""
    for unit in query.units:
        if CJK_RUN.fullmatch(unit.text):
            if _names_in_run(unit.text):  # a name is not turned: 大会第三委员会
                return
            words = [word for word, *_ in jieba_words(unit.text, search=False)]
            for order in _orders(words):
                yield _("Other word order"), query.text.replace(unit.text, "".join(order), 1)
            return
        turned = _turned(unit.text) if unit.exact else None
        if turned:
            yield _("Other word order"), query.text.replace(unit.text, turned, 1)
            return


def _orders(words: list[str]) -> list[list[str]]:
    """Other orders of two or three words: the two swapped; of three, the first moved to
    the end (贩卖/人体/器官 → 人体器官贩卖) and the last two swapped (打击/贩运/人口)."""
    if len(words) == 2:
        return [words[::-1]]
    if len(words) == 3:
        return [words[1:] + words[:1], words[:1] + words[:0:-1]]
    return []


def _turned(phrase: str) -> str | None:
    """ "trafficking in organs" and "trafficking organs" → "organ trafficking"; None for
    any other phrase (a noun before a noun is left as it is)."""
    words = phrase.split()
    if len(words) == 3 and words[1].lower() in ("of", "in"):
        words = [words[0], words[2]]
    elif not (len(words) == 2 and words[0].lower().endswith("ing") and words[1].lower().endswith("s")):
        return None
    first, second = words
    return f"{_singular(second)} {first}"


def _singular(word: str) -> str:
    """ "organs" → "organ"; "rights" stays readable: only a plain final -s is cut."""
    plural = len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
    return word[:-1] if plural else word


# --- The noun phrase of a question ---------------------------------------------------


def _phrases(query: ParsedQuery) -> Iterator[tuple[str, str]]:
    """The noun phrase of a question or of four words or more, in quotes: the last three,
    then two, words that carry meaning of the last stretch without a question word ("How
    can States protect internally displaced persons?" → "internally displaced persons")."""
    text = query.without_filters
    words = _words(text)
    if '"' in text or CJK_RUN.search(text) or not _is_wordy(words):
        return
    meaningful = _meaningful(words)
    stretches = reversed(_stretches(words))
    phrases = (_last_words(stretch, size) for stretch in stretches for size in (3, 2))
    for phrase in dict.fromkeys(p for p in phrases if p):
        if _meaningful(phrase.split()) != meaningful:  # all the query's words quoted find less
            yield _("As a phrase"), f'"{phrase}"'


def _meaningful(words: list[str]) -> set[str]:
    return {w.lower() for w in words if w.lower() not in STOP_WORDS}


def _is_wordy(words: list[str]) -> bool:
    """A question ("how", "does", "say about") or four words or more that carry meaning."""
    if any(w.lower() in STOP_WORDS - JOINING for w in words):
        return True
    return len(_meaningful(words)) >= 4


def _stretches(words: list[str]) -> list[list[str]]:
    """The words between question words, auxiliaries and framing verbs ("what does … say about")."""
    stretches: list[list[str]] = [[]]
    for word in words:
        if word.lower() in STOP_WORDS and word.lower() not in JOINING:
            stretches.append([])
        else:
            stretches[-1].append(word)
    return [s for s in stretches if s]


def _last_words(stretch: list[str], size: int) -> str | None:
    """The end of a stretch from its `size`-th last meaningful word, with the joining
    words between ("use of the death penalty"); None if it has fewer than two."""
    at = [i for i, word in enumerate(stretch) if word.lower() not in STOP_WORDS]
    if len(at) < 2:
        return None
    return " ".join(stretch[at[max(0, len(at) - size)] : at[-1] + 1])
