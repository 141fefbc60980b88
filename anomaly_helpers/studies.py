"""Read the stored results of the benchmark studies, wherever the lesson runs.

Studies too slow for a lesson (a sweep over ten digits, ten seeds) are run by the
benchmark command and stored in ``benchmarks/results.json``. Lessons read them with
:func:`load_result`, which finds the file next to the package the way the data loaders
find ``data/`` — never through a path relative to the notebook — so a lesson runs the
same from ``notebooks/``, the learner's ``work/`` copy or the student build.

See Also
--------
Lesson 03 (``notebooks/03_cnn_feature_extraction.ipynb``) reads the leave-one-digit-out study.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["results_file", "load_result", "check_agreement"]


def results_file() -> Path:
    """Return the path of the stored study results.

    The environment variable ``ANOMALY_RESULTS_FILE`` overrides the default, which is
    ``benchmarks/results.json`` next to the ``anomaly_helpers`` package in the repository.
    """
    env = os.environ.get("ANOMALY_RESULTS_FILE")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "benchmarks" / "results.json"


def _records(data: dict) -> dict:
    # Both layouts: {"studies": {name: {"table": ...}}} and {name: {"provenance": ..., "result": ...}}.
    if isinstance(data.get("studies"), dict):
        return data["studies"]
    return {k: v for k, v in data.items() if isinstance(v, dict) and "result" in v}


def load_result(name: str) -> dict:
    """Return the stored table of the study ``name``.

    Parameters
    ----------
    name : str
        The study's name, e.g. ``"digits_leave_one_out"``.

    Returns
    -------
    dict
        The study's table: ``"title"``, ``"columns"`` (list of str) and ``"rows"`` (list of
        dicts, one per row, keyed by column), plus whatever else the study stored with it
        (a note, its settings). ``pd.DataFrame(t["rows"], columns=t["columns"])`` shows it.

    Raises
    ------
    FileNotFoundError
        When the results file is missing (restore it with git, or rerun the studies).
    ValueError
        When no study of that name is stored.
    """
    if not isinstance(name, str):
        raise TypeError(
            f"name must be a study's name as a str, got {type(name).__name__}; pass e.g. 'digits_leave_one_out'."
        )
    path = results_file()
    if not path.is_file():
        raise FileNotFoundError(
            f"The study results file was not found at {path}. Restore it with "
            "`git checkout -- benchmarks/results.json`, then run `make doctor`."
        )
    records = _records(json.loads(path.read_text(encoding="utf-8")))
    if name not in records:
        raise ValueError(f"name {name!r} is not a stored study; use one of: {', '.join(sorted(records)) or 'none'}.")
    record = records[name]
    return record.get("result", record.get("table", record))


# -- a live run beside a stored one -------------------------------------------------------------

#: Set by the test configuration: a disagreement then raises (a real change must fail the suite).
_STRICT_ENV = "ANOMALY_HELPERS_STRICT_CHECKS"


def _as_numbers(value: Any) -> np.ndarray | None:
    """``value`` as a float array, or None when it is not numeric (strings, sets, mixed objects)."""
    if isinstance(value, (str, bytes, set, frozenset, dict)):
        return None
    if hasattr(value, "to_numpy"):  # pandas
        value = value.to_numpy()
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def _shown(value: Any) -> str:
    array = _as_numbers(value)
    if array is None:
        text = repr(sorted(value) if isinstance(value, (set, frozenset)) else value)
    elif array.ndim == 0:
        text = f"{float(array):.6g}"
    else:
        values = [f"{v:.6g}" for v in array.ravel()]
        text = "[" + ", ".join(values if len(values) <= 6 else [*values[:3], "…", *values[-2:]]) + "]"
    return text if len(text) <= 160 else text[:159] + "…"


def check_agreement(
    live: Any,
    stored: Any,
    *,
    what: str,
    atol: float = 0.0,
    rtol: float = 0.0,
    source: str = "the stored study",
) -> bool:
    """Compare a figure this run computed with a stored one; say so, and explain a difference.

    Lessons train one model live and read the rest (more seeds, more splits) from a study run
    by the benchmark command. Trained figures differ in their last digits between processors
    and library versions, and training can amplify that, so the two are compared within a
    tolerance, never exactly. Within it, one fixed sentence is printed (the same on every
    machine). Beyond it, a short note says what the study recorded, what this machine got and
    why they can differ, and the lesson goes on: a learner's lesson never stops here. In the
    test run (``ANOMALY_HELPERS_STRICT_CHECKS=1``) a disagreement raises ``AssertionError``,
    so that a real change to a lesson or a study fails the suite.

    Parameters
    ----------
    live : scalar, array-like, pandas object, or any object
        What this run computed. Numbers are compared element-wise; anything else (a set, a
        string, a tuple of names) must equal ``stored``.
    stored : same shape as ``live``
        What the study (or another reference) recorded.
    what : str
        What is compared, shown in the message, e.g. ``"validation PR-AUC, seed 0"``.
    atol, rtol : float, default 0.0
        Numbers agree when ``|live - stored| <= atol + rtol * |stored|`` element-wise
        (``numpy.isclose``'s rule). Choose them to cover float noise between processors, not
        more: 0 means exact.
    source : str, default "the stored study"
        The reference, as it reads in a sentence.

    Returns
    -------
    bool
        True when the two agree.

    Raises
    ------
    AssertionError
        Only in the test run, when they disagree.
    ValueError
        When ``what`` is empty, a tolerance is negative, or the numbers' shapes differ.

    See Also
    --------
    load_result : the stored tables.

    Examples
    --------
    >>> check_agreement(0.7104, 0.710, what="ROC-AUC, seed 0", atol=0.005)
    ROC-AUC, seed 0: this run agrees with the stored study (within ±0.005).
    True
    """
    if not isinstance(what, str) or not what.strip():
        raise ValueError("what must say what is compared, e.g. what='validation PR-AUC, seed 0'.")
    for name, tol in (("atol", atol), ("rtol", rtol)):
        if not isinstance(tol, (int, float)) or isinstance(tol, bool) or not tol >= 0:
            raise ValueError(f"{name} must be a number >= 0 (0 means exact), got {tol!r}.")
    a, b = _as_numbers(live), _as_numbers(stored)
    if a is not None and b is not None:
        if a.shape != b.shape:
            raise ValueError(
                f"live and stored must have the same shape to be compared ({what}): got {a.shape} and {b.shape}."
            )
        agree = bool(np.all(np.isclose(a, b, atol=atol, rtol=rtol, equal_nan=True)))
        gap = float(np.nanmax(np.abs(a - b))) if a.size else 0.0
        tolerance = " + ".join(p for p in (f"±{atol:g}" * bool(atol), f"±{rtol:.2%}" * bool(rtol)) if p)
        within = f" (within {tolerance})" if tolerance else " (exactly)"
    else:
        agree, gap, tolerance, within = live == stored, None, "", ""
        agree = bool(agree) if isinstance(agree, (bool, np.bool_)) else False
    if agree:
        print(f"{what}: this run agrees with {source}{within}.")
        return True
    if gap is not None:
        detail = f" (largest difference {gap:.3g}, more than the {tolerance or 'zero'} tolerance for float rounding)"
    else:
        detail = ""
    message = (
        f"Note on {what}: {source} recorded {_shown(stored)}, this machine got {_shown(live)}{detail}. "
        "Trained models differ in their last digits between processors and library versions, and training can "
        "amplify that (see the README, 'Numbers on another machine'). Not an error: the lesson goes on with this "
        "run's numbers; the text quotes the study's."
    )
    print(message)
    if os.environ.get(_STRICT_ENV, "") not in ("", "0", "false", "False"):
        raise AssertionError(message)
    return False
