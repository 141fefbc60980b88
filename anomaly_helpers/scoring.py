"""Anomaly scores from reconstructions, and strategies to turn scores into decisions.

Conventions: a **higher score means more anomalous**; label **1 = anomaly**; a sample is
flagged when ``score >= threshold`` (see :func:`apply_threshold`): a score equal to the
threshold is flagged, whichever strategy chose it. When several thresholds are equally good
(:func:`threshold_best_f1`, :func:`threshold_min_cost`), the highest one (fewest alarms) is returned.

Threshold strategies, from "no labels at all" to "a labelled validation set":

===========================  ==================================  =====================================
function                     needs                               fits when
===========================  ==================================  =====================================
:func:`threshold_max`        training scores (normal data only)  training data is guaranteed clean
:func:`threshold_mean_std`   training scores                     scores are roughly bell-shaped
:func:`threshold_percentile` training scores + a guessed rate    you know the alarm budget
:func:`threshold_best_f1`    labelled validation scores          FP and FN cost about the same
:func:`threshold_min_cost`   labelled validation scores + costs  misses and false alarms cost differently
===========================  ==================================  =====================================

Used in lesson 05 (training: reconstruction errors), lesson 06 (evaluation: thresholds) and
lesson 07 (the article's code example, which uses the max-training-error threshold we teach against).
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import pandas as pd

from anomaly_helpers._validate import (
    check_array,
    check_choice,
    check_fraction,
    check_labels,
    check_scores,
    check_threshold,
)
from anomaly_helpers.metrics import anomaly_report

__all__ = [
    "reconstruction_error",
    "apply_threshold",
    "threshold_max",
    "threshold_mean_std",
    "threshold_percentile",
    "threshold_best_f1",
    "threshold_min_cost",
    "compare_thresholds",
]

_PER = ("sample", "feature", "timestep", "pixel")
_DECIMALS = 3  # figures in compare_thresholds
_THRESHOLD_DIGITS = 4  # significant digits of its thresholds (they can be tiny, e.g. an MSE of 3e-4)


def _round(x: float | None, decimals: int = _DECIMALS) -> float | None:
    """Round to ``decimals`` decimals, turning ``-0.0`` into ``0.0``; keep None (undefined)."""
    return None if x is None else round(float(x), decimals) + 0.0


def _round_sig(x: float, digits: int = _THRESHOLD_DIGITS) -> float:
    """Round to ``digits`` significant digits."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(float(x), digits - 1 - int(math.floor(math.log10(abs(x))))) + 0.0


_KIND = ("mse", "mae")


def _check_nonnegative(v: Any, name: str, what: str, *, strict: bool = False) -> float:
    """Check a real number >= 0 (> 0 when ``strict``); ``what`` explains the argument."""
    bound = "> 0" if strict else ">= 0"
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a number {bound} ({what}), got {v!r} ({type(v).__name__}); pass a number.")
    v = float(v)
    if not np.isfinite(v) or v < 0 or (strict and v == 0):
        raise ValueError(f"{name} must be a finite number {bound} ({what}), got {v}; pass e.g. {name}=3.")
    return v


