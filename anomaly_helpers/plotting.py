"""Plot helpers for the lessons: series with events, score histograms, ROC/PR, reconstructions.

Every helper takes ``ax=None`` (or ``axes=None`` when it draws several panels),
creates a figure only when none is given, labels its axes and returns the axes. None
calls ``plt.show()`` or changes Matplotlib's global style.

Colours follow one code throughout the course: **normal = blue**, **anomaly = red**,
**threshold = orange dashed**; no-skill reference lines are grey and dotted.

Lessons 01 (what is anomaly detection), 03 (CNN features), 05 (training), 06 (evaluation
metrics) and 07 (the article's code example) use these plots. The plots of scores and decisions
are written in ``_plot_evaluation.py``, those of models in ``_plot_models.py``; import every
plot helper from here.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from anomaly_helpers._plot_common import ANOMALY_COLOR, NORMAL_COLOR, THRESHOLD_COLOR
from anomaly_helpers._plot_common import check_axes as _check_axes
from anomaly_helpers._plot_common import legend_above as _legend_above
from anomaly_helpers._plot_evaluation import plot_confusion, plot_roc_pr, plot_score_hist
from anomaly_helpers._plot_models import (
    plot_feature_maps,
    plot_image_reconstructions,
    plot_series_reconstruction,
    plot_training_curves,
)
from anomaly_helpers._validate import (
    check_array,
    check_labels,
    check_scores,
    check_threshold,
)
from anomaly_helpers.series import find_runs

__all__ = [
    "NORMAL_COLOR",
    "ANOMALY_COLOR",
    "THRESHOLD_COLOR",
    "plot_series_with_events",
    "plot_score_hist",
    "plot_roc_pr",
    "plot_confusion",
    "plot_image_reconstructions",
    "plot_series_reconstruction",
    "plot_training_curves",
    "plot_feature_maps",
]


# -- small private helpers -----------------------------------------------------------------
def _time_axis(t: Any, n: int) -> np.ndarray:
    if t is None:
        return np.arange(n)
    arr = np.asarray(t)
    if arr.dtype.kind != "M":  # numbers; datetimes are kept as they are
        arr = check_array(t, "t", ndim=1)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"t has shape {arr.shape} but values has {n} samples; pass one time stamp per sample.")
    return arr


def _event_table(events: Any) -> tuple[np.ndarray, list[str]] | None:
    """[start, end) sample spans and kinds from an events DataFrame (start, end exclusive[, kind])."""
    if not isinstance(events, pd.DataFrame):
        return None
    missing = {"start", "end"} - set(events.columns)
    if missing:
        raise ValueError(
            f"events is a DataFrame without the column(s) {sorted(missing)}; pass a table with 'start' and "
            "'end' (end exclusive, sample indices), like make_ecg_like(...).events, or a list of (start, end) pairs."
        )
    spans = events[["start", "end"]].to_numpy().astype(np.int64).reshape(-1, 2)
    for i, (a, b) in enumerate(spans):
        if b <= a:
            raise ValueError(
                f"events row {i} is empty or ends before it starts (start={a}, end={b}); end is exclusive, so it "
                "must be > start."
            )
    kinds = [str(k) for k in events["kind"]] if "kind" in events.columns else []
    return spans, kinds


def _check_events(events: Any) -> list[tuple[Any, Any]]:
    try:
        pairs = [tuple(e) for e in events]
    except TypeError:
        raise TypeError(
            f"events must be a list of (start, end) pairs, got {type(events).__name__}; e.g. events=[(120, 140)]."
        ) from None
    for i, p in enumerate(pairs):
        if len(p) != 2:
            raise ValueError(f"events[{i}] has {len(p)} value(s); each event is a (start, end) pair, e.g. (120, 140).")
        if p[1] <= p[0]:
            raise ValueError(
                f"events[{i}] ends before it starts or is empty ({p[0]!r} >= {p[1]!r}); pass (start, end) with the "
                "end exclusive, e.g. (120, 140) for steps 120 to 139."
            )
    return pairs


# -- time series ---------------------------------------------------------------------------
def _event_extents(
    lab: np.ndarray | None, table: tuple[np.ndarray, list[str]] | None, pairs: list, tt: np.ndarray
) -> tuple[list[tuple[Any, Any]], list[str]]:
    """x extents to shade (in the units of ``tt``) and kinds; every event is ``[start, end)``.

    An event covering samples ``start .. end - 1`` is shaded from half a sample spacing before
    the first to half a spacing after the last, whichever form it came in.
    """
    n = tt.shape[0]
    half = (tt[1] - tt[0]) / 2 if n > 1 else 0.5
    if lab is not None:
        return [(tt[a] - half, tt[b - 1] + half) for a, b in find_runs(lab)], []
    if table is not None:
        for a, b in table[0]:
            if not (0 <= a and b <= n):
                raise ValueError(f"events has an event ({a}, {b}) outside the series of {n} samples.")
        return [(tt[a] - half, tt[b - 1] + half) for a, b in table[0]], table[1]
    # (start, end) pairs in the units of t, end exclusive: the same cells as the samples they hold
    return [(a - half, b - half) for a, b in pairs], []


def _shade_events(axs: np.ndarray, ev: list[tuple[Any, Any]], kinds: list[str], tt: np.ndarray) -> None:
    """Shade each event on every panel; label it with its kind on the top panel."""
    n, ax = tt.shape[0], axs[0]
    # Very short events (a spike of a few samples) would be invisible: widen their shading.
    min_width = (tt[-1] - tt[0]) * 0.004 if n > 1 and not isinstance(tt[0], np.datetime64) else 0
    for i, (start, end) in enumerate(ev):
        if min_width and end - start < min_width:
            mid = (start + end) / 2
            start, end = mid - min_width / 2, mid + min_width / 2
        for a in axs:
            a.axvspan(start, end, color=ANOMALY_COLOR, alpha=0.2, lw=0)
        if kinds:
            ax.text(
                start,
                0.98 - 0.09 * (i % 2),
                kinds[i].replace("_", " "),
                transform=ax.get_xaxis_transform(),
                fontsize=7,
                va="top",
                ha="left",
                color="0.2",
            )


def _plot_score_panel(ax2: Axes, tt: np.ndarray, sc: np.ndarray, thr: float | None) -> None:
    ax2.plot(tt, sc, color="0.25", lw=1.0, label="anomaly score")
    if thr is not None:
        ax2.axhline(thr, color=THRESHOLD_COLOR, ls="--", lw=1.5, label=f"threshold = {thr:.3g}")
        above = sc >= thr
        if above.any():
            ax2.scatter(tt[above], sc[above], s=10, color=ANOMALY_COLOR, zorder=3, label="flagged")
    ax2.set_ylabel("score")
    _legend_above(ax2)


def plot_series_with_events(
    values: Any,
    labels: Any = None,
    events: Any = None,
    scores: Any = None,
    threshold: float | None = None,
    t: Any = None,
    axes: Any = None,
    title: str | None = None,
) -> np.ndarray:
    """Plot a series with its anomalous events shaded, and optionally its anomaly score below.

    Parameters
    ----------
    values : array-like of shape (n_samples,) or (n_samples, n_channels)
        The series (one line per channel).
    labels : array-like of shape (n_samples,), optional
        Point labels, 1 = anomaly; each run of 1s is shaded as one event. Pass
        ``labels`` *or* ``events``, not both.
    events : list of (start, end) pairs, or DataFrame, optional
        Anomalous intervals in the units of ``t`` (sample indices when ``t`` is None),
        end exclusive, like the output of ``metrics.label_events``. A DataFrame with
        columns ``start`` and ``end`` (sample indices, end exclusive), such as
        ``make_ecg_like(...).events``, is also accepted; its ``kind`` column, if present,
        labels each shaded span. Each shaded span covers exactly the samples of its event
        (half a sample spacing either side of the first and last sample).
    scores : array-like of shape (n_samples,), optional
        Anomaly score of each sample (higher = more anomalous), drawn on a second
        panel below the series.
    threshold : float, optional
        Decision threshold, drawn on the score panel; samples above it are marked red.
        Needs ``scores``.
    t : array-like of shape (n_samples,), optional
        Time stamps (numbers or datetimes); sample indices by default.
    axes : Axes or array of Axes, optional
        One Axes without ``scores``, an array of two (series, score) with ``scores``.
        By default a new figure is created, with a shared x axis.
    title : str, optional
        Title of the top panel.

    Returns
    -------
    axes : ndarray of Axes, shape (1,) or (2,)
        ``axes[0]`` holds the series, ``axes[1]`` (when ``scores`` is given) the score.

    See Also
    --------
    anomaly_helpers.metrics.label_events : events from labels, in the form ``events`` takes.

    Notes
    -----
    Used in lesson 00 (start here), lesson 01 (what is anomaly detection), lesson 04 (RNN
    features) and lesson 06 (evaluation metrics).
    """
    vals = check_array(values, "values", ndim=(1, 2))
    n = vals.shape[0]
    tt = _time_axis(t, n)
    if labels is not None and events is not None:
        raise ValueError("pass either labels (0/1 per sample) or events ((start, end) pairs), not both.")
    lab = check_labels(labels, "labels", n=n) if labels is not None else None
    table = _event_table(events)
    ev = _check_events(events) if events is not None and table is None else []
    sc = check_scores(scores, "scores", n=n) if scores is not None else None
    thr = check_threshold(threshold) if threshold is not None else None
    if thr is not None and sc is None:
        raise ValueError("threshold needs scores: pass scores=... to draw the threshold on the score panel.")
    n_panels = 2 if sc is not None else 1

    if axes is None:
        height_ratios = [2, 1] if n_panels == 2 else [1]
        _, axes = plt.subplots(
            n_panels,
            1,
            sharex=True,
            figsize=(10, 3.2 if n_panels == 1 else 4.8),
            gridspec_kw={"height_ratios": height_ratios},
            layout="constrained",
        )
    axs = _check_axes(axes, n_panels)

    ax = axs[0]
    if vals.ndim == 1:
        ax.plot(tt, vals, color=NORMAL_COLOR, lw=1.0, label="series")
    else:
        for c in range(vals.shape[1]):
            ax.plot(tt, vals[:, c], lw=1.0, label=f"channel {c}")
    ev, kinds = _event_extents(lab, table, ev, tt)
    _shade_events(axs, ev, kinds, tt)
    ax.set_ylabel("value")
    handles, _ = ax.get_legend_handles_labels()
    if ev or lab is not None:
        handles.append(Patch(color=ANOMALY_COLOR, alpha=0.2, label="anomaly (label)"))
    _legend_above(ax, handles)
    if title is not None:
        ax.set_title(title, loc="left")

    if sc is not None:
        _plot_score_panel(axs[1], tt, sc, thr)
    axs[-1].set_xlabel("time" if t is not None else "time step")
    return axs
