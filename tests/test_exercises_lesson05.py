"""Lesson 05's experiment exercise (5.3, ``q8``): it recomputes the learner's numbers from their own setting.

The reference trains two small autoencoders per setting (cached), so the cases below reuse one setting.
"""

from __future__ import annotations

import numpy as np
import pytest

from anomaly_helpers.exercises import STRICT_ENV
from anomaly_helpers.exercises import lesson05 as ex

N = 30


@pytest.fixture
def lenient(monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)


@pytest.fixture(scope="module")
def report():
    return ex.contamination_report(N)


def test_contaminated_rows_are_not_test_rows():
    X_train, X_test, y_test = ex.contaminated_wbc(N)
    clean_train, _, _ = ex.contaminated_wbc(0)
    assert X_train.shape == (len(clean_train) + N, 30) and X_test.shape == (len(y_test), 30)
    assert int(y_test.sum()) == 13
    with pytest.raises(ValueError, match=r"n_contaminating.*pass"):
        ex.contaminated_wbc(ex.MAX_CONTAMINATING + 1)


def test_verdict_follows_the_margin():
    assert ex.contamination_verdict(0.80, 0.85) == "mae"
    assert ex.contamination_verdict(0.85, 0.80) == "mse"
    assert ex.contamination_verdict(0.80, 0.81) == "same"


def test_right_report_is_correct_also_rounded_and_with_numpy_types(lenient, report):
    assert ex.q8.check(report).status == "correct"
    as_numpy = {**report, "n_contaminating": np.int64(N), "auc_mse": np.float32(report["auc_mse"])}
    assert ex.q8.check(as_numpy).status == "correct"
    assert ex.q8.check({**report, "verdict": report["verdict"].upper()}).status == "correct"


def test_numbers_that_are_not_the_learners_own_are_named(lenient, report):
    v = ex.q8.check({**report, "auc_mae": report["auc_mae"] + 0.1})
    assert v.status == "incorrect" and "auc_mae" in v.message and str(N) in v.message


def test_wrong_verdict_explains_the_margin(lenient, report):
    wrong = "same" if report["verdict"] != "same" else "mae"
    v = ex.q8.check({**report, "verdict": wrong})
    assert v.status == "incorrect" and str(ex.AUC_MARGIN) in v.message and report["verdict"] in v.message


@pytest.mark.parametrize(
    "answer, words",
    [
        (0.8, "keys"),
        ({"n_contaminating": N, "auc_mse": 0.5}, "keys"),
        ({"n_contaminating": 0, "auc_mse": 0.5, "auc_mae": 0.5, "verdict": "same"}, "whole number"),
        ({"n_contaminating": 2.5, "auc_mse": 0.5, "auc_mae": 0.5, "verdict": "same"}, "whole number"),
    ],
)
def test_malformed_reports_say_what_to_give(lenient, answer, words):
    v = ex.q8.check(answer)
    assert v.status == "incorrect" and words in v.message


def test_unknown_verdict_lists_the_choices(lenient, report):
    v = ex.q8.check({**report, "verdict": "maybe"})
    assert v.status == "incorrect" and "'mae'" in v.message and "'same'" in v.message
