"""What resolutions ask, as the pages show it: beside each paragraph its mandates, at the
top of a resolution "What this resolution asks", and the page of what is due at a
session of the General Assembly (`/due/81/`, `/api/due?session=81`).

Everything here reads stored `Mandate` rows (read when the text was published, their
history when its wording was traced): a page costs a query or two, never a reading."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from search.engine.state_names import state_of_key
from search.models import (
    ACTION_NAMES,
    DELIVERABLE_NAMES,
    PERIOD_NAMES,
    Mandate,
    Paragraph,
    interface_language,
    session_label,
)
from search.parsing import BODY_ABBREVIATIONS, GENERAL_ASSEMBLY_KEY, RESOLUTION, entities

# What the "Due at" page lists: what is to be delivered to the session itself.
DUE_DELIVERABLES = ("report", "oral-update", "agenda-item")
# Sessions a "Due at" page can be asked for: the General Assembly's, from the first on.
FIRST_SESSION, LAST_SESSION = 1, 200
# Mandates one "Due at" page lists at most (a session of the Assembly asks some hundreds).
DUE_LISTED = 2000
# How many characters of the clause a "Due at" entry quotes.
CLAUSE_CHARS = 300
_BY_ABBREVIATION = {abbreviation.lower(): key for key, abbreviation in BODY_ABBREVIATIONS.items()}


def addressee_label(key: str, name: str = "", language: str | None = None) -> str:
    """An addressee in the interface language: the entity table's name ("Secretary-General",
    秘书长), a State's UNTERM name, else the name as written ("co-facilitators")."""
    language = language or interface_language()
    entity = entities().get(key)
    if entity:
        return entity.zh if language == "zh" else entity.en
    return state_of_key(key, language) or name or key.replace("-", " ")


def addressee_names(keys) -> dict[str, str]:
    """Labels of addressees, one query for those the tables do not name (their names as
    written are in the rows)."""
    keys = list(keys)
    unknown = [k for k in keys if k not in entities() and not state_of_key(k, "en")]
    written = (
        dict(
            Mandate.objects.filter(addressee__in=unknown[:200])
            .exclude(addressee_name="")
            .values_list("addressee", "addressee_name")
        )
        if unknown
        else {}
    )
    return {k: addressee_label(k, written.get(k, "")) for k in keys}


def due_label(term: str) -> str:
    """A due date as a reader says it: "General Assembly, 81st session", "Human Rights
    Council, 62nd session", "2030", "annually"."""
    if term in PERIOD_NAMES:
        return str(PERIOD_NAMES[term])
    if term.isdigit():
        number = int(term)
        if number >= 1946:
            return term
        return _("%(body)s, %(session)s") % {
            "body": addressee_label(GENERAL_ASSEMBLY_KEY),
            "session": session_label(term),
        }
    body, _sep, number = term.rpartition("-")
    key = _BY_ABBREVIATION.get(body)
    if key and number.isdigit():
        when = session_label(number)
        return _("%(body)s, %(session)s") % {"body": addressee_label(key), "session": when}
    return term


def deliverable_label(key: str) -> str:
    return str(DELIVERABLE_NAMES.get(key, key))


def action_label(key: str) -> str:
    return str(ACTION_NAMES.get(key, key))


# --- beside each paragraph ----------------------------------------------------------


@dataclass
class Asked:
    """What a paragraph asks of one addressee with one action: its deliverables, each with
    its due dates, and where it was first given."""

    action: str
    addressee: str
    deliverables: list[dict] = field(default_factory=list)  # {"name", "dues": [labels]}
    first_given: Paragraph | None = None
    given_before: int = 0

    def html(self) -> str:
        """ "requests Special Rapporteur: a report (due General Assembly, 81st session)",
        "请世界卫生组织：建议": each name escaped, the phrase the interface language's."""
        who = _span("action", self.action)
        if self.addressee:
            who = _("%(action)s %(addressee)s") % {
                "action": who,
                "addressee": _span("addressee", self.addressee),
            }
        if not self.deliverables:
            return mark_safe(who)
        what = _(", ").join(_delivered(d["name"], d["dues"]) for d in self.deliverables)
        return mark_safe(_("%(asked)s: %(what)s") % {"asked": who, "what": what})


