"""Reading what an amendment does (search.parsing.read_amendment): the session's real
amendments, with expectations read from their PDFs; each form in English and Chinese;
and hostile text, read within bounds. No database.

The PDFs are read as an upload reads them. The plenary's amendments are not yet read as
amendments by the parser (their heading line; another change fixes it): their paragraphs
come from the extracted text's lines the way the parser takes a working paper's
(bench/amendments.py, `amendment_paragraphs`), which the expectations do not depend on.
"""

import time
from pathlib import Path

import pytest

from bench.amendments import amendment_paragraphs
from search.parsing import (
    ADD,
    AFTER,
    DELETE,
    END,
    INSERT,
    OPERATIVE,
    PARAGRAPHS,
    PREAMBULAR,
    REPLACE,
    UNREAD,
    WORDS,
    Target,
    read_amendment,
)
from search.parsing.amendments import (
    LEFT_OVER,
    MAX_CHARACTERS,
    MAX_OPERATIONS,
    NO_TEXT,
    TITLE,
    TOO_LONG,
    TOO_MANY,
    UNCLOSED_QUOTE,
    UNKNOWN_FORM,
    WHOLE,
    scan_quotations,
)

ODS = Path(__file__).resolve().parents[2] / "corpus" / "ods"


def operations_of(name: str):
    paragraphs, _ = amendment_paragraphs((ODS / f"{name}.pdf").read_bytes(), f"{name}.pdf")
    return read_amendment(paragraphs)


def summary(operation) -> str:
    """ "delete paragraphs pp38", "insert words after op68", "add after op3"."""
    return " ".join(filter(None, [operation.kind, operation.scope, operation.position, *operation.keys]))


# Each amendment of the 80th session, its operations as its PDF words them.
SESSION = {
    # "Delete the thirty-eighth preambular paragraph reading: …"
    "A_80_L.19": ["delete paragraphs pp38"],
    "A_80_L.20": ["delete paragraphs op9"],  # "Delete operative paragraph 9."
    "A_80_L.28": [
        "replace words title pp* op*",  # "Replace “Chernobyl” with “Chornobyl” in the title, the …"
        "insert words after pp2",  # "In the second preambular paragraph, insert “of Ukraine” after “…”"
        "add after pp5",  # "After the fifth preambular paragraph, insert a new preambular paragraph reading:"
        "replace words op1",  # "In operative paragraph 1, replace “Takes note” with “Welcomes”."
        "add after op4",  # "After operative paragraph 4, insert two new operative paragraphs reading:"
        "add after op7",
        "insert words after op8",
        "replace words op10",
    ],
    "A_80_L.29": ["replace paragraphs op200"],  # "Replace operative paragraph 200 with the following text:"
    "A_80_L.30": [
        "delete words pp4",
        "delete words pp15",
        "delete paragraphs pp16",
        "delete paragraphs pp20",
        "delete paragraphs pp23",  # "Delete the twenty-third preambular paragraph."
        "delete words pp41",  # "In the forty-first preambular paragraph, delete “…”."
        "delete words op21",
        "delete paragraphs op22",
        "delete words op24",
        "delete words op33",
        "delete words op39",
    ],
    "A_80_L.31": ["insert words after op68"],
    "A_80_L.32": [
        "replace words op69"
    ],  # "In operative paragraph 69, replace “sexual and reproductive” with …"
    "A_80_L.33": [
        "add after op70"
    ],  # "After operative paragraph 70, insert the following operative paragraph:"
    "A_80_L.35": [
        "replace words title pp* op*",
        "delete words pp2",
        "replace words op1",
        "delete paragraphs op5 op6 op10 op13",  # "Delete operative paragraphs 5, 6, 10 and 13."
        "replace words op14",
    ],
    "A_80_L.36": ["add after op89"],
    "A_80_L.38": ["delete paragraphs pp21 op35 op38 op39"],
    "A_80_L.39": ["delete paragraphs op3 op43 op45"],
    "A_80_L.40": ["delete words pp11"],  # "In the eleventh preambular paragraph, delete “…”."
    "A_C.2_80_L.62": ["delete paragraphs pp21 op35 op38 op39"],
    "A_C.2_80_L.63": ["delete paragraphs op3 op43 op45"],
    "A_C.3_80_L.56": ["add after op3"],
    "A_C.3_80_L.57": ["insert words after op64", "insert words after op65"],
    "A_C.3_80_L.58": ["delete words pp28"],
    "A_C.3_80_L.61": ["replace words pp14", "delete paragraphs pp15"],
    "A_C.3_80_L.62": ["add after pp14"],
    "A_C.3_80_L.63": ["replace words pp13"],
    # "In operative paragraphs 27 and 43, delete “sexual and reproductive”."
    "A_C.3_80_L.64": ["delete words op13", "delete words op27 op43", "delete words op46"],
    "A_C.3_80_L.65": [
        "delete paragraphs pp3 op2"
    ],  # "Delete the third preambular paragraph and operative paragraph 2."
    "A_C.6_80_L.24": ["delete words op2"],
}


