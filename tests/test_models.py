import datetime

from search.models import Paragraph, Resolution, SourceFile, Text

REPORT = "report-79-third-committee-item-107"
DRAFT_002 = "draft-A-C.3-74-trafficking-coordination-zh"


def anchors(key, language):
    text = Text.objects.get(resolution__key=key, language=language)
    return set(text.paragraphs.values_list("anchor", flat=True))


def test_it_keeps_zh_and_en_of_71_322_in_one_resolution_with_the_same_anchors(corpus):
    resolution = Resolution.objects.get(key="A/RES/71/322")

    assert sorted(resolution.texts.values_list("language", flat=True)) == ["en", "zh"]
    assert anchors("A/RES/71/322", "zh") == anchors("A/RES/71/322", "en")
    assert {"pp1", "op1"} <= anchors("A/RES/71/322", "zh")


def test_it_links_the_report_to_its_six_draft_resolutions(corpus):
    report = Resolution.objects.get(key=REPORT)
    drafts = list(report.contained.order_by("position"))

    assert report.doc_type == "report"
    assert report.symbol is None
    assert [d.key for d in drafts] == [f"{REPORT}/draft-{n}" for n in range(1, 7)]
    assert [d.position for d in drafts] == [1, 2, 3, 4, 5, 6]
    report_file = report.texts.get(language="zh").source
    for draft in drafts:
        assert draft.doc_type == "draft_resolution"
        text = draft.texts.get(language="zh")
        assert text.source == report_file
        assert text.paragraphs.filter(kind="operative").exists()


def test_it_links_the_chinese_draft_to_the_resolution_it_became(corpus):
    draft = Resolution.objects.get(key=DRAFT_002)
    adopted = Resolution.objects.get(key="A/RES/74/176")

    assert draft.became == adopted
    assert list(adopted.drafts.all()) == [draft]
    assert draft.symbol is None
    assert draft.doc_type == "draft_resolution"
    assert adopted.adopted_on == datetime.date(2019, 12, 18)
    assert list(adopted.texts.values_list("language", flat=True)) == ["en"]


def test_it_links_71_319_to_the_resolution_that_adopted_its_annex(corpus):
    resolution = Resolution.objects.get(key="A/RES/71/319")

    assert resolution.annex_adopted_as == Resolution.objects.get(symbol="A/RES/72/1")
    assert sorted(resolution.texts.values_list("language", flat=True)) == ["en", "zh"]


def test_it_takes_metadata_from_the_manifest_over_the_parser(corpus):
    ecosoc = Resolution.objects.get(key="E/RES/2013/41")

    assert ecosoc.symbol == "E/RES/2013/41"
    assert ecosoc.body == "ECOSOC"
    assert ecosoc.agenda_item == "14 (c)"
    assert ecosoc.adopted_on == datetime.date(2013, 7, 25)


def test_it_keeps_the_uploaded_bytes_of_every_file(corpus):
    text = Text.objects.get(resolution__key="A/RES/71/322", language="en")
    source = text.source

    with open("corpus/en/A_RES_71_322.txt", "rb") as f:
        data = f.read()
    assert bytes(source.data) == data
    assert source.size == len(data)
    assert source.filename == "A_RES_71_322.txt"
    assert SourceFile.objects.filter(sha256=source.sha256).count() == 1


def test_it_deep_links_a_paragraph_by_key_and_anchor(db):
    resolution = Resolution.objects.create(key="A/RES/71/322", symbol="A/RES/71/322", doc_type="resolution")
    text = Text.objects.create(resolution=resolution, language="en")
    paragraph = Paragraph.objects.create(
        version=text, order=1, anchor="op3b", kind="operative", text="Calls upon"
    )

    assert paragraph.get_absolute_url() == "/r/A/RES/71/322/#op3b"


def test_it_gives_an_official_link_only_when_the_symbol_is_known(db):
    known = Resolution.objects.create(key="A/RES/72/1", symbol="A/RES/72/1", doc_type="resolution")
    unknown = Resolution.objects.create(key="draft-x", doc_type="draft_resolution")

    assert Text.objects.create(resolution=known, language="zh").official_url == (
        "https://undocs.org/ch/A/RES/72/1"
    )
    assert Text.objects.create(resolution=unknown, language="en").official_url is None


def test_a_draft_of_the_plenary_is_filed_under_the_plenary():
    # A/80/L.5 (../shared/ods): the plenary's draft, its symbol names no Main Committee.
    assert Resolution(symbol="A/80/L.5", doc_type="draft_resolution").filed_committee() == "plenary"
    assert Resolution(symbol="A/80/L.5/Rev.1", doc_type="draft_resolution").committee_name() == (
        "Plenary, without reference to a Main Committee"
    )
    assert Resolution(symbol="A/C.3/80/L.2", committee="C3").filed_committee() == "C3"
    assert Resolution(symbol="A/RES/80/192", committee="").filed_committee() == ""
