"""The usual protections: sign-in throttling, request size limits, the security headers."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from conftest import stored_snapshot
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse

from search.ingest.extract import MAX_UPLOAD_BYTES

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-password-nobody-guesses"


@pytest.fixture
def editor(db):
    return User.objects.create_user("editor", password=PASSWORD, is_staff=True, is_superuser=True)


def sign_in(client: Client, password: str, username: str = "editor", **headers):
    """Send the admin's own sign-in form, with its CSRF token, as a browser does."""
    form = client.get(LOGIN, **headers)
    assert form.status_code == 200
    return client.post(
        LOGIN,
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": form.context["csrf_token"],
            "next": "/admin/",
        },
        **headers,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def browser() -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")


# --- sign-in throttling -------------------------------------------------------------


def test_it_refuses_the_right_password_after_five_wrong_ones_then_accepts_it_after_the_wait(editor):
    client = browser()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    locked = sign_in(client, "still wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in paused" in page
    assert (
        "After 5 wrong passwords, signing in with this user name from your address is paused for 15 minutes."
    ) in page
    assert locked["Retry-After"] == "900"

    refused = sign_in(client, PASSWORD)
    assert refused.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not signed in

    # Fifteen minutes later (the failures moved back in time, as the clock would).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert signed_in(sign_in(client, PASSWORD))
    assert client.get("/admin/").status_code == 200


def test_a_reset_by_an_administrator_lifts_the_lockout(editor):
    client = browser()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 429

    call_command("axes_reset", stdout=io.StringIO())
    assert signed_in(sign_in(client, PASSWORD))


def test_a_try_during_the_lockout_starts_the_wait_again(editor):
    client = browser()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    assert sign_in(client, "wrong again").status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    assert sign_in(client, PASSWORD).status_code == 429  # 20 minutes after the fifth, 10 after the sixth


def test_the_lockout_holds_one_user_name_from_one_address_only(editor):
    User.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    attacker = browser()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "guess")
    assert sign_in(attacker, PASSWORD).status_code == 429

    # The same user from another address, another user from the same one: not locked out.
    assert signed_in(sign_in(Client(REMOTE_ADDR="198.51.100.20"), PASSWORD))
    assert signed_in(sign_in(attacker, PASSWORD, username="colleague"))


def test_a_successful_sign_in_forgets_earlier_typos(editor):
    client = browser()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "typo")
    assert signed_in(sign_in(client, PASSWORD))
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "typo")
    assert signed_in(sign_in(client, PASSWORD))


def test_the_lockout_page_reads_in_chinese(editor):
    client = browser()
    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong", **chinese)
    assert response.status_code == 429
    page = response.content.decode()
    assert "<h1>暂停登录</h1>" in page
    assert "密码已输错 5 次，从您的地址以此用户名登录暂停 15 分钟。" in page
    assert 'href="/admin/login/"' in page