@pytest.mark.parametrize("name", sorted(SESSION))
def test_it_reads_every_operation_of_the_sessions_amendments(name):
    assert [summary(op) for op in operations_of(name)] == SESSION[name]


def test_it_reads_the_deleted_paragraph_a_plenary_amendment_quotes():
    (operation,) = operations_of("A_80_L.19")
    assert (operation.kind, operation.scope, operation.targets) == (
        DELETE,
        PARAGRAPHS,
        [Target(PREAMBULAR, 38)],
    )
    assert operation.old.startswith(
        "Recalling the inclusion of attacks intentionally directed against personnel"
    )
    assert operation.old.endswith(
        "those responsible for serious violations of international humanitarian law,"
    )
    assert operation.sentence == "Delete the thirty-eighth preambular paragraph reading:"


def test_it_reads_words_inserted_after_words_of_an_operative_paragraph():
    (operation,) = operations_of("A_80_L.31")
    assert (operation.kind, operation.scope, operation.keys, operation.position) == (
        INSERT,
        WORDS,
        ["op68"],
        AFTER,
    )
    assert operation.placed_by == "including sexual and reproductive health"
    assert operation.new.startswith(
        "in accordance with the Programme of Action of the International Conference"
    )
    assert operation.new.endswith("and its review outcomes as adopted by the General Assembly,")


def test_it_reads_a_numbered_amendment_operation_by_operation():
    first, second = operations_of("A_C.3_80_L.57")
    assert (first.paragraph, first.placed_by, first.new) == (
        1,
        "to strengthen their efforts in preventing",
        "and combating child pornography",
    )
    assert (second.paragraph, second.keys, second.placed_by) == (2, ["op65"], "once in force")
    assert second.new.startswith(", and emphasizes that the new convention must be implemented")
    assert second.new.endswith("on the sale of children, child prostitution and child pornography")


def test_it_reads_one_deletion_of_several_paragraphs_of_both_parts():
    (operation,) = operations_of("A_C.2_80_L.62")
    assert operation.targets == [
        Target(PREAMBULAR, 21),
        Target(OPERATIVE, 35),
        Target(OPERATIVE, 38),
        Target(OPERATIVE, 39),
    ]
    assert [t.labels for t in operation.targets[:2]] == [
        ("PP 21", "序言部分第21段"),
        ("OP 35", "执行部分第35段"),
    ]


def test_it_reads_a_new_paragraph_and_where_it_goes():
    (operation,) = operations_of("A_C.3_80_L.56")
    assert (operation.kind, operation.position, operation.keys, operation.new_part) == (
        ADD,
        AFTER,
        ["op3"],
        OPERATIVE,
    )
    (paragraph,) = operation.paragraphs
    assert paragraph.startswith(
        "Notes with alarm that the Russian Federation has sought to justify its territorial"
    )
    assert paragraph.endswith("seriously undermines genuine attempts to combat neo-Nazism;")


def test_it_reads_two_new_paragraphs_and_a_change_throughout_the_text():
    operations = operations_of("A_80_L.28")
    everywhere = operations[0]
    assert (everywhere.old, everywhere.new) == ("Chernobyl", "Chornobyl")
    assert (operations[1].new, operations[1].placed_by) == ("of Ukraine", "Chornobyl nuclear power plant")
    two = operations[4]
    assert [p.split()[:2] for p in two.paragraphs] == [["Expresses", "grave"], ["Stresses", "the"]]
    assert (operations[3].old, operations[3].new) == ("Takes note", "Welcomes")


def test_it_reads_a_paragraph_replaced_whole():
    (operation,) = operations_of("A_80_L.29")
    assert (operation.kind, operation.scope, operation.keys) == (REPLACE, PARAGRAPHS, ["op200"])
    (text,) = operation.paragraphs
    assert text.startswith(
        "Welcomes, in this regard, the convening of the thirtieth session of the Conference"
    )
    assert text.endswith("in Belém, Brazil, from 10 to 21 November 2025;")


