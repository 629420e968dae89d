"""The titles of agenda items, as the stored data give them, for the facet and the chips.

An item's English title is the session's agenda's as the proceedings publish it
(AgendaItem, `import_proceedings`), else the one most of its documents' headings give
(Text.agenda_item_title of the documents of that item alone); its Chinese title the one
most of its Chinese documents give. The table is read whole (one query) once for a state
of the index and of the imported agendas, and kept for it: documents that change change
the index, and an agenda imported again has new rows. Whether the agendas changed is
asked of the database at most once every RECHECK seconds (a search asked it each time,
a millisecond of every query), and at once after this process imports one (`forget`).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max

from search.engine.agenda import items_in
from search.models import AgendaItem, Text
from search.parsing import session_number


@dataclass(frozen=True)
class Title:
    en: str = ""
    zh: str = ""

    def in_language(self, language: str) -> str:
        """The title in this language ("zh": the Chinese where a document gives one, else the English)."""
        return (self.zh or self.en) if language == "zh" else self.en


_lock = threading.Lock()
_table: dict[tuple, dict[str, Title]] = {}
# How long an agenda imported by another process may go unseen, in seconds (as long as
# the index takes to follow another process's changes: index.FOLLOW_EVERY).
RECHECK = 1.0
_agendas: dict[str, object] = {"at": None, "state": None}  # when asked, what was found


def agenda_titles(index_state: tuple, terms) -> dict[str, Title]:
    """The titles of these items of a session ("80/107") that the stored data give."""
    key = (index_state, _agenda_state())
    with _lock:
        table = _table.get(key)
    if table is None:
        table = _read_titles()
        with _lock:
            _table.clear()  # one state is current: older tables are not asked for again
            _table[key] = table
    return {term: table[term] for term in terms if term in table}


def _agenda_state() -> tuple:
    """What identifies the imported agendas' rows, asked again after RECHECK seconds."""
    now = time.monotonic()
    with _lock:
        at, state = _agendas["at"], _agendas["state"]
    if at is None or now - at >= RECHECK:
        stored = AgendaItem.objects.aggregate(last=Max("pk"), count=Count("pk"))
        state = (stored["last"], stored["count"])
        with _lock:
            _agendas.update(at=now, state=state)
    return state


def forget() -> None:
    """Ask the database again at the next search (this process imported an agenda)."""
    with _lock:
        _agendas.update(at=None, state=None)


def _read_titles() -> dict[str, Title]:
    english: dict[str, Counter] = {}
    chinese: dict[str, Counter] = {}
    rows = Text.objects.exclude(agenda_item_title="").values_list(
        "resolution__session", "resolution__agenda_item", "language", "agenda_item_title"
    )
    for session, agenda_item, language, title in rows.iterator(chunk_size=2000):
        items, number = items_in(agenda_item), session_number(session)
        if len(items) != 1 or not number:  # a heading of two items gives one title for both
            continue
        counts = chinese if language == "zh" else english
        counts.setdefault(f"{number}/{items[0]}", Counter())[title] += 1
    agenda = {f"{s}/{i}": title for s, i, title in AgendaItem.objects.values_list("session", "item", "title")}
    return {
        term: Title(agenda.get(term) or _most(english.get(term)), _most(chinese.get(term)))
        for term in set(english) | set(chinese) | set(agenda)
    }


def _most(counts: Counter | None) -> str:
    """The title most headings give (a tie: the first in alphabetical order, so it is stable)."""
    if not counts:
        return ""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
