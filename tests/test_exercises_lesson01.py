"""Lesson 01's exercises: the experiment (1.5) judges the learner's own setting and names the known mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from anomaly_helpers.exercises import lesson01 as ex


def _answer(budget: float, **changes) -> dict:
    right = ex.budget_experiment(budget)
    return {**{k: right[k] for k in ex.EXPERIMENT_KEYS}, **changes}


@pytest.mark.parametrize("budget", [0.01, 0.05, 0.1, 0.2])
def test_any_budget_measured_right_is_correct_and_the_verdict_reports_it(budget):
    verdict = ex.q5._evaluate(_answer(budget))
    assert verdict.correct, verdict.message
    right = ex.budget_experiment(budget)
    assert f"false-alarm rate {right['false_alarm_rate']:.3f}" in verdict.message
    assert f"recall {right['recall']:.3f}" in verdict.message


def test_a_rate_rounded_to_three_significant_digits_passes():
    right = ex.budget_experiment(0.1)
    verdict = ex.q5._evaluate(_answer(0.1, recall=round(right["recall"], 3)))
    assert verdict.correct, verdict.message


def test_the_budget_reported_as_the_measurement_is_named():
    message = ex.q5._evaluate(_answer(0.05, false_alarm_rate=0.05)).message
    assert "your budget itself" in message


def test_a_rate_measured_on_the_validation_rows_is_named():
    scores = ex._iforest_scores()
    right = ex.budget_experiment(0.2)
    on_val = float(np.mean(scores["val_normal"] >= right["threshold"]))
    assert not np.isclose(on_val, right["false_alarm_rate"])
    assert "validation normal rows" in ex.q5._evaluate(_answer(0.2, false_alarm_rate=on_val)).message


def test_swapped_rates_and_the_miss_rate_are_named():
    right = ex.budget_experiment(0.1)
    swapped = _answer(0.1, false_alarm_rate=right["recall"], recall=right["false_alarm_rate"])
    assert "swapped" in ex.q5._evaluate(swapped).message
    assert "miss rate" in ex.q5._evaluate(_answer(0.1, recall=1 - right["recall"])).message


def test_a_count_instead_of_a_rate_is_named():
    right = ex.budget_experiment(0.2)
    n0 = len(ex._iforest_scores()["test_normal"])
    count = round(right["false_alarm_rate"] * n0)
    assert "number of false alarms" in ex.q5._evaluate(_answer(0.2, false_alarm_rate=count)).message


def test_the_reading_is_judged_from_the_learners_own_measurement():
    right = ex.budget_experiment(0.05)
    message = ex.q5._evaluate(_answer(0.05, within_budget=not right["within_budget"])).message
    assert "your numbers are right" in message


@pytest.mark.parametrize("bad", [0.3, {"budget": 0.05}, {"budget": 0.9, "false_alarm_rate": 0, "recall": 0,
                                                             "within_budget": True}])  # fmt: skip
def test_malformed_answers_get_a_message_not_a_crash(bad):
    verdict = ex.q5._evaluate(bad)
    assert verdict.status == "incorrect" and "could not be checked" not in verdict.message


def test_use_falls_back_to_the_reference_until_the_answer_passes(capsys):
    assert ex.q5.use(...)["budget"] == 0.05
    assert "reference" in capsys.readouterr().out


@pytest.mark.parametrize("gamma", [np.euler_gamma, 0.5772])
def test_isolation_score_accepts_gamma_as_the_task_gives_it(gamma):
    def isolation_score(h, n):
        return 2 ** (-h / (2 * (np.log(n - 1) + gamma) - 2 * (n - 1) / n))

    assert ex.q4._evaluate(isolation_score).correct


def test_isolation_score_with_log_n_instead_of_log_n_minus_1_fails():
    def isolation_score(h, n):
        return 2 ** (-h / (2 * (np.log(n) + np.euler_gamma) - 2 * (n - 1) / n))

    assert not ex.q4._evaluate(isolation_score).correct
