"""Tests for anomaly_helpers.metrics."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sklearn import metrics as skm

from anomaly_helpers.metrics import (
    AnomalyReport,
    anomaly_report,
    compare_reports,
    event_recall,
    label_events,
    point_adjust,
    point_adjusted_f1,
    series_report,
)

# Hand-computed example: threshold 0.5 flags indices 2 and 4.
#   y      = 0  0  0  1  1  0  0  0  0  0
#   scores = .1 .2 .6 .4 .9 .1 .1 .1 .1 .1
# TP = 1 (idx 4), FP = 1 (idx 2), FN = 1 (idx 3), TN = 7
Y = np.array([0, 0, 0, 1, 1, 0, 0, 0, 0, 0])
S = np.array([0.1, 0.2, 0.6, 0.4, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1])


@pytest.fixture
def report() -> AnomalyReport:
    return anomaly_report(Y, S, 0.5)


def test_report_hand_computed(report):
    assert (report.n, report.n_anomalies, report.prevalence) == (10, 2, 0.2)
    assert (report.tn, report.fp, report.fn, report.tp) == (7, 1, 1, 1)
    assert report.confusion.tolist() == [[7, 1], [1, 1]]
    assert report.precision == 0.5 and report.recall == 0.5 and report.f1 == 0.5
    assert report.specificity == pytest.approx(7 / 8)
    assert report.accuracy == pytest.approx(0.8)
    assert report.threshold == 0.5
    # ROC-AUC by hand: 16 (anomaly, normal) pairs; 0.9 beats all 8, 0.4 beats 7 of 8 -> 15/16
    assert report.roc_auc == pytest.approx(15 / 16)


def test_report_matches_sklearn():
    rng = np.random.default_rng(0)
    y = (rng.random(300) < 0.1).astype(int)
    s = rng.normal(size=300) + 1.5 * y
    rep = anomaly_report(y, s, 1.0)
    pred = (s >= 1.0).astype(int)
    assert rep.precision == pytest.approx(skm.precision_score(y, pred))
    assert rep.recall == pytest.approx(skm.recall_score(y, pred))
    assert rep.f1 == pytest.approx(skm.f1_score(y, pred))
    assert rep.roc_auc == pytest.approx(skm.roc_auc_score(y, s))
    assert rep.pr_auc == pytest.approx(skm.average_precision_score(y, s))
    np.testing.assert_array_equal(rep.confusion, skm.confusion_matrix(y, pred))


def test_report_threshold_is_inclusive():
    rep = anomaly_report([0, 1], [0.2, 0.5], 0.5)
    assert rep.tp == 1 and rep.fp == 0


def test_report_without_threshold_gives_only_ranking_metrics():
    rep = anomaly_report(Y, S)
    assert rep.roc_auc == pytest.approx(15 / 16)
    assert rep.precision is None and rep.confusion is None and rep.threshold is None
    assert "threshold-free" in repr(rep)
    assert "PR-AUC" in repr(rep)


def test_report_with_y_pred():
    rep = anomaly_report([0, 0, 1, 1], y_pred=[0, 1, 0, 1])
    assert (rep.tn, rep.fp, rep.fn, rep.tp) == (1, 1, 1, 1)
    assert rep.roc_auc is None and rep.pr_auc is None and rep.threshold is None
    # single-class labels are fine without scores (zero_division=0)
    rep = anomaly_report([0, 0, 0], y_pred=[0, 0, 0])
    assert rep.precision == 0.0 and rep.recall == 0.0 and rep.specificity == 1.0


def test_report_nothing_flagged_is_zero_not_error():
    rep = anomaly_report(Y, S, 5.0)
    assert rep.precision == 0.0 and rep.f1 == 0.0 and rep.accuracy == 0.8


def test_report_is_frozen(report):
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.f1 = 1.0
    with pytest.raises(ValueError):
        report.confusion[0, 0] = 99


def test_report_repr_and_html(report):
    text = repr(report)
    assert "PR-AUC       0.833 (no-skill = prevalence 0.200)" in text
    assert "precision    0.500" in text
    assert "TN=7" in text and "TP=1" in text
    html = report._repr_html_()
    assert "no-skill = prevalence 0.200" in html and "TN = 7" in html and "&gt;=" in html


def test_repr_rounds_to_three_decimals():
    rep = anomaly_report([0, 0, 1], [0.1, 0.2, 0.3], 0.123456789)
    assert "0.1235" in repr(rep)  # threshold: 4 significant digits
    assert "0.333" in repr(rep)  # prevalence 1/3


def test_to_dict_and_series(report):
    d = report.to_dict()
    assert list(d)[:4] == ["n", "n_anomalies", "prevalence", "threshold"]
    assert d["tp"] == 1 and "confusion" not in d
    s = report.to_series(decimals=3, name="model")
    assert s.name == "model" and s["pr_auc"] == pytest.approx(0.833)
    s = anomaly_report(Y, y_pred=(S >= 0.5).astype(int)).to_series()
    assert np.isnan(s["roc_auc"])


def test_compare_reports(report):
    table = compare_reports({"thresholded": report, "scores only": anomaly_report(Y, S)})
    assert list(table.index) == ["thresholded", "scores only"]
    assert {"precision", "recall", "f1", "roc_auc", "pr_auc", "tp"} <= set(table.columns)
    assert table.loc["thresholded", "pr_auc"] == 0.833
    assert np.isnan(table.loc["scores only", "f1"])
    assert table["n"].dtype == np.int64


def test_label_events():
    assert label_events([0, 1, 1, 0, 0, 1]) == [(1, 3), (5, 6)]
    assert label_events([1, 1, 0]) == [(0, 2)]
    assert label_events([0, 0, 0]) == []
    assert label_events(np.array([True, False, True])) == [(0, 1), (2, 3)]


def test_event_recall():
    y = [0, 1, 1, 1, 0, 0, 1, 1, 0]
    assert event_recall(y, [0, 0, 1, 0, 0, 0, 0, 0, 0]) == 0.5
    assert event_recall(y, [0, 1, 1, 0, 0, 0, 1, 0, 0], min_overlap=2) == 0.5
    assert event_recall(y, [1, 0, 0, 0, 1, 1, 0, 0, 1]) == 0.0  # alarms outside events do not count
    assert event_recall(y, [1] * 9) == 1.0


def test_point_adjust():
    y = [0, 1, 1, 1, 0, 1, 1, 0]
    p = [1, 0, 1, 0, 0, 0, 0, 1]
    np.testing.assert_array_equal(point_adjust(y, p), [1, 1, 1, 1, 0, 0, 0, 1])
    assert point_adjust(y, p).dtype == np.int64


def test_point_adjusted_f1_scores_and_predictions():
    y = [0, 1, 1, 1, 0, 1, 1, 0]
    p = [1, 0, 1, 0, 0, 0, 0, 1]
    # adjusted: TP=3, FP=2, FN=2 -> F1 = 6 / (6 + 4) = 0.6
    assert point_adjusted_f1(y, p) == pytest.approx(0.6)
    scores = np.array(p) * 0.9 + 0.05
    assert point_adjusted_f1(y, scores, threshold=0.5) == pytest.approx(0.6)


def test_series_report_columns():
    y = [0, 1, 1, 1, 0, 1, 1, 0]
    s = [0.9, 0.1, 0.8, 0.2, 0.1, 0.1, 0.1, 0.7]
    rep = series_report(y, s, 0.5, name="toy")
    assert list(rep.index) == ["toy"]
    row = rep.loc["toy"]
    assert row["n_events"] == 2 and row["events_detected"] == 1 and row["event_recall"] == 0.5
    assert row["precision"] == pytest.approx(0.333) and row["recall"] == 0.2
    assert row["pa_f1"] == pytest.approx(0.6)
    assert row["pr_auc"] == pytest.approx(round(skm.average_precision_score(y, s), 3))


def test_random_scores_look_good_after_point_adjust():
    """The lesson's demonstration: random scores + long events -> high PA-F1, tiny point-wise F1."""
    rng = np.random.default_rng(0)
    y = np.zeros(20_000, dtype=int)
    for start in (2_000, 7_000, 12_000, 17_000):
        y[start : start + 500] = 1  # four long events, prevalence 0.1
    scores = rng.random(y.size)  # no skill at all
    row = series_report(y, scores, threshold=0.99).iloc[0]  # flag ~1 % of points
    assert row["f1"] < 0.05
    assert row["pr_auc"] == pytest.approx(0.1, abs=0.01)  # = prevalence: no skill
    assert row["pa_f1"] > 0.9
    assert row["event_recall"] == 1.0


