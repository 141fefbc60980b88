"""Which features drive an anomaly score, and how stable that answer is.

Lesson 09 (challenges and trends) measures the stability of explanations in its section 4.

An *occlusion* attribution asks, for one flagged row and one feature at a time: how much does
the score fall when this feature is replaced by an ordinary value (the training median)?
It needs nothing but the detector's scores, so it explains a kNN detector, an Isolation Forest
and an autoencoder in the same way, and their explanations can be compared:

.. math:: a_j(x) = s(x) - s\\big(x \\text{ with } x_j := m_j\\big),

where ``s`` is the anomaly score (higher = more anomalous) and ``m_j`` the reference value of
feature ``j``. A large positive ``a_j`` means "feature j is what makes this row look unusual".
It ignores interactions (two features that are only odd together); SHAP-style methods average
over many such replacements at a much higher cost.

Whether an explanation can be trusted depends on whether it survives a retrain:
:func:`top_k_agreement` measures the overlap of the top features of two explanations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from anomaly_helpers._validate import check_array, check_features, check_positive_int

__all__ = ["occlusion_attributions", "top_features", "top_k_agreement"]


def occlusion_attributions(score_fn: Callable[[np.ndarray], Any], X: Any, reference: Any) -> np.ndarray:
    """Score drop when each feature of each row is replaced by a reference value.

    Parameters
    ----------
    score_fn : callable
        ``score_fn(X) -> scores`` of shape (n_samples,), higher = more anomalous, e.g. a fitted
        detector's ``decision_function`` or a pipeline's.
    X : array-like of shape (n_samples, n_features)
        The rows to explain.
    reference : array-like of shape (n_features,)
        An ordinary value per feature, usually the median of the training data
        (``np.median(X_train, axis=0)``), in the units ``score_fn`` expects.

    Returns
    -------
    ndarray of shape (n_samples, n_features)
        ``score(x) - score(x with feature j := reference[j])`` for every row and feature.
        ``score_fn`` is called once, on all ``n_samples * (n_features + 1)`` rows.

    Raises
    ------
    TypeError
        When ``score_fn`` is not callable.
    ValueError
        When ``X`` is not 2-D, ``reference`` does not have one value per feature, or
        ``score_fn`` returns the wrong number of scores.

    See Also
    --------
    top_features, top_k_agreement

    Examples
    --------
    >>> import numpy as np
    >>> score = lambda A: np.abs(A).sum(axis=1)  # distance from 0
    >>> occlusion_attributions(score, [[3.0, -1.0]], reference=[0.0, 0.0])
    array([[3., 1.]])
    """
    if not callable(score_fn):
        raise TypeError(
            f"score_fn must be a function X -> scores, got {type(score_fn).__name__}; pass e.g. "
            "detector.decision_function (no parentheses)."
        )
    X = check_features(X, "X")
    n, d = X.shape
    ref = check_array(reference, "reference", ndim=1)
    if ref.shape[0] != d:
        raise ValueError(
            f"reference has {ref.shape[0]} values but X has {d} features; pass one value per feature, "
            "e.g. np.median(X_train, axis=0)."
        )
    occluded = np.repeat(X[:, None, :], d, axis=1)  # (n, d, d): copy j has feature j replaced
    idx = np.arange(d)
    occluded[:, idx, idx] = ref[idx]
    batch = np.concatenate([X, occluded.reshape(n * d, d)])
    scores = np.asarray(score_fn(batch), dtype=float).ravel()
    if scores.shape[0] != batch.shape[0]:
        raise ValueError(
            f"score_fn returned {scores.shape[0]} scores for {batch.shape[0]} rows; it must return one score per row."
        )
    return scores[:n, None] - scores[n:].reshape(n, d)


def top_features(attributions: Any, k: int = 3) -> np.ndarray:
    """Indices of the ``k`` largest attributions of each row, largest first.

    Parameters
    ----------
    attributions : array-like of shape (n_features,) or (n_samples, n_features)
        E.g. from :func:`occlusion_attributions`.
    k : int, default 3
        How many features to keep, at most ``n_features``.

    Returns
    -------
    ndarray of int, shape (k,) or (n_samples, k)
        Ties are broken by the lower feature index (a stable sort).

    See Also
    --------
    top_features

    Examples
    --------
    >>> top_features([0.1, 2.0, 0.5, 2.0], k=2)
    array([1, 3])
    """
    a = check_array(attributions, "attributions", ndim=(1, 2))
    k = check_positive_int(k, "k")
    if k > a.shape[-1]:
        raise ValueError(f"k must be at most the number of features ({a.shape[-1]}), got {k}; pass a smaller k.")
    order = np.argsort(-a, axis=-1, kind="stable")
    return order[..., :k]


def top_k_agreement(attr_a: Any, attr_b: Any, k: int = 3) -> float:
    """Overlap of the top-``k`` features of two explanations of the same row (Jaccard index).

    Parameters
    ----------
    attr_a, attr_b : array-like of shape (n_features,)
        Two attributions of one row, e.g. from detectors trained with different seeds.
    k : int, default 3

    Returns
    -------
    float in [0, 1]
        ``|A ∩ B| / |A ∪ B|`` for the two sets of top-``k`` features: 1 when they name the same
        features (in any order), 0 when they share none.

    Examples
    --------
    >>> top_k_agreement([3, 2, 1, 0], [3, 0, 2, 1], k=2)  # {0, 1} vs {0, 2}
    0.3333333333333333
    """
    a = check_array(attr_a, "attr_a", ndim=1)
    b = check_array(attr_b, "attr_b", ndim=1)
    if a.shape != b.shape:
        raise ValueError(
            f"attr_a has {a.shape[0]} features but attr_b has {b.shape[0]}; pass two explanations of the same row."
        )
    set_a, set_b = set(top_features(a, k).tolist()), set(top_features(b, k).tolist())
    return len(set_a & set_b) / len(set_a | set_b)
