"""What a paragraph cites, read from its text once, in time linear in its length.

Rules on tiny texts; the documents' own sentences where the rule is about how UN
documents cite (A/RES/71/322 in Chinese, the draft A/C.3/80/L.2 in English); and texts
built to make a backtracking pattern take exponential or quadratic time, read at once.
"""

import re
import time
from pathlib import Path

import pytest
from conftest import parse_ods_pdf

from search.parsing import Cited, find_citations, parse_document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def cited(text: str) -> list[tuple[str, str]]:
    """(what the text says, the symbol it cites), in order."""
    return [(text[c.start : c.end], c.symbol) for c in find_citations(text)]


def paragraph_with(parsed, words: str) -> str:
    (text,) = [p.text for p in parsed.paragraphs if words in p.text]
    return text


def test_it_reads_resolutions_and_decisions_the_un_way():
    assert cited("its decision 77/548 B of 18 April 2023 and resolution 78/1") == [
        ("77/548", "A/DEC/77/548"),
        ("78/1", "A/RES/78/1"),
    ]
    # The last such word before a number, in the same clause, whatever lies between.
    assert cited("its resolutions 63/210 of 19 December 2008, " + "x" * 300 + " and 67/263") == [
        ("63/210", "A/RES/63/210"),
        ("67/263", "A/RES/67/263"),
    ]
    assert cited("resolution 71/322 (2017); 73/189") == [("71/322", "A/RES/71/322")]
    assert cited("a 2/3 majority; 50/50 parity") == []
    assert cited("see A/80/537 and E/2014/30.") == [("A/80/537", "A/80/537"), ("E/2014/30", "E/2014/30")]


def test_it_gives_each_number_the_body_that_adopted_it():
    assert cited(
        "Economic and Social Council resolution 2013/41 and Human Rights Council resolution 32/3"
    ) == [
        ("2013/41", "E/RES/2013/41"),
        ("32/3", "A/HRC/RES/32/3"),
    ]
    # Named before, by the Assembly: its own.
    assert cited("adopted by the General Assembly in its resolution 64/293") == [("64/293", "A/RES/64/293")]
    assert cited("the Human Rights Council, in its resolution 27/21, to appoint") == [
        ("27/21", "A/HRC/RES/27/21")
    ]
    # Another body's numbering has no symbol of this form: no citation.
    assert cited("Commission on Crime Prevention and Criminal Justice resolution 27/2 of 18 May 2018") == []
    assert cited("回顾预防犯罪和刑事司法委员会第27/2号决议") == []


def test_it_names_the_body_of_every_number_of_the_long_lists_of_a_real_draft():
    text = paragraph_with(parse_ods_pdf("A_C.3_80_L.2.pdf"), "Recalling the provisions of Commission")
    found = cited(text)
    # "… of Commission on Human Rights resolutions 2004/16 … and 2005/5 … and relevant Human
    # Rights Council resolutions, in particular resolutions 7/34 …, 18/15 … and 21/33 …, as
    # well as General Assembly resolutions 60/143 …, … and 79/160 … on this issue, and its
    # resolutions 61/149 …, … and 79/161 …": 42 numbers, each its body's, to the end.
    numbers = [n for n, _ in found]
    assert found[:3] == [
        ("7/34", "A/HRC/RES/7/34"),
        ("18/15", "A/HRC/RES/18/15"),
        ("21/33", "A/HRC/RES/21/33"),
    ]
    assert found[3] == ("60/143", "A/RES/60/143")
    assert ("79/160", "A/RES/79/160") in found
    assert found[-1] == ("79/161", "A/RES/79/161")
    # Every number of the paragraph is followed by its date: all but the Commission's cited.
    dated = re.findall(r"(\d+/\d+) of \d", text)
    assert numbers == [n for n in dated if n not in ("2004/16", "2005/5")]
    assert len(numbers) == 42


