"""Datasets for the course: shipped real data, seeded synthetic series, and windows.

Every loader works offline: the real data are files in ``data/`` (see ``data/README.md``
for sources, licences and checksums) or bundled with scikit-learn; nothing is downloaded.
Label convention throughout: **1 = anomaly, 0 = normal**.

* Tabular: :func:`load_breast_cancer`, :func:`make_wbc`, :func:`load_shuttle`.
* Images: :func:`load_digits_one_class`, :func:`load_digits_leave_one_out`.
* Series: :func:`load_mitdb` (real ECG), :func:`make_ecg_like` (seeded synthetic ECG).
* Splits: :func:`one_class_split` returns a :class:`Split` (train on normal data only).
* Windows: :func:`sliding_windows`, :func:`window_labels`, :func:`window_starts`,
  :func:`windows_to_timesteps`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from ._validate import (
    check_array,
    check_choice,
    check_features,
    check_fraction,
    check_labels,
    check_positive_int,
)

__all__ = [
    "DATA_FILES",
    "MITDB_FS",
    "ECG_KINDS",
    "data_dir",
    "sha256_of",
    "verify_data_files",
    "load_breast_cancer",
    "make_wbc",
    "load_mitdb",
    "load_shuttle",
    "Split",
    "one_class_split",
    "load_digits_one_class",
    "load_digits_leave_one_out",
    "EcgSeries",
    "make_ecg_like",
    "sliding_windows",
    "window_labels",
    "window_starts",
    "windows_to_timesteps",
]

#: sha256 of every file shipped in ``data/`` (also listed in ``data/README.md``).
DATA_FILES: dict[str, str] = {
    "breast_cancer.csv": "349e0b6355d9acc2cc25d910999fb906288861f9fb19af75718fb8c444df036c",
    "mitdb_ecg.csv": "d4f2539a5e85e1ac1e7f8bba152b5e60a02356282463a8a1c97848ad3e1bb386",
    "shuttle.csv.gz": "1ed4bfa77233d95bff2c8ab2482725d2d800410daedf5919ad80ec6faf60ff59",
}

#: Sampling frequency of the MIT-BIH excerpt, in Hz.
MITDB_FS = 360


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
            f"`git checkout -- data/{name}`, or rebuild every data file with "
            f'`python -m pip install -e ".[rebuild-data]"` then `python data/build_data.py`. '
            "If your data live elsewhere, set the ANOMALY_DATA_DIR environment variable to that folder."
        )
    return path


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
    opened and saved in a spreadsheet program is the usual culprit).

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


def load_breast_cancer() -> tuple[pd.DataFrame, pd.Series]:
    """Load the Wisconsin Diagnostic Breast Cancer table (1 = malignant).

    Returns
    -------
    X : DataFrame of shape (569, 30)
        The 30 real-valued cell-nucleus features (float64), named as in scikit-learn.
    y : Series of shape (569,), name ``"target"``, dtype int64
        1 = malignant (212 rows, treated as the anomaly), 0 = benign (357 rows).

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
    Lesson 01 (what is anomaly detection), lesson 02 (preprocessing).
    """
    frame = pd.read_csv(_data_path("breast_cancer.csv"))
    y = frame.pop("target").astype(np.int64).rename("target")
    return frame, y


def make_wbc(n_anomalies: int = 21, random_state: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    """Build an ODDS-style "WBC" anomaly-detection set: all benign rows + a few malignant.

    Parameters
    ----------
    n_anomalies : int, default 21
        Number of malignant rows to keep, between 1 and 212. The default gives the
        ODDS proportions: 357 + 21 = 378 rows, 5.6 % anomalies.
    random_state : int, default 0
        Seed for choosing which malignant rows are kept.

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
    load_breast_cancer, one_class_split
    Lesson 01 (what is anomaly detection), lesson 05 (training), lesson 06 (metrics).
    """
    X, y = load_breast_cancer()
    n_malignant = int(y.sum())
    n_anomalies = check_positive_int(n_anomalies, "n_anomalies", minimum=1)
    if n_anomalies > n_malignant:
        raise ValueError(
            f"n_anomalies must be between 1 and {n_malignant} (the number of malignant rows), got {n_anomalies}."
        )
    rng = np.random.default_rng(random_state)
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

    Notes
    -----
    When to use: a real, single-channel series for sliding-window detectors; train on
    the start, score the whole series. With one anomaly, per-event metrics are
    coarse: treat results as an illustration, not a benchmark.

    See Also
    --------
    make_ecg_like : a seeded synthetic ECG with many labelled anomalies.
    sliding_windows, windows_to_timesteps
    Lesson 04 (RNN features), lesson 08 (practice).
    """
    frame = pd.read_csv(_data_path("mitdb_ecg.csv"))
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

    Notes
    -----
    When to use: a larger tabular set where a model has something to learn and
    training takes seconds, not minutes. ODDS removed class 4 from the original data.

    See Also
    --------
    one_class_split
    Lesson 05 (training), lesson 06 (metrics), lesson 08 (practice).
    """
    frame = pd.read_csv(_data_path("shuttle.csv.gz"))
    y = frame.pop("anomaly").astype(np.int64).rename("anomaly")
    return frame, y


# --------------------------------------------------------------------------------------
# Splits
# --------------------------------------------------------------------------------------


def _count(y: Any) -> tuple[int, int]:
    if y is None:
        return 0, 0
    arr = np.asarray(y)
    return int(arr.shape[0]), int(arr.sum())


@dataclass(frozen=True, eq=False)
class Split:
    """A train / (validation) / test split for semi-supervised anomaly detection.

    Attributes
    ----------
    X_train : DataFrame or ndarray of shape (n_train, ...)
        Normal samples only.
    y_train : Series or ndarray of shape (n_train,)
        All 0.
    X_val, y_val : same types, shape (n_val, ...), or None
        Normal samples and some labelled anomalies, for choosing a threshold.
    X_test, y_test : same types, shape (n_test, ...)
        Held-out normal samples and anomalies (1 = anomaly).
    info : dict
        Extra facts, e.g. ``rows_train`` / ``rows_val`` / ``rows_test`` (positions in
        the input) and, for the digits loaders, ``digits_train`` / ``digits_val`` /
        ``digits_test`` (the digit shown in each image).

    See Also
    --------
    one_class_split, load_digits_one_class, load_digits_leave_one_out
    Lesson 05 (training), lesson 06 (evaluation metrics).
    """

    X_train: Any
    y_train: Any
    X_val: Any
    y_val: Any
    X_test: Any
    y_test: Any
    info: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Return a table with the size and number of anomalies of each part.

        Returns
        -------
        DataFrame with index ``train``, ``val``, ``test``
            Columns ``n_samples``, ``n_normal``, ``n_anomalies``, ``anomaly_rate`` (3 decimals).
            ``val`` is omitted when there is no validation part.
        """
        parts = [("train", self.y_train), ("val", self.y_val), ("test", self.y_test)]
        rows = {}
        for name, y in parts:
            if y is None:
                continue
            n, n_anom = _count(y)
            rate = round(n_anom / n, 3) if n else 0.0
            rows[name] = {"n_samples": n, "n_normal": n - n_anom, "n_anomalies": n_anom, "anomaly_rate": rate}
        return pd.DataFrame.from_dict(rows, orient="index")

    def __repr__(self) -> str:
        lines = ["Split("]
        for name, X, y in (
            ("train", self.X_train, self.y_train),
            ("val", self.X_val, self.y_val),
            ("test", self.X_test, self.y_test),
        ):
            if X is None:
                lines.append(f"  {name + ':':6s} none")
                continue
            n, n_anom = _count(y)
            pct = 100 * n_anom / n if n else 0.0
            lines.append(f"  {name + ':':6s} X {tuple(np.shape(X))}, {n_anom} anomalies of {n} ({pct:.1f} %)")
        if self.info:
            lines.append(f"  info:  {sorted(self.info)}")
        lines.append(")")
        return "\n".join(lines)


