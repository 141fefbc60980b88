"""The package's docstring examples run as tests, so a documented example cannot go stale."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import anomaly_helpers

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(anomaly_helpers.__path__, prefix="anomaly_helpers.") if not m.ispkg
) + ["anomaly_helpers"]


def _examples(module_name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(module_name)
    return [t for t in doctest.DocTestFinder().find(module, module_name) if t.examples]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    tests = _examples(module_name)
    if not tests:
        pytest.skip("no docstring examples")
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failures = []
    for test in tests:
        runner.run(test, out=failures.append)
    assert not failures, "".join(failures)


def test_there_are_docstring_examples():
    assert sum(len(_examples(m)) for m in MODULES) >= 5