# --------------------------------------------------------------------------- reconstruction error
def reconstruction_error(X: Any, X_hat: Any, *, per: str = "sample", kind: str = "mse") -> np.ndarray:
    """Reconstruction error of an autoencoder, per sample or finer.

    When to use: turning an autoencoder's output into anomaly scores (``per="sample"``), or
    locating *where* a sample is badly reconstructed (``"feature"``, ``"timestep"``, ``"pixel"``).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), (n_windows, timesteps, channels) or (n_images, height, width, channels)
        The input given to the model.
    X_hat : ndarray of the same shape as X
        The model's reconstruction (``model.predict(X)``).
    per : {"sample", "feature", "timestep", "pixel"}, default "sample"
        What one error value describes:

        * ``"sample"``: mean over all axes but the first -> shape (n_samples,); works for 2-D, 3-D, 4-D.
        * ``"feature"``: one value per feature / channel (the last axis), averaged over the other
          axes -> (n_samples, n_features) for 2-D, (n_windows, channels) for 3-D,
          (n_images, channels) for 4-D.
        * ``"timestep"``: 3-D windows only, mean over channels -> (n_windows, timesteps).
        * ``"pixel"``: 4-D images only, mean over channels -> (n_images, height, width).
    kind : {"mse", "mae"}, default "mse"
        Squared error (punishes large deviations more) or absolute error (more robust).

    Returns
    -------
    ndarray
        Float64 errors with the shape given under ``per``; higher = worse reconstruction.

    See Also
    --------
    threshold_percentile, threshold_best_f1 : turn the errors into decisions.

    Notes
    -----
    See lesson 05 (training) and lesson 06 (evaluation metrics).

    Examples
    --------
    >>> reconstruction_error([[0.0, 0.0], [1.0, 1.0]], [[0.0, 2.0], [1.0, 1.0]])
    array([2., 0.])
    """
    per = check_choice(per, "per", _PER)
    kind = check_choice(kind, "kind", _KIND)
    X = check_array(X, "X", ndim=(2, 3, 4))
    X_hat = check_array(X_hat, "X_hat", ndim=(1, 2, 3, 4))
    if X_hat.shape != X.shape:
        hint = ""
        if X_hat.size == X.size:
            hint = f" They hold the same number of values: reshape with X_hat.reshape({X.shape})."
        raise ValueError(
            f"X_hat has shape {X_hat.shape} but X has shape {X.shape}; the reconstruction must have exactly the "
            f"input's shape (check the model's output layer).{hint}"
        )
    diff = X - X_hat
    err = diff * diff if kind == "mse" else np.abs(diff)
    if per == "sample":
        return err.mean(axis=tuple(range(1, err.ndim)))
    if per == "feature":
        return err if err.ndim == 2 else err.mean(axis=tuple(range(1, err.ndim - 1)))
    if per == "timestep":
        if err.ndim != 3:
            raise ValueError(
                f"per='timestep' needs 3-D windows of shape (n_windows, timesteps, channels), but X has shape "
                f"{X.shape}; use per='sample' or per='feature' for tabular data, or build windows first (lesson 04)."
            )
        return err.mean(axis=2)
    if err.ndim != 4:
        raise ValueError(
            f"per='pixel' needs 4-D images of shape (n_images, height, width, channels), but X has shape {X.shape}; "
            "for grayscale images add a channel axis with X[..., np.newaxis] (and the same for X_hat)."
        )
    return err.mean(axis=3)


# --------------------------------------------------------------------------- decisions
def apply_threshold(scores: Any, threshold: float) -> np.ndarray:
    """Turn anomaly scores into 0/1 decisions: 1 (anomaly) where ``scores >= threshold``.

    A score equal to the threshold is flagged; every threshold strategy here is meant for
    this rule. (``training.predict`` is something else: a model's outputs.)

    Parameters
    ----------
    scores : array-like of shape (n_samples,)
        Anomaly scores, higher = more anomalous.
    threshold : float
        The decision threshold.

    Returns
    -------
    ndarray of shape (n_samples,) and dtype int64
        1 where ``scores >= threshold``, else 0.

    See Also
    --------
    threshold_percentile, threshold_best_f1 : ways to choose the threshold (lesson 06).
    """
    scores = check_scores(scores, "scores")
    threshold = check_threshold(threshold, "threshold")
    return (scores >= threshold).astype(np.int64)


predict = apply_threshold  # TRANSITIONAL: remove when lessons migrate (renamed to apply_threshold)


def threshold_max(train_scores: Any) -> float:
    """Threshold = the largest anomaly score seen on the training data.

    When to use: almost never on its own. It assumes the training data is perfectly clean and
    that no future normal sample will score higher than any training sample. A *single*
    unnoticed anomaly (or noisy sample) in the training set pushes the threshold up to its
    score, and the detector then misses every anomaly that scores lower. It is the threshold of
    several popular tutorials (lesson 07), which is why the course teaches against it.

    Parameters
    ----------
    train_scores : array-like of shape (n_train,)
        Scores of the (assumed normal) training data.

    Returns
    -------
    float
        Flag ``scores >= threshold`` (:func:`apply_threshold`): the training maximum itself is flagged.

    See Also
    --------
    threshold_percentile : a robust alternative.

    Notes
    -----
    See lesson 06 (evaluation metrics) and lesson 07 (the article's code example).
    """
    return float(np.max(check_scores(train_scores, "train_scores")))


def threshold_mean_std(train_scores: Any, k: float = 3.0) -> float:
    """Threshold = mean + k standard deviations of the training scores.

    When to use: training scores that are roughly bell-shaped and clean. Reconstruction errors
    are usually right-skewed, so the flagged fraction is not the 0.13 % a normal distribution
    would give for k=3; check it on validation data. Outliers in the training data inflate both
    the mean and the standard deviation.

    Parameters
    ----------
    train_scores : array-like of shape (n_train,)
        Scores of the (assumed normal) training data.
    k : float, default 3.0
        Number of (population, ``ddof=0``) standard deviations above the mean; >= 0.

    Returns
    -------
    float
        Flag ``scores >= threshold`` (:func:`apply_threshold`).

    See Also
    --------
    threshold_percentile : no distribution assumed.

    Notes
    -----
    See lesson 06 (evaluation metrics).
    """
    s = check_scores(train_scores, "train_scores")
    k = _check_nonnegative(k, "k", "how many standard deviations above the mean")
    return float(s.mean() + k * s.std())


