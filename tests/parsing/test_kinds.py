"""Every kind of document of a session: drafts without a sponsor line (the Sixth Committee's,
the Chair's, the President's), draft decisions, notes, and the plenary's amendments.

The PDFs are the official ones of corpus/ods/, unchanged; what is expected was read from
their first pages (the heading lines quoted below) and from their paragraph numbers.
"""

from conftest import parse_ods_pdf as parse_pdf

from search.parsing import parse_document


def top_level(doc, kind):
    return [p for p in doc.paragraphs if p.kind == kind and p.level == 0]


def test_it_reads_a_sixth_committee_draft_without_a_sponsor_line():
    # "Agenda item 80 / Report of the International Law Commission on the work of its
    # seventy-sixth session / Draft resolution / Report of the International Law …"
    doc = parse_pdf("A_C.6_80_L.21.pdf")
    assert (doc.doc_type, doc.symbol, doc.sponsors, doc.committee) == (
        "draft_resolution",
        "A/C.6/80/L.21",
        [],
        "C6",
    )
    assert doc.title == "Report of the International Law Commission on the work of its seventy-sixth session"
    assert len(top_level(doc, "operative")) == 49
    assert len(doc.footnotes) == 8 and not any("not referenced" in w for w in doc.warnings)


# A Sixth Committee draft without a sponsor line on an agenda item that names a committee's
# report: the heading "Draft resolution" makes it a draft, not that report.
CHARTER = "Report of the Special Committee on the Charter of the United Nations and on the Strengthening"
SIXTH_COMMITTEE_DRAFT = f"""A/C.6/80/L.99
Distr.: Limited
Eightieth session
Sixth Committee
Agenda item 83
{CHARTER}
of the Role of the Organization
Draft resolution
{CHARTER} of the Role of the Organization
The General Assembly,
Recalling its resolution 3499 (XXX) of 15 December 1975,⟦1⟧
1. Takes note of the report of the Special Committee;
2. Decides to include in the provisional agenda of its eighty-first session the item.
⟦1⟧ See resolution 3499 (XXX).
"""


def test_a_draft_heading_without_sponsors_is_no_report_whatever_its_agenda_item_says():
    doc = parse_document(SIXTH_COMMITTEE_DRAFT, "en", "markdown")
    assert (doc.doc_type, doc.symbol, doc.sponsors) == ("draft_resolution", "A/C.6/80/L.99", [])
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1", "op2"]
    assert doc.paragraphs[0].footnotes == [1] and doc.warnings == []


def test_it_reads_a_draft_the_vice_chair_submits_and_the_draft_it_replaces():
    # "Draft resolution submitted by the Vice-Chair of the Committee, Jenni Mikkola
    # (Finland), on the basis of informal consultations on draft resolution A/C.2/80/L.5"
    doc = parse_pdf("A_C.2_80_L.48.pdf")
    assert (doc.doc_type, doc.symbol, doc.sponsors) == ("draft_resolution", "A/C.2/80/L.48", [])
    assert doc.title == "Follow-up to the Fifth United Nations Conference on the Least Developed Countries"
    assert "A/C.2/80/L.5" in doc.references


def test_it_reads_the_title_under_draft_resolutions_the_chair_submits_in_parts():
    # "Draft resolutions submitted by the Chair of the Committee following / informal
    # consultations / Programme budget for 2026 / A / Budget appropriations for 2026"
    doc = parse_pdf("A_C.5_80_L.6.pdf")
    assert (doc.doc_type, doc.symbol, doc.title) == (
        "draft_resolution",
        "A/C.5/80/L.6",
        "Programme budget for 2026",
    )


def test_it_reads_a_plenary_draft_whose_sponsors_carry_a_note():
    # "Djibouti, Jordan, Mauritania, Qatar, Senegal and State of Palestine:* / draft
    # resolution / Peaceful settlement of the question of Palestine"
    doc = parse_pdf("A_80_L.16.pdf")
    assert doc.doc_type == "draft_resolution"
    assert doc.sponsors == ["Djibouti", "Jordan", "Mauritania", "Qatar", "Senegal", "State of Palestine"]
    assert doc.title == "Peaceful settlement of the question of Palestine"


def test_it_reads_a_draft_decision_with_notes_on_its_sponsors():
    # "France, Guinea, Indonesia, Ireland, Qatar, Saudi Arabia and State of Palestine:**
    # draft decision": one paragraph, "(a)" and "(b)" under it.
    doc = parse_pdf("A_80_L.1.pdf")
    assert (doc.doc_type, doc.symbol, len(doc.sponsors)) == ("draft_decision", "A/80/L.1", 7)
    assert [p.anchor for p in doc.paragraphs] == ["para1", "para1a", "para1b"]
    assert doc.paragraphs[1].footnotes == [1]


def test_it_reads_a_plenary_amendment_instruction_by_instruction():
    # "Ukraine:* amendment to draft resolution A/80/L.3": eight numbered instructions.
    doc = parse_pdf("A_80_L.28.pdf")
    assert (doc.doc_type, doc.symbol, doc.sponsors, doc.amends) == (
        "amendment",
        "A/80/L.28",
        ["Ukraine"],
        "A/80/L.3",
    )
    assert doc.title == "Persistent legacy of the Chernobyl disaster"
    assert len(doc.paragraphs) == 8
    assert doc.paragraphs[0].text.startswith("Replace “Chernobyl” with “Chornobyl” in the title")
    # The preambular paragraph it inserts stays with its instruction.
    assert doc.paragraphs[2].text.startswith("After the fifth preambular paragraph, insert")
    assert "\nStressing that the fortieth anniversary of the Chornobyl disaster" in doc.paragraphs[2].text


def test_it_reads_a_plenary_amendment_of_one_unnumbered_instruction():
    # "Brazil:* amendment to draft resolution A/80/L.22 / Oceans and the law of the sea /
    # Replace operative paragraph 200 with the following text: …"
    doc = parse_pdf("A_80_L.29.pdf")
    assert (doc.doc_type, doc.symbol, doc.sponsors, doc.amends) == (
        "amendment",
        "A/80/L.29",
        ["Brazil"],
        "A/80/L.22",
    )
    assert [p.anchor for p in doc.paragraphs] == ["para1"]
    assert doc.paragraphs[0].text.startswith("Replace operative paragraph 200 with the following text:")


def test_it_reads_an_amendment_to_a_draft_a_committee_recommends_in_its_report():
    # "… Spain and Sweden:* amendment to draft resolution 4 recommended by the Second
    # Committee in its report contained in document A/80/555": the report holds the draft.
    doc = parse_pdf("A_80_L.38.pdf")
    assert (doc.doc_type, doc.symbol, doc.amends, len(doc.sponsors)) == (
        "amendment",
        "A/80/L.38",
        "A/80/555",
        28,
    )
    assert doc.sponsors[0] == "Austria" and doc.sponsors[-1] == "Sweden"
    assert doc.title == "International trade and development"


def test_it_reads_a_note_by_the_chair():
    # "Special Political and Decolonization Committee (Fourth Committee) / Organization of
    # work / Note by the Chair / 1. The agenda items allocated …"
    doc = parse_pdf("A_C.4_80_L.1.pdf")
    assert (doc.doc_type, doc.symbol, doc.title) == ("note", "A/C.4/80/L.1", "Organization of work")
    assert doc.paragraphs[0].anchor == "para1"
    assert doc.paragraphs[0].text.startswith("The agenda items allocated by the General Assembly")
