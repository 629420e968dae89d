"""What the parser and the file reader say, in the reader's language.

Neither can call gettext: the parser is Django-free, and a file is read in a child
process that has no request and so no language. Each says its review warnings and its
refusals (why a file cannot be read) in English, a template filled with str.format:
`search.parsing.WARNINGS` and `REFUSALS`, and the refusals of `extract` and `sandbox`.
A message is shown translated by its template: the one it was made from is found again,
its values taken back and the translated template filled with them. Messages stored in
English (a staged parse, a language version's `warnings`) translate the same way; one no
template made (or one said in the language already) is shown as it is. A paragraph's
English label in a warning ("OP 3") is given in Chinese too, for the Chinese template to
name it by. Each template is a msgid of the hand-kept catalogue as it stands
(tests/ingest/test_admin_translations.py checks that each has its Chinese). The
management commands print them in English.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

from search.ingest import extract, sandbox
from search.parsing import REFUSALS, WARNINGS, chinese_label

# In order: a template comes before a more general one its text would match too.
TEMPLATES = (*WARNINGS, *REFUSALS, *extract.REFUSALS, *sandbox.REFUSALS)


def _pattern(template: str) -> re.Pattern:
    """A regex that matches what the template makes, a group for each placeholder.

    A value runs to the first place the template's next words stand (possessive: never
    tried again shorter or longer), so a match costs time in proportion to the message,
    whatever it holds, not to its length to the power of the placeholders."""
    parts = re.split(r"\{(\w+)\}", template)  # literal, name, literal, name, …
    pattern = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            pattern += re.escape(part)
            continue
        after = parts[i + 1]
        value = f"(?:(?!{re.escape(after)}).)++" if after else ".++"
        pattern += f"(?P<{part}>{value})"
    return re.compile(pattern, re.S)


PATTERNS = [(template, _pattern(template)) for template in TEMPLATES]


def in_active_language(message: str, depth: int = 0) -> str:
    """Say a warning or refusal of the parser or the file reader in the active language
    (a draft's warning within a warning too, as deep as a report's draft goes)."""
    if depth > 2:
        return message
    for template, pattern in PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return gettext(template).format(**_values(match.groupdict(), depth))
    return message


def _values(values: dict, depth: int) -> dict:
    """The values a message was made with, and what a translated template says instead: a
    draft's warning in the active language, a paragraph's Chinese label (`label_zh`)."""
    if "warning" in values:
        values["warning"] = in_active_language(values["warning"], depth + 1)
    if "label" in values:
        values["label_zh"] = chinese_label(values["label"])
    return values
