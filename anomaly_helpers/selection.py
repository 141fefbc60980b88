"""Choose a detector honestly: fit every candidate over several seeds, rank them on validation data.

The procedure of an anomaly-detection project, packaged so it can be reused on the next data set:

1. :func:`select_detectors` fits each candidate detector (an estimator or a scikit-learn
   ``Pipeline`` ending in one; deep and classical alike) on the training data once per seed,
   scores the validation data, and ranks the candidates by the mean of a metric over the
   seeds, with its spread and the fit and score times. Nothing is chosen on the test set.
2. :func:`scoreboard` scores the fitted detectors once on the test set, with thresholds
   chosen on the validation data (an alarm budget), never on the data a model was fitted on.
3. :func:`anomaly_helpers.persistence.save_pipeline` ships the chosen one.

A candidate is anything with ``fit(X)`` and ``decision_function(X)`` whose scores are
*higher for more anomalous* samples (the convention of :mod:`anomaly_helpers.detectors` and
of PyOD). scikit-learn's own outlier detectors use the opposite sign and are refused with a
message saying what to use instead.

See Also
--------
anomaly_helpers.detectors : the detectors (classical and autoencoder) this module ranks.
Lesson 08 (``notebooks/08_practice_end_to_end.ipynb``) uses both functions on Shuttle.
"""

from __future__ import annotations

import numbers
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from anomaly_helpers._validate import (
    check_choice,
    check_features,
    check_fraction,
    check_labels,
    check_positive_int,
)

__all__ = [
    "METRICS",
    "Selection",
    "select_detectors",
    "scoreboard",
    "alarm_threshold",
]

#: Metrics :func:`select_detectors` can rank by. All but ``"val_loss"`` need validation labels.
METRICS = ("pr_auc", "roc_auc", "recall_at_budget", "val_loss")
_HIGHER_IS_BETTER = {"pr_auc": True, "roc_auc": True, "recall_at_budget": True, "val_loss": False}


# --------------------------------------------------------------------------- small pure pieces
def alarm_threshold(val_scores: Any, alarm_rate: float) -> float:
    """Threshold that flags a fraction ``alarm_rate`` of the validation samples.

    Parameters
    ----------
    val_scores : array-like of shape (n_val,)
        Anomaly scores of held-out (validation) samples, higher = more anomalous.
    alarm_rate : float in (0, 1)
        The alarm budget: the fraction of samples the team can afford to check.

    Returns
    -------
    float
        The ``1 - alarm_rate`` quantile of ``val_scores``; flag a sample when its score is
        ``>=`` this threshold.
    """
    alarm_rate = check_fraction(alarm_rate, "alarm_rate")
    scores = np.asarray(val_scores, dtype=np.float64).ravel()
    if scores.size == 0:
        raise ValueError("val_scores is empty; pass the scores of the validation samples.")
    return float(np.quantile(scores, 1.0 - alarm_rate))


def _metric_value(metric: str, y: np.ndarray | None, scores: np.ndarray, alarm_rate: float) -> float:
    from sklearn.metrics import average_precision_score, roc_auc_score

    if metric == "val_loss":
        return float(np.mean(scores))
    if metric == "pr_auc":
        return float(average_precision_score(y, scores))
    if metric == "roc_auc":
        return float(roc_auc_score(y, scores))
    flagged = scores >= alarm_threshold(scores, alarm_rate)
    return float(flagged[y == 1].mean())


def _no_skill(metric: str, y: np.ndarray | None, alarm_rate: float) -> float | None:
    """What a detector scoring at random would get (None where there is no such line)."""
    return {"pr_auc": None if y is None else float(y.mean()), "roc_auc": 0.5, "recall_at_budget": alarm_rate}.get(
        metric
    )


def _final_step(estimator: Any) -> Any:
    steps = getattr(estimator, "steps", None)
    return steps[-1][1] if isinstance(steps, list) and steps else estimator


def _check_candidate(name: str, estimator: Any) -> None:
    from sklearn.base import OutlierMixin

    final = _final_step(estimator)
    if not (callable(getattr(estimator, "fit", None)) and callable(getattr(estimator, "decision_function", None))):
        raise TypeError(
            f"candidates[{name!r}] is a {type(estimator).__name__}, which has no fit and decision_function; "
            "pass a detector such as anomaly_helpers.detectors.IsolationForestDetector() or a Pipeline ending in one."
        )
    if isinstance(final, OutlierMixin) and type(final).__module__.startswith("sklearn."):
        raise TypeError(
            f"candidates[{name!r}] ends in scikit-learn's {type(final).__name__}, whose decision_function is "
            "*lower* for anomalies; use the detector of the same name in anomaly_helpers.detectors "
            "(higher = more anomalous), e.g. IsolationForestDetector."
        )


