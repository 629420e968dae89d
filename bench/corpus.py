"""Generate resolutions whose paragraphs recombine clauses of the real corpus.

A synthetic paragraph takes a real paragraph's clause count, then a real opener, real
middle clauses and a real closer of the same language and kind: lengths and term
frequencies stay those of the corpus. Everything but `write_resolutions` is pure.
"""

from __future__ import annotations

import datetime
import math
import random
import re
from dataclasses import dataclass, field

ZH_CLAUSE = re.compile(r"[^，；。：！？]+[，；。：！？]*")
EN_BREAK = re.compile(r"(?<=[,;:])\s+|(?<=\.)\s+(?=[A-Z(])")
KIND_LABELS = {
    "preambular": ("pp{}", "PP {}", "序言部分第{}段"),
    "operative": ("op{}", "OP {}", "执行部分第{}段"),
    "annex": ("annex-{}", "annex, para. {}", "附件第{}段"),
}


def split_clauses(text: str, language: str) -> list[str]:
    """Split a paragraph into clauses, each keeping its closing punctuation."""
    if language == "zh":
        return [c for c in ZH_CLAUSE.findall(text) if c.strip()]
    return [c for c in EN_BREAK.split(text) if c.strip()]


@dataclass
class Pool:
    """Clauses of real paragraphs of one language and kind."""

    openers: list[str] = field(default_factory=list)
    middles: list[str] = field(default_factory=list)
    closers: list[str] = field(default_factory=list)
    singles: list[str] = field(default_factory=list)  # paragraphs of one clause
    shapes: list[int] = field(default_factory=list)  # clause counts of real paragraphs


def build_pools(paragraphs) -> dict[tuple[str, str], Pool]:
    """Return clause pools by (language, kind) from (language, kind, text) triples."""
    pools: dict[tuple[str, str], Pool] = {}
    for language, kind, text in paragraphs:
        if kind not in KIND_LABELS:
            continue
        pool = pools.setdefault((language, kind), Pool())
        clauses = split_clauses(text, language)
        pool.shapes.append(len(clauses))
        if len(clauses) == 1:
            pool.singles.append(clauses[0])
            continue
        pool.openers.append(clauses[0])
        pool.middles.extend(clauses[1:-1])
        pool.closers.append(clauses[-1])
    # A kind with few middle clauses (the annex in Chinese) borrows its language's.
    for (language, _), pool in pools.items():
        if len(pool.middles) < 50:
            pool.middles = [c for (lang, _), p in pools.items() if lang == language for c in p.middles]
        if not pool.openers:
            pool.openers = pool.singles
            pool.closers = pool.singles
        if not pool.singles:
            pool.singles = pool.closers
    return pools


def make_paragraph(rng: random.Random, pool: Pool, language: str) -> str:
    """Return a paragraph shaped like a real one: opener, middles, closer."""
    clauses = rng.choice(pool.shapes)
    if clauses == 1:
        return rng.choice(pool.singles)
    parts = [rng.choice(pool.openers)]
    parts += [rng.choice(pool.middles) for _ in range(clauses - 2)] if pool.middles else []
    parts.append(rng.choice(pool.closers))
    return ("" if language == "zh" else " ").join(p.strip() if language == "en" else p for p in parts)


def paragraph_layout(rng: random.Random, n: int, annex: bool) -> list[tuple[str, str, str, str]]:
    """Return (kind, anchor, label, label_zh) for a resolution of n paragraphs."""
    n_annex = max(1, round(n * rng.uniform(0.2, 0.5))) if annex and n > 3 else 0
    rest = n - n_annex
    n_pre = max(1, round(rest * rng.uniform(0.3, 0.55))) if rest > 1 else 0
    layout = []
    for kind, count in (("preambular", n_pre), ("operative", rest - n_pre), ("annex", n_annex)):
        anchor, label, label_zh = KIND_LABELS[kind]
        layout += [(kind, anchor.format(i), label.format(i), label_zh.format(i)) for i in range(1, count + 1)]
    return layout


