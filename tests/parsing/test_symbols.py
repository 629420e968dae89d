"""UN document symbols and the bodies' names: the symbols are real ones, seen in corpus/
and /work/shared/ods."""

from search.parsing import (
    ANY_SYMBOL,
    BODIES,
    GA_DRAFT_SYMBOL,
    GA_RESOLUTION_SYMBOL,
    body_of_symbol,
    citation_number,
    committee_of_symbol,
    is_symbol,
    official_url,
    resolution_number,
    resolution_symbol,
    symbol_from_filename,
    symbols_in,
    typed_symbol,
)
from search.parsing.symbols import (
    BODY_BY_NAME,
    CITED_SYMBOL,
    MASTHEAD_SYMBOL,
    OFFICIAL_LINK,
    RESOLUTION_LINE,
    SYMBOL_ONLY_LINE,
)


def test_it_finds_the_symbols_written_in_running_text():
    text = "Report of the Third Committee (A/80/537/Add.2). See A/C.3/80/L.17/Rev.1 and ST/SGB/2003/13."
    assert symbols_in(text) == ["A/80/537/Add.2", "A/C.3/80/L.17/Rev.1", "ST/SGB/2003/13"]


def test_it_leaves_the_sentence_s_full_stop_out_of_a_symbol():
    assert symbols_in("as adopted in A/RES/78/189.") == ["A/RES/78/189"]
    assert symbols_in("document CTOC/COP/2020/10-") == ["CTOC/COP/2020/10"]


def test_it_finds_no_symbol_of_a_series_it_does_not_know():
    assert symbols_in("ISBN/978/92 and and/or") == []


def test_it_recognises_a_line_that_is_one_symbol():
    assert is_symbol("  A/C.3/80/L.56 ")
    assert is_symbol("A/80/L.19")
    assert is_symbol("A/RES/80/215")
    assert not is_symbol("A/C.3/80/L.56 (draft)")
    assert not is_symbol("71/322")


def test_it_reads_a_symbol_typed_in_the_search_box_as_the_index_keys_it():
    assert typed_symbol("A/RES/71/322") == "a/res/71/322"
    assert typed_symbol("71/322") == "71/322"
    assert typed_symbol("E/RES/2013/41") == "e/res/2013/41"
    assert typed_symbol("a/c.3/80/l.17/rev.1") == "a/c.3/80/l.17/rev.1"
    assert typed_symbol("A/C.3/80/L.1/Add.1") == "a/c.3/80/l.1/add.1"


def test_it_reads_the_chinese_citation_of_a_resolution():
    assert typed_symbol("第71/322号决议") == "71/322"
    assert typed_symbol("第 64/293 号决议") == "64/293"
    assert typed_symbol("A／RES／80／215") == "a/res/80/215"  # full-width slashes


def test_it_takes_no_other_query_for_a_symbol():
    assert typed_symbol("trafficking in persons") is None
    assert typed_symbol("A/RES/71/322 trafficking") is None
    assert typed_symbol("A/RES") is None
    assert typed_symbol("2019..2023") is None


def test_it_reads_an_assembly_draft_symbol_into_its_pieces():
    draft = GA_DRAFT_SYMBOL.match("A/C.3/80/L.17/Rev.1")
    assert draft.group("base", "committee", "session", "revision") == ("A/C.3/80/L.17", "3", "80", "1")
    plenary = GA_DRAFT_SYMBOL.match("A/80/L.19")
    assert plenary.group("base", "committee", "session", "revision") == ("A/80/L.19", None, "80", None)


def test_it_takes_only_assembly_drafts_and_their_revisions_for_drafts():
    assert not GA_DRAFT_SYMBOL.match("A/RES/80/215")
    assert not GA_DRAFT_SYMBOL.match("A/C.3/80/L.1/Add.1")
    assert not GA_DRAFT_SYMBOL.match("E/2024/L.10")


def test_it_reads_the_session_of_an_assembly_resolution():
    assert GA_RESOLUTION_SYMBOL.match("A/RES/80/215")["session"] == "80"
    assert GA_RESOLUTION_SYMBOL.match("A/RES/60/1A")["session"] == "60"
    assert not GA_RESOLUTION_SYMBOL.match("A/HRC/RES/32/3")
    assert not GA_RESOLUTION_SYMBOL.match("A/C.3/80/L.56")


def test_it_cites_a_resolution_by_its_number():
    assert resolution_number("A/RES/80/215") == "80/215"
    assert resolution_number("E/RES/2013/41") == "2013/41"
    assert resolution_number("A/HRC/RES/32/3") == "32/3"
    assert resolution_number("S/RES/2331 (2016)") == "2331 (2016)"
    assert resolution_number("A/C.3/80/L.17/Rev.1") is None
    assert resolution_number(None) is None


