"""Classical anomaly detectors behind one small interface.

Every detector follows the same two-step recipe::

    det = make_detector("iforest").fit(X_train)   # learn what "normal" looks like
    scores = det.score(X_test)                    # higher score = more anomalous

scikit-learn's own detectors use the opposite sign (``decision_function`` and
``score_samples`` are *high for normal* points); the wrappers here flip it, so a
learner only ever meets one convention: **a higher anomaly score means more
anomalous; label 1 means anomaly**.

The detectors are the baselines a deep model has to beat: a per-feature z-score,
Isolation Forest, Local Outlier Factor, One-Class SVM, PCA reconstruction error and
k-nearest-neighbour distance.

See Also
--------
Lesson 01 (what is anomaly detection) introduces the baselines; lesson 06 (evaluation
metrics) and lesson 08 (practice) compare them with :func:`compare_detectors`.
"""

from __future__ import annotations

import inspect
import numbers
import warnings
from typing import Any

import numpy as np
import pandas as pd

from anomaly_helpers._validate import (
    check_choice,
    check_features,
    check_fraction,
    check_labels,
    check_positive_int,
)

__all__ = [
    "Detector",
    "ZScoreDetector",
    "IsolationForestDetector",
    "LOFDetector",
    "OneClassSVMDetector",
    "PCADetector",
    "KNNDetector",
    "DETECTORS",
    "make_detector",
    "compare_detectors",
]


