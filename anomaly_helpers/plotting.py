"""Plot helpers for the lessons: series with events, score histograms, ROC/PR, reconstructions.

Every helper takes ``ax=None`` (or ``axes=None`` when it draws several panels),
creates a figure only when none is given, labels its axes and returns the axes. None
calls ``plt.show()`` or changes Matplotlib's global style.

Colours follow one code throughout the course: **normal = blue**, **anomaly = red**,
**threshold = orange dashed**; no-skill reference lines are grey and dotted.

See Also
--------
Lesson 01 (what is anomaly detection), 05 (training), 06 (evaluation metrics),
03 (CNN features) and 07 (the article's code example) use these plots.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from anomaly_helpers._validate import (
    check_array,
    check_labels,
    check_positive_int,
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

#: Colour of normal samples (and of the raw series).
NORMAL_COLOR = "tab:blue"
#: Colour of anomalies (labelled events, flagged points, reconstruction error).
ANOMALY_COLOR = "tab:red"
#: Colour of the decision threshold.
THRESHOLD_COLOR = "tab:orange"
_NO_SKILL_COLOR = "0.55"
_NO_SKILL_GID = "no-skill"


# -- small private helpers -----------------------------------------------------------------
def _check_axes(axes: Any, n: int, name: str = "axes") -> np.ndarray:
    """Return ``axes`` as a flat object array of ``n`` Axes, or raise."""
    arr = np.atleast_1d(np.asarray(axes, dtype=object)).ravel()
    if arr.size != n or not all(isinstance(a, Axes) for a in arr):
        raise ValueError(
            f"{name} must be {'an Axes or ' if n == 1 else ''}an array of {n} Matplotlib Axes, "
            f"got {arr.size} object(s); pass e.g. plt.subplots({n}, 1)[1], or leave {name}=None."
        )
    return arr


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


def _legend_above(ax: Axes, handles: list | None = None) -> None:
    """A one-row legend above the axes, so it never hides data."""
    kwargs = {"handles": handles} if handles is not None else {}
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=4, frameon=False, fontsize="small", **kwargs)


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
    Lesson 01 (what is anomaly detection), lesson 03 (CNN features), lesson 04 (RNN
    features), lesson 06 (evaluation metrics).
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


# -- scores and evaluation -------------------------------------------------------------------
def plot_score_hist(
    scores: Any,
    y_true: Any,
    threshold: float | None = None,
    ax: Axes | None = None,
    bins: int = 40,
    density: bool = True,
) -> Axes:
    """Histogram of anomaly scores by class (normal vs anomaly), with the threshold.

    Both classes share the same bin edges. With ``density=True`` (the default) each
    class's histogram has area 1, so the rare anomalies stay visible next to the
    many normal samples; compare *shapes and overlap*, not heights. Pass
    ``density=False`` for raw counts.

    Parameters
    ----------
    scores : array-like of shape (n_samples,)
        Anomaly scores (higher = more anomalous).
    y_true : array-like of shape (n_samples,)
        Labels, 1 = anomaly, 0 = normal.
    threshold : float, optional
        Drawn as a vertical orange dashed line.
    ax : Axes, optional
    bins : int, default 40
    density : bool, default True

    Returns
    -------
    ax : Axes

    See Also
    --------
    Lesson 06 (evaluation metrics): choosing a threshold.
    """
    s = check_scores(scores, "scores")
    y = check_labels(y_true, "y_true", n=s.shape[0])
    bins = check_positive_int(bins, "bins")
    thr = check_threshold(threshold) if threshold is not None else None
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    lo, hi = float(s.min()), float(s.max())
    if thr is not None:
        lo, hi = min(lo, thr), max(hi, thr)
    if hi == lo:
        lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, bins + 1)
    for cls, color, name in ((0, NORMAL_COLOR, "normal"), (1, ANOMALY_COLOR, "anomaly")):
        part = s[y == cls]
        if part.size:
            ax.hist(
                part,
                bins=edges,
                density=density,
                histtype="stepfilled",
                color=color,
                alpha=0.45,
                ec=color,
                label=f"{name} (n={part.size})",
            )
    if thr is not None:
        ax.axvline(thr, color=THRESHOLD_COLOR, ls="--", lw=2, label=f"threshold = {thr:.3g}")
    ax.set_xlabel("anomaly score")
    ax.set_ylabel("density" if density else "count")
    ax.set_title("Anomaly scores by class")
    ax.legend(fontsize="small")
    return ax


def _has_no_skill_line(ax: Axes, ydata: Any) -> bool:
    return any(line.get_gid() == _NO_SKILL_GID and np.allclose(line.get_ydata(), ydata) for line in ax.get_lines())


def plot_roc_pr(y_true: Any, scores: Any, axes: Any = None, label: str | None = None) -> np.ndarray:
    """ROC curve and precision-recall curve side by side, with no-skill baselines.

    The ROC panel shows the diagonal of a random ranking; the PR panel shows a
    horizontal line at the prevalence (fraction of anomalies), which is what a random
    ranking achieves there. The legend gives ROC-AUC and average precision (PR-AUC).
    Call it again with the returned axes to overlay another model.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels, 1 = anomaly, 0 = normal (both needed).
    scores : array-like of shape (n_samples,)
        Anomaly scores (higher = more anomalous).
    axes : array of 2 Axes, optional
        (ROC axes, PR axes). A new 1 x 2 figure by default.
    label : str, optional
        Model name for the legend.

    Returns
    -------
    axes : ndarray of Axes, shape (2,)

    See Also
    --------
    Lesson 06 (evaluation metrics): why PR beats ROC when anomalies are rare.
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve

    s = check_scores(scores, "scores")
    y = check_labels(y_true, "y_true", n=s.shape[0], require_both=True)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 4.4), layout="constrained")
    ax_roc, ax_pr = _check_axes(axes, 2)
    prefix = f"{label} " if label else ""

    fpr, tpr, _ = roc_curve(y, s)
    auc = roc_auc_score(y, s)
    ax_roc.plot(fpr, tpr, lw=2, label=f"{prefix}(ROC-AUC = {auc:.3f})".strip())
    if not _has_no_skill_line(ax_roc, [0, 1]):
        ax_roc.plot([0, 1], [0, 1], ls=":", color=_NO_SKILL_COLOR, gid=_NO_SKILL_GID, label="no skill (0.5)")
    ax_roc.set_xlabel("false positive rate")
    ax_roc.set_ylabel("true positive rate (recall)")
    ax_roc.set_title("ROC curve")

    precision, recall, _ = precision_recall_curve(y, s)
    ap = average_precision_score(y, s)
    prevalence = float(y.mean())
    ax_pr.plot(recall, precision, lw=2, drawstyle="steps-post", label=f"{prefix}(AP = {ap:.3f})".strip())
    if not _has_no_skill_line(ax_pr, [prevalence, prevalence]):
        ax_pr.plot(
            [0, 1],
            [prevalence, prevalence],
            ls=":",
            color=_NO_SKILL_COLOR,
            gid=_NO_SKILL_GID,
            label=f"no skill (prevalence {prevalence:.3f})",
        )
    ax_pr.set_xlabel("recall")
    ax_pr.set_ylabel("precision")
    ax_pr.set_title("Precision-recall curve")

    for a, loc in ((ax_roc, "lower right"), (ax_pr, "lower left")):
        a.set_xlim(-0.02, 1.02)
        a.set_ylim(-0.02, 1.02)
        a.set_aspect("equal")
        lines = [h for h in a.get_lines() if not h.get_label().startswith("_")]
        lines.sort(key=lambda h: h.get_gid() == _NO_SKILL_GID)  # models first, no-skill line(s) last
        a.legend(handles=lines, loc=loc, fontsize="small")
    return np.array([ax_roc, ax_pr], dtype=object)


