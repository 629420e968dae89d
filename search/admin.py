from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from search.engine.index import record_changes
from search.ingest import lineage, uploads
from search.ingest.extract import limit_text
from search.ingest.forms import ReviewForm, UploadForm
from search.ingest.matching import drafts, match_by_content
from search.ingest.store import versions_of
from search.models import BECAME_STAFF, DraftMatch, Footnote, Paragraph, Resolution, SourceFile, Text, Upload
from search.parsing import RESOLUTION, ParseError

# Rows come from ingest, which keeps languages, anchors and relations consistent:
# the admin shows them and edits only the metadata a person may need to correct.


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    fields = ["order", "anchor", "kind", "label", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


class FootnoteInline(admin.TabularInline):
    model = Footnote
    fields = ["number", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TextInline(admin.TabularInline):
    model = Text
    fields = ["language", "title", "source"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Resolution)
class ResolutionAdmin(admin.ModelAdmin):
    list_display = ["key", "symbol", "doc_type", "body", "adopted_on", "contained_in", "position"]
    list_filter = ["doc_type", "body"]
    search_fields = ["key", "symbol"]
    readonly_fields = ["key", "contained_in", "position"]
    raw_id_fields = ["became", "annex_adopted_as"]
    inlines = [TextInline]

    # The index shows a work's symbol, date and body with every paragraph: an edit here
    # goes into the change log like any other write, in the same transaction.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_changes(versions_of(obj))

    def delete_model(self, request, obj):
        versions = versions_of(obj)
        sharing = lineage.sharing_with(versions)
        super().delete_model(request, obj)
        record_changes(versions)
        lineage.reflag(sharing)  # what only this work had before them is new wording again

    def delete_queryset(self, request, queryset):
        versions = set().union(*(versions_of(r) for r in queryset))
        sharing = lineage.sharing_with(versions)
        super().delete_queryset(request, queryset)
        record_changes(versions)
        lineage.reflag(sharing)


class DraftMatchForm(forms.ModelForm):
    class Meta:
        model = DraftMatch
        fields = ["became"]

    def clean_became(self):
        became = self.cleaned_data["became"]
        if became is not None and became.doc_type != RESOLUTION:
            raise forms.ValidationError(
                _(
                    "%(document)s is not an adopted resolution (it is: %(kind)s). "
                    "Choose a resolution, or leave it empty."
                )
                % {"document": became, "kind": became.get_doc_type_display().lower()}
            )
        return became


@admin.register(DraftMatch)
class DraftMatchAdmin(admin.ModelAdmin):
    """Each draft and the resolution it became: how that was found, how sure, what staff say.

    Saving a draft here, or "Confirm", makes the match staff's: the matcher never changes it.
    Leaving "became" empty and saving says the draft became no resolution here.
    """

    form = DraftMatchForm
    list_display = ["draft", "title", "became", "became_method", "confidence", "by_content"]
    list_filter = ["became_method"]
    search_fields = ["key", "symbol", "texts__title"]
    fields = ["draft", "title", "became", "became_method", "confidence", "by_content"]
    readonly_fields = ["draft", "title", "became_method", "confidence", "by_content"]
    autocomplete_fields = ["became"]
    actions = ["confirm"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=[d.pk for d in drafts()]).prefetch_related("texts")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("draft"), ordering="symbol")
    def draft(self, obj):
        return str(obj)

    @admin.display(description=_("title"))
    def title(self, obj):
        return Truncator(next((t.title for t in obj.texts.all() if t.title), "")).chars(70)

    @admin.display(description=_("confidence"), ordering="became_confidence")
    def confidence(self, obj):
        return f"{obj.became_confidence:.2f}" if obj.became_confidence is not None else "—"

    @admin.display(description=_("best matches by content"))
    def by_content(self, obj):
        match = match_by_content(obj)
        if not match.candidates:
            return _("none: no resolution of its session holds a fifth of its paragraphs")
        return format_html_join(
            ", ",
            "{} ({} %)",
            ((c.resolution, round(c.share * 100)) for c in match.candidates[:3]),
        )

    def save_model(self, request, obj, form, change):
        before = DraftMatch.objects.get(pk=obj.pk).became
        obj.became_method, obj.became_confidence = BECAME_STAFF, None
        super().save_model(request, obj, form, change)
        _reindex(obj, before, obj.became)

    @admin.action(description=_("Confirm the selected matches"))
    def confirm(self, request, queryset):
        count = queryset.exclude(became_method=BECAME_STAFF).update(became_method=BECAME_STAFF)
        self.message_user(request, _("%(count)d matches confirmed.") % {"count": count}, messages.SUCCESS)


def _reindex(draft, *resolutions):
    """A draft's year is its resolution's: the draft and both resolutions are indexed again."""
    versions = set(draft.texts.values_list("pk", flat=True))
    for resolution in resolutions:
        if resolution is not None:
            versions |= versions_of(resolution)
    record_changes(versions)


@admin.register(Text)
class TextAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_changes([obj.pk])

    def delete_model(self, request, obj):
        pk = obj.pk
        sharing = lineage.sharing_with([pk])
        super().delete_model(request, obj)
        record_changes([pk])
        lineage.reflag(sharing)

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        sharing = lineage.sharing_with(pks)
        super().delete_queryset(request, queryset)
        record_changes(pks)
        lineage.reflag(sharing)

    list_display = ["resolution", "language", "title", "updated_at"]
    list_filter = ["language"]
    search_fields = ["title", "resolution__key", "resolution__symbol"]
    readonly_fields = [
        "resolution",
        "language",
        "source",
        "warnings",
        "references",
        "created_at",
        "updated_at",
    ]
    inlines = [ParagraphInline, FootnoteInline]

    def has_add_permission(self, request):
        return False


@admin.register(SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["filename", "language", "size", "sha256", "created_at", "download"]
    fields = ["filename", "language", "size", "sha256", "created_at", "download"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # texts point to their file: the original is never lost

    @admin.display(description="original file")
    def download(self, obj):
        url = reverse("admin:search_sourcefile_download", args=[obj.pk])
        return format_html('<a href="{}">download</a>', url)

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="search_sourcefile_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        if not self.has_view_permission(request):
            raise Http404
        source = SourceFile.objects.filter(pk=pk).first()
        if source is None:
            raise Http404("no such file")
        response = HttpResponse(bytes(source.data), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{_ascii_name(source.filename)}"'
        response["X-Content-SHA256"] = source.sha256
        return response


def _ascii_name(name: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in name) or "file"


# What publishing a staged file may refuse with, in plain words.
PUBLISH_REFUSALS = (uploads.AlreadyPublished, uploads.NeedsReplace, uploads.LanguageMismatch, ParseError)


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    """Upload, review, publish: the admin's way to add a resolution or a language version."""

    list_display = [
        "filename",
        "language",
        "status",
        "resolution",
        "user",
        "created_at",
        "published_at",
        "summary",
    ]
    list_filter = ["status", "language"]
    fields = [
        "filename",
        "language",
        "detected_language",
        "status",
        "resolution",
        "source",
        "user",
        "sha256",
        "size",
        "created_at",
        "published_at",
        "summary",
    ]
    readonly_fields = fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def publish_refusal(self, request, upload) -> str:
        """Say why this user may not publish this upload, or return ""."""
        if not request.user.has_perms(["search.add_text", "search.change_text"]):
            return (
                "You may not publish: that needs the permissions to add and to change texts "
                "(search.add_text, search.change_text). Ask an administrator."
            )
        if upload.user_id != request.user.pk and not request.user.has_perm("search.change_upload"):
            return (
                f"You may not publish {upload.filename}: someone else uploaded it, and publishing "
                "another person's upload needs the permission to change uploads (search.change_upload)."
            )
        return ""

    def cancel_refusal(self, request, upload) -> str:
        """Say why this user may not cancel this upload, or return ""."""
        if upload.user_id != request.user.pk and not request.user.has_perm("search.delete_upload"):
            return (
                f"You may not cancel {upload.filename}: someone else uploaded it, and cancelling "
                "another person's upload needs the permission to delete uploads (search.delete_upload)."
            )
        return ""

    @admin.display(description="what changed")
    def summary(self, obj):
        return uploads.describe_changes(obj.changes)

    def get_urls(self):
        return [
            path(
                "<str:token>/review/",
                self.admin_site.admin_view(self.review_view),
                name="search_upload_review",
            ),
            path("staged/", self.admin_site.admin_view(self.staged_view), name="search_upload_staged"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise Http404
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            files, language = form.cleaned_data["file"], form.cleaned_data["language"] or None
            staged, refused = [], []
            for upload_file in files:
                try:
                    staged.append(self._stage(request, upload_file.read(), upload_file.name, language))
                except ParseError as error:
                    refused.append(f"{upload_file.name}: {error}.")
            if len(files) == 1 and staged:
                return redirect("admin:search_upload_review", token=staged[0].token)
            if staged:
                for problem in refused:
                    messages.error(request, f"Not staged: {problem} The other files are.")
                messages.success(request, f"{len(staged)} of {len(files)} files staged for review.")
                return redirect("admin:search_upload_staged")
            for problem in refused:
                form.add_error("file", problem)
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload a resolution",
            "form": form,
            "opts": self.model._meta,
            "limit": limit_text(),
        }
        return TemplateResponse(request, "admin/search/upload/add.html", context)

    def _stage(self, request, data: bytes, filename: str, language: str | None) -> Upload:
        """Stage one file (the pending upload of the same bytes if there is one); without a
        language, the one its text reads as."""
        read_as = None
        if language is None:
            read_as = uploads.read(data, filename, None)
            language = read_as[0].language
        pending = uploads.pending_upload(data, language, request.user)
        return pending or uploads.stage(data, filename, language, request.user, read_as=read_as)

    def staged_view(self, request):
        """The uploads staged and not yet published: each with what review would say, and
        "Publish all without warnings" for those that need no decision."""
        pending = Upload.objects.filter(status=Upload.PENDING).order_by("created_at")
        if not request.user.has_perm("search.change_upload"):
            pending = pending.filter(user=request.user)
        rows = []
        for upload in pending:
            try:
                review = uploads.review(upload)
            except ParseError as error:
                rows.append({"upload": upload, "problem": str(error), "clean": False})
                continue
            reasons = [*review.warnings]
            if review.language_mismatch:
                reasons.append(review.language_mismatch)
            if review.duplicate_of:
                reasons.append("the same file is published already")
            elif review.replaces:
                reasons.append(f"it would replace the stored {upload.language} version")
            rows.append({"upload": upload, "review": review, "reasons": reasons, "clean": not reasons})
        if request.method == "POST" and "publish_clean" in request.POST:
            return self._publish_clean(request, [row for row in rows if row["clean"]])
        context = {
            **self.admin_site.each_context(request),
            "title": "Staged uploads",
            "rows": rows,
            "clean": sum(1 for row in rows if row["clean"]),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/search/upload/staged.html", context)

    def _publish_clean(self, request, rows):
        published, left = 0, []
        for row in rows:
            upload = row["upload"]
            refusal = self.publish_refusal(request, upload)
            form = ReviewForm(row["review"].initial)
            if refusal or not form.is_valid():
                left.append(f"{upload.filename} ({refusal or 'its details need a look'})")
                continue
            try:
                uploads.publish(upload, form.cleaned_data, request.user)
            except PUBLISH_REFUSALS as error:
                left.append(f"{upload.filename} ({error})")
            else:
                published += 1
        plural = "s" if published != 1 else ""
        messages.success(request, f"Published {published} file{plural}; searchable now.")
        if left:
            messages.warning(request, "Left for review: " + "; ".join(left))
        return redirect("admin:search_upload_staged")

    def review_view(self, request, token):
        upload = Upload.objects.filter(token=token).select_related("resolution").first()
        if upload is None:
            messages.info(request, "That upload was cancelled or never existed: nothing is stored for it.")
            return redirect("admin:search_upload_add")
        if upload.user_id != request.user.pk and not self.has_view_permission(request, upload):
            raise PermissionDenied
        if upload.status == Upload.PUBLISHED:
            messages.info(request, f"{upload.filename} is already published.")
            return redirect("admin:search_upload_change", upload.pk)
        if request.method == "POST":
            cancelling = "cancel" in request.POST
            refusal = (self.cancel_refusal if cancelling else self.publish_refusal)(request, upload)
            if refusal:
                messages.error(request, refusal)
                return redirect("admin:search_upload_review", token=token)
            if cancelling:
                uploads.cancel(upload)
                messages.info(request, f"Upload of {upload.filename} cancelled: nothing was stored.")
                return redirect("admin:search_upload_add")
        try:
            review = uploads.review(upload, key=request.POST.get("key") or None)
        except ParseError as error:  # staged before parses were kept, and refused now
            uploads.cancel(upload)
            messages.error(request, f"{upload.filename}: {error}.")
            return redirect("admin:search_upload_add")
        form = ReviewForm(
            request.POST or None, initial=review.initial, language_mismatch=review.language_mismatch
        )
        if request.method == "POST" and form.is_valid():
            published = self._publish(request, upload, form)
            if published:
                return published
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review {upload.filename}",
            "upload": upload,
            "review": review,
            "form": form,
            "publish_refusal": self.publish_refusal(request, upload),
            "cancel_refusal": self.cancel_refusal(request, upload),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/search/upload/review.html", context)

    def _publish(self, request, upload, form):
        """Publish a reviewed upload and redirect, or put on the form why it was not."""
        try:
            text = uploads.publish(
                upload,
                form.cleaned_data,
                request.user,
                replace=form.cleaned_data["replace"],
                language_ok=form.cleaned_data.get("language_ok", False),
            )
        except uploads.AlreadyPublished:
            messages.info(request, f"{upload.filename} was already published.")
            return redirect("admin:search_upload_change", upload.pk)
        except uploads.NeedsReplace as error:
            form.add_error("replace", str(error))
        except uploads.LanguageMismatch as error:
            form.add_error("language_ok", str(error))
        except ParseError as error:
            form.add_error(None, str(error))
        else:
            upload.refresh_from_db()
            messages.success(
                request,
                f"Published {upload.filename} as {text.resolution} ({text.language}): "
                f"{uploads.describe_changes(upload.changes)}. It is searchable now.",
            )
            return redirect("admin:search_upload_change", upload.pk)
        return None
