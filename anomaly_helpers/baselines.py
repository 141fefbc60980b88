"""TRANSITIONAL: the old name of :mod:`anomaly_helpers.detectors`, kept until the lessons migrate.

Use :mod:`anomaly_helpers.detectors` in new code: ``decision_function(X)`` instead of
``score(X)``, and ``fit(X).decision_scores_`` instead of ``fit_score(X)``. The classes here
are the new detectors plus those two old methods, so lessons written against this module
print the same numbers as before.
"""

# TRANSITIONAL: remove this module when lessons use decision_function

from __future__ import annotations

from typing import Any

import numpy as np

from anomaly_helpers import detectors as _detectors
from anomaly_helpers.detectors import BaseDetector, compare_detectors

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

Detector = BaseDetector  # TRANSITIONAL: remove when lessons use decision_function


class _OldMethods:
    """TRANSITIONAL: ``score`` and ``fit_score`` of the old ``baselines.Detector``."""

    def score(self, X: Any) -> np.ndarray:  # TRANSITIONAL: remove when lessons use decision_function
        """Old name of ``decision_function(X)``."""
        return self.decision_function(X)

    def fit_score(self, X: Any) -> np.ndarray:  # TRANSITIONAL: remove when lessons use decision_function
        """Old name of ``fit(X).decision_scores_`` (leave-one-out for kNN and LOF)."""
        return self.fit(X).decision_scores_


# TRANSITIONAL: remove these subclasses when lessons use decision_function
class ZScoreDetector(_OldMethods, _detectors.ZScoreDetector):
    __doc__ = _detectors.ZScoreDetector.__doc__


class IsolationForestDetector(_OldMethods, _detectors.IsolationForestDetector):
    __doc__ = _detectors.IsolationForestDetector.__doc__


class LOFDetector(_OldMethods, _detectors.LOFDetector):
    __doc__ = _detectors.LOFDetector.__doc__


class OneClassSVMDetector(_OldMethods, _detectors.OneClassSVMDetector):
    __doc__ = _detectors.OneClassSVMDetector.__doc__


class PCADetector(_OldMethods, _detectors.PCADetector):
    __doc__ = _detectors.PCADetector.__doc__


class KNNDetector(_OldMethods, _detectors.KNNDetector):
    __doc__ = _detectors.KNNDetector.__doc__


DETECTORS = {  # TRANSITIONAL: remove when lessons use decision_function
    cls.name: cls
    for cls in (ZScoreDetector, IsolationForestDetector, LOFDetector, OneClassSVMDetector, PCADetector, KNNDetector)
}


def make_detector(name: str, **kwargs: Any) -> BaseDetector:  # TRANSITIONAL: remove when lessons use decision_function
    """Old :func:`anomaly_helpers.detectors.make_detector`, building detectors that also have ``score``."""
    if not isinstance(name, str) or name not in DETECTORS:
        raise ValueError(f"name must be one of {list(DETECTORS)}, got {name!r}; pass e.g. name='iforest'.")
    return DETECTORS[name](**kwargs)
