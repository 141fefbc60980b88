"""Exercises of lesson 01 · What anomaly detection is.

Exercises 1.1-1.5 (``q1``-``q5``) sit in the lesson's sections (1.4 in a Going-further section; 1.5 is
the experiment); questions 1.1-1.3 (``q6``-``q8``) are its "Check yourself". The WBC split and the
Isolation Forest of exercises 1.3 and 1.5 are rebuilt here with the lesson's arguments
(:data:`WBC_SPLIT`, :data:`IFOREST_PARAMS`), so the checks never depend on the learner's variables.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, FunctionExercise, Incorrect
from anomaly_helpers.exercises.feedback import check_number, short_repr
from anomaly_helpers.exercises.progress import progress_of

#: Arguments of ``splits.one_class_split`` used in lesson 01 (on ``datasets.make_wbc(random_state=0)``).
WBC_SPLIT = {"test_size": 0.3, "val_size": 0.2, "random_state": 0}

#: Arguments of the ``detectors.IsolationForestDetector`` fitted on the training rows in lesson 01.
IFOREST_PARAMS = {"random_state": 0}

#: Euler-Mascheroni constant, used by the harmonic-number approximation of Isolation Forest.
EULER_GAMMA = 0.5772156649015329


# --------------------------------------------------------------------------- helpers
def _labelled_list(answer: Any, expected: Sequence[str], allowed: dict[str, str], why: Sequence[str]) -> None:
    """Check a list of category names item by item; raise Incorrect naming the first wrong items."""
    if isinstance(answer, np.ndarray):
        answer = answer.tolist()
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
        raise Incorrect(f"answer with a list of {len(expected)} words, e.g. {list(expected[:1]) * len(expected)}.")
    if len(answer) != len(expected):
        raise Incorrect(f"your list has {len(answer)} item(s); there are {len(expected)} situations, one word each.")
    given = []
    for i, a in enumerate(answer):
        word = str(a).strip().lower().replace("_", "-").replace(" ", "-")
        word = allowed.get(word, word)
        if word not in set(allowed.values()):
            raise Incorrect(f"item {i + 1} is {short_repr(a)}; use one of {sorted(set(allowed.values()))}.")
        given.append(word)
    wrong = [i for i, (g, e) in enumerate(zip(given, expected, strict=True)) if g != e]
    if wrong:
        parts = [f"({chr(97 + i)}) is not {given[i]}: {why[i]}" for i in wrong]
        raise Incorrect(f"{len(wrong)} of {len(expected)} wrong. " + " ".join(parts))


# --------------------------------------------------------------------------- Exercise 1.1
_KINDS = ("point", "contextual", "collective", "point")
_KINDS_ALLOWED = {"point": "point", "contextual": "contextual", "collective": "collective"}
_KINDS_WHY = (
    "one reading far outside the range of all others is extreme on its own.",
    "a working-hours temperature is normal by day; only the time of night makes it strange.",
    "each purchase is ordinary; only the burst of them together is unusual.",
    "one tumour, extreme on its own, compared with all benign tumours.",
)


def _check_kinds(answer: Any) -> None:
    _labelled_list(answer, _KINDS, _KINDS_ALLOWED, _KINDS_WHY)


q1 = CustomExercise(
    "Exercise 1.1 (★☆☆)",
    check_fn=_check_kinds,
    hints=[
        "Ask of each case: is the value strange *on its own* (point), strange only *given its context* "
        "such as the time or the phase of a cycle (contextual), or is every single value ordinary and only "
        "the *group* strange (collective)?",
        "Two of the four are point anomalies.",
    ],
    solution='kinds = ["point", "contextual", "collective", "point"]',
    reference=lambda: list(_KINDS),
    what_to_give="a list of four words such as ['point', 'point', 'point', 'point']",
)


# --------------------------------------------------------------------------- Exercise 1.2
_SETTINGS = ("semi-supervised", "supervised", "unsupervised")
_SETTINGS_ALLOWED = {
    "supervised": "supervised",
    "semi-supervised": "semi-supervised",
    "semisupervised": "semi-supervised",
    "one-class": "semi-supervised",
    "unsupervised": "unsupervised",
}
_SETTINGS_WHY = (
    "months of logs known to be normal and almost no failures: learn 'normal' from the clean data (train on normal only).",
    "thousands of confirmed, recurring fraud cases are labelled examples of both classes: a classifier can learn them.",
    "nobody labelled anything and incidents are mixed in: the training data is contaminated and unlabelled.",
)


def _check_settings(answer: Any) -> None:
    _labelled_list(answer, _SETTINGS, _SETTINGS_ALLOWED, _SETTINGS_WHY)


q2 = CustomExercise(
    "Exercise 1.2 (★☆☆)",
    check_fn=_check_settings,
    hints=[
        "Look at the table in section 3: which labels does each situation have, and is the training data clean?",
        "Supervised needs labelled anomalies (many, and of the kinds that will recur); semi-supervised needs data "
        "known to be normal; unsupervised needs neither but assumes anomalies are rare.",
    ],
    solution='settings_answer = ["semi-supervised", "supervised", "unsupervised"]',
    reference=lambda: list(_SETTINGS),
    what_to_give="a list of three words such as ['supervised', 'supervised', 'supervised']",
)


# --------------------------------------------------------------------------- Exercise 1.3
@functools.lru_cache(maxsize=1)
def _wbc_split():
    from anomaly_helpers.datasets import make_wbc
    from anomaly_helpers.splits import one_class_split

    X, y = make_wbc(random_state=0)
    return one_class_split(X, y, **WBC_SPLIT)


def _three_sigma(values: Any) -> float:
    v = np.asarray(values, dtype=float)
    return float(v.mean() + 3 * v.std())


def radius_threshold() -> float:
    """mu + 3 sigma of "mean radius" on the normal training rows of lesson 01's WBC split (ddof=0)."""
    return _three_sigma(_wbc_split().X_train["mean radius"])