def plot_confusion(y_true: Any, y_pred: Any, ax: Axes | None = None) -> Axes:
    """Annotated 2 x 2 confusion matrix with "normal"/"anomaly" labels.

    Rows are the true class, columns the predicted class; each cell shows its name
    (TN, FP, FN, TP), its count and its share of the true class (the row).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, 1 = anomaly, 0 = normal.
    y_pred : array-like of shape (n_samples,)
        Predicted labels (e.g. ``scores > threshold``), 1 = anomaly.
    ax : Axes, optional

    Returns
    -------
    ax : Axes

    See Also
    --------
    Lesson 06 (evaluation metrics).
    """
    yt = check_labels(y_true, "y_true")
    yp = check_labels(y_pred, "y_pred", n=yt.shape[0])
    cm = np.zeros((2, 2), dtype=int)
    np.add.at(cm, (yt, yp), 1)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 3.8), layout="constrained")
    ax.imshow(cm, cmap="Blues", vmin=0, vmax=max(int(cm.max()), 1))
    names = np.array([["TN", "FP"], ["FN", "TP"]])
    row_tot = cm.sum(axis=1, keepdims=True)
    share = np.divide(cm, row_tot, out=np.zeros((2, 2)), where=row_tot > 0)
    dark = cm > 0.6 * max(int(cm.max()), 1)
    for i in range(2):
        for j in range(2):
            ax.text(
                j,
                i,
                f"{names[i, j]}\n{cm[i, j]}\n({share[i, j]:.1%})",
                ha="center",
                va="center",
                fontsize=11,
                color="white" if dark[i, j] else "black",
            )
    ax.set_xticks([0, 1], ["normal", "anomaly"])
    ax.set_yticks([0, 1], ["normal", "anomaly"])
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("Confusion matrix")
    return ax