def test_behind_a_proxy_it_counts_by_the_address_the_proxy_wrote(editor, settings):
    settings.USE_X_FORWARDED_FOR = True
    proxy = "127.0.0.1"
    # The client forges a different first address every time; the proxy appends the real one.
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(
            Client(REMOTE_ADDR=proxy), "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.50"
        )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.50"}
    locked = sign_in(Client(REMOTE_ADDR=proxy), PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert locked.status_code == 429

    # Another client behind the same proxy signs in.
    other = sign_in(Client(REMOTE_ADDR=proxy), PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert signed_in(other)


def test_behind_a_proxy_an_address_that_is_none_counts_as_the_proxys(editor, settings):
    settings.USE_X_FORWARDED_FOR = True
    for forwarded in ("", "unknown", "203.0.113.50, not-an-address", "2001:db8::1, [::1]:80"):
        sign_in(Client(REMOTE_ADDR="127.0.0.1"), "wrong", HTTP_X_FORWARDED_FOR=forwarded)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_without_a_proxy_a_forwarded_for_header_changes_nothing(editor):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(REMOTE_ADDR="203.0.113.7"), "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert sign_in(Client(REMOTE_ADDR="203.0.113.7"), PASSWORD).status_code == 429


# --- request size limits -------------------------------------------------------------


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readline = readinto = read


def post_declaring(client: Client, path: str, length: int, **extra):
    return client.generic(
        "POST",
        path,
        b"x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Unreadable()},
        **extra,
    )


def test_it_refuses_a_large_form_before_anything_reads_it(db):
    client = Client(enforce_csrf_checks=True)
    response = post_declaring(client, "/i18n/setlang/", 2 * 1024 * 1024)

    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "The request sends 2 MB; this address accepts at most 1 MB.\n请求内容为 2 MB，此地址最多接受 1 MB。\n"
    )


def test_it_refuses_an_upload_over_the_total_for_several_files(db):
    add = reverse("admin:search_upload_add")
    response = post_declaring(Client(), add, 60 * 1024 * 1024)

    assert response.status_code == 413
    assert response.content.decode().splitlines() == [
        "The request sends 60 MB; this address accepts at most 55 MB. Send fewer files at once.",
        "请求内容为 60 MB，此地址最多接受 55 MB。请分几次上传，每次少传几个文件。",
    ]


def test_the_upload_total_holds_five_files_of_the_largest_size():
    assert settings.UPLOAD_BODY_LIMIT >= 5 * MAX_UPLOAD_BYTES + 1024 * 1024


def test_an_upload_above_the_general_limit_reaches_the_upload_form(db, editor):
    client = Client()
    client.force_login(editor)
    big = io.BytesIO(b"\0" * (3 * 1024 * 1024 // 2))
    big.name = "big.bin"
    response = client.post(reverse("admin:search_upload_add"), {"file": [big], "language": "en"})

    assert response.status_code == 200
    assert "big.bin: upload a .txt, .md, .docx or .pdf file." in response.content.decode()


def test_a_body_of_unknown_length_is_refused_unread(db):
    response = Client().generic(
        "POST",
        "/i18n/setlang/",
        b"",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 411
    assert response.content.decode().startswith("Send the size of the request (a Content-Length header)")


def test_a_small_form_still_goes_through(db):
    response = Client().post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_more_files_than_an_upload_takes_are_refused_in_words_and_store_nothing(db, client):
    staff = User.objects.create_user("editor", password="pw", is_staff=True, is_superuser=True)
    client.force_login(staff)
    before = stored_snapshot()
    files = [SimpleUploadedFile(f"A_RES_80_{n}.txt", b"text") for n in range(21)]

    response = client.post(reverse("admin:search_upload_add"), {"files": files})

    assert response.status_code == 400
    text = response.content.decode()
    assert "This request could not be read" in text
    assert "The form sends more than 20 files, the most one upload takes." in text
    assert "manage.py import_documents" in text and "Nothing was stored or changed." in text
    assert stored_snapshot() == before
    # In the Chinese interface, in Chinese.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.post(reverse("admin:search_upload_add"), {"files": files}).content.decode()
    assert "表单发送的文件超过 20 个" in chinese


def test_a_form_beyond_djangos_limits_is_refused_in_words(db, client):
    response = Client().post("/i18n/setlang/", {f"f{n}": "x" for n in range(1001)})
    assert response.status_code == 400
    assert "The form sends more than 1,000 fields." in response.content.decode()

    # Fields over 1 MB beside a file: the upload's address takes the body, Django not the fields.
    staff = User.objects.create_user("editor", password="pw", is_staff=True, is_superuser=True)
    client.force_login(staff)
    data = {"files": SimpleUploadedFile("a.txt", b"text"), "note": "x" * (1024 * 1024 + 1)}
    response = client.post(reverse("admin:search_upload_add"), data)
    assert response.status_code == 400
    assert "fields hold more than 1 MB." in response.content.decode()


def test_django_bounds_what_it_parses_itself():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_BODY_LIMIT == 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 20
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2621440


# --- security headers ----------------------------------------------------------------

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def directives(header: str) -> dict[str, str]:
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in header.split("; ")}


PUBLIC = [
    "/",
    "/?q=贩运人口",
    "/r/A/RES/71/322/?view=both",
    "/r/A/RES/71/322/?lang=en",
    "/compare/",
    "/nowhere/",
]


@pytest.mark.parametrize("url", [*PUBLIC, "/api/search?q=organ", "/r/A/RES/71/322/export.csv"])
def test_public_pages_carry_the_strict_policies(client, corpus, url):
    response = client.get(url)

    assert directives(response["Content-Security-Policy"]) == directives(STRICT)
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    assert "clipboard-write=(self)" in policy


def test_the_admin_is_as_strict_as_the_public_pages(client, editor):
    client.force_login(editor)
    for url in ("/admin/", "/admin/search/upload/add/", "/admin/search/draftmatch/"):
        assert directives(client.get(url)["Content-Security-Policy"]) == directives(STRICT), url

    with open(settings.BASE_DIR / "corpus" / "en" / "A_RES_72_1.txt", "rb") as upload:
        staged = client.post(reverse("admin:search_upload_add"), {"file": [upload], "language": "en"})
    review = client.get(staged["Location"])
    page = review.content.decode()
    assert review.status_code == 200 and "review-paragraphs" in page
    # Its styles are a file of this site, which the strict policy allows.
    assert "<style" not in page and "css/admin-review" in page
    assert directives(review["Content-Security-Policy"]) == directives(STRICT)


def test_public_pages_hold_no_inline_script_or_style(client, corpus):
    for url in PUBLIC:
        page = client.get(url).content.decode()
        assert "<script>" not in page and "<script " not in page.replace('<script src="', ""), url
        assert "style=" not in page and "<style" not in page, url
        assert 'name="htmx-config"' in page


def test_the_error_page_needs_nothing_the_policy_refuses_nor_anything_that_can_fail(client, settings):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    assert client.get("/static/css/site.css").status_code == 200  # the name the page gives
    settings.STORAGES = {  # a manifest with no entries: any {% static %} would raise
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    page = server_error(RequestFactory().get("/")).content.decode()

    assert "style=" not in page and "<style" not in page and "<script" not in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert settings.STATIC_URL == "/static/"
    assert "Something went wrong" in page and "出错了" in page