def _check_radius_threshold(answer: Any) -> None:
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.number)):
        raise Incorrect(f"answer with one number (a float), got {short_repr(answer)}.")
    got = float(answer)
    if not math.isfinite(got):
        raise Incorrect(f"your threshold is {got}, not a finite number.")
    split = _wbc_split()
    right = _three_sigma(split.X_train["mean radius"])
    if math.isclose(got, right, rel_tol=2e-3):  # ddof=0 or ddof=1 both accepted
        return
    from anomaly_helpers.datasets import make_wbc

    X, _ = make_wbc(random_state=0)
    traps = {
        "the whole WBC table, anomalies and test rows included": _three_sigma(X["mean radius"]),
        "the test split": _three_sigma(split.X_test["mean radius"]),
        "the validation split": _three_sigma(split.X_val["mean radius"]),
    }
    for where, value in traps.items():
        if math.isclose(got, value, rel_tol=2e-3):
            raise Incorrect(f"that is mu + 3 sigma of {where}. Compute mu and sigma on split.X_train only.")
    mu, sigma = split.X_train["mean radius"].mean(), split.X_train["mean radius"].std(ddof=0)
    if math.isclose(got, mu - 3 * sigma, rel_tol=2e-3):
        raise Incorrect("that is mu - 3 sigma; large tumours are the suspicious ones here, so take mu + 3 sigma.")
    direction = "too high" if got > right else "too low"
    raise Incorrect(f"your threshold {got:.4g} is {direction}. Use mu + 3 * sigma of the training column.")


q3 = CustomExercise(
    "Exercise 1.3 (★☆☆)",
    check_fn=_check_radius_threshold,
    hints=[
        "Take the column `split.X_train['mean radius']`: only the normal training rows, never test data.",
        "mu = column.mean(); sigma = column.std(ddof=0) (NumPy's default; pandas' default ddof=1 is accepted too); "
        "the threshold is mu + 3 * sigma, i.e. the value whose z-score is 3.",
    ],
    solution=(
        "radius = split.X_train['mean radius']   # {len(radius)} normal training rows\n"
        "mu, sigma = radius.mean(), radius.std(ddof=0)   # {mu:.3f} and {sigma:.3f}\n"
        "radius_threshold = mu + 3 * sigma   # = {radius_threshold:.3f}"
    ),
    context=lambda: {"split": _wbc_split()},
    reference=radius_threshold,
    what_to_give="one number (a float)",
)


# --------------------------------------------------------------------------- Exercise 1.4
def average_path_length(n: Any) -> Any:
    """c(n) = 2 H(n-1) - 2 (n-1) / n with H(i) ~ ln(i) + gamma: the mean path length of an unsuccessful
    search in a binary search tree of n points (valid for n > 2)."""
    n = np.asarray(n, dtype=float)
    return 2.0 * (np.log(n - 1.0) + EULER_GAMMA) - 2.0 * (n - 1.0) / n


def isolation_score(mean_path_length: Any, n: Any) -> Any:
    """Isolation Forest score s(x, n) = 2 ** (-E[h(x)] / c(n)) (reference solution of exercise 1.4).

    Parameters
    ----------
    mean_path_length : float or ndarray
        E[h(x)], the average number of splits needed to isolate x over the trees.
    n : int
        Sub-sample size each tree was grown on (> 2).

    Returns
    -------
    float or ndarray
        In (0, 1): near 1 = isolated quickly (anomalous), about 0.5 = an ordinary point.
    """
    return 2.0 ** (-np.asarray(mean_path_length, dtype=float) / average_path_length(n))


