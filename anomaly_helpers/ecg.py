"""Heartbeats from an ECG: R-peak detection, beat segmentation, beat labels and scores.

A detector that slides fixed windows over an ECG sees every beat at a different phase, so
a window's shape depends on *where* it was cut as much as on the heart. Cutting the series
into beats aligned on their R peaks (the tall spike of every beat) removes that nuisance:
sample ``k`` of every beat is then the same moment of the cardiac cycle, and a small model
trained on a handful of normal beats can learn what a normal beat looks like.

Typical use::

    peaks = ecg.find_r_peaks(x, fs=360)
    beats, spans = ecg.segment_beats(x, peaks, before=120, after=180)
    y_beats = ecg.beat_labels(labels, spans, rule="majority")
    ...  # train on the first beats, score every beat
    per_sample = ecg.beat_scores_to_timesteps(beat_scores, spans, len(x))

See Also
--------
Lesson 04 (RNN features): alignment as preprocessing on the MIT-BIH excerpt.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from scipy.signal import find_peaks

from anomaly_helpers._validate import check_array, check_choice, check_labels, check_positive_int, check_scores

__all__ = ["find_r_peaks", "segment_beats", "beat_labels", "beat_scores_to_timesteps"]


def _check_signal(x: Any, name: str = "x") -> np.ndarray:
    arr = check_array(x, name, ndim=(1, 2), min_len=2)
    if arr.ndim == 2:
        if arr.shape[1] != 1:
            raise ValueError(
                f"{name} must be one ECG lead (1-D), got shape {arr.shape}; pick one channel, e.g. {name}[:, 0]."
            )
        arr = arr[:, 0]
    return arr


def _check_positive_real(v: Any, name: str, example: str) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {v!r} ({type(v).__name__}); e.g. {example}.")
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {v}; e.g. {example}.")
    return float(v)


def _check_spans(spans: Any, name: str = "spans") -> np.ndarray:
    arr = check_array(spans, name, ndim=2)
    if arr.shape[1] != 2:
        raise ValueError(
            f"{name} must have shape (n_beats, 2) with one [start, end) pair per beat, got shape {arr.shape}; "
            "pass the spans returned by segment_beats."
        )
    if not np.all(arr == np.round(arr)):
        raise ValueError(f"{name} must hold whole sample indices, got non-integer values; use segment_beats' spans.")
    arr = arr.astype(np.int64)
    if np.any(arr[:, 0] < 0) or np.any(arr[:, 1] <= arr[:, 0]):
        raise ValueError(f"{name} must satisfy 0 <= start < end for every beat; check the spans you passed.")
    return arr


def find_r_peaks(
    x: Any,
    fs: float,
    *,
    height: float | None = None,
    min_distance: float = 0.25,
) -> np.ndarray:
    """Find the R peaks (one per heartbeat) of a single-lead ECG.

    A thin wrapper around :func:`scipy.signal.find_peaks`: a peak must rise above ``height``
    and be at least ``min_distance`` seconds from a taller peak (no heart beats faster than
    240 per minute, so 0.25 s is safe).

    When to use: to cut an ECG into beats (:func:`segment_beats`) or to compute RR intervals
    (``np.diff(peaks) / fs``). It assumes upright R waves; for an inverted lead pass ``-x``.

    Parameters
    ----------
    x : array-like of shape (n_timesteps,)
        One ECG lead (a 2-D array with one column is accepted).
    fs : float
        Sampling frequency in Hz, e.g. 360 for MIT-BIH.
    height : float, optional
        Minimum peak height in the units of ``x``. Default: halfway between the median of
        ``x`` (the baseline) and its 99.5th percentile (the typical R-peak height).
    min_distance : float, default 0.25
        Minimum time between two peaks, in seconds.

    Returns
    -------
    ndarray of shape (n_peaks,), int64
        Sample indices of the R peaks, increasing.

    Examples
    --------
    >>> x = np.zeros(1000); x[[100, 400, 700]] = 1.0
    >>> find_r_peaks(x, fs=100).tolist()
    [100, 400, 700]

    See Also
    --------
    segment_beats
    Lesson 04 (RNN features), lesson 01 (RR intervals of the MIT-BIH excerpt).
    """
    arr = _check_signal(x)
    fs = _check_positive_real(fs, "fs", "fs=360 for MIT-BIH")
    min_distance = _check_positive_real(min_distance, "min_distance", "min_distance=0.25 (seconds)")
    if height is None:
        base = float(np.median(arr))
        height = base + 0.5 * (float(np.percentile(arr, 99.5)) - base)
    elif isinstance(height, bool) or not isinstance(height, numbers.Real) or not np.isfinite(height):
        raise TypeError(f"height must be a finite number (in the units of x) or None, got {height!r}.")
    distance = max(1, int(round(min_distance * fs)))
    peaks, _ = find_peaks(arr, height=float(height), distance=distance)
    return peaks.astype(np.int64)


def segment_beats(x: Any, peaks: Any, before: int, after: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut one window per R peak, aligned so that the peak is at the same position in every beat.

    Beat ``i`` is ``x[peaks[i] - before : peaks[i] + after]``; beats whose window would leave
    the series (at its start or end) are skipped.

    When to use: before training a detector on heartbeats. Aligned beats differ only where
    the heart differs; fixed sliding windows also differ by the phase at which they were cut.

    Parameters
    ----------
    x : array-like of shape (n_timesteps,)
        One ECG lead.
    peaks : array-like of shape (n_peaks,)
        Sample indices of the R peaks, e.g. from :func:`find_r_peaks`.
    before : int
        Samples kept before each peak (>= 0); e.g. 0.33 s worth, to include the P wave.
    after : int
        Samples kept from the peak on (>= 1); e.g. 0.5 s worth, to include the T wave.

    Returns
    -------
    beats : ndarray of shape (n_beats, before + after)
        The aligned beats; the R peak is at column ``before``.
    spans : ndarray of shape (n_beats, 2), int64
        ``[start, end)`` of each beat in ``x`` (so ``x[start:end]`` is the beat).

    Raises
    ------
    ValueError
        If no beat fits inside the series, or for peaks outside it.

    See Also
    --------
    find_r_peaks, beat_labels, beat_scores_to_timesteps
    Lesson 04 (RNN features).
    """
    arr = _check_signal(x)
    p = check_array(peaks, "peaks", ndim=1)
    if not np.all(p == np.round(p)):
        raise ValueError("peaks must be whole sample indices (integers); pass the output of find_r_peaks.")
    p = p.astype(np.int64)
    if np.any(p < 0) or np.any(p >= arr.shape[0]):
        raise ValueError(
            f"peaks must lie inside the series (0 .. {arr.shape[0] - 1}), got values from {p.min()} to {p.max()}; "
            "find the peaks on the same series you segment."
        )
    before = check_positive_int(before, "before", minimum=0)
    after = check_positive_int(after, "after", minimum=1)
    fits = (p - before >= 0) & (p + after <= arr.shape[0])
    if not fits.any():
        raise ValueError(
            f"no beat fits: with before={before} and after={after} every window leaves the series "
            f"({arr.shape[0]} samples); use smaller before/after."
        )
    kept = p[fits]
    spans = np.stack([kept - before, kept + after], axis=1)
    beats = arr[spans[:, :1] + np.arange(before + after)[None, :]]
    return beats, spans


