"""Anomaly detectors as scikit-learn estimators with PyOD's names.

Every detector is a scikit-learn estimator (``get_params``, ``set_params``, ``clone``,
``Pipeline``, ``GridSearchCV`` all work) with the interface of PyOD. With ``X_train`` of
shape (n_train, n_features) and ``X`` of shape (n_samples, n_features)::

    det = KNNDetector(contamination=0.05).fit(X_train)   # y is ignored (accepted for Pipeline)
    det.decision_scores_        # (n_train,) training scores (leave-one-out for kNN and LOF)
    det.threshold_              # float: the (1 - contamination) quantile of decision_scores_
    det.labels_                 # (n_train,) 1 where decision_scores_ >= threshold_, else 0
    det.decision_function(X)    # (n_samples,) anomaly scores: higher = more anomalous
    det.predict(X)              # (n_samples,) 1 (anomaly) where decision_function(X) >= threshold_, else 0

The classical detectors are :class:`ZScoreDetector`, :class:`IsolationForestDetector`,
:class:`LOFDetector`, :class:`OneClassSVMDetector`, :class:`PCADetector` and
:class:`KNNDetector`; :class:`AutoencoderDetector` is a Keras autoencoder with the same
interface, so deep and classical detectors compare in one loop (:func:`compare_detectors`).

Scale with a pipeline, so that the scaler is fitted on the training data only and travels
with the detector: ``make_pipeline(StandardScaler(), KNNDetector(scale=False))``. (The
``scale=True`` default of the distance-based detectors does the same inside the detector.)

How the names map to the libraries learners move on to:

* **PyOD** uses the same names and signs (``fit``, ``decision_function``,
  ``decision_scores_``, ``threshold_``, ``labels_``, ``predict`` with 1 = anomaly);
  PyOD labels with ``>`` the threshold, the course with ``>=``.
* **scikit-learn's own detectors** (``IsolationForest``, ``LocalOutlierFactor``,
  ``OneClassSVM``) use the opposite sign: their ``score_samples`` and ``decision_function``
  are *high for normal* points, and their ``predict`` returns -1 for an outlier and 1 for
  an inlier. The wrappers flip the sign once, so a learner meets one convention:
  **a higher anomaly score means more anomalous; label 1 means anomaly.** (They are
  therefore not tagged as scikit-learn "outlier detectors", whose contract is -1/1.)

Parameters are stored unchanged by ``__init__`` and checked in ``fit`` (scikit-learn's
rule), so a bad value is reported when the detector is fitted. ``threshold_`` comes from
the training scores, as in PyOD; the course chooses thresholds on held-out validation data
instead (lesson 06), e.g. with :func:`anomaly_helpers.scoring.threshold_best_f1`.

See Also
--------
anomaly_helpers.scoring : thresholds chosen on validation scores.
Lesson 01 (what is anomaly detection), lesson 02 (preprocessing, a detector in a pipeline)
and lesson 07 (the article's code example).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from anomaly_helpers._validate import check_features, check_labels
from anomaly_helpers.detectors.autoencoder import AutoencoderDetector
from anomaly_helpers.detectors.base import BaseDetector
from anomaly_helpers.detectors.classical import (
    IsolationForestDetector,
    KNNDetector,
    LOFDetector,
    OneClassSVMDetector,
    PCADetector,
    ZScoreDetector,
)

__all__ = [
    "BaseDetector",
    "ZScoreDetector",
    "IsolationForestDetector",
    "LOFDetector",
    "OneClassSVMDetector",
    "PCADetector",
    "KNNDetector",
    "AutoencoderDetector",
    "DETECTORS",
    "make_detector",
    "compare_detectors",
]

#: Short name -> detector class, as used by :func:`make_detector`.
DETECTORS: dict[str, type[BaseDetector]] = {
    cls.name: cls
    for cls in (
        ZScoreDetector,
        IsolationForestDetector,
        LOFDetector,
        OneClassSVMDetector,
        PCADetector,
        KNNDetector,
        AutoencoderDetector,
    )
}

#: The classical detectors :func:`compare_detectors` compares by default (fast, no training).
CLASSICAL = ("zscore", "iforest", "lof", "ocsvm", "pca", "knn")


def make_detector(name: str, **kwargs: Any) -> BaseDetector:
    """Build a detector from its short name.

    Parameters
    ----------
    name : {"zscore", "iforest", "lof", "ocsvm", "pca", "knn", "autoencoder"}
    **kwargs
        Passed to the detector's constructor (e.g. ``n_neighbors=10``); checked when it is fitted.

    Returns
    -------
    BaseDetector
        An unfitted detector.

    Examples
    --------
    >>> make_detector("knn", n_neighbors=10)
    KNNDetector(n_neighbors=10)

    See Also
    --------
    compare_detectors : fit and evaluate several detectors at once.
    Lesson 01 (what is anomaly detection).
    """
    if not isinstance(name, str) or name not in DETECTORS:
        raise ValueError(f"name must be one of {list(DETECTORS)}, got {name!r}; pass e.g. name='iforest'.")
    return DETECTORS[name](**kwargs)


def _short_name(det: Any) -> str:
    last = det.steps[-1][1] if hasattr(det, "steps") else det
    return getattr(last, "name", None) or type(last).__name__.lower()


def _check_detector(det: Any, where: str) -> Any:
    if isinstance(det, str):
        return make_detector(det)
    if not (hasattr(det, "fit") and hasattr(det, "decision_function")):
        raise TypeError(
            f"{where} is a {type(det).__name__}, not a detector; pass short names (e.g. 'iforest'), "
            "detectors built with make_detector(...) or pipelines ending in one."
        )
    return det


def _as_detectors(detectors: Any) -> dict[str, Any]:
    if detectors is None:
        return {n: make_detector(n) for n in CLASSICAL}
    if isinstance(detectors, str) or hasattr(detectors, "decision_function"):
        detectors = [detectors]
    if isinstance(detectors, dict):
        return {str(k): _check_detector(d, f"detectors[{k!r}]") for k, d in detectors.items()}
    try:
        seq = list(detectors)
    except TypeError:
        raise TypeError(
            f"detectors must be None, a list of names/detectors or a dict, got {type(detectors).__name__}."
        ) from None
    out: dict[str, Any] = {}
    for d in seq:
        d = _check_detector(d, "an entry of detectors")
        key = base = _short_name(d)
        i = 2
        while key in out:  # two detectors of the same kind: knn, knn_2, ...
            key = f"{base}_{i}"
            i += 1
        out[key] = d
    if not out:
        raise ValueError("detectors is empty; pass at least one name or detector, or None for the classical ones.")
    return out


def _training_scores(det: Any, X: Any) -> Any:
    last = det.steps[-1][1] if hasattr(det, "steps") else det
    scores = getattr(last, "decision_scores_", None)
    return scores if scores is not None else det.decision_function(X)


def compare_detectors(X_train: Any, X_test: Any, y_test: Any, detectors: Any = None) -> pd.DataFrame:
    """Fit each detector on ``X_train``, score ``X_test`` and report ROC-AUC and PR-AUC.

    Both metrics rank the scores and need no threshold, so ``contamination`` plays no
    part here (it only sets each detector's ``threshold_``). Choose a threshold on held-out
    validation data instead (lesson 06).

    Parameters
    ----------
    X_train : array-like of shape (n_train, n_features)
        Training data (normal samples only in the one-class setting).
    X_test : array-like of shape (n_test, n_features) or None
        Data to score with ``decision_function``. ``None`` means the *unsupervised* setting:
        each detector is fitted on ``X_train`` and its ``decision_scores_`` are ranked
        (leave-one-out for kNN and LOF); ``y_test`` then labels ``X_train``.
    y_test : array-like of shape (n_test,)
        Labels of the scored samples, 1 = anomaly, 0 = normal (both needed).
    detectors : None, list of str / detectors / pipelines, or dict of name -> detector
        ``None`` compares the six classical detectors with their default settings. The
        detectors are fitted in place (inspect them afterwards); a pipeline ending in a
        detector works too.

    Returns
    -------
    DataFrame
        One row per detector (index = name), columns ``roc_auc`` and ``pr_auc`` (average
        precision), rounded to 3 decimals. Timings are left out on purpose: they vary
        between machines and runs.

    See Also
    --------
    make_detector : build one detector.
    Lesson 01 (what is anomaly detection).
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
        det.fit(Xtr)
        scores = _training_scores(det, Xtr) if Xte is None else det.decision_function(Xte)
        rows[key] = {
            "roc_auc": round(float(roc_auc_score(y, scores)), 3),
            "pr_auc": round(float(average_precision_score(y, scores)), 3),
        }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["roc_auc", "pr_auc"])
    table.index.name = "detector"
    return table