# -- reconstructions and features ---------------------------------------------------------------
def _check_images(x: Any, name: str) -> np.ndarray:
    arr = check_array(x, name, ndim=(3, 4))
    if arr.ndim == 4:
        if arr.shape[-1] != 1:
            raise ValueError(
                f"{name} has shape {arr.shape}; only grey images are supported, of shape (n, h, w) or (n, h, w, 1)."
            )
        arr = arr[..., 0]
    return arr


def plot_image_reconstructions(
    images: Any,
    reconstructions: Any,
    n: int = 8,
    errors: Any = None,
    axes: Any = None,
) -> np.ndarray:
    """Originals above their reconstructions, optionally with per-pixel error maps below.

    Originals and reconstructions share one grey scale, so a washed-out reconstruction
    looks washed out. Each reconstruction is titled with its mean squared error.

    Parameters
    ----------
    images : array-like of shape (n_images, h, w) or (n_images, h, w, 1)
    reconstructions : array-like of the same shape
        The model's output for ``images``.
    n : int, default 8
        Number of images to show (the first ``n``; fewer if there are fewer).
    errors : None, True or array-like of the same shape as ``images``
        ``None``: two rows. ``True``: a third row with the squared error
        ``(image - reconstruction)**2`` as a red heat map. An array: that per-pixel
        error map instead.
    axes : array of Axes of shape (n_rows, n), optional
        ``n_rows`` is 2, or 3 with ``errors``.

    Returns
    -------
    axes : ndarray of Axes, shape (n_rows, n)

    See Also
    --------
    Lesson 05 (training an autoencoder) and lesson 07 (the article's code example).
    """
    imgs = _check_images(images, "images")
    recs = _check_images(reconstructions, "reconstructions")
    if recs.shape != imgs.shape:
        raise ValueError(
            f"reconstructions has shape {recs.shape} but images has shape {imgs.shape}; "
            "pass the model's output for exactly these images."
        )
    n = min(check_positive_int(n, "n"), imgs.shape[0])
    if errors is None or errors is False:
        err = None
    elif errors is True:
        err = (imgs - recs) ** 2
    else:
        err = _check_images(errors, "errors")
        if err.shape != imgs.shape:
            raise ValueError(f"errors has shape {err.shape} but images has shape {imgs.shape}; pass one map per image.")
    n_rows = 2 if err is None else 3
    if axes is None:
        _, axes = plt.subplots(n_rows, n, figsize=(1.15 * n + 0.5, 1.3 * n_rows), squeeze=False, layout="constrained")
    axs = _check_axes(axes, n_rows * n).reshape(n_rows, n)

    vmin = float(min(imgs[:n].min(), recs[:n].min()))
    vmax = float(max(imgs[:n].max(), recs[:n].max()))
    mse = ((imgs[:n] - recs[:n]) ** 2).reshape(n, -1).mean(axis=1)
    emax = float(err[:n].max()) if err is not None else 0.0
    for i in range(n):
        axs[0, i].imshow(imgs[i], cmap="gray", vmin=vmin, vmax=vmax)
        axs[1, i].imshow(recs[i], cmap="gray", vmin=vmin, vmax=vmax)
        axs[1, i].set_title(f"MSE {mse[i]:.3f}", fontsize="small")
        if err is not None:
            axs[2, i].imshow(err[i], cmap="Reds", vmin=0, vmax=emax if emax > 0 else 1)
    row_names = ["original", "reconstruction", "error"][:n_rows]
    for r in range(n_rows):
        for a in axs[r]:
            a.set_xticks([])
            a.set_yticks([])
        axs[r, 0].set_ylabel(row_names[r], fontsize="small")
    return axs