def _span(kind: str, text: str) -> str:
    return format_html('<span class="{}">{}</span>', kind, text)


def _delivered(name: str, dues: list[str]) -> str:
    """ "a report (due General Assembly, 81st session; Human Rights Council, 62nd session)"."""
    if not dues:
        return _span("deliverable", name)
    when = _span("due", _("; ").join(dues))
    return _("%(deliverable)s (due %(when)s)") % {"deliverable": _span("deliverable", name), "when": when}


@dataclass
class PageMandates:
    """The mandates of a page's paragraphs, read once (one query, and one for the names the
    tables lack): beside each paragraph, and "What this resolution asks"."""

    rows: list[Mandate]
    names: dict[str, str]

    @classmethod
    def of(cls, paragraph_ids) -> PageMandates:
        rows = list(
            Mandate.objects.filter(paragraph_id__in=list(paragraph_ids))
            .select_related("first_given__version__resolution")
            .order_by("paragraph_id", "order")
        )
        return cls(rows, addressee_names({m.addressee for m in rows if m.addressee}))


def paragraph_mandates(page: PageMandates) -> dict[int, list[Asked]]:
    """The mandates of the page's paragraphs, grouped by paragraph, action and addressee."""
    rows, names = page.rows, page.names
    found: dict[int, dict[tuple, Asked]] = defaultdict(dict)
    for m in rows:
        asked = found[m.paragraph_id].setdefault(
            (m.action, m.addressee), Asked(action_label(m.action), names.get(m.addressee, ""))
        )
        if m.deliverable:
            item = next((d for d in asked.deliverables if d["key"] == m.deliverable), None)
            if item is None:
                item = {"key": m.deliverable, "name": deliverable_label(m.deliverable), "dues": []}
                asked.deliverables.append(item)
            if m.due and due_label(m.due) not in item["dues"]:
                item["dues"].append(due_label(m.due))
        if m.first_given_id and (asked.first_given is None or m.given_before > asked.given_before):
            asked.first_given, asked.given_before = m.first_given, m.given_before
    return {pk: list(by.values()) for pk, by in found.items()}


def history(asked: Asked) -> dict | None:
    """Where a mandate was first given ("document", "label", "year", "url") and in how many
    resolutions before ("before")."""
    first = given_in(asked.first_given)
    return first | {"before": asked.given_before} if first else None


def given_in(first: Paragraph | None, base_url: str = "") -> dict | None:
    """The paragraph a mandate was first given in: its document, label, year and link."""
    if first is None:
        return None
    resolution = first.version.resolution
    return {
        "document": str(resolution),
        "label": first.label_in(first.version.language),
        "year": resolution.year(),
        "url": f"{base_url}{resolution.get_absolute_url()}?lang={first.version.language}#{first.anchor}",
    }


# --- "What this resolution asks" ----------------------------------------------------------


def resolution_asks(paragraphs: list[Paragraph], page: PageMandates) -> list[dict]:
    """Each addressee of a text's paragraphs, with what is due from it and when, and the
    other things asked of it, each with the paragraphs that ask it; addressees with
    something to deliver first, then by how many paragraphs ask them something."""
    by_pk = {p.pk: p for p in paragraphs}
    rows = [m for m in page.rows if m.addressee and m.paragraph_id in by_pk]
    rows.sort(key=lambda m: (by_pk[m.paragraph_id].order, m.order))
    names = page.names
    groups: dict[str, dict] = {}
    for m in rows:
        group = groups.setdefault(
            m.addressee, {"name": names[m.addressee], "due": {}, "asked": {}, "paragraphs": set()}
        )
        paragraph = by_pk[m.paragraph_id]
        group["paragraphs"].add(m.paragraph_id)
        if m.deliverable:
            key = (deliverable_label(m.deliverable), (due_label(m.due),) if m.due else ())
            _add_anchor(group["due"].setdefault(key, []), paragraph)
        else:
            _add_anchor(group["asked"].setdefault(action_label(m.action), []), paragraph)
    ordered = sorted(groups.values(), key=lambda g: (not g["due"], -len(g["paragraphs"])))
    return [
        {
            "name": g["name"],
            "due": [
                {"html": mark_safe(_delivered(d, w)), "paragraphs": ps} for d, w, ps in _merged(g["due"])
            ],
            "asked": [{"action": a, "paragraphs": ps} for a, ps in g["asked"].items()],
        }
        for g in ordered
    ]


