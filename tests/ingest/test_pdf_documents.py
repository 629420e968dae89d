"""Official UN PDFs checked by hand, paragraph by paragraph, against what the parser reads.

Each file in corpus/ods/ is the PDF the UN's document system distributes, unchanged. The
counts were taken from the pages themselves: preambular paragraphs (PP), operative
paragraphs (OP), sub-paragraphs (sub), footnotes.
"""

from conftest import parse_ods_pdf as parse_pdf


def counts(doc):
    return (
        sum(1 for p in doc.paragraphs if p.kind == "preambular"),
        sum(1 for p in doc.paragraphs if p.kind == "operative" and p.level == 0),
        sum(1 for p in doc.paragraphs if p.kind == "operative" and p.level > 0),
        len(doc.footnotes),
    )


def paragraph(doc, anchor):
    return next(p for p in doc.paragraphs if p.anchor == anchor)


def test_it_reads_a_sixth_committee_resolution_by_hand_count():
    doc = parse_pdf("A_RES_78_107.pdf")
    assert (doc.symbol, doc.doc_type, doc.agenda_item, doc.adopted_on) == (
        "A/RES/78/107",
        "resolution",
        "78",
        "2023-12-07",
    )
    assert doc.title == (
        "United Nations Programme of Assistance in the Teaching, Study, "
        "Dissemination and Wider Appreciation of International Law"
    )
    assert counts(doc) == (14, 30, 4, 5)
    assert [p.anchor for p in doc.paragraphs if p.level == 1] == ["op2a", "op2b", "op2c", "op2d"]
    assert [(p.anchor, p.footnotes) for p in doc.paragraphs if p.footnotes] == [
        ("pp7", [1]),
        ("op1", [2]),
        ("op2", [3]),
        ("op12", [4]),
        ("op28", [5]),
    ]
    # Footnote 2 runs over two lines of symbols; footnote 5 (a list of States) over four.
    assert doc.footnotes[1].text == (
        "A/70/423, A/71/432, A/72/517, A/72/517/Corr.1, A/73/415, A/74/496, A/75/389, A/76/404, "
        "A/77/515 and A/78/514."
    )
    assert doc.footnotes[4].text.endswith("Trinidad and Tobago and United States of America.")
    assert doc.warnings == []


def test_it_reads_a_second_committee_resolution_with_its_footnotes():
    doc = parse_pdf("A_RES_78_149.pdf")
    assert (doc.symbol, doc.agenda_item, doc.adopted_on) == ("A/RES/78/149", "18", "2023-12-19")
    assert (
        doc.title
        == "The pivotal role of reliable and stable energy connectivity in driving sustainable development"
    )
    assert counts(doc)[1:] == (5, 0, 7)
    assert paragraph(doc, "op3").footnotes == [6, 7]
    assert doc.footnotes[2].text == (
        "Report of the United Nations Conference on Environment and Development, Rio de Janeiro, "
        "3-14 June 1992, vol. I, Resolutions Adopted by the Conference (United Nations publication, "
        "Sales No. E.93.I.8 and corrigendum), resolution 1, annex I."
    )


def test_it_leaves_subheadings_and_dividers_out_of_the_preamble_of_a_resolution():
    doc = parse_pdf("A_RES_78_149.pdf")
    assert counts(doc) == (16, 5, 0, 7)
    assert [(p.anchor, p.footnotes) for p in doc.paragraphs if p.footnotes] == [
        ("pp4", [1]),
        ("pp8", [2, 3]),
        ("pp15", [4, 5]),
        ("op3", [6, 7]),
    ]
    assert paragraph(doc, "pp9").text.startswith("Underlining that, without stable, resilient")
    assert paragraph(doc, "pp9").heading == "Countries in special situations"
    assert paragraph(doc, "pp11").heading == "Countries in special situations"
    assert paragraph(doc, "pp12").heading == ""  # after the divider
    assert paragraph(doc, "pp12").text.startswith(
        "Recognizing the important role of energy transportation hubs"
    )


