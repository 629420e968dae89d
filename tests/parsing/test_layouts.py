"""Text layouts that are not PDF text: one paragraph per line or block, and the
sub-paragraph numbering rules in every layout."""

import textwrap
from pathlib import Path

import pytest

from search.parsing import decode, parse_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

EN_HEAD = [
    "A/RES/71/322",
    "General Assembly",
    "Distr.: General",
    "25 September 2017",
    "Seventy-first session",
    "Agenda item 106",
    "Resolution adopted by the General Assembly on 8 September 2017",
    "[without reference to a Main Committee (A/71/L.80 and Add.1)]",
]
ZH_HEAD = [
    "A/RES/71/322",
    "大会",
    "Distr.: General",
    "2017年9月25日",
    "第七十一届会议",
    "议程项目106",
    "2017年9月8日大会决议",
    "[未经发交主要委员会(A/71/L.80和Add.1)]",
]


def web_copy(name, head, wrap=None):
    """Write a corpus document as the UN website shows it: one paragraph per line.

    The original's parse is taken as the expectation only because it is already
    hand-checked and tested (test_parser.py); the copy must give the same paragraphs.
    With `wrap`, each paragraph is wrapped over several lines (one paragraph per block).
    """
    doc = parse_document(decode((CORPUS / name).read_bytes()))
    zh = doc.language == "zh"
    lines = [*head, f"71/322. {doc.title}", "大会，" if zh else "The General Assembly,"]
    for p in doc.paragraphs:
        lines.append(f"{p.number}{'' if zh else ' '}{p.text}" if p.number else p.text)
    lines += ["第 96 次全体会议", "2017 年 9 月 8 日"] if zh else ["96th plenary meeting", "8 September 2017"]
    if wrap:
        lines = ["\n".join(wrap_chinese(line, wrap) if zh else textwrap.wrap(line, wrap)) for line in lines]
    return "\n\n".join(lines) + "\n", doc


def wrap_chinese(line, width):
    """Wrap as Chinese is wrapped: anywhere but at a space or inside a number or word."""
    out = []
    while len(line) > width:
        cut = width
        while cut < len(line) and (" " in line[cut - 1 : cut + 1] or line[cut - 1 : cut + 1].isascii()):
            cut += 1
        out.append(line[:cut])
        line = line[cut:]
    return [*out, line] if line else out


def same_paragraphs(doc):
    return [(p.anchor, p.label, p.label_zh, p.text) for p in doc.paragraphs]


def test_it_reads_an_english_resolution_copied_from_the_un_website():
    text, original = web_copy("en/A_RES_71_322.txt", EN_HEAD)
    doc = parse_document(text)
    assert same_paragraphs(doc) == same_paragraphs(original)
    assert len(doc.paragraphs) == 44
    assert (doc.symbol, doc.title, doc.session, doc.agenda_item) == (
        original.symbol,
        original.title,
        "Seventy-first session",
        "106",
    )
    assert (doc.adopted_on, doc.meeting, doc.body) == ("2017-09-08", "96th plenary meeting", "GA")


def test_it_reads_a_chinese_resolution_copied_from_the_un_website():
    # The website writes "1.敦促" and "(a)加强" with no space after the number.
    text, original = web_copy("zh/000_9c40344d96047766.txt", ZH_HEAD)
    assert "\n\n1.敦促会员国" in text and "\n\n(a)加强立法框架" in text
    doc = parse_document(text)
    assert same_paragraphs(doc) == same_paragraphs(original)
    assert [p.anchor for p in doc.paragraphs][16:19] == ["pp17", "op1", "op2"]
    assert (doc.symbol, doc.title, doc.meeting) == (original.symbol, original.title, "第 96 次全体会议")
    assert doc.warnings == []


@pytest.mark.parametrize("name", ["en/A_RES_71_322.txt", "zh/000_9c40344d96047766.txt"])
def test_it_reads_one_paragraph_per_block_wrapped_over_several_lines(name):
    text, original = web_copy(
        name, ZH_HEAD if name.startswith("zh") else EN_HEAD, wrap=70 if "en" in name else 35
    )
    assert "\n\n" in text and text.count("\n") > 3 * text.count("\n\n") / 2
    doc = parse_document(text)
    assert same_paragraphs(doc) == same_paragraphs(original)
    assert doc.title == original.title