def test_it_gives_the_number_a_paragraph_cites_a_resolution_or_decision_by():
    assert citation_number("A/RES/78/189") == "78/189"
    assert citation_number("A/DEC/77/548") == "77/548"
    assert citation_number("A/HRC/RES/32/3") == "32/3"
    assert citation_number("S/RES/2331 (2016)") is None
    assert citation_number("A/C.3/80/L.56") is None


def test_it_writes_a_body_s_resolution_symbol():
    assert resolution_symbol("GA", "71/322") == "A/RES/71/322"
    assert resolution_symbol("ECOSOC", "2013/41") == "E/RES/2013/41"
    assert resolution_symbol("HRC", "32/3") == "A/HRC/RES/32/3"
    assert resolution_symbol("SC", "2331 (2016)") == "S/RES/2331 (2016)"


def test_it_tells_the_body_and_the_committee_from_a_symbol():
    assert body_of_symbol("A/C.3/80/L.56") == "GA"
    assert body_of_symbol("A/HRC/RES/32/3") == "HRC"
    assert body_of_symbol("E/RES/2013/41") == "ECOSOC"
    assert body_of_symbol("S/RES/2331 (2016)") == "SC"
    assert body_of_symbol("ST/SGB/2003/13") is None
    assert committee_of_symbol("A/C.3/80/L.17/Rev.1") == "C3"
    assert committee_of_symbol("A/80/L.19") == ""
    assert committee_of_symbol(None) == ""


def test_it_names_each_body_in_english_and_chinese():
    assert BODIES["GA"] == ("General Assembly", "大会")
    assert BODY_BY_NAME["人权理事会"] == BODY_BY_NAME["Human Rights Council"] == "HRC"
    assert BODY_BY_NAME["经济及社会理事会"] == "ECOSOC"


def test_it_reads_the_symbol_a_file_is_named_after():
    assert symbol_from_filename("A_C.3_80_L.17_Rev.1.pdf") == "A/C.3/80/L.17/Rev.1"
    assert symbol_from_filename("A_RES_80_215.pdf") == "A/RES/80/215"
    assert symbol_from_filename("A_RES_71_322_zh.pdf") == "A/RES/71/322"
    assert symbol_from_filename("000_9c40344d96047766.txt") is None


def test_it_links_a_symbol_to_its_official_text_and_reads_the_link_back():
    assert official_url("A/RES/80/215", "en") == "https://undocs.org/en/A/RES/80/215"
    assert official_url("A/RES/80/215", "zh") == "https://undocs.org/ch/A/RES/80/215"
    assert official_url(None, "en") is None
    assert OFFICIAL_LINK.search("see https://undocs.org/en/A/RES/78/189").group(1) == "A/RES/78/189"
    assert OFFICIAL_LINK.search("https://undocs.org/A/80/L.19").group(1) == "A/80/L.19"


def test_it_finds_a_cited_symbol_of_a_body_s_series_only():
    found = CITED_SYMBOL.finditer("in A/RES/78/189 and ST/SGB/2003/13")
    assert [m.group(0) for m in found] == ["A/RES/78/189"]
    # The caller cuts the sentence's full stop: no backtracking here.
    assert CITED_SYMBOL.search("(see A/C.3/80/L.56.)").group(0) == "A/C.3/80/L.56."
    # ASCII classes: a Chinese character may stand right before it, a letter may not.
    assert CITED_SYMBOL.search("第A/RES/78/189").group(0) == "A/RES/78/189"
    assert not CITED_SYMBOL.search("XA/RES/78/189")


def test_it_reads_the_symbol_of_a_masthead_and_of_a_running_header():
    assert MASTHEAD_SYMBOL.search("United Nations A/C.3/80/L.56").group(0) == "A/C.3/80/L.56"
    assert SYMBOL_ONLY_LINE.match(" A/C.3/80/L.56 ")
    assert not SYMBOL_ONLY_LINE.match("A/C.3/80/L.17/Rev.1")  # capitals only, as it always read
    assert not SYMBOL_ONLY_LINE.match("A/RES")
    assert not SYMBOL_ONLY_LINE.match("a/res/80/215")


def test_it_reads_a_resolution_symbol_on_a_line_of_its_own():
    assert RESOLUTION_LINE.fullmatch(" A/RES/78/189 ")
    assert RESOLUTION_LINE.fullmatch("S/RES/2331 (2016)")
    assert not RESOLUTION_LINE.fullmatch("A/C.3/80/L.56")


def test_it_takes_any_well_formed_symbol_from_staff():
    assert ANY_SYMBOL.match("A/C.3/80/L.17/Rev.1")
    assert ANY_SYMBOL.match("CTOC/COP/2020/10")
    assert not ANY_SYMBOL.match("a/res/71/322")
    assert not ANY_SYMBOL.match("A/RES/71/322 ")
    assert not ANY_SYMBOL.match("draft-trafficking-2019")
