"""Tests for anomaly_helpers.scoring."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from anomaly_helpers.scoring import (
    apply_threshold,
    compare_thresholds,
    reconstruction_error,
    threshold_best_f1,
    threshold_max,
    threshold_mean_std,
    threshold_min_cost,
    threshold_percentile,
)


@pytest.fixture
def windows() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4, 5, 3))
    return X, X + rng.normal(scale=0.1, size=X.shape)


@pytest.fixture
def val_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    train = rng.normal(size=400)
    y_val = np.r_[np.zeros(200, dtype=int), np.ones(20, dtype=int)]
    s_val = np.r_[rng.normal(size=200), rng.normal(2.5, 1.0, size=20)]
    return train, y_val, s_val


# --------------------------------------------------------------------------- reconstruction_error
def test_reconstruction_error_hand_computed():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    X_hat = np.array([[0.0, 2.0], [1.0, 0.0]])
    np.testing.assert_allclose(reconstruction_error(X, X_hat), [2.0, 0.5])
    np.testing.assert_allclose(reconstruction_error(X, X_hat, kind="mae"), [1.0, 0.5])
    np.testing.assert_allclose(reconstruction_error(X, X_hat, per="feature"), [[0.0, 4.0], [0.0, 1.0]])


def test_reconstruction_error_windows(windows):
    X, X_hat = windows
    sq = (X - X_hat) ** 2
    np.testing.assert_allclose(reconstruction_error(X, X_hat), sq.mean(axis=(1, 2)))
    np.testing.assert_allclose(reconstruction_error(X, X_hat, per="feature"), sq.mean(axis=1))
    np.testing.assert_allclose(reconstruction_error(X, X_hat, per="timestep"), sq.mean(axis=2))
    assert reconstruction_error(X, X_hat, per="timestep", kind="mae").shape == (4, 5)
    # the per-sample error is the mean of the finer ones
    np.testing.assert_allclose(
        reconstruction_error(X, X_hat, per="timestep").mean(axis=1), reconstruction_error(X, X_hat)
    )


def test_reconstruction_error_images():
    rng = np.random.default_rng(2)
    X = rng.random((3, 8, 8, 2))
    X_hat = rng.random((3, 8, 8, 2))
    assert reconstruction_error(X, X_hat).shape == (3,)
    pix = reconstruction_error(X, X_hat, per="pixel", kind="mae")
    assert pix.shape == (3, 8, 8)
    np.testing.assert_allclose(pix, np.abs(X - X_hat).mean(axis=3))
    assert reconstruction_error(X, X_hat, per="feature").shape == (3, 2)


def test_reconstruction_error_perfect_is_zero(windows):
    X, _ = windows
    np.testing.assert_array_equal(reconstruction_error(X, X.copy()), np.zeros(4))


# --------------------------------------------------------------------------- predict and strategies
def test_apply_threshold_is_inclusive():
    out = apply_threshold([0.1, 0.5, 0.9], 0.5)
    np.testing.assert_array_equal(out, [0, 1, 1])
    assert out.dtype == np.int64


def test_threshold_max_and_one_outlier():
    clean = np.array([0.1, 0.2, 0.3, 0.25])
    assert threshold_max(clean) == 0.3
    # one unnoticed anomaly in the training data moves the threshold above every real anomaly
    assert threshold_max(np.r_[clean, 5.0]) == 5.0
    assert threshold_percentile(np.r_[np.linspace(0, 1, 99), 5.0], contamination=0.05) < 1.0


def test_threshold_mean_std():
    s = np.array([1.0, 2.0, 3.0, 4.0])  # mean 2.5, population std sqrt(1.25)
    assert threshold_mean_std(s, k=2) == pytest.approx(2.5 + 2 * np.sqrt(1.25))
    assert threshold_mean_std(s, k=0) == pytest.approx(2.5)


def test_threshold_percentile():
    s = np.arange(101, dtype=float)  # quantiles are exact
    assert threshold_percentile(s, contamination=0.05) == pytest.approx(95.0)
    assert threshold_percentile(s, contamination=0.5) == pytest.approx(50.0)
    assert apply_threshold(s, threshold_percentile(s, 0.1)).mean() == pytest.approx(11 / 101)


def test_threshold_best_f1_hand_computed():
    y = [0, 0, 1, 0, 1, 1]
    s = [0.1, 0.2, 0.3, 0.4, 0.8, 0.9]
    # t=0.8: P=1, R=2/3, F1=0.8 ; t=0.3: P=3/4, R=1, F1=6/7=0.857 (best) ; t=0.1: F1=2/3
    assert threshold_best_f1(y, s) == pytest.approx(0.3)


def test_threshold_best_f1_matches_brute_force(val_data):
    _, y, s = val_data
    t = threshold_best_f1(y, s)
    f1_at = {c: skm.f1_score(y, s >= c) for c in np.unique(s)}
    assert skm.f1_score(y, s >= t) == pytest.approx(max(f1_at.values()))


def test_threshold_min_cost_hand_computed():
    y = [0, 0, 1, 0, 1, 1]
    s = [0.1, 0.2, 0.3, 0.4, 0.8, 0.9]
    # costs: t=0.9 -> 2 FN; t=0.8 -> 1 FN; t=0.4 -> 1 FP + 1 FN; t=0.3 -> 1 FP; t=0.2 -> 2 FP
    assert threshold_min_cost(y, s, cost_fp=1, cost_fn=10) == pytest.approx(0.3)
    # false alarms expensive: accept one miss rather than one false alarm
    assert threshold_min_cost(y, s, cost_fp=10, cost_fn=1) == pytest.approx(0.8)


def test_threshold_min_cost_matches_brute_force(val_data):
    _, y, s = val_data
    t = threshold_min_cost(y, s, cost_fp=1.0, cost_fn=5.0)

    def cost(c: float) -> float:
        pred = s >= c
        return float(((pred == 1) & (y == 0)).sum() + 5.0 * ((pred == 0) & (y == 1)).sum())

    assert cost(t) == pytest.approx(min(cost(c) for c in np.unique(s)))


def test_compare_thresholds_validation_only(val_data):
    train, y, s = val_data
    table = compare_thresholds(train, y, s)
    assert list(table.index) == ["max", "mean_std", "percentile", "best_f1", "min_cost"]
    assert list(table.columns) == [
        "chosen_on",
        "threshold",
        "val_precision",
        "val_recall",
        "val_f1",
        "val_false_alarms",
        "val_misses",
    ]
    assert table.loc["max", "threshold"] == pytest.approx(threshold_max(train), rel=1e-3)
    assert table.loc["percentile", "chosen_on"] == "train"
    assert table.loc["best_f1", "chosen_on"] == "validation"
    assert table["val_f1"].max() == table.loc["best_f1", "val_f1"]
    assert table.loc["min_cost", "val_misses"] <= table.loc["best_f1", "val_misses"]
    pred = s >= threshold_best_f1(y, s)
    assert table.loc["best_f1", "val_false_alarms"] == int((pred & (y == 0)).sum())


def test_compare_thresholds_with_test(val_data):
    train, y, s = val_data
    table = compare_thresholds(train, y, s, y_test=y, test_scores=s + 0.1, k=2.0, contamination=0.1)
    assert table.shape == (5, 12)
    assert {"test_precision", "test_recall", "test_f1", "test_false_alarms", "test_misses"} <= set(table.columns)
    assert table.loc["mean_std", "threshold"] == pytest.approx(threshold_mean_std(train, k=2.0), rel=1e-3)


BAD_INPUTS = [
    (lambda: reconstruction_error(np.ones((3, 4)), np.ones((3, 5))), ValueError, r"X_hat has shape \(3, 5\)"),
    (lambda: reconstruction_error(np.ones((3, 4, 1)), np.ones((3, 4))), ValueError, "X_hat.reshape"),
    (lambda: reconstruction_error(np.ones((3, 4)), np.ones((3, 4)), per="row"), ValueError, "per must be one of"),
    (lambda: reconstruction_error(np.ones((3, 4)), np.ones((3, 4)), kind="rmse"), ValueError, "kind must be one of"),
    (
        lambda: reconstruction_error(np.ones((3, 4)), np.ones((3, 4)), per="timestep"),
        ValueError,
        "per='timestep' needs",
    ),
    (
        lambda: reconstruction_error(np.ones((3, 4, 2)), np.ones((3, 4, 2)), per="pixel"),
        ValueError,
        "per='pixel' needs",
    ),
    (lambda: reconstruction_error(np.ones(4), np.ones(4)), ValueError, "X must be 2-D"),
    (lambda: reconstruction_error(np.full((2, 2), np.nan), np.ones((2, 2))), ValueError, "X contains"),
    (lambda: reconstruction_error(np.ones((2, 2)), np.full((2, 2), np.inf)), ValueError, "X_hat contains"),
    (lambda: reconstruction_error(np.ones((0, 2)), np.ones((0, 2))), ValueError, "X is empty"),
    (lambda: apply_threshold([0.1, np.nan], 0.5), ValueError, "scores contains"),
    (lambda: apply_threshold([0.1, 0.2], float("nan")), ValueError, "threshold must be finite"),
    (lambda: apply_threshold([0.1, 0.2], "0.5"), TypeError, "threshold must be"),
    (lambda: threshold_max([]), ValueError, "train_scores is empty"),
    (lambda: threshold_max([1.0, np.inf]), ValueError, "train_scores contains"),
    (lambda: threshold_mean_std([1.0, 2.0], k=-1), ValueError, "k must be a finite number >= 0"),
    (lambda: threshold_mean_std([1.0, 2.0], k="3"), TypeError, "k must be a number"),
    (lambda: threshold_percentile([1.0, 2.0], contamination=0.0), ValueError, r"contamination must be in \(0.0, 0.5\]"),
    (lambda: threshold_percentile([1.0, 2.0], contamination=0.7), ValueError, "contamination must be in"),
    (lambda: threshold_percentile([1.0, 2.0], contamination="5%"), TypeError, "contamination must be a number"),
    (lambda: threshold_best_f1([0, 0, 0], [0.1, 0.2, 0.3]), ValueError, "y_val contains only normal"),
    (lambda: threshold_best_f1([0, 1, 2], [0.1, 0.2, 0.3]), ValueError, "y_val must contain only 0"),
    (lambda: threshold_best_f1([0, 1, 1], [0.1, 0.2]), ValueError, "val_scores has 2 values"),
    (lambda: threshold_min_cost([1, 1], [0.1, 0.2]), ValueError, "y_val contains only anomaly"),
    (lambda: threshold_min_cost([0, 1], [0.1, 0.2], cost_fn=0), ValueError, "cost_fn must be"),
    (lambda: threshold_min_cost([0, 1], [0.1, 0.2], cost_fp=-1), ValueError, "cost_fp must be"),
    (lambda: compare_thresholds([0.1, 0.2], [0, 1], [0.1, 0.2], y_test=[0, 1]), ValueError, "test_scores is missing"),
    (
        lambda: compare_thresholds([0.1, 0.2], [0, 1], [0.1, 0.2], y_test=[0, 1], test_scores=[0.1]),
        ValueError,
        "test_scores has 1 values",
    ),
    (lambda: compare_thresholds([0.1, 0.2], [0, 1], [0.1, 0.2], k=-2), ValueError, "k must be"),
]


@pytest.mark.parametrize(("func", "error", "match"), BAD_INPUTS, ids=[b[2] for b in BAD_INPUTS])
def test_bad_input(func, error, match):
    with pytest.raises(error, match=match):
        func()


# --------------------------------------------------------------------------- one tie rule
TIES_Y = np.array([0, 0, 0, 1, 0, 1, 1, 1])
TIES_S = np.array([0.0, 0.0, 2.0, 2.0, 2.0, 2.0, 4.0, 4.0])  # mean 2, population std sqrt(2)

STRATEGIES = {
    "max": lambda: threshold_max(TIES_S),
    "mean_std": lambda: threshold_mean_std(TIES_S, k=0.0),  # = the mean, 2.0, itself a score
    "percentile": lambda: threshold_percentile(TIES_S, contamination=0.5),  # the median, 2.0
    "best_f1": lambda: threshold_best_f1(TIES_Y, TIES_S),
    "min_cost": lambda: threshold_min_cost(TIES_Y, TIES_S, cost_fp=1, cost_fn=1),
}


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_a_score_equal_to_the_threshold_is_flagged(name):
    t = STRATEGIES[name]()
    assert t in TIES_S  # each strategy here lands on a score, so the tie is real
    flagged = apply_threshold(TIES_S, t)
    np.testing.assert_array_equal(flagged, (TIES_S >= t).astype(int))
    assert flagged[TIES_S == t].all()


def test_equally_good_thresholds_resolve_to_the_highest():
    y = np.array([1, 0, 1, 0])
    s = np.array([4.0, 3.0, 2.0, 1.0])  # F1: t=4 2/3, t=3 1/2, t=2 4/5 (best), t=1 2/3
    assert threshold_best_f1(y, s) == 2.0
    y3 = np.array([1, 0, 0, 1])
    s3 = np.array([4.0, 3.0, 2.0, 1.0])  # F1: t=4 2/3, t=3 1/2, t=2 2/5, t=1 4/6 = 2/3 -> tie
    assert threshold_best_f1(y3, s3) == 4.0
    # the same rule for the cost: t=4 costs 1 FN, t=1 costs 2 FP with cost_fp = 0.5 -> 1.0 as well
    assert threshold_min_cost(y3, s3, cost_fp=0.5, cost_fn=1.0) == 4.0
