"""Procedural formulas: the paragraphs of a resolution that manage its business.

A UN resolution says what it means in most of its paragraphs and manages its own
follow-up in a few, always in the same fixed phrases: it asks for a report ("Requests
the Secretary-General to submit to the General Assembly at its eighty-second session a
report…", 请秘书长向大会第八十二届会议提交…报告), puts the question on a later agenda
("Decides to consider the question at its eighty-second session", "Decides to include
in the provisional agenda…", "Decides to remain seized of the matter", 决定在第…届会议
继续审议), asks a Government to work with a mandate holder ("To cooperate fully with the
Special Envoy…", 与特别报告员充分合作) or acknowledges a report ("Takes note of the
report of the Secretary-General", 注意到秘书长的报告). Such a paragraph repeats the
words of its resolution's subject without saying anything about it, so ranking puts it
below the paragraphs that do — unless the query asks for the formula itself.

`formula_of` reads a paragraph's opening the way it is written: the opening verb of an
operative paragraph (or the participle of a preambular one, or the infinitive of a
lettered sub-paragraph), then the verb of its first infinitive and a few fixed words.
Everything is a scan over a bounded prefix of words or characters: no pattern can
backtrack, and the cost does not depend on the paragraph's length. It is computed once,
when a paragraph is indexed.
"""

from __future__ import annotations

import re

REPORT = "report"  # a request for a report
AGENDA = "agenda"  # the question taken up again at a later session, or kept on the agenda
COOPERATION = "cooperation"  # cooperation with a rapporteur, an envoy, an independent expert
NOTED = "noted"  # a report taken note of, welcomed or considered
FORMULAS = (REPORT, AGENDA, COOPERATION, NOTED)

# Words of a query that ask for the formula itself: a query holding one of them is not
# demoted for that formula ("requests the Secretary-General to submit a report").
# English words as typed (lowercased), Chinese as substrings of the query.
SIGNALS = {
    REPORT: ("report", "reports", "reporting", "submit", "session", "报告", "提交", "届会议"),
    AGENDA: (
        *("agenda", "session", "consider", "consideration", "include", "seized", "item"),
        *("议程", "届会议", "审议", "继续处理", "列入"),
    ),
    COOPERATION: (
        *("cooperate", "cooperation", "rapporteur", "envoy", "expert", "representative", "mandate"),
        *("合作", "特别报告员", "特使", "独立专家", "特别代表"),
    ),
    NOTED: ("note", "notes", "report", "reports", "注意到", "报告"),
}

LEAD_WORDS = 12  # words of an English paragraph that say what it is about
LEAD_CHARS = 24  # characters of a Chinese one
WORDS_READ = 60  # words of an English paragraph's opening that are read (a Chinese
# paragraph is read to the end of its first sentence: its verb may come last)

WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_CJK = re.compile(r"[\u3400-\u9fff]")

# Adverbs that may stand before the opening verb: "Also requests", "Further decides".
EN_ADVERBS = frozenset({"also", "further", "furthermore", "finally", "again", "moreover", "and", "once"})
REQUEST_VERBS = frozenset({"requests", "request", "requesting", "invites", "invite", "inviting"})
REPORT_VERBS = frozenset({"report", "submit", "present", "transmit", "include"})
DECIDE_VERBS = frozenset({"decides", "decide", "deciding"})
AGENDA_VERBS = frozenset({"consider", "include", "examine", "defer", "postpone", "resume"})
AGENDA_WORDS = frozenset({"session", "agenda", "item"})
# Mandate holders a State is asked to cooperate with.
HOLDERS = frozenset(
    {
        "rapporteur",
        "rapporteurs",
        "envoy",
        "expert",
        "experts",
        "representative",
        "adviser",
        "mandate-holders",
    }
)
NOTE_OPENERS = (("takes", "note"), ("taking", "note"), ("having", "considered"), ("having", "examined"))
NOTE_OPENERS += (("welcomes", "the"), ("welcoming", "the"))
NOTE_OBJECTS = frozenset({"report", "reports", "note"})
NOTE_DETERMINERS = frozenset(
    {"of", "with", "appreciation", "interest", "satisfaction", "the", "annual", "latest", "interim", "last"}
)


def formula_of(text: str) -> str:
    """Return the procedural formula a paragraph is written in, or "" for a substantive one."""
    if _CJK.search(text[:20]):
        return _chinese_formula(text)
    return _english_formula(WORD.findall(text[: WORDS_READ * 12].lower())[:WORDS_READ])


def lead(text: str) -> str:
    """The paragraph's first words: its opening verb and what it is about ("Stresses the
    disproportionate impact of climate change on Indigenous Peoples…")."""
    if _CJK.search(text[:20]):
        return text[:LEAD_CHARS]
    return " ".join(text[: LEAD_WORDS * 16].split()[:LEAD_WORDS])


# --- English ------------------------------------------------------------------


def _english_formula(words: list[str]) -> str:
    words = _without_adverbs(words)
    if not words:
        return ""
    verb, infinitive = words[0], _first_infinitive(words)
    if verb in REQUEST_VERBS and _asks_for_report(words):
        return REPORT
    if _takes_up_again(words, verb, infinitive):
        return AGENDA
    if infinitive == "cooperate" and _with_holder(words):
        return COOPERATION
    if _notes_report(words):
        return NOTED
    return ""


def _without_adverbs(words: list[str]) -> list[str]:
    start = 0
    while start < len(words) and words[start] in EN_ADVERBS:
        start += 1
    return words[start:]


