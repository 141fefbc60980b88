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

__all__ = ["results_file", "load_result"]


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