def _check_split_sizes(test_size: Any, val_size: Any) -> tuple[float, float]:
    test_size = check_fraction(test_size, "test_size")
    val_size = check_fraction(val_size, "val_size", inclusive="left")
    if test_size + val_size >= 1:
        raise ValueError(
            f"test_size + val_size must be below 1 so that some normal rows are left for training, "
            f"got test_size={test_size} and val_size={val_size}; lower one of them."
        )
    return test_size, val_size


def _one_class_positions(
    y: np.ndarray, test_size: float, val_size: float, random_state: int
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Return sorted row positions for train, val (or None) and test."""
    rng = np.random.default_rng(random_state)
    normal = np.flatnonzero(y == 0)
    anomalous = np.flatnonzero(y == 1)
    n_normal = normal.size
    n_test = int(round(n_normal * test_size))
    n_val = int(round(n_normal * val_size))
    n_train = n_normal - n_test - n_val
    if n_test < 1 or n_train < 1 or (val_size > 0 and n_val < 1):
        raise ValueError(
            f"y has {n_normal} normal rows, too few to split with test_size={test_size} and val_size={val_size} "
            f"(train {n_train}, val {n_val}, test {n_test}); each part needs at least one normal row. "
            "Pass more data or change test_size/val_size."
        )
    normal = rng.permutation(normal)
    train = np.sort(normal[:n_train])
    test_n = normal[n_train : n_train + n_test]
    val_n = normal[n_train + n_test :]
    anomalous = rng.permutation(anomalous)
    if val_size > 0:
        n_anom = anomalous.size
        n_val_anom = int(round(n_anom * val_size / (val_size + test_size)))
        if n_anom >= 2:
            n_val_anom = min(max(n_val_anom, 1), n_anom - 1)
        else:
            n_val_anom = 0
        val = np.sort(np.concatenate([val_n, anomalous[:n_val_anom]]))
        test = np.sort(np.concatenate([test_n, anomalous[n_val_anom:]]))
        return train, val, test
    return train, None, np.sort(np.concatenate([test_n, anomalous]))


def _take(data: Any, rows: np.ndarray | None) -> Any:
    if rows is None:
        return None
    if isinstance(data, (pd.DataFrame, pd.Series)):
        return data.iloc[rows]
    return data[rows]


def one_class_split(
    X: Any,
    y: Any,
    test_size: float = 0.3,
    val_size: float = 0.0,
    random_state: int = 0,
) -> Split:
    """Split data for semi-supervised anomaly detection: train on normal rows only.

    The normal rows are shuffled and divided into train / validation / test by the
    fractions ``1 - test_size - val_size``, ``val_size`` and ``test_size``. Every
    anomaly goes to the test set, or, when ``val_size > 0``, the anomalies are
    divided between validation and test in the ratio ``val_size : test_size`` (at
    least one in each when there are two or more), so that a threshold can be
    chosen on labelled validation data without touching the test set.

    Parameters
    ----------
    X : DataFrame or ndarray of shape (n_samples, ...)
        Features; images of shape (n_samples, height, width, channels) work too.
    y : array-like of shape (n_samples,)
        Labels, 1 = anomaly, 0 = normal.
    test_size : float, default 0.3
        Fraction of the normal rows held out for testing, in (0, 1).
    val_size : float, default 0.0
        Fraction of the normal rows held out for validation, in [0, 1). 0 means no
        validation part (``X_val`` and ``y_val`` are None).
    random_state : int, default 0
        Seed of the shuffle.

    Returns
    -------
    Split
        DataFrames / Series stay pandas objects (with their original index); arrays
        stay arrays. Rows keep their original order within each part.
        ``info["rows_train"]`` etc. hold the row positions taken from ``X``.

    Notes
    -----
    When to use: autoencoders and other one-class models, which learn "normal" and
    flag what does not fit. Fit scalers on ``X_train`` only (lesson 02).

    See Also
    --------
    Split, load_digits_one_class
    Lesson 05 (training), lesson 06 (evaluation metrics).
    """
    if isinstance(X, pd.DataFrame):
        check_features(X, "X")
    else:
        X = check_array(X, "X", ndim=(2, 3, 4), dtype=np.asarray(X).dtype if _is_float(X) else np.float64)
    y_arr = check_labels(y, "y", n=len(X))
    test_size, val_size = _check_split_sizes(test_size, val_size)
    y_out = y if isinstance(y, pd.Series) else y_arr
    train, val, test = _one_class_positions(y_arr, test_size, val_size, random_state)
    info = {"rows_train": train, "rows_val": val, "rows_test": test}
    return Split(
        X_train=_take(X, train),
        y_train=_take(y_out, train),
        X_val=_take(X, val),
        y_val=_take(y_out, val),
        X_test=_take(X, test),
        y_test=_take(y_out, test),
        info=info,
    )


def _is_float(x: Any) -> bool:
    try:
        return np.asarray(x).dtype.kind == "f"
    except Exception:
        return False


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
        raise ValueError(f"{name} must be a digit from 0 to 9, got {d}.")
    return d


def _digits_split(
    is_anomaly: np.ndarray,
    X: np.ndarray,
    digits: np.ndarray,
    test_size: float,
    val_size: float,
    random_state: int,
    extra: dict,
) -> Split:
    test_size, val_size = _check_split_sizes(test_size, val_size)
    y = is_anomaly.astype(np.int64)
    train, val, test = _one_class_positions(y, test_size, val_size, random_state)
    info = {
        "rows_train": train,
        "rows_val": val,
        "rows_test": test,
        "digits_train": digits[train],
        "digits_val": None if val is None else digits[val],
        "digits_test": digits[test],
        **extra,
    }
    return Split(
        X_train=X[train],
        y_train=y[train],
        X_val=None if val is None else X[val],
        y_val=None if val is None else y[val],
        X_test=X[test],
        y_test=y[test],
        info=info,
    )


def load_digits_one_class(
    normal_digit: int, test_size: float = 0.3, random_state: int = 0, flatten: bool = False
) -> Split:
    """Digits as a one-class problem: one digit is normal, the nine others are anomalies.

    Parameters
    ----------
    normal_digit : int
        The digit (0-9) treated as normal; training uses only its images (about 180).
    test_size : float, default 0.3
        Fraction of the normal digit's images held out for the test set.
    random_state : int, default 0
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
    load_digits_leave_one_out, one_class_split
    Lesson 03 (CNN features), lesson 05 (training).
    """
    normal_digit = _check_digit(normal_digit, "normal_digit")
    X, digits = _digits_images(bool(flatten))
    extra = {"normal_digit": normal_digit}
    return _digits_split(digits != normal_digit, X, digits, test_size, 0.0, random_state, extra)


def load_digits_leave_one_out(
    anomaly_digit: int,
    test_size: float = 0.3,
    val_size: float = 0.0,
    random_state: int = 0,
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
        :func:`one_class_split`.
    random_state : int, default 0
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
    load_digits_one_class, one_class_split
    Lesson 03 (CNN features), lesson 06 (evaluation metrics), lesson 09 (challenges).
    """
    anomaly_digit = _check_digit(anomaly_digit, "anomaly_digit")
    X, digits = _digits_images(bool(flatten))
    extra = {"anomaly_digit": anomaly_digit}
    return _digits_split(digits == anomaly_digit, X, digits, test_size, val_size, random_state, extra)


# --------------------------------------------------------------------------------------
# Synthetic ECG-like series
# --------------------------------------------------------------------------------------

#: Anomaly kinds understood by :func:`make_ecg_like`.
ECG_KINDS: tuple[str, ...] = ("spike", "level_shift", "distorted_beat", "missing_beat", "rhythm_change", "noise_burst")

# Waves of one beat: P, Q, R, S, ST segment (zero unless elevated), T.
# Offsets from the R peak and widths (Gaussian sigma) in seconds, at 72 beats per minute.
_WAVE_OFFSETS = np.array([-0.20, -0.035, 0.0, 0.035, 0.12, 0.26])
_WAVE_SIGMAS = np.array([0.025, 0.010, 0.012, 0.012, 0.05, 0.045])
# Amplitudes (mV-like) per lead template: a limb lead (II), a right chest lead (V1), a left chest lead (V5).
_LEAD_TEMPLATES = np.array(
    [
        [0.15, -0.12, 1.00, -0.25, 0.0, 0.30],
        [0.08, -0.02, 0.35, -0.90, 0.0, -0.12],
        [0.10, -0.08, 1.20, -0.15, 0.0, 0.40],
    ]
)
_P, _Q, _R, _S, _ST, _T = range(6)
_REF_RR = 60.0 / 72.0
_N_SIGMA = 4.0  # each wave is drawn over +-4 sigma (beyond that it is below 0.04 % of its height)


@dataclass(frozen=True, eq=False)
class EcgSeries:
    """A synthetic multichannel ECG-like series with labelled anomalies.

    Attributes
    ----------
    values : ndarray of shape (n_timesteps, n_channels), float32
        The signal (one column per lead).
    labels : ndarray of shape (n_timesteps,), int64
        1 where any anomaly affects the signal, else 0.
    events : DataFrame with columns ``start``, ``end``, ``kind``, ``channel``
        One row per anomaly, sorted by ``start``; ``end`` is exclusive (Python slice
        convention, ``values[start:end]``). ``channel`` is the affected lead, or -1
        when the heart itself is affected (all leads: distorted / missing beats,
        rhythm changes).
    fs : int
        Sampling frequency in Hz.

    See Also
    --------
    make_ecg_like
    Lesson 04 (RNN features), lesson 08 (practice).
    """

    values: np.ndarray
    labels: np.ndarray
    events: pd.DataFrame
    fs: int

    @property
    def t(self) -> np.ndarray:
        """Time of each step in seconds, shape (n_timesteps,)."""
        return np.arange(self.values.shape[0]) / self.fs

    @property
    def n_timesteps(self) -> int:
        """Number of time steps."""
        return int(self.values.shape[0])

    @property
    def n_channels(self) -> int:
        """Number of channels (leads)."""
        return int(self.values.shape[1])

    def __repr__(self) -> str:
        n = self.n_timesteps
        n_lab = int(self.labels.sum())
        kinds = ", ".join(f"{k} {c}" for k, c in self.events["kind"].value_counts(sort=False).items()) or "none"
        return (
            f"EcgSeries(n_timesteps={n}, n_channels={self.n_channels}, fs={self.fs} Hz, "
            f"duration={n / self.fs:.1f} s, {len(self.events)} anomalies covering {n_lab} steps "
            f"({100 * n_lab / n:.1f} %): {kinds})"
        )


def _beat_params(n_beats: int, templates: np.ndarray, rr: np.ndarray, rng: np.random.Generator):
    """Per-beat wave amplitudes (B, W, C), offsets (B, W) and sigmas (B, W)."""
    scale = np.sqrt(rr / _REF_RR)  # QT shortens when the heart beats faster
    offsets = np.broadcast_to(_WAVE_OFFSETS, (n_beats, 6)).copy()
    offsets[:, [_P, _ST, _T]] *= scale[:, None]
    sigmas = np.broadcast_to(_WAVE_SIGMAS, (n_beats, 6)).copy()
    sigmas[:, _T] *= scale
    gain = np.ones((n_beats, 6))
    gain *= 1 + 0.05 * rng.standard_normal((n_beats, 1))  # whole-beat amplitude jitter
    gain[:, _T] *= 1 + 0.05 * rng.standard_normal(n_beats)
    gain[:, _P] *= 1 + 0.05 * rng.standard_normal(n_beats)
    amps = gain[:, :, None] * templates.T[None, :, :]  # (B, W, C)
    return amps, offsets, sigmas


def _beat_extent(offsets: np.ndarray, sigmas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (seconds, relative to the R peak) of the drawn part of each beat."""
    return (offsets - _N_SIGMA * sigmas).min(axis=1), (offsets + _N_SIGMA * sigmas).max(axis=1)


def _render_beats(
    n: int, fs: int, times: np.ndarray, amps: np.ndarray, offsets: np.ndarray, sigmas: np.ndarray
) -> np.ndarray:
    """Sum of Gaussian waves of every beat, shape (n, C); zero outside each beat's extent."""
    n_channels = amps.shape[2]
    out = np.zeros((n, n_channels))
    if times.size == 0:
        return out
    lo, hi = _beat_extent(offsets, sigmas)
    first = np.ceil((times + lo) * fs).astype(np.int64)
    last = np.floor((times + hi) * fs).astype(np.int64)
    width = int((last - first).max()) + 1
    idx = first[:, None] + np.arange(width)[None, :]  # (B, K)
    valid = (idx <= last[:, None]) & (idx >= 0) & (idx < n)
    rel = idx / fs - times[:, None]  # seconds from the R peak
    g = np.exp(-0.5 * ((rel[:, :, None] - offsets[:, None, :]) / sigmas[:, None, :]) ** 2)  # (B, K, W)
    vals = np.einsum("bkw,bwc->bkc", g, amps)
    flat_idx = idx[valid]
    for c in range(n_channels):
        out[:, c] = np.bincount(flat_idx, weights=vals[..., c][valid], minlength=n)
    return out


def _beat_span(fs: int, n: int, time: float, offsets: np.ndarray, sigmas: np.ndarray) -> tuple[int, int]:
    """[start, end) sample span of the drawn part of one beat."""
    lo, hi = _beat_extent(offsets[None], sigmas[None])
    start = int(np.ceil((time + lo[0]) * fs))
    end = int(np.floor((time + hi[0]) * fs)) + 1
    return max(start, 0), min(end, n)


def _check_kinds(kinds: Any) -> tuple[str, ...]:
    if isinstance(kinds, str) or not isinstance(kinds, (list, tuple)):
        raise TypeError(
            f"kinds must be a list or tuple of anomaly kinds, got {kinds!r}; e.g. kinds=('spike',). "
            f"Valid kinds: {list(ECG_KINDS)}."
        )
    unknown = [k for k in kinds if k not in ECG_KINDS]
    if unknown:
        raise ValueError(f"kinds contains unknown kind(s) {unknown}; valid kinds are {list(ECG_KINDS)}.")
    return tuple(kinds)


def make_ecg_like(
    n_timesteps: int = 3000,
    *,
    n_channels: int = 1,
    fs: int = 100,
    heart_rate: float = 72,
    noise: float = 0.03,
    kinds: tuple[str, ...] | list[str] = ECG_KINDS,
    n_anomalies: int = 6,
    clean_fraction: float = 0.4,
    random_state: int = 0,
) -> EcgSeries:
    """Generate a seeded ECG-like series with labelled anomalies of several kinds.

    Each heartbeat is a sum of Gaussian waves (P, Q, R, S, T) at jittered beat times
    (RR interval +-3 %, amplitude +-5 %), on a slow baseline wander (two sinusoids
    near the breathing rate) plus Gaussian noise. Channels are leads: they share
    the beat times but have different wave templates (like leads II, V1 and V5;
    further leads are random variations of these).

    Anomalies are placed at random, non-overlapping positions after the first
    ``clean_fraction`` of the series, so a model can be trained on the clean start.
    They cycle through ``kinds`` (each kind appears when ``n_anomalies >= len(kinds)``):

    * ``spike``: 2-4 samples with a large spike on one lead (electrode artefact);
    * ``level_shift``: an offset of 0.3-0.6 on one lead for 0.5-1.5 s;
    * ``distorted_beat``: one beat with a changed shape on every lead (inverted T,
      wide T, ST elevation, or a wide QRS complex without P wave, like an ectopic beat);
    * ``missing_beat``: one beat left out (a flat gap, as in a dropped beat);
    * ``rhythm_change``: three beats replaced by a run at 1.8-2.3 times the heart rate;
    * ``noise_burst``: 0.5-1 s of strong noise on one lead (muscle artefact).

    Parameters
    ----------
    n_timesteps : int, default 3000
        Length of the series.
    n_channels : int, default 1
        Number of leads.
    fs : int, default 100
        Sampling frequency in Hz (at least 50).
    heart_rate : float, default 72
        Mean heart rate in beats per minute, between 40 and 150.
    noise : float, default 0.03
        Standard deviation of the Gaussian noise (the R wave is about 1).
    kinds : tuple of str, default all six kinds
        Which anomaly kinds to use; see ``ECG_KINDS``.
    n_anomalies : int, default 6
        Number of anomalies (0 gives a clean series).
    clean_fraction : float, default 0.4
        Fraction of the series at the start that stays free of anomalies, in [0, 1).
    random_state : int, default 0
        Seed. The clean signal depends only on ``random_state``, ``n_timesteps``,
        ``n_channels``, ``fs``, ``heart_rate`` and ``noise``, so the same call with
        ``n_anomalies=0`` shows what the anomalous parts would have looked like.

    Returns
    -------
    EcgSeries
        ``values`` of shape (n_timesteps, n_channels) float32, ``labels`` of shape
        (n_timesteps,), ``events`` (start, end exclusive, kind, channel), ``fs`` and
        the time axis ``t`` in seconds. Labels cover every sample that differs from
        the clean signal.

    Raises
    ------
    ValueError
        When the anomalies do not fit after ``clean_fraction`` (lower ``n_anomalies``
        or ``clean_fraction``, or raise ``n_timesteps``), or for an unknown kind.

    Notes
    -----
    When to use: sliding-window detectors (1-D CNN, LSTM autoencoders) need many
    labelled anomalies of known kinds, which real ECG excerpts rarely provide. The
    shapes are illustrative, not a physiological model.

    See Also
    --------
    load_mitdb : a real ECG excerpt.
    sliding_windows, window_labels, windows_to_timesteps
    Lesson 04 (RNN features), lesson 08 (practice), lesson 09 (challenges).
    """
    n = check_positive_int(n_timesteps, "n_timesteps", minimum=2)
    n_channels = check_positive_int(n_channels, "n_channels")
    fs = check_positive_int(fs, "fs", minimum=50)
    heart_rate = check_fraction(heart_rate, "heart_rate", low=40, high=150, inclusive="both")
    noise = check_fraction(noise, "noise", low=0, high=np.inf, inclusive="left")
    kinds = _check_kinds(kinds)
    n_anomalies = check_positive_int(n_anomalies, "n_anomalies", minimum=0)
    clean_fraction = check_fraction(clean_fraction, "clean_fraction", inclusive="left")
    if n_anomalies > 0 and not kinds:
        raise ValueError(
            f"kinds is empty but n_anomalies={n_anomalies}; pass at least one kind from {list(ECG_KINDS)}."
        )

    seeds = np.random.SeedSequence(random_state).spawn(3)
    base_rng, lead_rng, event_rng = (np.random.default_rng(s) for s in seeds)

    # Leads: the three fixed templates, then random variations of them.
    templates = _LEAD_TEMPLATES[np.arange(n_channels) % len(_LEAD_TEMPLATES)].copy()
    if n_channels > len(_LEAD_TEMPLATES):
        templates[len(_LEAD_TEMPLATES) :] *= lead_rng.uniform(0.6, 1.4, size=(n_channels - len(_LEAD_TEMPLATES), 6))
    templates[:, _ST] = 0.0

    # Clean signal: beats, baseline wander, noise (base_rng only).
    duration = n / fs
    rr_mean = 60.0 / heart_rate
    n_beats = int(np.ceil(duration / (0.9 * rr_mean))) + 3
    rr = rr_mean * (1 + np.clip(0.03 * base_rng.standard_normal(n_beats), -0.08, 0.08))
    times = base_rng.uniform(0.0, rr_mean) + np.concatenate([[0.0], np.cumsum(rr[:-1])])
    amps, offsets, sigmas = _beat_params(n_beats, templates, rr, base_rng)
    t = np.arange(n) / fs
    wander = np.zeros(n)
    for freq, amp in zip(base_rng.uniform(0.1, 0.35, 2), base_rng.uniform(0.03, 0.08, 2), strict=True):
        wander += amp * np.sin(2 * np.pi * freq * t + base_rng.uniform(0, 2 * np.pi))
    lead_wander = wander[:, None] * np.linspace(1.0, 0.6, n_channels)[None, :]
    base_noise = noise * base_rng.standard_normal((n, n_channels))

    # Anomalies: which beats each one owns, then what it does.
    keep = np.ones(n_beats, dtype=bool)
    amps_mod, offsets_mod, sigmas_mod = amps.copy(), offsets.copy(), sigmas.copy()
    extra_beats: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    additive = np.zeros((n, n_channels))
    events: list[tuple[int, int, str, int]] = []
    if n_anomalies:
        order = [kinds[i % len(kinds)] for i in range(n_anomalies)]
        order = [order[i] for i in event_rng.permutation(n_anomalies)]
        rr_min = rr_mean * 0.92
        lengths = []  # seconds, for the time-based kinds
        owned = []  # number of beat intervals each anomaly occupies
        for kind in order:
            if kind == "level_shift":
                length = event_rng.uniform(0.5, 1.5)
            elif kind == "noise_burst":
                length = event_rng.uniform(0.5, 1.0)
            elif kind == "spike":
                length = int(event_rng.integers(2, 5)) / fs
            else:
                length = 0.0
            lengths.append(length)
            if kind == "rhythm_change":
                owned.append(3)
            elif kind in ("distorted_beat", "missing_beat"):
                owned.append(1)
            else:
                owned.append(int(np.ceil(length / rr_min)))
        # Usable beats: the whole beat (and the one after it) after the clean part, inside the series.
        lo_ext, hi_ext = _beat_extent(offsets, sigmas)
        clean_end = np.ceil(clean_fraction * n) / fs
        first = int(np.searchsorted(times + lo_ext - 0.2, clean_end))  # 0.2 s margin for distorted beats
        last = int(np.searchsorted(times + 1.5 * hi_ext, duration)) - 1  # last beat that can end an anomaly
        gap = 1  # untouched beats between two anomalies
        needed = sum(owned) + gap * (n_anomalies - 1) + 1
        available = last - first + 1
        if needed > available:
            raise ValueError(
                f"n_anomalies={n_anomalies} anomalies need about {needed} heartbeats after the clean start, "
                f"but only {max(available, 0)} fit (n_timesteps={n}, clean_fraction={clean_fraction}, "
                f"heart_rate={heart_rate:g}); lower n_anomalies or clean_fraction, or raise n_timesteps."
            )
        free = available - needed
        cuts = np.sort(event_rng.choice(free + n_anomalies, size=n_anomalies, replace=False))
        gaps = np.diff(np.concatenate([[-1], cuts])) - 1
        b = first
        for i, (kind, length, k) in enumerate(zip(order, lengths, owned, strict=True)):
            b += int(gaps[i])
            t0, t1 = times[b], times[b + k]  # the anomaly lives between these beats
            if kind in ("spike", "level_shift", "noise_burst"):
                channel = int(event_rng.integers(n_channels))
                width = max(1, int(round(length * fs)))
                s_lo, s_hi = int(np.ceil(t0 * fs)), int(np.floor(t1 * fs)) - width
                start = int(event_rng.integers(s_lo, max(s_lo, s_hi) + 1))
                end = min(start + width, n)
                span = end - start
                if kind == "spike":
                    shape = np.bartlett(span + 2)[1:-1] / np.bartlett(span + 2)[1:-1].max()
                    additive[start:end, channel] += event_rng.choice([-1, 1]) * event_rng.uniform(1.5, 3.0) * shape
                elif kind == "level_shift":
                    additive[start:end, channel] += event_rng.choice([-1, 1]) * event_rng.uniform(0.3, 0.6)
                else:
                    sd = event_rng.uniform(0.15, 0.3)
                    additive[start:end, channel] += sd * event_rng.standard_normal(span)
                events.append((start, end, kind, channel))
            elif kind == "missing_beat":
                keep[b] = False
                start, end = _beat_span(fs, n, times[b], offsets[b], sigmas[b])
                events.append((start, end, kind, -1))
            elif kind == "distorted_beat":
                start0, end0 = _beat_span(fs, n, times[b], offsets[b], sigmas[b])
                variant = int(event_rng.integers(4))
                if variant == 0:  # inverted T wave
                    amps_mod[b, _T] *= -event_rng.uniform(1.0, 1.5)
                elif variant == 1:  # wide, tall T wave
                    sigmas_mod[b, _T] *= 2.0
                    amps_mod[b, _T] *= 1.6
                elif variant == 2:  # ST elevation
                    amps_mod[b, _ST] = event_rng.uniform(0.2, 0.3) * np.sign(templates[:, _R])
                else:  # wide QRS without P wave, discordant T (ectopic-like)
                    sigmas_mod[b, [_Q, _R, _S]] *= 2.5
                    amps_mod[b, _R] *= 1.3
                    amps_mod[b, _P] = 0.0
                    amps_mod[b, _T] *= -1.2
                start1, end1 = _beat_span(fs, n, times[b], offsets_mod[b], sigmas_mod[b])
                events.append((min(start0, start1), max(end0, end1), kind, -1))
            else:  # rhythm_change: beats b .. b+k-1 replaced by a faster run between t0 and t1
                keep[b : b + k] = False
                rr_fast = rr_mean / event_rng.uniform(1.8, 2.3)
                n_fast = max(int(np.floor((t1 - t0) / rr_fast - 0.9)) + 1, k + 1)
                rr_fast = min(rr_fast, (t1 - t0) / (n_fast - 0.1))
                fast_times = t0 + rr_fast * np.arange(n_fast)
                fa, fo, fsig = _beat_params(n_fast, templates, np.full(n_fast, rr_fast), event_rng)
                extra_beats.append((fast_times, fa, fo, fsig))
                spans = [_beat_span(fs, n, times[j], offsets[j], sigmas[j]) for j in range(b, b + k)]
                spans += [_beat_span(fs, n, fast_times[j], fo[j], fsig[j]) for j in range(n_fast)]
                events.append((min(s for s, _ in spans), max(e for _, e in spans), kind, -1))
            b += k + gap

    beats = _render_beats(n, fs, times[keep], amps_mod[keep], offsets_mod[keep], sigmas_mod[keep])
    for ft, fa, fo, fsig in extra_beats:
        beats += _render_beats(n, fs, ft, fa, fo, fsig)
    values = (beats + lead_wander + base_noise + additive).astype(np.float32)

    events_df = pd.DataFrame(events, columns=["start", "end", "kind", "channel"])
    events_df = events_df.sort_values("start", ignore_index=True).astype(
        {"start": np.int64, "end": np.int64, "channel": np.int64}
    )
    labels = np.zeros(n, dtype=np.int64)
    for start, end in zip(events_df["start"], events_df["end"], strict=True):
        labels[start:end] = 1
    return EcgSeries(values=values, labels=labels, events=events_df, fs=fs)


# --------------------------------------------------------------------------------------
# Sliding windows
# --------------------------------------------------------------------------------------


def _check_window_args(n_timesteps: int, width: Any, stride: Any, series_name: str) -> tuple[int, int]:
    width = check_positive_int(width, "width")
    stride = check_positive_int(stride, "stride")
    if width > n_timesteps:
        raise ValueError(
            f"width={width} is longer than the series ({series_name} has {n_timesteps} time steps); "
            "pass a smaller width or a longer series."
        )
    return width, stride


def _n_windows(n_timesteps: int, width: int, stride: int) -> int:
    return (n_timesteps - width) // stride + 1


def window_starts(n_timesteps: int, width: int, stride: int = 1) -> np.ndarray:
    """Return the first time step of each sliding window.

    Parameters
    ----------
    n_timesteps : int
        Length of the series.
    width : int
        Window length, at most ``n_timesteps``.
    stride : int, default 1
        Step between the starts of consecutive windows.

    Returns
    -------
    ndarray of shape (n_windows,), int64
        ``0, stride, 2 * stride, ...``; ``n_windows = (n_timesteps - width) // stride + 1``.

    See Also
    --------
    sliding_windows, windows_to_timesteps
    Lesson 04 (RNN features).
    """
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    width, stride = _check_window_args(n_timesteps, width, stride, "n_timesteps")
    return np.arange(_n_windows(n_timesteps, width, stride), dtype=np.int64) * stride


def sliding_windows(x: Any, width: int, stride: int = 1) -> np.ndarray:
    """Cut a series into overlapping windows.

    Parameters
    ----------
    x : array-like of shape (n_timesteps,) or (n_timesteps, n_channels)
        The series; a 1-D series is treated as one channel.
    width : int
        Window length in time steps, at most ``n_timesteps``.
    stride : int, default 1
        Step between the starts of consecutive windows. When it does not divide
        ``n_timesteps - width``, the last few time steps are in no window.

    Returns
    -------
    ndarray of shape (n_windows, width, n_channels)
        A contiguous copy (safe to modify); float32 input stays float32, anything
        else becomes float64. ``n_windows = (n_timesteps - width) // stride + 1``.

    Notes
    -----
    When to use: to turn one long series into samples for a 1-D CNN or an LSTM,
    whose input shape is (batch, time steps, channels). Window ``i`` starts at
    ``i * stride`` (see :func:`window_starts`).

    See Also
    --------
    window_labels, windows_to_timesteps
    Lesson 03 (CNN features), lesson 04 (RNN features).
    """
    raw = x.to_numpy() if isinstance(x, (pd.DataFrame, pd.Series)) else x
    dtype = np.float32 if _is_float(raw) and np.asarray(raw).dtype == np.float32 else np.float64
    arr = check_array(raw, "x", ndim=(1, 2), dtype=dtype)
    if arr.ndim == 1:
        arr = arr[:, None]
    width, stride = _check_window_args(arr.shape[0], width, stride, "x")
    view = sliding_window_view(arr, width, axis=0)  # (n - width + 1, n_channels, width)
    return np.ascontiguousarray(view[::stride].transpose(0, 2, 1))


def window_labels(labels: Any, width: int, stride: int = 1, rule: str = "any") -> np.ndarray:
    """Give each sliding window one label from the labels of its time steps.

    Parameters
    ----------
    labels : array-like of shape (n_timesteps,)
        Per-step labels, 1 = anomaly.
    width, stride : int
        As in :func:`sliding_windows`.
    rule : {"any", "majority", "center"}, default "any"
        ``"any"``: 1 if any step in the window is anomalous (the usual choice: a
        window that contains an anomaly should be flagged); ``"majority"``: 1 if more
        than half of the steps are; ``"center"``: the label of the step at
        ``start + width // 2`` (for an even width, the later of the two middle steps).

    Returns
    -------
    ndarray of shape (n_windows,), int64

    See Also
    --------
    sliding_windows, windows_to_timesteps
    Lesson 04 (RNN features), lesson 06 (evaluation metrics).
    """
    y = check_labels(labels, "labels")
    rule = check_choice(rule, "rule", ("any", "majority", "center"))
    width, stride = _check_window_args(y.shape[0], width, stride, "labels")
    starts = np.arange(_n_windows(y.shape[0], width, stride)) * stride
    if rule == "center":
        return y[starts + width // 2]
    csum = np.concatenate([[0], np.cumsum(y)])
    counts = csum[starts + width] - csum[starts]
    out = counts > 0 if rule == "any" else 2 * counts > width
    return out.astype(np.int64)


def windows_to_timesteps(
    window_scores: Any, n_timesteps: int, width: int, stride: int = 1, reduce: str = "mean"
) -> np.ndarray:
    """Map window scores back to one score per time step.

    Parameters
    ----------
    window_scores : array-like of shape (n_windows,) or (n_windows, width)
        One score per window (e.g. its reconstruction error), or one score per step
        of each window (e.g. the squared error at each step). For several channels,
        reduce them first, e.g. ``errors.mean(axis=-1)``.
    n_timesteps : int
        Length of the original series.
    width, stride : int
        The values used to cut the windows; ``n_windows`` must equal
        ``(n_timesteps - width) // stride + 1``.
    reduce : {"mean", "max"}, default "mean"
        How to combine the scores of the windows that cover a step. ``"max"`` makes
        a step as anomalous as the worst window containing it (more alarms, earlier);
        ``"mean"`` smooths.

    Returns
    -------
    ndarray of shape (n_timesteps,), float64
        Steps covered by no window (the tail when ``stride`` does not divide
        ``n_timesteps - width``, or gaps when ``stride > width``) get the value of
        the nearest covered step (the earlier one on a tie).

    Notes
    -----
    When to use: to compare window-based detectors with per-step labels, or to
    plot scores under the series. With per-step scores of ``sliding_windows(x, ...)``
    this reproduces ``x`` exactly (for a single channel).

    See Also
    --------
    sliding_windows, window_labels
    Lesson 04 (RNN features), lesson 06 (evaluation metrics).
    """
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    width, stride = _check_window_args(n_timesteps, width, stride, "n_timesteps")
    reduce = check_choice(reduce, "reduce", ("mean", "max"))
    scores = check_array(window_scores, "window_scores")
    if scores.ndim == 3:
        raise ValueError(
            f"window_scores must be 1-D (one score per window) or 2-D (n_windows, width), got shape {scores.shape}; "
            "reduce the channels first, e.g. window_scores.mean(axis=-1)."
        )
    if scores.ndim not in (1, 2):
        raise ValueError(f"window_scores must be 1-D (n_windows,) or 2-D (n_windows, width), got shape {scores.shape}.")
    expected = _n_windows(n_timesteps, width, stride)
    if scores.shape[0] != expected:
        raise ValueError(
            f"window_scores has {scores.shape[0]} windows but n_timesteps={n_timesteps}, width={width}, "
            f"stride={stride} give {expected}; pass the same n_timesteps, width and stride as when cutting the windows."
        )
    if scores.ndim == 2 and scores.shape[1] != width:
        raise ValueError(
            f"window_scores has {scores.shape[1]} steps per window but width={width}; "
            "pass per-step scores of shape (n_windows, width) or one score per window."
        )
    per_step = np.broadcast_to(scores[:, None], (expected, width)) if scores.ndim == 1 else scores
    starts = np.arange(expected) * stride
    counts = np.zeros(n_timesteps, dtype=np.int64)
    if reduce == "mean":
        acc = np.zeros(n_timesteps)
        for j in range(width):  # each offset touches distinct steps, so plain indexing is safe
            acc[starts + j] += per_step[:, j]
            counts[starts + j] += 1
    else:
        acc = np.full(n_timesteps, -np.inf)
        for j in range(width):
            acc[starts + j] = np.maximum(acc[starts + j], per_step[:, j])
            counts[starts + j] += 1
    covered = np.flatnonzero(counts)
    out = np.empty(n_timesteps)
    out[covered] = acc[covered] / counts[covered] if reduce == "mean" else acc[covered]
    missing = np.flatnonzero(counts == 0)
    if missing.size:
        pos = np.searchsorted(covered, missing)
        left = covered[np.clip(pos - 1, 0, covered.size - 1)]
        right = covered[np.clip(pos, 0, covered.size - 1)]
        nearest = np.where(np.abs(missing - left) <= np.abs(right - missing), left, right)
        out[missing] = out[nearest]
    return out
