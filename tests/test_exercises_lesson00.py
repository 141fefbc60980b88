"""Lesson 00's experiment (exercise 0.3): judged from the learner's own percentile, known mistakes named."""

from __future__ import annotations

import pytest

from anomaly_helpers.exercises import lesson00 as ex


def _answer(percentile: float, **changes) -> dict:
    right = ex.one_sensor_experiment(percentile)
    return {**{k: right[k] for k in ex.EXPERIMENT_KEYS}, **changes}


@pytest.mark.parametrize("percentile", [90, 95, 99, 99.5])
def test_any_percentile_measured_right_is_correct(percentile):
    verdict = ex.q3._evaluate(_answer(percentile))
    assert verdict.correct, verdict.message
    assert f"{ex.one_sensor_experiment(percentile)['recall']:.3f}" in verdict.message


def test_good_enough_follows_the_stated_rule():
    assert ex.one_sensor_experiment(99.5)["good_enough"] is True
    assert ex.one_sensor_experiment(90)["good_enough"] is False
    message = ex.q3._evaluate(_answer(90, good_enough=True)).message
    assert "your rates are right" in message


def test_the_budget_instead_of_a_measurement_is_named():
    assert "not a measurement" in ex.q3._evaluate(_answer(95, false_alarm_rate=0.05)).message


def test_strict_inequality_is_named():
    h = ex.shuttle_halves()
    cut = ex.one_sensor_experiment(95)["cut"]
    strict = float((h["new_f1"][h["new_y"] == 0] > cut).mean())
    assert "f1 > cut" in ex.q3._evaluate(_answer(95, false_alarm_rate=strict)).message


def test_a_percentile_out_of_range_gets_a_message():
    answer = {**_answer(99), "percentile": 0.99}
    assert "between 50 and 100" in ex.q3._evaluate(answer).message
