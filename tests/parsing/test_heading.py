"""The heading of a document read as one line per paragraph (a Word file, a typeset PDF)."""

import time
from pathlib import Path

from search.parsing import parse_document, pdf_layout_text
from search.parsing.heading import AGENDA_ITEM_HEADING, AGENDA_ITEMS

ODS = Path(__file__).resolve().parents[2] / "corpus" / "ods"

DRAFT = """A/C.3/80/L.37/Rev.1
Eightieth session
Third Committee
Agenda item 71 (b)
Albania, Andorra, Austria, Belgium, Bulgaria, Canada, Croatia, Estonia and Finland: revised draft resolution
Rights of the child
The General Assembly,
Recalling its resolution 79/188 of 17 December 2024,
1. Decides to continue its consideration of the question.
"""


def test_it_reads_the_symbol_of_a_draft_from_a_line_of_its_own():
    doc = parse_document(DRAFT, "en", "markdown")
    assert doc.symbol == "A/C.3/80/L.37/Rev.1"


def test_it_ends_the_sponsors_line_before_the_title():
    doc = parse_document(DRAFT, "en", "markdown")
    assert doc.doc_type == "draft_resolution"
    assert doc.title == "Rights of the child"
    assert doc.sponsors[:2] == ["Albania", "Andorra"]


def test_it_takes_a_draft_on_a_committee_report_as_a_draft():
    # As A/C.6/80/L.13 is laid out: the agenda item and the title name a committee's
    # report, the line of sponsors makes it a draft (it was read as a report: no symbol,
    # its paragraphs the report's own).
    text = """A/C.6/80/L.13
Distr.: Limited
14 November 2025
Eightieth session
Sixth Committee
Agenda item 160
Report of the Committee on Relations with the Host Country
Bulgaria, Canada, Costa Rica, Côte d’Ivoire and Cyprus: draft resolution
Report of the Committee on Relations with the Host Country
The General Assembly,
Having considered the report of the Committee on Relations with the Host Country,
1. Endorses the recommendations and conclusions of the Committee;
2. Requests the Secretary-General to remain actively engaged;
"""
    doc = parse_document(text, "en", "markdown")
    assert (doc.doc_type, doc.symbol) == ("draft_resolution", "A/C.6/80/L.13")
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1", "op2"]
    assert doc.sponsors[-1] == "Cyprus"
    chinese = """A/C.6/80/L.13
第八十届会议
第六委员会
议程项目160
东道国关系委员会的报告
保加利亚、加拿大、哥斯达黎加、科特迪瓦和塞浦路斯：决议草案
东道国关系委员会的报告
大会，
审议了东道国关系委员会的报告，
1. 核可委员会的建议和结论；
"""
    doc = parse_document(chinese, "zh", "markdown")
    assert (doc.doc_type, doc.symbol) == ("draft_resolution", "A/C.6/80/L.13")
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1"]


def test_it_takes_a_resolution_on_a_committee_report_as_a_resolution():
    text = """Seventy-eighth session
Agenda item 161
Report of the Committee on Relations with the Host Country
78/116. Report of the Committee on Relations with the Host Country
The General Assembly,
Having considered the report of the Committee on Relations with the Host Country,
1. Endorses the recommendations of the Committee;
"""
    doc = parse_document(text, "en", "markdown")
    assert (doc.doc_type, doc.symbol) == ("resolution", "A/RES/78/116")
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1"]


def test_it_reads_a_report_cited_in_a_preambular_paragraph_as_no_report():
    text = """A/C.3/80/L.23
Report of the United Nations High Commissioner for Refugees
The General Assembly,
Having considered the report of the Executive Committee of the Programme of the High Commissioner,
1. Welcomes the work of the Office;
"""
    doc = parse_document(text, "en", "markdown")
    assert (doc.doc_type, doc.symbol) == ("resolution", "A/C.3/80/L.23")
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1"]


