import glob
import json
import time
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search.ingest import sandbox
from search.ingest.extract import ACCEPTED
from search.parsing import (
    ANNEX,
    CHECKS,
    LANGUAGES,
    OPERATIVE,
    PREAMBULAR,
    REPORT,
    RESOLUTION,
    ParseError,
    check_document,
    furniture_paragraphs,
    symbol_from_filename,
)


class Command(BaseCommand):
    """Parse files as an upload would and report what is always true of a UN document."""

    help = "Parse .pdf, .docx, .md and .txt files (or folders of them) and check each parse."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, folders or glob patterns")
        parser.add_argument("--language", choices=LANGUAGES, help="the language (detected if not given)")
        parser.add_argument("--verbose", action="store_true", help="print each document's warnings too")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the report as JSON")

    def handle(self, paths, language=None, verbose=False, as_json=False, **options):
        files = find_files(paths)
        for name in missing(paths):
            self.stderr.write(f"{name}: no such file or folder")
        if not files:
            raise CommandError(f"no .pdf, .docx, .md or .txt file was found in {', '.join(paths)}")
        started = time.perf_counter()
        results = []
        for path in files:
            results.append(report_file(path, language))
            if not as_json:
                self.write_document(results[-1], verbose)
        total = totals(results, time.perf_counter() - started)
        if as_json:
            self.stdout.write(
                json.dumps({"documents": results, "total": total}, ensure_ascii=False, indent=2)
            )
        else:
            self.stdout.write(total_line(total))

    def write_document(self, result: dict, verbose: bool) -> None:
        self.stdout.write(document_line(result))
        if verbose:
            for warning in result.get("warnings", []):
                self.stdout.write(f"  warning: {warning}")


def missing(paths: list[str]) -> list[str]:
    """The names that are neither a file or folder nor a glob pattern."""
    return [name for name in paths if not Path(name).exists() and not glob.has_magic(name)]


def find_files(paths: list[str]) -> list[Path]:
    """Return the files named: each file as given, the accepted files of folders and globs."""
    found: list[Path] = []
    for name in paths:
        if Path(name).is_file():
            found.append(Path(name))
        else:
            found += [path for path in _listed(name) if _accepted(path)]
    return list(dict.fromkeys(found))


def _listed(name: str) -> list[Path]:
    """What a folder holds, or a glob pattern matches, sorted; nothing for any other name."""
    path = Path(name)
    if path.is_dir():
        return sorted(path.rglob("*"))
    if glob.has_magic(name):
        return sorted(Path(p) for p in glob.glob(name, recursive=True))
    return []


def _accepted(path: Path) -> bool:
    # A folder's README describes the documents; it is not one of them.
    return path.is_file() and path.suffix.lower() in ACCEPTED and not path.stem.upper().endswith("README")


def report_file(path: Path, language: str | None) -> dict:
    """Extract and parse one file as an upload would (in a child process under its limits),
    and check the result."""
    started = time.perf_counter()
    result: dict = {"file": str(path)}
    try:
        parsed = sandbox.read(path.read_bytes(), path.name, language).parsed
    except OSError as exc:
        result["refused"] = f"cannot read the file: {exc.strerror or exc}"
    except ParseError as exc:  # a parser bug too: the child names it, and the next file goes on
        result["refused"] = str(exc)
    else:
        result.update(described(parsed, path.name))
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result


def described(parsed, filename: str) -> dict:
    """What the report says of a parsed document: its counts and the checks it passes."""
    checks = check_document(parsed, symbol_from_filename(filename))
    return {
        "symbol": parsed.symbol,
        "doc_type": parsed.doc_type,
        "language": parsed.language,
        "counts": counts(parsed),
        "furniture_paragraphs": furniture_paragraphs(parsed),
        "checks": {check.name: check.passed for check in checks},
        "failures": {check.name: check.detail for check in checks if not check.passed},
        "warnings": parsed.warnings,
    }


def counts(parsed) -> dict:
    """Count paragraphs by kind, over the document and the drafts a report contains."""
    documents = [parsed, *parsed.resolutions]
    paragraphs = [p for doc in documents for p in doc.paragraphs]
    top = Counter(p.kind for p in paragraphs if p.level == 0)
    return {
        "PP": top[PREAMBULAR],
        "OP": top[OPERATIVE],
        "sub": sum(p.level > 0 for p in paragraphs),
        "annex": top[ANNEX],
        "para": top[REPORT],
        "footnotes": sum(len(doc.footnotes) for doc in documents),
        "paragraphs": len(paragraphs),
        "drafts": len(parsed.resolutions),
    }


def document_line(result: dict) -> str:
    if "refused" in result:
        return f"{result['file']}: refused: {result['refused']} · {result['seconds']:.2f} s"
    kind = "" if result["doc_type"] == RESOLUTION else f" ({result['doc_type'].replace('_', ' ')})"
    return (
        f"{result['file']}: {result['symbol'] or '(no symbol)'}{kind} · {counts_text(result['counts'])} · "
        f"{failures_text(result['failures'])} · {result['seconds']:.2f} s"
    )


def counts_text(c: dict) -> str:
    line = f"PP {c['PP']}, OP {c['OP']}, sub {c['sub']}, annex {c['annex']}, footnotes {c['footnotes']}"
    if c["para"]:
        line += f", report paragraphs {c['para']}"
    if c["drafts"]:
        line += f", drafts {c['drafts']}"
    return line


def failures_text(failures: dict[str, str]) -> str:
    return "; ".join(f"FAILED {name}: {detail}" for name, detail in failures.items()) or "all checks pass"


def totals(results: list[dict], seconds: float) -> dict:
    parsed = [r for r in results if "refused" not in r]
    return {
        "documents": len(results),
        "parsed": len(parsed),
        "refused": refusals(results),
        "passed": passed(parsed),
        "paragraphs": sum(r["counts"]["paragraphs"] for r in parsed),
        "furniture_paragraphs": sum(r["furniture_paragraphs"] for r in parsed),
        "seconds": round(seconds, 2),
        "seconds_per_document": round(seconds / len(results), 3),
    }


def refusals(results: list[dict]) -> dict[str, int]:
    """Why files were refused, and how many for each reason, the commonest first."""
    return dict(Counter(r["refused"] for r in results if "refused" in r).most_common())


def passed(parsed: list[dict]) -> dict[str, int]:
    """How many of the parsed documents pass each check."""
    return {name: sum(r["checks"][name] for r in parsed) for name in CHECKS}


def total_line(total: dict) -> str:
    refused = sum(total["refused"].values())
    reasons = "; ".join(f"{count} {reason}" for reason, count in total["refused"].items())
    checks = ", ".join(pass_rate(name, count, total["parsed"]) for name, count in total["passed"].items())
    documents = f"{total['documents']} document{'' if total['documents'] == 1 else 's'}"
    return (
        f"total: {documents}, {total['parsed']} parsed, {refused} refused"
        + (f" ({reasons})" if reasons else "")
        + f" · passed: {checks}"
        + f" · {total['furniture_paragraphs']} of {total['paragraphs']} paragraphs hold page furniture"
        + f" · {total['seconds']:.1f} s, {total['seconds_per_document']:.2f} s per document"
    )


def pass_rate(name: str, count: int, parsed: int) -> str:
    return f"{name} {count}/{parsed} ({100 * count / parsed:.0f} %)" if parsed else f"{name} 0/0"
