"""The course's datasets: shipped files, their checksums, and loaders.

Every loader works offline: the real data are files in ``data/`` (see ``data/README.md``
for sources, licences and checksums) or bundled with scikit-learn; nothing is downloaded.
Label convention throughout: **1 = anomaly, 0 = normal**.

* Files: ``DATA_FILES`` (name -> sha256), :func:`data_dir`, :func:`sha256_of`,
  :func:`verify_data_files`. A file that is missing or no longer parses raises an error
  that names it and says how to restore it (the doctor: ``make doctor``, or
  ``anomaly_helpers.doctor()`` in a notebook).
* Tables: :func:`load_breast_cancer`, :func:`make_wbc`, :func:`load_shuttle`.
* Images: :func:`load_digits_one_class`, :func:`load_digits_leave_one_out` (ready-made
  :class:`~anomaly_helpers.splits.Split` objects).
* Series: :func:`load_mitdb` (a real ECG excerpt; the seeded synthetic ECG is
  :func:`anomaly_helpers.synthetic.make_ecg_like`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from anomaly_helpers._validate import check_bool, check_positive_int, check_random_state
from anomaly_helpers.splits import Split, one_class_split

__all__ = [
    "DATA_FILES",
    "MITDB_FS",
    "DataFileError",
    "data_dir",
    "sha256_of",
    "verify_data_files",
    "load_breast_cancer",
    "make_wbc",
    "load_mitdb",
    "load_shuttle",
    "load_digits_one_class",
    "load_digits_leave_one_out",
]

#: sha256 of every file shipped in ``data/`` (also listed in ``data/README.md``).
DATA_FILES: dict[str, str] = {
    "breast_cancer.csv": "349e0b6355d9acc2cc25d910999fb906288861f9fb19af75718fb8c444df036c",
    "mitdb_ecg.csv": "d4f2539a5e85e1ac1e7f8bba152b5e60a02356282463a8a1c97848ad3e1bb386",
    "shuttle.csv.gz": "1ed4bfa77233d95bff2c8ab2482725d2d800410daedf5919ad80ec6faf60ff59",
}

#: Sampling frequency of the MIT-BIH excerpt, in Hz.
MITDB_FS = 360

_DOCTOR = "`make doctor` in a terminal, or `anomaly_helpers.doctor()` in a notebook"


class DataFileError(ValueError):
    """A shipped data file exists but no longer parses as the course expects (truncated or corrupted)."""


def data_dir() -> Path:
    """Return the folder holding the course's data files.

    The environment variable ``ANOMALY_DATA_DIR`` overrides the default, which is the
    ``data/`` folder next to the ``anomaly_helpers`` package in the repository.
    """
    env = os.environ.get("ANOMALY_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "data"


def sha256_of(path: str | os.PathLike) -> str:
    """Return the hex sha256 digest of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------------------
# Shipped files
# --------------------------------------------------------------------------------------


def _data_path(name: str) -> Path:
    """Return the path of a shipped data file, with a helpful error when it is missing."""
    path = data_dir() / name
    if not path.is_file():
        raise FileNotFoundError(
            f"The data file {name!r} was not found at {path}. Restore it with "
            f"`git checkout -- data/{name}`, or rebuild every data file with `make data` (it needs the package "
            'index; by hand: `python -m pip install -e ".[rebuild-data]"` then `python data/build_data.py`). '
            "If your data live elsewhere, set the ANOMALY_DATA_DIR environment variable to that folder."
        )
    return path


def _table_problem(frame: pd.DataFrame, shape: tuple[int, int], required: tuple[str, ...]) -> str | None:
    """What is wrong with a parsed table, or None."""
    if frame.shape != shape:
        return f"it has {frame.shape[0]} rows and {frame.shape[1]} columns instead of {shape[0]} and {shape[1]}"
    missing = [c for c in required if c not in frame.columns]
    if missing:
        return f"the column(s) {missing} are missing"
    text = [str(c) for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if text:
        return f"the column(s) {text[:3]} hold text where numbers are expected"
    n_empty = int(frame.isna().to_numpy().sum())
    if n_empty:
        return f"it has {n_empty} empty cell(s)"
    return None


def _read_table(name: str, shape: tuple[int, int], required: tuple[str, ...]) -> pd.DataFrame:
    """Read a shipped CSV file; a file that does not parse as expected raises :class:`DataFileError`."""
    path = _data_path(name)
    try:
        frame = pd.read_csv(path)
        problem = _table_problem(frame, shape, required)
    except (ValueError, OSError, EOFError, zlib.error) as exc:  # parser errors, bad bytes, broken gzip
        frame, problem = None, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'unreadable'}"
    if problem is not None:
        raise DataFileError(
            f"The data file {name!r} ({path}) does not parse: {problem}. It is probably truncated or "
            f"corrupted (for example saved again by a spreadsheet program). Run the doctor ({_DOCTOR}): "
            "it checks every data file and says how to restore it."
        )
    return frame


