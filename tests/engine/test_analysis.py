from search.engine.analysis import SENTENCE_MARK, analyze, literal_analyzer, normalize, word_analyzer


def words(text, mode="query"):
    return analyze(word_analyzer(), text, mode)


def test_it_folds_full_width_forms_and_case():
    assert normalize("ＵＮＩＣＥＦ ２０３０").text == "unicef 2030"


def test_it_turns_traditional_characters_into_simplified_keeping_length():
    text = "販運人口問題"
    assert normalize(text).text == "贩运人口问题"
    assert len(normalize(text).text) == len(text)


def test_it_straightens_curly_quotes():
    assert normalize("“Member States’”").text == '"member states\'"'


def test_it_drops_spaces_between_chinese_characters_and_digits():
    assert normalize("到 2025 年终止").text == "到2025年终止"
    assert normalize("第 96 次 全体会议").text == "第96次全体会议"
    assert normalize("in 2030 the").text == "in 2030 the"


def test_it_maps_normalised_spans_back_to_the_original_text():
    original = "到 ２０２５ 年終止"
    norm = normalize(original)
    start = norm.text.index("2025年")
    s, e = norm.span(start, start + 5)
    assert original[s:e] == "２０２５ 年"


def test_it_gives_token_offsets_in_the_original_text_even_for_repeated_words():
    original = "會員國 和 會員國"
    # Whoosh reuses one Token object: read each as it comes.
    tokens = word_analyzer()(original, chars=True, positions=True, mode="index")
    spans = [(t.startchar, t.endchar) for t in tokens if t.text == "会员国"]
    assert spans == [(0, 3), (6, 9)]
    assert {original[s:e] for s, e in spans} == {"會員國"}


def test_it_stems_english_words_so_inflections_meet():
    assert len(set(words("trafficked traffickers trafficking"))) == 1
    assert len(set(words("provide provides provided providing providers"))) == 1
    assert words("persons policies committed") == words("person policy commit")


def test_it_keeps_derived_words_apart_from_their_roots():
    # Porter makes "organ" of "Organization": a query for organ removal would match
    # every citation of the World Health Organization.
    assert words("Organization") != words("organ")
    assert words("organs") == words("organ")
    assert words("offer member") == ["offer", "member"]


def test_it_keeps_one_character_tokens_of_symbols():
    assert words("A/RES/70/1") == ["a", "res", "70", "1"]


def test_it_adds_dictionary_sub_words_only_when_indexing():
    assert "人道主义" in words("国际人道主义法", mode="index")
    assert words("联合国安全理事会") == ["联合国安全理事会"]


def test_it_indexes_the_character_n_grams_each_character_starts():
    mark = SENTENCE_MARK  # where a sentence starts
    assert analyze(literal_analyzer(), "性暴力", mode="index") == [mark, "性", "性暴", "暴", "暴力", "力"]
    grams = analyze(literal_analyzer(), "打击贩运人口", mode="index")
    assert grams[:4] == [mark, "打", "打击", "击"] and "人口" in grams
    assert max(len(g) for g in grams) == 2


def test_it_marks_where_each_sentence_starts_at_its_first_position():
    tokens = literal_analyzer()("会员国。决定 A.B end. Next; 贩运", positions=True, mode="index")
    marks = [(t.pos, t.text) for t in tokens if t.text in (SENTENCE_MARK, "决", "next", "贩")]
    # "A.B" is no sentence's end: a full stop ends one before a space or the end.
    assert marks == [(0, SENTENCE_MARK), (3, SENTENCE_MARK), (3, "决"), (8, SENTENCE_MARK), (8, "next")] + [
        (9, SENTENCE_MARK),
        (9, "贩"),
    ]
    assert SENTENCE_MARK not in analyze(literal_analyzer(), "会员国。决定")  # never in a query


def test_it_queries_up_to_two_characters_as_one_term_and_longer_text_as_pairs():
    assert analyze(literal_analyzer(), "暴力") == ["暴力"]
    assert analyze(literal_analyzer(), "性") == ["性"]
    assert analyze(literal_analyzer(), "性暴力") == ["性暴", "暴力"]
    assert analyze(literal_analyzer(), "打击贩运人口") == ["打击", "击贩", "贩运", "运人", "人口"]
    # Runs before the last keep one term per position, so a phrase lines up.
    assert analyze(literal_analyzer(), "人口，尤其") == ["人口", "口", "尤其"]