def test_it_keeps_each_heading_line_of_a_web_copy_apart_from_the_title():
    text = "\n\n".join(
        [
            "United Nations",
            "A/RES/80/12",
            "General Assembly",
            "Eightieth session",
            "Agenda item 68",
            "Resolution adopted by the General Assembly on 3 December 2025",
            "80/12.",
            "Rights of the child",
            "The General Assembly,",
            "Recalling all its previous resolutions on the rights of the child, the most recent of which "
            "is resolution 79/155 of 17 December 2024,",
            "Reaffirming that the best interests of the child shall be a primary consideration in all "
            "actions concerning children,",
            "Deeply concerned that the situation of children in many parts of the world remains critical,",
            "1. Calls upon all States to protect the rights of every child without discrimination of any "
            "kind;",
            "2. Decides to continue its consideration of the question at its eighty-first session.",
        ]
    )
    doc = parse_document(text)
    assert (doc.symbol, doc.title, doc.session, doc.agenda_item, doc.adopted_on) == (
        "A/RES/80/12",
        "Rights of the child",
        "Eightieth session",
        "68",
        "2025-12-03",
    )
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "pp2", "pp3", "op1", "op2"]


def test_it_reads_the_footnotes_of_a_web_copy_after_the_body():
    text = "\n\n".join(
        [
            "The General Assembly,",
            "Reaffirming the purposes and principles of the Charter of the United Nations and the "
            "Universal Declaration of Human Rights,1",
            "Recalling the 2030 Agenda for Sustainable Development,2 and recognizing its integrated and "
            "indivisible nature,",
            "1. Decides to continue its consideration of the question at its seventy-second session, under "
            'the item entitled "Crime prevention and criminal justice".',
            "96th plenary meeting",
            "8 September 2017",
            "1 Resolution 217 A (III).",
            "2 Resolution 70/1.",
        ]
    )
    doc = parse_document(text)
    assert [(f.number, f.text) for f in doc.footnotes] == [
        (1, "Resolution 217 A (III)."),
        (2, "Resolution 70/1."),
    ]
    assert [(p.anchor, p.footnotes) for p in doc.paragraphs] == [("pp1", [1]), ("pp2", [2]), ("op1", [])]
    assert doc.paragraphs[1].text.startswith("Recalling the 2030 Agenda for Sustainable Development, and")


SUBPARAGRAPHS = [
    "The General Assembly,",
    "Recalling its resolution 70/1 of 25 September 2015,",
    "1. Decides:",
    *(f"({letter}) To act under heading {letter};" for letter in "abcdefgh"),
    "(i) To review, including:",
    "(i) The first part;",
    "(ii) The second part;",
    "(j) To close.",
]


@pytest.mark.parametrize("layout", ["single-spaced", "one per line", "markdown"])
def test_it_reads_i_after_h_as_a_letter_in_every_layout(layout):
    text = "\n".join(SUBPARAGRAPHS) if layout == "single-spaced" else "\n\n".join(SUBPARAGRAPHS)
    doc = parse_document(text, "en", layout="markdown" if layout == "markdown" else None)
    assert [(p.anchor, p.label) for p in doc.paragraphs][-5:] == [
        ("op1h", "OP 1 (h)"),
        ("op1i", "OP 1 (i)"),
        ("op1i-i", "OP 1 (i) (i)"),
        ("op1i-ii", "OP 1 (i) (ii)"),
        ("op1j", "OP 1 (j)"),
    ]


INLINE_NUMERALS = (
    "The General Assembly,\n"
    "Recalling its resolution 70/1 of 25 September 2015 and all the commitments made there,\n"
    "1. Calls upon States to protect the rights of migrants, including (i) the right to life;\n"
    "(ii) the right to the protection of the law; and (iii) the right to leave any country;\n"
    "2. Requests the Secretary-General to report on the implementation of the present resolution.\n"
)


