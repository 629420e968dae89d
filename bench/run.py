"""Drive the benchmark: every phase in its own process, on a work folder of its own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.phases import RESULT_PREFIX, progress

BASE_DIR = Path(__file__).resolve().parent.parent


def run_benchmark(
    paragraphs: int,
    queries: int = 300,
    baseline: bool = True,
    trace: bool = True,
    tantivy: bool = True,
    workdir: Path | None = None,
    warmup: int = 2,
    uploads: int = 3,
    seed: int = 0,
) -> dict:
    """Run every phase in its own process and return the measurements.

    A workdir given is kept, with the measurements in `result.json`; by default a
    temporary one is used and removed.
    """
    temporary = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="un-search-bench-")).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    for stale in ("bench.sqlite3", "bench.sqlite3-wal", "bench.sqlite3-shm", "index", "tantivy-index"):
        path = workdir / stale
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    try:
        result = {
            "paragraphs_asked": paragraphs,
            "queries_timed": queries,
            "warmup": warmup,
            "workdir": str(workdir),
        }
        progress(f"generating {paragraphs:,} paragraphs in {workdir}")
        result["corpus"] = _run_phase(
            workdir, "generate", "--paragraphs", str(paragraphs), "--seed", str(seed)
        )
        progress("rebuilding the index")
        result["rebuild"] = _run_phase(workdir, "rebuild")
        progress(f"{result['rebuild']['rate']:.0f} paragraphs/s; running {queries} queries")
        result["queries"] = _run_phase(workdir, "queries", "--queries", str(queries), "--warmup", str(warmup))
        if tantivy:
            # Before trace_wording, which re-indexes the versions whose wording it flags.
            progress("tantivy: indexing the same paragraphs with the same tokens")
            result["tantivy_build"] = _run_phase(workdir, "tantivy-build")
            progress("tantivy: the query mix beside ours, query by query")
            result["side_by_side"] = _run_phase(
                workdir, "side-by-side", "--queries", str(queries), "--warmup", str(warmup)
            )
        if baseline:
            progress("baseline: building with jieba's ChineseAnalyzer and Whoosh defaults")
            result["baseline_rebuild"] = _run_phase(workdir, "baseline-build")
            progress("baseline: running the queries")
            result["baseline_queries"] = _run_phase(
                workdir, "baseline-queries", "--queries", str(queries), "--warmup", str(warmup)
            )
        if trace:
            progress("tracing shared wording and citations of every paragraph")
            result["trace"] = _run_phase(workdir, "trace")
        # Last, so that every index above holds the same paragraphs.
        progress(f"timing {uploads} uploads of 100 paragraphs")
        result["uploads"] = _run_phase(workdir, "uploads", "--uploads", str(uploads))
        if not temporary:
            (workdir / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
        return result
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)


def _run_phase(workdir: Path, phase: str, *args: str) -> dict:
    # Its own SQLite file, whatever database the caller's environment names.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="search.settings",
        DATABASE_PATH=str(workdir / "bench.sqlite3"),
        INDEX_DIR=str(workdir / "index"),
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bench.phases", phase, "--workdir", str(workdir), *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if proc.returncode or not lines:
        raise RuntimeError(f"benchmark phase {phase} failed (exit {proc.returncode})")
    return json.loads(lines[-1][len(RESULT_PREFIX) :])