def isolation_score_exact(mean_path_length: Any, n: Any) -> Any:
    """:func:`isolation_score` with the exact harmonic number H(n-1) = 1 + 1/2 + ... + 1/(n-1).

    Just as right as the approximation ln(i) + gamma that the paper and scikit-learn use, so the
    check of exercise 1.4 accepts both.
    """
    n = int(n)
    c = 2.0 * sum(1.0 / k for k in range(1, n)) - 2.0 * (n - 1.0) / n
    return 2.0 ** (-np.asarray(mean_path_length, dtype=float) / c)


q4 = FunctionExercise(
    "Exercise 1.4 (★★☆)",
    reference=isolation_score,
    cases=[
        (np.array([1.0, 4.0, 10.0, 20.0]), 256),
        (np.array([2.0, 3.0]), 10),
        (5.0, 100),
    ],
    alternatives=[isolation_score_exact],
    tolerance=1e-4,  # relative: gamma typed as 0.5772 passes too
    hints=[
        "First c(n) = 2 * H(n - 1) - 2 * (n - 1) / n, with the harmonic number H(i) ≈ np.log(i) + np.euler_gamma "
        "(np.euler_gamma is γ = 0.5772...; typing 0.5772 or the exact sum 1 + 1/2 + ... + 1/i is accepted too).",
        "Then return 2 ** (-mean_path_length / c). NumPy operations work on arrays and on single numbers alike.",
    ],
    solution=(
        "def isolation_score(mean_path_length, n):\n"
        "    c = 2 * (np.log(n - 1) + np.euler_gamma) - 2 * (n - 1) / n\n"
        "    return 2 ** (-mean_path_length / c)"
    ),
)


# --------------------------------------------------------------------------- Exercise 1.5 (experiment)
#: The keys of exercise 1.5's answer, in the order the lesson writes them.
EXPERIMENT_KEYS = ("budget", "false_alarm_rate", "recall", "within_budget")


@functools.lru_cache(maxsize=1)
def _iforest_scores() -> dict[str, np.ndarray]:
    """Scores of lesson 01's Isolation Forest (fitted on the clean training rows) on every part of the split."""
    from anomaly_helpers.detectors import IsolationForestDetector

    split = _wbc_split()
    det = IsolationForestDetector(**IFOREST_PARAMS).fit(split.X_train)
    y_val, y_test = split.y_val.to_numpy(), split.y_test.to_numpy()
    s_val, s_test = det.decision_function(split.X_val), det.decision_function(split.X_test)
    return {
        "train": np.asarray(det.decision_scores_, dtype=float),
        "val_normal": s_val[y_val == 0],
        "val_anomaly": s_val[y_val == 1],
        "test_normal": s_test[y_test == 0],
        "test_anomaly": s_test[y_test == 1],
    }


def budget_experiment(budget: float = 0.05) -> dict[str, Any]:
    """Reference answer of exercise 1.5 for a false-alarm ``budget`` in (0, 0.5].

    The threshold is the (1 - budget) quantile of the Isolation Forest scores of the *validation
    normal rows* (held out: the forest never saw them); the false-alarm rate and the recall are
    measured on the test split. Flag ``score >= threshold``.

    Returns
    -------
    dict
        ``budget``, ``false_alarm_rate``, ``recall`` (floats) and ``within_budget``
        (``false_alarm_rate <= budget``), plus ``threshold``.
    """
    from anomaly_helpers.scoring import threshold_percentile

    s = _iforest_scores()
    tau = threshold_percentile(s["val_normal"], contamination=budget)
    far = float(np.mean(s["test_normal"] >= tau))
    return {
        "budget": float(budget),
        "false_alarm_rate": far,
        "recall": float(np.mean(s["test_anomaly"] >= tau)),
        "within_budget": bool(far <= budget + 1e-12),
        "threshold": tau,
    }


def _same(got: float, value: float) -> bool:
    return math.isclose(got, value, rel_tol=1e-6, abs_tol=1e-9) or round(value, 3) == round(got, 3)


