"""The search form: what `q` and `page` may be, for the search page, the API and a resolution page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from search.engine.query import MAX_QUERY

MAX_PAGE = 1000
SORT_CHOICES = [("relevance", _("Relevance")), ("newest", _("Newest first")), ("oldest", _("Oldest first"))]
PER_PAGE_CHOICES = [(10, "10"), (20, "20"), (50, "50"), (100, "100")]
DEFAULTS = {"sort": "relevance", "per_page": 20}


class SearchForm(forms.Form):
    # A longer query is cut, not refused: pasted text still searches its beginning.
    q = forms.CharField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)
    per_page = forms.TypedChoiceField(required=False, choices=PER_PAGE_CHOICES, coerce=int, empty_value=None)

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:MAX_QUERY]

    def values(self) -> tuple[str, int]:
        """Return (query, page): what validated, else no query and page 1."""
        self.is_valid()
        return self.cleaned_data.get("q", ""), self.cleaned_data.get("page") or 1

    def options(self) -> dict:
        """Return the sort and page size asked for, leaving out the defaults (and what did
        not validate): what links carry from page to page."""
        self.is_valid()
        chosen = {name: self.cleaned_data.get(name) for name in DEFAULTS}
        return {name: value for name, value in chosen.items() if value and value != DEFAULTS[name]}

    def error_text(self) -> str:
        """Say in one line what is wrong with the parameters."""
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in self.errors.items())
