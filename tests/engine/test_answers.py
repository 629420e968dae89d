"""Every query gets an answer when one exists: words without meaning in a question are not
required, and when few paragraphs or none have every word, the paragraphs with most of them
follow."""

import re

import numpy as np
import pytest
from conftest import all_hits

from search.engine.query import parse_query
from search.engine.searching import search_paragraphs

pytestmark = pytest.mark.django_db


def keys(hits):
    return {(h["resolution"], h["language"], h["anchor"]) for h in hits}


def plain(hit):
    return re.sub(r"</?mark>", "", hit["snippet"]).lower()


def test_it_answers_an_english_question_without_requiring_its_question_words(corpus):
    result = search_paragraphs("How can States prevent trafficking in human organs?")

    assert not result["partial"]
    complete = result["hits"][: result["complete"]]  # those with most of the words follow
    assert complete and {h["symbol"] for h in complete} == {"A/RES/71/322"}
    assert result["total"] == len(all_hits("States prevent trafficking human organs"))
    # "how" and "can" were not required: the answers do not say them.
    assert not any(re.search(r"\bhow\b", plain(h)) for h in result["hits"])


def test_it_answers_what_the_general_assembly_says_about_something(corpus):
    result = search_paragraphs("what does the General Assembly say about the trafficking of women and girls?")

    assert not result["partial"] and result["hits"]
    # The speaker is every resolution's: what it says about is what is required.
    assert result["total"] == len(all_hits("trafficking women girls"))
    assert "A/RES/74/176" in {h["symbol"] for h in result["hits"]}


def test_it_leaves_out_the_speaker_of_a_reported_question():
    assert [u.text for u in parse_query("which resolutions mention the Kyoto Model Strategies?").units] == [
        "Kyoto",
        "Model",
        "Strategies?",
    ]
    said = parse_query("what does the General Assembly say about child marriage?")
    assert [u.text for u in said.units] == ["child", "marriage?"]
    assert {"General", "Assembly"} <= {u.text for u in said.ignored}
    # Nothing after the verb, or the speaker in quotes: the words stay.
    assert [u.text for u in parse_query("General Assembly say").units] == ["General", "Assembly"]
    assert [u.text for u in parse_query('"General Assembly" mentions trafficking').units] == [
        "General Assembly",
        "trafficking",
    ]


def test_it_answers_a_chinese_question_without_its_question_words(corpus):
    result = search_paragraphs("如何保护人口贩运受害者？")

    assert ("E/RES/2013/41", "zh", "op2d") in keys(result["hits"])
    assert not result["partial"]
    assert [u.text for u in parse_query("如何保护人口贩运受害者？").units] == ["保护人口贩运受害者"]


def test_it_finds_the_paragraphs_with_most_of_the_words_when_none_has_them_all(corpus):
    result = search_paragraphs("organ trafficking xyzzy", per_page=100)

    assert result["partial"]
    both = keys(all_hits("organ trafficking"))
    either = keys(all_hits("organ OR trafficking"))
    assert result["total"] == len(either) > len(both) > 0
    # Those with both words first, then those with one of them.
    first = [(h["resolution"], h["language"], h["anchor"]) for h in result["hits"][: len(both)]]
    assert set(first) == both


def test_it_never_relaxes_a_query_whose_words_occur_together(corpus):
    result = search_paragraphs("organ trafficking")

    assert not result["partial"]
    assert all("organ" in plain(h) and "traffick" in plain(h) for h in all_hits("organ trafficking"))


def test_a_phrase_stays_exact_when_the_other_words_are_relaxed(corpus):
    phrase = keys(all_hits('"organ removal"'))

    result = search_paragraphs('"organ removal" xyzzy', per_page=100)

    assert result["partial"] and phrase
    assert keys(result["hits"]) == phrase
    assert search_paragraphs('"removal organ" trafficking')["total"] == 0


def test_filters_and_exclusions_hold_in_a_partial_match(corpus):
    hits = all_hits("organ trafficking xyzzy lang:en -removal")

    assert hits and all(h["language"] == "en" and "removal" not in plain(h) for h in hits)


def test_a_query_of_stop_words_only_keeps_them(corpus):
    assert [u.text for u in parse_query("of the").units] == ["of", "the"]
    both = keys(all_hits("of")) & keys(all_hits("the"))
    assert keys(all_hits("of the")) == both and both


def test_a_word_that_carries_meaning_in_a_resolution_stays_required(corpus):
    assert [u.text for u in parse_query("how against not all States").units] == [
        "against",
        "not",
        "all",
        "States",
    ]
    # 目的 is one word for jieba: it is not cut at 的.
    assert [u.text for u in parse_query("目的").units] == ["目的"]


def test_a_symbol_query_stays_as_it_is(corpus):
    assert search_paragraphs("A/RES/71/322")["hits"][0]["symbol"] == "A/RES/71/322"
    # Among other words a symbol is never left out, like a phrase.
    cited = all_hits("A/RES/71/322 xyzzy")
    assert cited and all(h["symbol"] == "A/RES/71/322" or "71/322" in h["snippet"] for h in cited)


def test_a_few_paragraphs_with_every_word_come_first_then_those_with_most_of_them(corpus):
    every = keys(all_hits('"refugees" "Africa"'))  # words in quotes are never relaxed

    result = search_paragraphs("where are refugees in Africa?", per_page=30)

    assert 0 < len(every) < 10
    assert not result["partial"] and result["complete"] == len(every) < result["total"]
    assert keys(result["hits"][: len(every)]) == every
    assert result["total"] == len(keys(all_hits("refugees OR Africa")))
    # Page after page, the same order.
    pages = [search_paragraphs(result["query"], page=page, per_page=2)["hits"] for page in (1, 2, 3)]
    assert [keys([h]) for page in pages for h in page] == [keys([h]) for h in result["hits"][:6]]


def test_most_of_the_words_reach_down_to_half_of_them_only_to_fill_a_page():
    from search.engine.searching import FEW_COMPLETE, _enough

    def enough(counts, words, least=1):
        counts = np.array(counts)
        return _enough(counts, counts < words, words, least).tolist()  # every word: ranked above

    # Four words, some paragraphs with all four: all but one (3) fill a page; 2 never come.
    assert enough([4] * 3 + [3] * FEW_COMPLETE + [2] * 5 + [1] * 5, 4) == (
        [False] * 3 + [True] * FEW_COMPLETE + [False] * 10
    )
    # Too few with 3 (those with all four do not count): 2 (half of four) comes too, never 1.
    assert (
        enough([4] * FEW_COMPLETE + [3, 3, 2, 2, 2, 1, 1], 4)
        == [False] * FEW_COMPLETE + [True] * 5 + [False] * 2
    )
    # None with every word: all but one of the most any holds, and so on down to half.
    assert enough([3, 2, 1], 4) == [True, True, False]
    # A phrase typed among words may stand alone (least 0), but half the words still hold.
    assert enough([0, 0, 3], 6, least=0) == [False, False, True]
