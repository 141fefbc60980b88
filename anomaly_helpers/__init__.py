"""Helpers for the course *Deep Learning for Anomaly Detection*.

Conventions used everywhere in the package:

* a **higher anomaly score means more anomalous**;
* **label 1 means anomaly**, label 0 means normal;
* plot helpers take ``ax=None`` and return the axes.

Importing the package puts TensorFlow's environment variables in place *before*
TensorFlow is imported (see :mod:`anomaly_helpers._env`, the one place that defines
them): quiet C++ logging, oneDNN off and two TensorFlow threads, so that stored
outputs do not depend on JupyterLab vs the test run, nor on the machine's core count.
A value you set yourself is kept, with a warning.

Submodules are imported on first use, so ``import anomaly_helpers`` stays fast and
does not import TensorFlow.
"""

from __future__ import annotations

import importlib

from anomaly_helpers import _env

__version__ = "0.1.0"

_env.apply()

_SUBMODULES = (
    "baselines",
    "data",
    "datasets",
    "detectors",
    "ecg",
    "exercises",
    "metrics",
    "models",
    "persistence",
    "plotting",
    "preprocessing",
    "repro",
    "scoring",
    "selection",
    "series",
    "splits",
    "studies",
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
