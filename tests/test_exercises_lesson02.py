"""Lesson 02's exercise feedback: the experiment exercise 2.1 and the known mistakes of exercise 2.2."""

from __future__ import annotations

import numpy as np
import pytest

from anomaly_helpers.exercises import lesson02 as ex
from anomaly_helpers.exercises.core import STRICT_ENV


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    """Incorrect verdicts are returned, not raised (the test run sets strict checks)."""
    monkeypatch.delenv(STRICT_ENV, raising=False)


def test_the_measured_best_window_keeps_the_spike_and_the_rule_holds():
    raw = ex.measure_window(1)[0]
    best = ex.best_window()
    assert best % 2 == 1
    assert ex.measure_window(best)[0] >= ex.KEEP_SHARE * raw
    width = ex.SPIKE["width"]
    largest_by_rule = 2 * width - 1  # a bump of w samples survives while w > window // 2
    assert ex.measure_window(largest_by_rule)[0] >= ex.KEEP_SHARE * raw
    assert ex.measure_window(largest_by_rule + 2)[0] < ex.KEEP_SHARE * raw


def test_the_learners_own_window_is_recomputed():
    verdict = ex.q1.check(ex._best_answer())
    assert verdict.correct


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda: ex._best_answer(2 * ex.SPIKE["width"] + 1), ["erased", "smaller window"]),
        (lambda: ex._best_answer(ex.best_window() + 2), ["keeps the spike", "less noise", "largest window"]),
        (lambda: ex._best_answer(ex.best_window() - 2), ["keeps the spike", "less noise"]),
        (lambda: (ex.best_window(), ex.measure_window(ex.best_window())[0] * 1.1, 0.05), ["spike_left"]),
        (lambda: (8, 1.0, 0.05), ["odd whole number"]),
        (lambda: (ex.best_window(), ...), ["three values"]),
        (lambda: (ex.best_window(), ..., 0.05), ["still `...`"]),
    ],
)
def test_wrong_experiment_answers_get_a_diagnosis(answer, words):
    verdict = ex.q1.check(answer())
    assert verdict.status == "incorrect"
    for word in words:
        assert word in verdict.message, verdict.message


def test_a_smaller_window_is_not_told_to_grow():
    verdict = ex.q1.check(ex._best_answer(ex.best_window() - 2))
    assert "largest window" not in verdict.message


def test_min_max_with_the_datas_own_range_is_named_as_the_leak():
    def own_range(X_train, X):
        return (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))

    verdict = ex.q2.check(own_range)
    assert verdict.status == "incorrect"
    assert "leak" in verdict.message and "X_train" in verdict.message


def test_min_max_with_one_range_for_the_whole_array_is_named():
    def global_range(X_train, X):
        return (X - X_train.min()) / (X_train.max() - X_train.min())

    verdict = ex.q2.check(global_range)
    assert verdict.status == "incorrect"
    assert "axis=0" in verdict.message


def test_min_max_right_answer_passes_with_lists_of_numbers_too():
    def right(X_train, X):
        X_train, X = np.asarray(X_train), np.asarray(X)
        return (X - X_train.min(axis=0)) / (X_train.max(axis=0) - X_train.min(axis=0))

    assert ex.q2.check(right).correct
