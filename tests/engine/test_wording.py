"""The rules of "the same or nearly the same wording" (search.engine.wording), one at a time.

The texts are short made-up paragraphs in the UN's manner; how the rules do on real
paragraphs labelled by reading is measured by `python -m bench.agreed` and tested in
tests/ingest/test_agreed_language.py.
"""

from search.engine.wording import BANDS, band_keys, same_wording, words

AGREED = (
    "Calls upon all States to take effective measures to prevent, combat and eradicate trafficking "
    "in persons, and to protect and assist its victims, with full respect for their human rights"
)


def alike(a: str, b: str, language: str = "en") -> float | None:
    return same_wording(words(a, language), words(b, language))


def test_it_keeps_agreed_language_with_a_few_words_changed():
    edited = AGREED.replace("all States", "all Member States").replace("effective", "concrete")
    assert alike(AGREED, edited) is not None


def test_it_keeps_agreed_language_with_a_clause_added():
    longer = AGREED + ", and to that end to strengthen cooperation among countries of origin and transit"
    assert alike(AGREED, longer) is not None


def test_a_shared_stock_opening_is_not_the_same_wording():
    a = "Recalling its resolution 78/219 of 19 December 2023 on the situation of human rights in Myanmar"
    b = (
        "Recalling its resolution 77/236 of 15 December 2022 on organ donation and transplantation "
        "and the prevention of trafficking"
    )
    assert alike(a, b) is None


def test_the_same_subject_in_other_words_is_not_the_same_wording():
    other = (
        "Urges Governments to criminalize trafficking in persons in all its forms and to ensure "
        "that victims receive protection, assistance and access to justice"
    )
    assert alike(AGREED, other) is None


def test_printers_hyphens_spaces_and_case_are_not_changes():
    printed = AGREED.replace("human rights", "human\u00a0rights").replace("all States", "All  States")
    assert words(printed, "en") == words(AGREED, "en")
    assert alike(AGREED, printed) == 1.0


def test_chinese_is_compared_character_by_character():
    a = "呼吁所有国家采取有效措施，预防、打击和消除贩运人口行为，保护和援助被害人，充分尊重其人权"
    b = "呼吁所有会员国采取具体措施，预防、打击和消除贩运人口行为，保护和援助被害人，充分尊重其人权"
    assert words(a, "zh")[:4] == ["呼", "吁", "所", "有"]
    assert alike(a, b, "zh") is not None
    other = "决定在第八十一届会议临时议程中列入题为“人权问题”的项目，并继续审议这一问题"
    assert alike(a, other, "zh") is None


def test_a_short_formula_gets_no_bands_and_is_never_a_candidate():
    keys = band_keys([("Decides to remain seized of the matter.", "en"), (AGREED, "en")])
    assert keys[0] == []
    assert len(keys[1]) == BANDS


def test_identical_paragraphs_share_every_band_and_languages_never_do():
    same, again, other = band_keys([(AGREED, "en"), (AGREED.upper(), "en"), ("x " + AGREED, "zh")])
    assert same == again
    assert not set(same) & set(other)
