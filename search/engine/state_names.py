"""The UN names of States (UNTERM, via datasets/country-codes: `state_names.csv`) for the
names the proceedings write in capitals ("BOLIVIA (PLURINATIONAL STATE OF)"), in the
interface's language; and the groups a State speaks on behalf of.

`state_names.csv` is the shared table as published, unchanged. Two Member States the
80th session's main sponsors name are not in it; their rows are kept apart, in
`state_names_added.csv`, with names that can be cited:

- Côte d'Ivoire (CIV, 384): UNTERM's short and formal names in English and Chinese as
  datasets/country-codes gives them in `data/unterm_names.csv` (commit
  a09b84ab199694aa3db18d7bfc15f632543db672): Côte d'Ivoire, the Republic of Côte d'Ivoire,
  科特迪瓦, 科特迪瓦共和国.
- Türkiye (TUR, 792): the Chinese names from the same file (土耳其, 土耳其共和国, under
  "Turkey"); the English ones as the UN writes them since 1 June 2022 and the session's
  own documents do (A/80/L.16: "the Republic of Türkiye"; the proceedings: TÜRKİYE).

The proceedings write the United Kingdom short (UNITED KINGDOM): `ALIASES` files that
spelling under the table's row. A State no table knows is shown as published, in proper
case ("CÔTE D'IVOIRE" → "Côte d'Ivoire"), in both languages: never a name made up."""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

from search.parsing import name_words

STATE_NAMES = Path(__file__).with_name("state_names.csv")
ADDED_NAMES = Path(__file__).with_name("state_names_added.csv")
# Spellings of the proceedings for a State the table names otherwise: its ISO code.
ALIASES = {"UNITED KINGDOM": "GBR"}
# Words a State's name keeps in lower case (after its first word): "Bolivia (Plurinational
# State of)", "Côte d'Ivoire", "Saint Vincent and the Grenadines".
LOWER_WORDS = frozenset({"of", "and", "the", "d", "de", "du", "des", "la", "le", "on", "behalf"})

# The groups main sponsors speak for, as the proceedings name them: English, Chinese.
GROUPS = {
    "GROUP OF 77 AND CHINA": ("Group of 77 and China", "77国集团和中国"),
    "EUROPEAN UNION (EU)": ("European Union", "欧洲联盟"),
    "NON-ALIGNED MOVEMENT (NAM)": ("Non-Aligned Movement", "不结盟运动"),
    "GROUP OF AFRICAN STATES": ("Group of African States", "非洲国家组"),
    "GROUP OF ARAB STATES": ("Group of Arab States", "阿拉伯国家组"),
    "NORDIC COUNTRIES": ("Nordic countries", "北欧国家"),
    "ORGANIZATION OF ISLAMIC COOPERATION (OIC)": ("Organization of Islamic Cooperation", "伊斯兰合作组织"),
}
ON_BEHALF = re.compile(r"^(?P<state>.+?)\s*\(on behalf of (?P<group>.+)\)$", re.I)


def _key(name: str) -> str:
    name = name.replace("’", "'").replace("İ", "I").strip(" *")  # TÜRKİYE: Türkiye in capitals
    return re.sub(r"\s+", " ", re.sub(r"\s*\(the\)$", "", name)).upper()


@functools.cache
def state_rows() -> tuple[dict[str, str], ...]:
    """The rows of `state_names.csv` and `state_names_added.csv`, read once per process
    (the proceedings' names here, the suggestions' other-language names in
    search.web.suggesting)."""
    rows: list[dict[str, str]] = []
    for path in (STATE_NAMES, ADDED_NAMES):
        with path.open(encoding="utf-8", newline="") as lines:
            rows += csv.DictReader(lines)
    return tuple(rows)


@functools.cache
def _names() -> dict[str, tuple[str, str]]:
    """A State's names as keys (short, formal, official, each in capitals) → its UNTERM
    short names in English and Chinese."""
    names: dict[str, tuple[str, str]] = {}
    by_code: dict[str, tuple[str, str]] = {}
    for row in state_rows():
        shown = (_shown(row["UNTERM English Short"]), row["UNTERM Chinese Short"].strip(" *"))
        by_code[row["ISO3166-1-Alpha-3"]] = shown
        for form in ("UNTERM English Short", "UNTERM English Formal", "official_name_en"):
            names.setdefault(_key(re.sub(r"^the ", "", row[form])), shown)
    for spelling, code in ALIASES.items():
        names.setdefault(spelling, by_code[code])
    return names


