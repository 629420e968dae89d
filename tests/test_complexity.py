"""The complexity check of make lint (.ci/complexity.py) on made-up measurements."""

import importlib.util
from pathlib import Path

CHECK = Path(__file__).parents[1] / ".ci" / "complexity.py"
SPEC = importlib.util.spec_from_file_location("complexity", CHECK)
complexity = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(complexity)


def test_the_code_as_it_is_passes():
    assert complexity.problems(complexity.complexities()) == []


def test_it_names_a_new_branchy_function_a_listed_one_that_grew_or_shrank_and_the_mean(monkeypatch):
    monkeypatch.setattr(complexity, "OVER", {"search/a.py:listed": 30, "search/a.py:gone": 25})
    monkeypatch.setattr(complexity, "MEAN", 10)
    found = {
        "search/a.py:new": 21,
        "search/parsing/layout.py:rules": 30,  # the page-layout rules may reach 30
        "search/a.py:listed": 31,
        "search/a.py:small": 1,
    }
    assert complexity.problems(found) == [
        "search/a.py:listed has complexity 31, more than its 30: split it",
        "search/a.py:new has complexity 21, over 20: split it",
        "search/a.py:gone is listed in OVER but not found",
        "the mean complexity is 20.75, over 10",
    ]
    found["search/a.py:listed"] = 20
    assert "search/a.py:listed is at 20, within 20: take it out of OVER" in complexity.problems(found)
    found["search/a.py:listed"] = 26
    assert "search/a.py:listed is at 26: lower its entry in OVER from 30" in complexity.problems(found)