# Each form, in words as amendments write them.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Delete operative paragraph 5 (b).", "delete paragraphs op5b"),
        ("Delete subparagraphs (a) and (c) of operative paragraph 7.", "delete paragraphs op7a op7c"),
        ("Delete operative paragraph 4 (a) (ii).", "delete paragraphs op4a-ii"),
        ("Delete the one hundred and first preambular paragraph.", "delete paragraphs pp101"),
        ("Delete the sixty-eighth and sixty-ninth preambular paragraphs.", "delete paragraphs pp68 pp69"),
        ("Delete operative paragraphs 3 to 5.", "delete paragraphs op3 op4 op5"),
        ("In operative paragraph 5 (b), delete the words “and others”.", "delete words op5b"),
        ("In operative paragraph 9, insert “new” before “text”.", "insert words before op9"),
        ("At the end of operative paragraph 7, add “, as appropriate”.", "insert words end op7"),
        (
            "In operative paragraph 12, replace the words “urges” with the words “invites”.",
            "replace words op12",
        ),
        (
            "Replace the twelfth preambular paragraph with the following:\nRecalling …,",
            "replace paragraphs pp12",
        ),
        ("Add the following new paragraph after operative paragraph 3:\nDecides …;", "add after op3"),
        ("Insert a new operative paragraph 4 bis reading:\nDecides …;", "add after op4"),
        (
            "Delete operative paragraph 9 and renumber the subsequent paragraphs accordingly.",
            "delete paragraphs op9",
        ),
    ],
)
def test_it_reads_each_english_form(text, expected):
    (operation,) = read_amendment([text])
    assert summary(operation) == expected


def test_it_reads_what_an_english_form_changes():
    (replaced,) = read_amendment(
        ["In operative paragraph 12, replace the words “urges” with the words “invites”."]
    )
    assert (replaced.old, replaced.new) == ("urges", "invites")
    (added,) = read_amendment(["At the end of operative paragraph 7, add “, as appropriate”."])
    assert (added.position, added.new) == (END, ", as appropriate")


# A Chinese amendment in the official Chinese style: the corpus has no Chinese amendment
# (A/C.3/80/L.57, A/80/L.19, A/80/L.31, A/C.2/80/L.62, A/80/L.28 and L.29 written as the
# Chinese versions word them; the inserted texts shortened).
CHINESE = [
    "删除序言部分第三十八段，内容如下：\n回顾《国际刑事法院罗马规约》将故意攻击参与人道主义援助或维持和平任务的人员列为战争罪，",
    "在执行部分第68段中，在“包括性健康和生殖健康”之后插入“，根据《国际人口与发展会议行动纲领》及其审查成果”。",
    "在执行部分第64段“加强努力预防”之后插入“和打击儿童色情制品”。",
    "删除序言部分第二十一段以及执行部分第35、38和39段。",
    "在序言部分第五段之后插入一个新的序言部分段落，内容如下：\n强调2026年切尔诺贝利灾难四十周年为所有利益攸关方提供了重要契机，",
    "在执行部分第4段之后插入两个新的执行部分段落，内容如下：\n表示严重震惊无人机袭击新安全封闭结构；\n强调国际社会继续提供支持的重要性；",
    "在执行部分第1段中，将“注意到”改为“欢迎”。",
    "将执行部分第200段替换为以下案文：\n欢迎在这方面于2025年11月10日至21日在巴西贝伦召开缔约方会议第三十届会议；",
    "以下列案文取代执行部分第5段：\n决定……；",
    "在执行部分第3段之后增加一个新段落：\n决定……；",
    "在执行部分第3段之后插入下列新段落：\n决定……；",
    "在序言部分第二十八段中，删除“并回顾《罗马规约》的有关规定”。",
    "删除执行部分第5段(b)分段中的“和其他”。",
    "将标题、序言部分各段和执行部分各段中的“切尔诺贝利”改为“切尔诺贝利（乌克兰）”。",
]


def test_it_reads_each_chinese_form():
    assert [summary(op) for op in read_amendment(CHINESE)] == [
        "delete paragraphs pp38",
        "insert words after op68",
        "insert words after op64",
        "delete paragraphs pp21 op35 op38 op39",
        "add after pp5",
        "add after op4",
        "replace words op1",
        "replace paragraphs op200",
        "replace paragraphs op5",
        "add after op3",
        "add after op3",
        "delete words pp28",
        "delete words op5b",
        "replace words title pp* op*",
    ]


