"""Exercises of lesson 09 · Challenges and trends.

Exercises 9.1-9.4 sit in the lesson's sections; questions 9.1-9.2 (``q5``, ``q6``) are its
"Check yourself". Exercises 9.2 and 9.3 are experiments: the learner changes a setting, runs
it and reports a measured number and a choice; the check recomputes the experiment from the
learner's own setting with the public functions below (:func:`contamination_roc_auc`,
:func:`evt_alarm_rates`), which run exactly what the lesson runs.
"""

from __future__ import annotations

import functools
import math
import numbers
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, FunctionExercise, Incorrect
from anomaly_helpers.exercises.progress import progress_of

#: Seeds of every comparison in the lesson (splits, and models where they are random).
SEEDS = (0, 1, 2, 3, 4)
#: Shuttle split of section 1 (as in the lesson's study): normal training rows, test rows.
SHUTTLE_SIZES = {"n_train": 1000, "n_test": 1000, "n_test_anomalies": 50}
#: Breast-cancer split of sections 2-4: benign training rows, benign and malignant test rows.
CANCER_SIZES = {"n_train": 200, "n_test": 157, "n_test_anomalies": 20}
#: Section 6: normal Shuttle rows to fit the detector on, the pool of validation rows, held-out normal rows.
EVT_SIZES = {"n_fit": 1000, "n_val_pool": 4000, "n_held_out": 20000}
#: Section 6: the initial threshold of the peaks-over-threshold fit is this quantile of the validation scores.
EVT_INIT_QUANTILE = 0.9


@functools.lru_cache(maxsize=1)
def _shuttle() -> tuple[np.ndarray, np.ndarray]:
    from anomaly_helpers.datasets import load_shuttle

    X, y = load_shuttle()
    return X.to_numpy(float), y.to_numpy()


def _mean_sd(values: Any) -> tuple[float, float]:
    v = np.asarray(values, dtype=float)
    return float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else 0.0


def _number(answer: Mapping, key: str) -> float:
    if key not in answer:
        raise Incorrect(f"your dictionary has no {key!r} entry; fill in every key of the template.")
    v = answer[key]
    if v is Ellipsis:
        raise Incorrect(f"replace the `...` of {key!r} with the number your run printed.")
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, np.number)):
        raise Incorrect(f"{key!r} should be one number, got {type(v).__name__} {v!r}.")
    if not math.isfinite(float(v)):
        raise Incorrect(f"{key!r} is {v}, not a finite number.")
    return float(v)


def _close(got: float, expected: float, key: str, decimals: int = 3) -> None:
    if abs(got - expected) <= 0.6 * 10**-decimals + 1e-12:
        return
    raise Incorrect(
        f"with your settings the experiment gives {key} = {expected:.{decimals}f}, not {got:.{decimals}f}: "
        "report the number printed for the setting you passed (rounded to 3 decimals or more)."
    )


def _mapping(answer: Any) -> Mapping:
    if not isinstance(answer, Mapping):
        raise Incorrect(f"answer with the dictionary of the template, got {type(answer).__name__}.")
    return answer


# --------------------------------------------------------------------------- Exercise 9.1
def _clone() -> Any:
    from sklearn.base import clone

    return clone


def trimmed_fit(detector: Any, X: Any, trim: float = 0.1) -> Any:
    """Fit a copy of ``detector``, drop the ``trim`` share of training rows it scores highest, refit another copy.

    Parameters
    ----------
    detector : estimator
        A course detector or a pipeline ending in one (it needs ``decision_scores_`` after
        ``fit``; for a pipeline, use its last step's).
    X : ndarray of shape (n_samples, n_features)
        Training data that may hold anomalies.
    trim : float in [0, 1), default 0.1

    Returns
    -------
    estimator
        A fresh clone of ``detector`` fitted on the rows whose training score is below the
        ``1 - trim`` quantile of the training scores.
    """
    from sklearn.base import clone

    X = np.asarray(X, dtype=float)
    first = clone(detector).fit(X)
    scores = getattr(first, "decision_scores_", None)
    if scores is None:  # a pipeline: the last step holds the training scores
        scores = first[-1].decision_scores_
    keep = scores < np.quantile(scores, 1 - trim)
    return clone(detector).fit(X[keep])


def _trim_cases() -> list[tuple]:
    from anomaly_helpers.detectors import IsolationForestDetector, KNNDetector

    rng = np.random.default_rng(9)
    clean = rng.normal(size=(120, 3))
    dirty = np.concatenate([clean, rng.normal(5.0, 0.3, size=(12, 3))])
    return [
        (KNNDetector(n_neighbors=5), dirty, 0.1),
        (KNNDetector(n_neighbors=3), clean, 0.2),
        (IsolationForestDetector(n_estimators=50, random_state=0), dirty, 0.15),
    ]