@pytest.mark.parametrize("layout", [None, "markdown"])
def test_it_keeps_i_and_ii_inside_a_sentence_as_text(layout):
    text = INLINE_NUMERALS if layout is None else INLINE_NUMERALS.replace("\n", "\n\n")
    doc = parse_document(text, "en", layout=layout)
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1", "op2"]
    assert doc.paragraphs[1].text == (
        "Calls upon States to protect the rights of migrants, including (i) the right to life; "
        "(ii) the right to the protection of the law; and (iii) the right to leave any country;"
    )


def test_it_keeps_i_and_ii_inside_a_line_of_a_web_copy_as_text():
    text = INLINE_NUMERALS.replace(";\n(ii)", "; (ii)").replace("\n", "\n\n")
    doc = parse_document(text, "en")
    assert [p.anchor for p in doc.paragraphs] == ["pp1", "op1", "op2"]


def test_it_letters_subparagraphs_beyond_z_as_the_un_does():
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [
        "aa",
        "bb",
        "cc",
        "dd",
        "ee",
        "ff",
        "gg",
        "hh",
    ]
    lines = ["The General Assembly,", "1. Decides to take the following measures:"]
    lines += [f"({letter}) Measure {letter};" for letter in letters] + [
        "(ii) Measure ii;",
        "(jj) Measure jj.",
    ]
    doc = parse_document("\n\n".join(lines), "en", layout="markdown")
    assert len(doc.paragraphs) == 1 + 26 + 10
    # (ii) after (hh) is a letter, as (i) after (h) is.
    assert [(p.anchor, p.label, p.label_zh, p.text) for p in doc.paragraphs][26:] == [
        ("op1z", "OP 1 (z)", "执行部分第1(z)段", "Measure z;"),
        ("op1aa", "OP 1 (aa)", "执行部分第1(aa)段", "Measure aa;"),
        ("op1bb", "OP 1 (bb)", "执行部分第1(bb)段", "Measure bb;"),
        ("op1cc", "OP 1 (cc)", "执行部分第1(cc)段", "Measure cc;"),
        ("op1dd", "OP 1 (dd)", "执行部分第1(dd)段", "Measure dd;"),
        ("op1ee", "OP 1 (ee)", "执行部分第1(ee)段", "Measure ee;"),
        ("op1ff", "OP 1 (ff)", "执行部分第1(ff)段", "Measure ff;"),
        ("op1gg", "OP 1 (gg)", "执行部分第1(gg)段", "Measure gg;"),
        ("op1hh", "OP 1 (hh)", "执行部分第1(hh)段", "Measure hh;"),
        ("op1ii", "OP 1 (ii)", "执行部分第1(ii)段", "Measure ii;"),
        ("op1jj", "OP 1 (jj)", "执行部分第1(jj)段", "Measure jj."),
    ]


def test_it_numbers_roman_subparagraphs_of_three_letters_and_more():
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii"]
    lines = ["The General Assembly,", "1. Expresses its concern at:", "(a) The continuing reports of:"]
    lines += [f"({roman}) Violation {roman};" for roman in romans] + ["(b) The refusal to cooperate."]
    doc = parse_document("\n".join(lines), "en")
    assert [p.anchor for p in doc.paragraphs] == ["op1", "op1a"] + [f"op1a-{r}" for r in romans] + ["op1b"]
    assert doc.paragraphs[9].label == "OP 1 (a) (viii)"
    assert doc.paragraphs[9].text == "Violation viii;"


@pytest.mark.parametrize(
    "name,head", [("en/A_RES_71_322.txt", EN_HEAD), ("zh/000_9c40344d96047766.txt", ZH_HEAD)]
)
def test_it_reads_a_web_copy_pasted_without_blank_lines(name, head):
    # Pasted from the website into a plain editor: one paragraph per line, nothing between.
    text, original = web_copy(name, head)
    text = text.replace("\n\n", "\n")
    assert "\n\n" not in text
    doc = parse_document(text)
    assert same_paragraphs(doc) == same_paragraphs(original)
    assert (doc.symbol, doc.title) == (original.symbol, original.title)
