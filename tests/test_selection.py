"""Tests for anomaly_helpers.selection (the selection procedure of lesson 08)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator
from sklearn.ensemble import IsolationForest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from anomaly_helpers.selection import METRICS, Selection, alarm_threshold, scoreboard, select_detectors


class DistanceDetector(BaseEstimator):
    """Distance to the training mean (deterministic, no random_state)."""

    def __init__(self, power: float = 1.0):
        self.power = power

    def fit(self, X, y=None):
        self.center_ = np.asarray(X, dtype=float).mean(axis=0)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def decision_function(self, X):
        return np.linalg.norm(np.asarray(X, dtype=float) - self.center_, axis=1) ** self.power


class NoisyDetector(BaseEstimator):
    """Distance plus seeded noise: its result depends on random_state."""

    def __init__(self, noise: float = 1.0, random_state=0):
        self.noise = noise
        self.random_state = random_state

    def fit(self, X, y=None):
        self.center_ = np.asarray(X, dtype=float).mean(axis=0)
        self.n_features_in_ = np.asarray(X).shape[1]
        self.fitted_seed_ = self.random_state
        return self

    def decision_function(self, X):
        X = np.asarray(X, dtype=float)
        noise = np.random.default_rng(self.random_state).normal(scale=self.noise, size=len(X))
        return np.linalg.norm(X - self.center_, axis=1) + noise


class ConstantDetector(BaseEstimator):
    """Scores every row the same (a detector with no skill)."""

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def decision_function(self, X):
        return np.zeros(len(X))


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X_train = rng.normal(size=(120, 3))
    X_val = rng.normal(size=(80, 3))
    X_val[:8] += 4.0
    y_val = np.r_[np.ones(8), np.zeros(72)].astype(int)
    X_test = rng.normal(size=(100, 3))
    X_test[:10] += 4.0
    y_test = np.r_[np.ones(10), np.zeros(90)].astype(int)
    return X_train, X_val, y_val, X_test, y_test


def _assert_message(excinfo, word: str) -> None:
    """The error names the argument as a word and gives a remedy."""
    msg = str(excinfo.value)
    assert re.search(rf"\b{re.escape(word)}\b", msg), msg
    assert re.search(r"\b(pass|use|fit|call)\b", msg), msg


# -- the procedure ------------------------------------------------------------------
def test_ranks_best_first_with_spread(data):
    X_train, X_val, y_val, _, _ = data
    sel = select_detectors(
        {"const": ConstantDetector(), "dist": DistanceDetector(), "noisy": NoisyDetector(noise=3.0)},
        X_train,
        X_val,
        y_val,
        seeds=4,
    )
    assert isinstance(sel, Selection)
    assert sel.metric == "pr_auc" and sel.higher_is_better
    assert list(sel.table.index)[0] == "dist" and sel.best == "dist"
    assert list(sel.table.index)[-1] == "const"
    assert sel.table.loc["const", "mean"] == pytest.approx(y_val.mean())  # no skill = prevalence
    assert sel.no_skill == pytest.approx(y_val.mean())
    assert sel.table.loc["noisy", "std"] > 0  # seeds change a seeded detector
    assert sel.table.loc["dist", "std"] == 0  # not a seeded one
    assert sel.table.loc["dist", "n_fits"] == 1 and sel.table.loc["noisy", "n_fits"] == 4
    assert set(sel.table.columns) >= {"mean", "std", "min", "max", "n_seeds", "fit_s", "score_s"}
    assert (sel.table[["fit_s", "score_s"]] >= 0).all().all()
    assert len(sel.runs) == 12 and len(sel.estimators["noisy"]) == 4
    assert [e.random_state for e in sel.estimators["noisy"]] == [0, 1, 2, 3]


def test_seeds_reach_pipeline_steps_and_candidates_are_not_changed(data):
    X_train, X_val, y_val, _, _ = data
    pipe = make_pipeline(StandardScaler(), NoisyDetector(random_state=99))
    sel = select_detectors([pipe], X_train, X_val, y_val, seeds=[3, 5])
    fitted = sel.estimators["NoisyDetector"]
    assert [p[-1].fitted_seed_ for p in fitted] == [3, 5]
    assert pipe[-1].random_state == 99 and not hasattr(pipe[-1], "center_")


def test_train_size_gives_spread_to_deterministic_detectors(data):
    X_train, X_val, y_val, _, _ = data
    sel = select_detectors({"dist": DistanceDetector()}, X_train, X_val, y_val, seeds=3, train_size=30)
    centers = [e.center_ for e in sel.estimators["dist"]]
    assert not np.allclose(centers[0], centers[1])
    assert sel.table.loc["dist", "n_fits"] == 3


def test_without_labels_ranks_by_validation_loss(data):
    X_train, X_val, _, _, _ = data
    sel = select_detectors({"p1": DistanceDetector(1.0), "p2": DistanceDetector(2.0)}, X_train, X_val, seeds=1)
    assert sel.metric == "val_loss" and not sel.higher_is_better and sel.no_skill is None
    assert sel.table["mean"].is_monotonic_increasing  # lower loss ranks first


@pytest.mark.parametrize("metric", ["roc_auc", "recall_at_budget"])
def test_other_metrics(data, metric):
    X_train, X_val, y_val, _, _ = data
    sel = select_detectors([DistanceDetector()], X_train, X_val, y_val, metric=metric, seeds=1, alarm_rate=0.1)
    assert sel.table["mean"].iloc[0] == pytest.approx(1.0)
    assert sel.no_skill == (0.5 if metric == "roc_auc" else 0.1)


def test_dataframes_keep_their_columns(data):
    X_train, X_val, y_val, _, _ = data
    cols = ["a", "b", "c"]
    sel = select_detectors(
        [DistanceDetector()], pd.DataFrame(X_train, columns=cols), pd.DataFrame(X_val, columns=cols), pd.Series(y_val)
    )
    assert sel.table["mean"].iloc[0] > 0.9
    assert set(METRICS) == {"pr_auc", "roc_auc", "recall_at_budget", "val_loss"}


def test_alarm_threshold_flags_the_budget():
    scores = np.arange(100.0)
    t = alarm_threshold(scores, 0.1)
    assert np.mean(scores >= t) == pytest.approx(0.1, abs=0.011)


# -- the test set, once --------------------------------------------------------------
def test_scoreboard_uses_validation_thresholds(data):
    X_train, X_val, y_val, X_test, y_test = data
    sel = select_detectors(
        {"dist": DistanceDetector(), "noisy": NoisyDetector(noise=0.5)}, X_train, X_val, y_val, seeds=3
    )
    board = scoreboard(sel, X_test, y_test, alarm_rate=0.1)
    assert list(board.index)[0] == "dist"
    assert {"pr_auc", "pr_auc_std", "roc_auc", "recall", "alarm_rate", "n_seeds", "score_s"} <= set(board.columns)
    assert board.loc["noisy", "n_seeds"] == 3
    assert board.attrs["no_skill_pr_auc"] == pytest.approx(0.1)
    # the threshold comes from the validation scores, not from the test scores
    t = sel.thresholds(0.1)["dist"][0]
    expected = np.mean(sel.estimators["dist"][0].decision_function(X_test) >= t)
    assert board.loc["dist", "alarm_rate"] == pytest.approx(expected)


def test_scoreboard_accepts_fitted_dict(data):
    X_train, _, _, X_test, y_test = data
    board = scoreboard({"dist": DistanceDetector().fit(X_train)}, X_test, y_test)
    assert board.loc["dist", "pr_auc_std"] == 0 and "recall" not in board.columns


# -- bad input -------------------------------------------------------------------------
def test_no_anomalies_in_validation_labels(data):
    X_train, X_val, _, _, _ = data
    with pytest.raises(ValueError, match="no anomalies") as e:
        select_detectors([DistanceDetector()], X_train, X_val, np.zeros(len(X_val), dtype=int))
    _assert_message(e, "y_val")


def test_labels_needed_for_a_labelled_metric(data):
    X_train, X_val, _, _, _ = data
    with pytest.raises(ValueError, match="needs validation labels") as e:
        select_detectors([DistanceDetector()], X_train, X_val, metric="pr_auc")
    _assert_message(e, "y_val")


@pytest.mark.parametrize(
    "bad, word",
    [
        (lambda d: (d[0], d[1][:, :2], d[2]), "X_val"),  # fewer columns than the training data
        (lambda d: (d[0], d[1], d[2][:-1]), "y_val"),  # one label short
        (lambda d: (d[0][:, 0], d[1], d[2]), "X_train"),  # 1-D
    ],
)
def test_mismatched_shapes(data, bad, word):
    X_train, X_val, y_val = bad(data)
    with pytest.raises(ValueError) as e:
        select_detectors([DistanceDetector()], X_train, X_val, y_val)
    _assert_message(e, word)


@pytest.mark.parametrize("candidate", [StandardScaler(), "knn", make_pipeline(StandardScaler())])
def test_invalid_detector(data, candidate):
    X_train, X_val, y_val, _, _ = data
    with pytest.raises(TypeError) as e:
        select_detectors({"bad": candidate}, X_train, X_val, y_val)
    _assert_message(e, "candidates")


def test_sklearn_outlier_detector_refused_for_its_sign(data):
    X_train, X_val, y_val, _, _ = data
    with pytest.raises(TypeError, match="lower") as e:
        select_detectors([make_pipeline(StandardScaler(), IsolationForest())], X_train, X_val, y_val)
    _assert_message(e, "candidates")


def test_unfitted_detector_in_scoreboard(data):
    _, _, _, X_test, y_test = data
    with pytest.raises(ValueError, match="not fitted") as e:
        scoreboard({"dist": DistanceDetector()}, X_test, y_test)
    _assert_message(e, "detectors")


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"seeds": 0}, "seeds"),
        ({"seeds": [1, 1]}, "seeds"),
        ({"seeds": [-1]}, "seeds"),
        ({"train_size": 10_000}, "train_size"),
        ({"metric": "f1"}, "metric"),
        ({"alarm_rate": 1.5}, "alarm_rate"),
    ],
)
def test_bad_settings(data, kwargs, word):
    X_train, X_val, y_val, _, _ = data
    with pytest.raises(ValueError) as e:
        select_detectors([DistanceDetector()], X_train, X_val, y_val, **kwargs)
    assert re.search(rf"\b{word}\b", str(e.value)), str(e.value)


def test_empty_or_wrong_candidates(data):
    X_train, X_val, y_val, _, _ = data
    with pytest.raises(ValueError, match="empty"):
        select_detectors({}, X_train, X_val, y_val)
    with pytest.raises(TypeError) as e:
        select_detectors(DistanceDetector(), X_train, X_val, y_val)
    _assert_message(e, "candidates")


def test_scoreboard_budget_needs_a_selection(data):
    X_train, _, _, X_test, y_test = data
    with pytest.raises(ValueError) as e:
        scoreboard({"dist": DistanceDetector().fit(X_train)}, X_test, y_test, alarm_rate=0.1)
    _assert_message(e, "alarm_rate")


def test_scoreboard_of_several_selections(data):
    X_train, X_val, y_val, X_test, y_test = data
    a = select_detectors({"dist": DistanceDetector()}, X_train, X_val, y_val, seeds=2)
    b = select_detectors({"noisy": NoisyDetector()}, X_train, X_val, y_val, seeds=2)
    board = scoreboard([a, b], X_test, y_test, alarm_rate=0.1)
    assert set(board.index) == {"dist", "noisy"} and "recall" in board.columns
    with pytest.raises(ValueError, match="same name"):
        scoreboard([a, a], X_test, y_test)