def test_it_takes_the_organ_that_adopted_a_resolution_not_the_one_its_agenda_item_names():
    text = """Seventy-eighth session
Agenda item 9
Report of the Economic and Social Council
Resolution adopted by the General Assembly on 18 December 2023
78/125. Graduation of Bhutan from the least developed country category
The General Assembly,
Recalling its resolution 59/209 of 20 December 2004,
1. Takes note of the graduation of Bhutan;
"""
    doc = parse_document(text, "en", "markdown")
    assert (doc.body, doc.symbol) == ("GA", "A/RES/78/125")


RESOLUTION = """United Nations
A/RES/80/101
General Assembly
Distr.: General
19 December 2025
Eightieth session
Agenda item 71 (b)
Promotion and protection of human rights: human rights questions
Resolution adopted by the General Assembly on 15 December 2025
[on the report of the Third Committee (A/80/459/Add.2, para. 64)]
80/101. Right to food
The General Assembly,
Recalling its resolution 79/200 of 17 December 2024,
1. Decides to continue its consideration of the question.
"""


def test_it_reads_the_distribution_and_the_date_under_it():
    doc = parse_document(RESOLUTION, "en", "markdown")
    assert (doc.distribution, doc.issued_on, doc.adopted_on) == ("General", "2025-12-19", "2025-12-15")


def test_it_reads_the_title_of_the_agenda_item_up_to_the_adoption_line():
    doc = parse_document(RESOLUTION, "en", "markdown")
    assert (doc.agenda_item, doc.agenda_item_title) == (
        "71 (b)",
        "Promotion and protection of human rights: human rights questions",
    )
    assert doc.title == "Right to food"


def test_it_reads_the_main_committee_and_its_report():
    doc = parse_document(RESOLUTION, "en", "markdown")
    assert (doc.committee, doc.committee_report) == ("C3", "A/80/459/Add.2")


def test_it_reads_a_resolution_without_reference_to_a_main_committee_as_plenary():
    text = RESOLUTION.replace(
        "[on the report of the Third Committee (A/80/459/Add.2, para. 64)]",
        "[without reference to a Main Committee (A/80/L.12 and Add.1)]",
    )
    doc = parse_document(text, "en", "markdown")
    assert (doc.committee, doc.committee_report) == ("plenary", "")


def test_it_reads_the_committee_of_a_chinese_resolution_in_the_same_form():
    text = """A/RES/80/101
大会
Distr.: General
19 December 2025
第八十届会议
议程项目 71(b)
促进和保护人权：人权问题
2025 年 12 月 15 日大会决议
[根据第三委员会的报告(A/80/459/Add.2，第 64 段)通过]
80/101. 食物权
大会，
回顾其 2024 年 12 月 17 日第 79/200 号决议，
1. 决定继续审议这一问题。
"""
    doc = parse_document(text, "zh", "markdown")
    assert (doc.committee, doc.committee_report) == ("C3", "A/80/459/Add.2")
    assert (doc.distribution, doc.issued_on, doc.agenda_item_title) == (
        "General",
        "2025-12-19",
        "促进和保护人权：人权问题",
    )


def test_it_takes_the_committee_of_a_draft_from_its_symbol():
    doc = parse_document(DRAFT, "en", "markdown")
    assert (doc.committee, doc.committee_report) == ("C3", "")
    assert doc.agenda_item_title == ""  # the sponsors follow the agenda item directly


def test_it_keeps_and_inside_a_sponsor_s_name():
    text = DRAFT.replace(
        "Albania, Andorra, Austria, Belgium, Bulgaria, Canada, Croatia, Estonia and Finland",
        "Bosnia and Herzegovina, Spain, Ukraine and United Kingdom of Great Britain and Northern Ireland",
    )
    doc = parse_document(text, "en", "markdown")
    assert doc.sponsors == [
        "Bosnia and Herzegovina",
        "Spain",
        "Ukraine",
        "United Kingdom of Great Britain and Northern Ireland",
    ]


def test_it_splits_the_last_sponsor_at_the_last_and_only():
    text = DRAFT.replace(
        "Albania, Andorra, Austria, Belgium, Bulgaria, Canada, Croatia, Estonia and Finland",
        "Spain, Trinidad and Tobago, and Uruguay",
    )
    assert parse_document(text, "en", "markdown").sponsors == ["Spain", "Trinidad and Tobago", "Uruguay"]
    zh = "A/C.3/80/L.9\n西班牙、乌克兰和特立尼达和多巴哥：决议草案\n食物权\n大会，\n1. 决定继续审议。\n"
    assert parse_document(zh, "zh", "markdown").sponsors == ["西班牙", "乌克兰", "特立尼达和多巴哥"]


