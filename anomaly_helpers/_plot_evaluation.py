"""Plots of scores and decisions: score histograms, ROC and PR curves, confusion matrices.

Import them from :mod:`anomaly_helpers.plotting`.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from anomaly_helpers._plot_common import (
    ANOMALY_COLOR,
    NO_SKILL_COLOR,
    NO_SKILL_GID,
    NORMAL_COLOR,
    THRESHOLD_COLOR,
    check_axes,
)
from anomaly_helpers._validate import check_labels, check_positive_int, check_scores, check_threshold

__all__ = ["plot_score_hist", "plot_roc_pr", "plot_confusion"]


def _is_binary(x: Any) -> bool:
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        return False
    return arr.size > 0 and bool(np.all(np.isin(arr, (0.0, 1.0))))


def _labels_first(y_true: Any, scores: Any) -> tuple[Any, Any]:
    """Return (y_true, scores), swapping them when they come in the old order (scores, y_true)."""
    # TRANSITIONAL: remove when lessons migrate (plot_score_hist took (scores, y_true) before)
    if _is_binary(scores) and not _is_binary(y_true):
        return scores, y_true
    return y_true, scores


def plot_score_hist(
    y_true: Any,
    scores: Any,
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
    y_true : array-like of shape (n_samples,)
        Labels, 1 = anomaly, 0 = normal.
    scores : array-like of shape (n_samples,)
        Anomaly scores (higher = more anomalous).
    threshold : float, optional
        Drawn as a vertical orange dashed line; samples with ``score >= threshold`` are flagged.
    ax : Axes, optional
    bins : int, default 40
    density : bool, default True

    Returns
    -------
    ax : Axes

    See Also
    --------
    anomaly_helpers.scoring.threshold_best_f1 : one way to choose the threshold (lesson 06).
    """
    y_true, scores = _labels_first(y_true, scores)
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
    return any(line.get_gid() == NO_SKILL_GID and np.allclose(line.get_ydata(), ydata) for line in ax.get_lines())


def _chance_style(label: str) -> dict[str, Any]:
    return {"color": NO_SKILL_COLOR, "linestyle": ":", "gid": NO_SKILL_GID, "label": label}


def _finish_roc_pr(ax_roc: Axes, ax_pr: Axes) -> None:
    """Axis labels, limits and legends (models first, no-skill lines last) of both panels."""
    ax_roc.set(xlabel="false positive rate", ylabel="true positive rate (recall)", title="ROC curve")
    ax_pr.set(xlabel="recall", ylabel="precision", title="Precision-recall curve")
    for a, loc in ((ax_roc, "lower right"), (ax_pr, "lower left")):
        a.set_xlim(-0.02, 1.02)
        a.set_ylim(-0.02, 1.02)
        a.set_aspect("equal")
        lines = [h for h in a.get_lines() if not h.get_label().startswith("_")]
        lines.sort(key=lambda h: h.get_gid() == NO_SKILL_GID)
        a.legend(handles=lines, loc=loc, fontsize="small")


def plot_roc_pr(y_true: Any, scores: Any, axes: Any = None, label: str | None = None) -> np.ndarray:
    """ROC curve and precision-recall curve side by side, with their chance levels.

    Drawn by scikit-learn's ``RocCurveDisplay`` and ``PrecisionRecallDisplay`` (with
    ``plot_chance_level=True``) onto the given axes. The ROC panel's chance level is the
    diagonal of a random ranking; the PR panel's is a horizontal line at the prevalence
    (fraction of anomalies), which is what a random ranking achieves there. The legend gives
    ROC-AUC and average precision (PR-AUC) to 3 decimals. Call it again with the returned axes
    to overlay another model; each chance level is drawn once.

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
    sklearn.metrics.RocCurveDisplay, sklearn.metrics.PrecisionRecallDisplay
    anomaly_helpers.metrics : the same figures as numbers (lesson 06: why PR beats ROC when
        anomalies are rare).
    """
    from sklearn.metrics import PrecisionRecallDisplay, RocCurveDisplay

    s = check_scores(scores, "scores")
    y = check_labels(y_true, "y_true", n=s.shape[0], require_both=True)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 4.4), layout="constrained")
    ax_roc, ax_pr = check_axes(axes, 2)
    prefix = f"{label} " if label else ""
    prevalence = float(y.mean())

    roc = RocCurveDisplay.from_predictions(
        y,
        s,
        ax=ax_roc,
        curve_kwargs={"lw": 2},
        plot_chance_level=not _has_no_skill_line(ax_roc, [0, 1]),
        chance_level_kw=_chance_style("no skill (0.5)"),
    )
    roc.line_.set_label(f"{prefix}(ROC-AUC = {roc.roc_auc:.3f})".strip())
    pr = PrecisionRecallDisplay.from_predictions(
        y,
        s,
        ax=ax_pr,
        curve_kwargs={"lw": 2},
        plot_chance_level=not _has_no_skill_line(ax_pr, [prevalence, prevalence]),
        chance_level_kw=_chance_style(f"no skill (prevalence {prevalence:.3f})"),
    )
    pr.line_.set_label(f"{prefix}(AP = {pr.average_precision:.3f})".strip())
    _finish_roc_pr(ax_roc, ax_pr)
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
        Predicted labels (e.g. ``scoring.apply_threshold(scores, threshold)``, i.e. ``scores >= threshold``), 1 = anomaly.
    ax : Axes, optional

    Returns
    -------
    ax : Axes

    Notes
    -----
    See lesson 06 (evaluation metrics).
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
