"""Windows and heartbeats: cut a series into spans, label the spans, map span scores back.

A sliding window and a heartbeat are the same thing to a detector: a *span* of the series,
``[start, end)`` in sample indices (end exclusive, like ``x[start:end]``). One implementation
serves both, so windows and beats cannot drift apart:

* :func:`span_labels` gives each span one label (:func:`window_labels`, :func:`beat_labels`);
* :func:`spans_to_timesteps` spreads span scores back over the time steps
  (:func:`windows_to_timesteps`, :func:`beat_scores_to_timesteps`, :func:`spans_to_labels`);
* :func:`find_runs` finds the runs of 1s of a label series, as spans: the anomaly *events*
  (``metrics.label_events`` and the plots use it).

Windows: :func:`window_starts`, :func:`window_spans`, :func:`sliding_windows`. Beats:
:func:`find_r_peaks`, :func:`segment_beats`; beats cut on their R peaks are aligned (sample
``k`` of every beat is the same moment of the cardiac cycle), fixed windows are not.

See Also
--------
Lesson 03 (CNN features), lesson 04 (RNN features), lesson 06 (evaluation metrics).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd
from scipy.signal import find_peaks

from anomaly_helpers._validate import (
    check_array,
    check_choice,
    check_labels,
    check_positive_int,
    check_positive_real,
    check_scores,
    check_spans,
)

__all__ = [
    "find_runs",
    "spans_to_labels",
    "span_labels",
    "spans_to_timesteps",
    "window_starts",
    "window_spans",
    "sliding_windows",
    "window_labels",
    "windows_to_timesteps",
    "find_r_peaks",
    "segment_beats",
    "beat_labels",
    "beat_scores_to_timesteps",
]

_RULES = ("any", "majority", "center")


# -- Spans: the one implementation behind windows, beats and events ------------------------


def _check_spans_within(spans: Any, n_timesteps: int, source: str) -> np.ndarray:
    sp = check_spans(spans)
    if sp[:, 1].max() > n_timesteps:
        raise ValueError(f"spans reach sample {sp[:, 1].max()} but {source}.")
    return sp


def find_runs(labels: Any) -> np.ndarray:
    """Find the runs of consecutive 1s in 0/1 ``labels`` (time order): the anomaly events, as spans.

    Returns
    -------
    ndarray of shape (n_runs, 2), int64
        ``[start, end)`` of each run, ``end`` exclusive, so ``labels[start:end]`` is the
        run. ``(0, 2)`` when there is no 1.

    Examples
    --------
    >>> find_runs([0, 1, 1, 0, 0, 1]).tolist()
    [[1, 3], [5, 6]]

    See Also
    --------
    spans_to_labels : the inverse.
    anomaly_helpers.metrics.label_events : the same runs as a list of pairs.
    Lesson 06 (evaluation metrics).
    """
    y = check_labels(labels, "labels")
    change = np.flatnonzero(np.diff(np.concatenate(([0], y, [0]))))
    return np.stack([change[::2], change[1::2]], axis=1).astype(np.int64)


def spans_to_labels(spans: Any, n_timesteps: int) -> np.ndarray:
    """Turn ``[start, end)`` spans (events, may be empty) into 0/1 labels: the inverse of :func:`find_runs`.

    Returns
    -------
    ndarray of shape (n_timesteps,), int64
        1 inside any span, 0 elsewhere.

    Examples
    --------
    >>> spans_to_labels([[1, 3], [5, 6]], 6).tolist()
    [0, 1, 1, 0, 0, 1]

    See Also
    --------
    find_runs, spans_to_timesteps
    """
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    if np.size(spans) == 0:
        return np.zeros(n_timesteps, dtype=np.int64)
    sp = np.asarray(spans)
    ones = np.ones(sp.shape[0] if sp.ndim == 2 else 1)
    return spans_to_timesteps(ones, spans, n_timesteps, reduce="max", fill=0.0).astype(np.int64)


def span_labels(labels: Any, spans: Any, rule: str = "any") -> np.ndarray:
    """Give each span (window or beat) one label from the per-step labels it covers.

    Parameters
    ----------
    labels : array-like of shape (n_timesteps,)
        Per-step labels, 1 = anomaly.
    spans : array-like of shape (n_spans, 2)
        ``[start, end)`` of each span, e.g. from :func:`window_spans` or :func:`segment_beats`.
    rule : {"any", "majority", "center"}, default "any"
        ``"any"``: 1 if any step of the span is anomalous (a span that contains an anomaly
        should be flagged); ``"majority"``: 1 if more than half of its steps are (a span that
        merely touches an anomaly stays normal); ``"center"``: the label of the step at
        ``start + (end - start) // 2`` (for an even length, the later of the two middle steps).

    Returns
    -------
    ndarray of shape (n_spans,), int64

    See Also
    --------
    window_labels, beat_labels
    Lesson 04 (RNN features).
    """
    y = check_labels(labels, "labels")
    rule = check_choice(rule, "rule", _RULES)
    sp = _check_spans_within(spans, y.shape[0], f"labels has only {y.shape[0]} entries; pass the labels they cover")
    starts, ends = sp[:, 0], sp[:, 1]
    if rule == "center":
        return y[starts + (ends - starts) // 2]
    csum = np.concatenate([[0], np.cumsum(y)])
    counts = csum[ends] - csum[starts]
    out = counts > 0 if rule == "any" else 2 * counts > (ends - starts)
    return out.astype(np.int64)


def _span_scores_per_step(scores: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Scores as an (n_spans, max_length) array: one per span broadcast, or one per step."""
    if scores.ndim == 1:
        return np.broadcast_to(scores[:, None], (scores.shape[0], int(lengths.max())))
    if scores.ndim != 2 or np.any(lengths != scores.shape[1]):
        raise ValueError(
            f"scores has shape {scores.shape}; pass one score per span (n_spans,), or one score per step "
            "(n_spans, length) when every span has that length."
        )
    return scores


