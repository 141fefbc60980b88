"""The bad-input battery: the mistakes learners make every day, across the helpers.

Each case must raise ValueError or TypeError with a message that names the argument
and says what to pass instead. (Each module's own tests hold more cases; this file is
the one place that covers every category the course promises.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from anomaly_helpers import data, detectors, metrics, scoring

GOOD = np.random.default_rng(0).normal(size=(20, 3))
Y = np.array([0] * 15 + [1] * 5)
S = np.linspace(0, 1, 20)


def with_nan():
    x = GOOD.copy()
    x[3, 1] = np.nan
    return x


def with_inf():
    x = GOOD.copy()
    x[0, 0] = np.inf
    return x


def fitted_iforest():
    return detectors.IsolationForestDetector().fit(GOOD)


CASES = [
    # NaN or inf in features
    ("nan in features", lambda: detectors.ZScoreDetector().fit(with_nan()), ValueError, r"X contains.*NaN.*impute"),
    ("inf in features", lambda: detectors.KNNDetector().fit(with_inf()), ValueError, r"X contains.*infinite"),
    ("nan when scoring", lambda: fitted_iforest().decision_function(with_nan()), ValueError, r"X.*NaN"),
    ("nan in scores", lambda: metrics.anomaly_report(Y, np.r_[S[:-1], np.nan], 0.5), ValueError, r"scores.*NaN"),
    # empty arrays
    (
        "empty features",
        lambda: detectors.IsolationForestDetector().fit(np.empty((0, 3))),
        ValueError,
        r"X is empty",
    ),
    ("empty scores", lambda: scoring.threshold_percentile([], 0.05), ValueError, r"train_scores.*empty"),
    ("empty labels", lambda: metrics.label_events([]), ValueError, r"empty"),
    # wrong dimensions
    (
        "1-D features",
        lambda: detectors.ZScoreDetector().fit(np.arange(5.0)),
        ValueError,
        r"X must be 2-D.*reshape",
    ),
    ("3-D features", lambda: detectors.PCADetector().fit(np.zeros((4, 2, 2))), ValueError, r"X must be 2-D"),
    ("2-D scores", lambda: scoring.threshold_max(np.zeros((3, 3))), ValueError, r"train_scores"),
    ("series of wrong rank", lambda: data.sliding_windows(np.zeros((4, 3, 2)), 2), ValueError, r"x"),
    # string columns
    (
        "string column",
        lambda: detectors.ZScoreDetector().fit(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "z"]})),
        TypeError,
        r"X has non-numeric column.*\['b'\]",
    ),
    ("strings as scores", lambda: metrics.anomaly_report(Y, ["a"] * 20, 0.5), TypeError, r"scores"),
    # labels not 0/1, or a single class where both are needed
    ("labels 1/2", lambda: metrics.anomaly_report(Y + 1, S, 0.5), ValueError, r"y_true.*only 0.*and 1"),
    ("labels -1/1", lambda: scoring.threshold_best_f1(np.where(Y == 1, 1, -1), S), ValueError, r"y_val.*0.*1"),
    (
        "single class, ROC-AUC",
        lambda: metrics.anomaly_report(np.zeros(20), S, 0.5),
        ValueError,
        r"y_true.*both classes",
    ),
    ("single class, best F1", lambda: scoring.threshold_best_f1(np.ones(20), S), ValueError, r"y_val.*both"),
    ("string labels", lambda: metrics.anomaly_report(np.array(["n"] * 20), S, 0.5), TypeError, r"y_true"),
    # mismatched lengths
    (
        "scores shorter than labels",
        lambda: metrics.anomaly_report(Y, S[:-2], 0.5),
        ValueError,
        r"scores.*18.*20|y_true.*20.*18",
    ),
    ("predictions longer", lambda: metrics.anomaly_report(Y, y_pred=np.r_[Y, 0]), ValueError, r"y_pred|y_true"),
    ("reconstruction shape", lambda: scoring.reconstruction_error(GOOD, GOOD[:, :2]), ValueError, r"X_hat.*shape"),
    ("split lengths", lambda: data.one_class_split(GOOD, Y[:-1]), ValueError, r"y|X"),
    # threshold or contamination out of range
    ("threshold NaN", lambda: metrics.anomaly_report(Y, S, float("nan")), ValueError, r"threshold.*finite"),
    ("threshold string", lambda: scoring.predict(S, "0.5"), TypeError, r"threshold"),
    ("contamination > 0.5", lambda: scoring.threshold_percentile(S, contamination=0.7), ValueError, r"contamination"),
    ("contamination 0", lambda: scoring.threshold_percentile(S, contamination=0.0), ValueError, r"contamination"),
    ("negative k", lambda: scoring.threshold_mean_std(S, k=-1), ValueError, r"\bk\b"),
    ("test_size 1.5", lambda: data.one_class_split(GOOD, Y, test_size=1.5), ValueError, r"test_size"),
    # windows
    (
        "window longer than series",
        lambda: data.sliding_windows(np.zeros(10), width=20),
        ValueError,
        r"width.*20.*10|longer",
    ),
    ("stride 0", lambda: data.sliding_windows(np.zeros(10), width=3, stride=0), ValueError, r"stride"),
    (
        "window scores of wrong count",
        lambda: data.windows_to_timesteps(np.zeros(5), n_timesteps=10, width=3, stride=1),
        ValueError,
        r"window_scores.*8",
    ),
    # unfitted model, and data that does not match what it was fitted on
    ("score before fit", lambda: detectors.KNNDetector().decision_function(GOOD), ValueError, r"fit\(X_train\) first"),
    (
        "wrong number of features",
        lambda: fitted_iforest().decision_function(GOOD[:, :2]),
        ValueError,
        r"X has 2 feature.*3",
    ),
    ("unknown detector", lambda: detectors.make_detector("forest"), ValueError, r"name must be one of"),
    (
        "unknown anomaly kind",
        lambda: data.make_ecg_like(kinds=("spike", "glitch")),
        ValueError,
        r"kinds.*glitch|glitch",
    ),
    ("digit out of range", lambda: data.load_digits_leave_one_out(anomaly_digit=12), ValueError, r"anomaly_digit"),
]


@pytest.mark.parametrize(("case", "call", "error", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(case, call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_the_battery_is_large_enough():
    assert len(CASES) >= 30


def test_model_input_shape_mismatch_names_the_data_and_the_shape():
    from anomaly_helpers import models, training

    model = models.dense_autoencoder(n_features=4)
    with pytest.raises(ValueError, match=r"X has shape \(20, 3\).*expects input of shape \(n_samples, 4\)"):
        training.fit_model(model, GOOD, epochs=1, verbose=0)
    conv = models.conv2d_autoencoder(input_shape=(8, 8, 1))
    with pytest.raises(ValueError, match=r"X\[\.\.\., np\.newaxis\]"):
        training.predict(conv, np.zeros((2, 8, 8)))
