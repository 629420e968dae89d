"""An amendment's operations are stored when it is published, written again only when
they change, and filled in for amendments stored before (`manage.py read_amendments`,
which `make run` runs). Expectations read from the PDFs in corpus/ods."""

import io
import re

from conftest import import_ods
from django.core.management import call_command

from search.models import AmendmentOperation, Resolution, Text

L58 = (
    "and recalling the relevant provisions of the Rome Statute of the International Criminal Court*"
    " that define the deportation or forcible transfer of population as a crime against humanity"
    " and the unlawful deportation, transfer or ordering of the displacement of the civilian"
    " population as war crimes,"
)


def operations(symbol):
    rows = AmendmentOperation.objects.filter(version__resolution__symbol=symbol).order_by("order")
    return list(rows.values_list("paragraph", "kind", "targets", "position", "placed_by", "new"))


def read_amendments() -> str:
    out = io.StringIO()
    call_command("read_amendments", stdout=out)
    return out.getvalue()


def test_it_stores_an_amendments_operations_when_it_is_published(db):
    import_ods("A_C.3_80_L.57.pdf")

    # "1. In operative paragraph 64, after “to strengthen their efforts in preventing” insert
    # “and combating child pornography”. 2. In operative paragraph 65, after “once in force” …"
    first, second = operations("A/C.3/80/L.57")
    assert first == (
        1,
        "insert",
        ["op64"],
        "after",
        "to strengthen their efforts in preventing",
        "and combating child pornography",
    )
    assert second[:5] == (2, "insert", ["op65"], "after", "once in force")
    assert second[5].startswith(", and emphasizes that the new convention must be implemented")


def test_it_stores_the_paragraphs_an_amendment_deletes(db):
    import_ods("A_C.3_80_L.65.pdf")

    # "Delete the third preambular paragraph and operative paragraph 2."
    (row,) = AmendmentOperation.objects.filter(version__resolution__symbol="A/C.3/80/L.65")
    assert (row.kind, row.scope, row.targets, row.sentence) == (
        "delete",
        "paragraphs",
        ["pp3", "op2"],
        "Delete the third preambular paragraph and operative paragraph 2.",
    )
    assert [t.labels for t in row.parsed().targets] == [("PP 3", "序言部分第3段"), ("OP 2", "执行部分第2段")]


def test_publishing_the_same_amendment_again_writes_nothing(db):
    import_ods("A_C.3_80_L.58.pdf")
    before = list(AmendmentOperation.objects.values_list("pk", "targets"))

    import_ods("A_C.3_80_L.58.pdf")

    assert (
        list(AmendmentOperation.objects.values_list("pk", "targets")) == before == [(before[0][0], ["pp28"])]
    )


def test_read_amendments_fills_a_database_stored_before_operations_were_read(db):
    import_ods("A_C.3_80_L.58.pdf", "A_C.3_80_L.64.pdf", "A_C.3_80_L.2.pdf")
    AmendmentOperation.objects.all().delete()  # as a database filled before migration 0014

    said = read_amendments()

    assert said.strip() == (
        "language versions of amendments: 2; operations: 4 (4 read, 0 not read); versions written: 2"
    )
    # "1. In operative paragraph 13, delete “sexual and reproductive health,”. 2. In operative
    # paragraphs 27 and 43, delete “sexual and reproductive”. 3. In operative paragraph 46, …"
    assert [targets for _, _, targets, *_ in operations("A/C.3/80/L.64")] == [
        ["op13"],
        ["op27", "op43"],
        ["op46"],
    ]
    assert operations("A/C.3/80/L.2") == []  # a draft has none
    assert "versions written: 0" in read_amendments()


def test_read_amendments_drops_the_operations_of_what_is_no_amendment_any_more(db):
    import_ods("A_C.3_80_L.58.pdf")
    Resolution.objects.filter(symbol="A/C.3/80/L.58").update(doc_type="draft_resolution")

    assert "versions written: 1" in read_amendments()
    assert AmendmentOperation.objects.count() == 0
    assert Text.objects.filter(resolution__symbol="A/C.3/80/L.58").exists()  # nothing else goes


def page(client, url) -> str:
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def notes_beside(html: str, anchor: str) -> list[str]:
    row = html.split(f'id="{anchor}"')[1].split('<div class="row')[0]
    found = re.findall(r'<p class="amendment-note">(.*?)</p>', row, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", note)).strip() for note in found]


def test_a_draft_stored_after_its_amendment_shows_it_and_is_linked_from_it(client, db):
    import_ods("A_C.3_80_L.58.pdf")
    before = page(client, "/r/A/C.3/80/L.58/")
    assert "The draft it amends, A/C.3/80/L.50, is not loaded here" in before
    assert 'href="/r/A/C.3/80/L.50/' not in before

    import_ods("A_C.3_80_L.50.pdf")

    assert '<a href="/r/A/C.3/80/L.50/?lang=en#pp28">PP 28</a>' in page(client, "/r/A/C.3/80/L.58/")
    assert notes_beside(page(client, "/r/A/C.3/80/L.50/"), "pp28") == [
        f"Amendment A/C.3/80/L.58 (Russian Federation): in PP 28, delete “{L58}” — outcome not recorded"
    ]
