"""The parser's review warnings in the reader's language.

The parser cannot call gettext: it says each warning in English, a template of
`search.parsing.WARNINGS` filled with str.format. A warning is shown translated by
its template: the one it was made from is found again, its values taken back and
the translated template filled with them. Warnings stored in English (a staged
parse, a language version's `warnings`) translate the same way; one no template
made is shown as it is. Each template is a msgid of the hand-kept catalogue as it
stands (tests/ingest/test_admin_translations.py checks that each has its Chinese).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

from search.parsing import WARNINGS


def _pattern(template: str) -> re.Pattern:
    """A regex that matches what the template makes, a group for each placeholder."""
    parts = re.split(r"\{(\w+)\}", template)  # literal, name, literal, name, …
    return re.compile("".join(f"(?P<{p}>.+?)" if i % 2 else re.escape(p) for i, p in enumerate(parts)), re.S)


PATTERNS = [(template, _pattern(template)) for template in WARNINGS]


def translated_warning(warning: str) -> str:
    """Say a parser's warning in the active language (a draft's warning within it too)."""
    for template, pattern in PATTERNS:
        match = pattern.fullmatch(warning)
        if match:
            values = match.groupdict()
            if "warning" in values:
                values["warning"] = translated_warning(values["warning"])
            return gettext(template).format(**values)
    return warning
