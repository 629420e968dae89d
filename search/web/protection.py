"""The usual protections at the edge: request size limits, the sign-in lockout page and
the client's address it counts by, the Content-Security-Policy's exceptions.

Their values live in search/settings.py; docs/serving.md says how to change them.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext


def _plain(status: int, english: str, chinese: str) -> HttpResponse:
    # Both languages: the interface language is not known yet when this answers.
    return HttpResponse(f"{english}\n{chinese}\n", status=status, content_type="text/plain; charset=utf-8")


def body_limit(request) -> int:
    """The most bytes this request's address accepts in a body."""
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        return settings.REQUEST_BODY_LIMIT
    return settings.UPLOAD_BODY_LIMIT if name in settings.UPLOAD_URL_NAMES else settings.REQUEST_BODY_LIMIT


def _megabytes(size: int) -> str:
    return f"{size / settings.MB:.1f} MB".replace(".0 MB", " MB")


def body_refusal(request) -> HttpResponse | None:
    """Refuse a body too large for its address, or of unknown length, without reading it."""
    meta = request.META
    if "HTTP_TRANSFER_ENCODING" in meta and not meta.get("CONTENT_LENGTH"):
        # Django reads a body only up to its Content-Length: a chunked one would arrive
        # empty. Say so rather than answer a form that seems blank.
        return _plain(
            411,
            "Send the size of the request (a Content-Length header): a body of unknown length is not read.",
            "请注明请求内容的大小（Content-Length）：长度未知的请求内容不予读取。",
        )
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0  # Django reads such a body as empty, too
    if length <= settings.REQUEST_BODY_LIMIT:
        return None  # the common case, decided without resolving the address
    limit = body_limit(request)
    if length <= limit:
        return None
    sizes = (_megabytes(length), _megabytes(limit))
    english = "The request sends {}; this address accepts at most {}.".format(*sizes)
    chinese = "请求内容为 {}，此地址最多接受 {}。".format(*sizes)
    if limit == settings.UPLOAD_BODY_LIMIT:
        english += " Send fewer files at once."
        chinese += "请分几次上传，每次少传几个文件。"
    return _plain(413, english, chinese)


def limit_request_body(get_response):
    def middleware(request):
        return body_refusal(request) or get_response(request)

    return middleware


def probes_only(get_response):
    """On the health probes' address (settings.PROBE_BIND), answer /healthz only. The port
    is the one the connection reached (gunicorn's SERVER_PORT), not the Host header."""

    def middleware(request):
        port = settings.PROBE_PORT
        if port and request.META.get("SERVER_PORT") == port and request.path_info != "/healthz":
            return _plain(
                404, "This address answers health probes only: /healthz.", "此地址只回答健康检查：/healthz。"
            )
        return get_response(request)

    return middleware


def client_ip(request) -> str:
    """The address a sign-in comes from, which django-axes counts failures by.

    Behind a proxy (USE_X_FORWARDED_FOR), the last address of X-Forwarded-For: the one
    that proxy wrote. Any before it came from the client and could be anything.
    """
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass  # no address written: the proxy's own is all there is
    return request.META.get("REMOTE_ADDR", "")


def lockout(request, original_response=None, credentials=None) -> HttpResponse:
    """The page django-axes answers a locked-out sign-in with: what happened, for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "failures": settings.AXES_FAILURE_LIMIT}
    response = render(request, "lockout.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def bad_request(request, exception=None) -> HttpResponse:
    """Django's answer to a request it refused to read (handler400): which limit, in words."""
    if isinstance(exception, TooManyFilesSent):
        reason = gettext(
            "The form sends more than %(limit)s files, the most one upload takes. Send them in "
            "several uploads, or import a folder with manage.py import_documents."
        ) % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES}
    elif isinstance(exception, TooManyFieldsSent):
        reason = gettext("The form sends more than %(limit)s fields.") % {
            "limit": f"{settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,}"
        }
    elif isinstance(exception, RequestDataTooBig):
        reason = gettext("The form's fields hold more than %(limit)s.") % {
            "limit": _megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
    else:
        reason = gettext("Its form or one of its headers is malformed.")
    return render(request, "400.html", {"reason": reason}, status=400)