def test_it_reads_a_chinese_list_to_its_word_and_leaves_another_bodys_numbers():
    source = (CORPUS / "zh" / "000_9c40344d96047766.txt").read_text(encoding="utf-8")
    text = paragraph_with(parse_document(source, "zh"), "预防犯罪和刑事司法委员会关于")
    # "……的第 70/179 号决议以及预防犯罪和刑事司法委员会关于……的 2014 年 5 月 16 日第 23/2 号
    # 和 2016 年 5 月 27 日第 25/1 号决议": the Assembly's cited, the Commission's not.
    assert ("70/179", "A/RES/70/179") in cited(text)
    assert not [n for n, _ in cited(text) if n in ("23/2", "25/1")]
    assert cited("第71/322号和2018年12月17日第73/189号决议；第77/548号决定") == [
        ("71/322", "A/RES/71/322"),
        ("73/189", "A/RES/73/189"),
        ("77/548", "A/DEC/77/548"),
    ]
    assert cited("人权理事会第1/1号、第1/2号决议") == [("1/1", "A/HRC/RES/1/1"), ("1/2", "A/HRC/RES/1/2")]
    # A list ends at 。；，: the number before it is no citation.
    assert cited("第1/2号和，第3/4号决议") == [("3/4", "A/RES/3/4")]


# 10,000 different resolution numbers ("1/1" … "10/1000"; a number has 4 digits at most).
NUMBERS = [f"{i // 1000 + 1}/{i % 1000 + 1}" for i in range(10_000)]


def test_it_finds_every_citation_of_a_list_of_ten_thousand_in_english():
    text = "Recalling its resolutions " + ", ".join(NUMBERS[:-1]) + " and " + NUMBERS[-1] + ","

    found = find_citations(text)

    assert len(found) == 10_000
    assert [text[c.start : c.end] for c in found] == NUMBERS
    assert found[0] == Cited(26, 29, "A/RES/1/1")
    assert found[-1].symbol == "A/RES/10/1000"


def test_it_finds_every_citation_of_a_list_of_ten_thousand_in_chinese():
    text = "回顾第" + "、".join(f"{n}号" for n in NUMBERS) + "决议"

    found = find_citations(text)

    assert len(found) == 10_000
    assert {c.symbol for c in found} == {f"A/RES/{n}" for n in NUMBERS}
    assert found[4321].symbol == "A/RES/5/322"


def test_a_list_of_ten_thousand_items_after_one_number_gives_that_one():
    # The text of the issue, made long: one number, then "和1号" 9,999 times.
    assert cited("第1/2号" + "和1号" * 9_999 + "决议") == [("1/2", "A/RES/1/2")]
    assert cited("第1/2号" + "和1号" * 23) == []  # 24 items and no 决议: no citation


# Texts that a backtracking pattern took exponential or quadratic time over (the page of
# the first one cost 3 s a view, ×4 for every two more items), with what they cite.
SLOW_BEFORE = [
    ("第1/2号" + "和1号" * 5_000, 0),
    ("第1/2号" + "和1号和" * 5_000 + "决议", 0),
    ("第1/2号" + ("和" + "号" * 39) * 2_000 + "决议", 1),
    ("resolution " + "1/2 " * 20_000, 20_000),
    ("resolution" + " " * 100_000 + "1/2", 1),
    ("Council Commission " * 5_000 + "resolution 1/2", 0),
    ("Human Rights Council resolution " + "x" * 100_000 + " 1/2", 1),
    ("A/1" + "." * 100_000, 1),
    ("A/1" + "/." * 50_000, 1),
    ("1/2" + " " * 100_000 + "号决议", 1),
    ("委员会第" * 20_000 + "1/2号决议", 0),
    ("号和" * 50_000, 0),
]


@pytest.mark.parametrize("text, count", SLOW_BEFORE, ids=[t[:12] for t, _ in SLOW_BEFORE])
def test_texts_that_took_exponential_or_quadratic_time_are_read_at_once(text, count):
    started = time.process_time()
    assert len(find_citations(text)) == count
    # Only against catastrophic time: each is read in well under a tenth of a second.
    assert time.process_time() - started < 5
