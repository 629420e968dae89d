from search.parsing import (
    DRAFT_RESOLUTION,
    OPERATIVE,
    PREAMBULAR,
    REPORT,
    REPORT_DOC,
    ParsedDocument,
    ParsedFootnote,
    ParsedParagraph,
    symbol_from_filename,
)
from search.parsing.fidelity import (
    CHECKS,
    check_document,
    furniture_in,
    furniture_paragraphs,
)


def pp(n, text="Recalling its resolutions,", footnotes=()):
    return ParsedParagraph(f"pp{n}", PREAMBULAR, f"PP {n}", "", text, footnotes=list(footnotes))


def op(n, text="Decides to remain seized of the matter.", footnotes=()):
    return ParsedParagraph(
        f"op{n}", OPERATIVE, f"OP {n}", "", text, number=f"{n}.", footnotes=list(footnotes)
    )


def resolution(*paragraphs, footnotes=(), symbol="A/RES/78/1", title="Oceans and the law of the sea"):
    return ParsedDocument(
        language="en",
        symbol=symbol,
        title=title,
        paragraphs=list(paragraphs),
        footnotes=[ParsedFootnote(n, f"Note {n}.") for n in footnotes],
    )


def failures(doc, expected=None):
    return {c.name: c.detail for c in check_document(doc, expected) if not c.passed}


def test_it_passes_every_check_on_a_faithful_resolution():
    doc = resolution(pp(1, footnotes=[1]), op(1), op(2, footnotes=[2]), footnotes=[1, 2])

    checks = check_document(doc, "A/RES/78/1")

    assert [c.name for c in checks] == list(CHECKS)
    assert all(c.passed and c.detail == "" for c in checks)


def test_it_reads_the_symbol_from_a_file_name():
    assert symbol_from_filename("A_RES_78_123.pdf") == "A/RES/78/123"
    assert symbol_from_filename("A_C.3_80_L.37_Rev.1.pdf") == "A/C.3/80/L.37/Rev.1"
    assert symbol_from_filename("/work/ods/E_RES_2013_41.txt") == "E/RES/2013/41"
    assert symbol_from_filename("A_RES_71_322_zh.pdf") == "A/RES/71/322"
    assert symbol_from_filename("000_9c40344d96047766.txt") is None
    assert symbol_from_filename("resolution.docx") is None


def test_it_fails_a_missing_symbol_or_one_unlike_the_file_name():
    assert failures(resolution(op(1), symbol=None)) == {"symbol": "no symbol was found"}
    assert failures(resolution(op(1), symbol=None), "A/RES/78/1") == {
        "symbol": "no symbol was found (expected A/RES/78/1)"
    }
    assert failures(resolution(op(1), symbol="A/C.3/80/L.37"), "A/C.3/80/L.37/Rev.1") == {
        "symbol": "the symbol found is A/C.3/80/L.37, the file is named A/C.3/80/L.37/Rev.1"
    }


def test_it_fails_operative_numbers_that_skip_or_start_late():
    assert failures(resolution(op(1), op(2), op(4), op(5))) == {
        "numbers": "OP 4 comes after OP 2 (4 numbered, the last 5)"
    }
    assert failures(resolution(op(2), op(3))) == {"numbers": "OP 2 comes first (2 numbered, the last 3)"}
    assert failures(resolution(pp(1))) == {"numbers": "no OP was found"}


def test_it_counts_only_top_level_operative_paragraphs():
    sub = ParsedParagraph("op1a", OPERATIVE, "OP 1 (a)", "", "To report;", number="(a)", level=1)

    assert failures(resolution(op(1), sub, op(2))) == {}


def test_it_fails_footnotes_without_a_mark_and_marks_without_a_footnote():
    doc = resolution(op(1, footnotes=[1, 3]), footnotes=[1, 2])

    assert failures(doc) == {"footnotes": "footnote 2 not referenced; mark 3 without its footnote"}


def test_it_names_each_kind_of_page_furniture():
    assert furniture_in("the Conference, 23-24977 (E) and") == ["a job number “23-24977 (E)”"]
    assert furniture_in("the Conference *2324977* and") == ["a barcode “*2324977*”"]
    assert furniture_in("the Conference, ____________ 1 Resolution") == ["a footnote rule “____________”"]
    assert furniture_in("United Nations Distr.: General 12 December 2024") == [
        "the distribution line “Distr.: General”"
    ]
    assert furniture_in("the Conference, Please recycle and") == ["a recycling note “Please recycle”"]
    assert furniture_in("the Conference, 3/6 and") == ["a page number “3/6”"]
    assert furniture_in(
        "in the A/RES/78/1 Oceans and the law of the sea 2/9 field", "A/RES/78/1", "Oceans and the law"
    ) == [
        "a page number “2/9”",
        "the running header “A/RES/78/1 Oceans and the”",
    ]
    assert furniture_in("in the A/C.3/80/L.7 field", "A/C.3/80/L.7", "Oceans") == [
        "the running header “A/C.3/80/L.7”"
    ]


def test_it_keeps_numbers_that_are_not_page_furniture():
    text = (
        "Recalling A/C.3/80/L.7/Rev.1, Human Rights Council resolutions 6/30, 16/21 and 5/1 "
        "and its resolution 78/123 of 2023, Discrimination, 62/122 of 17 December 2007, "
        "document A/78/123, resolution 80/___ of __ December 2025, the goal of 50/50 gender balance, "
        "the 2030 Agenda, "
        "10-year plans and 第59/156号决议,"
    )

    assert furniture_in(text, "A/C.3/80/L.7", "Oceans") == []


def test_it_fails_paragraphs_that_hold_furniture_and_says_which():
    doc = resolution(
        pp(1, "Recalling its resolution 77/248, 23-24977 (E) of 30 December 2022,"),
        op(1, "Decides A/RES/78/1 Oceans and the law of the sea to remain seized of the matter."),
    )

    assert furniture_paragraphs(doc) == 2
    assert failures(doc) == {
        "furniture": "PP 1 holds a job number “23-24977 (E)”; "
        "OP 1 holds the running header “A/RES/78/1 Oceans and the”"
    }


def test_it_fails_empty_paragraphs():
    assert failures(resolution(pp(1, " "), op(1, "."))) == {"empty": "PP 1, OP 1 are empty"}


def test_it_checks_the_drafts_a_report_contains():
    report = ParsedDocument(
        language="en",
        doc_type=REPORT_DOC,
        symbol="A/78/481",
        title="Report of the Third Committee",
        paragraphs=[
            ParsedParagraph(f"para{n}", REPORT, f"para. {n}", "", "The Committee met.") for n in (1, 2)
        ],
    )
    good = resolution(op(1), symbol=None)
    bad = resolution(op(1, footnotes=[1]), op(3), symbol=None)
    good.doc_type = bad.doc_type = DRAFT_RESOLUTION
    good.number, bad.number = "I", "II"
    report.resolutions = [good, bad]

    assert failures(report, "A/78/481") == {
        "numbers": "draft resolution II: OP 3 comes after OP 1 (2 numbered, the last 3)",
        "footnotes": "draft resolution II: mark 1 without its footnote",
    }