def _as_candidates(candidates: Any) -> dict[str, Any]:
    if isinstance(candidates, Mapping):
        items = [(str(k), v) for k, v in candidates.items()]
    elif isinstance(candidates, Sequence) and not isinstance(candidates, str):
        items, seen = [], {}
        for est in candidates:
            base = type(_final_step(est)).__name__
            seen[base] = seen.get(base, 0) + 1
            items.append((base if seen[base] == 1 else f"{base} ({seen[base]})", est))
    else:
        raise TypeError(
            f"candidates must be a dict {{name: detector}} or a list of detectors, got {type(candidates).__name__}; "
            "pass e.g. {'iforest': IsolationForestDetector()}."
        )
    if not items:
        raise ValueError("candidates is empty; pass at least one detector to compare.")
    for name, est in items:
        _check_candidate(name, est)
    return dict(items)


def _check_seeds(seeds: Any) -> list[int]:
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        return list(range(check_positive_int(seeds, "seeds")))
    if isinstance(seeds, Sequence) and not isinstance(seeds, str) and len(seeds) > 0:
        out = []
        for s in seeds:
            if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 0:
                raise ValueError(f"seeds must hold integers >= 0, found {s!r}; pass e.g. seeds=[0, 1, 2].")
            out.append(int(s))
        if len(set(out)) != len(out):
            raise ValueError(f"seeds repeats a value ({out}); pass distinct seeds, e.g. seeds=[0, 1, 2].")
        return out
    raise ValueError(f"seeds must be a number of seeds or a non-empty list of them, got {seeds!r}; pass e.g. seeds=3.")


def _seeded(estimator: Any, seed: int) -> tuple[Any, bool]:
    """A fresh clone with every ``random_state`` parameter (pipeline steps too) set to ``seed``."""
    from sklearn.base import clone

    est = clone(estimator)
    keys = [k for k in est.get_params(deep=True) if k == "random_state" or k.endswith("__random_state")]
    if keys:
        est.set_params(**dict.fromkeys(keys, seed))
    return est, bool(keys)


def _take(X: Any, rows: np.ndarray | None) -> Any:
    if rows is None:
        return X
    return X.iloc[rows] if hasattr(X, "iloc") else np.asarray(X)[rows]


def _timed_scores(est: Any, X: Any, name: str) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    scores = np.asarray(est.decision_function(X), dtype=np.float64).ravel()
    elapsed = time.perf_counter() - start
    if scores.shape[0] != len(X) or not np.all(np.isfinite(scores)):
        raise ValueError(
            f"candidates[{name!r}] returned {scores.shape[0]} scores (some not finite) for {len(X)} samples; "
            "check that its decision_function returns one finite score per row."
        )
    return scores, elapsed


# --------------------------------------------------------------------------- the result
@dataclass
class Selection:
    """What :func:`select_detectors` returns.

    Attributes
    ----------
    table : DataFrame
        One row per candidate, best first: ``mean``, ``std`` (over seeds, ddof=1; 0 for one
        seed), ``min``, ``max`` of the metric, ``n_seeds``, ``n_fits`` (a candidate without
        randomness on the same rows is fitted once), mean ``fit_s`` and ``score_s`` (seconds).
    runs : DataFrame
        One row per candidate and seed: ``candidate``, ``seed``, ``value``, ``fit_s``, ``score_s``.
    estimators : dict of str to list
        The fitted estimators of each candidate, one per seed (reuse them on the test set).
    val_scores : dict of str to list of ndarray
        Validation scores of each candidate, one array of shape (n_val,) per seed.
    metric : str
    higher_is_better : bool
    no_skill : float or None
        The metric of a detector that scores at random (prevalence for PR-AUC, 0.5 for ROC-AUC,
        the alarm rate for recall at a budget; None for ``val_loss``).
    alarm_rate : float
        The alarm budget used by ``recall_at_budget`` and :meth:`thresholds`.
    """

    table: pd.DataFrame
    runs: pd.DataFrame
    estimators: dict[str, list[Any]] = field(repr=False)
    val_scores: dict[str, list[np.ndarray]] = field(repr=False)
    metric: str = "pr_auc"
    higher_is_better: bool = True
    no_skill: float | None = None
    alarm_rate: float = 0.1

    @property
    def best(self) -> str:
        """Name of the top-ranked candidate."""
        return str(self.table.index[0])

    def thresholds(self, alarm_rate: float | None = None) -> dict[str, list[float]]:
        """Per candidate and seed, the threshold that flags ``alarm_rate`` of the validation samples."""
        rate = self.alarm_rate if alarm_rate is None else alarm_rate
        return {name: [alarm_threshold(s, rate) for s in runs] for name, runs in self.val_scores.items()}


