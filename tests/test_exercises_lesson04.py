"""Lesson 04's own exercise checks: the Keras-building exercise's typical mistakes, the window experiment
judged from the learner's own setting, and the held-out threshold rule of its scoring helper."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from anomaly_helpers.exercises import STRICT_ENV
from anomaly_helpers.exercises import lesson04 as ex


@pytest.fixture(autouse=True)
def lenient(monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)


def _model(width, units, *, layer=keras.layers.GRU, seeded=True, seed=0, **gru_kwargs):
    init = {"kernel_initializer": keras.initializers.GlorotUniform(seed=seed)} if seeded else {}
    rec = {"recurrent_initializer": keras.initializers.Orthogonal(seed=seed)} if seeded else {}
    return keras.Sequential(
        [
            keras.Input(shape=(width, 1)),
            layer(units, name="embedding", **init, **rec, **gru_kwargs),
            keras.layers.Dense(1, **init),
        ]
    )


@pytest.mark.parametrize(
    ("builder", "expected"),
    [
        (lambda w, units=16, seed=0: _model(w, units, seeded=False), "seeded initializer"),
        (lambda w, units=16, seed=0: _model(w, units, layer=keras.layers.LSTM, seed=seed), "use keras.layers.GRU"),
        (lambda w, units=16, seed=0: _model(w, 16, seed=seed), "use the `units` argument"),
        (lambda w, units=16, seed=0: _model(w, units, seed=0), "pass `seed`"),
        (lambda w, units=16, seed=0: _model(w, units, seed=seed, return_sequences=True), "final state"),
    ],
)
def test_forecaster_mistakes_get_their_message(builder, expected):
    verdict = ex.q3.check(builder)
    assert verdict.status == "incorrect" and expected in verdict.message, verdict.message


def test_forecaster_stub_is_not_attempted():
    def build_forecaster(width, units=16, seed=0):
        """Return a seeded GRU forecaster."""
        # YOUR CODE HERE

    assert ex.q3.check(build_forecaster).status == "not attempted"
    assert ex.q3.use(build_forecaster) is ex.build_forecaster


def test_reference_forecaster_is_seeded_and_counts_parameters():
    a, b = ex.build_forecaster(24, seed=5), ex.build_forecaster(24, seed=5)
    assert all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights(), strict=True))
    assert a.count_params() == 3 * 16 * (1 + 16 + 2) + 16 + 1


def test_experiment_is_judged_from_the_learners_window():
    for w in (80, 150):
        result = ex.knn_window_result(w)
        right = ex.better_window(w)
        assert ex.q4.check((w, round(result["pr_auc"], 3), right)).correct
        other = {"short": "long", "long": "short"}[right]
        verdict = ex.q4.check((w, round(result["pr_auc"], 3), other))
        assert verdict.status == "incorrect" and f"w = {w}" in verdict.message
    # another window's PR-AUC is not this window's
    assert not ex.q4.check((150, round(ex.knn_window_result(80)["pr_auc"], 3), ex.better_window(150))).correct
    assert "one beat or longer" in ex.q4.check((24, 0.632, "short")).message
    assert "tuple" in ex.q4.check(0.5).message


def test_thresholds_come_from_the_clean_tail_only():
    cut = ex.ecg_split()
    n_fit, n_clean = cut["n_fit"], cut["n_clean"]
    scores = np.zeros(len(cut["x"]))
    scores[:n_fit] = 100.0  # huge scores on the fit part must not move the threshold
    scores[n_fit:n_clean] = np.linspace(0, 1, n_clean - n_fit)
    assert ex.evaluate_scores(scores)["threshold"] <= 1.0


def test_knn_windows_are_fitted_before_n_fit():
    x = np.r_[np.zeros(60), np.ones(40)].astype("float32")
    s = ex.knn_window_scores(x, 4, n_fit=50, n_neighbors=1)
    assert s.shape == x.shape and np.all(s[:4] == 0)
    assert s[20] == 0 and s[-1] > 0  # the windows of ones were never fitted
