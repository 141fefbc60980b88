"""The base class of every detector: a scikit-learn estimator with PyOD's names.

See Also
--------
anomaly_helpers.detectors : the detectors built on it.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from anomaly_helpers._validate import check_features

__all__ = ["BaseDetector"]


def _check_contamination(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(
            f"contamination must be a number in (0, 0.5], got {v!r} ({type(v).__name__}); "
            "pass the expected fraction of anomalies, e.g. contamination=0.05."
        )
    if not (np.isfinite(v) and 0.0 < v <= 0.5):
        raise ValueError(
            f"contamination must be in (0, 0.5], got {v}; it is the expected fraction of anomalies in the "
            "training data (an alarm budget), e.g. contamination=0.05 flags about 5 % of them."
        )
    return float(v)


def _feature_names(X: Any) -> np.ndarray | None:
    columns = getattr(X, "columns", None)
    if columns is None or not all(isinstance(c, str) for c in columns):
        return None
    return np.asarray(list(columns), dtype=object)


def _check_dense(X: Any) -> None:
    if hasattr(X, "tocsr") or type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(
            "X is a sparse matrix; sparse input is not supported by these detectors: pass a dense array, "
            "e.g. X.toarray()."
        )


class BaseDetector(BaseEstimator):
    """Base class of the detectors: scikit-learn estimator, PyOD interface.

    Subclasses implement ``_check_params()``, ``_fit(X)`` and ``_score(X)`` on validated
    float arrays, and may override ``_training_scores(X)`` (leave-one-out scores for the
    neighbour-based detectors). Their ``__init__`` only stores its arguments.

    Attributes
    ----------
    decision_scores_ : ndarray of shape (n_train,)
        Anomaly scores of the training samples (PyOD's name). For :class:`KNNDetector` and
        :class:`LOFDetector` they are leave-one-out: a point is not its own neighbour.
    threshold_ : float
        The ``1 - contamination`` quantile of ``decision_scores_``.
    labels_ : ndarray of shape (n_train,)
        1 where ``decision_scores_ >= threshold_`` (anomaly), 0 elsewhere.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when fitted on a DataFrame with string column names.

    Notes
    -----
    ``threshold_`` is set on the training scores, as PyOD does. The course sets thresholds
    on held-out data (lesson 06): score a validation split with :meth:`decision_function`
    and choose the threshold there.

    See Also
    --------
    make_detector : build a detector from its short name.
    """

    name: str = "detector"

    # -- public API ---------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None) -> BaseDetector:
        """Learn what normal data looks like, then score the training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data: normal samples only (one-class setting) or the whole unlabelled
            set (unsupervised setting).
        y : None
            Ignored; accepted so the detector can end a scikit-learn ``Pipeline``.

        Returns
        -------
        self
            The fitted detector, so that ``det.fit(X).decision_function(X_new)`` chains.
        """
        self._check_params()
        contamination = _check_contamination(self.contamination)
        names = _feature_names(X)
        _check_dense(X)
        X = check_features(X, "X", min_samples=self._min_samples())
        self._fit(X)
        self.n_features_in_ = X.shape[1]
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        scores = np.asarray(self._training_scores(X), dtype=np.float64).ravel()
        self.decision_scores_ = scores
        self.threshold_ = float(np.quantile(scores, 1.0 - contamination))
        self.labels_ = (scores >= self.threshold_).astype(np.int64)
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Anomaly score of each sample: higher means more anomalous.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data with the same columns as the training data.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            The opposite sign of scikit-learn's ``decision_function``; the same as PyOD's.
        """
        self._check_fitted("decision_function")
        self._check_names(X)
        _check_dense(X)
        X = check_features(X, "X", n_features=self.n_features_in_)
        return np.asarray(self._score(X), dtype=np.float64).ravel()

    def predict(self, X: Any) -> np.ndarray:
        """Label each sample: 1 (anomaly) where ``decision_function(X) >= threshold_``, else 0.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,) and dtype int64
            PyOD's 0/1 labels, not scikit-learn's -1 (outlier) / 1 (inlier).
        """
        self._check_fitted("predict")
        return (self.decision_function(X) >= self.threshold_).astype(np.int64)

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit on ``X`` and return ``labels_`` (the training samples' 0/1 labels).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self.fit(X).labels_

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "threshold_")

    # -- hooks for subclasses -----------------------------------------------------------
    def _check_params(self) -> None:
        """Validate the constructor parameters (called at the start of fit)."""

    def _min_samples(self) -> int:
        return 2

    def _fit(self, X: np.ndarray) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _score(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _training_scores(self, X: np.ndarray) -> np.ndarray:
        return self._score(X)

    def _check_fitted(self, method: str) -> None:
        if not self.__sklearn_is_fitted__():
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet; call .fit(X_train) first (on the training data), "
                f"then .{method}(X)."
            )

    def _check_names(self, X: Any) -> None:
        fitted = getattr(self, "feature_names_in_", None)
        names = _feature_names(X)
        if fitted is None or names is None or list(names) == list(fitted):
            return
        raise ValueError(
            f"X has columns {list(names)[:6]} but the detector was fitted on columns {list(fitted)[:6]}; "
            "pass the same columns in the same order, e.g. X[det.feature_names_in_]."
        )