def test_it_reads_what_a_chinese_form_changes():
    operations = read_amendment(CHINESE)
    assert operations[0].old.startswith("回顾《国际刑事法院罗马规约》")
    assert (operations[2].placed_by, operations[2].new) == ("加强努力预防", "和打击儿童色情制品")
    assert operations[5].paragraphs == [
        "表示严重震惊无人机袭击新安全封闭结构；",
        "强调国际社会继续提供支持的重要性；",
    ]
    assert (operations[5].new_part, operations[4].new_part) == (OPERATIVE, PREAMBULAR)
    assert (operations[6].old, operations[6].new) == ("注意到", "欢迎")
    assert [op.paragraph for op in operations[:3]] == [1, 2, 3]


# Nothing is dropped: what cannot be read says so, with its sentence.


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Requests the Secretary-General to report on it.", UNKNOWN_FORM),
        ("In operative paragraph 4, delete “and others.", UNCLOSED_QUOTE),
        ("After operative paragraph 3, insert a new operative paragraph.", NO_TEXT),
        ("In operative paragraph 5, delete “x”:\nstray text", LEFT_OVER),
        ("In operative paragraph 5, replace “a” with “b” and “c” with “d”.", UNKNOWN_FORM),
        ("Delete operative paragraph 9 " + "and more " * 200 + ".", TOO_LONG),
    ],
)
def test_it_keeps_what_it_cannot_read_with_the_reason(text, reason):
    (operation,) = read_amendment([text])
    assert (operation.kind, operation.reason) == (UNREAD, reason)
    assert operation.sentence.replace("\n", " ").startswith(text.replace("\n", " ")[:40])


def test_it_reads_the_rest_of_a_paragraph_after_one_it_cannot_read():
    operations = read_amendment(
        ["Decides to do more. Delete operative paragraph 2.", "Delete operative paragraph 3."]
    )
    assert [(op.kind, op.keys) for op in operations] == [(UNREAD, []), (DELETE, ["op2"]), (DELETE, ["op3"])]


def test_it_keeps_nested_quotations_whole():
    (operation,) = read_amendment(
        ["In operative paragraph 2, replace “the “first” report” with “the report”."]
    )
    assert (operation.old, operation.new) == ("the “first” report", "the report")
    scanned = scan_quotations("a “b “c” d” e ” f")
    assert (scanned.quotes, scanned.unclosed) == (["“b “c” d”"], False)


# Hostile text: bounded, and in time linear in its length. The bounds are generous:
# they catch only a reading that blows up (each of these takes milliseconds).


def cpu(function, *args):
    started = time.process_time()
    result = function(*args)
    return result, time.process_time() - started


@pytest.mark.parametrize(
    "text",
    [
        "In operative paragraph 1, delete “x”. " * 50_000,  # 1.9 M characters
        "“" * 200_000,  # every quotation opened, none closed
        "“a” " * 100_000,
        "Delete the first, the first, the first" + ", the first" * 20_000 + " preambular paragraph.",
        "Delete operative paragraphs " + ", ".join(["1"] * 50_000) + ".",
        "Delete operative paragraphs 1 to 99999999999.",
        "In operative paragraph 1,\n" * 50_000,
        "a" * 1_000_000,
        "\ue000" * 99_999 + "a",  # the character that stands for a quotation, in the input
    ],
)
def test_it_reads_hostile_text_within_bounds(text):
    operations, seconds = cpu(read_amendment, [text])
    assert seconds < 5, seconds
    assert 1 <= len(operations) <= MAX_OPERATIONS + 1
    assert all(len(op.sentence) <= MAX_CHARACTERS for op in operations)
    assert all(len(op.targets) <= 101 for op in operations)


def test_it_says_what_is_past_its_limits():
    many = read_amendment(["Delete operative paragraph 1."] * (MAX_OPERATIONS + 5))
    assert len(many) == MAX_OPERATIONS + 1
    assert (many[-1].kind, many[-1].reason) == (UNREAD, TOO_MANY)
    long = read_amendment(["Delete operative paragraph 1. " + "x" * MAX_CHARACTERS])
    assert long[-1].kind == UNREAD and "x" in long[-1].sentence


@pytest.mark.parametrize(
    "target",
    [
        Target(PREAMBULAR),  # every preambular paragraph: "pp*"
        Target(OPERATIVE),
        Target(TITLE),
        Target(WHOLE),
        Target(PREAMBULAR, 38),
        Target(OPERATIVE, 5, ("b",)),
        Target(OPERATIVE, 5, ("b", "ii")),
    ],
)
def test_a_target_is_read_back_from_the_key_it_is_stored_by(target):
    # A/80/L.28 and L.35 replace a word "in the title, the preambular paragraphs and the
    # operative paragraphs": stored as "title", "pp*" and "op*", read back on every page.
    assert Target.from_key(target.key) == target
