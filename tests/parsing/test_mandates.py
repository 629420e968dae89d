"""What an operative paragraph asks, of whom, by when (search.parsing.read_mandates): the
issue's exact cases on the real documents, in English and Chinese, and the forms UN
paragraphs chain, nest and date their requests in."""

import time
import tomllib
from pathlib import Path

import pytest
from conftest import CORPUS, parse_ods_pdf

from search.parsing import (
    ACTIONS,
    DELIVERABLES,
    GENERAL_ASSEMBLY_KEY,
    STRENGTH,
    MandateContext,
    normalise_addressee,
    parse_document,
    read_mandates,
)

EIGHTIETH = MandateContext(GENERAL_ASSEMBLY_KEY, 80, 2025)
SEVENTY_FIRST = MandateContext(GENERAL_ASSEMBLY_KEY, 71, 2017)


def asks(text, language="en", context=EIGHTIETH, chapeau=""):
    """(action, addressee, deliverable, due) of each mandate, in order."""
    return [
        (m.action, m.addressee, m.deliverable, m.due.label)
        for m in read_mandates(text, language, context, chapeau)
    ]


def paragraph(document, anchor):
    return next(p for p in document.paragraphs if p.anchor == anchor)


def test_80_192_op_69_asks_the_special_rapporteur_for_reports_to_the_assembly_and_the_council():
    op69 = paragraph(parse_ods_pdf("A_RES_80_192.pdf"), "op69")
    assert op69.text.startswith("Requests the Special Rapporteur to prepare, for submission to the General")
    assert asks(op69.text) == [
        ("requests", "special-rapporteur", "report", "GA 81"),
        ("requests", "special-rapporteur", "report", "HRC 62"),
        # "…, and encourages the Special Rapporteur to pay specific attention to …": a chained clause
        ("encourages", "special-rapporteur", "", ""),
    ]
    due = [m.due for m in read_mandates(op69.text, "en", EIGHTIETH)]
    assert [d.term for d in due] == ["81", "hrc-62", ""]


def test_80_192_op_70_mentions_a_report_and_asks_nothing():
    op70 = paragraph(parse_ods_pdf("A_RES_80_192.pdf"), "op70")
    assert "preparation of her report to the General Assembly" in op70.text
    assert asks(op70.text) == []


def _read(path: Path, language: str) -> dict[str, set]:
    document = parse_document(path.read_text(), language)
    found, chapeau = {}, ""
    for p in document.paragraphs:
        chapeau = p.text if p.level == 0 else chapeau
        if p.kind == "operative":
            found[p.anchor] = set(asks(p.text, language, SEVENTY_FIRST, chapeau if p.level else ""))
    return found


def test_71_322_is_read_the_same_in_chinese_as_in_english():
    chinese = _read(CORPUS / "zh" / "000_9c40344d96047766.txt", "zh")
    english = _read(CORPUS / "en" / "A_RES_71_322.txt", "en")
    assert len(chinese) == len(english) == 27
    assert chinese == english
    # 请世界卫生组织…制订…国际准则: "Requests the World Health Organization … to develop … guidelines"
    assert chinese["op10"] == {("requests", "who", "recommendations", "")}
    # 鼓励会员国…交流经验和信息 (op4): encouraged, nothing to deliver
    assert chinese["op4"] == {("encourages", "member-states", "", "")}
    # A sub-paragraph ("(a) 加强立法框架…") carries its chapeau's action and addressee.
    assert chinese["op3a"] == {("urges", "member-states", "", "")}
    # "…, for submission to the General Assembly for consideration at its seventy-third session"
    assert ("invites", "donors", "recommendations", "GA 73") in chinese["op13"]


def test_a_chinese_report_to_the_next_session_and_to_the_council():
    text = (
        "请秘书长向大会第八十一届会议提交关于本决议执行情况的报告，并向人权理事会第六十二届会议提交口头报告；"
    )
    assert asks(text, "zh") == [
        ("requests", "secretary-general", "report", "GA 81"),
        ("requests", "secretary-general", "oral-update", "HRC 62"),
    ]
    assert asks("决定将题为“消除殖民主义”的项目列入大会下届会议临时议程。", "zh") == [
        ("decides", GENERAL_ASSEMBLY_KEY, "agenda-item", "GA 81")
    ]


def test_chained_clauses_each_ask_their_own_addressee():
    text = (
        "Urges Member States to ratify the Convention, and requests the Secretary-General to report "
        "thereon to the General Assembly at its eighty-second session."
    )
    assert asks(text) == [
        ("urges", "member-states", "", ""),
        ("requests", "secretary-general", "report", "GA 82"),
    ]
    # "and requests him to …": the pronoun is the addressee of the clause before
    text = (
        "Requests the Secretary-General to convene a high-level meeting in 2027, and requests him to "
        "report on it annually;"
    )
    assert asks(text) == [
        ("requests", "secretary-general", "meeting", "2027"),
        ("requests", "secretary-general", "report", "annually"),
    ]


