"""Evaluation metrics for anomaly detection, built on :mod:`sklearn.metrics`.

Conventions: label **1 = anomaly** (the positive class), 0 = normal; a **higher score
means more anomalous**; a sample is flagged when ``score >= threshold``.

Two families:

* :func:`anomaly_report` / :class:`AnomalyReport` / :func:`compare_reports` -- point-wise
  metrics for one split (precision, recall, F1, specificity, ROC-AUC, PR-AUC and the
  confusion matrix), with PR-AUC shown next to the prevalence it must beat.
* :func:`label_events`, :func:`event_recall`, :func:`point_adjust`,
  :func:`point_adjusted_f1`, :func:`series_report` -- metrics for time series whose
  anomalies come as *events* (runs of consecutive 1s), including the point-adjust
  protocol and why it flatters weak detectors.

See Also
--------
Lesson 06 (evaluation metrics) uses every function here; lessons 01, 05 and 07 use
:func:`anomaly_report` and :func:`compare_reports`, lessons 03 and 04 :func:`series_report`.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from anomaly_helpers._validate import (
    check_labels,
    check_positive_int,
    check_scores,
    check_threshold,
)
from anomaly_helpers.series import find_runs

__all__ = [
    "AnomalyReport",
    "anomaly_report",
    "compare_reports",
    "label_events",
    "event_recall",
    "point_adjust",
    "point_adjusted_f1",
    "series_report",
]

#: Metric fields of :class:`AnomalyReport`, in display order (used by ``to_dict``).
REPORT_FIELDS: tuple[str, ...] = (
    "n",
    "n_anomalies",
    "prevalence",
    "threshold",
    "accuracy",
    "precision",
    "recall",
    "f1",
    "specificity",
    "roc_auc",
    "pr_auc",
    "tn",
    "fp",
    "fn",
    "tp",
)
_COUNT_FIELDS = ("n", "n_anomalies", "tn", "fp", "fn", "tp")


# --------------------------------------------------------------------------- formatting
def _round(x: float | None, decimals: int = 3) -> float | None:
    """Round to ``decimals`` decimals, turning ``-0.0`` into ``0.0``; keep None."""
    if x is None:
        return None
    return round(float(x), decimals) + 0.0


def _round_sig(x: float | None, digits: int = 4) -> float | None:
    """Round to ``digits`` significant digits (thresholds can be tiny, e.g. an MSE of 3e-4)."""
    if x is None or x == 0 or not math.isfinite(x):
        return x
    return round(float(x), digits - 1 - int(math.floor(math.log10(abs(x))))) + 0.0


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{_round(x):.3f}"


def _fmt_threshold(x: float | None) -> str:
    return "n/a" if x is None else f"{_round_sig(x):.4g}"


# --------------------------------------------------------------------------- the report
@dataclass(frozen=True, repr=False)
class AnomalyReport:
    """Point-wise metrics of an anomaly detector on one labelled split.

    Build it with :func:`anomaly_report`. Anomaly (label 1) is the positive class.
    Fields that need a threshold are None when no threshold (and no ``y_pred``) was given;
    ``roc_auc`` and ``pr_auc`` are None when no scores were given.

    Attributes
    ----------
    n, n_anomalies : int
        Number of samples and of true anomalies.
    prevalence : float
        ``n_anomalies / n``: the PR-AUC of a detector with no skill (random scores).
    threshold : float or None
        The threshold used (``scores >= threshold`` is flagged); None with ``y_pred``.
    accuracy, precision, recall, f1, specificity : float or None
        Thresholded metrics (``zero_division=0``). Specificity = TN / (TN + FP).
    roc_auc, pr_auc : float or None
        Threshold-free metrics from the scores; ``pr_auc`` is the average precision.
    tn, fp, fn, tp : int or None
        The confusion-matrix counts.
    confusion : ndarray of shape (2, 2) or None
        ``[[TN, FP], [FN, TP]]`` (rows = truth, columns = prediction), read-only.

    See Also
    --------
    anomaly_report : builds the report.
    compare_reports : a table of several reports side by side.
    Lesson 06 (evaluation metrics).
    """

    n: int
    n_anomalies: int
    prevalence: float
    threshold: float | None = None
    accuracy: float | None = None
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    specificity: float | None = None
    roc_auc: float | None = None
    pr_auc: float | None = None
    tn: int | None = None
    fp: int | None = None
    fn: int | None = None
    tp: int | None = None
    confusion: np.ndarray | None = field(default=None, compare=False)

    # ---- conversions
    def to_dict(self, decimals: int | None = None) -> dict[str, Any]:
        """Return the scalar fields as a flat ``dict`` (the confusion matrix as tn/fp/fn/tp).

        Parameters
        ----------
        decimals : int, optional
            Round float metrics to this many decimals (the threshold to 4 significant digits).
        """
        out: dict[str, Any] = {}
        for name in REPORT_FIELDS:
            value = getattr(self, name)
            if decimals is not None and value is not None and name not in _COUNT_FIELDS:
                value = _round_sig(value) if name == "threshold" else _round(value, decimals)
            out[name] = value
        return out

    def to_series(self, decimals: int | None = None, name: str | None = None) -> pd.Series:
        """Return the scalar fields as a :class:`pandas.Series` (None becomes NaN).

        Parameters
        ----------
        decimals : int, optional
            Round as in :meth:`to_dict`.
        name : str, optional
            The Series' name (e.g. the model's name).
        """
        d = {k: (np.nan if v is None else v) for k, v in self.to_dict(decimals).items()}
        return pd.Series(d, name=name, dtype=float)

    # ---- display
    def _lines(self) -> list[tuple[str, str]]:
        """(label, text) pairs shared by the text and HTML displays."""
        rows = [
            ("samples", f"{self.n} ({self.n_anomalies} anomalies, prevalence {_fmt(self.prevalence)})"),
        ]
        if self.tp is None:
            rows.append(("threshold", "none given: only the threshold-free metrics below"))
        else:
            thr = (
                "none (y_pred given)"
                if self.threshold is None
                else f"{_fmt_threshold(self.threshold)} (flag score >= threshold)"
            )
            rows.append(("threshold", thr))
            rows.append(("precision", _fmt(self.precision)))
            rows.append(("recall", _fmt(self.recall)))
            rows.append(("F1", _fmt(self.f1)))
            rows.append(("specificity", _fmt(self.specificity)))
            rows.append(("accuracy", _fmt(self.accuracy)))
        if self.roc_auc is not None:
            rows.append(("ROC-AUC", f"{_fmt(self.roc_auc)} (no-skill = 0.500)"))
            rows.append(("PR-AUC", f"{_fmt(self.pr_auc)} (no-skill = prevalence {_fmt(self.prevalence)})"))
        return rows

    def __repr__(self) -> str:
        lines = ["AnomalyReport (anomaly = positive class)"]
        lines += [f"  {label:<12} {text}" for label, text in self._lines()]
        if self.tp is not None:
            w = max(len(str(v)) for v in (self.tn, self.fp, self.fn, self.tp)) + 3
            lines += [
                "  confusion matrix [[TN, FP], [FN, TP]]:",
                f"  {'':<14}{'pred normal':>{max(w, 12)}} {'pred anomaly':>{max(w, 13)}}",
                f"  {'true normal':<14}{'TN=' + str(self.tn):>{max(w, 12)}} {'FP=' + str(self.fp):>{max(w, 13)}}",
                f"  {'true anomaly':<14}{'FN=' + str(self.fn):>{max(w, 12)}} {'TP=' + str(self.tp):>{max(w, 13)}}",
            ]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cell = 'style="text-align:left;padding:2px 8px"'
        rows = "".join(
            f"<tr><th {cell}>{html.escape(label)}</th><td {cell}>{html.escape(text)}</td></tr>"
            for label, text in self._lines()
        )
        out = f"<div><b>AnomalyReport</b> (anomaly = positive class)<table>{rows}</table>"
        if self.tp is not None:
            out += (
                "<table><tr><th></th><th>pred normal</th><th>pred anomaly</th></tr>"
                f"<tr><th>true normal</th><td>TN = {self.tn}</td><td>FP = {self.fp}</td></tr>"
                f"<tr><th>true anomaly</th><td>FN = {self.fn}</td><td>TP = {self.tp}</td></tr></table>"
            )
        return out + "</div>"


def _thresholded_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, Any]:
    cm = skm.confusion_matrix(y_true, y_pred, labels=[0, 1])
    tn, fp, fn, tp = (int(v) for v in cm.ravel())
    cm.setflags(write=False)
    return {
        "accuracy": float(skm.accuracy_score(y_true, y_pred)),
        "precision": float(skm.precision_score(y_true, y_pred, pos_label=1, zero_division=0)),
        "recall": float(skm.recall_score(y_true, y_pred, pos_label=1, zero_division=0)),
        "f1": float(skm.f1_score(y_true, y_pred, pos_label=1, zero_division=0)),
        "specificity": tn / (tn + fp) if tn + fp else 0.0,
        "tn": tn,
        "fp": fp,
        "fn": fn,
        "tp": tp,
        "confusion": cm,
    }


def anomaly_report(
    y_true: Any,
    scores: Any = None,
    threshold: float | None = None,
    *,
    y_pred: Any = None,
) -> AnomalyReport:
    """Compute point-wise anomaly-detection metrics for one labelled split.

    Two call forms:

    * ``anomaly_report(y_true, scores, threshold)`` -- predictions are ``scores >= threshold``;
      gives every metric. With ``threshold=None`` only ROC-AUC and PR-AUC are computed
      (the thresholded fields are None): useful to judge the scores before choosing a threshold.
    * ``anomaly_report(y_true, y_pred=y_pred)`` -- 0/1 predictions you already have; gives the
      thresholded metrics only (ROC-AUC and PR-AUC need scores).

    When to use: every time you evaluate a detector on a labelled split. Read precision,
    recall and F1 for the *anomaly* class (accuracy looks great on rare anomalies even for a
    detector that flags nothing), and compare PR-AUC with the prevalence, its no-skill value.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, 1 = anomaly, 0 = normal.
    scores : array-like of shape (n_samples,), optional
        Anomaly scores, higher = more anomalous. Both classes must be present in ``y_true``.
    threshold : float, optional
        Samples with ``scores >= threshold`` are flagged as anomalies.
    y_pred : array-like of shape (n_samples,), optional, keyword-only
        0/1 predictions, instead of ``scores`` and ``threshold``.

    Returns
    -------
    AnomalyReport
        Frozen dataclass; print it, display it in a notebook, or call ``.to_dict()`` /
        ``.to_series()``.

    Examples
    --------
    >>> rep = anomaly_report([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], threshold=0.5)
    >>> rep.precision, rep.recall, rep.confusion.tolist()
    (0.5, 0.5, [[1, 1], [1, 1]])

    See Also
    --------
    compare_reports : a table of several reports.
    anomaly_helpers.scoring.compare_thresholds : the same metrics for several threshold strategies.
    Lesson 06 (evaluation metrics).
    """
    y_true = check_labels(y_true, "y_true")
    n = int(y_true.shape[0])
    n_anom = int(y_true.sum())
    base: dict[str, Any] = {"n": n, "n_anomalies": n_anom, "prevalence": n_anom / n}

    if y_pred is not None:
        if scores is not None or threshold is not None:
            raise ValueError(
                "y_pred was given together with scores/threshold; pass either scores and threshold, "
                "or y_pred alone (anomaly_report(y_true, y_pred=y_pred))."
            )
        y_pred = check_labels(y_pred, "y_pred", n=n)
        return AnomalyReport(**base, **_thresholded_metrics(y_true, y_pred))

    if scores is None:
        raise TypeError(
            "anomaly_report needs scores (with a threshold) or y_pred; call anomaly_report(y_true, scores, threshold) "
            "or anomaly_report(y_true, y_pred=y_pred)."
        )
    scores = check_scores(scores, "scores", n=n)
    check_labels(y_true, "y_true", require_both=True)
    base["roc_auc"] = float(skm.roc_auc_score(y_true, scores))
    base["pr_auc"] = float(skm.average_precision_score(y_true, scores))
    if threshold is None:
        return AnomalyReport(**base)
    threshold = check_threshold(threshold, "threshold")
    y_hat = (scores >= threshold).astype(np.int64)
    return AnomalyReport(**base, threshold=threshold, **_thresholded_metrics(y_true, y_hat))


def compare_reports(reports: dict[str, AnomalyReport], *, decimals: int = 3) -> pd.DataFrame:
    """Put several :class:`AnomalyReport` objects side by side in one table.

    When to use: comparing models, thresholds or splits in a lesson (one row each).

    Parameters
    ----------
    reports : dict of str to AnomalyReport
        Name (the row label) -> report, e.g. ``{"autoencoder": rep_ae, "IsolationForest": rep_if}``.
    decimals : int, default 3
        Decimals of the float metrics (the threshold is rounded to 4 significant digits).

    Returns
    -------
    DataFrame of shape (len(reports), 15)
        Rows = names, columns = ``n, n_anomalies, prevalence, threshold, accuracy, precision,
        recall, f1, specificity, roc_auc, pr_auc, tn, fp, fn, tp`` (NaN where not computed).

    See Also
    --------
    anomaly_report : builds each report.
    Lesson 06 (evaluation metrics).
    """
    if not isinstance(reports, dict):
        raise TypeError(
            f"reports must be a dict mapping names to AnomalyReport objects, got {type(reports).__name__}; "
            'e.g. compare_reports({"model A": rep_a, "model B": rep_b}).'
        )
    if not reports:
        raise ValueError('reports is empty; pass at least one report, e.g. {"model A": rep_a}.')
    bad = [str(k) for k, v in reports.items() if not isinstance(v, AnomalyReport)]
    if bad:
        raise TypeError(
            f"reports has values that are not AnomalyReport objects (keys {bad[:5]}); build them with anomaly_report."
        )
    decimals = check_positive_int(decimals, "decimals", minimum=0)
    frame = pd.DataFrame([r.to_series(decimals, name=str(k)) for k, r in reports.items()])
    for col in _COUNT_FIELDS:
        if frame[col].notna().all():
            frame[col] = frame[col].astype(np.int64)
    return frame


# --------------------------------------------------------------------------- series metrics
def label_events(labels: Any) -> list[tuple[int, int]]:
    """Find the anomaly events (runs of consecutive 1s) in a label series.

    Parameters
    ----------
    labels : array-like of shape (n_timesteps,)
        0/1 labels in time order.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` of each run of 1s, ``end`` exclusive (so ``labels[start:end]`` is the event).

    Examples
    --------
    >>> label_events([0, 1, 1, 0, 0, 1])
    [(1, 3), (5, 6)]

    See Also
    --------
    anomaly_helpers.series.find_runs : the same runs as an array of spans (it does the work).
    event_recall, point_adjust
    Lesson 06 (evaluation metrics).
    """
    return [(int(s), int(e)) for s, e in find_runs(labels)]


def _check_series_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    y_true = check_labels(y_true, "y_true")
    y_pred = check_labels(y_pred, "y_pred", n=y_true.shape[0])
    return y_true, y_pred


def event_recall(y_true: Any, y_pred: Any, min_overlap: int = 1) -> float:
    """Fraction of true anomaly events that the predictions touch.

    An event (a run of 1s in ``y_true``) counts as detected when at least ``min_overlap`` of its
    points are predicted 1. Events shorter than ``min_overlap`` can therefore never be detected.

    When to use: anomalies that last (a fault, an arrhythmia episode) where raising *one* alarm
    during the event is what matters. Report it together with the false alarms (point-wise
    precision), since flagging everything gives an event recall of 1.

    Parameters
    ----------
    y_true : array-like of shape (n_timesteps,)
        True 0/1 labels in time order; must contain at least one event.
    y_pred : array-like of shape (n_timesteps,)
        Predicted 0/1 labels.
    min_overlap : int, default 1
        Predicted points needed inside an event for it to count as detected.

    Returns
    -------
    float
        Detected events / true events, in [0, 1].

    See Also
    --------
    label_events, point_adjust, series_report
    Lesson 06 (evaluation metrics).
    """
    y_true, y_pred = _check_series_pair(y_true, y_pred)
    min_overlap = check_positive_int(min_overlap, "min_overlap")
    events = label_events(y_true)
    if not events:
        raise ValueError("y_true contains no anomaly events (no 1s); event recall needs at least one labelled event.")
    hits = sum(int(y_pred[s:e].sum()) >= min_overlap for s, e in events)
    return hits / len(events)


def point_adjust(y_true: Any, y_pred: Any) -> np.ndarray:
    """Apply the point-adjust protocol to predictions.

    If any point of a true event is predicted 1, every point of that event is set to 1;
    predictions outside events are left unchanged.

    When to use: only to *reproduce* papers that report point-adjusted scores. The protocol is
    known to flatter weak detectors: with long events, random scores reach a high point-adjusted
    F1 (Kim et al., AAAI 2022, "Towards a rigorous evaluation of time-series anomaly detection").
    Always show it next to point-wise and event-wise metrics.

    Parameters
    ----------
    y_true : array-like of shape (n_timesteps,)
        True 0/1 labels in time order.
    y_pred : array-like of shape (n_timesteps,)
        Predicted 0/1 labels.

    Returns
    -------
    ndarray of shape (n_timesteps,) and dtype int64
        The adjusted predictions.

    Examples
    --------
    >>> point_adjust([0, 1, 1, 1, 0], [1, 0, 1, 0, 0]).tolist()
    [1, 1, 1, 1, 0]

    See Also
    --------
    point_adjusted_f1, event_recall
    Lesson 06 (evaluation metrics).
    """
    y_true, y_pred = _check_series_pair(y_true, y_pred)
    adjusted = y_pred.copy()
    for s, e in label_events(y_true):
        if y_pred[s:e].any():
            adjusted[s:e] = 1
    return adjusted


def _predictions(scores_or_pred: Any, threshold: float | None, n: int, name: str = "scores_or_pred") -> np.ndarray:
    values = check_scores(scores_or_pred, name, n=n)
    if threshold is None:
        if not np.all(np.isin(values, [0, 1])):
            raise ValueError(
                f"{name} contains values other than 0 and 1 but threshold is None; pass threshold=... to turn "
                "scores into predictions (score >= threshold), or pass 0/1 predictions."
            )
        return values.astype(np.int64)
    threshold = check_threshold(threshold, "threshold")
    return (values >= threshold).astype(np.int64)


def point_adjusted_f1(y_true: Any, scores_or_pred: Any, threshold: float | None = None) -> float:
    """F1 of the anomaly class after :func:`point_adjust`.

    When to use: to compare with papers that report it -- never alone (see :func:`point_adjust`
    for why it flatters weak detectors).

    Parameters
    ----------
    y_true : array-like of shape (n_timesteps,)
        True 0/1 labels in time order.
    scores_or_pred : array-like of shape (n_timesteps,)
        Anomaly scores (then give ``threshold``) or 0/1 predictions (then ``threshold=None``).
    threshold : float, optional
        Points with ``score >= threshold`` are predicted anomalous.

    Returns
    -------
    float
        The point-adjusted F1 (``zero_division=0``).

    See Also
    --------
    point_adjust, series_report
    Lesson 06 (evaluation metrics).
    """
    y_true = check_labels(y_true, "y_true")
    y_pred = _predictions(scores_or_pred, threshold, y_true.shape[0])
    return float(skm.f1_score(y_true, point_adjust(y_true, y_pred), zero_division=0))


def series_report(
    y_true: Any,
    scores: Any,
    threshold: float,
    *,
    min_overlap: int = 1,
    name: str = "scores",
) -> pd.DataFrame:
    """Point-wise, event-wise and point-adjusted metrics of a time-series detector, side by side.

    When to use: evaluating detectors on series whose anomalies are events. The three views
    disagree, and the disagreement is the lesson: point-wise F1 punishes late or partial
    detection, event recall ignores false alarms, and point-adjusted F1 rewards a single lucky
    hit per event (random scores score well on long events).

    Parameters
    ----------
    y_true : array-like of shape (n_timesteps,)
        True 0/1 labels in time order; both classes must be present.
    scores : array-like of shape (n_timesteps,)
        Anomaly scores, higher = more anomalous.
    threshold : float
        Points with ``scores >= threshold`` are predicted anomalous.
    min_overlap : int, default 1
        Passed to :func:`event_recall`.
    name : str, default "scores"
        The row label (concatenate several reports with ``pd.concat``).

    Returns
    -------
    DataFrame of shape (1, 11)
        Columns ``prevalence, precision, recall, f1, pr_auc`` (point-wise), ``n_events,
        events_detected, event_recall`` (event-wise), ``pa_precision, pa_recall, pa_f1``
        (point-adjusted); floats rounded to 3 decimals.

    See Also
    --------
    anomaly_report, event_recall, point_adjusted_f1
    Lesson 06 (evaluation metrics).
    """
    y_true = check_labels(y_true, "y_true", require_both=True)
    scores = check_scores(scores, "scores", n=y_true.shape[0])
    threshold = check_threshold(threshold, "threshold")
    min_overlap = check_positive_int(min_overlap, "min_overlap")
    y_pred = (scores >= threshold).astype(np.int64)
    adjusted = point_adjust(y_true, y_pred)
    n_events = len(label_events(y_true))
    ev_recall = event_recall(y_true, y_pred, min_overlap=min_overlap)
    row = {
        "prevalence": float(y_true.mean()),
        "precision": skm.precision_score(y_true, y_pred, zero_division=0),
        "recall": skm.recall_score(y_true, y_pred, zero_division=0),
        "f1": skm.f1_score(y_true, y_pred, zero_division=0),
        "pr_auc": skm.average_precision_score(y_true, scores),
        "n_events": n_events,
        "events_detected": round(ev_recall * n_events),
        "event_recall": ev_recall,
        "pa_precision": skm.precision_score(y_true, adjusted, zero_division=0),
        "pa_recall": skm.recall_score(y_true, adjusted, zero_division=0),
        "pa_f1": skm.f1_score(y_true, adjusted, zero_division=0),
    }
    row = {k: (v if k in ("n_events", "events_detected") else _round(v)) for k, v in row.items()}
    return pd.DataFrame([row], index=pd.Index([str(name)]))
