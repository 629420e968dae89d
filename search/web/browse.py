"""The home page's list of documents: by session, then by the committee they came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from search.models import BODY_NAMES, COMMITTEE_NAMES, Resolution, Text, interface_language, session_label
from search.web.results import search_url, session_order

# Committees in the order the General Assembly numbers them; plenary after them.
COMMITTEE_ORDER = ["C1", "C2", "C3", "C4", "C5", "C6", "plenary", ""]


@dataclass
class Group:
    key: str  # "C3", "plenary", "" (no committee known)
    label: str
    url: str | None  # a search narrowed to this group
    documents: list[Resolution] = field(default_factory=list)


@dataclass
class Session:
    label: str
    number: str
    groups: list[Group] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.documents) for g in self.groups)


def browse() -> list[Session]:
    """Every work not contained in a report, by session (newest first) and committee;
    each with the title in the interface language where there is one."""
    language = interface_language()
    # Only the drafts inside a report are listed with their texts' titles. A prefetch
    # costs a queryset per work: the works' own titles come in one plain query.
    titled = Prefetch("texts", queryset=Text.objects.only("resolution_id", "language", "title"))
    works = Resolution.objects.filter(contained_in=None).prefetch_related(
        Prefetch("contained", queryset=Resolution.objects.prefetch_related(titled))
    )
    titles = _titles()
    sessions: dict[str, Session] = {}
    for work in works:
        _choose_title(work, titles.get(work.pk, {}), language)
        _group(_session(sessions, work), work).documents.append(work)
    for session in sessions.values():
        session.groups.sort(key=lambda g: COMMITTEE_ORDER.index(g.key))
        for group in session.groups:
            group.documents.sort(key=_document_order)
    return sorted(sessions.values(), key=lambda session: (*session_order(session.number), session.label))


def _titles() -> dict[int, dict[str, str]]:
    """The titles of the works not contained in a report: work id → language → title."""
    titles: dict[int, dict[str, str]] = {}
    for resolution_id, text_language, title in (
        Text.objects.filter(resolution__contained_in=None)
        .order_by("language")
        .values_list("resolution_id", "language", "title")
    ):
        titles.setdefault(resolution_id, {})[text_language] = title
    return titles


def _choose_title(work: Resolution, titles: dict[str, str], language: str) -> None:
    """Give the work the title to list it by: in `language`, else in English, else in Chinese."""
    work.shown_title = next((titles[lang] for lang in (language, "en", "zh") if lang in titles), "")
    work.shown_language = language if language in titles else next(iter(titles), language)


def _session(sessions: dict[str, Session], work: Resolution) -> Session:
    """The work's session, added to `sessions` when it is the first of it."""
    number = work.session_number()
    label = session_label(number) if number else (work.session or _("Session unknown"))
    return sessions.setdefault(number or work.session, Session(label=label, number=number))


def _group(session: Session, work: Resolution) -> Group:
    """The work's committee (or body) in its session, added when it is the first of it."""
    committee = work.filed_committee() if work.filed_committee() in COMMITTEE_NAMES else ""
    group = next((g for g in session.groups if g.key == committee), None)
    if group is None:
        label = str(COMMITTEE_NAMES[committee]) if committee else str(BODY_NAMES.get(work.body, _("Other")))
        group = Group(committee, label, _narrowed_search(session.number, committee))
        session.groups.append(group)
    return group


def _narrowed_search(session: str, committee: str) -> str | None:
    """A search narrowed to a session and committee; None when neither is known."""
    parts = [f"session:{session}"] if session else []
    parts += [f"committee:{committee}"] if committee else []
    return search_url(" ".join(parts)) if parts else None


def _document_order(work: Resolution) -> tuple:
    # Resolutions first, then drafts and other papers; by symbol, its numbers as numbers
    # (A/RES/80/9 before A/RES/80/10, L.7 before L.7/Rev.1 before L.8).
    natural = [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", work.symbol or work.key)]
    return (work.doc_type != "resolution", natural)