def _probe(args: tuple) -> np.ndarray:
    X = args[1]
    return np.concatenate([X[:10], np.linspace(X.min(0), X.max(0), 7)])


def _compare_trimmed(got: Any, expected: Any, args: tuple) -> None:
    if not hasattr(got, "decision_function"):
        raise Incorrect(f"return the refitted detector (with a decision_function), got {type(got).__name__}.")
    if got is args[0]:
        raise Incorrect("you returned (and refitted) the detector you were given; fit clones: `clone(detector)`.")
    probe = _probe(args)
    try:
        s_got = np.asarray(got.decision_function(probe), dtype=float)
    except Exception as exc:  # not fitted, wrong shape
        raise Incorrect(
            f"calling decision_function on the detector you returned raised {type(exc).__name__}."
        ) from None
    s_exp = np.asarray(expected.decision_function(probe), dtype=float)
    if np.allclose(s_got, s_exp, rtol=1e-6, atol=1e-9):
        return
    detector, X, trim = args
    from sklearn.base import clone

    variants = {
        "inclusive": None,
        "untrimmed": clone(detector).fit(X),
        "kept the highest": None,
        "self-match": None,
    }
    first = clone(detector).fit(X)
    scores = first.decision_scores_
    cut = np.quantile(scores, 1 - trim)
    variants["inclusive"] = clone(detector).fit(X[scores <= cut])
    variants["kept the highest"] = clone(detector).fit(X[scores >= cut])
    self_scores = first.decision_function(X)
    variants["self-match"] = clone(detector).fit(X[self_scores < np.quantile(self_scores, 1 - trim)])
    for name, model in variants.items():
        if np.allclose(s_got, model.decision_function(probe), rtol=1e-6, atol=1e-9):
            if name == "inclusive":
                return  # `<=` instead of `<` is as good a rule
            raise Incorrect(
                {
                    "untrimmed": "your detector was fitted on all rows: drop the highest-scoring share `trim` first.",
                    "kept the highest": "you kept the highest-scoring rows, the suspects: keep the rows *below* the "
                    "cut, `scores < np.quantile(scores, 1 - trim)`.",
                    "self-match": "you ranked the training rows with decision_function(X), so each row found "
                    "itself as its own nearest neighbour; use the leave-one-out training scores `decision_scores_`.",
                }[name]
            )
    raise Incorrect(
        f"on test case with {type(detector).__name__} and trim={trim}, the refitted detector scores differently from "
        "the reference: fit a clone, rank its training rows by decision_scores_, keep those below the 1 - trim "
        "quantile, fit a new clone on them."
    )


q1 = FunctionExercise(
    "Exercise 9.1 (★★☆)",
    reference=trimmed_fit,
    cases=_trim_cases,
    compare=_compare_trimmed,
    hints=[
        "Three steps: `first = clone(detector).fit(X)`; `scores = first.decision_scores_`; keep the rows with "
        "`scores < np.quantile(scores, 1 - trim)` and fit a new `clone(detector)` on them.",
        "Use `decision_scores_`, the training scores the detector computed while fitting (for kNN they leave each "
        "row out of its own neighbours), not `decision_function(X)`.",
    ],
    solution=(
        "def trimmed_fit(detector, X, trim=0.1):\n"
        "    first = clone(detector).fit(X)\n"
        "    scores = first.decision_scores_\n"
        "    keep = scores < np.quantile(scores, 1 - trim)\n"
        "    return clone(detector).fit(X[keep])"
    ),
    context=lambda: {"clone": _clone()},
)


# --------------------------------------------------------------------------- Exercise 9.2
def contamination_roc_auc(rate: float, n_neighbors: int = 5, trim: float = 0.0, seeds: Any = SEEDS) -> np.ndarray:
    """Test ROC-AUC of a kNN detector trained on Shuttle data with a share ``rate`` of anomalies, per seed.

    Parameters
    ----------
    rate : float in [0, 1)
        Share of anomalies in the training data (section 1's split, :data:`SHUTTLE_SIZES`).
    n_neighbors : int, default 5
        k of the kNN detector (standardised features, mean distance to the k nearest).
    trim : float in [0, 1), default 0
        When > 0, the detector is fitted with :func:`trimmed_fit`.
    seeds : sequence of int, default :data:`SEEDS`

    Returns
    -------
    ndarray of shape (len(seeds),)
    """
    return np.array(_contamination_roc_auc(float(rate), int(n_neighbors), float(trim), tuple(seeds)))