def _merged(due: dict[tuple, list]) -> list[tuple[str, list[str], list]]:
    """One entry for a deliverable the same paragraphs ask for at several dates ("a report
    (due General Assembly, 81st session; Human Rights Council, 62nd session) (OP 69)")."""
    merged: dict[tuple, list[str]] = {}
    for (deliverable, dues), anchors in due.items():
        key = (deliverable, tuple(a["anchor"] for a in anchors))
        merged.setdefault(key, []).extend(d for d in dues if d not in merged.get(key, []))
    paragraphs = {(d, tuple(a["anchor"] for a in ps)): ps for (d, _w), ps in due.items()}
    return [
        (deliverable, dues, paragraphs[(deliverable, key)]) for (deliverable, key), dues in merged.items()
    ]


def _add_anchor(anchors: list, paragraph: Paragraph) -> None:
    """Add a paragraph to those that ask something; a sub-paragraph whose paragraph asks it
    already is in it ("OP 3" for "OP 3 (a)" … "(i)")."""
    entry = {"anchor": paragraph.anchor, "label": paragraph.label_in(paragraph.version.language)}
    within = paragraph.level and any(paragraph.anchor.startswith(a["anchor"]) for a in anchors)
    if entry not in anchors and not within:
        anchors.append(entry)


# --- due at a session -------------------------------------------------------------------


def session_in_range(value) -> int | None:
    """A session's number as asked for ("81", "81st"), or None when it is none."""
    text = str(value or "").strip().lower()
    for suffix in ("st", "nd", "rd", "th"):
        text = text.removesuffix(suffix)
    if not text.isdigit() or len(text) > 3:
        return None
    number = int(text)
    return number if FIRST_SESSION <= number <= LAST_SESSION else None


def due_sessions() -> list[dict]:
    """The sessions of the General Assembly something is due at, latest first, with counts."""
    rows = (
        Mandate.objects.filter(
            due_body=GENERAL_ASSEMBLY_KEY,
            deliverable__in=DUE_DELIVERABLES,
            paragraph__version__resolution__doc_type=RESOLUTION,
        )
        .values_list("due_session", "paragraph__version__resolution_id")
        .distinct()
    )
    counts: dict[int, set] = defaultdict(set)
    for session, resolution in rows:
        counts[session].add(resolution)
    return [
        {"session": s, "label": session_label(str(s)), "resolutions": len(counts[s])}
        for s in sorted(counts, reverse=True)
    ]


