"""Input checks shared by every helper.

Each check returns a clean NumPy array (or value) or raises a ``ValueError`` /
``TypeError`` whose message names the argument, says what was wrong and what to
pass instead. Learners meet these messages every day, so they are part of the
teaching: keep them short, concrete and actionable.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

__all__ = [
    "check_features",
    "check_array",
    "check_labels",
    "check_scores",
    "check_same_length",
    "check_fraction",
    "check_positive_int",
    "check_positive_real",
    "check_spans",
    "check_threshold",
    "check_choice",
    "check_random_state",
    "check_bool",
    "seed_from_random_state",
]


def _describe(x: Any) -> str:
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"a {type(x).__name__}"


def _non_numeric_columns(frame: Any) -> list[str]:
    import pandas as pd

    return [str(c) for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]


def _to_numeric_array(x: Any, name: str) -> np.ndarray:
    """Convert ``x`` to a float array, with a clear error for text or objects."""
    if x is None:
        raise TypeError(f"{name} is None; pass a NumPy array or pandas object with numbers.")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} is a string ({x!r}); pass a NumPy array or pandas object with numbers.")
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a runtime dependency
        pd = None
    if pd is not None and isinstance(x, pd.DataFrame):
        bad = _non_numeric_columns(x)
        if bad:
            raise TypeError(
                f"{name} has non-numeric column(s) {bad[:5]}; drop them or encode them as numbers "
                f"(e.g. {name}.drop(columns={bad[:5]!r})) before passing {name}."
            )
        x = x.to_numpy()
    elif pd is not None and isinstance(x, pd.Series):
        if not pd.api.types.is_numeric_dtype(x):
            raise TypeError(f"{name} has dtype {x.dtype}, not numbers; convert it with pd.to_numeric first.")
        x = x.to_numpy()
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged nested lists and the like
        raise TypeError(
            f"{name} could not be turned into an array ({exc}); pass a rectangular array of numbers."
        ) from exc
    if arr.dtype == object or arr.dtype.kind in "USV":
        raise TypeError(
            f"{name} contains non-numeric values (dtype {arr.dtype}); pass numbers only "
            f"(convert text columns, or drop them) before passing {name}."
        )
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} is complex-valued; pass real numbers.")
    return arr.astype(np.float64, copy=False) if arr.dtype.kind in "biu" else arr


def check_array(
    x: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    allow_nan: bool = False,
    min_len: int = 1,
    dtype: Any = np.float64,
) -> np.ndarray:
    """Return ``x`` as a numeric array after checking dimensions, size and finiteness.

    Parameters
    ----------
    x : array-like
        The input to check.
    name : str
        The argument's name, used in error messages.
    ndim : int or tuple of int, optional
        Allowed number(s) of dimensions.
    allow_nan : bool, default False
        Whether NaN (and inf) values are allowed.
    min_len : int, default 1
        Minimum length of the first axis.
    dtype : numpy dtype, default float64
        The dtype of the returned array.

    Returns
    -------
    ndarray
    """
    arr = _to_numeric_array(x, name)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            hint = ""
            if arr.ndim == 1 and 2 in allowed:
                hint = (
                    f" For a single feature use {name}.reshape(-1, 1); for a single sample use {name}.reshape(1, -1)."
                )
            elif arr.ndim == 0:
                hint = f" Wrap a single value in a list, e.g. [{name}]."
            elif arr.ndim > max(allowed):
                hint = (
                    f" Pass one row per sample: flatten the extra axes, e.g. {name}.reshape(len({name}), -1),"
                    " or select the part you mean."
                )
            elif arr.ndim == 2 and 1 in allowed:
                hint = f" Pass one value per sample: select one column, or use {name}.ravel() if it has one."
            raise ValueError(f"{name} must be {want}, got {_describe(arr)}.{hint}")
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an array, got the single value {arr!r}; wrap it in a list.")
    if arr.shape[0] < min_len or arr.size == 0:
        raise ValueError(
            f"{name} is empty or too short (shape {arr.shape}); it needs at least {min_len} "
            f"{'entry' if min_len == 1 else 'entries'} along its first axis. Check the filtering or split that produced it."
        )
    arr = arr.astype(dtype, copy=False)
    if not allow_nan:
        bad = ~np.isfinite(arr)
        if bad.any():
            n_bad = int(bad.sum())
            raise ValueError(
                f"{name} contains {n_bad} NaN or infinite value(s) out of {arr.size}; "
                "remove or impute them first (see lesson 02, e.g. sklearn.impute.SimpleImputer)."
            )
    return arr


def check_features(x: Any, name: str = "X", *, min_samples: int = 1, n_features: int | None = None) -> np.ndarray:
    """Check a feature matrix of shape (n_samples, n_features) and return it as float64.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
    name : str, default "X"
    min_samples : int, default 1
    n_features : int, optional
        If given, the required number of columns (e.g. the number a model was fitted on).

    Returns
    -------
    ndarray of shape (n_samples, n_features)
    """
    arr = check_array(x, name, ndim=2, min_len=min_samples)
    if arr.shape[1] == 0:
        raise ValueError(f"{name} has no columns (shape {arr.shape}); pass at least one feature.")
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(
            f"{name} has {arr.shape[1]} feature(s) but {n_features} were expected (the number seen in fit); "
            "pass data with the same columns as the training data."
        )
    return arr


def check_labels(y: Any, name: str = "y", *, n: int | None = None, require_both: bool = False) -> np.ndarray:
    """Check binary labels (1 = anomaly, 0 = normal) and return them as an int array.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels 0/1 (or booleans).
    name : str, default "y"
    n : int, optional
        Required length (e.g. the number of scores).
    require_both : bool, default False
        Whether both classes must be present (needed for ROC-AUC, PR-AUC, best-F1 thresholds).

    Returns
    -------
    ndarray of shape (n_samples,) and dtype int64
    """
    arr = _to_numeric_array(y, name) if not isinstance(y, np.ndarray) or y.dtype != bool else y
    arr = np.asarray(arr)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D labels, got {_describe(arr)}; pass one 0/1 label per sample.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty; pass one 0/1 label per sample.")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values; labels must be 0 (normal) or 1 (anomaly).")
    values = np.unique(arr)
    if not np.all(np.isin(values, [0, 1])):
        shown = ", ".join(repr(v.item()) for v in values[:6])
        raise ValueError(
            f"{name} must contain only 0 (normal) and 1 (anomaly), found values [{shown}]. "
            f"Map your classes first, e.g. ({name} == anomaly_class).astype(int)."
        )
    arr = arr.astype(np.int64)
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} labels but {n} were expected; pass one label per sample/score.")
    if require_both and values.size < 2:
        only = "normal (0)" if values[0] == 0 else "anomaly (1)"
        raise ValueError(
            f"{name} contains only {only} labels; this needs both classes. "
            "Use a split that keeps some anomalies and some normal samples (e.g. stratify=y)."
        )
    return arr


def check_scores(s: Any, name: str = "scores", *, n: int | None = None) -> np.ndarray:
    """Check a 1-D array of finite anomaly scores (higher = more anomalous).

    Returns
    -------
    ndarray of shape (n_samples,)
    """
    arr = _to_numeric_array(s, name)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()
    arr = check_array(arr, name, ndim=1)
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} values but {n} were expected; pass one score per sample.")
    return arr


def check_same_length(a: Any, b: Any, name_a: str, name_b: str) -> None:
    """Raise if ``a`` and ``b`` do not have the same length."""
    if len(a) != len(b):
        raise ValueError(
            f"{name_a} and {name_b} have different lengths ({len(a)} vs {len(b)}); "
            "pass arrays with one entry per sample, from the same split."
        )


def check_fraction(v: Any, name: str, *, low: float = 0.0, high: float = 1.0, inclusive: str = "neither") -> float:
    """Check that ``v`` is a real number between ``low`` and ``high``.

    Parameters
    ----------
    inclusive : {"neither", "both", "left", "right"}
    """
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a number between {low} and {high}, got {v!r} ({type(v).__name__}).")
    v = float(v)
    lo_ok = v >= low if inclusive in ("both", "left") else v > low
    hi_ok = v <= high if inclusive in ("both", "right") else v < high
    if not (np.isfinite(v) and lo_ok and hi_ok):
        lb = "[" if inclusive in ("both", "left") else "("
        rb = "]" if inclusive in ("both", "right") else ")"
        raise ValueError(f"{name} must be in {lb}{low}, {high}{rb}, got {v}; pass a value in that range.")
    return v


def check_positive_int(v: Any, name: str, *, minimum: int = 1) -> int:
    """Check that ``v`` is an integer >= ``minimum``."""
    if isinstance(v, bool) or not isinstance(v, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {v!r} ({type(v).__name__}).")
    if v < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {v}; pass e.g. {name}={minimum}.")
    return int(v)


def check_positive_real(v: Any, name: str, example: str) -> float:
    """Check that ``v`` is a finite real number > 0; ``example`` (e.g. "fs=360") goes into the message."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {v!r} ({type(v).__name__}); e.g. {example}.")
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {v}; e.g. {example}.")
    return float(v)