def _shown(name: str) -> str:
    return re.sub(r"\s*\(the\)$", "", name.strip(" *"))


def state_name(published: str, language: str) -> str:
    """A State's UNTERM name in `language` ("en", "zh"); the name as published, in proper
    case, when it is not a State the tables know."""
    key = _key(published)
    found = _names().get(key) or _names().get(re.sub(r"\s*\(.*\)$", "", key))
    return found[language == "zh"] if found else proper_case(published)


def proper_case(name: str) -> str:
    """A name written in capitals as names are written: "CÔTE D'IVOIRE" → "Côte d'Ivoire",
    "BOLIVIA (PLURINATIONAL STATE OF)" → "Bolivia (Plurinational State of)"; a name with
    small letters as it is."""
    if not name.isupper():
        return name
    first = True

    def word(match: re.Match) -> str:
        nonlocal first
        text = match.group(0).lower()
        shown = text if text in LOWER_WORDS and not first else text.capitalize()
        first = False
        return shown

    return re.sub(r"[^\W\d_]+", word, name.replace("İ", "I"))


def sponsor_name(published: str, language: str) -> str:
    """A main sponsor as UNTERM names it, with the group it speaks for:
    "IRAQ (on behalf of Group of 77 and China)" → "Iraq (on behalf of the Group of 77 and China)"."""
    match = ON_BEHALF.match(published)
    if not match:
        return state_name(published, language)
    state = state_name(match["state"], language)
    group = GROUPS.get(match["group"].upper())
    group_name = group[language == "zh"] if group else match["group"]
    return f"{state}（代表{group_name}）" if language == "zh" else f"{state} (on behalf of the {group_name})"


def sponsor_terms(published: str) -> list[str]:
    """What a main sponsor is filed under in the index, lower-cased: its State's names in
    English and Chinese (and as published, and without what parentheses add), and the
    group it speaks for in both."""
    match = ON_BEHALF.match(published)
    state = match["state"] if match else published
    names = [state, state_name(state, "en"), state_name(state, "zh")]
    group = GROUPS.get(match["group"].upper()) if match else None
    names += list(group) if group else ([match["group"]] if match else [])
    names += [name.split(" (")[0] for name in names]  # "Bolivia" for "Bolivia (Plurinational State of)"
    return list(dict.fromkeys(name.replace("İ", "I").strip().lower() for name in names if name.strip()))


STATE_PREFIX = "state-"  # a State as an addressee of a mandate: "state-mmr"


@functools.cache
def state_keys() -> dict[str, str]:
    """The names of States as the mandates' reader compares them (English words lower-cased,
    search.parsing.name_words; Chinese as written) → the State's key ("state-mmr")."""
    table: dict[str, str] = {}
    for row in state_rows():
        key = STATE_PREFIX + row["ISO3166-1-Alpha-3"].lower()
        for form in ("UNTERM English Short", "UNTERM English Formal", "official_name_en"):
            name = re.sub(r"^the ", "", row[form].strip(" *"))
            if name:
                table.setdefault(name_words(name), key)
        for form in ("UNTERM Chinese Short", "UNTERM Chinese Formal", "official_name_cn"):
            name = row[form].strip(" *")
            if name:
                table.setdefault(name, key)
    return table


def state_of_key(key: str, language: str) -> str:
    """The UNTERM short name of the State a key names ("state-mmr" → Myanmar, 缅甸); ""
    for a key that names none."""
    names = _names_by_key().get(key)
    return names[language == "zh"] if names else ""


@functools.cache
def _names_by_key() -> dict[str, tuple[str, str]]:
    """A State's key ("state-mmr") → its UNTERM short names in English and Chinese."""
    return {
        STATE_PREFIX + row["ISO3166-1-Alpha-3"].lower(): (
            _shown(row["UNTERM English Short"]),
            row["UNTERM Chinese Short"].strip(" *"),
        )
        for row in state_rows()
    }