def _diagnose_rate(got: float, key: str, budget: float, right: dict[str, Any]) -> None:
    """Raise Incorrect naming a known mistake in the measured false-alarm rate or recall, if recognised."""
    from anomaly_helpers.scoring import threshold_percentile

    s = _iforest_scores()
    tau, n0, n1 = right["threshold"], len(s["test_normal"]), len(s["test_anomaly"])
    fp, tp = int(np.sum(s["test_normal"] >= tau)), int(np.sum(s["test_anomaly"] >= tau))
    other = "recall" if key == "false_alarm_rate" else "false_alarm_rate"
    if _same(got, right[other]) and not _same(got, right[key]):
        raise Incorrect(f"your {key} is the {other}: the two are swapped.")
    if key == "false_alarm_rate":
        tau_train = threshold_percentile(s["train"], contamination=budget)
        traps = {
            "your budget itself, not a measurement: count the flagged rows among the normal *test* rows": budget,
            "measured on the validation normal rows that the threshold came from: there it matches the budget "
            "by construction; measure on the test split": float(np.mean(s["val_normal"] >= tau)),
            f"the number of false alarms ({fp}); divide by the {n0} normal test rows": fp,
            f"divided by all {n0 + n1} test rows; a false-alarm rate counts among the {n0} normal ones only": fp
            / (n0 + n1),
            "measured with a threshold from the training scores. The forest was fitted on those rows: take the "
            "quantile of the validation normal rows' scores": float(np.mean(s["test_normal"] >= tau_train)),
        }
    else:
        traps = {
            f"the number of anomalies found ({tp}); divide by the {n1} test anomalies": tp,
            "the miss rate (1 - recall): count the flagged rows among the anomalies": 1 - right["recall"],
            "measured on the validation anomalies; measure on the test split": float(np.mean(s["val_anomaly"] >= tau)),
        }
    for why, value in traps.items():
        if _same(got, value) and not _same(got, right[key]):
            raise Incorrect(f"your {key} is {why}.")


def _check_experiment(answer: Any) -> None:
    if not isinstance(answer, dict):
        raise Incorrect(
            "give a dict such as {'budget': budget, 'false_alarm_rate': ..., 'recall': ..., 'within_budget': ...}, "
            f"got {short_repr(answer)}."
        )
    missing = [k for k in EXPERIMENT_KEYS if k not in answer]
    if missing:
        raise Incorrect(f"your dict has no {', '.join(repr(k) for k in missing)}; give all of {list(EXPERIMENT_KEYS)}.")
    budget = answer["budget"]
    if isinstance(budget, (bool, np.bool_)) or not isinstance(budget, (int, float, np.number)) or not 0 < budget <= 0.5:
        raise Incorrect(f"budget must be a fraction in (0, 0.5], e.g. 0.05; got {short_repr(budget)}.")
    right = budget_experiment(float(budget))
    for key in ("false_alarm_rate", "recall"):
        got = answer[key]
        if isinstance(got, (int, float, np.number)) and not isinstance(got, (bool, np.bool_)):
            _diagnose_rate(float(got), key, float(budget), right)
        check_number(got, right[key], what=f"your {key}", rtol=1e-6, atol=1e-9)
    within = answer["within_budget"]
    if not isinstance(within, (bool, np.bool_)):
        raise Incorrect(f"within_budget must be True or False, got {short_repr(within)}.")
    if bool(within) != right["within_budget"]:
        side = "above" if right["false_alarm_rate"] > budget else "at or below"
        raise Incorrect(
            f"your numbers are right, but the measured false-alarm rate {right['false_alarm_rate']:.3f} is {side} "
            f"your budget {budget:g}: within_budget is {right['within_budget']}."
        )


def _experiment_feedback(answer: dict) -> str:
    right = budget_experiment(float(answer["budget"]))
    n_val = len(_iforest_scores()["val_normal"])
    gap = "above" if right["false_alarm_rate"] > right["budget"] else "within"
    return (
        f"budget {right['budget']:g}: threshold {right['threshold']:.3f}, false-alarm rate "
        f"{right['false_alarm_rate']:.3f} ({gap} the budget), recall {right['recall']:.3f}. The threshold is a "
        f"quantile of only {n_val} held-out normal rows, so new normal rows keep the budget only roughly. Try a "
        "smaller and a larger budget: recall rises only by paying with more false alarms."
    )


def _experiment_context() -> dict[str, Any]:
    from anomaly_helpers import scoring
    from anomaly_helpers.detectors import IsolationForestDetector

    split = _wbc_split()
    iforest = IsolationForestDetector(**IFOREST_PARAMS).fit(split.X_train)
    return {"split": split, "iforest": iforest, "scoring": scoring, "budget": 0.05}