def _check_bool(v: Any, name: str) -> bool:
    if not isinstance(v, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {v!r} ({type(v).__name__}).")
    return bool(v)


def _check_random_state(v: Any, name: str = "random_state") -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
        raise TypeError(f"{name} must be a non-negative int (or None), got {v!r}; pass e.g. random_state=0.")
    return int(v)


class Detector:
    """Base class: ``fit(X_train)`` then ``score(X)``; higher score = more anomalous.

    Subclasses implement ``_fit(X)`` and ``_score(X)`` on validated float arrays; the
    base class validates inputs, remembers the number of features seen in ``fit`` and
    refuses to score before fitting.

    Attributes
    ----------
    name : str
        Short name, as accepted by :func:`make_detector` (e.g. ``"iforest"``).
    n_features_in_ : int
        Number of features seen in :meth:`fit` (only after fitting).

    See Also
    --------
    make_detector : build a detector from its short name.
    Lesson 01 (what is anomaly detection) and lesson 06 (evaluation metrics).
    """

    name: str = "detector"

    # -- public API ---------------------------------------------------------
    def fit(self, X_train: Any) -> Detector:
        """Learn what normal data looks like.

        Parameters
        ----------
        X_train : array-like of shape (n_samples, n_features)
            Training data, ideally normal samples only (one-class setting), or the
            whole unlabelled set (unsupervised setting).

        Returns
        -------
        self : Detector
            The fitted detector, so that ``det.fit(X).score(X_new)`` chains.
        """
        X = check_features(X_train, "X_train", min_samples=self._min_samples())
        self._fit(X)
        self.n_features_in_ = X.shape[1]
        return self

    def score(self, X: Any) -> np.ndarray:
        """Anomaly score of each sample: higher means more anomalous.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data with the same columns as the training data.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        self._check_fitted()
        X = check_features(X, "X", n_features=self.n_features_in_)
        return np.asarray(self._score(X), dtype=np.float64).ravel()

    def fit_score(self, X: Any) -> np.ndarray:
        """Fit on ``X`` and return the anomaly scores of the same samples.

        This is the *unsupervised* setting of the ODDS/PyOD benchmarks: no clean
        training set, the detector sees all data (anomalies included) and ranks it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        return self.fit(X).score(X)

    @property
    def fitted(self) -> bool:
        """Whether :meth:`fit` has been called."""
        return hasattr(self, "n_features_in_")

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters and their current values."""
        sig = inspect.signature(type(self).__init__)
        return {p: getattr(self, p) for p in sig.parameters if p != "self"}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    # -- hooks for subclasses --------------------------------------------------
    def _min_samples(self) -> int:
        return 2

    def _fit(self, X: np.ndarray) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _score(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _check_fitted(self) -> None:
        if not self.fitted:
            raise RuntimeError(
                f"This {type(self).__name__} is not fitted yet; call .fit(X_train) first, then .score(X)."
            )


class _ScaledDetector(Detector):
    """A detector that optionally standardises with a StandardScaler fitted on the training data."""

    scale: bool

    def _scale_fit(self, X: np.ndarray) -> np.ndarray:
        from sklearn.preprocessing import StandardScaler

        if self.scale:
            self.scaler_ = StandardScaler().fit(X)
            return self.scaler_.transform(X)
        self.scaler_ = None
        return X

    def _scale(self, X: np.ndarray) -> np.ndarray:
        return self.scaler_.transform(X) if self.scaler_ is not None else X


class ZScoreDetector(Detector):
    """Per-feature z-score against the training mean and standard deviation.

    Each feature is standardised with the *training* mean and standard deviation,
    ``z_ij = (x_ij - mean_j) / std_j``, then combined into one score per sample:

    * ``method="mean_sq"`` (default): ``mean_j z_ij**2`` — a diagonal Mahalanobis
      distance (squared, divided by the number of features). It uses every feature,
      so many moderately unusual values add up; on the breast-cancer (WBC) data it
      ranks anomalies better than ``"max"`` (ROC-AUC about 0.93 vs 0.90).
    * ``method="max"``: ``max_j |z_ij|`` — "how many standard deviations is the most
      extreme feature away from normal". Easy to explain and to threshold (3 is the
      classical rule of thumb), but it listens to one feature only.

    Features with zero variance in the training data get ``std = 1`` (as
    scikit-learn's ``StandardScaler`` does), so a deviation there counts in raw units
    instead of dividing by zero.

    When to use: the simplest baseline; fine when anomalies are extreme in at least
    one feature, blind to unusual *combinations* of normal-looking values.

    Parameters
    ----------
    method : {"mean_sq", "max"}, default "mean_sq"

    See Also
    --------
    Lesson 01 (what is anomaly detection) and lesson 02 (preprocessing).
    """

    name = "zscore"

    def __init__(self, method: str = "mean_sq") -> None:
        self.method = check_choice(method, "method", ("mean_sq", "max"))

    def _fit(self, X: np.ndarray) -> None:
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.zero_variance_ = std <= 1e-12 * np.maximum(1.0, np.abs(self.mean_))
        self.std_ = np.where(self.zero_variance_, 1.0, std)

    def _score(self, X: np.ndarray) -> np.ndarray:
        z = (X - self.mean_) / self.std_
        if self.method == "max":
            return np.abs(z).max(axis=1)
        return (z**2).mean(axis=1)


class IsolationForestDetector(Detector):
    """Isolation Forest: anomalies are isolated by fewer random splits.

    Score is ``-IsolationForest.score_samples(X)`` (in (0, 1]; about 0.5 for ordinary
    points, near 1 for anomalies). No scaling needed: splits are per-feature.

    When to use: the first baseline to try on tabular data; fast, few knobs,
    insensitive to feature scale.

    Parameters
    ----------
    n_estimators : int, default 200
        Number of trees.
    max_samples : int, float or "auto", default "auto"
        Sub-sample size per tree (scikit-learn's meaning).
    random_state : int or None, default 0

    See Also
    --------
    sklearn.ensemble.IsolationForest
    Lesson 01 (what is anomaly detection) and lesson 08 (practice).
    """

    name = "iforest"

    def __init__(self, n_estimators: int = 200, max_samples: int | float | str = "auto", random_state: int | None = 0):
        self.n_estimators = check_positive_int(n_estimators, "n_estimators")
        if not (max_samples == "auto" or isinstance(max_samples, numbers.Real) and not isinstance(max_samples, bool)):
            raise TypeError(f"max_samples must be 'auto', an int or a fraction in (0, 1], got {max_samples!r}.")
        self.max_samples = max_samples
        self.random_state = _check_random_state(random_state)

    def _fit(self, X: np.ndarray) -> None:
        from sklearn.ensemble import IsolationForest

        self.model_ = IsolationForest(
            n_estimators=self.n_estimators, max_samples=self.max_samples, random_state=self.random_state
        ).fit(X)

    def _score(self, X: np.ndarray) -> np.ndarray:
        return -self.model_.score_samples(X)


class LOFDetector(_ScaledDetector):
    """Local Outlier Factor: how much sparser a point's neighbourhood is than its neighbours'.

    Wraps ``LocalOutlierFactor(novelty=True)``; the score is ``-score_samples(X)``,
    i.e. the LOF itself (about 1 for inliers, larger for outliers).

    Scoring the training set: :meth:`score` treats every input as *new*, so a training
    point finds itself among its neighbours. :meth:`fit_score` instead returns the
    leave-self-out LOF of the training points (``-negative_outlier_factor_``), the
    value ODDS/PyOD benchmarks report.

    When to use: clusters of different densities; needs scaled features (done here
    when ``scale=True``).

    Parameters
    ----------
    n_neighbors : int, default 20
    scale : bool, default True
        Standardise with a StandardScaler fitted on the training data.

    See Also
    --------
    sklearn.neighbors.LocalOutlierFactor
    Lesson 01 (what is anomaly detection) and lesson 08 (practice).
    """

    name = "lof"

    def __init__(self, n_neighbors: int = 20, scale: bool = True) -> None:
        self.n_neighbors = check_positive_int(n_neighbors, "n_neighbors")
        self.scale = _check_bool(scale, "scale")

    def _min_samples(self) -> int:
        return self.n_neighbors + 1

    def _fit(self, X: np.ndarray) -> None:
        from sklearn.neighbors import LocalOutlierFactor

        self.model_ = LocalOutlierFactor(n_neighbors=self.n_neighbors, novelty=True).fit(self._scale_fit(X))

    def _score(self, X: np.ndarray) -> np.ndarray:
        return -self.model_.score_samples(self._scale(X))

    def fit_score(self, X: Any) -> np.ndarray:
        """Fit on ``X`` and return the leave-self-out LOF of each training sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        self.fit(X)
        return -np.asarray(self.model_.negative_outlier_factor_, dtype=np.float64)


class OneClassSVMDetector(_ScaledDetector):
    """One-Class SVM: a smooth boundary around the training data (RBF kernel).

    Score is ``-decision_function(X)``: positive outside the learned boundary,
    negative inside. ``nu`` is an upper bound on the fraction of training points left
    outside (set it near the expected contamination).

    When to use: small to medium data sets (training is quadratic in n_samples);
    needs scaled features (done here when ``scale=True``).

    Parameters
    ----------
    nu : float in (0, 1], default 0.05
    gamma : "scale", "auto" or float > 0, default "scale"
    scale : bool, default True

    See Also
    --------
    sklearn.svm.OneClassSVM
    Lesson 01 (what is anomaly detection) and lesson 08 (practice).
    """

    name = "ocsvm"

    def __init__(self, nu: float = 0.05, gamma: str | float = "scale", scale: bool = True) -> None:
        self.nu = check_fraction(nu, "nu", inclusive="right")
        if isinstance(gamma, str):
            check_choice(gamma, "gamma", ("scale", "auto"))
        elif isinstance(gamma, bool) or not isinstance(gamma, numbers.Real) or not gamma > 0:
            raise ValueError(f"gamma must be 'scale', 'auto' or a positive number, got {gamma!r}.")
        self.gamma = gamma
        self.scale = _check_bool(scale, "scale")

    def _fit(self, X: np.ndarray) -> None:
        from sklearn.svm import OneClassSVM

        self.model_ = OneClassSVM(nu=self.nu, gamma=self.gamma).fit(self._scale_fit(X))

    def _score(self, X: np.ndarray) -> np.ndarray:
        return -self.model_.decision_function(self._scale(X))


class PCADetector(_ScaledDetector):
    """PCA reconstruction error: distance of a point from the training data's main subspace.

    After standardisation (``scale=True``), the data are projected on the leading
    principal components and reconstructed; the score is the mean squared
    reconstruction error over features, the linear cousin of an autoencoder's score.

    When to use: correlated features where anomalies break the correlations; a
    sanity baseline before training an autoencoder.

    Parameters
    ----------
    n_components : float in (0, 1) or int >= 1, default 0.9
        A float keeps the components explaining that fraction of the variance; an
        int keeps that many (it must be smaller than the number of features,
        otherwise every reconstruction is perfect and every score 0).
    scale : bool, default True

    See Also
    --------
    sklearn.decomposition.PCA
    Lesson 05 (training an autoencoder) and lesson 08 (practice).
    """

    name = "pca"

    def __init__(self, n_components: float | int = 0.9, scale: bool = True) -> None:
        if isinstance(n_components, bool) or not isinstance(n_components, numbers.Real):
            raise TypeError(
                f"n_components must be a fraction in (0, 1) or an int >= 1, got {n_components!r} "
                f"({type(n_components).__name__})."
            )
        if isinstance(n_components, numbers.Integral):
            n_components = check_positive_int(n_components, "n_components")
        else:
            n_components = check_fraction(n_components, "n_components")
        self.n_components = n_components
        self.scale = _check_bool(scale, "scale")

    def _fit(self, X: np.ndarray) -> None:
        from sklearn.decomposition import PCA

        if isinstance(self.n_components, int) and self.n_components >= min(X.shape):
            raise ValueError(
                f"n_components={self.n_components} must be smaller than both n_samples and n_features "
                f"(X_train has shape {X.shape}); keep fewer components, e.g. n_components=0.9."
            )
        self.model_ = PCA(n_components=self.n_components, svd_solver="full").fit(self._scale_fit(X))
        if self.model_.n_components_ >= X.shape[1]:
            warnings.warn(
                f"PCADetector kept all {X.shape[1]} components (n_components={self.n_components}), so every "
                "reconstruction is perfect and every score about 0; pass a smaller n_components.",
                UserWarning,
                stacklevel=3,
            )

    def _score(self, X: np.ndarray) -> np.ndarray:
        Z = self._scale(X)
        recon = self.model_.inverse_transform(self.model_.transform(Z))
        return ((Z - recon) ** 2).mean(axis=1)


class KNNDetector(_ScaledDetector):
    """Distance to the k nearest training points.

    ``method="mean"`` averages the k distances, ``method="max"`` takes the k-th
    (largest) one; both after standardisation when ``scale=True``.

    Scoring the training set: :meth:`score` treats every input as *new*, so a point
    that is itself in the training set finds itself at distance 0 as its first
    neighbour (the "self-match"), which shrinks its score. :meth:`fit_score` excludes
    the point itself and uses its k nearest *other* points, as PyOD does; use it for
    the unsupervised setting (fit and score the same data).

    When to use: a strong, simple baseline on small tabular data; slow on large data
    (every score searches the training set).

    Parameters
    ----------
    n_neighbors : int, default 5
    method : {"mean", "max"}, default "mean"
    scale : bool, default True

    See Also
    --------
    sklearn.neighbors.NearestNeighbors
    Lesson 01 (what is anomaly detection) and lesson 08 (practice).
    """

    name = "knn"

    def __init__(self, n_neighbors: int = 5, method: str = "mean", scale: bool = True) -> None:
        self.n_neighbors = check_positive_int(n_neighbors, "n_neighbors")
        self.method = check_choice(method, "method", ("mean", "max"))
        self.scale = _check_bool(scale, "scale")

    def _min_samples(self) -> int:
        return self.n_neighbors + 1

    def _fit(self, X: np.ndarray) -> None:
        from sklearn.neighbors import NearestNeighbors

        self.model_ = NearestNeighbors(n_neighbors=self.n_neighbors).fit(self._scale_fit(X))

    def _combine(self, dist: np.ndarray) -> np.ndarray:
        return dist.mean(axis=1) if self.method == "mean" else dist.max(axis=1)

    def _score(self, X: np.ndarray) -> np.ndarray:
        dist, _ = self.model_.kneighbors(self._scale(X))
        return self._combine(dist)

    def fit_score(self, X: Any) -> np.ndarray:
        """Fit on ``X`` and score each training sample by its k nearest *other* samples.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        self.fit(X)
        dist, _ = self.model_.kneighbors()  # X=None: each point's neighbours, excluding itself
        return self._combine(dist)


#: Short name -> detector class, as used by :func:`make_detector`.
DETECTORS: dict[str, type[Detector]] = {
    cls.name: cls
    for cls in (
        ZScoreDetector,
        IsolationForestDetector,
        LOFDetector,
        OneClassSVMDetector,
        PCADetector,
        KNNDetector,
    )
}


def make_detector(name: str, **kwargs: Any) -> Detector:
    """Build a detector from its short name.

    Parameters
    ----------
    name : {"zscore", "iforest", "lof", "ocsvm", "pca", "knn"}
    **kwargs
        Passed to the detector's constructor (e.g. ``n_neighbors=10``).

    Returns
    -------
    Detector
        An unfitted detector.

    Examples
    --------
    >>> det = make_detector("knn", n_neighbors=10)
    >>> det
    KNNDetector(n_neighbors=10, method='mean', scale=True)

    See Also
    --------
    compare_detectors : fit and evaluate several detectors at once.
    Lesson 01 (what is anomaly detection).
    """
    if not isinstance(name, str) or name not in DETECTORS:
        raise ValueError(f"name must be one of {list(DETECTORS)}, got {name!r}.")
    return DETECTORS[name](**kwargs)


def _as_detectors(detectors: Any) -> dict[str, Detector]:
    if detectors is None:
        return {n: make_detector(n) for n in DETECTORS}
    if isinstance(detectors, (str, Detector)):
        detectors = [detectors]
    if isinstance(detectors, dict):
        items = list(detectors.items())
        for key, det in items:
            if not isinstance(det, Detector):
                raise TypeError(
                    f"detectors[{key!r}] is a {type(det).__name__}, not a Detector; "
                    "pass detectors built with make_detector(...)."
                )
        return {str(k): d for k, d in items}
    try:
        seq = list(detectors)
    except TypeError:
        raise TypeError(
            f"detectors must be None, a list of names/Detectors or a dict, got {type(detectors).__name__}."
        ) from None
    out: dict[str, Detector] = {}
    for d in seq:
        if isinstance(d, str):
            d = make_detector(d)
        elif not isinstance(d, Detector):
            raise TypeError(
                f"detectors contains a {type(d).__name__}; pass short names (e.g. 'iforest') or Detector objects."
            )
        key = d.name
        i = 2
        while key in out:  # two detectors of the same kind: knn, knn_2, ...
            key = f"{d.name}_{i}"
            i += 1
        out[key] = d
    if not out:
        raise ValueError("detectors is empty; pass at least one name or Detector, or None for all of them.")
    return out


def compare_detectors(
    X_train: Any,
    X_test: Any,
    y_test: Any,
    detectors: Any = None,
) -> pd.DataFrame:
    """Fit each detector on ``X_train``, score ``X_test`` and report ROC-AUC and PR-AUC.

    Parameters
    ----------
    X_train : array-like of shape (n_train, n_features)
        Training data (normal samples only in the one-class setting).
    X_test : array-like of shape (n_test, n_features) or None
        Data to score. ``None`` means the *unsupervised* setting: each detector is
        fitted on ``X_train`` and scores ``X_train`` itself with ``fit_score``
        (leave-self-out for kNN and LOF); ``y_test`` then labels ``X_train``.
    y_test : array-like of shape (n_test,)
        Labels of the scored samples, 1 = anomaly, 0 = normal (both needed).
    detectors : None, list of str or Detector, or dict of name -> Detector
        ``None`` compares all six detectors with their default settings.

    Returns
    -------
    DataFrame
        One row per detector (index = name), columns ``roc_auc`` and ``pr_auc``
        (average precision), rounded to 3 decimals. Timings are left out on
        purpose: they vary between machines and runs.

    See Also
    --------
    make_detector : build one detector.
    Lesson 06 (evaluation metrics) and lesson 08 (practice).
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    Xtr = check_features(X_train, "X_train", min_samples=2)
    if X_test is None:
        y = check_labels(y_test, "y_test", n=Xtr.shape[0], require_both=True)
        Xte = None
    else:
        Xte = check_features(X_test, "X_test", n_features=Xtr.shape[1])
        y = check_labels(y_test, "y_test", n=Xte.shape[0], require_both=True)
    rows = {}
    for key, det in _as_detectors(detectors).items():
        scores = det.fit_score(Xtr) if Xte is None else det.fit(Xtr).score(Xte)
        rows[key] = {
            "roc_auc": round(float(roc_auc_score(y, scores)), 3),
            "pr_auc": round(float(average_precision_score(y, scores)), 3),
        }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["roc_auc", "pr_auc"])
    table.index.name = "detector"
    return table