def plot_series_reconstruction(x: Any, x_hat: Any, ax: Axes | None = None) -> Axes:
    """One window and its reconstruction, with the error shaded in red.

    Parameters
    ----------
    x : array-like of shape (width,) or (width, n_channels)
        The input window. A batch of one, (1, width, n_channels), is accepted too.
    x_hat : array-like of the same shape
        The reconstruction.
    ax : Axes, optional

    Returns
    -------
    ax : Axes
        Titled with the window's mean squared error.

    See Also
    --------
    Lesson 04 (RNN features) and lesson 07 (the article's code example).
    """
    a = check_array(x, "x", ndim=(1, 2, 3))
    b = check_array(x_hat, "x_hat", ndim=(1, 2, 3))
    if a.ndim == 3:
        if a.shape[0] != 1:
            raise ValueError(
                f"x has shape {a.shape}; pass one window, e.g. x[0], of shape (width,) or (width, channels)."
            )
        a = a[0]
    if b.ndim == 3 and b.shape[0] == 1:
        b = b[0]
    if b.shape != a.shape:
        raise ValueError(
            f"x_hat has shape {b.shape} but x has shape {a.shape}; pass the reconstruction of this very window."
        )
    if a.ndim == 1:
        a, b = a[:, None], b[:, None]
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.2), layout="constrained")
    steps = np.arange(a.shape[0])
    multi = a.shape[1] > 1
    for c in range(a.shape[1]):
        color = NORMAL_COLOR if not multi else f"C{c % 10}"
        suffix = f" (ch {c})" if multi else ""
        ax.plot(steps, a[:, c], color=color, lw=1.5, label=f"input{suffix}")
        ax.plot(steps, b[:, c], color=color if multi else "black", ls="--", lw=1.2, label=f"reconstruction{suffix}")
        ax.fill_between(
            steps,
            a[:, c],
            b[:, c],
            color=ANOMALY_COLOR,
            alpha=0.25,
            lw=0,
            label="error" if c == a.shape[1] - 1 else None,
        )
    mse = float(((a - b) ** 2).mean())
    ax.set_xlabel("time step in window")
    ax.set_ylabel("value")
    ax.set_title(f"Reconstruction (MSE = {mse:.3f})")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return ax


