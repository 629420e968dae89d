"""Forms for staff uploads."""

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from search.ingest.details import WORK_IN_REVIEW
from search.ingest.extract import ACCEPTED, MAX_UPLOAD_BYTES, limit_text
from search.models import BODY_NAMES, DOC_TYPE_NAMES, LANGUAGE_CHOICES, Resolution
from search.parsing import ANY_SYMBOL

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/._\-]{0,199}$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows: a list of files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [one(item, initial) for item in items]


class UploadForm(forms.Form):
    file = MultipleFileField(
        label=_("Files"),
        help_text=format_lazy(
            _(
                "One or several resolutions as .txt (text extracted from the PDF), .md, .docx or "
                ".pdf; at most {limit} each. Each file is staged for review on its own."
            ),
            limit=limit_text(),
        ),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("As the text reads (each file)")), *LANGUAGE_CHOICES],
        required=False,
        help_text=_("Leave it to the text, or say which language every file is in."),
    )

    def clean_file(self):
        files = self.cleaned_data["file"]
        problems = []
        for upload in files:
            name = upload.name or ""
            if upload.size > MAX_UPLOAD_BYTES:
                size = upload.size / (1024 * 1024)
                problems.append(
                    gettext("%(file)s is %(size).1f MB; the limit is %(limit)s.")
                    % {"file": name, "size": size, "limit": limit_text()}
                )
            elif not name.lower().endswith(ACCEPTED):
                problems.append(gettext("%(file)s: upload a .txt, .md, .docx or .pdf file.") % {"file": name})
        if problems:
            raise forms.ValidationError(problems)
        return files


class ResolutionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.symbol or obj.key


class ReviewForm(forms.Form):
    key = forms.CharField(
        label=_("Key"),
        max_length=200,
        help_text=_("The work's identity in links (/r/<key>/): its symbol when known."),
    )
    symbol = forms.CharField(
        label=_("Symbol"),
        max_length=100,
        required=False,
        help_text=_("Only a symbol the document or the official record gives; leave empty when unknown."),
    )
    title = forms.CharField(
        label=_("Title"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 80})
    )
    doc_type = forms.ChoiceField(label=_("Doc type"), choices=list(DOC_TYPE_NAMES.items()))
    body = forms.ChoiceField(label=_("Body"), required=False, choices=[("", "—"), *BODY_NAMES.items()])
    session = forms.CharField(label=_("Session"), max_length=100, required=False)
    agenda_item = forms.CharField(label=_("Agenda item"), max_length=50, required=False)
    adopted_on = forms.DateField(label=_("Adopted on"), required=False, help_text=_("YYYY-MM-DD"))
    version_of = ResolutionChoice(
        label=_("Version of"),
        queryset=Resolution.objects.filter(contained_in=None),
        required=False,
        help_text=_("This file is another language version of this resolution."),
    )
    became = ResolutionChoice(
        label=_("Became"),
        queryset=Resolution.objects.filter(contained_in=None),
        required=False,
        help_text=_("This file is a draft; it was adopted as this resolution."),
    )
    contained_in = ResolutionChoice(
        label=_("Contained in"),
        queryset=Resolution.objects.filter(doc_type="report"),
        required=False,
        help_text=_("This draft stands in this report."),
    )
    annex_adopted_as = ResolutionChoice(
        label=_("Annex adopted as"),
        queryset=Resolution.objects.filter(contained_in=None),
        required=False,
        help_text=_("This resolution's annex was adopted as that resolution."),
    )
    replace = forms.BooleanField(
        required=False,
        label=_("Replace the stored version in this language"),
        help_text=_("Paragraphs whose anchors stay the same keep their links."),
    )
    language_ok = forms.BooleanField(
        required=False,
        label=_("Publish in the language it was uploaded as"),
        help_text=_("The text reads as another language: tick only if the file and the language are right."),
    )

    def __init__(self, *args, language_mismatch: str = "", keep_work: bool = False, **kwargs):
        """With `keep_work`, the work's details are shown but not taken from what is sent:
        their initial values are published."""
        super().__init__(*args, **kwargs)
        if not language_mismatch:
            del self.fields["language_ok"]  # asked only where the languages differ
        for name in WORK_IN_REVIEW if keep_work else ():
            self.fields[name].disabled = True

    def clean_symbol(self):
        symbol = self.cleaned_data["symbol"].strip()
        if symbol and not ANY_SYMBOL.match(symbol):
            raise forms.ValidationError(gettext("A symbol looks like A/RES/71/322 or E/RES/2013/41."))
        return symbol

    def clean_key(self):
        key = self.cleaned_data["key"].strip()
        if not KEY.match(key) or "//" in key or key.endswith("/"):
            raise forms.ValidationError(
                gettext(
                    "Use letters, digits and / . _ - only "
                    "(for example A/RES/71/322 or draft-trafficking-2019)."
                )
            )
        return key

    def clean(self):
        data = super().clean()
        symbol, key = data.get("symbol"), data.get("key")
        target = data.get("version_of").key if data.get("version_of") else key
        if symbol and target:
            holder = Resolution.objects.filter(symbol=symbol).exclude(key=target).first()
            if holder:
                self.add_error(
                    "symbol",
                    gettext("%(symbol)s already belongs to %(key)s.") % {"symbol": symbol, "key": holder.key},
                )
        return data
