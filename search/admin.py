from django.contrib import admin

from search.models import Footnote, Paragraph, Resolution, SourceFile, Text

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


@admin.register(Text)
class TextAdmin(admin.ModelAdmin):
    list_display = ["resolution", "language", "title", "updated_at"]
    list_filter = ["language"]
    search_fields = ["title", "resolution__key", "resolution__symbol"]
    readonly_fields = ["resolution", "language", "source", "warnings", "references", "created_at", "updated_at"]
    inlines = [ParagraphInline, FootnoteInline]

    def has_add_permission(self, request):
        return False


@admin.register(SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["filename", "language", "size", "sha256", "created_at"]
    fields = ["filename", "language", "size", "sha256", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