def check_spans(spans: Any, name: str = "spans") -> np.ndarray:
    """Check ``[start, end)`` spans (windows, beats, events) and return them as int64 of shape (n_spans, 2)."""
    arr = check_array(spans, name, ndim=2)
    if arr.shape[1] != 2:
        raise ValueError(
            f"{name} must have shape (n_spans, 2) with one [start, end) pair per span, got shape {arr.shape}; "
            "pass the spans returned by segment_beats, window_spans or find_runs."
        )
    if not np.all(arr == np.round(arr)):
        raise ValueError(f"{name} must hold whole sample indices, got non-integer values; use segment_beats' spans.")
    arr = arr.astype(np.int64)
    if np.any(arr[:, 0] < 0) or np.any(arr[:, 1] <= arr[:, 0]):
        raise ValueError(f"{name} must satisfy 0 <= start < end for every span; check the spans you passed.")
    return arr


def check_threshold(t: Any, name: str = "threshold") -> float:
    """Check that a threshold is a finite real number."""
    if isinstance(t, bool) or not isinstance(t, numbers.Real):
        raise TypeError(
            f"{name} must be a single finite number, got {t!r} ({type(t).__name__}); pass a number, e.g. float({t!r})"
            if isinstance(t, str)
            else f"{name} must be a single finite number, got {t!r} ({type(t).__name__}); pass one number."
        )
    if not np.isfinite(t):
        raise ValueError(f"{name} must be finite, got {t}; pick a value within the range of the scores.")
    return float(t)


