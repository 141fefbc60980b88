"""Exercises of lesson 01 · What anomaly detection is.

Exercises 1.1-1.4 sit in the lesson's sections; questions 1.1-1.3 (``q5``-``q7``) are its "Check yourself".
The WBC split used by exercise 1.3 is rebuilt here with the lesson's arguments
(:data:`WBC_SPLIT`), so the check never depends on the learner's variables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, FunctionExercise, Incorrect
from anomaly_helpers.exercises.feedback import short_repr
from anomaly_helpers.exercises.progress import progress_of

#: Arguments of ``data.one_class_split`` used in lesson 01 (on ``data.make_wbc()``).
WBC_SPLIT = {"test_size": 0.3, "val_size": 0.2, "random_state": 0}

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
    "24 °C is normal during working hours; only the time of day makes it strange.",
    "each purchase is ordinary; only the burst of 30 together is unusual.",
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
def _wbc_split():
    from anomaly_helpers.data import make_wbc, one_class_split

    X, y = make_wbc()
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
    from anomaly_helpers.data import make_wbc

    X, _ = make_wbc()
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
    tolerance=1e-6,
    hints=[
        "First c(n) = 2 * H(n - 1) - 2 * (n - 1) / n, with the harmonic number H(i) ≈ np.log(i) + np.euler_gamma "
        "(the exact sum 1 + 1/2 + ... + 1/i is accepted too).",
        "Then return 2 ** (-mean_path_length / c). NumPy operations work on arrays and on single numbers alike.",
    ],
    solution=(
        "def isolation_score(mean_path_length, n):\n"
        "    c = 2 * (np.log(n - 1) + np.euler_gamma) - 2 * (n - 1) / n\n"
        "    return 2 ** (-mean_path_length / c)"
    ),
)


# --------------------------------------------------------------------------- Check yourself
q5 = ChoiceExercise(
    "Question 1.1 (★☆☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "A random ranking scores ROC-AUC 0.5 but PR-AUC only about the prevalence (0.10 here), so 0.80 is far "
        "above chance; PR-AUC is lower because it is about the few anomalies at the top of the ranking."
    ),
    why_not={
        "a": "the two scales differ: a random ranking gives ROC-AUC 0.5 but PR-AUC ≈ prevalence (0.10 here). "
        "0.80 is eight times chance.",
        "c": "ROC-AUC is not an accuracy: it is the probability that a random anomaly scores above a random "
        "normal sample, and it needs no threshold.",
    },
    hints=["What would a detector that ranks at random score on each metric?"],
)

q6 = ChoiceExercise(
    "Question 1.2 (★★☆)",
    answer={"b", "d"},
    choices=["a", "b", "c", "d"],
    explanation="Both are chosen without looking at the test labels, so the test figures stay an honest estimate.",
    why_not={
        "a": "(a) tunes the threshold on the test labels: the test F1 is then optimistic, not an estimate.",
        "c": "(c) looks at the test scores and labels too; any choice made on the test split leaks it.",
    },
    hints=["A threshold may use training scores or a labelled validation split. Which options touch the test split?"],
)

q7 = ChoiceExercise(
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

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (lambda: list(_KINDS), lambda: ["point", "point", "collective", "point"]),
    "q2": (lambda: list(_SETTINGS), lambda: ["unsupervised", "supervised", "unsupervised"]),
    "q3": (radius_threshold, lambda: _three_sigma(_wbc_split().X_test["mean radius"])),
    "q4": (lambda: isolation_score, lambda: lambda h, n: 2.0 ** (-h / n)),
    "q5": (lambda: "b", lambda: "a"),
    "q6": (lambda: "b, d", lambda: "a, b"),
    "q7": (lambda: "b", lambda: "a"),
}
