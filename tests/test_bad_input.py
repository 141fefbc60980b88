"""The bad-input battery: the mistakes learners make every day, across the helpers.

Each case must raise the expected error with a message that names the argument as a
word and gives a remedy ("pass ...", "use ..."), checked by one helper,
:func:`assert_clear_error`. (Each module's own tests hold more cases; this file is
the one place that covers every category the course promises.)
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from anomaly_helpers import data, detectors, metrics, scoring

GOOD = np.random.default_rng(0).normal(size=(20, 3))
Y = np.array([0] * 15 + [1] * 5)
S = np.linspace(0, 1, 20)

#: Imperative verbs that start a remedy: the message must tell the learner what to do.
REMEDY = re.compile(
    r"\b(pass|use|call|impute|remove|drop|reshape|map|pick|check|convert|encode|fill|choose|give|set|run|"
    r"rescale|sort|split|select)\b",
    re.IGNORECASE,
)

#: Cases whose message names the argument but gives no remedy yet: (module that raises, who fixes it).
#: The remedy is not checked for these; empty this list as the messages gain one.
NEEDS_REMEDY: dict[str, str] = {}


def assert_clear_error(call, error: type[Exception], name: str, *, remedy: bool = True) -> str:
    """Call ``call()``; assert it raises ``error`` whose message names ``name`` as a word
    (not inside another word) and, if ``remedy``, says what to do. Return the message."""
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", message), f"{name!r} is not named in: {message}"
    if remedy:
        assert REMEDY.search(message), f"no remedy (pass/use/...) in: {message}"
    return message


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
    ("nan in features", lambda: detectors.ZScoreDetector().fit(with_nan()), ValueError, "X"),
    ("inf in features", lambda: detectors.KNNDetector().fit(with_inf()), ValueError, "X"),
    ("nan when scoring", lambda: fitted_iforest().decision_function(with_nan()), ValueError, "X"),
    ("nan in scores", lambda: metrics.anomaly_report(Y, np.r_[S[:-1], np.nan], 0.5), ValueError, "scores"),
    # empty arrays
    (
        "empty features",
        lambda: detectors.IsolationForestDetector().fit(np.empty((0, 3))),
        ValueError,
        "X",
    ),
    ("empty scores", lambda: scoring.threshold_percentile([], 0.05), ValueError, "train_scores"),
    ("empty labels", lambda: metrics.label_events([]), ValueError, "labels"),
    # wrong dimensions
    (
        "1-D features",
        lambda: detectors.ZScoreDetector().fit(np.arange(5.0)),
        ValueError,
        "X",
    ),
    ("3-D features", lambda: detectors.PCADetector().fit(np.zeros((4, 2, 2))), ValueError, "X"),
    ("2-D scores", lambda: scoring.threshold_max(np.zeros((3, 3))), ValueError, "train_scores"),
    ("series of wrong rank", lambda: data.sliding_windows(np.zeros((4, 3, 2)), 2), ValueError, "x"),
    # string columns
    (
        "string column",
        lambda: detectors.ZScoreDetector().fit(pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "y", "z"]})),
        TypeError,
        "X",
    ),
    ("strings as scores", lambda: metrics.anomaly_report(Y, ["a"] * 20, 0.5), TypeError, "scores"),
    # labels not 0/1, or a single class where both are needed
    ("labels 1/2", lambda: metrics.anomaly_report(Y + 1, S, 0.5), ValueError, "y_true"),
    ("labels -1/1", lambda: scoring.threshold_best_f1(np.where(Y == 1, 1, -1), S), ValueError, "y_val"),
    (
        "single class, ROC-AUC",
        lambda: metrics.anomaly_report(np.zeros(20), S, 0.5),
        ValueError,
        "y_true",
    ),
    ("single class, best F1", lambda: scoring.threshold_best_f1(np.ones(20), S), ValueError, "y_val"),
    ("string labels", lambda: metrics.anomaly_report(np.array(["n"] * 20), S, 0.5), TypeError, "y_true"),
    # mismatched lengths
    (
        "scores shorter than labels",
        lambda: metrics.anomaly_report(Y, S[:-2], 0.5),
        ValueError,
        "scores",
    ),
    ("predictions longer", lambda: metrics.anomaly_report(Y, y_pred=np.r_[Y, 0]), ValueError, "y_pred"),
    ("reconstruction shape", lambda: scoring.reconstruction_error(GOOD, GOOD[:, :2]), ValueError, "X_hat"),
    ("split lengths", lambda: data.one_class_split(GOOD, Y[:-1]), ValueError, "y"),
    # threshold or contamination out of range
    ("threshold NaN", lambda: metrics.anomaly_report(Y, S, float("nan")), ValueError, "threshold"),
    ("threshold string", lambda: scoring.predict(S, "0.5"), TypeError, "threshold"),
    ("contamination > 0.5", lambda: scoring.threshold_percentile(S, contamination=0.7), ValueError, "contamination"),
    ("contamination 0", lambda: scoring.threshold_percentile(S, contamination=0.0), ValueError, "contamination"),
    ("negative k", lambda: scoring.threshold_mean_std(S, k=-1), ValueError, "k"),
    ("test_size 1.5", lambda: data.one_class_split(GOOD, Y, test_size=1.5), ValueError, "test_size"),
    # windows
    (
        "window longer than series",
        lambda: data.sliding_windows(np.zeros(10), width=20),
        ValueError,
        "width",
    ),
    ("stride 0", lambda: data.sliding_windows(np.zeros(10), width=3, stride=0), ValueError, "stride"),
    (
        "window scores of wrong count",
        lambda: data.windows_to_timesteps(np.zeros(5), n_timesteps=10, width=3, stride=1),
        ValueError,
        "window_scores",
    ),
    # unfitted model, and data that does not match what it was fitted on
    ("score before fit", lambda: detectors.KNNDetector().decision_function(GOOD), ValueError, "fit"),
    ("wrong number of features", lambda: fitted_iforest().decision_function(GOOD[:, :2]), ValueError, "X"),
    ("unknown detector", lambda: detectors.make_detector("forest"), ValueError, "name"),
    (
        "unknown anomaly kind",
        lambda: data.make_ecg_like(kinds=("spike", "glitch")),
        ValueError,
        "kinds",
    ),
    ("digit out of range", lambda: data.load_digits_leave_one_out(anomaly_digit=12), ValueError, "anomaly_digit"),
]


@pytest.mark.parametrize(("case", "call", "error", "name"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(case, call, error, name):
    assert_clear_error(call, error, name, remedy=case not in NEEDS_REMEDY)


def test_the_helper_rejects_a_name_inside_another_word_and_a_missing_remedy():
    def raise_(msg):
        def call():
            raise ValueError(msg)

        return call

    with pytest.raises(AssertionError, match="not named"):
        assert_clear_error(raise_("X_train is empty; pass data"), ValueError, "X")
    with pytest.raises(AssertionError, match="no remedy"):
        assert_clear_error(raise_("X must be 2-D."), ValueError, "X")
    assert_clear_error(raise_("X must be 2-D; use X.reshape(-1, 1)."), ValueError, "X")


def test_the_list_of_messages_without_remedy_names_real_cases():
    assert set(NEEDS_REMEDY) <= {c[0] for c in CASES}


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
