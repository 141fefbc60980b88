"""Helpers for the course *Deep Learning for Anomaly Detection*.

Conventions used everywhere in the package:

* a **higher anomaly score means more anomalous**;
* **label 1 means anomaly**, label 0 means normal;
* plot helpers take ``ax=None`` and return the axes.

Importing the package sets two environment variables *before* TensorFlow is imported,
so that TensorFlow's C++ start-up lines do not clutter notebooks (and do not make
stored outputs differ between JupyterLab and the test run):

* ``TF_CPP_MIN_LOG_LEVEL=3`` silences the C++ log lines;
* ``TF_ENABLE_ONEDNN_OPTS=0`` turns off oneDNN's custom operations, whose results
  depend on the number of CPU threads (and which print a notice).

Submodules are imported on first use, so ``import anomaly_helpers`` stays fast and
does not import TensorFlow.
"""

from __future__ import annotations

import importlib
import os
import sys
import warnings

__version__ = "0.1.0"

_TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}

if "tensorflow" in sys.modules:
    warnings.warn(
        "TensorFlow was imported before anomaly_helpers, so its log level and oneDNN setting "
        "could not be applied (expect extra log lines and thread-dependent results). "
        "Restart the kernel and import anomaly_helpers before tensorflow or keras.",
        RuntimeWarning,
        stacklevel=2,
    )
os.environ.update(_TF_ENV)

_SUBMODULES = (
    "baselines",
    "data",
    "datasets",
    "detectors",
    "ecg",
    "exercises",
    "metrics",
    "models",
    "plotting",
    "preprocessing",
    "repro",
    "scoring",
    "series",
    "splits",
    "synthetic",
    "training",
)

__all__ = ["setup_lesson", "doctor", "__version__", *_SUBMODULES]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in ("setup_lesson", "doctor"):
        return getattr(importlib.import_module(f"{__name__}.repro"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
