"""Classical detectors: z-score, Isolation Forest, LOF, One-Class SVM, PCA, kNN distance.

The baselines a deep model has to beat, each a :class:`~anomaly_helpers.detectors.BaseDetector`.

See Also
--------
anomaly_helpers.detectors : the interface they share, and how it maps to scikit-learn and PyOD.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

from anomaly_helpers._validate import (
    check_bool,
    check_choice,
    check_fraction,
    check_positive_int,
    seed_from_random_state,
)
from anomaly_helpers.detectors.base import BaseDetector

__all__ = [
    "ZScoreDetector",
    "IsolationForestDetector",
    "LOFDetector",
    "OneClassSVMDetector",
    "PCADetector",
    "KNNDetector",
]


class _ScaledDetector(BaseDetector):
    """A detector that optionally standardises with a StandardScaler fitted on the training data.

    Prefer ``make_pipeline(StandardScaler(), detector)`` with ``scale=False``: the pipeline
    makes the scaling visible and is what scikit-learn and PyOD users write.
    """

    scale: bool

    def _scale_fit(self, X: np.ndarray) -> np.ndarray:
        from sklearn.preprocessing import StandardScaler

        if check_bool(self.scale, "scale"):
            self.scaler_ = StandardScaler().fit(X)
            return self.scaler_.transform(X)
        self.scaler_ = None
        return X

    def _scale(self, X: np.ndarray) -> np.ndarray:
        return self.scaler_.transform(X) if self.scaler_ is not None else X


class ZScoreDetector(BaseDetector):
    """Per-feature z-score against the training mean and standard deviation.

    Each feature is standardised with the *training* mean and standard deviation,
    ``z_ij = (x_ij - mean_j) / std_j``, then combined into one score per sample:

    * ``method="mean_sq"`` (default): ``mean_j z_ij**2`` — a diagonal Mahalanobis
      distance (squared, divided by the number of features). It uses every feature, so
      many moderately unusual values add up; on the breast-cancer (WBC) data it ranks
      anomalies better than ``"max"`` (ROC-AUC about 0.93 vs 0.90).
    * ``method="max"``: ``max_j |z_ij|`` — "how many standard deviations is the most
      extreme feature away from normal". Easy to explain and to threshold (3 is the
      classical rule of thumb), but it listens to one feature only.

    Features with zero variance in the training data get ``std = 1`` (as scikit-learn's
    ``StandardScaler`` does), so a deviation there counts in raw units.

    When to use: the simplest baseline; fine when anomalies are extreme in at least one
    feature, blind to unusual *combinations* of normal-looking values. It standardises by
    itself, so it needs no scaler.

    Parameters
    ----------
    method : {"mean_sq", "max"}, default "mean_sq"
    contamination : float in (0, 0.5], default 0.1
        Expected fraction of anomalies; sets ``threshold_`` (PyOD's default 0.1).

    Attributes
    ----------
    mean_, std_ : ndarray of shape (n_features,)
    zero_variance_ : ndarray of shape (n_features,) and dtype bool
    decision_scores_, threshold_, labels_ : see :class:`BaseDetector`.

    See Also
    --------
    Lesson 01 (what is anomaly detection) and lesson 02 (preprocessing).
    """

    name = "zscore"

    def __init__(self, method: str = "mean_sq", contamination: float = 0.1) -> None:
        self.method = method
        self.contamination = contamination

    def _check_params(self) -> None:
        check_choice(self.method, "method", ("mean_sq", "max"))

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


class IsolationForestDetector(BaseDetector):
    """Isolation Forest: anomalies are isolated by fewer random splits.

    ``decision_function(X)`` is ``-IsolationForest.score_samples(X)`` (in (0, 1]; about 0.5
    for ordinary points, near 1 for anomalies) — the opposite sign of scikit-learn's
    ``score_samples``, the same as PyOD's ``IForest.decision_function`` up to a constant
    shift. No scaling needed: splits are per-feature.

    When to use: the first baseline to try on tabular data; fast, few knobs, insensitive
    to feature scale.

    Parameters
    ----------
    n_estimators : int, default 200
        Number of trees.
    max_samples : int, float or "auto", default "auto"
        Sub-sample size per tree (scikit-learn's meaning).
    contamination : float in (0, 0.5], default 0.1
    random_state : None, int or numpy.random.Generator, default 0
        Seeds the trees (a Generator gives a seed drawn from it at each fit).

    Attributes
    ----------
    model_ : sklearn.ensemble.IsolationForest
    decision_scores_, threshold_, labels_ : see :class:`BaseDetector`.

    See Also
    --------
    sklearn.ensemble.IsolationForest, pyod.models.iforest.IForest
    Lesson 01 (what is anomaly detection) and lesson 07 (the article's code example).
    """

    name = "iforest"

    def __init__(
        self,
        n_estimators: int = 200,
        max_samples: int | float | str = "auto",
        contamination: float = 0.1,
        random_state: Any = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.contamination = contamination
        self.random_state = random_state

    def _check_params(self) -> None:
        check_positive_int(self.n_estimators, "n_estimators")
        ms = self.max_samples
        if not (ms == "auto" or isinstance(ms, numbers.Real) and not isinstance(ms, bool)):
            raise TypeError(f"max_samples must be 'auto', an int or a fraction in (0, 1], got {ms!r}.")

    def _fit(self, X: np.ndarray) -> None:
        from sklearn.ensemble import IsolationForest

        seed = seed_from_random_state(self.random_state, "random_state")
        self.model_ = IsolationForest(
            n_estimators=self.n_estimators, max_samples=self.max_samples, random_state=seed
        ).fit(X)

    def _score(self, X: np.ndarray) -> np.ndarray:
        return -self.model_.score_samples(X)


class LOFDetector(_ScaledDetector):
    """Local Outlier Factor: how much sparser a point's neighbourhood is than its neighbours'.

    Wraps ``LocalOutlierFactor(novelty=True)``; ``decision_function(X)`` is
    ``-score_samples(X)``, i.e. the LOF itself (about 1 for inliers, larger for outliers).
    ``decision_scores_`` are the leave-one-out LOF of the training points
    (``-negative_outlier_factor_``): a training point is not its own neighbour, as in PyOD.
    ``decision_function`` treats every input as *new*, so scoring the training data with it
    gives lower (self-matched) scores than ``decision_scores_``.

    When to use: clusters of different densities; needs scaled features.

    Parameters
    ----------
    n_neighbors : int, default 20
    scale : bool, default True
        Standardise with a StandardScaler fitted on the training data. Recommended instead:
        ``make_pipeline(StandardScaler(), LOFDetector(scale=False))``.
    contamination : float in (0, 0.5], default 0.1

    See Also
    --------
    sklearn.neighbors.LocalOutlierFactor, pyod.models.lof.LOF
    Lesson 01 (what is anomaly detection) and lesson 02 (preprocessing).
    """

    name = "lof"

    def __init__(self, n_neighbors: int = 20, scale: bool = True, contamination: float = 0.1) -> None:
        self.n_neighbors = n_neighbors
        self.scale = scale
        self.contamination = contamination

    def _check_params(self) -> None:
        check_positive_int(self.n_neighbors, "n_neighbors")
        check_bool(self.scale, "scale")

    def _min_samples(self) -> int:
        return check_positive_int(self.n_neighbors, "n_neighbors") + 1

    def _fit(self, X: np.ndarray) -> None:
        from sklearn.neighbors import LocalOutlierFactor

        self.model_ = LocalOutlierFactor(n_neighbors=self.n_neighbors, novelty=True).fit(self._scale_fit(X))

    def _score(self, X: np.ndarray) -> np.ndarray:
        return -self.model_.score_samples(self._scale(X))

    def _training_scores(self, X: np.ndarray) -> np.ndarray:
        return -np.asarray(self.model_.negative_outlier_factor_, dtype=np.float64)


class OneClassSVMDetector(_ScaledDetector):
    """One-Class SVM: a smooth boundary around the training data (RBF kernel).

    ``decision_function(X)`` is ``-OneClassSVM.decision_function(X)``: positive outside the
    learned boundary, negative inside. ``nu`` is an upper bound on the fraction of training
    points left outside (set it near the expected contamination).

    When to use: small to medium data sets (training is quadratic in n_samples); needs
    scaled features.

    Parameters
    ----------
    nu : float in (0, 1], default 0.05
    gamma : "scale", "auto" or float > 0, default "scale"
    scale : bool, default True
        Recommended instead: ``make_pipeline(StandardScaler(), OneClassSVMDetector(scale=False))``.
    contamination : float in (0, 0.5], default 0.1

    See Also
    --------
    sklearn.svm.OneClassSVM, pyod.models.ocsvm.OCSVM
    Lesson 01 (what is anomaly detection).
    """

    name = "ocsvm"

    def __init__(
        self, nu: float = 0.05, gamma: str | float = "scale", scale: bool = True, contamination: float = 0.1
    ) -> None:
        self.nu = nu
        self.gamma = gamma
        self.scale = scale
        self.contamination = contamination

    def _check_params(self) -> None:
        check_fraction(self.nu, "nu", inclusive="right")
        gamma = self.gamma
        if isinstance(gamma, str):
            check_choice(gamma, "gamma", ("scale", "auto"))
        elif isinstance(gamma, bool) or not isinstance(gamma, numbers.Real) or not gamma > 0:
            raise ValueError(f"gamma must be 'scale', 'auto' or a positive number, got {gamma!r}.")
        check_bool(self.scale, "scale")

    def _fit(self, X: np.ndarray) -> None:
        from sklearn.svm import OneClassSVM

        self.model_ = OneClassSVM(nu=self.nu, gamma=self.gamma).fit(self._scale_fit(X))

    def _score(self, X: np.ndarray) -> np.ndarray:
        return -self.model_.decision_function(self._scale(X))


class PCADetector(_ScaledDetector):
    """PCA reconstruction error: distance of a point from the training data's main subspace.

    After standardisation (``scale=True``), the data are projected on the leading principal
    components and reconstructed; the score is the mean squared reconstruction error over
    features, the linear cousin of an autoencoder's score (:class:`AutoencoderDetector`).

    When to use: correlated features where anomalies break the correlations; a sanity
    baseline before training an autoencoder.

    Parameters
    ----------
    n_components : float in (0, 1) or int >= 1, default 0.9
        A float keeps the components explaining that fraction of the variance; an int keeps
        that many (it must be smaller than the number of features, otherwise every
        reconstruction is perfect and every score 0).
    scale : bool, default True
        Recommended instead: ``make_pipeline(StandardScaler(), PCADetector(scale=False))``.
    contamination : float in (0, 0.5], default 0.1

    Notes
    -----
    PyOD's ``PCA`` detector scores differently (weighted distances to the eigenvectors).

    See Also
    --------
    sklearn.decomposition.PCA
    Lesson 01 (what is anomaly detection).
    """

    name = "pca"

    def __init__(self, n_components: float | int = 0.9, scale: bool = True, contamination: float = 0.1) -> None:
        self.n_components = n_components
        self.scale = scale
        self.contamination = contamination

    def _check_params(self) -> None:
        nc = self.n_components
        if isinstance(nc, bool) or not isinstance(nc, numbers.Real):
            raise TypeError(
                f"n_components must be a fraction in (0, 1) or an int >= 1, got {nc!r} ({type(nc).__name__})."
            )
        if isinstance(nc, numbers.Integral):
            check_positive_int(nc, "n_components")
        else:
            check_fraction(nc, "n_components")
        check_bool(self.scale, "scale")

    def _fit(self, X: np.ndarray) -> None:
        from sklearn.decomposition import PCA

        nc = self.n_components
        if isinstance(nc, numbers.Integral) and nc >= min(X.shape):
            raise ValueError(
                f"n_components={nc} must be smaller than both n_samples and n_features "
                f"(X has shape {X.shape}); keep fewer components, e.g. n_components=0.9."
            )
        self.model_ = PCA(n_components=nc, svd_solver="full").fit(self._scale_fit(X))
        if self.model_.n_components_ >= X.shape[1]:
            warnings.warn(
                f"PCADetector kept all {X.shape[1]} components (n_components={nc}), so every "
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

    ``method="mean"`` averages the k distances, ``method="max"`` takes the k-th (largest)
    one (PyOD's ``KNN(method="mean")`` / ``"largest"``); both after standardisation when
    ``scale=True``.

    ``decision_scores_`` are leave-one-out: each training point is scored by its k nearest
    *other* training points, as in PyOD. ``decision_function`` treats every input as *new*,
    so a training point passed to it finds itself at distance 0 as its first neighbour
    (the "self-match"), which shrinks its score.

    When to use: a strong, simple baseline on small tabular data (it beats most methods in
    large benchmarks); slow on large data (every score searches the training set).

    Parameters
    ----------
    n_neighbors : int, default 5
    method : {"mean", "max"}, default "mean"
    scale : bool, default True
        Recommended instead: ``make_pipeline(StandardScaler(), KNNDetector(scale=False))``.
    contamination : float in (0, 0.5], default 0.1

    See Also
    --------
    sklearn.neighbors.NearestNeighbors, pyod.models.knn.KNN
    Lesson 01 (what is anomaly detection) and lesson 02 (preprocessing).
    """

    name = "knn"

    def __init__(
        self, n_neighbors: int = 5, method: str = "mean", scale: bool = True, contamination: float = 0.1
    ) -> None:
        self.n_neighbors = n_neighbors
        self.method = method
        self.scale = scale
        self.contamination = contamination

    def _check_params(self) -> None:
        check_positive_int(self.n_neighbors, "n_neighbors")
        check_choice(self.method, "method", ("mean", "max"))
        check_bool(self.scale, "scale")

    def _min_samples(self) -> int:
        return check_positive_int(self.n_neighbors, "n_neighbors") + 1

    def _fit(self, X: np.ndarray) -> None:
        from sklearn.neighbors import NearestNeighbors

        self.model_ = NearestNeighbors(n_neighbors=self.n_neighbors).fit(self._scale_fit(X))

    def _combine(self, dist: np.ndarray) -> np.ndarray:
        return dist.mean(axis=1) if self.method == "mean" else dist.max(axis=1)

    def _score(self, X: np.ndarray) -> np.ndarray:
        dist, _ = self.model_.kneighbors(self._scale(X))
        return self._combine(dist)

    def _training_scores(self, X: np.ndarray) -> np.ndarray:
        dist, _ = self.model_.kneighbors()  # X=None: each point's neighbours, excluding itself
        return self._combine(dist)