def check_choice(v: Any, name: str, choices: tuple[str, ...] | list[str]) -> str:
    """Check that ``v`` is one of ``choices``."""
    if v not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {v!r}.")
    return v


def check_bool(v: Any, name: str) -> bool:
    """Check that ``v`` is ``True`` or ``False`` (a NumPy bool is accepted)."""
    if not isinstance(v, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False, got {v!r} ({type(v).__name__}); pass {name}=True or {name}=False."
        )
    return bool(v)


def check_random_state(v: Any, name: str = "random_state") -> np.random.Generator:
    """Turn ``random_state`` into a NumPy ``Generator``: the one rule for randomness.

    Every helper that draws random numbers takes ``random_state`` and passes it here.

    Parameters
    ----------
    v : None, int or numpy.random.Generator
        ``None`` gives fresh, unseeded randomness; a non-negative int gives a generator
        seeded with it (the same int, the same draws); a ``Generator`` is used as it is
        (so draws continue from its state, as in scikit-learn and NumPy).
    name : str
        The argument's name, used in the error message.

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    TypeError
        For anything else (a float, a string, a legacy ``RandomState``, a bool).
    ValueError
        For a negative int.
    """
    if v is None:
        return np.random.default_rng()
    if isinstance(v, np.random.Generator):
        return v
    if isinstance(v, bool) or not isinstance(v, numbers.Integral):
        raise TypeError(
            f"{name} must be None, a non-negative int or a numpy.random.Generator, got {v!r} "
            f"({type(v).__name__}); pass e.g. {name}=0 or {name}=np.random.default_rng(0)."
        )
    if v < 0:
        raise ValueError(f"{name} must be a non-negative int, got {v}; pass e.g. {name}=0.")
    return np.random.default_rng(int(v))


def seed_from_random_state(v: Any, name: str = "random_state") -> int | None:
    """Return an int seed for libraries that want one (scikit-learn, Keras) from ``random_state``.

    ``None`` stays ``None`` (unseeded); an int is checked and returned; a ``Generator`` gives a
    seed drawn from it (so the caller's generator advances, as it would for any draw).
    """
    if v is None:
        return None
    if isinstance(v, np.random.Generator):
        return int(v.integers(0, 2**31 - 1))
    check_random_state(v, name)
    return int(v)