def test_it_reads_a_draft_with_its_sponsors_and_sub_paragraphs_by_hand_count():
    doc = parse_pdf("A_C.3_80_L.28.pdf")
    assert (doc.symbol, doc.doc_type, doc.title) == (
        "A/C.3/80/L.28",
        "draft_resolution",
        "Freedom of religion or belief",
    )
    assert (doc.session, doc.agenda_item) == ("Eightieth session", "71 (b)")
    assert len(doc.sponsors) == 35
    assert doc.sponsors[23] == "Netherlands (Kingdom of the)"
    assert doc.sponsors[-1] == "United Kingdom of Great Britain and Northern Ireland"
    assert counts(doc) == (15, 23, 19, 6)
    assert [p.anchor for p in doc.paragraphs if p.level == 1] == [f"op13{c}" for c in "abcdef"] + [
        f"op14{c}" for c in "abcdefghijklm"
    ]
    assert doc.warnings == []


def test_it_joins_paragraphs_of_a_draft_across_its_page_breaks():
    doc = parse_pdf("A_C.3_80_L.28.pdf")
    # Pages 1 to 2, after the footnotes of page one.
    assert paragraph(doc, "pp5").text == (
        "Noting the conclusions and recommendations of the expert workshops organized by the Office of "
        "the United Nations High Commissioner for Human Rights and contained in the Rabat Plan of Action "
        "on the prohibition of advocacy of national, racial or religious hatred that constitutes incitement "
        "to discrimination, hostility or violence, adopted in Rabat on 5 October 2012,"
    )
    assert paragraph(doc, "pp5").footnotes == [4]
    # Pages 3 to 4, across the page number and the running header.
    assert paragraph(doc, "op10").text == (
        "Expresses concern at the persistence of institutionalized social intolerance and discrimination "
        "practised against many on the grounds of religion or belief, and emphasizes that legal procedures "
        "pertaining to religious or belief-based groups and places of worship are not a prerequisite for "
        "the exercise of the right to manifest one’s religion or belief and that such procedures, when "
        "legally required at the national or local level, should be non-discriminatory in order to "
        "contribute to the effective protection of the right of all persons to practise their religion or "
        "belief, either individually or in community with others and in public or private;"
    )


def test_it_reads_a_fifth_committee_resolution_by_hand_count():
    doc = parse_pdf("A_RES_78_243.pdf")
    assert (doc.symbol, doc.agenda_item, doc.title) == (
        "A/RES/78/243",
        "133",
        "Information and communications technology strategy",
    )
    assert counts(doc) == (3, 14, 5, 5)
    assert [(p.anchor, p.footnotes) for p in doc.paragraphs if p.footnotes] == [
        ("pp2", [1, 2]),
        ("pp3", [3, 4]),
        ("op7d", [5]),
    ]
    # Pages 2 to 3, past the footnote of page two.
    assert paragraph(doc, "op8").text == (
        "Also recalls paragraph 19 of the report of the Advisory Committee, emphasizes that coherence of "
        "information and communications technology deployment throughout the Organization is critical to "
        "deliver mandates and requires stronger and more unified governance, and stresses that the "
        "authority, responsibilities and accountability of the Chief Information Technology Officer and "
        "delegation of authority principles will be fully clarified in the governance framework of the "
        "refined strategy;"
    )


def test_it_keeps_a_resumed_meeting_line_and_a_lettered_decision_apart():
    doc = parse_pdf("A_RES_78_243.pdf")
    assert (
        paragraph(doc, "op14").text
        == "Notes the discussions on terminology held in the Fifth Committee on this question."
    )
    assert doc.adopted_on == "2023-12-22"
    assert paragraph(doc, "pp1").text.endswith("its decision 77/548 B of 18 April 2023,")
    assert doc.warnings == []


def test_it_reads_a_long_resolution_with_annexes_by_hand_count():
    doc = parse_pdf("A_RES_78_128.pdf")
    assert (doc.symbol, doc.adopted_on) == ("A/RES/78/128", "2023-12-18")
    assert doc.title.startswith("2025 United Nations Conference to Support the Implementation of Sustainable")
    pp, op, _, notes = counts(doc)
    assert (pp, op, notes) == (24, 32, 19)
    assert [p.anchor for p in doc.paragraphs if p.kind == "operative" and p.level == 1] == [
        f"op4{c}" for c in "abcdefghij"
    ] + ["op13a", "op13b"]
    # Pages 7 to 8, its mark before the footnote block of page seven.
    assert paragraph(doc, "op29").text == (
        "Invites associate members of the regional commissions to participate in the Conference and the "
        "preparatory meeting, in the same capacity specified for their participation in the global "
        "conferences on the sustainable development of small island developing States held in 1994, "
        "2005 and 2014;"
    )
    assert paragraph(doc, "op29").footnotes == [11]


