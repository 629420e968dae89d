"""The UN names of States (UNTERM, via datasets/country-codes: `state_names.csv`) for the
names the proceedings write in capitals ("BOLIVIA (PLURINATIONAL STATE OF)"), in the
interface's language; and the groups a State speaks on behalf of."""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

STATE_NAMES = Path(__file__).with_name("state_names.csv")

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
    name = name.replace("’", "'").strip(" *")
    return re.sub(r"\s+", " ", re.sub(r"\s*\(the\)$", "", name)).upper()


@functools.cache
def state_rows() -> tuple[dict[str, str], ...]:
    """The rows of `state_names.csv`, read once per process (the proceedings' names here,
    the suggestions' other-language names in search.web.suggesting)."""
    with STATE_NAMES.open(encoding="utf-8", newline="") as rows:
        return tuple(csv.DictReader(rows))


@functools.cache
def _names() -> dict[str, tuple[str, str]]:
    """A State's names as keys (short, formal, official, each in capitals) → its UNTERM
    short names in English and Chinese."""
    names: dict[str, tuple[str, str]] = {}
    for row in state_rows():
        shown = (_shown(row["UNTERM English Short"]), row["UNTERM Chinese Short"].strip(" *"))
        for form in ("UNTERM English Short", "UNTERM English Formal", "official_name_en"):
            names.setdefault(_key(re.sub(r"^the ", "", row[form])), shown)
    return names


def _shown(name: str) -> str:
    return re.sub(r"\s*\(the\)$", "", name.strip(" *"))


def state_name(published: str, language: str) -> str:
    """A State's UNTERM name in `language` ("en", "zh"); the name as published when it
    is not a State the table knows."""
    key = _key(published)
    found = _names().get(key) or _names().get(re.sub(r"\s*\(.*\)$", "", key))
    return found[language == "zh"] if found else published


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
    return list(dict.fromkeys(name.strip().lower() for name in names if name.strip()))