@functools.lru_cache(maxsize=32)
def _contamination_roc_auc(rate: float, n_neighbors: int, trim: float, seeds: tuple) -> tuple[float, ...]:
    from sklearn.metrics import roc_auc_score

    from anomaly_helpers.detectors import KNNDetector
    from anomaly_helpers.stress import contaminated_split

    X, y = _shuttle()
    out = []
    for seed in seeds:
        X_tr, X_te, y_te, _ = contaminated_split(X, y, rate, random_state=seed, **SHUTTLE_SIZES)
        det = KNNDetector(n_neighbors=n_neighbors)
        det = trimmed_fit(det, X_tr, trim) if trim > 0 else det.fit(X_tr)
        out.append(float(roc_auc_score(y_te, det.decision_function(X_te))))
    return tuple(out)


def _check_experiment_k(answer: Any) -> None:
    answer = _mapping(answer)
    k = answer.get("n_neighbors")
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= 200:
        raise Incorrect(f"'n_neighbors' must be the k you ran, an integer from 1 to 200, got {k!r}.")
    if k == 5:
        raise Incorrect("k = 5 is the lesson's own setting: change it (try 1, 20 or 50) and run the sweep again.")
    rate = _number(answer, "rate")
    if not 0.01 <= rate <= 0.1:
        raise Incorrect(f"'rate' must be one of the contaminated settings, between 0.01 and 0.1, got {rate}.")
    mine, mine_sd = _mean_sd(contamination_roc_auc(rate, n_neighbors=int(k)))
    base, base_sd = _mean_sd(contamination_roc_auc(rate, n_neighbors=5))
    _close(_number(answer, "roc_auc"), mine, "the mean ROC-AUC")
    choice = str(answer.get("choice", "")).strip().lower().strip("()")
    if choice not in ("a", "b", "c"):
        raise Incorrect("'choice' must be 'a', 'b' or 'c'.")
    diff = mine - base
    clear = abs(diff) > max(mine_sd, base_sd)
    right = ("a" if diff > 0 else "b") if clear else "c"
    if choice != right:
        raise Incorrect(
            f"at rate {rate:g} your k = {k} gives {mine:.3f} ± {mine_sd:.3f} and k = 5 gives {base:.3f} ± {base_sd:.3f}: "
            + (
                "the difference is larger than the spread, so it is a clear change — which way?"
                if clear
                else "the difference is within the spread of the seeds, so it is not a clear change."
            )
        )


q2 = CustomExercise(
    "Exercise 9.2 (★★☆)",
    check_fn=_check_experiment_k,
    hints=[
        "Set `k_try` to another value (1, 20, 50 …), run the cell, and read the row of the contamination rate you "
        "chose in the printed table.",
        "Compare the two means *with* their spreads: a difference smaller than the standard deviations is answer c.",
    ],
    solution=(
        "k_try, rate_try = 50, 0.05\n"
        "aucs_try = ex.contamination_roc_auc(rate_try, n_neighbors=k_try)   # ROC-AUC {aucs_try.mean():.3f}\n"
        'answer = {"n_neighbors": k_try, "rate": rate_try, "roc_auc": aucs_try.mean(), "choice": "a"}'
    ),
    context=lambda: {"ex": sys.modules[__name__]},
    reference=lambda: _k_answer(),
    what_to_give='a dict {"n_neighbors": ..., "rate": ..., "roc_auc": ..., "choice": ...}',
)


# --------------------------------------------------------------------------- Exercise 9.3
def evt_alarm_rates(
    n_val: int, q: float = 0.001, init_quantile: float = EVT_INIT_QUANTILE, seeds: Any = SEEDS
) -> dict[str, np.ndarray]:
    """Held-out alarm rates of a percentile threshold and a POT threshold set on ``n_val`` validation scores.

    Isolation Forest is fitted on normal Shuttle rows; both thresholds are set on the scores of
    ``n_val`` other normal rows, aiming at an alarm rate ``q``; the alarm rate is measured on
    :data:`EVT_SIZES` ``["n_held_out"]`` further normal rows.

    Parameters
    ----------
    n_val : int, from 100 to 4000
        Validation scores used: the first ``n_val`` of the pool of :func:`evt_scores`.
    q : float, default 0.001
    init_quantile : float, default 0.9
    seeds : sequence of int, default :data:`SEEDS`

    Returns
    -------
    dict
        ``{"percentile": rates, "pot": rates}``, each of shape (len(seeds),).
    """
    rates = _evt_alarm_rates(int(n_val), float(q), float(init_quantile), tuple(seeds))
    return {k: np.array(v) for k, v in rates.items()}


