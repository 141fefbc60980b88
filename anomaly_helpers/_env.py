"""The TensorFlow environment the course runs in: the one place that defines it.

TensorFlow reads these variables once, when it starts, so they must be in the
environment before TensorFlow is first imported. ``import anomaly_helpers`` applies
them (:func:`apply`); the test suite (``tests/conftest.py``) and the tools that write
or time stored outputs (``tools/nbtools.py``) apply the same dictionary.

* ``TF_CPP_MIN_LOG_LEVEL=3`` silences TensorFlow's C++ log lines (JupyterLab would
  store them as output; under pytest they vanish, so outputs would differ);
* ``TF_ENABLE_ONEDNN_OPTS=0`` turns off oneDNN's custom operations, whose results
  depend on the number of CPU threads (and which print a notice);
* ``TF_NUM_INTRAOP_THREADS=2`` and ``TF_NUM_INTEROP_THREADS=2`` fix TensorFlow's
  thread pools, so that a machine with one core (or sixteen) prints the numbers a
  two-core machine stored (a one-CPU run reproduces them exactly);
* ``ONEDNN_MAX_CPU_ISA=AVX2`` caps the instruction set of oneDNN's matrix-multiply kernel, which
  TensorFlow calls whatever ``TF_ENABLE_ONEDNN_OPTS`` says and which picks its instruction set when
  it runs: AVX2 and AVX-512 processors then round alike and print the same numbers (most x86
  machines of the last ten years). Older x86 processors, ARM and Apple silicon round otherwise;
  their trained figures differ in the last digits (the README, "Numbers on another machine").

A value the user has already set is kept (``setdefault``), with one warning that
names the variable, both values and the consequence. The test suite and the tools
pass ``override=True``: what they compare or store must come from the course's values.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import MutableMapping

__all__ = ["COURSE_ENV", "apply", "conflicts"]

#: The environment variables every lesson runs with (names and string values).
COURSE_ENV: dict[str, str] = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "TF_NUM_INTRAOP_THREADS": "2",
    "TF_NUM_INTEROP_THREADS": "2",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
}

_CONSEQUENCE = {
    "TF_CPP_MIN_LOG_LEVEL": "TensorFlow's C++ log lines will appear in cell outputs",
    "TF_ENABLE_ONEDNN_OPTS": "results will depend on the number of CPU threads",
    "TF_NUM_INTRAOP_THREADS": "results will depend on the number of CPU threads",
    "TF_NUM_INTEROP_THREADS": "results will depend on the number of CPU threads",
    "ONEDNN_MAX_CPU_ISA": "trained figures may differ in their last digits from the stored outputs",
}

# Variables already warned about in this process (one warning per conflict, not per call).
_warned: set[tuple[str, str, bool]] = set()


def conflicts(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Return the course variables that ``environ`` sets to another value, with that value.

    Parameters
    ----------
    environ : mapping, optional
        The environment to inspect; ``os.environ`` by default.

    Returns
    -------
    dict
        ``{name: the value found}`` for each variable set differently from :data:`COURSE_ENV`.
    """
    env = os.environ if environ is None else environ
    return {k: env[k] for k, v in COURSE_ENV.items() if k in env and env[k] != v}


def _message(found: dict[str, str], override: bool) -> str:
    parts = [f"{k}={v!r} (the course uses {COURSE_ENV[k]!r}: {_CONSEQUENCE[k]})" for k, v in found.items()]
    if override:
        return (
            "Your environment sets " + "; ".join(parts) + ". This run uses the course's value instead, "
            "so that the stored outputs are reproduced."
        )
    return (
        "Your environment sets " + "; ".join(parts) + ". Your value is kept, so the numbers you get may differ "
        "from the stored outputs. To get the course's numbers, unset it (e.g. `unset "
        + " ".join(found)
        + "`) and restart the kernel."
    )


def apply(environ: MutableMapping[str, str] | None = None, *, override: bool = False) -> dict[str, str]:
    """Put the course's TensorFlow variables into the environment.

    Parameters
    ----------
    environ : mapping, optional
        The environment to change. None (the default) means this process's ``os.environ``,
        and then also a warning if TensorFlow is already imported (too late for it). Pass
        ``os.environ`` itself to prepare the environment of kernels started later.
    override : bool, default False
        False (the package): keep a value the user set and warn once that the stored
        outputs may differ. True (the test suite and the tools that write outputs): use
        the course's value and warn once that the user's value was replaced.

    Returns
    -------
    dict
        The conflicting values that were found (``{name: user's value}``), empty if none.
    """
    env = os.environ if environ is None else environ
    found = conflicts(env)
    for name, value in COURSE_ENV.items():
        if override:
            env[name] = value
        else:
            env.setdefault(name, value)
    new = {k: v for k, v in found.items() if (k, v, override) not in _warned}
    if new:
        _warned.update((k, v, override) for k, v in new.items())
        warnings.warn(_message(new, override), RuntimeWarning, stacklevel=2)
    if "tensorflow" in sys.modules and environ is None:
        warnings.warn(
            "TensorFlow was imported before anomaly_helpers, so its log level, oneDNN and thread settings "
            "could not be applied (expect extra log lines and results that depend on the number of CPU "
            "threads). Restart the kernel and import anomaly_helpers before tensorflow or keras.",
            RuntimeWarning,
            stacklevel=2,
        )
    return found
