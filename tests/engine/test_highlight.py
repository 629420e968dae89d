"""The one highlighter marks what the search matches, and only that, in escaped text."""

from search.engine.highlight import highlight, match_spans, snippet
from search.engine.query import parse_query


def marked(text: str, q: str) -> str:
    return highlight(text, parse_query(q).units)


def test_it_marks_whole_english_words_with_their_inflections():
    assert marked("a<b & Organs, organ", "organ") == "a&lt;b &amp; <mark>Organs</mark>, <mark>organ</mark>"
    assert (
        marked("Traffickers trafficked", "trafficking") == "<mark>Traffickers</mark> <mark>trafficked</mark>"
    )


def test_it_marks_a_word_whose_stem_is_not_its_beginning():
    # "countries" stems to "country": the word does not begin with its whole stem.
    assert marked("Countries and a country", "country") == "<mark>Countries</mark> and a <mark>country</mark>"
    assert marked("least developed countries", '"developed countries"') == (
        "least <mark>developed countries</mark>"
    )


def test_a_phrase_of_words_is_broken_by_chinese_between_them():
    assert marked("human 人权 rights; human rights", '"human rights"') == (
        "human 人权 rights; <mark>human rights</mark>"
    )
    assert marked("1human rights", '"human rights"') == "1human rights"


def test_it_never_marks_part_of_a_word():
    text = "business, including sustainable investment in persons"
    assert marked(text, "in") == "business, including sustainable investment <mark>in</mark> persons"
    assert marked("United Nations Convention against Transnational Organized Crime", "organ") == (
        "United Nations Convention against Transnational Organized Crime"
    )


def test_it_marks_a_phrase_only_where_its_words_stand_together():
    text = "persons in trafficking; trafficking in persons"
    assert (
        marked(text, '"trafficking in persons"')
        == "persons in trafficking; <mark>trafficking in persons</mark>"
    )
    assert marked("A/RES/74/176 and a text", "A/RES/74/176") == "<mark>A/RES/74/176</mark> and a text"


def test_it_marks_chinese_literally_whatever_jieba_makes_of_it():
    assert (
        marked("贩运人口行为和贩运人体器官", "贩运") == "<mark>贩运</mark>人口行为和<mark>贩运</mark>人体器官"
    )
    # 性暴力 is not a jieba word of this text (冲突/中性/暴力行为), it is still its text.
    assert marked("冲突中性暴力行为", "性暴力") == "冲突中<mark>性暴力</mark>行为"


def test_it_marks_what_a_traditional_or_full_width_query_found():
    assert marked("打击贩运人口行为", "販運人口") == "打击<mark>贩运人口</mark>行为"
    assert marked("the 2030 Agenda", "２０３０") == "the <mark>2030</mark> Agenda"
    assert marked("《2030 年可持续发展议程》", "2030年") == "《<mark>2030 年</mark>可持续发展议程》"


def test_it_marks_nothing_for_syntax_exclusions_and_filters():
    assert marked("x.*y", ".*") == "x.*y"
    assert marked("A & B", "amp") == "A &amp; B"
    assert marked("organ trade in persons", "persons -organ lang:en kind:operative") == (
        "organ trade in <mark>persons</mark>"
    )
    assert match_spans("organ OR trade", parse_query("organ OR trade").units) == [(0, 5), (9, 14)]


def test_it_escapes_everything_but_its_own_marks():
    text = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    assert marked(text, "script img") == (
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; "
        "&lt;<mark>img</mark> src=x onerror=alert(1)&gt;"
    )


def test_a_snippet_is_a_window_around_the_matches_of_a_long_paragraph():
    text = "首先。" * 60 + "打击贩运人口行为" + "其后。" * 60
    html = snippet(text, parse_query("贩运人口").units)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>贩运人口</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) == 200 + 2


def reference_spans(text, units):
    """What a phrase of each unit matches, read from the index's own token positions."""
    from search.engine.query import LITERAL, WORDS

    spans = []
    for unit in units:
        fieldname, terms = unit.field
        at = {}
        analyzer = LITERAL if fieldname == "literal" else WORDS
        for t in analyzer(text, positions=True, chars=True, mode="index"):
            at.setdefault(t.pos, {}).setdefault(t.text, (t.startchar, t.endchar))
        for pos in at:
            found = [at.get(pos + k, {}).get(term) for k, term in enumerate(terms)]
            if all(found):
                spans.append((min(s for s, _ in found), max(e for _, e in found)))
    merged = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def test_its_shortcuts_mark_what_the_index_positions_match_on_the_corpus(corpus):
    import random
    import re

    from search.models import Paragraph

    rng = random.Random(8)
    texts = list(Paragraph.objects.values_list("text", flat=True))
    queries = [
        "贩运人口",
        "会员国",
        "性暴力",
        "2030年",
        "trafficking in persons",
        '"organ removal"',
        "A/RES/70/1",
    ]
    for text in rng.sample(texts, 40):
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", text)[:2]:
            queries.append(run[: rng.randint(2, 6)])
        words = re.findall(r"[A-Za-z]+", text)
        if len(words) > 3:
            i = rng.randrange(len(words) - 2)
            queries += [words[i], f'"{words[i]} {words[i + 1]}"']
    checked = 0
    for q in queries:
        units = parse_query(q).units
        for text in rng.sample(texts, 60):
            expected = reference_spans(text, units)
            if not expected and any(u.any_order for u in units):
                continue  # no literal match: marked by its words in any order (test_word_order)
            assert match_spans(text, units) == expected, (q, text[:60])
            checked += bool(match_spans(text, units))
    assert checked > 100


def test_a_snippet_breaks_between_words_never_inside_one():
    text = (
        "Encourages Member States to support sustainable initiatives and to evaluate their "
        "programmes, and welcomes the work of the Inter-Agency Coordination Group against "
        "Trafficking in Persons in supporting the Global Plan of Action, including its "
        "evaluation, monitoring and reporting mechanisms established under the Plan."
    )
    html = snippet(text, parse_query("Coordination Group").units)
    words = set(text.replace(",", " ").replace(".", " ").split())
    shown = html.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert shown.split()[0] in words and shown.split()[-1].rstrip(",.") in words
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>Coordination</mark> <mark>Group</mark>" in html


def test_a_snippet_shows_the_window_with_the_most_different_words():
    # The first matches repeat one word; the window further on holds both words.
    text = "organ " * 40 + "filler " * 40 + "organ removal " + "filler " * 40
    html = snippet(text, parse_query("organ removal").units)
    assert "<mark>organ</mark> <mark>removal</mark>" in html
    assert html.startswith("…") and html.endswith("…")


def test_a_chinese_snippet_may_break_between_any_two_characters():
    text = "首先。" * 60 + "打击贩运人口行为" + "其后。" * 60
    html = snippet(text, parse_query("贩运人口").units)
    assert len(html.replace("<mark>", "").replace("</mark>", "")) == 200 + 2