def threshold_percentile(train_scores: Any, contamination: float = 0.05) -> float:
    """Threshold = the (1 - contamination) quantile of the training scores.

    When to use: no labels, and a known alarm budget or expected anomaly rate ("we can inspect
    5 % of the machines"). About a ``contamination`` fraction of data like the training data is
    flagged. The same idea as scikit-learn's ``contamination`` parameter.

    Parameters
    ----------
    train_scores : array-like of shape (n_train,)
        Scores of the training data.
    contamination : float, default 0.05
        Expected fraction of anomalies / alarm budget, in (0, 0.5].

    Returns
    -------
    float
        Flag ``scores >= threshold`` (:func:`apply_threshold`): about ``contamination`` of the training
        scores reach it.

    See Also
    --------
    threshold_best_f1 : when labelled validation data exists.

    Notes
    -----
    See lesson 06 (evaluation metrics).
    """
    s = check_scores(train_scores, "train_scores")
    contamination = check_fraction(contamination, "contamination", low=0.0, high=0.5, inclusive="right")
    return float(np.quantile(s, 1.0 - contamination))


def _check_val(y_val: Any, val_scores: Any) -> tuple[np.ndarray, np.ndarray]:
    y = check_labels(y_val, "y_val", require_both=True)
    s = check_scores(val_scores, "val_scores", n=y.shape[0])
    return y, s


