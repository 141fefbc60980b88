"""IPython start-up file for the kernels the test suite starts (never a learner's kernel).

``tests/conftest.py`` copies this file into a temporary ``IPYTHONDIR`` that only the
test run uses, so it runs in every kernel nbval (and nbclient) starts under pytest,
before the first cell and so before TensorFlow is imported. It does two things, each
behind an environment switch that ``conftest.py`` sets:

``ANOMALY_TESTS_PIN_CPU=1``
    Pin the kernel to ONE CPU, chosen by the xdist worker id, so that the stored
    outputs are proved not to depend on the machine's core count (at no extra cost:
    each worker's kernels get their own CPU).
``ANOMALY_TESTS_DISTURB_RANDOM=1``
    Before every cell, consume Python's ``random``, NumPy's legacy global generator
    and, only when the lesson has already imported them, Keras' global seed generator
    and TensorFlow's global op seeds. A lesson whose compared outputs depend on the
    global random state (rather than on an explicit ``random_state``) then fails.
``ANOMALY_TESTS_SIMULATED_ISA=<name>``
    The suite runs this kernel as another processor would (``ONEDNN_MAX_CPU_ISA`` set on
    purpose, ``tests/conftest.py``): silence the package's warning that this one variable
    differs from the course's value, which a learner who sets it does see.
"""

from __future__ import annotations

import os
import sys


def _pin_to_one_cpu() -> None:
    cpus = sorted(os.sched_getaffinity(0))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    os.sched_setaffinity(0, {cpus[index % len(cpus)]})


def _disturb_global_random_state(*_args) -> None:
    import random

    import numpy as np

    random.random()
    np.random.random()  # noqa: NPY002  (the legacy global generator is the one to disturb)
    if "keras" in sys.modules:  # never import Keras or TensorFlow from here
        try:
            sys.modules["keras"].random.uniform(())
        except Exception:  # pragma: no cover - a half-initialised Keras must not break the cell
            pass
    if "tensorflow" in sys.modules:
        try:
            sys.modules["tensorflow"].random.uniform(())
        except Exception:  # pragma: no cover - e.g. op determinism without a global seed
            pass


if os.environ.get("ANOMALY_TESTS_PIN_CPU") == "1" and hasattr(os, "sched_setaffinity"):
    _pin_to_one_cpu()

if os.environ.get("ANOMALY_TESTS_DISTURB_RANDOM") == "1":
    get_ipython().events.register("pre_run_cell", _disturb_global_random_state)  # noqa: F821

if os.environ.get("ANOMALY_TESTS_SIMULATED_ISA"):
    import warnings

    warnings.filterwarnings(
        "ignore",
        message=f"Your environment sets ONEDNN_MAX_CPU_ISA={os.environ['ANOMALY_TESTS_SIMULATED_ISA']!r} \\(",
        category=RuntimeWarning,
    )
