"""Test configuration shared by the unit tests and nbval's notebook runs.

The environment set here is inherited by the kernels nbval starts
(``--nbval-current-env``), so notebooks run exactly as a learner's do, except that
exercise checks are strict: an *incorrect* verdict raises, so a wrong reference
solution fails the suite.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the package's "your value is kept"; the override below warns instead
    from anomaly_helpers import _env

ROOT = Path(__file__).resolve().parent.parent

os.environ["ANOMALY_HELPERS_STRICT_CHECKS"] = "1"
# TensorFlow's variables (log level, oneDNN, thread counts), defined in one place and set
# before TensorFlow is imported anywhere; the course's values win over a user's in the tests.
_env.apply(override=True)
os.environ.setdefault("PYTHONHASHSEED", "0")
# model.summary() and pandas wrap to the terminal width: make it independent of the terminal.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)


def pytest_configure(config):
    # nbval opens the sanitize file relative to the current directory; anchor it at the rootdir.
    if hasattr(config.option, "nbval_sanitize_with") and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(ROOT / "tests" / "nbval_sanitize.cfg")