def _counts_by_threshold(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every distinct score as a threshold, highest first, with its TP, FP and FN under ``s >= threshold``."""
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    last_of_group = np.r_[np.flatnonzero(s_sorted[1:] != s_sorted[:-1]), len(s) - 1]
    tp = np.cumsum(y_sorted)[last_of_group]
    fp = last_of_group + 1 - tp
    return s_sorted[last_of_group], tp, fp, int(y.sum()) - tp


def threshold_best_f1(y_val: Any, val_scores: Any) -> float:
    """Threshold that maximises the F1 of the anomaly class on a labelled validation set.

    When to use: you have a few labelled anomalies *in a validation split* (never the test
    split) and false alarms and misses cost about the same. The candidates are the distinct
    validation scores; F1 is computed exactly from the counts, ``2 TP / (2 TP + FP + FN)``, and on
    ties the highest such threshold (fewest alarms) is returned, as in :func:`threshold_min_cost`.

    Parameters
    ----------
    y_val : array-like of shape (n_val,)
        Validation labels (1 = anomaly); both classes must be present.
    val_scores : array-like of shape (n_val,)
        Validation scores.

    Returns
    -------
    float
        One of the validation scores; flag ``scores >= threshold``.

    See Also
    --------
    threshold_min_cost : when misses cost more than false alarms.

    Notes
    -----
    See lesson 06 (evaluation metrics).
    """
    y, s = _check_val(y_val, val_scores)
    thresholds, tp, fp, fn = _counts_by_threshold(y, s)
    f1 = 2 * tp / (2 * tp + fp + fn)  # the denominator is > 0: y_val holds anomalies
    return float(thresholds[int(np.argmax(f1))])  # the first maximum is the highest threshold


def threshold_min_cost(y_val: Any, val_scores: Any, cost_fp: float = 1.0, cost_fn: float = 10.0) -> float:
    """Threshold with the smallest total cost ``cost_fp * FP + cost_fn * FN`` on validation data.

    When to use: a miss and a false alarm cost different amounts (a missed fraud or machine
    failure usually costs far more than an analyst checking a false alarm). The candidate
    thresholds are the distinct validation scores (each flags at least one sample); on ties the
    highest threshold (fewest alarms) is returned.

    Parameters
    ----------
    y_val : array-like of shape (n_val,)
        Validation labels (1 = anomaly); both classes must be present.
    val_scores : array-like of shape (n_val,)
        Validation scores.
    cost_fp : float, default 1.0
        Cost of one false alarm; > 0.
    cost_fn : float, default 10.0
        Cost of one missed anomaly; > 0.

    Returns
    -------
    float
        One of the validation scores; flag ``scores >= threshold`` (:func:`apply_threshold`).

    See Also
    --------
    threshold_best_f1 : equal costs, summarised by F1.

    Notes
    -----
    See lesson 06 (evaluation metrics).
    """
    y, s = _check_val(y_val, val_scores)
    cost_fp = _check_nonnegative(cost_fp, "cost_fp", "the cost of one false alarm", strict=True)
    cost_fn = _check_nonnegative(cost_fn, "cost_fn", "the cost of one missed anomaly", strict=True)
    thresholds, _, fp, fn = _counts_by_threshold(y, s)
    cost = cost_fp * fp + cost_fn * fn
    return float(thresholds[int(np.argmin(cost))])  # the first minimum is the highest threshold


# --------------------------------------------------------------------------- comparison
def _metrics_row(prefix: str, y: np.ndarray, s: np.ndarray, threshold: float) -> dict[str, float]:
    rep = anomaly_report(y, y_pred=(s >= threshold).astype(np.int64))
    return {
        f"{prefix}_precision": _round(rep.precision),
        f"{prefix}_recall": _round(rep.recall),
        f"{prefix}_f1": _round(rep.f1),
        f"{prefix}_false_alarms": rep.fp,
        f"{prefix}_misses": rep.fn,
    }


def compare_thresholds(
    train_scores: Any,
    y_val: Any,
    val_scores: Any,
    *,
    y_test: Any = None,
    test_scores: Any = None,
    k: float = 3.0,
    contamination: float = 0.05,
    cost_fp: float = 1.0,
    cost_fn: float = 10.0,
) -> pd.DataFrame:
    """Compare the five threshold strategies in one table.

    Each threshold is **chosen** from the training scores (``max``, ``mean_std``, ``percentile``)
    or from the labelled validation split (``best_f1``, ``min_cost``), and its precision, recall,
    F1, false alarms and misses (flagging ``scores >= threshold``) are reported on validation. When ``y_test`` and ``test_scores``
    are given, the same thresholds are only **reported** on test -- never chosen there: a
    threshold tuned on the test split makes the test figures optimistic. The drop from the
    validation to the test columns for ``best_f1`` / ``min_cost`` shows that optimism.

    When to use: deciding how to threshold a detector (lesson 06), or showing why the
    max-training-error threshold of popular tutorials is fragile (lesson 07).

    Parameters
    ----------
    train_scores : array-like of shape (n_train,)
        Scores of the (normal) training data.
    y_val : array-like of shape (n_val,)
        Validation labels (1 = anomaly); both classes must be present.
    val_scores : array-like of shape (n_val,)
        Validation scores.
    y_test : array-like of shape (n_test,), optional
        Test labels; give together with ``test_scores``.
    test_scores : array-like of shape (n_test,), optional
        Test scores.
    k : float, default 3.0
        For :func:`threshold_mean_std`.
    contamination : float, default 0.05
        For :func:`threshold_percentile`.
    cost_fp, cost_fn : float, default 1.0 and 10.0
        For :func:`threshold_min_cost`.

    Returns
    -------
    DataFrame of shape (5, 7) or (5, 12)
        Index (``strategy``): ``max, mean_std, percentile, best_f1, min_cost``. Columns:
        ``chosen_on`` ("train" or "validation"), ``threshold`` (4 significant digits),
        ``val_precision, val_recall, val_f1, val_false_alarms, val_misses`` and, with test data,
        the same five with a ``test_`` prefix. Floats rounded to 3 decimals.

    See Also
    --------
    threshold_max, threshold_mean_std, threshold_percentile, threshold_best_f1, threshold_min_cost

    Notes
    -----
    See lesson 06 (evaluation metrics).
    """
    train = check_scores(train_scores, "train_scores")
    y_v, s_v = _check_val(y_val, val_scores)
    if (y_test is None) != (test_scores is None):
        missing = "test_scores" if test_scores is None else "y_test"
        raise ValueError(f"{missing} is missing; pass both y_test and test_scores, or neither.")
    test = None
    if y_test is not None:
        y_t = check_labels(y_test, "y_test")
        test = (y_t, check_scores(test_scores, "test_scores", n=y_t.shape[0]))
    thresholds = {
        "max": ("train", threshold_max(train)),
        "mean_std": ("train", threshold_mean_std(train, k=k)),
        "percentile": ("train", threshold_percentile(train, contamination=contamination)),
        "best_f1": ("validation", threshold_best_f1(y_v, s_v)),
        "min_cost": ("validation", threshold_min_cost(y_v, s_v, cost_fp=cost_fp, cost_fn=cost_fn)),
    }
    rows = []
    for chosen_on, thr in thresholds.values():
        row: dict[str, Any] = {"chosen_on": chosen_on, "threshold": _round_sig(thr)}
        row.update(_metrics_row("val", y_v, s_v, thr))
        if test is not None:
            row.update(_metrics_row("test", *test, thr))
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(list(thresholds), name="strategy"))
