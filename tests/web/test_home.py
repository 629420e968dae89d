from search.models import Resolution, Text


def test_it_lists_loaded_resolutions_on_the_home_page(client, db):
    resolution = Resolution.objects.create(key="A/RES/72/1", symbol="A/RES/72/1", doc_type="resolution")
    Text.objects.create(resolution=resolution, language="en", title="Political declaration")

    response = client.get("/")

    assert response.status_code == 200
    assert "A/RES/72/1" in response.content.decode()
    assert "Political declaration" in response.content.decode()


def test_it_escapes_titles_on_the_home_page(client, db):
    resolution = Resolution.objects.create(key="k", doc_type="resolution")
    Text.objects.create(resolution=resolution, language="en", title="<script>alert(1)</script>")

    response = client.get("/")

    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


def test_it_lists_documents_by_session_newest_first_then_by_committee(client, db):
    def work(symbol, session, committee="", doc_type="resolution", title="", zh_title=""):
        resolution = Resolution.objects.create(
            key=symbol, symbol=symbol, doc_type=doc_type, session=session, committee=committee, body="GA"
        )
        Text.objects.create(resolution=resolution, language="en", title=title or symbol)
        if zh_title:
            Text.objects.create(resolution=resolution, language="zh", title=zh_title)

    work("A/RES/78/10", "Seventy-eighth session", "plenary")
    work("A/RES/80/10", "Eightieth session", "C3", title="Rights of the child", zh_title="儿童权利")
    work("A/RES/80/9", "第八十届会议", "C3")
    work("A/C.3/80/L.7", "Eightieth session", "C3", doc_type="draft_resolution")
    work("A/RES/80/2", "Eightieth session", "C1")

    page = client.get("/").content.decode()
    order = [page.index(s) for s in ("80th session", "First Committee", "Third Committee", "78th session")]
    assert order == sorted(order)
    # Within a committee: resolutions by number (9 before 10), then drafts.
    third = page[page.index("Third Committee") : page.index("78th session")]
    assert third.index("A/RES/80/9") < third.index("A/RES/80/10") < third.index("A/C.3/80/L.7")
    assert "Draft resolution" in third and "Rights of the child" in third
    assert 'href="/?q=session%3A80+committee%3AC3"' in page  # a search of that group
    assert "Plenary, without reference to a Main Committee" in page
    # The newest session is open; the others are folded.
    assert page.count("<details open>") == 1 and page.count("<details>") == 1
    # In a Chinese interface, the Chinese title where there is one.
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()
    assert '<span lang="zh-Hans">儿童权利</span>' in page and "第三委员会" in page and "第80届会议" in page
    # The group's link narrows a search to it.
    found = client.get("/?q=session%3A80+committee%3AC3")
    assert found.status_code == 200


def test_it_lists_a_reports_drafts_and_a_chinese_only_work_with_their_titles(client, corpus):
    from django.utils.html import escape

    page = client.get("/").content.decode()
    drafts = Resolution.objects.filter(contained_in__key="report-79-third-committee-item-107")
    assert drafts.count() >= 2
    for draft in drafts:
        title = draft.texts.get(language="zh").title
        assert f'<a href="/r/{draft.key}/" lang="zh-Hans">{escape(title)}</a>' in page
    # In an English interface, a work with no English text shows its Chinese title.
    chinese_only = Text.objects.get(resolution__key="E/RES/2013/41")
    assert not Text.objects.filter(resolution__key="E/RES/2013/41", language="en").exists()
    assert f'<span lang="zh-Hans">{escape(chinese_only.title)}</span>' in page
    both = Text.objects.get(resolution__key="A/RES/71/322", language="en")
    assert f'<span lang="en">{escape(both.title)}</span>' in page