def verify_data_files(directory: str | os.PathLike | None = None) -> pd.DataFrame:
    """Check the shipped data files against their recorded sha256 digests.

    Parameters
    ----------
    directory : path-like, optional
        Folder to check; defaults to :func:`data_dir`.

    Returns
    -------
    DataFrame with one row per file in ``DATA_FILES``
        Columns ``file``, ``bytes`` (-1 when missing), ``sha256`` ("" when missing)
        and ``ok`` (True when the digest equals the recorded one).

    Notes
    -----
    When to use: after cloning, or when a loader returns surprising numbers (a CSV
    opened and saved in a spreadsheet program is the usual culprit). The doctor
    (``anomaly_helpers.doctor()``) runs the same check and says how to fix each file.

    See Also
    --------
    Lesson 01 (what is anomaly detection) loads these files.
    """
    folder = Path(directory) if directory is not None else data_dir()
    rows = []
    for name, expected in DATA_FILES.items():
        path = folder / name
        if path.is_file():
            digest = sha256_of(path)
            rows.append((name, path.stat().st_size, digest, digest == expected))
        else:
            rows.append((name, -1, "", False))
    return pd.DataFrame(rows, columns=["file", "bytes", "sha256", "ok"])


# --------------------------------------------------------------------------------------
# Tables and series
# --------------------------------------------------------------------------------------


def load_breast_cancer() -> tuple[pd.DataFrame, pd.Series]:
    """Load the Wisconsin Diagnostic Breast Cancer table (1 = malignant).

    Returns
    -------
    X : DataFrame of shape (569, 30)
        The 30 real-valued cell-nucleus features (float64), named as in scikit-learn.
    y : Series of shape (569,), name ``"target"``, dtype int64
        1 = malignant (212 rows, treated as the anomaly), 0 = benign (357 rows).

    Raises
    ------
    FileNotFoundError, DataFileError
        When ``data/breast_cancer.csv`` is missing or no longer parses.

    Notes
    -----
    When to use: the full table is a *supervised* problem with 37 % positives; for
    anomaly detection use :func:`make_wbc`, which keeps only a few malignant rows.
    Read from ``data/breast_cancer.csv`` (see ``data/README.md`` for source and licence).
    scikit-learn's own loader codes 0 = malignant; this one follows the course
    convention, 1 = anomaly.

    See Also
    --------
    make_wbc : the ODDS-style anomaly-detection subset.
    Lesson 00 (start here), lesson 07 (the article's code example).
    """
    frame = _read_table("breast_cancer.csv", (569, 31), ("target",))
    y = frame.pop("target").astype(np.int64).rename("target")
    return frame, y