ECOSOC = """2025/20. Follow-up to the Congress on Crime Prevention
The Economic and Social Council,
Recalling its resolution 2024/12 of 26 July 2024,
1. Welcomes the report of the Secretary-General;¹
2. Recommends to the General Assembly the adoption of the following draft resolution:
“The General Assembly,
“Recalling its resolution 79/184 of 17 December 2024,²
“1. Decides to convene the Congress in 2026;
“2. Requests the Secretary-General to report to it at its eighty-first session.”
3. Requests the Secretary-General to report to the Council.
30 July 2025
20th plenary meeting
¹ E/2025/30.
² A/79/458.
"""


def test_it_reads_a_draft_an_ecosoc_resolution_recommends_as_a_resolution_it_contains():
    doc = parse_document(ECOSOC, "en", "markdown")
    assert (doc.symbol, doc.body, doc.adopted_on) == ("E/RES/2025/20", "ECOSOC", "2025-07-30")
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1", "op2", "op3"]
    assert doc.paragraphs[-1].text == "Requests the Secretary-General to report to the Council."
    [draft] = doc.resolutions
    assert (draft.doc_type, draft.body) == ("draft_resolution", "GA")
    assert [(p.anchor, p.text) for p in draft.paragraphs] == [
        ("pp1", "Recalling its resolution 79/184 of 17 December 2024,"),
        ("op1", "Decides to convene the Congress in 2026;"),
        ("op2", "Requests the Secretary-General to report to it at its eighty-first session."),
    ]
    # Footnote marks run through both; each keeps the footnotes it refers to.
    assert ([f.number for f in doc.footnotes], [f.number for f in draft.footnotes]) == ([1], [2])
    assert draft.paragraphs[0].footnotes == [2]
    assert doc.warnings == []


def test_it_reads_a_recommended_draft_in_chinese():
    text = """经济及社会理事会，
回顾其以往各项决议，
建议大会通过下列决议草案：
“大会，
“回顾其以往各项决议，
“1. 决定继续审议这一问题。”
2025 年 7 月 30 日
第 20 次全体会议
"""
    doc = parse_document(text, "zh", "markdown")
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1"]
    assert [(p.anchor, p.text) for p in doc.resolutions[0].paragraphs] == [
        ("pp1", "回顾其以往各项决议，"),
        ("op1", "决定继续审议这一问题。"),
    ]


def parse_pdf(name):
    return parse_document(pdf_layout_text((ODS / name).read_bytes()), "en", "markdown")


def test_it_reads_the_heading_of_an_official_resolution():
    doc = parse_pdf("A_RES_78_140.pdf")
    assert (doc.symbol, doc.session, doc.agenda_item) == ("A/RES/78/140", "Seventy-eighth session", "16 (f)")
    assert doc.agenda_item_title == (
        "Macroeconomic policy questions: promotion of international cooperation to combat illicit "
        "financial flows and strengthen good practices on assets return to foster sustainable development"
    )
    # "[on the report of the Second Committee (A/78/459/Add.6, para. 7)]"
    assert (doc.committee, doc.committee_report, doc.adopted_on) == ("C2", "A/78/459/Add.6", "2023-12-19")
    assert doc.title == (
        "Promotion of international cooperation to combat illicit financial flows and strengthen "
        "good practices on assets return to foster sustainable development"
    )


def test_it_reads_the_heading_of_an_official_draft():
    doc = parse_pdf("A_C.3_80_L.30.pdf")
    assert (doc.symbol, doc.committee, doc.committee_report) == ("A/C.3/80/L.30", "C3", "")
    assert (doc.session, doc.agenda_item) == ("Eightieth session", "71 (c)")
    assert doc.agenda_item_title == (
        "Promotion and protection of human rights: human rights situations and reports of "
        "special rapporteurs and representatives"
    )
    assert len(doc.sponsors) == 31
    assert doc.sponsors[-3:] == ["Sweden", "Ukraine", "United Kingdom of Great Britain and Northern Ireland"]
    assert "Netherlands (Kingdom of the)" in doc.sponsors


