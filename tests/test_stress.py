"""Contaminated splits, label noise and drift (anomaly_helpers.stress)."""

from __future__ import annotations

import numpy as np
import pytest

from anomaly_helpers import stress


def test_contaminate_reaches_the_rate_and_keeps_every_normal_row():
    normal, pool = np.zeros((190, 2)), np.ones((50, 2))
    X, bad = stress.contaminate(normal, pool, rate=0.05, random_state=0)
    assert len(X) == 200 and bad.sum() == 10 and bad.mean() == pytest.approx(0.05)
    np.testing.assert_array_equal(X[bad == 1], 1.0)
    np.testing.assert_array_equal(X[bad == 0], 0.0)
    X0, bad0 = stress.contaminate(normal, pool, rate=0.0, random_state=0)
    assert len(X0) == 190 and bad0.sum() == 0


def test_contaminated_split_keeps_test_rows_out_of_training_and_fixes_the_test_part():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (np.arange(300) < 40).astype(int)
    test_parts = []
    for rate in (0.0, 0.05, 0.1):
        X_tr, X_te, y_te, bad = stress.contaminated_split(
            X, y, rate, n_train=150, n_test=100, n_test_anomalies=10, random_state=3
        )
        train_rows = {tuple(r) for r in X_tr}
        assert not train_rows & {tuple(r) for r in X_te}
        assert y_te.sum() == 10 and len(y_te) == 110
        assert bad.sum() == round(rate * 150 / (1 - rate))
        test_parts.append(X_te)
    np.testing.assert_array_equal(test_parts[0], test_parts[2])  # the same seed gives the same test part


def test_flip_labels_is_symmetric_and_seeded():
    y = np.r_[np.zeros(5000, int), np.ones(5000, int)]
    noisy = stress.flip_labels(y, 0.1, random_state=1)
    assert 0.08 < np.mean(noisy[:5000]) < 0.12 and 0.88 < np.mean(noisy[5000:]) < 0.92
    np.testing.assert_array_equal(noisy, stress.flip_labels(y, 0.1, random_state=1))
    np.testing.assert_array_equal(stress.flip_labels(y, 0.0, random_state=1), y)


def test_add_drift_leaves_the_start_alone_and_ramps():
    x = np.ones((10, 2))
    out = stress.add_drift(x, 4, 8, gain=0.5, extra_noise=0.0)
    np.testing.assert_array_equal(out[:5], 1.0)
    np.testing.assert_allclose(out[8:, 0], 0.5)
    assert out.shape == x.shape
    noisy = stress.add_drift(np.zeros(1000), 0, 10, gain=0.0, extra_noise=0.2, random_state=0)
    assert noisy[20:].std() == pytest.approx(0.2, rel=0.15)


@pytest.mark.parametrize(
    ("call", "exc", "word"),
    [
        (lambda: stress.contaminate(np.zeros((10, 2)), np.ones((1, 2)), 0.5), ValueError, "rate"),
        (lambda: stress.contaminate(np.zeros((10, 2)), np.ones((5, 3)), 0.1), ValueError, "X_anomalies"),
        (lambda: stress.contaminate(np.zeros((10, 2)), np.ones((5, 2)), 1.0), ValueError, "rate"),
        (
            lambda: stress.contaminate(np.zeros((10, 2)), np.ones((5, 2)), 0.1, random_state="a"),
            TypeError,
            "random_state",
        ),
        (lambda: stress.flip_labels([0, 1, 2], 0.1), ValueError, "y"),
        (lambda: stress.flip_labels([0, 1], 0.7), ValueError, "rate"),
        (lambda: stress.add_drift(np.ones(10), 5, 20), ValueError, "end"),
        (lambda: stress.add_drift(np.ones(10), 2, 5, gain=1.5), ValueError, "gain"),
        (
            lambda: stress.contaminated_split(
                np.zeros((20, 2)), np.zeros(20, int), 0.0, n_train=10, n_test=5, n_test_anomalies=1
            ),
            ValueError,
            "n_test_anomalies",
        ),
        (
            lambda: stress.contaminated_split(
                np.zeros((20, 2)), np.zeros(20, int), 0.0, n_train=18, n_test=5, n_test_anomalies=1
            ),
            ValueError,
            "n_test",
        ),
    ],
)
def test_bad_input_names_the_argument(call, exc, word):
    with pytest.raises(exc, match=rf"\b{word}\b"):
        call()
