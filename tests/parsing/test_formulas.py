"""Procedural formulas, recognised from how UN paragraphs are written. Every sentence is a
paragraph of corpus/ as the database holds it (its document and anchor in the comment)."""

from search.parsing.formulas import AGENDA, COOPERATION, NOTED, REPORT, asks_for, formula_of, lead

# A/C.3/80/L.48 op31: asks for a report after a first, substantive-looking infinitive.
JOURNALISTS_REPORT = (
    "Requests the Secretary-General to further assist in the implementation of the present resolution "
    "and to report to the General Assembly at its eighty-second session and to the Human Rights Council "
    "at its sixty-third session on the safety of journalists and media workers, with a special focus on "
    "the impact of artificial intelligence on press freedom"
)
# A/C.3/80/L.14 op4: the substantive paragraph on the same words.
ALBINISM_SUBSTANCE = (
    "Encourages Member States to address the root causes of discrimination and violence against persons "
    "with albinism, including through awareness-raising campaigns, the dissemination of accurate "
    "information on albinism and other measures"
)


def test_it_recognises_requests_for_reports():
    assert formula_of(JOURNALISTS_REPORT) == REPORT
    # A/C.3/80/L.39 op… (Also requests …, the adverb before the verb)
    assert (
        formula_of(
            "Also requests the Secretary-General to submit to the General Assembly at its eighty-second "
            "session a report on the implementation of the present resolution."
        )
        == REPORT
    )
    # report-79-third-committee-item-107/draft-5 op29
    assert (
        formula_of(
            "请秘书长向大会第八十一届会议提交报告，说明本决议包括关于进一步加强研究所能力的各项建议的执行情况。"
        )
        == REPORT
    )


def test_it_recognises_a_question_taken_up_at_a_later_session():
    # A/C.3/80/L.14 op17
    assert (
        formula_of(
            "Decides, taking into account the multifaceted nature of the challenges faced by persons with "
            "albinism, to consider the issue of persons with albinism at its eighty-second session, under "
            "the item entitled “Social development”."
        )
        == AGENDA
    )
    # A/C.3/80/L.12 op89
    assert (
        formula_of("Decides to include in the provisional agenda of its eighty-first session, under the item")
        == AGENDA
    )
    assert formula_of("Decides to remain seized of the matter.") == AGENDA  # A/C.3/80/L.52 op33
    # report-79-third-committee-item-107/draft-4 op23
    assert formula_of("决定在其第八十一届会议题为“预防犯罪和刑事司法”的项目下继续审议这个问题。") == AGENDA


def test_it_recognises_cooperation_with_a_mandate_holder():
    # A/C.3/80/L.32 op24o, a lettered sub-paragraph: its infinitive opens it.
    assert (
        formula_of(
            "To cooperate with the Special Envoy of the Secretary-General on Myanmar, including by "
            "facilitating unconditional visits to Myanmar and meaningful engagement with all stakeholders, "
            "including Rohingya Muslims and those arbitrarily detained;"
        )
        == COOPERATION
    )
    # A/C.3/80/L.39 op18
    assert (
        formula_of(
            "Calls upon all Governments to cooperate with and assist the Independent Expert in his task"
        )
        == COOPERATION
    )
    # draft-A-C.3-74-trafficking-coordination-zh op20: the verb after a long object.
    assert (
        formula_of(
            "还鼓励会员国与人权理事会贩运人口特别是贩运妇女和儿童问题特别报告员及其他相关特别程序，包括人权理事会"
            "暴力侵害妇女及其原因和后果问题特别报告员、暴力侵害儿童问题秘书长特别代表开展合作；"
        )
        == COOPERATION
    )


def test_it_recognises_a_report_taken_note_of():
    assert formula_of("Takes note of the report of the Secretary-General;") == NOTED  # A/C.3/80/L.12 op1
    assert formula_of("表示注意到秘书长的报告，") == NOTED  # draft-A-C.3-74-trafficking-coordination-zh pp38


def test_it_leaves_substantive_paragraphs_alone():
    assert formula_of(ALBINISM_SUBSTANCE) == ""
    # A/C.3/80/L.3 op28: a request to the Secretary-General, but for resources, not a report.
    assert (
        formula_of(
            "Requests the Secretary-General to continue to provide the United Nations Office on Drugs "
            "and Crime with adequate resources"
        )
        == ""
    )
    # Cooperation among States, not with a mandate holder.
    assert (
        formula_of("Calls upon States to cooperate internationally to save lives and prevent migrant deaths")
        == ""
    )
    assert (
        formula_of("欢迎联合国毒品和犯罪问题办公室依据《全球行动计划》发表 2012 年全球人口贩运问题报告，")
        == ""
    )


def test_a_query_that_asks_for_the_formula_is_recognised():
    assert asks_for(REPORT, "requests the Secretary-General to submit a report")
    assert asks_for(AGENDA, "Decides to include in the provisional agenda")
    assert asks_for(REPORT, "请秘书长提交报告")
    assert not asks_for(REPORT, "safety of journalists")
    assert not asks_for(COOPERATION, "Myanmar Rohingya")


def test_the_lead_is_the_opening_words():
    assert (
        lead(ALBINISM_SUBSTANCE)
        == "Encourages Member States to address the root causes of discrimination and violence"
    )
    assert lead("表示注意到秘书长的报告，") == "表示注意到秘书长的报告，"