def plot_training_curves(history: Any, ax: Axes | None = None, log: bool = False) -> Axes:
    """Training (and validation) loss per epoch, with the best epoch marked.

    The best epoch is the one with the lowest ``val_loss`` when validation loss is
    present (otherwise the lowest ``loss``); epochs are counted from 1, as Keras prints.

    Parameters
    ----------
    history : keras.callbacks.History or dict of lists
        What ``model.fit`` returns, or its ``.history`` dict, e.g.
        ``{"loss": [...], "val_loss": [...]}``.
    ax : Axes, optional
    log : bool, default False
        Use a logarithmic y axis (helps when the loss drops by orders of magnitude).

    Returns
    -------
    ax : Axes

    See Also
    --------
    Lesson 05 (training): over-fitting and early stopping.
    """
    hist = getattr(history, "history", history)
    if not isinstance(hist, dict):
        raise TypeError(
            f"history must be a Keras History or a dict of lists, got {type(history).__name__}; "
            "pass the return value of model.fit(...)."
        )
    if "loss" not in hist:
        raise ValueError(
            f"history has no 'loss' entry (keys: {sorted(hist)}); pass model.fit(...)'s return value "
            "or a dict like {'loss': [...], 'val_loss': [...]}."
        )
    loss = check_array(hist["loss"], "history['loss']", ndim=1, allow_nan=True)
    val = None
    if "val_loss" in hist:
        val = check_array(hist["val_loss"], "history['val_loss']", ndim=1, allow_nan=True)
        if val.shape != loss.shape:
            raise ValueError(
                f"history['val_loss'] has {val.shape[0]} epochs but history['loss'] has {loss.shape[0]}; "
                "pass both from the same training run."
            )
    track = val if val is not None else loss
    if not np.isfinite(track).any():
        raise ValueError("history's losses are all NaN or infinite; the training diverged (lower the learning rate).")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    epochs = np.arange(1, loss.shape[0] + 1)
    ax.plot(epochs, loss, color=NORMAL_COLOR, marker="o", ms=3, label="training loss")
    if val is not None:
        ax.plot(epochs, val, color=THRESHOLD_COLOR, marker="o", ms=3, label="validation loss")
    best = int(np.nanargmin(np.where(np.isfinite(track), track, np.nan)))
    which = "val_loss" if val is not None else "loss"
    ax.axvline(epochs[best], color="0.4", ls=":", lw=1.2)
    ax.scatter(
        [epochs[best]],
        [track[best]],
        s=80,
        facecolors="none",
        edgecolors="black",
        zorder=3,
        label=f"best epoch {epochs[best]} ({which} {track[best]:.3g})",
    )
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("Training curves")
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_feature_maps(feature_maps: Any, n: int = 8, axes: Any = None, title: str | None = None) -> np.ndarray:
    """Show the first ``n`` channels of a convolutional layer's activations as images.

    Each channel gets its own colour scale (viridis), titled with its index.

    Parameters
    ----------
    feature_maps : array-like of shape (h, w, n_channels) or (1, h, w, n_channels)
        Activations of one input, e.g. ``feature_model.predict(x[:1])``.
    n : int, default 8
        Number of channels to show (fewer if the layer has fewer); up to 8 per row.
    axes : array of Axes, optional
        At least as many Axes as channels shown; extra ones are hidden.
    title : str, optional
        Figure title (``fig.suptitle``).

    Returns
    -------
    axes : ndarray of Axes, shape (n_shown,)
        The Axes holding the channels, in order.

    See Also
    --------
    Lesson 03 (CNN feature extraction).
    """
    fm = check_array(feature_maps, "feature_maps", ndim=(3, 4))
    if fm.ndim == 4:
        if fm.shape[0] != 1:
            raise ValueError(
                f"feature_maps has shape {fm.shape}, a batch of {fm.shape[0]}; pass one input's maps, "
                "e.g. feature_maps[0] of shape (h, w, channels)."
            )
        fm = fm[0]
    n_show = min(check_positive_int(n, "n"), fm.shape[-1])
    if axes is None:
        nrows = -(-n_show // 8)
        ncols = -(-n_show // nrows)  # balanced rows: 12 channels -> 2 x 6, not 8 + 4
        _, axes = plt.subplots(
            nrows, ncols, figsize=(1.4 * ncols + 0.2, 1.5 * nrows + 0.4), squeeze=False, layout="constrained"
        )
    flat = np.atleast_1d(np.asarray(axes, dtype=object)).ravel()
    if flat.size < n_show or not all(isinstance(a, Axes) for a in flat):
        raise ValueError(
            f"axes must hold at least {n_show} Matplotlib Axes (one per channel shown), got {flat.size}; "
            "pass more axes, a smaller n, or axes=None."
        )
    for c, a in enumerate(flat):
        if c < n_show:
            a.imshow(fm[:, :, c], cmap="viridis")
            a.set_title(f"channel {c}", fontsize="small")
            a.set_xticks([])
            a.set_yticks([])
        else:
            a.set_axis_off()
    if title is not None:
        flat[0].figure.suptitle(title)
    return flat[:n_show]