def make_wbc(
    n_anomalies: int = 21, random_state: int | np.random.Generator | None = 0
) -> tuple[pd.DataFrame, pd.Series]:
    """Build an ODDS-style "WBC" anomaly-detection set: all benign rows + a few malignant.

    Parameters
    ----------
    n_anomalies : int, default 21
        Number of malignant rows to keep, between 1 and 212. The default gives the
        ODDS proportions: 357 + 21 = 378 rows, 5.6 % anomalies.
    random_state : None, int or numpy.random.Generator, default 0
        Chooses which malignant rows are kept: None draws fresh randomness, an int >= 0
        seeds it (the same int, the same rows), a Generator is used as it is.

    Returns
    -------
    X : DataFrame of shape (357 + n_anomalies, 30)
    y : Series of shape (357 + n_anomalies,), name ``"target"``, 1 = malignant (anomaly)

    Notes
    -----
    Rows keep the order they have in ``breast_cancer.csv``; the index is reset to
    ``0 .. n-1``. ODDS published one particular subset; this one is drawn with the
    seed, so different seeds give different (equally valid) subsets.

    See Also
    --------
    load_breast_cancer, anomaly_helpers.splits.one_class_split
    Lesson 01 (what is anomaly detection), lesson 05 (training), lesson 06 (metrics).
    """
    X, y = load_breast_cancer()
    n_malignant = int(y.sum())
    n_anomalies = check_positive_int(n_anomalies, "n_anomalies", minimum=1)
    if n_anomalies > n_malignant:
        raise ValueError(
            f"n_anomalies must be between 1 and {n_malignant} (the number of malignant rows), got {n_anomalies}."
        )
    rng = check_random_state(random_state)
    malignant = np.flatnonzero(y.to_numpy() == 1)
    chosen = rng.choice(malignant, size=n_anomalies, replace=False)
    keep = np.sort(np.concatenate([np.flatnonzero(y.to_numpy() == 0), chosen]))
    return X.iloc[keep].reset_index(drop=True), y.iloc[keep].reset_index(drop=True)


def load_mitdb() -> pd.DataFrame:
    """Load the 7,500-sample MIT-BIH ECG excerpt with one labelled abnormal beat.

    Returns
    -------
    DataFrame of shape (7500, 2)
        ``value`` (float64, the ECG in mV) and ``label`` (int64, 1 = abnormal beat);
        the index ``sample`` is the sample number 0 .. 7499. The sampling frequency is
        ``MITDB_FS`` = 360 Hz (about 20.8 s). The labelled abnormal beat spans samples
        6936 to 7287 (352 samples, 4.7 % of the series).

    Raises
    ------
    FileNotFoundError, DataFileError
        When ``data/mitdb_ecg.csv`` is missing or no longer parses.

    Notes
    -----
    When to use: a real, single-channel series for sliding-window detectors; train on
    the start, score the whole series. With one anomaly, per-event metrics are
    coarse: treat results as an illustration, not a benchmark.

    See Also
    --------
    anomaly_helpers.synthetic.make_ecg_like : a seeded synthetic ECG with many labelled anomalies.
    anomaly_helpers.series.sliding_windows, anomaly_helpers.series.segment_beats
    Lesson 01 (what is anomaly detection), lesson 04 (RNN features).
    """
    frame = _read_table("mitdb_ecg.csv", (7500, 2), ("data", "label"))
    out = pd.DataFrame(
        {"value": frame["data"].astype(np.float64), "label": frame["label"].astype(np.int64)},
    )
    out.index.name = "sample"
    return out


def load_shuttle() -> tuple[pd.DataFrame, pd.Series]:
    """Load the ODDS version of the Statlog Shuttle data (7.15 % anomalies).

    Returns
    -------
    X : DataFrame of shape (49097, 9)
        Nine integer-valued sensor features ``f1`` .. ``f9`` (int64).
    y : Series of shape (49097,), name ``"anomaly"``, dtype int64
        1 = anomaly (3,511 rows: the rare classes 2, 3, 5, 6, 7), 0 = normal (class 1).

    Raises
    ------
    FileNotFoundError, DataFileError
        When ``data/shuttle.csv.gz`` is missing or no longer parses.

    Notes
    -----
    When to use: a larger tabular set where a model has something to learn and
    training takes seconds, not minutes. ODDS removed class 4 from the original data.

    See Also
    --------
    anomaly_helpers.splits.one_class_split
    Lesson 00 (start here) shows it.
    """
    frame = _read_table("shuttle.csv.gz", (49097, 10), ("anomaly",))
    y = frame.pop("anomaly").astype(np.int64).rename("anomaly")
    return frame, y


# --------------------------------------------------------------------------------------
# Digits
# --------------------------------------------------------------------------------------


def _digits_images(flatten: bool) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = (bunch.images / 16.0).astype(np.float32)
    X = images.reshape(len(images), 64) if flatten else images[..., np.newaxis]
    return X, bunch.target.astype(np.int64)


def _check_digit(d: Any, name: str) -> int:
    d = check_positive_int(d, name, minimum=0)
    if d > 9:
        raise ValueError(f"{name} must be a digit from 0 to 9, got {d}; pick one of 0, 1, ..., 9.")
    return d


