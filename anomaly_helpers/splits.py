"""Splits for semi-supervised anomaly detection: train on normal rows only.

:func:`one_class_split` divides a labelled table (or a stack of images) into a
:class:`Split`: a training part with normal rows only, an optional validation part (normal
rows and some labelled anomalies, to choose a threshold) and a test part. Missing values
(NaN) in the features are allowed, so that an imputer can be fitted on the training part
only, *after* splitting: imputing before splitting leaks test information into training.

Label convention: **1 = anomaly, 0 = normal**.

See Also
--------
Lesson 02 (preprocessing: fit imputers and scalers on the training part only), lesson 05
(training), lesson 06 (evaluation metrics).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from anomaly_helpers._validate import check_array, check_fraction, check_labels, check_random_state

__all__ = ["Split", "one_class_split"]


def _count(y: Any) -> tuple[int, int]:
    if y is None:
        return 0, 0
    arr = np.asarray(y)
    return int(arr.shape[0]), int(arr.sum())


@dataclass(frozen=True, eq=False)
class Split:
    """A train / (validation) / test split for semi-supervised anomaly detection.

    Attributes
    ----------
    X_train : DataFrame or ndarray of shape (n_train, ...)
        Normal samples only.
    y_train : Series or ndarray of shape (n_train,)
        All 0.
    X_val, y_val : same types, shape (n_val, ...), or None
        Normal samples and some labelled anomalies, for choosing a threshold.
    X_test, y_test : same types, shape (n_test, ...)
        Held-out normal samples and anomalies (1 = anomaly).
    info : dict
        Extra facts, e.g. ``rows_train`` / ``rows_val`` / ``rows_test`` (positions in
        the input) and, for the digits set-ups, ``digits_train`` / ``digits_val`` /
        ``digits_test`` (the digit shown in each image).

    See Also
    --------
    one_class_split, anomaly_helpers.datasets.load_digits_one_class
    Lesson 05 (training), lesson 06 (evaluation metrics).
    """

    X_train: Any
    y_train: Any
    X_val: Any
    y_val: Any
    X_test: Any
    y_test: Any
    info: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Return a table with the size and number of anomalies of each part.

        Returns
        -------
        DataFrame with index ``train``, ``val``, ``test``
            Columns ``n_samples``, ``n_normal``, ``n_anomalies``, ``anomaly_rate`` (3 decimals).
            ``val`` is omitted when there is no validation part.
        """
        parts = [("train", self.y_train), ("val", self.y_val), ("test", self.y_test)]
        rows = {}
        for name, y in parts:
            if y is None:
                continue
            n, n_anom = _count(y)
            rate = round(n_anom / n, 3) if n else 0.0
            rows[name] = {"n_samples": n, "n_normal": n - n_anom, "n_anomalies": n_anom, "anomaly_rate": rate}
        return pd.DataFrame.from_dict(rows, orient="index")

    def __repr__(self) -> str:
        lines = ["Split("]
        for name, X, y in (
            ("train", self.X_train, self.y_train),
            ("val", self.X_val, self.y_val),
            ("test", self.X_test, self.y_test),
        ):
            if X is None:
                lines.append(f"  {name + ':':6s} none")
                continue
            n, n_anom = _count(y)
            pct = 100 * n_anom / n if n else 0.0
            lines.append(f"  {name + ':':6s} X {tuple(np.shape(X))}, {n_anom} anomalies of {n} ({pct:.1f} %)")
        if self.info:
            lines.append(f"  info:  {sorted(self.info)}")
        lines.append(")")
        return "\n".join(lines)


def _check_split_sizes(test_size: Any, val_size: Any) -> tuple[float, float]:
    test_size = check_fraction(test_size, "test_size")
    val_size = check_fraction(val_size, "val_size", inclusive="left")
    if test_size + val_size >= 1:
        raise ValueError(
            f"test_size + val_size must be below 1 so that some normal rows are left for training, "
            f"got test_size={test_size} and val_size={val_size}; lower one of them."
        )
    return test_size, val_size


