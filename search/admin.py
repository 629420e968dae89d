from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from search.ingest import changes, uploads
from search.ingest.extract import limit_text
from search.ingest.forms import ReviewForm, UploadForm
from search.ingest.in_language import in_active_language
from search.ingest.matching import drafts, match_by_content
from search.models import DraftMatch, Footnote, Paragraph, Resolution, SourceFile, Text, Upload
from search.parsing import RESOLUTION, ParseError

# Rows come from ingest, which keeps languages, anchors and relations consistent:
# the admin shows them and edits only the metadata a person may need to correct.


def file_refusal(filename: str, error: Exception) -> str:
    """Say why a file was refused, in the active language."""
    return gettext("%(file)s: %(reason)s.") % {"file": filename, "reason": in_active_language(str(error))}


def refused(model_admin, request, message):
    """The page a person sees who may not do what they asked: why, in words; nothing changed."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Permission needed"),
        "message": message,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/search/refused.html", context, status=403)


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

    # Edits and deletions are the write side's (search.ingest.changes): it logs them for
    # the index, in the same transaction, and flags again the wording they affect.
    def save_model(self, request, obj, form, change):
        changes.correct_work(obj)

    def delete_model(self, request, obj):
        changes.delete_works(Resolution.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        changes.delete_works(queryset)


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


# What saving a draft match may change.
MATCH_FIELDS = [DraftMatch._meta.get_field(name) for name in ("became", "became_method", "became_confidence")]


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
        stored = changes.match_by_staff(obj)
        # Staff's word changes how the match was found too: the history names it.
        form.saved_fields = uploads.changed_fields(stored, obj, MATCH_FIELDS)

    def construct_change_message(self, request, form, formsets, add=False):
        fields = [uploads.field_label(DraftMatch, name) for name in getattr(form, "saved_fields", [])]
        return [{"changed": {"fields": fields}}] if fields else []

    @admin.action(description=_("Confirm the selected matches"), permissions=["change"])
    def confirm(self, request, queryset):
        with transaction.atomic():
            confirming = changes.confirm_matches(queryset)
            for draft in confirming:
                self.log_change(
                    request,
                    draft,
                    [{"changed": {"fields": [uploads.field_label(DraftMatch, "became_method")]}}],
                )
        count = len(confirming)
        self.message_user(request, _("%(count)d matches confirmed.") % {"count": count}, messages.SUCCESS)


@admin.register(Text)
class TextAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        changes.correct_version(obj)

    def delete_model(self, request, obj):
        changes.delete_versions(Text.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        changes.delete_versions(queryset)

    list_display = ["resolution", "language", "title", "updated_at"]
    list_filter = ["language"]
    search_fields = ["title", "resolution__key", "resolution__symbol"]
    exclude = ["warnings"]  # shown translated: review_warnings
    readonly_fields = [
        "resolution",
        "language",
        "source",
        "review_warnings",
        "references",
        "created_at",
        "updated_at",
    ]
    inlines = [ParagraphInline, FootnoteInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description=Text._meta.get_field("warnings").verbose_name)
    def review_warnings(self, obj):
        """The parser's warnings, stored in English, each on its line in the active language."""
        return "\n".join(map(in_active_language, obj.warnings))


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

    @admin.display(description=_("original file"))
    def download(self, obj):
        url = reverse("admin:search_sourcefile_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("download"))

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
            return refused(
                self,
                request,
                _(
                    "You may not download original files: that needs the permission to view "
                    "source files (search.view_sourcefile). Ask an administrator."
                ),
            )
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
PUBLISH_REFUSALS = (
    uploads.AlreadyPublished,
    uploads.NeedsReplace,
    uploads.LanguageMismatch,
    uploads.NotPermitted,
    ParseError,
)


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    """Upload, review, publish: the admin's way to add a resolution or a language version.

    Each view asks for its permission before it does anything (see docs: "Permissions
    in the admin"); a publish, a cancel, and what they changed go into the admin's history.
    """

    list_display = [
        "filename",
        "language",
        "status",
        "resolution",
        "uploaded_by",
        "created_at",
        "published_by",
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
        "uploaded_by",
        "sha256",
        "size",
        "created_at",
        "published_by",
        "published_at",
        "summary",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "published_by", "resolution")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("uploaded by"), ordering="user")
    def uploaded_by(self, obj):
        return obj.user or "—"

    def text_refusal(self, request) -> str:
        """Say why this user may not publish at all, or return ""."""
        if not request.user.has_perms(["search.add_text", "search.change_text"]):
            return gettext(
                "You may not publish: that needs the permissions to add and to change texts "
                "(search.add_text, search.change_text). Ask an administrator."
            )
        return ""

    def publish_refusal(self, request, upload) -> str:
        """Say why this user may not publish this upload, or return ""."""
        refusal = self.text_refusal(request)
        if refusal:
            return refusal
        if upload.user_id != request.user.pk and not request.user.has_perm("search.change_upload"):
            return gettext(
                "You may not publish %(file)s: someone else uploaded it, and publishing "
                "another person's upload needs the permission to change uploads (search.change_upload)."
            ) % {"file": upload.filename}
        return ""

    def cancel_refusal(self, request, upload) -> str:
        """Say why this user may not cancel this upload, or return ""."""
        if upload.user_id != request.user.pk and not request.user.has_perm("search.delete_upload"):
            return gettext(
                "You may not cancel %(file)s: someone else uploaded it, and cancelling "
                "another person's upload needs the permission to delete uploads (search.delete_upload)."
            ) % {"file": upload.filename}
        return ""

    def review_refusal(self, request, upload) -> str:
        """Say why this user may not see this upload's review, or return ""."""
        own = upload.user_id == request.user.pk
        if (own and self.has_add_permission(request)) or self.has_view_permission(request, upload):
            return ""
        if own:
            return gettext(
                "You may not review uploads: that needs the permission to add uploads "
                "(search.add_upload) or to view them (search.view_upload). Ask an administrator."
            )
        return gettext(
            "You may not see %(file)s: someone else uploaded it, and seeing another person's upload "
            "needs the permission to view uploads (search.view_upload). Ask an administrator."
        ) % {"file": upload.filename}

    @admin.display(description=_("what changed"))
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
            return refused(
                self,
                request,
                _(
                    "You may not upload files: that needs the permission to add uploads "
                    "(search.add_upload). Ask an administrator."
                ),
            )
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            files, language = form.cleaned_data["file"], form.cleaned_data["language"] or None
            staged, refused_files = [], []
            for upload_file in files:
                try:
                    staged.append(self._stage(request, upload_file.read(), upload_file.name, language))
                except ParseError as error:
                    refused_files.append(file_refusal(upload_file.name, error))
            if len(files) == 1 and staged:
                return redirect("admin:search_upload_review", token=staged[0].token)
            if staged:
                for problem in refused_files:
                    messages.error(
                        request,
                        gettext("Not staged: %(problem)s The other files are.") % {"problem": problem},
                    )
                messages.success(
                    request,
                    gettext("%(staged)d of %(files)d files staged for review.")
                    % {"staged": len(staged), "files": len(files)},
                )
                return redirect("admin:search_upload_staged")
            for problem in refused_files:
                form.add_error("file", problem)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload a resolution"),
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
        sees_all = self.has_view_permission(request)
        if not (sees_all or self.has_add_permission(request)):
            return refused(
                self,
                request,
                _(
                    "You may not see the staged uploads: that needs the permission to add uploads "
                    "(search.add_upload) or to view them (search.view_upload). Ask an administrator."
                ),
            )
        publishing = request.method == "POST" and "publish_clean" in request.POST
        if publishing and self.text_refusal(request):
            return refused(self, request, self.text_refusal(request))
        pending = Upload.objects.filter(status=Upload.PENDING).order_by("created_at")
        if not sees_all:
            pending = pending.filter(user=request.user)
        rows = [self._staged_row(request, upload) for upload in pending]
        if publishing:
            return self._publish_clean(request, [row for row in rows if row["clean"]])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Staged uploads"),
            "rows": rows,
            "clean": sum(1 for row in rows if row["clean"]),
            "publish_refusal": self.text_refusal(request),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/search/upload/staged.html", context)

    def _staged_row(self, request, upload):
        """What review would say of one staged upload, and whether it needs a decision."""
        try:
            review = uploads.review(upload)
        except ParseError as error:
            return {"upload": upload, "problem": in_active_language(str(error)), "clean": False}
        initial, _kept = self._review_values(request, review)
        reasons = [*review.warnings]
        if review.language_mismatch:
            reasons.append(review.language_mismatch)
        if review.duplicate_of:
            reasons.append(gettext("the same file is published already"))
        elif review.replaces:
            reasons.append(
                gettext("it would replace the stored %(language)s version") % {"language": upload.language}
            )
        planned = uploads.planned_work_changes(review.parsed, initial)
        refusal = uploads.work_refusal(request.user, planned)
        reasons += [refusal] if refusal else _work_notes(planned)
        return {
            "upload": upload,
            "review": review,
            "initial": initial,
            "reasons": reasons,
            "clean": not reasons,
        }

    def _review_values(self, request, review) -> tuple[dict, str]:
        """The values a review starts from, and why the work's details are kept, if they are.

        Who may not change resolutions publishes a stored work's details as they are
        stored: only the blanks it leaves are the file's.
        """
        work = Resolution.objects.filter(key=review.initial["key"]).first()
        if work is None or request.user.has_perm("search.change_resolution"):
            return review.initial, ""
        kept = gettext(
            "The work's details (symbol, type, body, session, agenda item, date, relations) are "
            "those stored, and are kept: changing them needs the permission to change "
            "resolutions (search.change_resolution)."
        )
        return uploads.kept_details(work, review.initial), kept

    def _publish_clean(self, request, rows):
        published, left = 0, []
        for row in rows:
            upload = row["upload"]
            refusal = self.publish_refusal(request, upload)
            form = ReviewForm(row["initial"])
            if refusal or not form.is_valid():
                left.append(f"{upload.filename} ({refusal or gettext('its details need a look')})")
                continue
            try:
                self._publish_and_log(request, upload, form.cleaned_data)
            except PUBLISH_REFUSALS as error:
                left.append(f"{upload.filename} ({in_active_language(str(error))})")
            else:
                published += 1
        messages.success(
            request,
            ngettext(
                "Published %(count)d file; searchable now.",
                "Published %(count)d files; searchable now.",
                published,
            )
            % {"count": published},
        )
        if left:
            messages.warning(request, gettext("Left for review: %(files)s") % {"files": "; ".join(left)})
        return redirect("admin:search_upload_staged")

    def review_view(self, request, token):
        upload = Upload.objects.filter(token=token).select_related("resolution").first()
        if upload is None:
            messages.info(
                request, gettext("That upload was cancelled or never existed: nothing is stored for it.")
            )
            return redirect("admin:search_upload_add")
        refusal = self.review_refusal(request, upload)
        if refusal:
            return refused(self, request, refusal)
        if upload.status == Upload.PUBLISHED:
            messages.info(request, gettext("%(file)s is already published.") % {"file": upload.filename})
            return redirect("admin:search_upload_change", upload.pk)
        if request.method == "POST":
            cancelling = "cancel" in request.POST
            refusal = (self.cancel_refusal if cancelling else self.publish_refusal)(request, upload)
            if refusal:
                messages.error(request, refusal)
                return redirect("admin:search_upload_review", token=token)
            if cancelling:
                self._cancel(request, upload)
                messages.info(
                    request,
                    gettext("Upload of %(file)s cancelled: nothing was stored.") % {"file": upload.filename},
                )
                return redirect("admin:search_upload_add")
        try:
            review = uploads.review(upload, key=request.POST.get("key") or None)
        except ParseError as error:  # staged before parses were kept, and refused now
            if not self.cancel_refusal(request, upload):
                self._cancel(request, upload)
            messages.error(request, file_refusal(upload.filename, error))
            return redirect("admin:search_upload_add")
        initial, kept = self._review_values(request, review)
        form = ReviewForm(
            request.POST or None,
            initial=initial,
            language_mismatch=review.language_mismatch,
            keep_work=bool(kept),
        )
        if request.method == "POST" and form.is_valid():
            published = self._publish(request, upload, form)
            if published:
                return published
        # What publishing these values would do to the work, said before the click.
        planned = uploads.planned_work_changes(
            review.parsed, {**initial, **getattr(form, "cleaned_data", {})}
        )
        work_refusal = "" if form.non_field_errors() else uploads.work_refusal(request.user, planned)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review %(file)s") % {"file": upload.filename},
            "upload": upload,
            "review": review,
            "form": form,
            "work_kept": kept,
            "work_notes": [] if work_refusal else _work_notes(planned),
            "publish_refusal": self.publish_refusal(request, upload) or work_refusal,
            "cancel_refusal": self.cancel_refusal(request, upload),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/search/upload/review.html", context)

    def _publish(self, request, upload, form):
        """Publish a reviewed upload and redirect, or put on the form why it was not."""
        try:
            text = self._publish_and_log(
                request,
                upload,
                form.cleaned_data,
                replace=form.cleaned_data["replace"],
                language_ok=form.cleaned_data.get("language_ok", False),
            )
        except uploads.AlreadyPublished:
            messages.info(request, gettext("%(file)s was already published.") % {"file": upload.filename})
            return redirect("admin:search_upload_change", upload.pk)
        except uploads.NeedsReplace as error:
            form.add_error("replace", str(error))
        except uploads.LanguageMismatch as error:
            form.add_error("language_ok", str(error))
        except (uploads.NotPermitted, ParseError) as error:
            form.add_error(None, in_active_language(str(error)))
        else:
            upload.refresh_from_db()
            messages.success(
                request,
                gettext("Published %(file)s as %(work)s (%(language)s): %(changes)s. It is searchable now.")
                % {
                    "file": upload.filename,
                    "work": text.resolution,
                    "language": text.language,
                    "changes": uploads.describe_changes(upload.changes),
                },
            )
            return redirect("admin:search_upload_change", upload.pk)
        return None

    def _publish_and_log(self, request, upload, values, **options):
        """Publish as this user and log it, in one transaction: no publish is missing
        from the history."""
        with transaction.atomic():
            text = uploads.publish(upload, values, request.user, **options)
            self.log_publish(request, text, Upload.objects.get(pk=upload.pk).changes)
        return text

    def log_publish(self, request, text, changes):
        """Log a publish: every work it added, changed or removed, then the language
        version added or changed (its fields and which paragraphs)."""
        works = Resolution.objects.in_bulk([c["pk"] for c in changes["works"] if c["action"] != "removed"])
        for change in changes["works"]:
            if change["action"] == "added":
                self.log_addition(request, works[change["pk"]], [{"added": {}}])
            elif change["action"] == "changed":
                fields = [uploads.field_label(Resolution, name) for name in change["fields"]]
                self.log_change(request, works[change["pk"]], [{"changed": {"fields": fields}}])
            else:  # the row is gone: logged by its id and name, as log_deletions does
                LogEntry.objects.create(
                    user_id=request.user.pk,
                    content_type=ContentType.objects.get_for_model(Resolution),
                    object_id=str(change["pk"]),
                    object_repr=change["name"][:200],
                    action_flag=DELETION,
                )
        if changes["version"]["action"] == "added":
            self.log_addition(request, text, [{"added": {}}])
        else:
            self.log_change(request, text, _version_message(changes))

    def _cancel(self, request, upload):
        with transaction.atomic():
            if uploads.cancel(upload):
                self.log_deletions(request, [upload])


def _version_message(changes) -> list[dict]:
    """A replaced language version's change, as the admin's history says it: its own
    fields, then its paragraphs changed, added and removed, by anchor."""
    message = []
    fields = changes["version"]["fields"]
    if fields:
        message.append({"changed": {"fields": [uploads.field_label(Text, name) for name in fields]}})
    with translation.override(None):  # stored in English: History translates it when shown
        name = str(Paragraph._meta.verbose_name_plural)
    for kind, said in (("changed", "changed"), ("added", "added"), ("removed", "deleted")):
        anchors = changes.get(kind) or []
        if anchors:
            entry = {"name": name, "object": ", ".join(anchors)}
            if said == "changed":
                entry["fields"] = [uploads.field_label(Paragraph, "text")]
            message.append({said: entry})
    return message


def _work_notes(planned) -> list[str]:
    """Say which details of a stored work publishing changes."""
    return [
        gettext("Publishing this file changes the stored work %(work)s: %(fields)s.")
        % {
            "work": change["key"],
            "fields": ", ".join(gettext(uploads.field_label(Resolution, name)) for name in change["fields"]),
        }
        for change in planned
        if change["action"] == "changed"
    ]