class Symbols:
    """Hand out unused realistic symbols: A/RES/<session>/<n> and E/RES/<year>/<n>."""

    def __init__(self, rng: random.Random, taken):
        taken = {s.upper() for s in taken if s}
        self.ga = [(s, n) for s in range(45, 80) for n in range(1, 401) if f"A/RES/{s}/{n}" not in taken]
        self.ecosoc = [
            (y, n) for y in range(1990, 2025) for n in range(1, 81) if f"E/RES/{y}/{n}" not in taken
        ]
        rng.shuffle(self.ga)
        rng.shuffle(self.ecosoc)
        self.rng = rng

    def next(self) -> dict:
        rng = self.rng
        if self.ga and (rng.random() < 0.8 or not self.ecosoc):
            session, n = self.ga.pop()
            # A session opens in September: most resolutions are adopted in December.
            year = 1945 + session + (rng.random() < 0.25)
            month = 12 if year == 1945 + session else rng.randint(1, 9)
            return {
                "symbol": f"A/RES/{session}/{n}",
                "body": "GA",
                "session": str(session),
                "adopted_on": f"{year}-{month:02d}-{rng.randint(1, 28):02d}",
            }
        if not self.ecosoc:
            raise ValueError("ran out of symbols: the corpus is too large for the generator")
        year, n = self.ecosoc.pop()
        return {
            "symbol": f"E/RES/{year}/{n}",
            "body": "ECOSOC",
            "session": f"{year} substantive",
            "adopted_on": f"{year}-07-{rng.randint(1, 28):02d}",
        }


def plan_resolutions(rng: random.Random, paragraphs: int) -> list[tuple[int, int, bool]]:
    """Split a number of paragraphs into resolutions: (zh count, en count, has annex)."""
    plan = []
    left = paragraphs
    while left > 0:
        n = rng.randint(20, 80)
        zh, en = (n, n) if 2 * n <= left else (math.ceil(left / 2), left // 2)
        plan.append((zh, en, rng.random() < 0.15))
        left -= zh + en
    return plan


def write_resolutions(
    rng: random.Random,
    symbols: Symbols,
    pools: dict[tuple[str, str], Pool],
    titles: dict[str, list[str]],
    plan: list[tuple[int, int, bool]],
) -> None:
    """Store planned resolutions, their texts, their paragraphs and what those ask (their
    mandates, read as a publish reads them), with `bulk_create`."""
    from search.ingest.mandates import mandate_rows
    from search.models import Mandate, Paragraph, Resolution, Text

    # The order of the draws from rng is part of the corpus: a seed gives the same rows.
    metas = [symbols.next() for _ in plan]
    resolutions = Resolution.objects.bulk_create(
        Resolution(
            key=m["symbol"],
            symbol=m["symbol"],
            doc_type="resolution",
            body=m["body"],
            session=m["session"],
            agenda_item=str(rng.randint(1, 140)),
            adopted_on=datetime.date.fromisoformat(m["adopted_on"]),
        )
        for m in metas
    )
    texts, layouts = [], []
    for resolution, (zh, en, annex) in zip(resolutions, plan, strict=True):
        layout = paragraph_layout(rng, max(zh, en), annex)
        for language, count in (("zh", zh), ("en", en)):
            if count:
                texts.append(
                    Text(resolution=resolution, language=language, title=rng.choice(titles[language]))
                )
                layouts.append(layout[:count])
    texts = Text.objects.bulk_create(texts)
    rows = [
        Paragraph(
            version=text,
            order=order,
            anchor=anchor,
            kind=kind,
            label=label,
            label_zh=label_zh,
            number=str(order),
            text=make_paragraph(rng, pools[(text.language, kind)], text.language),
        )
        for text, layout in zip(texts, layouts, strict=True)
        for order, (kind, anchor, label, label_zh) in enumerate(layout, 1)
    ]
    Paragraph.objects.bulk_create(rows, batch_size=2000)
    by_text: dict[int, list] = {}
    for row in rows:
        by_text.setdefault(row.version_id, []).append(row)
    asked = [m for text in texts for m in mandate_rows(text, by_text.get(text.pk, []))]
    Mandate.objects.bulk_create(asked, batch_size=5000)
