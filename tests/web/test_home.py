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