AMENDMENT_WEB = """A/C.3/80/L.57

Eightieth session

Third Committee

Agenda items 107 and 108

Crime prevention and criminal justice

United States of America: amendment to revised draft resolution
A/C.3/80/L.3/Rev.1

Strengthening the United Nations crime prevention and criminal justice programme

1. In operative paragraph 64, after “to strengthen their efforts in preventing” insert “and combating”.

2. In operative paragraph 65, after “once in force” insert “, and emphasizes”.
"""


def test_it_reads_an_amendment_to_a_draft_as_numbered_instructions():
    doc = parse_document(AMENDMENT_WEB, "en")
    assert (doc.doc_type, doc.symbol, doc.amends) == ("amendment", "A/C.3/80/L.57", "A/C.3/80/L.3/Rev.1")
    assert doc.sponsors == ["United States of America"]
    assert doc.title == "Strengthening the United Nations crime prevention and criminal justice programme"
    assert (doc.session, doc.agenda_item, doc.committee) == ("Eightieth session", "107 and 108", "C3")
    assert [(p.anchor, p.label, p.text[:22]) for p in doc.paragraphs] == [
        ("para1", "para. 1", "In operative paragraph"),
        ("para2", "para. 2", "In operative paragraph"),
    ]


def test_it_keeps_an_unnumbered_amendment_and_the_text_it_inserts_together():
    text = "\n".join(
        [
            "A/C.3/80/L.56",
            "Eightieth session",
            "Agenda item 69 (a)",
            "Albania, Japan and Ukraine: amendment to draft resolution A/C.3/80/L.2",
            "Combating glorification of Nazism",
            "After operative paragraph 3, insert a new operative paragraph, reading:",
            "Notes with alarm that the pretextual use of neo-Nazism undermines attempts to combat it;",
        ]
    )
    doc = parse_document(text, "en", "markdown")
    assert (doc.doc_type, doc.amends, doc.sponsors) == (
        "amendment",
        "A/C.3/80/L.2",
        ["Albania", "Japan", "Ukraine"],
    )
    assert [p.anchor for p in doc.paragraphs] == ["para1"]
    assert doc.paragraphs[0].text.splitlines() == text.splitlines()[-2:]


def test_it_reads_a_chinese_amendment():
    text = "\n".join(
        [
            "A/C.3/80/L.63",
            "第八十届会议",
            "议程项目67",
            "南非：对订正决议草案A/C.3/80/L.20/Rev.1的修正案",
            "儿童权利",
            "在序言部分第十三段中，将“第四次全球会议”改为“第五次全球会议”。",
        ]
    )
    doc = parse_document(text, "zh", "markdown")
    assert (doc.doc_type, doc.symbol, doc.amends, doc.sponsors, doc.title) == (
        "amendment",
        "A/C.3/80/L.63",
        "A/C.3/80/L.20/Rev.1",
        ["南非"],
        "儿童权利",
    )
    assert [p.anchor for p in doc.paragraphs] == ["para1"]


def test_it_reads_a_draft_decision_and_a_note_by_the_secretariat_from_their_pdfs():
    from search.ingest.extract import extract

    def parse(name):
        extracted = extract((ODS / name).read_bytes(), name)
        return parse_document(extracted.text, "en", extracted.layout)

    decision = parse("A_C.3_80_L.60.pdf")
    assert (decision.doc_type, decision.symbol, decision.distribution, decision.issued_on) == (
        "draft_decision",
        "A/C.3/80/L.60",
        "Limited",
        "2025-11-16",
    )
    assert decision.title.startswith("Draft programme of work of the Third Committee for the eighty-first")
    assert decision.paragraphs[0].text.startswith("The General Assembly approves, subject to any subsequent")
    note = parse("A_C.3_80_L.1.pdf")
    assert (note.doc_type, note.symbol, note.title) == (
        "note",
        "A/C.3/80/L.1",
        "Organization of the work of the Third Committee",
    )
    assert [(p.anchor, p.heading) for p in note.paragraphs[:2]] == [
        ("para1", "Allocation of items"),
        ("para2", "Programme of work"),
    ]