def _one_class_positions(
    y: np.ndarray, test_size: float, val_size: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Return sorted row positions for train, val (or None) and test."""
    normal = np.flatnonzero(y == 0)
    anomalous = np.flatnonzero(y == 1)
    n_normal = normal.size
    n_test = int(round(n_normal * test_size))
    n_val = int(round(n_normal * val_size))
    n_train = n_normal - n_test - n_val
    if n_test < 1 or n_train < 1 or (val_size > 0 and n_val < 1):
        raise ValueError(
            f"y has {n_normal} normal rows, too few to split with test_size={test_size} and val_size={val_size} "
            f"(train {n_train}, val {n_val}, test {n_test}); each part needs at least one normal row. "
            "Pass more data or change test_size/val_size."
        )
    normal = rng.permutation(normal)
    train = np.sort(normal[:n_train])
    test_n = normal[n_train : n_train + n_test]
    val_n = normal[n_train + n_test :]
    anomalous = rng.permutation(anomalous)
    if val_size > 0:
        n_anom = anomalous.size
        n_val_anom = int(round(n_anom * val_size / (val_size + test_size)))
        if n_anom >= 2:
            n_val_anom = min(max(n_val_anom, 1), n_anom - 1)
        else:
            n_val_anom = 0
        val = np.sort(np.concatenate([val_n, anomalous[:n_val_anom]]))
        test = np.sort(np.concatenate([test_n, anomalous[n_val_anom:]]))
        return train, val, test
    return train, None, np.sort(np.concatenate([test_n, anomalous]))


def _take(data: Any, rows: np.ndarray | None) -> Any:
    if rows is None:
        return None
    if isinstance(data, (pd.DataFrame, pd.Series)):
        return data.iloc[rows]
    return data[rows]


def _check_split_features(X: Any) -> Any:
    """Check ``X`` (NaN allowed, infinities not); return it (a DataFrame stays a DataFrame)."""
    if isinstance(X, pd.DataFrame):
        arr = check_array(X, "X", ndim=2, allow_nan=True)
    else:
        try:
            dtype = np.asarray(X).dtype if np.asarray(X).dtype.kind == "f" else np.float64
        except Exception:  # ragged lists and the like: check_array gives the clear error
            dtype = np.float64
        X = arr = check_array(X, "X", ndim=(2, 3, 4), dtype=dtype, allow_nan=True)
    n_inf = int(np.isinf(arr).sum())
    if n_inf:
        raise ValueError(
            f"X contains {n_inf} infinite value(s); replace them with NaN (e.g. X[np.isinf(X)] = np.nan, "
            "or X.replace([np.inf, -np.inf], np.nan) for a DataFrame) and impute after splitting."
        )
    return X


def one_class_split(
    X: Any,
    y: Any,
    test_size: float = 0.3,
    val_size: float = 0.0,
    random_state: int | np.random.Generator | None = 0,
) -> Split:
    """Split data for semi-supervised anomaly detection: train on normal rows only.

    The normal rows are shuffled and divided into train / validation / test by the
    fractions ``1 - test_size - val_size``, ``val_size`` and ``test_size``. Every
    anomaly goes to the test set, or, when ``val_size > 0``, the anomalies are
    divided between validation and test in the ratio ``val_size : test_size`` (at
    least one in each when there are two or more), so that a threshold can be
    chosen on labelled validation data without touching the test set.

    Parameters
    ----------
    X : DataFrame or ndarray of shape (n_samples, ...)
        Features; images of shape (n_samples, height, width, channels) work too.
        Missing values (NaN) are allowed and kept: impute *after* splitting, fitting
        the imputer on ``X_train`` only. Infinite values are rejected.
    y : array-like of shape (n_samples,)
        Labels, 1 = anomaly, 0 = normal (no missing labels).
    test_size : float, default 0.3
        Fraction of the normal rows held out for testing, in (0, 1).
    val_size : float, default 0.0
        Fraction of the normal rows held out for validation, in [0, 1). 0 means no
        validation part (``X_val`` and ``y_val`` are None).
    random_state : None, int or numpy.random.Generator, default 0
        Seed of the shuffle: None draws fresh randomness, an int >= 0 seeds it (the
        same int, the same split), a Generator is used as it is.

    Returns
    -------
    Split
        DataFrames / Series stay pandas objects (with their original index); arrays
        stay arrays. Rows keep their original order within each part.
        ``info["rows_train"]`` etc. hold the row positions taken from ``X``.

    Notes
    -----
    When to use: autoencoders and other one-class models, which learn "normal" and
    flag what does not fit. Fit imputers and scalers on ``X_train`` only (lesson 02).

    See Also
    --------
    Split, anomaly_helpers.datasets.load_digits_one_class
    Lesson 02 (preprocessing), lesson 05 (training), lesson 06 (evaluation metrics).
    """
    X = _check_split_features(X)
    y_arr = check_labels(y, "y", n=len(X))
    test_size, val_size = _check_split_sizes(test_size, val_size)
    rng = check_random_state(random_state)
    y_out = y if isinstance(y, pd.Series) else y_arr
    train, val, test = _one_class_positions(y_arr, test_size, val_size, rng)
    info = {"rows_train": train, "rows_val": val, "rows_test": test}
    return Split(
        X_train=_take(X, train),
        y_train=_take(y_out, train),
        X_val=_take(X, val),
        y_val=_take(y_out, val),
        X_test=_take(X, test),
        y_test=_take(y_out, test),
        info=info,
    )