def due_at(session: int, language: str | None = None) -> dict:
    """Every report, oral update and agenda item adopted resolutions ask for the General
    Assembly's `session`, grouped by addressee (the most asked first), each with its
    resolution, paragraph, the clause that asks it and where it was first given. One
    language version a resolution: the interface's when it has one."""
    language = language or interface_language()
    rows = list(
        Mandate.objects.filter(
            due_body=GENERAL_ASSEMBLY_KEY,
            due_session=session,
            deliverable__in=DUE_DELIVERABLES,
            paragraph__version__resolution__doc_type=RESOLUTION,
        )
        .select_related("paragraph__version__resolution", "first_given__version__resolution")
        .order_by("paragraph__version__resolution__key", "paragraph__order", "order")[: DUE_LISTED * 2]
    )
    languages: dict[int, set[str]] = defaultdict(set)
    for m in rows:
        languages[m.paragraph.version.resolution_id].add(m.paragraph.version.language)
    chosen = [
        m
        for m in rows
        if _shown_language(languages[m.paragraph.version.resolution_id], language)
        == m.paragraph.version.language
    ]
    truncated = len(chosen) > DUE_LISTED
    chosen = chosen[:DUE_LISTED]
    names = addressee_names({m.addressee or "" for m in chosen})
    groups: dict[str, dict] = {}
    for m in chosen:
        key = m.addressee or ""
        group = groups.setdefault(key, {"key": key, "name": names.get(key) or _("No one named"), "items": []})
        item = _due_item(m)
        if item not in group["items"]:
            group["items"].append(item)
    ordered = sorted(groups.values(), key=lambda g: (-len(g["items"]), g["name"]))
    resolutions = {i["document_key"] for g in ordered for i in g["items"]}
    return {
        "session": session,
        "label": session_label(str(session)),
        "groups": ordered,
        "items": sum(len(g["items"]) for g in ordered),
        "resolutions": len(resolutions),
        "truncated": truncated,
    }


def _shown_language(available: set[str], wanted: str) -> str:
    return wanted if wanted in available else sorted(available)[0]


def quoted(text: str, start: int, end: int) -> str:
    """The clause that asks (text[start:end]), at most CLAUSE_CHARS long, "…" where it is
    cut from the paragraph: "…decides to include in the provisional agenda …"."""
    clause = text[start:end].strip()
    cut = clause.rstrip(" ,;:，；、").removesuffix(" and").removesuffix("并").rstrip(" ,;:，；")
    if not cut:
        return text[:CLAUSE_CHARS]
    if len(cut) > CLAUSE_CHARS:
        cut = cut[:CLAUSE_CHARS].rstrip()
    before = "…" if start > 0 else ""
    rest = text[start:].strip().rstrip(" ,;:.，；。")
    after = "…" if len(cut) < len(rest) else ""
    return f"{before}{cut}{after}"


def _due_item(m: Mandate) -> dict:
    paragraph = m.paragraph
    text = paragraph.version
    resolution = text.resolution
    clause = quoted(paragraph.text, m.start, m.end)
    first = given_in(m.first_given)
    return {
        "document": str(resolution),
        "document_key": resolution.key,
        "title": text.title,
        "label": paragraph.label_in(text.language),
        "anchor": paragraph.anchor,
        "language": text.language,
        "url": f"{resolution.get_absolute_url()}?lang={text.language}#{paragraph.anchor}",
        "action": action_label(m.action),
        "deliverable": deliverable_label(m.deliverable),
        "deliverable_key": m.deliverable,
        "clause": clause,
        "first_given": first["document"] if first else "",
        "first_given_url": first["url"] if first else "",
        "given_before": m.given_before,
    }


def text_asks(text, base_url: str) -> list[dict]:
    """What each operative paragraph of a language version asks, in order, as the API
    gives it: one query."""
    rows = (
        Mandate.objects.filter(paragraph__version=text)
        .select_related("paragraph", "first_given__version__resolution")
        .order_by("paragraph__order", "order")
    )
    rows = list(rows)
    names = addressee_names({m.addressee for m in rows if m.addressee})
    resolution_url = text.resolution.get_absolute_url()
    return [
        {
            "anchor": m.paragraph.anchor,
            "label": m.paragraph.label_in(text.language),
            "url": f"{base_url}{resolution_url}?lang={text.language}#{m.paragraph.anchor}",
            "action": m.action,
            "strength": m.strength,
            "addressee": m.addressee or None,
            "addressee_name": names.get(m.addressee) if m.addressee else None,
            "deliverable": m.deliverable or None,
            "due": m.due or None,
            "due_label": due_label(m.due) if m.due else None,
            "clause": quoted(m.paragraph.text, m.start, m.end),
            "first_given": given_in(m.first_given, base_url),
            "given_before": m.given_before,
        }
        for m in rows
    ]