def test_it_references_the_footnotes_marked_on_annex_headings():
    doc = parse_pdf("A_RES_78_128.pdf")
    assert sorted({n for p in doc.paragraphs for n in p.footnotes}) == list(range(1, 20))


def test_it_reads_a_draft_submitted_by_the_chair_by_hand_count():
    doc = parse_pdf("A_C.3_80_L.7.pdf")
    assert (doc.symbol, doc.session, doc.agenda_item) == ("A/C.3/80/L.7", "Eightieth session", "107")
    assert counts(doc) == (12, 14, 0, 3)
    assert [(p.anchor, p.footnotes) for p in doc.paragraphs if p.footnotes] == [
        ("pp5", [1]),
        ("pp11", [2]),
        ("op5", [3]),
    ]
    # Pages 1 to 2: the quoted item title runs on after the footnote of page one.
    assert paragraph(doc, "pp5").text == (
        "Recalling its resolution 76/181 of 16 December 2021, in which it requested the Commission on "
        "Crime Prevention and Criminal Justice to review the implementation of the Kyoto Declaration "
        "under the standing item on its agenda entitled “Follow-up to the Fourteenth United Nations "
        "Congress on Crime Prevention and Criminal Justice and preparations for the Fifteenth United "
        "Nations Congress on Crime Prevention and Criminal Justice”,"
    )
    assert doc.warnings == []


def test_it_reads_the_title_of_a_draft_submitted_by_the_chair():
    doc = parse_pdf("A_C.3_80_L.7.pdf")
    assert doc.doc_type == "draft_resolution"
    assert doc.title == (
        "Follow-up to the Fourteenth United Nations Congress on Crime Prevention and Criminal Justice "
        "and preparations for the Fifteenth United Nations Congress on Crime Prevention and Criminal Justice"
    )


def test_it_reads_paragraph_numbers_printed_without_their_full_stop():
    # Page 6 of A/C.3/80/L.2 prints "25 Condemns …" and "26 Affirms …" between "24." and "27.".
    doc = parse_pdf("A_C.3_80_L.2.pdf")
    assert paragraph(doc, "op25").text.startswith("Condemns without reservation any denial of")
    assert paragraph(doc, "op26").text.startswith("Affirms its deep commitment to the duty of remembrance")
    assert paragraph(doc, "op26").footnotes == [15]
    assert paragraph(doc, "op24").text.endswith("racially or ethnically “pure” nations;")
    numbers = [int(p.anchor[2:]) for p in doc.paragraphs if p.kind == "operative" and p.level == 0]
    assert numbers == list(range(1, len(numbers) + 1))


def test_it_starts_a_paragraph_whose_number_opens_a_page_at_the_margin():
    # Page 8 of A/C.3/80/L.52 opens with "6. Emphasizes …" at the margin, not indented.
    doc = parse_pdf("A_C.3_80_L.52.pdf")
    assert paragraph(doc, "op5k").text.endswith("of his or her rights under the Convention;")
    assert paragraph(doc, "op6").text == (
        "Emphasizes the importance of protecting persons in vulnerable situations, and in this regard:"
    )
    assert paragraph(doc, "op6a").text.startswith("Expresses its deep concern about the increase")


def test_it_reads_a_footnote_whose_number_is_not_raised():
    # Page 1 of A/RES/78/319: "1 Resolution 66/288, annex." set on the line below the rule.
    doc = parse_pdf("A_RES_78_319.pdf")
    assert (doc.footnotes[0].number, doc.footnotes[0].text) == (1, "Resolution 66/288, annex.")
    assert sorted({n for p in doc.paragraphs for n in p.footnotes}) == [f.number for f in doc.footnotes]