@functools.lru_cache(maxsize=len(SEEDS))
def _evt_scores(seed: int) -> tuple[np.ndarray, np.ndarray]:
    from anomaly_helpers.detectors import IsolationForestDetector

    X, y = _shuttle()
    n_fit, n_pool, n_out = EVT_SIZES["n_fit"], EVT_SIZES["n_val_pool"], EVT_SIZES["n_held_out"]
    rows = np.random.default_rng(seed).permutation(np.flatnonzero(y == 0))
    fit, pool, held_out = rows[:n_fit], rows[n_fit : n_fit + n_pool], rows[n_fit + n_pool : n_fit + n_pool + n_out]
    det = IsolationForestDetector(n_estimators=100, random_state=seed).fit(X[fit])
    s_pool, s_out = det.decision_function(X[pool]), det.decision_function(X[held_out])
    s_pool.flags.writeable = s_out.flags.writeable = False  # shared by every caller: read-only
    return s_pool, s_out


def evt_scores(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Isolation Forest scores of section 6: the validation pool and the held-out normal rows of one seed.

    The normal Shuttle rows are shuffled with ``seed``; Isolation Forest (100 trees, ``random_state=seed``)
    is fitted on the first ``EVT_SIZES["n_fit"]``; the next ``n_val_pool`` rows are the
    validation pool (a threshold set on ``n_val`` scores uses the first ``n_val``), the next
    ``n_held_out`` rows measure the alarm rate. Computed once per seed and kept.

    Parameters
    ----------
    seed : int

    Returns
    -------
    s_pool : ndarray of shape (n_val_pool,)
    s_held_out : ndarray of shape (n_held_out,)
        Read-only arrays (copy them before changing them).
    """
    return _evt_scores(int(seed))


@functools.lru_cache(maxsize=32)
def _evt_alarm_rates(n_val: int, q: float, init_quantile: float, seeds: tuple) -> dict[str, tuple[float, ...]]:
    from anomaly_helpers.evt import pot_threshold

    rates: dict[str, list[float]] = {"percentile": [], "pot": []}
    for seed in seeds:
        s_pool, s_out = evt_scores(seed)
        s_val = s_pool[:n_val]
        rates["percentile"].append(float(np.mean(s_out >= np.quantile(s_val, 1 - q))))
        rates["pot"].append(float(np.mean(s_out >= pot_threshold(s_val, q, init_quantile))))
    return {k: tuple(v) for k, v in rates.items()}


def _check_experiment_evt(answer: Any) -> None:
    answer = _mapping(answer)
    n_val = answer.get("n_val")
    if isinstance(n_val, bool) or not isinstance(n_val, numbers.Integral) or not 100 <= n_val <= 4000:
        raise Incorrect(f"'n_val' must be the validation size you ran, an integer from 100 to 4000, got {n_val!r}.")
    q = _number(answer, "q")
    if not 1e-4 <= q <= 0.01:
        raise Incorrect(f"'q' must be the target alarm rate you ran, between 0.0001 and 0.01, got {q}.")
    if n_val == 1000 and math.isclose(q, 0.001):
        raise Incorrect("n_val = 1000 with q = 0.001 is the lesson's own run: change n_val or q and run it again.")
    rates = evt_alarm_rates(int(n_val), q)
    pct, pot = float(rates["percentile"].mean()), float(rates["pot"].mean())
    _close(_number(answer, "percentile"), pct, "the mean alarm rate of the percentile", decimals=4)
    _close(_number(answer, "pot"), pot, "the mean alarm rate of POT", decimals=4)
    closer = str(answer.get("closer", "")).strip().lower()
    if closer not in ("percentile", "pot"):
        raise Incorrect("'closer' must be 'percentile' or 'pot'.")
    right = "pot" if abs(pot - q) < abs(pct - q) else "percentile"
    if closer != right:
        raise Incorrect(
            f"target {q:g}: percentile {pct:.4f}, POT {pot:.4f} — the one closer to the target is the other one."
        )


q3 = CustomExercise(
    "Exercise 9.3 (★★☆)",
    check_fn=_check_experiment_evt,
    hints=[
        "Change `n_val_try` (and/or `q_try`), run the cell, and copy the two mean alarm rates it prints (4 decimals).",
        "'closer' names the threshold whose mean held-out alarm rate is nearer to q (absolute difference).",
    ],
    solution=(
        "n_val_try, q_try = 250, 0.002\n"
        "rates_try = ex.evt_alarm_rates(n_val_try, q_try)\n"
        "pct, pot = rates_try['percentile'].mean(), rates_try['pot'].mean()   # {pct:.4f} and {pot:.4f}\n"
        'answer = {"n_val": n_val_try, "q": q_try, "percentile": pct, "pot": pot, "closer": "pot"}'
    ),
    context=lambda: {"ex": sys.modules[__name__]},
    reference=lambda: _evt_answer(),
    what_to_give='a dict {"n_val": ..., "q": ..., "percentile": ..., "pot": ..., "closer": ...}',
)


# --------------------------------------------------------------------------- Exercise 9.4
q4 = ChoiceExercise(
    "Exercise 9.4 (★☆☆)",
    answer="b",
    choices=("a", "b", "c", "d"),
    explanation=(
        "the re-calibrated threshold takes the drifted signal as the new normal, so the drift itself is never "
        "reported, and the larger noise now hides anomalies that used to stand out (event recall fell). "
        "Re-calibrate on purpose, log it, and have a person confirm that the change is benign."
    ),
    why_not={
        "a": "compare the event recall after the drift with the one before: the detector lost sensitivity.",
        "c": "the re-calibration stretch lies before the evaluated period and is separate from it; the problem "
        "is what the new threshold accepts as normal, not a leak.",
        "d": "with the fixed threshold most alarms after the drift fall on normal beats: they are false alarms, "
        "not anomalies.",
    },
    hints=["Look at both columns of the drift table: the alarm rate *and* the event recall after the drift."],
)


# --------------------------------------------------------------------------- Check yourself
q5 = ChoiceExercise(
    "Question 9.1 (★☆☆)",
    answer="c",
    choices=("a", "b", "c"),
    explanation=(
        "a handful of labelled anomalies is worth using (ADBench; section 2 measured it), but they show only the "
        "kinds already seen: keep an unsupervised score beside the classifier for new kinds, and keep some "
        "labelled cases aside to evaluate."
    ),
    why_not={
        "a": "section 2 measured the opposite: five labelled anomalies already beat the unsupervised detector.",
        "b": "a classifier alone learns only the kinds of anomaly it was shown; a new kind of fraud scores as normal.",
    },
    hints=["Section 2 and its Going further: what did five labels buy, and what happened on a kind never labelled?"],
)

q6 = ChoiceExercise(
    "Question 9.2 (★★☆)",
    answer={"a", "b"},
    choices=("a", "b", "c", "d"),
    explanation=(
        "point-adjusted F1 lets even random scores look excellent (Kim et al., AAAI 2022), and simple baselines "
        "match or beat deep detectors in the large benchmarks (TSB-AD, Sarfraz et al.): ask for both."
    ),
    why_not={
        "c": "more parameters cost time and memory; whether they pay must be measured (section 3), not assumed.",
        "d": "the size of the pre-training corpus says nothing about false alarms on your data.",
    },
    hints=["Section 7's three questions: compared with which baseline, with what spread, scored how?"],
)


# --------------------------------------------------------------------------- right and wrong answers
def _untrimmed(detector: Any, X: Any, trim: float = 0.1) -> Any:
    from sklearn.base import clone

    return clone(detector).fit(np.asarray(X, dtype=float))


def _k_answer(choice: str | None = None) -> dict:
    mine, base = contamination_roc_auc(0.05, n_neighbors=50), contamination_roc_auc(0.05, n_neighbors=5)
    measured = "a" if mine.mean() - base.mean() > max(mine.std(ddof=1), base.std(ddof=1)) else "c"
    return {"n_neighbors": 50, "rate": 0.05, "roc_auc": float(mine.mean()), "choice": choice or measured}


def _evt_answer(swap: bool = False) -> dict:
    rates = evt_alarm_rates(250, 0.002)
    pct, pot = float(rates["percentile"].mean()), float(rates["pot"].mean())
    closer = "pot" if abs(pot - 0.002) < abs(pct - 0.002) else "percentile"
    if swap:
        closer = "percentile" if closer == "pot" else "pot"
    return {"n_val": 250, "q": 0.002, "percentile": pct, "pot": pot, "closer": closer}


#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning the answer),
#: used by tests/test_exercises.py.
ANSWERS = {
    "q1": (lambda: trimmed_fit, lambda: _untrimmed),
    "q2": (_k_answer, lambda: _k_answer("b")),
    "q3": (_evt_answer, lambda: _evt_answer(swap=True)),
    "q4": (lambda: "b", lambda: "c"),
    "q5": (lambda: "c", lambda: "b"),
    "q6": (lambda: "a, b", lambda: "a"),
}