BAD_INPUTS = [
    # (callable, error type, message fragment naming the argument)
    (lambda: anomaly_report(Y, np.where(S > 0.5, np.nan, S), 0.5), ValueError, "scores contains"),
    (lambda: anomaly_report(Y, np.where(S > 0.5, np.inf, S), 0.5), ValueError, "scores contains"),
    (lambda: anomaly_report(Y, S[:-1], 0.5), ValueError, "scores has 9 values"),
    (lambda: anomaly_report(Y * 2, S, 0.5), ValueError, "y_true must contain only 0"),
    (lambda: anomaly_report(np.zeros(10), S, 0.5), ValueError, "y_true contains only normal"),
    (lambda: anomaly_report(Y, S, float("nan")), ValueError, "threshold must be finite"),
    (lambda: anomaly_report(Y, S, "0.5"), TypeError, "threshold must be a single finite number"),
    (lambda: anomaly_report(Y), TypeError, "needs scores"),
    (lambda: anomaly_report(Y, S, 0.5, y_pred=Y), ValueError, "y_pred was given together"),
    (lambda: anomaly_report(Y, y_pred=[0, 1, 2, 0, 0, 0, 0, 0, 0, 0]), ValueError, "y_pred must contain only 0"),
    (lambda: anomaly_report(Y, y_pred=[0, 1]), ValueError, "y_pred has 2 labels"),
    (lambda: anomaly_report([], [], 0.5), ValueError, "y_true is empty"),
    (lambda: anomaly_report(Y, ["a"] * 10, 0.5), TypeError, "scores contains non-numeric"),
    (lambda: compare_reports([1, 2]), TypeError, "reports must be a dict"),
    (lambda: compare_reports({}), ValueError, "reports is empty"),
    (lambda: compare_reports({"a": 1}), TypeError, "reports has values"),
    (lambda: label_events([0, 3, 1]), ValueError, "labels must contain only 0"),
    (lambda: label_events([]), ValueError, "labels is empty"),
    (lambda: event_recall([0, 0, 0], [0, 1, 0]), ValueError, "y_true contains no anomaly events"),
    (lambda: event_recall([0, 1, 0], [0, 1]), ValueError, "y_pred has 2 labels"),
    (lambda: event_recall([0, 1, 0], [0, 1, 0], min_overlap=0), ValueError, "min_overlap must be"),
    (lambda: point_adjust([0, 1, 0], [0, 0.5, 0]), ValueError, "y_pred must contain only 0"),
    (lambda: point_adjusted_f1([0, 1, 0], [0.1, 0.7, 0.2]), ValueError, "scores_or_pred contains values other"),
    (lambda: point_adjusted_f1([0, 1, 0], [0.1, 0.7, 0.2], threshold="high"), TypeError, "threshold must be"),
    (lambda: series_report([0, 0, 0], [0.1, 0.2, 0.3], 0.5), ValueError, "y_true contains only normal"),
    (lambda: series_report([0, 1, 0], [0.1, np.nan, 0.3], 0.5), ValueError, "scores contains"),
]


@pytest.mark.parametrize(("func", "error", "match"), BAD_INPUTS, ids=[b[2] for b in BAD_INPUTS])
def test_bad_input(func, error, match):
    with pytest.raises(error, match=match):
        func()
