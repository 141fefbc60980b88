"""Lesson 09's exercises: the typical mistakes get their own feedback; the experiments recompute the learner's setting."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from anomaly_helpers.exercises import STRICT_ENV
from anomaly_helpers.exercises import lesson09 as ex


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)


def test_trimmed_fit_drops_a_planted_cluster():
    from anomaly_helpers.detectors import KNNDetector

    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(size=(200, 2)), rng.normal(6.0, 0.2, size=(4, 2))])
    det = KNNDetector(n_neighbors=10)
    refit = ex.trimmed_fit(det, X, trim=0.05)
    assert refit is not det and not hasattr(det, "decision_scores_")  # the argument stays unfitted
    assert len(refit.decision_scores_) < len(X)
    assert refit.decision_function([[6.0, 6.0]])[0] > clone(det).fit(X).decision_function([[6.0, 6.0]])[0]


def _self_match(detector, X, trim=0.1):
    first = clone(detector).fit(X)
    s = first.decision_function(X)
    return clone(detector).fit(X[s < np.quantile(s, 1 - trim)])


def _kept_the_highest(detector, X, trim=0.1):
    first = clone(detector).fit(X)
    s = first.decision_scores_
    return clone(detector).fit(X[s >= np.quantile(s, 1 - trim)])


def _inclusive(detector, X, trim=0.1):
    first = clone(detector).fit(X)
    s = first.decision_scores_
    return clone(detector).fit(X[s <= np.quantile(s, 1 - trim)])


@pytest.mark.parametrize(
    ("fn", "status", "words"),
    [
        (_self_match, "incorrect", "decision_scores_"),
        (_kept_the_highest, "incorrect", "below"),
        (_inclusive, "correct", ""),
        (lambda detector, X, trim=0.1: 3.0, "incorrect", "refitted detector"),
    ],
)
def test_trimmed_fit_feedback(fn, status, words):
    verdict = ex.q1.check(fn)
    assert verdict.status == status, verdict
    assert words in verdict.message


def test_not_attempted_function():
    def stub(detector, X, trim=0.1):
        raise NotImplementedError

    assert ex.q1.check(stub).status == "not attempted"


def test_k_experiment_recomputes_the_learners_setting():
    right = ex.ANSWERS["q2"][0]()
    assert ex.q2.check(right).correct
    assert "lesson's own setting" in ex.q2.check({**right, "n_neighbors": 5}).message
    wrong_number = ex.q2.check({**right, "roc_auc": right["roc_auc"] - 0.05})
    assert wrong_number.status == "incorrect" and "experiment gives" in wrong_number.message
    assert ex.q2.check({**right, "roc_auc": round(right["roc_auc"], 3)}).correct  # 3 decimals are enough
    assert "'choice'" in ex.q2.check({**right, "choice": "x"}).message
    assert "no 'rate'" in ex.q2.check({k: v for k, v in right.items() if k != "rate"}).message
    assert "dictionary" in ex.q2.check([1, 2]).message


def test_evt_experiment_recomputes_the_learners_setting():
    right = ex.ANSWERS["q3"][0]()
    assert ex.q3.check(right).correct
    assert ex.q3.check({**right, "pot": round(right["pot"], 4)}).correct
    assert "POT" in ex.q3.check({**right, "pot": right["pot"] + 0.01}).message
    assert "lesson's own run" in ex.q3.check({**right, "n_val": 1000, "q": 0.001}).message
    assert "n_val" in ex.q3.check({**right, "n_val": 10}).message
    rates = ex.evt_alarm_rates(right["n_val"], right["q"])
    assert rates["pot"].shape == (len(ex.SEEDS),)
    s_pool, s_out = ex.evt_scores(0)
    assert s_pool.shape == (ex.EVT_SIZES["n_val_pool"],) and s_out.shape == (ex.EVT_SIZES["n_held_out"],)
    assert not s_pool.flags.writeable