def test_a_sub_paragraph_carries_its_chapeau():
    chapeau = "Calls upon all States and the United Nations Office on Drugs and Crime:"
    assert asks("(b) To submit their views to the Secretary-General by 2027;", chapeau=chapeau) == [
        ("calls-upon", "states", "information", "2027"),
        ("calls-upon", "unodc", "information", "2027"),
    ]


@pytest.mark.parametrize(
    "name, key",
    [
        ("UNODC", "unodc"),
        ("the United Nations Office on Drugs and Crime", "unodc"),
        ("毒品和犯罪问题办公室", "unodc"),
        ("秘书长", "secretary-general"),
        ("the Secretary-General", "secretary-general"),
        ("Member States", "member-states"),
        ("会员国", "member-states"),
        ("OHCHR", "ohchr"),
    ],
)
def test_an_addressee_is_one_entity_however_it_is_written(name, key):
    assert normalise_addressee(name) == key


def test_what_is_not_a_mandate_or_not_a_due_date():
    # A decision recalled, a report taken note of, a past session, a year passed, "the 2030 Agenda"
    assert (
        asks("Takes note of the report of the Secretary-General submitted at its seventy-ninth session;")
        == []
    )
    assert asks("Recalls its request to the Secretary-General to submit a report;") == []
    assert asks("Requests the Secretary-General to report on the 2030 Agenda in 2019;") == [
        ("requests", "secretary-general", "report", "")
    ]
    # "Decides that the Working Group shall …": the decision's subject acts
    assert asks("Decides that the Working Group shall meet annually and report to the Assembly;")[0][:2] == (
        "decides",
        "working-group",
    )
    # "Calls for …" names no one
    assert asks("Calls for the immediate release of all hostages;") == [("calls-upon", "", "", "")]


def test_every_action_has_its_strength():
    assert set(STRENGTH) == set(ACTIONS)
    assert STRENGTH["decides"] > STRENGTH["requests"] > STRENGTH["encourages"]


def test_a_long_paragraph_is_read_to_a_bound_in_time_linear_in_its_length():
    clause = "Member States, the Secretary-General and all relevant stakeholders, "
    small = "Urges " + clause * 50 + "to submit a report at its eighty-first session;"
    large = "Urges " + clause * 5000 + "to submit a report at its eighty-first session;"
    started = time.process_time()
    read_mandates(small, "en", EIGHTIETH)
    once = time.process_time() - started
    started = time.process_time()
    found = read_mandates(large, "en", EIGHTIETH)
    # Read to MAX_WORDS words: 100 times the text costs no more than a few times the small one.
    assert time.process_time() - started < max(0.05, 20 * once)
    assert {m.addressee for m in found} == {"member-states", "secretary-general", "stakeholders"}
    chinese = "敦促会员国、秘书长和所有利益攸关方" * 20000 + "提交报告。"
    assert {m.addressee for m in read_mandates(chinese, "zh", EIGHTIETH)} == {
        "member-states",
        "secretary-general",
        "stakeholders",
    }


def test_the_labelled_sample_is_as_labelled_and_its_halves_apart():
    rows = []
    for path in sorted((Path(__file__).parents[2] / "bench" / "mandates").glob("*.toml")):
        rows += tomllib.loads(path.read_text())["p"]
    assert len(rows) >= 200
    assert {r["committee"] for r in rows} >= {"C1", "C2", "C3", "C4", "C5", "C6", "plenary"}
    assert {r["lang"] for r in rows} == {"en", "zh"}
    documents = {half: {r["doc"] for r in rows if r["half"] == half} for half in ("dev", "test")}
    assert documents["dev"] and documents["test"] and not documents["dev"] & documents["test"]
    for row in rows:
        assert set(row["actions"]) <= set(ACTIONS), row
        assert set(row["deliverables"]) <= set(DELIVERABLES), row


def test_those_asked_to_work_together_are_its_addressees():
    text = "Encourages cooperation among State organs, international organizations and civil society in it;"
    assert [a for _, a, _, _ in asks(text)] == ["states", "international-organizations", "civil-society"]


def test_a_name_the_table_does_not_know_is_kept_as_written_not_a_noun_that_acts_not():
    found = read_mandates(
        "Requests the co-facilitators to present a draft declaration by 2025;", "en", EIGHTIETH
    )
    assert [(m.addressee, m.addressee_name, m.deliverable, m.due.label) for m in found] == [
        ("co-facilitators", "co-facilitators", "recommendations", "2025")
    ]
    assert asks("Calls for timely action to protect civilians;") == [("calls-upon", "", "", "")]
    assert asks("Urges the Syrian authorities to cooperate fully;") == [
        ("urges", "syrian-authorities", "", "")
    ]
    # "the secretariat of the Convention" is not the Secretariat
    assert asks("Invites the secretariat of the Convention to submit information;")[0][1] != "secretariat"
    assert asks("Requests the Secretariat to submit information;")[0][1] == "secretariat"