def _summarise(runs: pd.DataFrame, higher_is_better: bool) -> pd.DataFrame:
    grouped = runs.groupby("candidate", sort=False)
    table = pd.DataFrame(
        {
            "mean": grouped["value"].mean(),
            "std": grouped["value"].std(ddof=1).fillna(0.0),
            "min": grouped["value"].min(),
            "max": grouped["value"].max(),
            "n_seeds": grouped.size(),
            "n_fits": grouped["refit"].sum(),
            "fit_s": grouped["fit_s"].mean(),
            "score_s": grouped["score_s"].mean(),
        }
    )
    table.index.name = "candidate"
    return table.sort_values("mean", ascending=not higher_is_better, kind="stable")


def _check_data(X_train: Any, X_val: Any, y_val: Any, metric: str | None) -> tuple[np.ndarray | None, str]:
    tr = check_features(X_train, "X_train", min_samples=2)
    check_features(X_val, "X_val", n_features=tr.shape[1])
    if metric is None:
        metric = "val_loss" if y_val is None else "pr_auc"
    metric = check_choice(metric, "metric", METRICS)
    if y_val is None:
        if metric != "val_loss":
            raise ValueError(
                f"metric={metric!r} needs validation labels, but y_val is None; pass y_val (1 = anomaly) or "
                "use metric='val_loss' (the mean validation score, for autoencoders their reconstruction loss)."
            )
        return None, metric
    y = check_labels(y_val, "y_val", n=len(X_val))
    if metric != "val_loss" and not (y == 1).any():
        raise ValueError(
            f"y_val has no anomalies (label 1), so {metric} is undefined; pass validation rows that include "
            "some labelled anomalies (split with stratify=y), or use metric='val_loss' without labels."
        )
    if metric != "val_loss" and not (y == 0).any():
        raise ValueError(f"y_val has no normal samples (label 0), so {metric} is undefined; use a stratified split.")
    return y, metric


def _check_train_size(train_size: Any, n_train: int) -> int | None:
    if train_size is None:
        return None
    size = check_positive_int(train_size, "train_size", minimum=2)
    if size > n_train:
        raise ValueError(
            f"train_size={size} is larger than X_train ({n_train} rows); pass at most {n_train}, or None for all rows."
        )
    return size


