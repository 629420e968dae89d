"""The admin in Chinese as the site is: every string staff see, ours and Django's, in the
language they chose (the same cookie and Accept-Language as the public pages)."""

import ast
import html
import re
from pathlib import Path

import polib
import pytest
from conftest import draft_matched, staff_with
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from search.ingest import extract, sandbox, uploads
from search.ingest.in_language import TEMPLATES, in_active_language
from search.models import Resolution, SourceFile, Text, Upload
from search.parsing import REFUSALS, chinese_label, parse_document

BASE = Path(settings.BASE_DIR)
PO = BASE / "search" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
EN_71_322 = (BASE / "corpus" / "en" / "A_RES_71_322.txt").read_bytes()
ZH_71_322 = (BASE / "corpus" / "zh" / "000_9c40344d96047766.txt").read_bytes()
PDF_71_322 = (BASE / "tests" / "fixtures" / "A_RES_71_322.pdf").read_bytes()
# The modules whose strings the admin shows: its own, the models' names, the upload forms,
# what publishing says and refuses with (the parser's review warnings and the refusals of
# the parser and the file reader, English templates: TEMPLATES).
MODULES = [
    "search/admin.py",
    "search/models.py",
    "search/apps.py",
    "search/ingest/forms.py",
    "search/ingest/uploads.py",
    "search/ingest/store.py",
]
# Our wording a page shows in the language chosen (not the models' names: "General
# Assembly" is in the documents' own English text too).
OWN = ["search/admin.py", "search/ingest/forms.py", "search/ingest/uploads.py", "search/ingest/store.py"]
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def module_strings(path: Path) -> list[str]:
    """Every msgid a module asks to translate, as makemessages reads it (ngettext: both forms)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT:
            plural = 2 if node.func.id.startswith("n") else 1
            found += [arg.value for arg in node.args[:plural] if isinstance(arg, ast.Constant)]
    return found


def template_strings(path: Path) -> list[str]:
    """Every msgid a template asks to translate ({{ name }} in a block is %(name)s)."""
    source = path.read_text()
    translate = re.findall(r"""\{%\s*translate\s+(?:"([^"]*)"|'([^']*)')""", source)
    blocks = re.findall(r"\{%\s*blocktranslate\b[^%]*%\}(.*?)\{%\s*endblocktranslate\s*%\}", source, re.S)
    return [a or b for a, b in translate] + [re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", b) for b in blocks]


def admin_strings() -> list[str]:
    found = [s for name in MODULES for s in module_strings(BASE / name)] + list(TEMPLATES)
    for path in sorted((BASE / "templates" / "admin").rglob("*.html")):
        found += template_strings(path)
    return found


def catalog() -> dict[str, polib.POEntry]:
    """Each entry by its msgid, and a plural entry by its plural form too."""
    entries = polib.pofile(str(PO))
    return {msgid: entry for entry in entries for msgid in (entry.msgid, entry.msgid_plural) if msgid}


def translated(entry) -> bool:
    return entry is not None and bool(entry.msgstr or any(entry.msgstr_plural.values()))


def english_strings() -> list[str]:
    """Our admin's English wording, as a page would show it: what a Chinese page must not."""
    shown = set()
    own = [s for name in OWN for s in module_strings(BASE / name)] + list(TEMPLATES)
    templates = sorted((BASE / "templates" / "admin").rglob("*.html"))
    for msgid in own + [s for path in templates for s in template_strings(path)]:
        for part in re.split(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>", msgid):
            if len(part.strip(" .,:;()")) >= 12:  # whole phrases, not "Key" or a symbol
                shown.add(part.strip())
    return sorted(shown)


def page_text(response) -> str:
    assert response.status_code in (200, 403), response.status_code
    return html.unescape(response.content.decode())


def assert_in_chinese(text: str, *labels: str):
    for label in labels:
        assert label in text, label
    assert [phrase for phrase in english_strings() if phrase in text] == []


# The catalogue


def test_it_translates_every_string_of_the_admin():
    entries = catalog()
    missing = [msgid for msgid in admin_strings() if not translated(entries.get(msgid))]
    assert missing == []
    assert len(admin_strings()) >= 180


def test_every_msgid_has_its_chinese():
    assert [entry.msgid for entry in polib.pofile(str(PO)) if not translated(entry)] == []


def test_the_chinese_keeps_every_placeholder_of_the_admin_s_strings():
    entries = catalog()
    names = re.compile(r"%\((\w+)\)|\{(\w+)\}")
    # Chinese may leave out what it has no word for (the suffix of "74th"), never more, and
    # names a paragraph by the Chinese of its English label (label_zh).
    optional = {("suffix", "")}
    chinese_label = {("", "label_zh"): ("", "label")}
    for msgid in admin_strings():
        chinese = entries[msgid].msgstr or entries[msgid].msgstr_plural[0]
        said = {chinese_label.get(name, name) for name in names.findall(chinese)}
        assert said == set(names.findall(msgid)) - optional, msgid


def test_it_reads_implicitly_joined_and_plural_strings(tmp_path):
    path = tmp_path / "strings.py"
    path.write_text('x = gettext("a " "b")\ny = ngettext("one file", "%(n)d files", n)\nz = f"no {x}"\n')

    assert module_strings(path) == ["a b", "one file", "%(n)d files"]


def test_it_says_the_parser_s_warnings_in_chinese_by_their_templates():
    with translation.override("zh-hans"):
        in_draft = "draft resolution 一: operative paragraph 3 follows 1: a paragraph may be missing"
        assert in_active_language(in_draft) == "决议草案 一：执行部分第 3 段接在第 1 段之后：可能缺少一段"
        assert in_active_language("footnote 2 is not referenced in the text") == "正文未引用脚注 2"
        assert in_active_language("a warning no template made") == "a warning no template made"
    assert in_active_language("footnote 2, 3 are not referenced in the text") == (
        "footnote 2, 3 are not referenced in the text"
    )


def test_it_names_a_paragraph_of_a_warning_by_its_chinese_label():
    joined = "text without a number after OP 3 (b) was joined to it: check it"
    with translation.override("zh-hans"):
        assert in_active_language(joined) == "执行部分第3(b)段之后没有编号的文字已并入该段：请检查"
        in_draft = in_active_language(f"draft resolution 二: {joined.replace('OP 3 (b)', 'OP 12')}")
        assert in_draft == "决议草案 二：执行部分第12段之后没有编号的文字已并入该段：请检查"
    assert in_active_language(joined) == joined


def test_the_chinese_label_of_an_english_one_is_the_parser_s():
    labels = {p.label: p.label_zh for p in parse_document(EN_71_322.decode(), "en").paragraphs}
    labels.update({"annex II, para. 11 (a) (ii)": "附件二第11(a)(ii)段", "annex, para. 3": "附件第3段"})
    labels.update({"para. 37": "第37段", "OP 5 (u1)": "执行部分第5(u1)段", "no label": "no label"})

    assert {label: chinese_label(label) for label in labels} == labels
    assert len(labels) > 40


def test_every_refusal_has_its_chinese_with_the_same_placeholders():
    entries = catalog()
    names = re.compile(r"\{(\w+)\}")
    refusals = [*REFUSALS, *extract.REFUSALS, *sandbox.REFUSALS]
    for refusal in refusals:
        assert translated(entries.get(refusal)), refusal
        assert set(names.findall(entries[refusal].msgstr)) == set(names.findall(refusal)), refusal
    assert len(refusals) == 44


def test_it_says_each_message_by_its_own_template():
    # No template is caught by another listed before it.
    with translation.override("zh-hans"):
        for template in TEMPLATES:
            values = {name: f"<{name}>" for name in re.findall(r"\{(\w+)\}", template)}
            said = gettext(template).format(**values, label_zh="<label>")  # no label: as it is
            assert in_active_language(template.format(**values)) == said


def test_it_says_the_file_reader_s_refusals_in_chinese_by_their_templates():
    with translation.override("zh-hans"):
        assert (
            in_active_language(sandbox.memory_refusal(1536))
            == "读取该文件所需内存超过 1,536 MB 的上限，已被拒绝"
        )
        assert in_active_language("the document has 6 pages; the limit is 2") == "文件有 6 页；上限为 2 页"
        assert in_active_language(extract.NO_EXTENSION) == (
            "不接受没有扩展名的文件：请上传 .txt、.md、.docx 或 .pdf 文件"
        )
    # In English, the management commands' language, as it was said.
    assert in_active_language("the file is empty") == "the file is empty"


# The pages, in Chinese


@pytest.fixture
def editor(db, client):
    user = staff_with("editor", "add_upload", "view_upload", "add_text", "change_text", "add_resolution")
    client.force_login(user)
    return user


def test_it_shows_the_upload_page_in_chinese(editor, client):
    text = page_text(client.get(reverse("admin:search_upload_add"), **CHINESE))

    assert_in_chinese(text, "上传决议", "文件", "上传并审核", "只有在您审核", "站点管理")
    assert '<html lang="zh-hans"' in text


def test_it_shows_the_review_in_chinese(editor, client):
    response = client.post(
        reverse("admin:search_upload_add"),
        {"file": SimpleUploadedFile("A_RES_71_322.txt", EN_71_322), "language": "en"},
        **CHINESE,
    )
    text = page_text(client.get(response["Location"], **CHINESE))

    assert_in_chinese(text, "审核 A_RES_71_322.txt", "尚未存储", "详细信息", "文号", "议程项目", "锚点")


def test_it_shows_the_staged_uploads_in_chinese(editor, client):
    uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", editor)

    text = page_text(client.get(reverse("admin:search_upload_staged"), **CHINESE))

    assert_in_chinese(text, "待审核的上传", "需要查看", "发布所有无警告的文件")


def test_it_confirms_a_publish_in_chinese(editor, client):
    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en", editor)
    values = {"key": "A/RES/71/322", "symbol": "A/RES/71/322", "doc_type": "resolution", "body": "GA"}

    response = client.post(
        reverse("admin:search_upload_review", args=[upload.token]),
        {**values, "publish": "1"},
        follow=True,
        **CHINESE,
    )

    assert_in_chinese(page_text(response), "已发布 A_RES_71_322.txt，成为 A/RES/71/322", "现在即可检索")


def test_it_shows_a_review_s_warnings_and_a_language_mismatch_in_chinese(editor, client):
    uploads.ingest_file(ZH_71_322, "71_322_zh.txt", "zh", key="A/RES/71/322")
    # The Chinese text without its operative paragraph 5, uploaded as English.
    text = ZH_71_322.decode()
    gap = text[: text.index(" 5. ")] + text[text.index(" 6. ") :]
    upload = uploads.stage(gap.encode(), "71_322.txt", "en", editor)

    page = page_text(client.get(reverse("admin:search_upload_review", args=[upload.token]), **CHINESE))
    staged = page_text(client.get(reverse("admin:search_upload_staged"), **CHINESE))

    for shown in (page, staged):
        assert_in_chinese(
            shown,
            "此文本看来是中文，但上传时指定为英文：请检查文件和语言是否正确。",
            "执行部分第 6 段接在第 4 段之后：可能缺少一段",
            "正文未引用脚注 1, 2,",
            "中文本有执行部分 13 段，英文本有 12 段",
            "中文本中在此没有对应段落的段落：op5",
        )
    assert "请检查" in page and "发布前需要勾选" in page


def test_it_refuses_a_publish_in_chinese(editor, client):
    uploads.ingest_file(EN_71_322, "A_RES_71_322.txt", "en")
    upload = uploads.stage(ZH_71_322, "71_322.txt", "en", editor)
    values = {"key": "A/RES/71/322", "symbol": "A/RES/71/322", "doc_type": "resolution", "body": "GA"}

    url = reverse("admin:search_upload_review", args=[upload.token])

    mismatch = client.post(url, {**values, "publish": "1"}, **CHINESE)
    replacing = client.post(url, {**values, "language_ok": "on", "publish": "1"}, **CHINESE)

    assert_in_chinese(
        page_text(mismatch),
        "此文本看来是中文，但上传时指定为英文：请检查文件和语言是否正确。以英文发布需要确认。",
    )
    assert_in_chinese(page_text(replacing), "A/RES/71/322 的英文版本已存储：请勾选“替换”，以此文件取而代之")


def test_it_says_what_a_replacement_changed_in_chinese(editor, client):
    uploads.ingest_file(EN_71_322, "A_RES_71_322.txt", "en")
    changed = EN_71_322.replace(b"13. Invites Member States", b"13. Invites all Member States")
    upload = uploads.stage(changed, "A_RES_71_322_v2.txt", "en", editor)
    values = {"key": "A/RES/71/322", "symbol": "A/RES/71/322", "doc_type": "resolution", "body": "GA"}

    published = client.post(
        reverse("admin:search_upload_review", args=[upload.token]),
        {**values, "replace": "on", "publish": "1"},
        follow=True,
        **CHINESE,
    )
    listing = page_text(client.get("/admin/search/upload/", **CHINESE))

    said = "43 段未改动；1 段已修改（op13）"
    assert_in_chinese(
        page_text(published), "已发布 A_RES_71_322_v2.txt，成为 A/RES/71/322", said, "现在即可检索"
    )
    assert_in_chinese(listing, said, "新版本，44 段")


def test_it_shows_a_publish_s_history_in_chinese(admin_client, db):
    uploads.ingest_file(EN_71_322, "A_RES_71_322.txt", "en")
    changed = EN_71_322.replace(b"13. Invites Member States", b"13. Invites all Member States")
    upload = uploads.stage(changed, "A_RES_71_322_v2.txt", "en")
    values = {"key": "A/RES/71/322", "symbol": "A/RES/71/322", "doc_type": "resolution", "body": "GA"}
    admin_client.post(
        reverse("admin:search_upload_review", args=[upload.token]),
        {**values, "replace": "on", "publish": "1"},
    )
    version = Text.objects.get(language="en")

    history = page_text(admin_client.get(f"/admin/search/text/{version.pk}/history/", **CHINESE))

    assert "已修改原始文件。 修改了 段落“op13”的 文本。" in history
    # Stored in English, as Django stores its own: the record reads the same in any language.
    stored = LogEntry.objects.get(object_id=str(version.pk)).change_message
    assert "Source" in stored and "paragraphs" in stored


def test_it_refuses_in_chinese(db, client):
    client.force_login(staff_with("reader", "view_upload"))

    text = page_text(client.get(reverse("admin:search_upload_add"), **CHINESE))

    assert_in_chinese(text, "需要权限", "您不能上传文件", "未作任何更改")


def upload_in_chinese(client, *files: tuple[str, bytes]):
    """Upload files through the admin with Chinese active; return the page it ends on."""
    response = client.post(
        reverse("admin:search_upload_add"),
        {"file": [SimpleUploadedFile(name, data) for name, data in files], "language": "en"},
        follow=True,
        **CHINESE,
    )
    return page_text(response)


@pytest.mark.parametrize(
    "name, data, refusal",
    [
        ("cut.pdf", PDF_71_322[:2000], "cut.pdf：该 PDF 已损坏，无法读取（PdfStreamError）。"),
        ("blank.txt", b"  \n\n  ", "blank.txt：文件为空。"),
        ("photo.txt", bytes(range(256)) * 40, "photo.txt：这是二进制文件，不是文本。"),
        (
            "long.txt",
            b"The General Assembly,\n" + b"".join(b"%d. Decides;\n" % n for n in range(1, 5_002)),
            "long.txt：文件有 5,001 段；上限为 5,000 段。",
        ),
    ],
)
def test_it_refuses_a_file_in_chinese(editor, client, name, data, refusal):
    assert_in_chinese(upload_in_chinese(client, (name, data)), refusal)
    assert Upload.objects.count() == 0


def test_it_refuses_a_file_too_large_in_chinese(editor, client, monkeypatch):
    monkeypatch.setattr("search.ingest.forms.MAX_UPLOAD_BYTES", 1000)

    assert_in_chinese(
        upload_in_chinese(client, ("big.txt", EN_71_322)), "big.txt 大小为 0.0 MB；上限为 10 MB。"
    )


def test_it_says_in_chinese_which_of_several_files_it_refused(editor, client):
    text = upload_in_chinese(client, ("A_RES_71_322.txt", EN_71_322), ("cut.pdf", PDF_71_322[:2000]))

    assert_in_chinese(text, "未暂存：cut.pdf：该 PDF 已损坏，无法读取（PdfStreamError）。 其他文件已暂存。")
    assert Upload.objects.count() == 1


def test_it_shows_a_text_s_stored_warnings_in_chinese(admin_client, db):
    work = Resolution.objects.create(key="A/RES/71/322", symbol="A/RES/71/322", doc_type="resolution")
    source = SourceFile.objects.create(data=b"x", filename="a.txt", sha256="0" * 64, size=1, language="en")
    warnings = [
        "operative paragraph 6 follows 4: a paragraph may be missing",
        "footnote 1, 2 are not referenced in the text",
    ]
    version = Text.objects.create(resolution=work, language="en", source=source, warnings=warnings)

    text = page_text(admin_client.get(f"/admin/search/text/{version.pk}/change/", **CHINESE))

    assert_in_chinese(text, "执行部分第 6 段接在第 4 段之后：可能缺少一段<br>正文未引用脚注 1, 2")


def test_it_shows_the_lists_and_forms_in_chinese(admin_client, db):
    work = Resolution.objects.create(key="A/RES/71/322", symbol="A/RES/71/322", doc_type="resolution")
    source = SourceFile.objects.create(data=b"x", filename="a.txt", sha256="0" * 64, size=1, language="en")
    Text.objects.create(resolution=work, language="en", title="Title", source=source)
    upload = uploads.stage(EN_71_322, "A_RES_71_322.txt", "en")

    pages = {
        "/admin/": [
            "联合国决议检索",
            "决议",
            "上传",
            "原始文件",
            "草案匹配",
            "登录锁定",
            "登录尝试",
            "访问日志",
        ],
        "/admin/axes/accessattempt/": ["登录尝试"],
        "/admin/search/resolution/": ["文号", "文件类型", "机构", "通过日期", "以 文件类型"],
        f"/admin/search/resolution/{work.pk}/change/": ["届会", "议程项目", "所在文件", "文本"],
        "/admin/search/text/": ["语言", "标题", "更新时间"],
        "/admin/search/sourcefile/": ["文件名", "原始文件", "下载"],
        "/admin/search/upload/": ["状态", "上传者", "有何改动", "待审核"],
        f"/admin/search/upload/{upload.pk}/change/": ["检测到的语言", "发布者"],
    }
    for address, labels in pages.items():
        assert_in_chinese(page_text(admin_client.get(address, **CHINESE)), *labels)


def test_it_shows_the_draft_matches_in_chinese(admin_client, db):
    draft = draft_matched("content", 0.82)["A/C.3/80/L.2"]

    listing = page_text(admin_client.get("/admin/search/draftmatch/", **CHINESE))
    form = page_text(admin_client.get(f"/admin/search/draftmatch/{draft.pk}/change/", **CHINESE))

    assert_in_chinese(listing, "草案", "置信度", "按内容最佳匹配", "确认所选匹配", "对应方式")
    assert_in_chinese(form, "通过为", "按内容最佳匹配")


def test_it_keeps_the_admin_in_the_language_chosen_on_the_site(editor, client):
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "上传并审核" in page_text(client.get(reverse("admin:search_upload_add")))

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Upload and review" in page_text(client.get(reverse("admin:search_upload_add")))


def test_it_offers_the_site_s_language_buttons_in_the_admin(editor, client):
    text = page_text(client.get(reverse("admin:search_upload_add"), **CHINESE))

    form = re.search(r'<form id="language-form" action="/i18n/setlang/".*?</form>', text, re.S).group()
    assert '<input type="hidden" name="next" value="/admin/search/upload/add/">' in form
    assert 'value="zh-hans" lang="zh-Hans" aria-pressed="true">简体中文</button>' in form
    assert 'value="en" lang="en" aria-pressed="false">English</button>' in form


def test_it_shows_the_english_admin_unchanged(editor, client):
    text = page_text(client.get(reverse("admin:search_upload_add"), HTTP_ACCEPT_LANGUAGE="en"))

    assert "Send one or several resolutions or language versions." in text
    assert "Accepted: .txt, .md, .docx, .pdf; at most" in text
    assert Upload.objects.count() == 0