def _digits_split(
    is_anomaly: np.ndarray, X: np.ndarray, digits: np.ndarray, test_size: Any, val_size: Any, random_state: Any
) -> Split:
    """:func:`one_class_split` of the images, with the digit of every image in ``info``."""
    split = one_class_split(X, is_anomaly.astype(np.int64), test_size, val_size, random_state)
    rows = split.info
    info = {
        **rows,
        "digits_train": digits[rows["rows_train"]],
        "digits_val": None if rows["rows_val"] is None else digits[rows["rows_val"]],
        "digits_test": digits[rows["rows_test"]],
    }
    return dataclasses.replace(split, info=info)


def load_digits_one_class(
    normal_digit: int,
    test_size: float = 0.3,
    random_state: int | np.random.Generator | None = 0,
    flatten: bool = False,
) -> Split:
    """Digits as a one-class problem: one digit is normal, the nine others are anomalies.

    Parameters
    ----------
    normal_digit : int
        The digit (0-9) treated as normal; training uses only its images (about 180).
    test_size : float, default 0.3
        Fraction of the normal digit's images held out for the test set.
    random_state : None, int or numpy.random.Generator, default 0
        Seed of the split, as in :func:`~anomaly_helpers.splits.one_class_split`.
    flatten : bool, default False
        False gives images of shape (n, 8, 8, 1) for CNNs; True gives (n, 64).

    Returns
    -------
    Split
        ``X_*`` float32 in [0, 1] (pixel / 16), ``y_*`` int64 (1 = another digit).
        The test set holds the held-out normal images and *all* images of the other
        digits (about 97 % anomalies). ``info["digits_test"]`` gives the digit of
        each test image, for per-digit results.

    Notes
    -----
    When to use: a small image problem that runs in seconds on a CPU. scikit-learn
    ships the 1,797 images (UCI Optical Recognition of Handwritten Digits), so
    nothing is downloaded.

    See Also
    --------
    load_digits_leave_one_out, anomaly_helpers.splits.one_class_split
    Lesson 02 (preprocessing), lesson 03 (CNN features).
    """
    normal_digit = _check_digit(normal_digit, "normal_digit")
    X, digits = _digits_images(check_bool(flatten, "flatten"))
    split = _digits_split(digits != normal_digit, X, digits, test_size, 0.0, random_state)
    return dataclasses.replace(split, info={**split.info, "normal_digit": normal_digit})


def load_digits_leave_one_out(
    anomaly_digit: int,
    test_size: float = 0.3,
    val_size: float = 0.0,
    random_state: int | np.random.Generator | None = 0,
    flatten: bool = False,
) -> Split:
    """Digits with one digit left out: train on the nine others, flag the left-out one.

    Parameters
    ----------
    anomaly_digit : int
        The digit (0-9) treated as the anomaly; it never appears in training.
    test_size : float, default 0.3
        Fraction of the normal (other-digit) images held out for testing.
    val_size : float, default 0.0
        Fraction of the normal images held out for validation; when > 0 the anomaly
        digit's images are divided between validation and test as in
        :func:`~anomaly_helpers.splits.one_class_split`.
    random_state : None, int or numpy.random.Generator, default 0
        Seed of the split.
    flatten : bool, default False
        False gives images of shape (n, 8, 8, 1); True gives (n, 64).

    Returns
    -------
    Split
        ``X_*`` float32 in [0, 1], ``y_*`` int64 (1 = the anomaly digit).
        ``info["digits_test"]`` (and ``digits_val``) give each image's digit.

    Notes
    -----
    When to use: a harder, more realistic setting than :func:`load_digits_one_class`,
    because the normal class is varied and the anomaly is only about 10 % of the test set.

    See Also
    --------
    load_digits_one_class, anomaly_helpers.splits.one_class_split
    Lesson 03 (CNN features).
    """
    anomaly_digit = _check_digit(anomaly_digit, "anomaly_digit")
    X, digits = _digits_images(check_bool(flatten, "flatten"))
    split = _digits_split(digits == anomaly_digit, X, digits, test_size, val_size, random_state)
    return dataclasses.replace(split, info={**split.info, "anomaly_digit": anomaly_digit})
