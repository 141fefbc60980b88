"""Lesson 07's exercises: the known mistakes get their own message.

Exercise 7.1 (accuracy from prevalence, recall and false-positive rate) and the experiment 7.4 (the learner
builds the corrected pipeline): each typical mistake is named, and the check recomputes from the learner's
own network and cost ratio.
"""

from __future__ import annotations

import pytest
from sklearn.preprocessing import StandardScaler

from anomaly_helpers.exercises import lesson07 as ex
from anomaly_helpers.exercises.core import STRICT_ENV


@pytest.fixture
def lenient(monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)


def test_accuracy_from_rates_names_the_usual_mistakes(lenient):
    assert ex.q1.check(ex.accuracy_from_rates).correct
    flipped = ex.q1.check(lambda prevalence, recall, fpr: prevalence * recall + (1 - prevalence) * fpr)
    assert "(1 - fpr)" in flipped.message
    swapped = ex.q1.check(lambda prevalence, recall, fpr: (1 - prevalence) * recall + prevalence * (1 - fpr))
    assert "swapped" in swapped.message
    balanced = ex.q1.check(lambda prevalence, recall, fpr: (recall + 1 - fpr) / 2)
    assert "balanced accuracy" in balanced.message


def test_the_accuracy_paradox_holds_on_the_article_split():
    # a detector that finds every anomaly at 15 % false alarms is less accurate than calling all rows normal
    pi = ex.article_test_labels().mean()
    assert ex.accuracy_from_rates(pi, 1.0, 0.15) < ex.accuracy_from_rates(pi, 0.0, 0.0)


@pytest.fixture(scope="module")
def built():
    return ex.build_corrected()


def test_the_reference_pipeline_passes_and_ships_the_validation_threshold(built, lenient):
    assert ex.q4.check(built).correct
    assert built["ship"] == "validation"


def test_a_scaler_fitted_on_every_row_is_named(built, lenient):
    X, _ = ex._wbc()
    verdict = ex.q4.check({**built, "scaler": StandardScaler().fit(X)})
    assert not verdict.correct and "every row" in verdict.message


def test_a_threshold_chosen_on_the_test_rows_is_named(built, lenient):
    from anomaly_helpers import scoring

    _, _, X_te, _, _, y_te = ex.corrected_split(*ex._wbc())
    p_te = ex._probabilities(built["model"], built["scaler"], X_te)
    on_test = scoring.threshold_min_cost(y_te, p_te, cost_fp=1, cost_fn=built["cost_fn"])
    verdict = ex.q4.check({**built, "threshold": on_test})
    assert not verdict.correct and "test" in verdict.message


def test_the_check_recomputes_from_the_learners_cost_ratio(built, lenient):
    # the same network with another COST_FN: the reference threshold no longer fits the learner's setting
    verdict = ex.q4.check({**built, "cost_fn": 1})
    if verdict.correct:  # the validation anomalies may leave both ratios on the same threshold
        pytest.skip("both cost ratios give the same validation threshold on this split")
    assert "COST_FN = 1," in verdict.message


def test_shipping_half_because_of_the_test_rows_is_judged(built, lenient):
    verdict = ex.q4.check({**built, "ship": "0.5"})
    assert not verdict.correct and "tuning on the test set" in verdict.message


def test_a_misreported_recall_is_caught(built, lenient):
    verdict = ex.q4.check({**built, "test_recall": built["test_recall"] + 0.2})
    assert not verdict.correct and "recall" in verdict.message


def test_a_missing_key_is_named(built, lenient):
    partial = {k: v for k, v in built.items() if k != "history"}
    verdict = ex.q4.check(partial)
    assert not verdict.correct and "history" in verdict.message