# --------------------------------------------------------------------------- the procedure
def select_detectors(
    candidates: Mapping[str, Any] | Sequence[Any],
    X_train: Any,
    X_val: Any,
    y_val: Any = None,
    *,
    metric: str | None = None,
    seeds: int | Sequence[int] = 3,
    train_size: int | None = None,
    alarm_rate: float = 0.1,
) -> Selection:
    """Fit every candidate over several seeds and rank them on validation data.

    For each candidate and seed: clone it, set every ``random_state`` it has (pipeline steps
    included) to the seed, fit it on the training rows — all of them, or ``train_size`` rows
    drawn with that seed, so that even a deterministic detector shows how much its result
    depends on the data it saw — and score the validation rows. A candidate with no
    ``random_state`` and no subsampling would give the same result for every seed: it is
    fitted once and the result reused.

    Parameters
    ----------
    candidates : dict of str to estimator, or list of estimators
        Detectors or pipelines ending in one: ``fit(X)`` and ``decision_function(X)``,
        higher = more anomalous (:mod:`anomaly_helpers.detectors`, PyOD). They are cloned,
        never changed.
    X_train : array-like of shape (n_train, n_features)
        Training data (in the one-class setting: normal rows only).
    X_val : array-like of shape (n_val, n_features)
        Validation data, never used for fitting.
    y_val : array-like of shape (n_val,), optional
        Validation labels (1 = anomaly). Without them only ``metric="val_loss"`` is possible.
    metric : {"pr_auc", "roc_auc", "recall_at_budget", "val_loss"}, optional
        Default "pr_auc" with labels, "val_loss" without. ``recall_at_budget`` is the fraction
        of validation anomalies among the ``alarm_rate`` highest-scored validation rows.
        ``val_loss`` is the mean validation score (lower ranks first): for autoencoders, their
        validation reconstruction loss. It is only comparable between candidates whose scores
        share a scale (autoencoders on the same scaled features), never across detector kinds.
    seeds : int or sequence of int, default 3
        Number of seeds (0, 1, ...) or the seeds themselves.
    train_size : int, optional
        Fit each seed on this many training rows drawn without replacement with that seed.
    alarm_rate : float in (0, 1), default 0.1
        The alarm budget for ``recall_at_budget`` and :meth:`Selection.thresholds`.

    Returns
    -------
    Selection
        ``table`` (ranked, best first), ``runs``, the fitted ``estimators`` and ``val_scores``.

    Raises
    ------
    ValueError
        Mismatched shapes, labels that are not 0/1, no anomaly in ``y_val`` for a metric that
        needs one, a metric that needs labels without ``y_val``, bad ``seeds`` or ``train_size``.
    TypeError
        A candidate without ``fit`` / ``decision_function``, or one of scikit-learn's own
        outlier detectors (opposite sign).

    Examples
    --------
    >>> import numpy as np
    >>> from anomaly_helpers.detectors import IsolationForestDetector, KNNDetector
    >>> rng = np.random.default_rng(0)
    >>> X_train, X_val = rng.normal(size=(200, 3)), rng.normal(size=(60, 3))
    >>> X_val[:6] += 5
    >>> y_val = np.r_[np.ones(6), np.zeros(54)].astype(int)
    >>> sel = select_detectors({"knn": KNNDetector(), "iforest": IsolationForestDetector()},
    ...                        X_train, X_val, y_val, seeds=2)
    >>> sel.table["mean"].round(3).tolist()
    [1.0, 1.0]

    See Also
    --------
    scoreboard : the final, single evaluation on the test set.
    """
    found = _as_candidates(candidates)
    y, metric = _check_data(X_train, X_val, y_val, metric)
    seed_list = _check_seeds(seeds)
    size = _check_train_size(train_size, len(X_train))
    alarm_rate = check_fraction(alarm_rate, "alarm_rate")
    rows, estimators, val_scores = [], {}, {}
    for name, candidate in found.items():
        estimators[name], val_scores[name] = [], []
        reusable = None
        for seed in seed_list:
            subset = None if size is None else np.random.default_rng(seed).choice(len(X_train), size, replace=False)
            est, seeded = _seeded(candidate, seed)
            if reusable is not None:
                est, scores, fit_s, score_s, refit = (*reusable, False)
            else:
                start = time.perf_counter()
                est.fit(_take(X_train, subset))
                fit_s = time.perf_counter() - start
                scores, score_s = _timed_scores(est, X_val, name)
                refit = True
                if not seeded and size is None:
                    reusable = (est, scores, fit_s, score_s)
            estimators[name].append(est)
            val_scores[name].append(scores)
            value = _metric_value(metric, y, scores, alarm_rate)
            rows.append(
                {"candidate": name, "seed": seed, "value": value, "fit_s": fit_s, "score_s": score_s, "refit": refit}
            )
    runs = pd.DataFrame(rows)
    higher = _HIGHER_IS_BETTER[metric]
    return Selection(
        table=_summarise(runs, higher),
        runs=runs.drop(columns="refit"),
        estimators=estimators,
        val_scores=val_scores,
        metric=metric,
        higher_is_better=higher,
        no_skill=_no_skill(metric, y, alarm_rate),
        alarm_rate=alarm_rate,
    )


# --------------------------------------------------------------------------- the test set, once
def _selections(detectors: Any) -> list[Selection] | None:
    if isinstance(detectors, Selection):
        return [detectors]
    if isinstance(detectors, (list, tuple)) and detectors and all(isinstance(d, Selection) for d in detectors):
        names = [n for d in detectors for n in d.estimators]
        if len(set(names)) != len(names):
            raise ValueError(f"detectors holds two candidates of the same name ({names}); give them distinct names.")
        return list(detectors)
    return None