def beat_labels(labels: Any, spans: Any, rule: str = "majority") -> np.ndarray:
    """Give each beat one label from the per-sample labels it covers.

    Parameters
    ----------
    labels : array-like of shape (n_timesteps,)
        Per-sample labels, 1 = anomaly.
    spans : array-like of shape (n_beats, 2)
        ``[start, end)`` of each beat, as returned by :func:`segment_beats`.
    rule : {"majority", "any"}, default "majority"
        ``"majority"``: 1 if more than half of the beat's samples are labelled 1 (a beat whose
        window merely touches a neighbouring abnormal beat stays normal); ``"any"``: 1 if any
        sample is.

    Returns
    -------
    ndarray of shape (n_beats,), int64

    See Also
    --------
    segment_beats
    Lesson 04 (RNN features).
    """
    y = check_labels(labels, "labels")
    rule = check_choice(rule, "rule", ("majority", "any"))
    sp = _check_spans(spans)
    if sp[:, 1].max() > y.shape[0]:
        raise ValueError(
            f"spans reach sample {sp[:, 1].max()} but labels has only {y.shape[0]} entries; "
            "pass the labels of the series the beats were cut from."
        )
    csum = np.concatenate([[0], np.cumsum(y)])
    counts = csum[sp[:, 1]] - csum[sp[:, 0]]
    out = counts > 0 if rule == "any" else 2 * counts > (sp[:, 1] - sp[:, 0])
    return out.astype(np.int64)


def beat_scores_to_timesteps(beat_scores: Any, spans: Any, n_timesteps: int, fill: float = 0.0) -> np.ndarray:
    """Spread one score per beat over the samples of that beat.

    When to use: to plot beat scores under the series (e.g. with
    ``plotting.plot_series_with_events``) or to compare them with per-sample labels.

    Parameters
    ----------
    beat_scores : array-like of shape (n_beats,)
        One anomaly score per beat (higher = more anomalous).
    spans : array-like of shape (n_beats, 2)
        ``[start, end)`` of each beat, from :func:`segment_beats`.
    n_timesteps : int
        Length of the series.
    fill : float, default 0.0
        Score of samples that belong to no beat.

    Returns
    -------
    ndarray of shape (n_timesteps,), float64
        Where beats overlap, a sample gets the highest score of the beats covering it.

    See Also
    --------
    segment_beats
    Lesson 04 (RNN features).
    """
    sp = _check_spans(spans)
    scores = check_scores(beat_scores, "beat_scores", n=sp.shape[0])
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    if isinstance(fill, bool) or not isinstance(fill, numbers.Real) or not np.isfinite(fill):
        raise TypeError(f"fill must be a finite number, got {fill!r}.")
    if sp[:, 1].max() > n_timesteps:
        raise ValueError(
            f"spans reach sample {sp[:, 1].max()} but n_timesteps is {n_timesteps}; pass the series' length."
        )
    out = np.full(n_timesteps, -np.inf)
    for (start, end), s in zip(sp, scores, strict=True):
        out[start:end] = np.maximum(out[start:end], s)
    out[np.isneginf(out)] = float(fill)
    return out
