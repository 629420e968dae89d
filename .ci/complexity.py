"""The complexity check of `make lint`: every function's cyclomatic complexity as radon
counts it (each branch, loop, `except`, boolean operator and comprehension adds one).

No function above LIMIT, those of the parser's page-layout rules (LAYOUT) above
LAYOUT_LIMIT; the mean over all functions at most MEAN. The functions above their limit
today are listed in OVER with their complexity, to be split: the check fails when one of
them grows, when another joins them, or when one has come under its limit and is still
listed (so that the list stays true).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from radon.visitors import ComplexityVisitor

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 20
LAYOUT_LIMIT = 30
LAYOUT = {"search/parsing/layout.py", "search/parsing/pdf.py"}
MEAN = 4.0
OVER: dict[str, int] = {}  # none today: keep it so


def complexities(root: Path = ROOT) -> dict[str, int]:
    """'path:function' (methods as Class.method) → complexity, for the search package."""
    found = {}
    for path in sorted((root / "search").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        visitor = ComplexityVisitor.from_code(path.read_text(encoding="utf-8"))
        name = path.relative_to(root).as_posix()
        for function in visitor.functions:
            found[f"{name}:{function.name}"] = function.complexity
        for cls in visitor.classes:
            for method in cls.methods:
                found[f"{name}:{cls.name}.{method.name}"] = method.complexity
    return found


def problems(found: dict[str, int]) -> list[str]:
    said = []
    for where, complexity in sorted(found.items(), key=lambda item: -item[1]):
        limit = LAYOUT_LIMIT if where.split(":")[0] in LAYOUT else LIMIT
        listed = OVER.get(where)
        if complexity > limit and listed is None:
            said.append(f"{where} has complexity {complexity}, over {limit}: split it")
        elif listed is not None and complexity > listed:
            said.append(f"{where} has complexity {complexity}, more than its {listed}: split it")
        elif listed is not None and complexity <= limit:
            said.append(f"{where} is at {complexity}, within {limit}: take it out of OVER")
        elif listed is not None and complexity < listed:
            said.append(f"{where} is at {complexity}: lower its entry in OVER from {listed}")
    said += [f"{where} is listed in OVER but not found" for where in OVER.keys() - found.keys()]
    mean = statistics.mean(found.values())
    if mean > MEAN:
        said.append(f"the mean complexity is {mean:.2f}, over {MEAN}")
    return said


def main() -> int:
    found = complexities()
    said = problems(found)
    mean = statistics.mean(found.values())
    over = sum(1 for where in found if where in OVER)
    print(
        f"complexity: {len(found)} functions, mean {mean:.2f} (at most {MEAN}), "
        f"highest {max(found.values())}; {over} listed over their limit"
    )
    for line in said:
        print(f"  {line}")
    return 1 if said else 0


if __name__ == "__main__":
    sys.exit(main())
