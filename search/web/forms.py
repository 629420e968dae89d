"""The search form: what `q` and `page` may be, for the search page, the API and a resolution page."""

from django import forms

from search.engine.query import MAX_QUERY

MAX_PAGE = 1000


class SearchForm(forms.Form):
    # A longer query is cut, not refused: pasted text still searches its beginning.
    q = forms.CharField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:MAX_QUERY]

    def values(self) -> tuple[str, int]:
        """Return (query, page): what validated, else no query and page 1."""
        self.is_valid()
        return self.cleaned_data.get("q", ""), self.cleaned_data.get("page") or 1

    def error_text(self) -> str:
        """Say in one line what is wrong with the parameters."""
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in self.errors.items())