def test_it_reads_each_numbered_instruction_of_a_one_page_amendment_pdf():
    from search.ingest.extract import extract

    extracted = extract((ODS / "A_C.3_80_L.64.pdf").read_bytes(), "A_C.3_80_L.64.pdf")
    doc = parse_document(extracted.text, "en", extracted.layout)
    assert [p.text for p in doc.paragraphs] == [
        "In operative paragraph 13, delete “sexual and reproductive health,”.",
        "In operative paragraphs 27 and 43, delete “sexual and reproductive”.",
        "In operative paragraph 46, delete “including sexual and reproductive health,”.",
    ]
    assert (doc.doc_type, doc.symbol, doc.amends, doc.sponsors) == (
        "amendment",
        "A/C.3/80/L.64",
        "A/C.3/80/L.20/Rev.1",
        ["Burundi"],
    )


def test_it_reads_a_resolution_whose_pdf_lacks_the_enacting_formula():
    from search.ingest.extract import extract

    extracted = extract((ODS / "A_RES_78_225.pdf").read_bytes(), "A_RES_78_225.pdf")
    doc = parse_document(extracted.text, "en", extracted.layout)
    assert (doc.symbol, doc.title[:40], doc.adopted_on) == (
        "A/RES/78/225",
        "Enhancing the contributions of the Commi",
        "2023-12-19",
    )
    assert doc.paragraphs[0].anchor == "pp1"
    assert doc.paragraphs[0].text.startswith("Reaffirming its resolution 70/1 of 25 September 2015")
    assert any("enacting formula" in warning for warning in doc.warnings)


def test_it_takes_a_report_of_any_main_committee_for_the_assemblys():
    report = (Path(__file__).parents[2] / "corpus/zh/003_4d9b2eecfc115974.txt").read_text(encoding="utf-8")
    for committee, code in (("第三委员会", "C3"), ("第六委员会", "C6"), ("第一委员会", "C1")):
        doc = parse_document(report.replace("第三委员会", committee), "zh")
        assert (doc.doc_type, doc.body, doc.committee) == ("report", "GA", code)


def test_it_reads_an_agenda_sub_item_of_two_letters_and_keeps_it_out_of_the_title():
    # Page one of each: "Agenda item 99 (kk)", "Agenda item 99 (gg)" (the letters run a … z, aa …).
    draft, resolution = parse_pdf("A_C.1_80_L.41.pdf"), parse_pdf("A_RES_78_31.pdf")

    assert (draft.agenda_item, draft.agenda_item_title) == (
        "99 (kk)",
        "General and complete disarmament: lethal autonomous weapons systems",
    )
    assert (resolution.agenda_item, resolution.agenda_item_title) == (
        "99 (gg)",
        "General and complete disarmament: youth, disarmament and non-proliferation",
    )


def test_it_reads_a_sub_item_of_a_sub_item_in_roman_numerals():
    # The 80th session's agenda (plenary-agenda.json) has items 115 (e) (i) and (ii).
    text = DRAFT.replace(
        "Agenda item 71 (b)", "Agenda item 115 (e) (i)\nAppointment of members of the Commission"
    )
    doc = parse_document(text, "en", "markdown")
    assert (doc.agenda_item, doc.agenda_item_title) == (
        "115 (e) (i)",
        "Appointment of members of the Commission",
    )
    one_letter = parse_document(DRAFT.replace("71 (b)", "71(b) Rights of the child"), "en", "markdown")
    assert (one_letter.agenda_item, one_letter.agenda_item_title) == ("71(b)", "Rights of the child")


def test_it_reads_a_hostile_agenda_line_in_time_linear_in_its_length():
    # Repeated sub-items and lists with nothing to end them: a backtracking pattern would
    # take far longer than this generous bound.
    started = time.process_time()
    for line in ("Agenda items " + "1 (aa) (iv) and " * 20_000, "Agenda item 1" + " (a" * 40_000):
        AGENDA_ITEMS.search(line)
        AGENDA_ITEM_HEADING.sub("", line)
    assert time.process_time() - started < 5
