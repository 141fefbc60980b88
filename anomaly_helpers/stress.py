"""Stress tests for detectors: dirty training data, noisy labels and drifting series.

Lesson 09 (challenges and trends) measures each of them in its sections 1, 2 and 5.

Real data break the assumptions of a clean benchmark in three common ways, each simulated here
with a seeded, documented change of clean data so that its effect can be measured:

* :func:`contaminate` — anomalies slip into the "normal" training data;
* :func:`flip_labels` — some labels of a supervised detector are wrong;
* :func:`add_drift` — a series' normal behaviour changes slowly (a sensor's gain falls, its
  noise grows).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from anomaly_helpers._validate import (
    check_array,
    check_features,
    check_fraction,
    check_labels,
    check_positive_int,
    check_random_state,
)

__all__ = ["contaminate", "contaminated_split", "flip_labels", "add_drift"]


def contaminate(
    X_normal: Any, X_anomalies: Any, rate: float, random_state: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """Mix anomalies into normal training rows so that a fraction ``rate`` of the result is anomalous.

    Parameters
    ----------
    X_normal : array-like of shape (n_normal, n_features)
        The clean training rows.
    X_anomalies : array-like of shape (n_pool, n_features)
        A pool of anomalies to draw from (without replacement). Keep it disjoint from the
        anomalies of the test set.
    rate : float in [0, 1)
        Target share of anomalies in the result: ``m = round(rate * n_normal / (1 - rate))``
        anomalies are added.
    random_state : None, int or numpy.random.Generator, default None
        Seeds which anomalies are drawn and the shuffle of the result.

    Returns
    -------
    X_train : ndarray of shape (n_normal + m, n_features)
        Normal and added rows, shuffled.
    is_anomaly : ndarray of shape (n_normal + m,), int64
        1 for the added anomalies. A detector must not see it; it is there to measure.

    Raises
    ------
    ValueError
        When the pool holds fewer than ``m`` anomalies (lower ``rate`` or pass a larger pool),
        the feature counts differ, or ``rate`` is outside [0, 1).

    See Also
    --------
    contaminate

    Examples
    --------
    >>> import numpy as np
    >>> X_train, is_anomaly = contaminate(np.zeros((95, 2)), np.ones((20, 2)), rate=0.05, random_state=0)
    >>> X_train.shape, int(is_anomaly.sum())
    ((100, 2), 5)
    """
    normal = check_features(X_normal, "X_normal")
    pool = check_features(X_anomalies, "X_anomalies")
    if pool.shape[1] != normal.shape[1]:
        raise ValueError(
            f"X_anomalies has {pool.shape[1]} features but X_normal has {normal.shape[1]}; pass rows of the same table."
        )
    rate = check_fraction(rate, "rate", inclusive="left")
    rng = check_random_state(random_state, "random_state")
    m = int(round(rate * normal.shape[0] / (1.0 - rate)))
    if m > pool.shape[0]:
        raise ValueError(
            f"rate={rate:g} needs {m} anomalies but X_anomalies holds {pool.shape[0]}; lower rate or pass a larger pool."
        )
    chosen = pool[rng.choice(pool.shape[0], size=m, replace=False)]
    X = np.concatenate([normal, chosen])
    is_anomaly = np.r_[np.zeros(normal.shape[0], dtype=np.int64), np.ones(m, dtype=np.int64)]
    order = rng.permutation(X.shape[0])
    return X[order], is_anomaly[order]


def flip_labels(y: Any, rate: float, random_state: Any = None) -> np.ndarray:
    """Return a copy of 0/1 labels in which each label is flipped with probability ``rate``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels, 1 = anomaly.
    rate : float in [0, 0.5)
        Probability that a label is wrong, the same for both classes (symmetric noise). With
        rare anomalies this turns many more normal rows into false "anomalies" than the reverse.
    random_state : None, int or numpy.random.Generator, default None

    Returns
    -------
    ndarray of shape (n_samples,), int64

    Examples
    --------
    >>> import numpy as np
    >>> y_noisy = flip_labels(np.zeros(1000, dtype=int), rate=0.1, random_state=0)
    >>> int(y_noisy.sum())  # about 100 normal rows now labelled 1
    89
    """
    labels = check_labels(y, "y")
    rate = check_fraction(rate, "rate", high=0.5, inclusive="left")
    rng = check_random_state(random_state, "random_state")
    flip = rng.random(labels.shape[0]) < rate
    return np.where(flip, 1 - labels, labels).astype(np.int64)


def add_drift(
    x: Any,
    start: int,
    end: int,
    *,
    gain: float = 0.25,
    extra_noise: float = 0.03,
    random_state: Any = None,
) -> np.ndarray:
    """Let a series' normal behaviour change gradually: its amplitude falls and its noise grows.

    Between ``start`` and ``end`` a ramp ``r`` goes linearly from 0 to 1 (0 before, 1 after);
    the result is ``x * (1 - gain * r) + extra_noise * r * e`` with standard normal noise ``e``
    — what a drying electrode or an ageing sensor does to a signal.

    Parameters
    ----------
    x : array-like of shape (n_timesteps,) or (n_timesteps, n_channels)
    start, end : int
        Time steps where the drift begins and where it is complete, ``0 <= start < end <= n_timesteps``.
    gain : float in [0, 1), default 0.25
        Final loss of amplitude (0.25: the signal shrinks to 75 %).
    extra_noise : float >= 0, default 0.03
        Standard deviation of the noise added once the drift is complete.
    random_state : None, int or numpy.random.Generator, default None

    Returns
    -------
    ndarray of the shape of ``x``, float64
        Unchanged before ``start``.

    Examples
    --------
    >>> import numpy as np
    >>> add_drift(np.ones(6), start=2, end=4, gain=0.5, extra_noise=0.0)
    array([1.  , 1.  , 1.  , 0.75, 0.5 , 0.5 ])
    """
    arr = check_array(x, "x", ndim=(1, 2))
    n = arr.shape[0]
    start = check_positive_int(start, "start", minimum=0)
    end = check_positive_int(end, "end", minimum=1)
    if not start < end <= n:
        raise ValueError(
            f"start and end must satisfy 0 <= start < end <= n_timesteps ({n}), got start={start}, end={end}; "
            "pass time steps inside the series."
        )
    gain = check_fraction(gain, "gain", inclusive="left")
    extra_noise = check_fraction(extra_noise, "extra_noise", high=np.inf, inclusive="left")
    rng = check_random_state(random_state, "random_state")
    ramp = np.clip((np.arange(n) - start) / (end - start), 0.0, 1.0)
    if arr.ndim == 2:
        ramp = ramp[:, None]
    noise = rng.standard_normal(arr.shape)
    return arr * (1.0 - gain * ramp) + extra_noise * ramp * noise


def contaminated_split(
    X: Any,
    y: Any,
    rate: float,
    *,
    n_train: int,
    n_test: int,
    n_test_anomalies: int,
    random_state: Any = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A one-class train / test split whose training part holds a share ``rate`` of anomalies.

    The test part takes ``n_test`` normal rows and ``n_test_anomalies`` anomalies; the training
    part ``n_train`` other normal rows plus anomalies drawn (by :func:`contaminate`) from the
    anomalies *not* in the test part, so no test row is ever seen in training.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Labels, 1 = anomaly.
    rate : float in [0, 1)
        Share of anomalies in the training part (0 gives a clean one-class split).
    n_train, n_test, n_test_anomalies : int
        Sizes; ``n_train + n_test`` normal rows must exist.
    random_state : None, int or numpy.random.Generator, default None
        Seeds the choice of rows; the same seed gives the same test part for every ``rate``.

    Returns
    -------
    X_train : ndarray of shape (n_train + m, n_features)
    X_test : ndarray of shape (n_test + n_test_anomalies, n_features)
    y_test : ndarray of shape (n_test + n_test_anomalies,), int64
    is_anomaly_train : ndarray of shape (n_train + m,), int64
        Which training rows are anomalies (to measure, never to fit).

    Raises
    ------
    ValueError
        When there are too few normal rows or anomalies for the sizes asked for.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.arange(40.0).reshape(20, 2), np.r_[np.zeros(14, int), np.ones(6, int)]
    >>> X_tr, X_te, y_te, bad = contaminated_split(X, y, 0.2, n_train=8, n_test=4, n_test_anomalies=2, random_state=0)
    >>> len(X_tr), int(bad.sum()), len(X_te), int(y_te.sum())
    (10, 2, 6, 2)
    """
    features = check_features(X, "X")
    labels = check_labels(y, "y", n=features.shape[0])
    n_train = check_positive_int(n_train, "n_train")
    n_test = check_positive_int(n_test, "n_test")
    n_test_anomalies = check_positive_int(n_test_anomalies, "n_test_anomalies")
    rng = check_random_state(random_state, "random_state")
    normal = rng.permutation(np.flatnonzero(labels == 0))
    anomalies = rng.permutation(np.flatnonzero(labels == 1))
    if normal.size < n_train + n_test:
        raise ValueError(
            f"n_train + n_test = {n_train + n_test} but y has {normal.size} normal rows; pass smaller sizes."
        )
    if anomalies.size < n_test_anomalies:
        raise ValueError(
            f"n_test_anomalies={n_test_anomalies} but y has {anomalies.size} anomalies; pass a smaller n_test_anomalies."
        )
    test = np.r_[normal[n_train : n_train + n_test], anomalies[:n_test_anomalies]]
    X_train, is_anomaly = contaminate(features[normal[:n_train]], features[anomalies[n_test_anomalies:]], rate, rng)
    return X_train, features[test], labels[test].astype(np.int64), is_anomaly
