"""anomaly_helpers.studies: lessons read stored study results through the package, from any folder."""

from __future__ import annotations

import json

import pytest

from anomaly_helpers import studies

TABLE = {"title": "T", "columns": ["a", "b"], "rows": [{"a": 1, "b": 0.5}]}


def test_the_shipped_results_hold_the_study_lesson_03_reads():
    table = studies.load_result("digits_leave_one_out")
    assert {"title", "columns", "rows"} <= set(table)
    assert table["columns"][0] == "held-out digit" and len(table["rows"]) >= 10


def test_found_next_to_the_package_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert studies.results_file().is_file()
    assert studies.results_file().parent.name == "benchmarks"


@pytest.mark.parametrize(
    "layout",
    [{"studies": {"s": {"table": TABLE, "seconds": 1.0}}}, {"s": {"provenance": {"commit": "abc"}, "result": TABLE}}],
    ids=["table-under-studies", "record-with-provenance"],
)
def test_both_layouts_give_the_table(layout, tmp_path, monkeypatch):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(layout))
    monkeypatch.setenv("ANOMALY_RESULTS_FILE", str(path))
    assert studies.load_result("s") == TABLE


def test_unknown_study_and_missing_file_say_what_to_do(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match=r"\bname\b.*use one of: .*digits_leave_one_out"):
        studies.load_result("digits")
    with pytest.raises(TypeError, match=r"\bname\b.*pass"):
        studies.load_result(3)
    monkeypatch.setenv("ANOMALY_RESULTS_FILE", str(tmp_path / "none.json"))
    with pytest.raises(FileNotFoundError, match="git checkout -- benchmarks/results.json"):
        studies.load_result("digits_leave_one_out")


# -- check_agreement: a live run beside a stored study --------------------------------------------


@pytest.fixture
def learner(monkeypatch):
    """A learner's kernel: no strict checks (the test run sets them)."""
    monkeypatch.delenv("ANOMALY_HELPERS_STRICT_CHECKS", raising=False)


def test_agreement_within_the_tolerance_prints_one_fixed_sentence(learner, capsys):
    assert studies.check_agreement(0.7124, 0.710, what="ROC-AUC, seed 0", atol=0.005)
    assert studies.check_agreement(0.7102, 0.710, what="ROC-AUC, seed 0", atol=0.005)  # another processor
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["ROC-AUC, seed 0: this run agrees with the stored study (within ±0.005)."] * 2


def test_a_larger_difference_is_a_note_for_a_learner_and_never_stops_the_lesson(learner, capsys):
    assert not studies.check_agreement([0.70, 0.95], [0.75, 0.95], what="two ROC-AUCs", atol=0.01)
    out = capsys.readouterr().out
    assert out.startswith("Note on two ROC-AUCs: the stored study recorded [0.75, 0.95], this machine got [0.7, 0.95]")
    assert "largest difference 0.05" in out and "Not an error" in out


def test_in_the_test_run_a_difference_fails(monkeypatch):
    monkeypatch.setenv("ANOMALY_HELPERS_STRICT_CHECKS", "1")
    with pytest.raises(AssertionError, match="Note on the explained rows"):
        studies.check_agreement({1, 3}, {1, 2}, what="the explained rows")


def test_pandas_numpy_and_plain_values_compare_alike(learner):
    import numpy as np
    import pandas as pd

    assert studies.check_agreement(pd.Series([1.0, 2.0]), np.array([1.0, 2.0005]), what="s", rtol=1e-3)
    assert studies.check_agreement(np.float32(0.5), 0.5, what="x")
    assert studies.check_agreement("AE (16)-4", "AE (16)-4", what="the setting")
    assert not studies.check_agreement("AE (16)-4", "AE (32)-8", what="the setting")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"what": ""}, "what must say"),
        ({"what": "x", "atol": -1}, "atol must be a number >= 0"),
        ({"what": "x", "rtol": "1%"}, "rtol must be a number >= 0"),
    ],
)
def test_bad_arguments_say_what_to_pass(learner, kwargs, match):
    with pytest.raises(ValueError, match=match):
        studies.check_agreement(1.0, 1.0, **kwargs)


def test_different_shapes_are_an_error_that_names_them(learner):
    with pytest.raises(ValueError, match=r"same shape.*\(2,\) and \(3,\)"):
        studies.check_agreement([1.0, 2.0], [1.0, 2.0, 3.0], what="curve")
