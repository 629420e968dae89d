"""What a document's page and the API show of its proceedings: how it was adopted, its
main sponsors, the timeline from sponsorship to adoption with every document here
linked, and the separate votes beside the paragraphs they concerned.

Only what the import stored as fact is shown: a stage whose vote the data contradict
has none (search.ingest.proceedings). Dates and counts are written the interface
language's way: "15 December 2025", "by a recorded vote of 119 to 51, with 10
abstentions"; 2025年12月15日, 以119票赞成、51票反对、10票弃权.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from search.engine.state_names import sponsor_name
from search.models import (
    COMMITTEE_NAMES,
    Proposal,
    Resolution,
    Stage,
    interface_language,
    last_draft,
    last_stage,
)
from search.parsing import (
    ADOPTED,
    NOT_ADOPTED,
    PLENARY,
    RECORDED,
    WITHOUT_VOTE,
    official_url,
)
from search.parsing import COMMITTEE_STAGE as COMMITTEE

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def proceedings_of(resolution: Resolution) -> dict | None:
    """The proceedings of the proposal a document belongs to, or None when none names it."""
    proposal = (
        Proposal.objects.filter(stages__document=resolution)
        .prefetch_related("stages__separate_votes", "stages__document")
        .order_by("pk")
        .first()
    )
    if proposal is None:
        return None
    stages = list(proposal.stages.all())
    language = interface_language()
    plenary = last_stage(stages, PLENARY)
    committee = last_stage(stages, COMMITTEE)
    texts = committee_texts(stages, plenary)
    return {
        "adoption": adoption_sentence(plenary, committee, proposal),
        "sponsors": [sponsor_name(name, language) for name in proposal.sponsors],
        "agenda_item": proposal.agenda_item,
        "body": proposal.body,
        "timeline": [timeline_entry(stage, texts) for stage in stages],
        "separate_votes": separate_votes_by_anchor(
            proposal.separate_votes_by_document(stages).get(resolution.pk, [])
        ),
        "stages": stages,
    }


def committee_texts(stages: list[Stage], plenary: Stage | None) -> dict:
    """What a committee's adoption is shown with when its report's draft is not here: the
    last draft the committee had and the resolution it became, each linked when here."""
    documents = {stage.document_id: stage.document for stage in stages if stage.document_id}
    draft = documents.get(last_draft(stages))
    became = plenary.document if plenary is not None else None
    return {
        "draft": _link(draft),
        "became": _link(became) if became is not None and became != draft else None,
    }


def _link(document: Resolution | None) -> dict | None:
    return {"symbol": str(document), "url": document.get_absolute_url()} if document is not None else None


def day(date: datetime.date | None) -> str:
    """ "15 December 2025" (2025年12月15日); "" when the record gives no date."""
    if date is None:
        return ""
    if interface_language() == "zh":
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def meeting_name(stage: Stage) -> str:
    """ "62nd plenary meeting" (第62次全体会议), "44th meeting" (第44次会议); "" when unknown."""
    if stage.meeting is None:
        return ""
    values = {"ordinal": ordinal(stage.meeting), "number": stage.meeting}
    if stage.kind == PLENARY:
        return _("%(ordinal)s plenary meeting") % values
    return _("%(ordinal)s meeting") % values


def has_counts(stage) -> bool:
    return None not in (stage.yes, stage.no, stage.abstain)


def how_voted(stage: Stage) -> str:
    """ "by a recorded vote of 119 to 51, with 10 abstentions", "without a vote", or ""."""
    if stage.voting == RECORDED and has_counts(stage):
        return ngettext(
            "by a recorded vote of %(yes)s to %(no)s, with %(abstain)s abstention",
            "by a recorded vote of %(yes)s to %(no)s, with %(abstain)s abstentions",
            stage.abstain,
        ) % {"yes": stage.yes, "no": stage.no, "abstain": stage.abstain}
    if stage.voting == WITHOUT_VOTE:
        return _("without a vote")
    return ""


def adoption_sentence(plenary: Stage | None, committee: Stage | None, proposal: Proposal) -> str:
    """How the proposal was adopted (or not) in plenary, then in its committee; "" when
    the record says neither."""
    parts = [part for part in (_plenary_part(plenary), _committee_part(committee, proposal)) if part]
    if not parts:
        return ""
    return _("%(sentence)s.") % {"sentence": pgettext("between parts of a sentence", "; ").join(parts)}


def _plenary_part(stage: Stage | None) -> str:
    if stage is None or stage.outcome not in (ADOPTED, NOT_ADOPTED):
        return ""
    values = {"occasion": _plenary_occasion(stage), "how": how_voted(stage)}
    if stage.outcome == NOT_ADOPTED:
        return _sentence_part(_("Not adopted %(occasion)s %(how)s") % values)
    return _sentence_part(_("Adopted %(occasion)s %(how)s") % values)


def _plenary_occasion(stage: Stage) -> str:
    """ "on 15 December 2025 at the 62nd plenary meeting", or what of it is recorded."""
    values = {"date": day(stage.date), "meeting": meeting_name(stage)}
    if stage.date and stage.meeting is not None:
        return pgettext("in plenary", "on %(date)s at the %(meeting)s") % values
    if stage.date:
        return pgettext("in plenary", "on %(date)s") % values
    if stage.meeting is not None:
        return pgettext("in plenary", "at the %(meeting)s") % values
    return ""


def _committee_part(stage: Stage | None, proposal: Proposal) -> str:
    if stage is None or stage.outcome not in (ADOPTED, NOT_ADOPTED):
        return ""
    values = {
        "committee": _committee(proposal),
        "occasion": _committee_occasion(stage),
        "yes": stage.yes,
        "no": stage.no,
        "abstain": stage.abstain,
    }
    if stage.voting == RECORDED and has_counts(stage):
        return _sentence_part(_("in the %(committee)s %(yes)s–%(no)s–%(abstain)s %(occasion)s") % values)
    if stage.voting == WITHOUT_VOTE:
        return _sentence_part(_("in the %(committee)s without a vote %(occasion)s") % values)
    return ""


def _committee_occasion(stage: Stage) -> str:
    """ "on 14 November 2025 (44th meeting)", or what of it is recorded."""
    values = {"date": day(stage.date), "meeting": meeting_name(stage)}
    if stage.date and stage.meeting is not None:
        return pgettext("in a committee", "on %(date)s (%(meeting)s)") % values
    if stage.date:
        return pgettext("in a committee", "on %(date)s") % values
    if stage.meeting is not None:
        return pgettext("in a committee", "(%(meeting)s)") % values
    return ""


def _sentence_part(text: str) -> str:
    """A part of the adoption sentence without the spaces a part left unsaid leaves."""
    return re.sub(r"\s+", " ", text).strip()


def _committee(proposal: Proposal) -> str:
    return str(COMMITTEE_NAMES.get(proposal.committee, proposal.body))


STAGE_NAMES = {
    "Sponsorship": lambda: _("Sponsorship"),
    "Submission": lambda: _("Submission"),
    "Draft": lambda: _("Submission"),
    "Revision": lambda: _("Revision"),
    "Revision 2": lambda: _("Second revision"),
    "Oral revision": lambda: _("Oral revision"),
    "Correction": lambda: _("Correction"),
    "Amendment": lambda: _("Amendment"),
    "Adoption by Main Committee": lambda: _("Adoption by the Main Committee"),
    "Adoption": lambda: _("Adoption by the General Assembly"),
}


def timeline_entry(stage: Stage, texts: dict | None = None) -> dict:
    """One stage: its date, name, document (linked here, else to undocs.org), meeting and
    vote; a committee's adoption whose report's draft is not here, the draft it adopted
    and the resolution that draft became, when here (`committee_texts`)."""
    document = stage.document
    name = STAGE_NAMES.get(stage.name)
    own_draft = document is not None and document.contained_in_id is not None
    texts = texts if stage.kind == COMMITTEE and not own_draft else {}
    return {
        "date": stage.date,
        "day": day(stage.date) or _("date not recorded"),
        "name": name() if name else stage.name,
        "symbol": _shown_symbol(stage),
        "url": document.get_absolute_url() if document else "",
        "official_url": "" if document else (official_url(stage.symbol or None, interface_language()) or ""),
        "draft": texts.get("draft"),
        "became": texts.get("became"),
        "meeting": meeting_name(stage),
        "vote": _vote_text(stage),
        "outcome": _outcome(stage.outcome),
        "separate_votes": [separate_vote_text(v, stage) for v in stage.separate_votes.all()],
    }


def _shown_symbol(stage: Stage) -> str:
    if stage.draft_number:
        kind = _("draft resolution") if stage.published_as.upper().find("DD") < 0 else _("draft decision")
        return _("%(report)s, %(kind)s %(number)s") % {
            "report": stage.symbol,
            "kind": kind,
            "number": stage.draft_number,
        }
    return " ".join(part for part in (stage.symbol or stage.published_as, stage.part) if part)


def _vote_text(stage: Stage) -> str:
    if stage.voting == RECORDED and has_counts(stage):
        return _counts(stage)
    return _("without a vote") if stage.voting == WITHOUT_VOTE else ""


def _counts(vote) -> str:
    return ngettext(
        "%(yes)s in favour, %(no)s against, %(abstain)s abstention",
        "%(yes)s in favour, %(no)s against, %(abstain)s abstentions",
        vote.abstain,
    ) % {"yes": vote.yes, "no": vote.no, "abstain": vote.abstain}


def _outcome(outcome: str) -> str:
    return {
        ADOPTED: _("adopted"),
        NOT_ADOPTED: _("not adopted"),
        "WITHDRAWN": _("withdrawn"),
    }.get(outcome, "")


def separate_vote_text(vote, stage: Stage) -> str:
    """ "Separate vote in plenary on 15 December 2025: retained, 64 in favour, 42 against, 54 abstentions"."""
    if not has_counts(vote):
        return ""
    kept = {ADOPTED: _("retained"), NOT_ADOPTED: _("deleted")}.get(vote.outcome, "")
    where = _("in plenary") if stage.kind == PLENARY else _("in the Main Committee")
    values = {"where": where, "date": day(stage.date), "counts": _counts(vote), "outcome": kept}
    if not kept:
        return _("Separate vote %(where)s on %(date)s: %(counts)s") % values
    return _("Separate vote %(where)s on %(date)s: %(outcome)s, %(counts)s") % values


def separate_votes_by_anchor(placed: list[tuple]) -> dict[str, list[str]]:
    """The separate votes beside the paragraphs of a document: those it was put to
    (Proposal.separate_votes_by_document), as (stage, vote)."""
    shown: dict[str, list[str]] = {}
    for stage, vote in placed:
        text = separate_vote_text(vote, stage)
        for anchor in vote.anchors if text else []:
            shown.setdefault(anchor, []).append(text)
    return shown


def api_data(found: dict | None) -> dict | None:
    """The same facts for the API, without the page's links' markup."""
    if found is None:
        return None
    return {
        "adoption": found["adoption"],
        "sponsors": found["sponsors"],
        "agenda_item": found["agenda_item"],
        "timeline": [
            {k: (v.isoformat() if k == "date" and v else v) for k, v in entry.items()}
            for entry in found["timeline"]
        ],
        "separate_votes": found["separate_votes"],
        "stages": [_api_stage(stage) for stage in found["stages"]],
    }


def _api_stage(stage: Stage) -> dict:
    return {
        "name": stage.name,
        "date": stage.date.isoformat() if stage.date else None,
        "meeting": stage.meeting,
        "symbol": stage.symbol,
        "published_as": stage.published_as,
        "document": stage.document.key if stage.document else None,
        "voting": stage.voting or None,
        "yes": stage.yes,
        "no": stage.no,
        "abstain": stage.abstain,
        "outcome": stage.outcome or None,
        "separate_votes": [
            {"anchors": v.anchors, "yes": v.yes, "no": v.no, "abstain": v.abstain, "outcome": v.outcome}
            for v in stage.separate_votes.all()
        ],
    }
