"""A session's agenda as e-deleGATE publishes it (plenary-agenda.json: AG_Item, AG_Title,
AG_Body, AG_Allocation, AG_SessionNo), read under limits into AgendaItem rows.

The plenary's list (AG_Body "GA") is the agenda. A few rows are a Main Committee's own
list, and some give an item another title than the plenary's (the 80th session's Third
Committee lists item 69 as "Rights of Indigenous Peoples", the plenary "Elimination of
racism…"): the plenary's is kept and the other reported. Two plenary rows of one item
that disagree are both left out. An item number that is none ("see item 5") is left out.
"""

from __future__ import annotations

import json
import re

from django.db import transaction

from search.engine import agenda_titles
from search.engine.agenda import normal_item, shown_item
from search.models import AgendaItem, ProceedingsFile
from search.parsing import ProceedingsError, session_number

MAX_BYTES = 2_000_000  # the 80th session's agenda is 92 KB
MAX_ITEMS = 5_000
MAX_TEXT = 1_000  # characters of a title or an allocation
PLENARY = "GA"
MARK = b'"AG_Item"'  # what tells an agenda from a file of proposals, in its first record


def is_agenda(data: bytes) -> bool:
    return MARK in data[:2000]


def read_agenda(data: bytes, name: str) -> tuple[list[dict], list[str]]:
    """The rows of an agenda file and what was left out of it, in words; a file that is no
    agenda raises ProceedingsError."""
    records = _records(data, name)
    rows: dict[tuple, dict] = {}
    others: list[dict] = []
    problems: list[str] = []
    for number, record in enumerate(records, 1):
        row = _row(record, f"{name}, row {number}", problems)
        if row is None:
            continue
        if row.pop("body") != PLENARY:
            others.append(row)
            continue
        earlier = rows.setdefault((row["session"], row["item"]), row)
        if earlier is not row and earlier["title"] != row["title"]:
            problems.append(
                f"{name}: item {shown_item(row['item'])} is listed twice with two titles; left out"
            )
            earlier["conflict"] = True
    kept = [row for row in rows.values() if not row.pop("conflict", False)]
    return kept + _committee_rows(others, rows, name, problems), problems


def _records(data: bytes, name: str) -> list:
    if len(data) > MAX_BYTES:
        raise ProceedingsError(f"{name}: {len(data):,} bytes, more than the {MAX_BYTES:,} an agenda may have")
    try:
        records = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ProceedingsError(f"{name}: not UTF-8 text (byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise ProceedingsError(f"{name}: not valid JSON ({error.msg}, line {error.lineno})") from None
    except RecursionError:
        raise ProceedingsError(f"{name}: nested deeper than an agenda is") from None
    if not isinstance(records, list) or len(records) > MAX_ITEMS:
        raise ProceedingsError(f"{name}: a list of at most {MAX_ITEMS:,} agenda items was expected")
    return records


def _row(record: object, where: str, problems: list[str]) -> dict | None:
    if not isinstance(record, dict):
        problems.append(f"{where}: not an object; left out")
        return None
    published = _text(record, "AG_Item")
    item, session = normal_item(published), session_number(_text(record, "AG_SessionNo"))
    if item is None or not session:
        problems.append(
            f"{where}: {published!r} of session {_text(record, 'AG_SessionNo')!r} is no item; left out"
        )
        return None
    return {
        "session": session,
        "item": item,
        "title": _text(record, "AG_Title"),
        "allocation": _text(record, "AG_Allocation"),
        "body": _text(record, "AG_Body"),
    }


def _committee_rows(others: list[dict], plenary: dict[tuple, dict], name: str, problems: list[str]) -> list:
    """A committee's rows: those of items the plenary's list lacks; the others reported
    where their title differs."""
    kept = []
    for row in others:
        theirs = plenary.get((row["session"], row["item"]))
        if theirs is None:
            kept.append(row)
            plenary[(row["session"], row["item"])] = row
        elif theirs["title"].casefold() != row["title"].casefold():
            problems.append(
                f"{name}: a committee's list gives item {shown_item(row['item'])} the title {row['title']!r},"
                f" the plenary's agenda {theirs['title']!r}: the plenary's kept"
            )
    return kept


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    return "" if value is None else re.sub(r"\s+", " ", str(value)).strip()[:MAX_TEXT]


def store_agenda(stored: ProceedingsFile, rows: list[dict]) -> None:
    """Replace the agenda items of a file with these rows."""
    stored.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(AgendaItem(source=stored, **row) for row in rows)
    # This process's next search reads them: in this transaction, and once it commits.
    agenda_titles.forget()
    transaction.on_commit(agenda_titles.forget)
