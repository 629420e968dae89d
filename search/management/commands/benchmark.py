from argparse import BooleanOptionalAction
from pathlib import Path

from django.core.management.base import BaseCommand

from bench.report import format_report
from bench.run import run_benchmark


class Command(BaseCommand):
    """Generate a large corpus from the real one, index it, time queries and uploads.

    Runs in its own database and index under --workdir (default: a temporary folder,
    removed afterwards), never the development ones, and compares with the plain
    jieba + Whoosh baseline and, side by side on the same tokens, with tantivy.
    """

    help = "Benchmark indexing, queries, uploads and memory on a generated corpus."

    def add_arguments(self, parser):
        parser.add_argument("--paragraphs", type=int, default=100_000)
        parser.add_argument(
            "--queries", type=int, default=300, help="timed queries, round-robin over the mix"
        )
        parser.add_argument("--warmup", type=int, default=2, help="untimed rounds of the mix first")
        parser.add_argument("--uploads", type=int, default=3, help="100-paragraph uploads to time")
        parser.add_argument(
            "--baseline", action=BooleanOptionalAction, default=True, help="time the baseline too"
        )
        parser.add_argument(
            "--tantivy",
            action=BooleanOptionalAction,
            default=True,
            help="time tantivy beside ours on the same paragraphs and tokens, query by query",
        )
        parser.add_argument(
            "--trace",
            action=BooleanOptionalAction,
            default=True,
            help="time trace_wording over the whole corpus too (agreed language)",
        )
        parser.add_argument(
            "--workdir", type=Path, help="kept afterwards, with the JSON of the run (result.json)"
        )
        parser.add_argument("--seed", type=int, default=0)

    def handle(
        self, *, paragraphs, queries, warmup, uploads, baseline, tantivy, trace, workdir, seed, **options
    ):
        result = run_benchmark(
            paragraphs,
            queries=queries,
            baseline=baseline,
            trace=trace,
            tantivy=tantivy,
            workdir=workdir,
            warmup=warmup,
            uploads=uploads,
            seed=seed,
        )
        self.stdout.write(format_report(result))
