"""bench/amendments.py: which PDFs it takes for amendments, the paragraphs it reads from
their lines where the parser does not yet read them as amendments, and its tally."""

import io
from pathlib import Path

from bench.amendments import is_amendment, measure, paragraphs_after_heading, report

ODS = Path(__file__).resolve().parents[2] / "corpus" / "ods"


def test_it_takes_amendments_and_only_them():
    assert is_amendment(ODS / "A_C.3_80_L.57.pdf")  # "…: amendment to revised draft resolution"
    assert is_amendment(ODS / "A_80_L.19.pdf")
    assert not is_amendment(ODS / "A_C.3_80_L.2.pdf")  # a draft resolution
    assert not is_amendment(ODS / "A_RES_80_192.pdf")


def test_it_reads_the_paragraphs_under_the_heading_and_the_title():
    text = "\n".join(
        [
            "A/80/L.99",
            "Agenda item 72 (a)",
            "Ruritania:* amendment to draft resolution A/80/L.98",
            "The title of the draft",
            "1. In the fourth preambular paragraph, delete “and expressing deep concern about",
            "the impact of climate change,”.",
            "2. After operative paragraph 3, insert a new operative paragraph reading:",
            "Decides to remain seized of the matter;",
        ]
    )
    assert paragraphs_after_heading(text) == [
        "In the fourth preambular paragraph, delete “and expressing deep concern about\n"
        "the impact of climate change,”.",
        "After operative paragraph 3, insert a new operative paragraph reading:\n"
        "Decides to remain seized of the matter;",
    ]


def test_it_tallies_operations_read_and_unread():
    out = io.StringIO()
    report([measure(ODS / "A_80_L.30.pdf"), measure(ODS / "A_C.3_80_L.64.pdf")], out)
    lines = out.getvalue().splitlines()

    # A/80/L.30 numbers 11 operations; A/C.3/80/L.64, 3.
    assert lines[0] == "2 amendments, 14 operations: 14 read, 0 unread"
    assert not [line for line in lines if line.startswith("UNREAD")]
