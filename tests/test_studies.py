"""Benchmark studies cannot drift from their code.

``benchmarks/results.json`` stores one record per study with its provenance. A study
whose code changed since its result was stored fails here, with the command to rerun
it (its code: everything of the course it uses, ``benchmarks/provenance.py``); the cheapest
study is recomputed and must equal its stored result (at the 3 decimals the lessons print;
trained figures within the tolerance for another processor's rounding).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import linecache
import sys

import pytest

from benchmarks import provenance, studies
from tests.conftest import ROOT
from tests.nbval_tolerance import PROJECT_RULE, compare_text


def test_every_stored_study_matches_its_current_code():
    problems = studies.stale_studies(studies.load_results())
    assert not problems, "\n".join(problems)


def test_each_record_has_its_provenance():
    for name, record in studies.load_results().items():
        prov = record["provenance"]
        for key in ("commit", "date", "seconds", "source_sha256", "parameters", "versions"):
            assert key in prov, f"{name}: provenance lacks {key!r}"
        assert {"title", "columns", "rows"} <= set(record["result"]), name


def _load_copy(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a changed default parameter, a changed helper the study calls, a changed constant
        ("subset_seeds: int = 10", "subset_seeds: int = 9"),
        ('return [f"{layer.__class__.__name__}', 'return [f"{layer.name}'),
        ('"learning_rate": 3e-3, "patience": 3}', '"learning_rate": 3e-3, "patience": 4}'),
    ],
    ids=["parameter", "helper", "constant"],
)
def test_changing_a_study_without_rerunning_it_fails(tmp_path, old, new):
    source = (ROOT / "benchmarks" / "studies.py").read_text(encoding="utf-8")
    assert old in source, f"the mutation target {old!r} is no longer in benchmarks/studies.py"
    changed = tmp_path / "studies_changed.py"
    changed.write_text(source.replace(old, new, 1), encoding="utf-8")
    module = _load_copy(changed, "studies_changed_for_test")
    try:
        problems = module.stale_studies(studies.load_results())
    finally:
        del sys.modules["studies_changed_for_test"]
    assert len(problems) == 1, problems
    name = next(n for n in studies.STUDIES if f"'{n}'" in problems[0])
    assert f"python -m benchmarks.studies {name}" in problems[0]


def test_the_cheapest_study_is_recomputed():
    """Exactly where the study is exact; its trained figures within the tolerance for another processor."""
    stored = studies.load_results()
    name = min(stored, key=lambda n: stored[n]["provenance"]["seconds"])
    assert stored[name]["provenance"]["seconds"] < 60, "the cheapest study is too slow for the suite"
    fresh = json.dumps(studies.run_study(name)["result"], sort_keys=True)
    why = compare_text(json.dumps(stored[name]["result"], sort_keys=True), fresh, PROJECT_RULE)
    assert why is None, (
        f"study {name!r} no longer reproduces its stored result ({why}): find why, then rerun "
        f"`python -m benchmarks.studies {name}` and commit benchmarks/results.json"
    )


@pytest.fixture
def edited_source(monkeypatch):
    """Edit a module's source as ``inspect.getsource`` sees it (the file on disk is not touched)."""

    def edit(module_name: str, old: str, new: str) -> None:
        module = importlib.import_module(module_name)
        path = inspect.getsourcefile(module)
        lines = linecache.getlines(path)
        text = "".join(lines)
        assert text.count(old) >= 1, f"the edit target {old!r} is no longer in {path}"
        changed = text.replace(old, new, 1).splitlines(keepends=True)
        monkeypatch.setitem(linecache.cache, path, (len(text), None, changed, path))

    return edit


def _stale_names(problems):
    return sorted(n for n in studies.STUDIES if any(f"'{n}'" in p for p in problems))


@pytest.mark.parametrize(
    ("module", "old", "new"),
    [
        # a default of a detector class the studies build (through make_detector's registry or directly)
        ("anomaly_helpers.detectors.classical", "n_estimators: int = 200", "n_estimators: int = 20"),
        # a helper in the package that a study calls
        (
            "anomaly_helpers.splits",
            "rng = check_random_state(random_state)",
            "rng = check_random_state(random_state + 1)",
        ),
    ],
    ids=["class-default", "package-helper"],
)
def test_changing_the_package_code_a_study_uses_marks_it_stale(edited_source, module, old, new):
    assert not studies.stale_studies(studies.load_results())  # the control: nothing stale before
    edited_source(module, old, new)
    stale = _stale_names(studies.stale_studies(studies.load_results()))
    assert stale, f"editing {module} marked no study stale"
    assert "baselines_breast_cancer" in stale


@pytest.mark.parametrize(
    ("module", "old", "new"),
    [
        (
            "anomaly_helpers.detectors.classical",
            "n_estimators : int, default 200",
            "n_estimators : int, default 200 (reworded)",
        ),
        (
            "anomaly_helpers.splits",
            "rng = check_random_state(random_state)",
            "rng = check_random_state(random_state)  # new",
        ),
        (
            "benchmarks.studies",
            "Unsupervised: an ODDS-style WBC subset",
            "Unsupervised (reworded): an ODDS-style WBC subset",
        ),
    ],
    ids=["docstring", "comment", "study-docstring"],
)
def test_docstrings_and_comments_do_not_count(edited_source, module, old, new):
    edited_source(module, old, new)
    assert not studies.stale_studies(studies.load_results())


def test_the_hash_ignores_what_differs_between_python_versions():
    # Python 3.12 splits an f-string into several tokens: taken back as one, as 3.11 reads it.
    tokens = provenance.canonical_tokens('def f(x):\n    """Doc."""\n    return f"{x:.3f} and {x!r}"  # note\n')
    assert tokens == [
        "NAME def", "NAME f", "OP (", "NAME x", "OP )", "OP :", "NEWLINE", "INDENT",
        "NAME return", 'STRING f"{x:.3f} and {x!r}"', "NEWLINE", "DEDENT",
    ]  # fmt: skip


def _replacement_scores(scores):  # a different body than lesson 04's evaluate_scores
    return {"pr_auc": 0.0}


@pytest.mark.parametrize(
    ("module", "name", "value", "study"),
    [
        ("lesson05", "CONTAMINATION_FIT", {"epochs": 1}, "wbc_contamination_mse_vs_mae"),
        ("lesson04", "evaluate_scores", _replacement_scores, "ecg_window_length"),
    ],
    ids=["lesson-constant", "lesson-function"],
)
def test_changing_the_lesson_code_a_study_calls_fails(monkeypatch, module, name, value, study):
    # Studies call the lessons' own functions (anomaly_helpers.exercises.lessonNN): those count as the study's code.
    lesson = importlib.import_module(f"anomaly_helpers.exercises.{module}")
    assert hasattr(lesson, name), f"the mutation target {module}.{name} no longer exists"
    monkeypatch.setattr(lesson, name, value)
    problems = studies.stale_studies(studies.load_results())
    assert len(problems) == 1 and f"'{study}'" in problems[0], problems