def _nearest_fill(out: np.ndarray, counts: np.ndarray) -> None:
    """Give every uncovered step the value of the nearest covered step (the earlier on a tie)."""
    covered = np.flatnonzero(counts)
    missing = np.flatnonzero(counts == 0)
    if missing.size:
        pos = np.searchsorted(covered, missing)
        left = covered[np.clip(pos - 1, 0, covered.size - 1)]
        right = covered[np.clip(pos, 0, covered.size - 1)]
        nearest = np.where(np.abs(missing - left) <= np.abs(right - missing), left, right)
        out[missing] = out[nearest]


def spans_to_timesteps(
    scores: Any, spans: Any, n_timesteps: int, reduce: str = "mean", fill: float | None = None
) -> np.ndarray:
    """Spread span scores (windows or beats) back over the time steps they cover.

    Parameters
    ----------
    scores : array-like of shape (n_spans,) or (n_spans, length)
        One score per span, or per step of each span (then every span has ``length`` steps).
    spans : array-like of shape (n_spans, 2)
        ``[start, end)`` of each span.
    n_timesteps : int
        Length of the series.
    reduce : {"mean", "max"}, default "mean"
        How to combine the scores of the spans that cover a step: ``"max"`` makes a step
        as anomalous as the worst span containing it; ``"mean"`` smooths.
    fill : float, optional
        Score of steps covered by no span; None: that of the nearest covered step (earlier on a tie).

    Returns
    -------
    ndarray of shape (n_timesteps,), float64

    Examples
    --------
    >>> spans_to_timesteps([1.0, 3.0], [[0, 4], [2, 6]], 8, reduce="max", fill=0.0).tolist()
    [1.0, 1.0, 3.0, 3.0, 3.0, 3.0, 0.0, 0.0]

    See Also
    --------
    windows_to_timesteps, beat_scores_to_timesteps
    Lesson 04 (RNN features), lesson 06 (evaluation metrics).
    """
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    reduce = check_choice(reduce, "reduce", ("mean", "max"))
    if fill is not None and (isinstance(fill, bool) or not isinstance(fill, numbers.Real) or not np.isfinite(fill)):
        raise TypeError(f"fill must be a finite number or None, got {fill!r}; pass e.g. fill=0.0.")
    sp = _check_spans_within(spans, n_timesteps, f"n_timesteps is {n_timesteps}; pass the series' length")
    values = check_array(scores, "scores", ndim=(1, 2))
    if values.shape[0] != sp.shape[0]:
        raise ValueError(f"scores has {values.shape[0]} rows but spans has {sp.shape[0]}; pass one score per span.")
    lengths = sp[:, 1] - sp[:, 0]
    per_step = _span_scores_per_step(values, lengths)
    counts = np.zeros(n_timesteps, dtype=np.int64)
    acc = np.zeros(n_timesteps) if reduce == "mean" else np.full(n_timesteps, -np.inf)
    combine = np.add.at if reduce == "mean" else np.maximum.at
    for j in range(per_step.shape[1]):  # one offset at a time, in the same order for every span
        rows = np.flatnonzero(j < lengths)
        steps = sp[rows, 0] + j
        combine(acc, steps, per_step[rows, j])
        np.add.at(counts, steps, 1)
    covered = counts > 0
    out = np.full(n_timesteps, 0.0 if fill is None else float(fill))
    out[covered] = acc[covered] / counts[covered] if reduce == "mean" else acc[covered]
    if fill is None:
        _nearest_fill(out, counts)
    return out