q5 = CustomExercise(
    "Exercise 1.5 (★★☆)",
    report=_experiment_feedback,
    check_fn=_check_experiment,
    hints=[
        "Threshold: `scoring.threshold_percentile(val_scores[split.y_val == 0], contamination=budget)` — the "
        "scores of the validation *normal* rows, which the forest never saw. Then flag `test_scores >= tau`.",
        "false_alarm_rate = flagged[split.y_test == 0].mean() (normal test rows only); recall = "
        "flagged[split.y_test == 1].mean(); within_budget = whether the measured rate is <= your budget.",
    ],
    solution=(
        "val_scores = iforest.decision_function(split.X_val)\n"
        "test_scores = iforest.decision_function(split.X_test)\n"
        "tau = scoring.threshold_percentile(val_scores[split.y_val == 0], contamination=budget)   # {tau:.3f}\n"
        "flagged = test_scores >= tau\n"
        "false_alarm_rate = flagged[split.y_test == 0].mean()   # {int(flagged[split.y_test == 0].sum())} of "
        "{int((split.y_test == 0).sum())} normal test rows\n"
        "recall = flagged[split.y_test == 1].mean()   # {int(flagged[split.y_test == 1].sum())} of "
        "{int(split.y_test.sum())} anomalies\n"
        "experiment = dict(budget=budget, false_alarm_rate=false_alarm_rate, recall=recall,\n"
        "                  within_budget=bool(false_alarm_rate <= budget))"
    ),
    context=_experiment_context,
    reference=budget_experiment,
    what_to_give="a dict with the keys 'budget', 'false_alarm_rate', 'recall' and 'within_budget'",
)


# --------------------------------------------------------------------------- Check yourself
q6 = ChoiceExercise(
    "Question 1.1 (★☆☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "ROC-AUC measures the ranking, not decisions: it is the probability that a random anomaly scores "
        "above a random normal sample (0.5 = chance). It needs no threshold."
    ),
    why_not={
        "a": "ROC-AUC needs no threshold, so it says nothing about how many decisions are right; with 10 % "
        "anomalies, flagging nothing already gets 90 % of the rows right.",
        "c": "recall depends on the threshold you choose; ROC-AUC is the same for every threshold.",
    },
    hints=["ROC-AUC is computed from the scores alone. What could it say without a threshold?"],
)

q7 = ChoiceExercise(
    "Question 1.2 (★★☆)",
    answer={"b", "d"},
    choices=["a", "b", "c", "d", "e"],
    explanation=(
        "Both are chosen on held-out data the model was not fitted on, without the test labels, so the test "
        "figures stay an honest estimate."
    ),
    why_not={
        "a": "(a) tunes the threshold on the test labels: the test F1 is then optimistic, not an estimate.",
        "c": "(c) looks at the test scores and labels too; any choice made on the test split leaks it.",
        "e": "(e) sets the threshold on the rows the model was fitted on; their scores need not look like those "
        "of new normal rows, so the course holds out data for the threshold.",
    },
    hints=[
        "A threshold may use held-out normal rows or a labelled validation split. Which options touch the "
        "test split, or the rows the model was fitted on?"
    ],
)

q8 = ChoiceExercise(
    "Question 1.3 (★☆☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "On a few hundred rows of meaningful numeric features a classical detector is fast, hard to beat and "
        "easy to explain; a deep model has to earn its cost on validation data."
    ),
    why_not={
        "a": "deep models need more data and tuning and are harder to explain; on small tables they often do "
        "no better than Isolation Forest.",
        "c": "a supervised classifier needs many labelled anomalies of the kinds that will recur; you have none.",
    },
    hints=["Re-read section 5: what does deep learning add, and on which kinds of data?"],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)


def _wrong_experiment() -> dict[str, Any]:
    """Exercise 1.5 answered with the budget instead of a measured false-alarm rate."""
    right = budget_experiment(0.05)
    return {"budget": 0.05, "false_alarm_rate": 0.05, "recall": right["recall"], "within_budget": True}


def _right_experiment() -> dict[str, Any]:
    right = budget_experiment(0.05)
    return {k: right[k] for k in EXPERIMENT_KEYS}


#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (lambda: list(_KINDS), lambda: ["point", "point", "collective", "point"]),
    "q2": (lambda: list(_SETTINGS), lambda: ["unsupervised", "supervised", "unsupervised"]),
    "q3": (radius_threshold, lambda: _three_sigma(_wbc_split().X_test["mean radius"])),
    "q4": (lambda: isolation_score, lambda: lambda h, n: 2.0 ** (-h / n)),
    "q5": (_right_experiment, _wrong_experiment),
    "q6": (lambda: "b", lambda: "a"),
    "q7": (lambda: "b, d", lambda: "a, b"),
    "q8": (lambda: "b", lambda: "a"),
}