def _as_fitted(detectors: Any) -> dict[str, list[Any]]:
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    found = _selections(detectors)
    if found is not None:
        return {name: ests for sel in found for name, ests in sel.estimators.items()}
    if not isinstance(detectors, Mapping) or not detectors:
        raise TypeError(
            "detectors must be the Selection returned by select_detectors or a non-empty dict {name: fitted "
            f"detector or list of them}}, got {type(detectors).__name__}; pass e.g. scoreboard(selection, X_test, y_test)."
        )
    out = {}
    for name, value in detectors.items():
        fitted = list(value) if isinstance(value, (list, tuple)) else [value]
        for est in fitted:
            _check_candidate(str(name), est)
            try:
                check_is_fitted(est)
            except NotFittedError:
                raise ValueError(
                    f"detectors[{name!r}] is not fitted; fit it on the training data first (or pass the Selection "
                    "returned by select_detectors, whose estimators are fitted)."
                ) from None
        out[str(name)] = fitted
    return out


def scoreboard(
    detectors: Selection | Sequence[Selection] | Mapping[str, Any],
    X_test: Any,
    y_test: Any,
    *,
    alarm_rate: float | None = None,
) -> pd.DataFrame:
    """Score fitted detectors once on the test set: mean and spread over their seeds.

    Parameters
    ----------
    detectors : Selection, list of Selection, or dict of str to fitted detector (or list of them)
        Typically the result(s) of :func:`select_detectors`; a dict holds detectors fitted
        elsewhere, one per seed.
    X_test : array-like of shape (n_test, n_features)
    y_test : array-like of shape (n_test,)
        Test labels (1 = anomaly); both classes must be present.
    alarm_rate : float in (0, 1), optional
        With selections, also report the test recall and the test alarm rate at the
        threshold that flags ``alarm_rate`` of the *validation* rows (chosen on validation,
        applied unchanged to the test rows). Default: the selection's own ``alarm_rate``.

    Returns
    -------
    DataFrame
        One row per detector, sorted by mean test PR-AUC: ``pr_auc``, ``pr_auc_std``,
        ``roc_auc``, ``roc_auc_std`` (std over seeds, ddof=1), with a budget also ``recall``,
        ``recall_std`` and ``alarm_rate``; ``n_seeds`` and the mean ``score_s``. The attribute
        ``attrs["no_skill_pr_auc"]`` holds the test prevalence, PR-AUC's no-skill line.

    See Also
    --------
    select_detectors : the choice on validation data that comes before.
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    fitted = _as_fitted(detectors)
    y = check_labels(y_test, "y_test", n=len(X_test), require_both=True)
    thresholds = None
    found = _selections(detectors)
    if found is not None:
        thresholds = {k: v for sel in found for k, v in sel.thresholds(alarm_rate).items()}
    elif alarm_rate is not None:
        raise ValueError(
            "alarm_rate needs thresholds chosen on validation data; pass the Selection returned by "
            "select_detectors (it keeps the validation scores), or leave alarm_rate=None."
        )
    rows, scored = {}, {}
    for name, ests in fitted.items():
        vals: dict[str, list[float]] = {"pr_auc": [], "roc_auc": [], "recall": [], "alarm_rate": [], "score_s": []}
        for i, est in enumerate(ests):
            if id(est) not in scored:  # a model reused for several seeds is scored once
                check_features(X_test, "X_test", n_features=getattr(est, "n_features_in_", None))
                scored[id(est)] = _timed_scores(est, X_test, name)
            scores, score_s = scored[id(est)]
            vals["pr_auc"].append(float(average_precision_score(y, scores)))
            vals["roc_auc"].append(float(roc_auc_score(y, scores)))
            vals["score_s"].append(score_s)
            if thresholds is not None:
                flagged = scores >= thresholds[name][i]
                vals["recall"].append(float(flagged[y == 1].mean()))
                vals["alarm_rate"].append(float(flagged.mean()))
        row = {}
        for key in ("pr_auc", "roc_auc", "recall"):
            if vals[key]:
                row[key] = float(np.mean(vals[key]))
                row[f"{key}_std"] = float(np.std(vals[key], ddof=1)) if len(vals[key]) > 1 else 0.0
        if vals["alarm_rate"]:
            row["alarm_rate"] = float(np.mean(vals["alarm_rate"]))
        row.update(n_seeds=len(ests), score_s=float(np.mean(vals["score_s"])))
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index").sort_values("pr_auc", ascending=False, kind="stable")
    table.index.name = "detector"
    table.attrs["no_skill_pr_auc"] = float(y.mean())
    return table