# -- Sliding windows -----------------------------------------------------------------------


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


def _cut(arr: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """``arr[s : s + width]`` for every start ``s``, stacked: a new C-contiguous array."""
    return arr[starts[:, None] + np.arange(width)[None, :]]


def window_starts(n_timesteps: int, width: int, stride: int = 1) -> np.ndarray:
    """Return the first time step of each sliding window.

    Parameters
    ----------
    n_timesteps, width, stride : int
        Length of the series, window length (at most ``n_timesteps``), step between starts.

    Returns
    -------
    ndarray of shape (n_windows,), int64
        ``0, stride, 2 * stride, ...``; ``n_windows = (n_timesteps - width) // stride + 1``.

    See Also
    --------
    window_spans, sliding_windows, windows_to_timesteps
    Lesson 04 (RNN features).
    """
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    width, stride = _check_window_args(n_timesteps, width, stride, "n_timesteps")
    return np.arange(_n_windows(n_timesteps, width, stride), dtype=np.int64) * stride


def window_spans(n_timesteps: int, width: int, stride: int = 1) -> np.ndarray:
    """Return the ``[start, end)`` span of each sliding window, shape (n_windows, 2), int64.

    ``[[0, width], [stride, stride + width], ...]`` (arguments as in :func:`window_starts`):
    spans for :func:`span_labels` and :func:`spans_to_timesteps`.

    See Also
    --------
    window_starts
    segment_beats : the spans of beats.
    """
    starts = window_starts(n_timesteps, width, stride)
    return np.stack([starts, starts + width], axis=1)


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
    When to use: to turn one long series into samples for a 1-D CNN or an LSTM, whose
    input shape is (batch, time steps, channels). Window ``i`` starts at ``i * stride``.

    See Also
    --------
    window_labels, windows_to_timesteps
    Lesson 03 (CNN features), lesson 04 (RNN features).
    """
    raw = x.to_numpy() if isinstance(x, (pd.DataFrame, pd.Series)) else x
    dtype = np.float32 if getattr(raw, "dtype", None) == np.float32 else np.float64
    arr = check_array(raw, "x", ndim=(1, 2), dtype=dtype)
    if arr.ndim == 1:
        arr = arr[:, None]
    width, stride = _check_window_args(arr.shape[0], width, stride, "x")
    return _cut(arr, window_starts(arr.shape[0], width, stride), width)


def window_labels(labels: Any, width: int, stride: int = 1, rule: str = "any") -> np.ndarray:
    """Give each sliding window one label from the labels of its time steps.

    A thin wrapper of :func:`span_labels` on :func:`window_spans`.

    Parameters
    ----------
    labels : array-like of shape (n_timesteps,)
        Per-step labels, 1 = anomaly.
    width, stride : int
        As in :func:`sliding_windows`.
    rule : {"any", "majority", "center"}, default "any"
        As in :func:`span_labels`; ``"any"`` is the usual choice (a window that contains an
        anomaly should be flagged); ``"center"`` is the step at ``start + width // 2``.

    Returns
    -------
    ndarray of shape (n_windows,), int64

    See Also
    --------
    sliding_windows, windows_to_timesteps
    Lesson 04 (RNN features), lesson 06 (evaluation metrics).
    """
    y = check_labels(labels, "labels")
    width, stride = _check_window_args(y.shape[0], width, stride, "labels")
    return span_labels(y, window_spans(y.shape[0], width, stride), rule=rule)


def _check_window_scores(scores: np.ndarray, n_timesteps: int, width: int, stride: int) -> None:
    if scores.ndim not in (1, 2):
        hint = "; reduce the channels first, e.g. window_scores.mean(axis=-1)" if scores.ndim == 3 else ""
        raise ValueError(
            f"window_scores must be 1-D (one score per window) or 2-D (n_windows, width), got shape {scores.shape}{hint}."
        )
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


def windows_to_timesteps(
    window_scores: Any, n_timesteps: int, width: int, stride: int = 1, reduce: str = "mean"
) -> np.ndarray:
    """Map window scores back to one score per time step.

    A thin wrapper of :func:`spans_to_timesteps` on :func:`window_spans`.

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
    When to use: to compare window detectors with per-step labels, or to plot scores under
    the series. Per-step scores of ``sliding_windows(x, ...)`` give back ``x`` (one channel).

    See Also
    --------
    sliding_windows, window_labels
    Lesson 04 (RNN features), lesson 06 (evaluation metrics).
    """
    n_timesteps = check_positive_int(n_timesteps, "n_timesteps")
    width, stride = _check_window_args(n_timesteps, width, stride, "n_timesteps")
    reduce = check_choice(reduce, "reduce", ("mean", "max"))
    scores = check_array(window_scores, "window_scores")
    _check_window_scores(scores, n_timesteps, width, stride)
    return spans_to_timesteps(scores, window_spans(n_timesteps, width, stride), n_timesteps, reduce=reduce)


# -- Heartbeats ----------------------------------------------------------------------------


def _check_signal(x: Any, name: str = "x") -> np.ndarray:
    arr = check_array(x, name, ndim=(1, 2), min_len=2)
    if arr.ndim == 2:
        if arr.shape[1] != 1:
            raise ValueError(
                f"{name} must be one ECG lead (1-D), got shape {arr.shape}; pick one channel, e.g. {name}[:, 0]."
            )
        arr = arr[:, 0]
    return arr


def find_r_peaks(x: Any, fs: float, *, height: float | None = None, min_distance: float = 0.25) -> np.ndarray:
    """Find the R peaks (one per heartbeat) of a single-lead ECG.

    A thin wrapper of :func:`scipy.signal.find_peaks`: a peak rises above ``height`` and is at
    least ``min_distance`` seconds from a taller peak. When to use: to cut an ECG into beats
    (:func:`segment_beats`) or to compute RR intervals (``np.diff(peaks) / fs``). It assumes
    upright R waves; for an inverted lead pass ``-x``.

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
        Minimum time between two peaks, in seconds (no heart beats faster than 240 per minute).

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
    Lesson 04 (RNN features).
    """
    arr = _check_signal(x)
    fs = check_positive_real(fs, "fs", "fs=360 for MIT-BIH")
    min_distance = check_positive_real(min_distance, "min_distance", "min_distance=0.25 (seconds)")
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

    When to use: before training a detector on heartbeats (aligned beats differ only where
    the heart differs). A beat that leaves the series, or no beat fitting, raises ValueError.

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
    return _cut(arr, spans[:, 0], before + after), spans


def beat_labels(labels: Any, spans: Any, rule: str = "majority") -> np.ndarray:
    """Give each beat one label from the per-sample labels it covers.

    A thin wrapper of :func:`span_labels` (``labels`` per sample, ``spans`` from
    :func:`segment_beats`) with another default rule: ``"majority"``, so that a beat whose
    window merely touches a neighbouring abnormal beat stays normal.

    Returns
    -------
    ndarray of shape (n_beats,), int64

    See Also
    --------
    segment_beats, span_labels
    Lesson 04 (RNN features).
    """
    return span_labels(labels, spans, rule=rule)


def beat_scores_to_timesteps(beat_scores: Any, spans: Any, n_timesteps: int, fill: float = 0.0) -> np.ndarray:
    """Spread one score per beat over the samples of that beat.

    A thin wrapper of :func:`spans_to_timesteps` with ``reduce="max"``.

    When to use: to plot beat scores under the series or compare them with per-sample labels.

    Parameters
    ----------
    beat_scores : array-like of shape (n_beats,)
        One anomaly score per beat (higher = more anomalous).
    spans : array-like of shape (n_beats, 2)
        ``[start, end)`` of each beat, from :func:`segment_beats`.
    n_timesteps : int
    fill : float, default 0.0
        Score of samples that belong to no beat.

    Returns
    -------
    ndarray of shape (n_timesteps,), float64
        Where beats overlap, a sample gets the highest score of the beats covering it.

    See Also
    --------
    segment_beats, spans_to_timesteps
    Lesson 04 (RNN features).
    """
    sp = check_spans(spans)
    scores = check_scores(beat_scores, "beat_scores", n=sp.shape[0])
    return spans_to_timesteps(scores, sp, n_timesteps, reduce="max", fill=fill)