def _first_infinitive(words: list[str]) -> str:
    """The verb of the paragraph's first infinitive ("to cooperate"; "To cooperate" opening
    a sub-paragraph), past "continue to", "further" and "fully"."""
    for i, word in enumerate(words):
        if word == "to":
            rest = [
                w for w in words[i + 1 : i + 5] if w not in {"further", "fully", "also", "continue", "to"}
            ]
            return rest[0] if rest else ""
    return ""


def _asks_for_report(words: list[str]) -> bool:
    """ "Requests the Secretary-General to submit … a report", "… and to report to the
    General Assembly at its … session": an infinitive of reporting, and the report it
    asks for in the words after it."""
    return any(
        words[i] == "to" and _reports(words[i + 1], words[i + 2 : i + 16]) for i in range(len(words) - 1)
    )


def _reports(verb: str, after: list[str]) -> bool:
    return verb == "report" or (verb in REPORT_VERBS and bool({"report", "reports"}.intersection(after)))


def _takes_up_again(words: list[str], verb: str, infinitive: str) -> bool:
    """ "Decides to consider / include … at its … session / in the agenda", "Decides to
    continue its consideration of …", "Decides to remain seized of the matter"."""
    if "seized" in words[:6] and verb in {*DECIDE_VERBS, "remains", "remain"}:
        return True
    if verb not in DECIDE_VERBS:
        return False
    if infinitive in AGENDA_VERBS:
        return bool(AGENDA_WORDS.intersection(words))
    return _continues_consideration(words)


def _continues_consideration(words: list[str]) -> bool:
    for i, word in enumerate(words[:-2]):
        if word == "continue":
            return words[i + 1] in {"its", "consideration"} or words[i + 1 : i + 3] == ["to", "consider"]
    return False


def _with_holder(words: list[str]) -> bool:
    """A mandate holder among the few words after "cooperate … with"."""
    start = words.index("cooperate") if "cooperate" in words else len(words)
    return bool(HOLDERS.intersection(words[start : start + 10]))


def _notes_report(words: list[str]) -> bool:
    """ "Takes note (with appreciation) of the (latest) report(s) …", "Having considered
    the report …", "Welcomes the report …"."""
    if tuple(words[:2]) not in NOTE_OPENERS:
        return False
    for word in words[2:9]:
        if word in NOTE_OBJECTS:
            return True
        if word not in NOTE_DETERMINERS:
            return False
    return False


# --- Chinese ------------------------------------------------------------------

ZH_ADVERBS = ("进一步", "另外", "又", "还", "并", "也", "另", "再")
ZH_REQUEST = ("请", "邀请", "请求")
ZH_HOLDERS = ("特别报告员", "特使", "独立专家", "特别代表", "特别顾问", "任务负责人")
ZH_NOTE_OPENERS = ("注意到", "表示注意到", "赞赏地注意到", "表示赞赏地注意到", "审议了")
ZH_CLAUSE_ENDS = "，；。：,;:"


def _chinese_formula(text: str) -> str:
    text = _first_sentence(_without_zh_adverbs(text.lstrip()))
    if text.startswith(ZH_REQUEST) and "报告" in text and ("提交" in text or "届会议" in text):
        return REPORT
    if text.startswith("决定") and _zh_takes_up_again(text):
        return AGENDA
    if _zh_cooperation(text):
        return COOPERATION
    clause = _first_clause(text)
    if text.startswith(ZH_NOTE_OPENERS) and clause.endswith(("报告", "说明")):
        return NOTED
    if text.startswith("欢迎") and clause.endswith("的报告"):  # 欢迎秘书长的报告, not 欢迎…发表…报告
        return NOTED
    return ""


def _without_zh_adverbs(text: str) -> str:
    for adverb in ZH_ADVERBS:
        if text.startswith(adverb):
            return text[len(adverb) :]
    return text


def _zh_takes_up_again(text: str) -> bool:
    """决定在第…届会议…审议 / 列入…议程, 决定继续审议 / 继续处理 (remain seized)."""
    if "继续处理" in text or "继续审议" in text or "继续积极处理" in text:
        return True
    return "届会议" in text and ("审议" in text or "议程" in text)


def _zh_cooperation(text: str) -> bool:
    """与 / 同 a mandate holder … 合作: 与 among the opening words (吁请缅甸政府与特使充分
    合作, 还鼓励会员国与…特别报告员…开展合作), the holder soon after it, 合作 after that."""
    for mark in ("与", "同"):
        at = text.find(mark, 0, 30)
        if at < 0:
            continue
        holders = [found for h in ZH_HOLDERS if (found := text.find(h, at, at + 60)) >= 0]
        if holders and text.find("合作", min(holders)) >= 0:
            return True
    return False


def _first_sentence(text: str) -> str:
    """The paragraph up to its first 。 or ；: a Chinese verb may stand after a long object
    (还鼓励会员国与…特别报告员及其他相关特别程序…开展合作), so the clause is read whole."""
    end = min((i for i in (text.find("。"), text.find("；")) if i >= 0), default=len(text))
    return text[:end]


def _first_clause(text: str) -> str:
    for i, char in enumerate(text):
        if char in ZH_CLAUSE_ENDS:
            return text[:i]
    return text


QUERY_WORD = re.compile(r"[a-z]+|[\u3400-\u9fff]+")


def asks_for(formula: str, query: str) -> bool:
    """Does a query ask for this formula itself ("requests the Secretary-General to submit
    a report", 决定列入临时议程)? Then its paragraphs are not put below the others."""
    signals = SIGNALS.get(formula, ())
    return any(word in signals or _holds(word, signals) for word in QUERY_WORD.findall(query[:500].lower()))


def _holds(run: str, signals: tuple[str, ...]) -> bool:
    """A Chinese signal inside a run of Chinese as typed (请秘书长提交报告 holds 报告)."""
    return bool(_CJK.match(run)) and any(_CJK.match(s) and s in run for s in signals)
