"""Exercises of lesson 07 · The article's code example, run and examined.

Exercises 7.1-7.4 sit in the lesson's sections; questions 7.1-7.3 (``q5``-``q7``) are its "Check yourself".
The splits the checks need are rebuilt here with the lesson's arguments (:data:`ARTICLE_SPLIT`,
:data:`CORRECTED_SPLIT`), so a check never depends on the learner's variables.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, FunctionExercise, Incorrect
from anomaly_helpers.exercises.feedback import check_number, short_repr
from anomaly_helpers.exercises.lesson05 import balanced_class_weights, check_class_weights
from anomaly_helpers.exercises.progress import progress_of

#: ``balanced_class_weights`` is defined once, with exercise 5.4 (lesson 05), and re-exported here.

#: The article's split: ``train_test_split(X, y, test_size=0.2, random_state=42)`` (no stratification).
ARTICLE_SPLIT = {"test_size": 0.2, "random_state": 42}

#: The lesson's corrected split of the WBC table: test 25 %, then validation = 1/3 of the rest
#: (train 50 % / validation 25 % / test 25 %), both stratified, ``random_state=42``.
CORRECTED_SPLIT = {"test_size": 0.25, "val_fraction_of_rest": 1 / 3, "random_state": 42}


# --------------------------------------------------------------------------- shared helpers
def _wbc():
    from anomaly_helpers.data import make_wbc

    return make_wbc()


def article_test_labels() -> np.ndarray:
    """Labels of the article's 20 % test split of the WBC table (unstratified, random_state=42)."""
    from sklearn.model_selection import train_test_split

    X, y = _wbc()
    _, _, _, y_test = train_test_split(X, y, **ARTICLE_SPLIT)
    return y_test.to_numpy()


def corrected_split(X: Any, y: Any) -> tuple[Any, Any, Any, Any, Any, Any]:
    """The lesson's stratified train / validation / test split (50 / 25 / 25 %).

    Parameters
    ----------
    X : DataFrame of shape (n_samples, n_features)
    y : Series of shape (n_samples,)
        Labels, 1 = anomaly.

    Returns
    -------
    tuple
        ``(X_tr, X_va, X_te, y_tr, y_va, y_te)``; each part keeps the anomaly rate of ``y``
        (as closely as whole rows allow).
    """
    from sklearn.model_selection import train_test_split

    rs = CORRECTED_SPLIT["random_state"]
    X_rest, X_te, y_rest, y_te = train_test_split(
        X, y, test_size=CORRECTED_SPLIT["test_size"], stratify=y, random_state=rs
    )
    X_tr, X_va, y_tr, y_va = train_test_split(
        X_rest, y_rest, test_size=CORRECTED_SPLIT["val_fraction_of_rest"], stratify=y_rest, random_state=rs
    )
    return X_tr, X_va, X_te, y_tr, y_va, y_te


# --------------------------------------------------------------------------- Exercise 7.1
def always_normal_accuracy() -> float:
    """Accuracy of the detector that calls every row normal, on the article's test split."""
    y_test = article_test_labels()
    return float(np.mean(y_test == 0))


def _check_always_normal(answer: Any) -> None:
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (numbers.Real, np.number)):
        raise Incorrect(f"answer with one number between 0 and 1, got {short_repr(answer)}.")
    got = float(answer)
    if not math.isfinite(got):
        raise Incorrect(f"your accuracy is {got}, not a finite number.")
    y_test = article_test_labels()
    right = float(np.mean(y_test == 0))
    try:
        check_number(answer, right, what="your accuracy")
        return
    except Incorrect as exc:
        if "rounded" in str(exc):
            raise
    _, y = _wbc()
    if math.isclose(got, 1 - float(y.mean()), abs_tol=1e-3):
        raise Incorrect("that is 1 minus the prevalence of the whole table; use the labels of the test split, y_test.")
    if math.isclose(got, float(y_test.mean()), abs_tol=1e-3):
        raise Incorrect(
            "that is the fraction of anomalies in the test split. Calling every row normal is right on "
            "every *normal* row: the accuracy is the fraction of normal rows."
        )
    if got > 1:
        raise Incorrect("an accuracy is a fraction between 0 and 1 (not a percentage or a count).")
    direction = "too high" if got > right else "too low"
    raise Incorrect(f"{got:.4g} is {direction}. Count the rows of y_test that are 0 and divide by len(y_test).")


q1 = CustomExercise(
    "Exercise 7.1 (★☆☆)",
    check_fn=_check_always_normal,
    hints=[
        "The 'detector' predicts 0 for every row. It is right exactly on the rows whose true label is 0.",
        "accuracy = (number of rows with y_test == 0) / len(y_test), i.e. `(y_test == 0).mean()` or `1 - y_test.mean()`.",
    ],
    solution="baseline_accuracy = (y_test == 0).mean()   # = 1 - y_test.mean() = {baseline_accuracy:.3f}",
    context=lambda: {"y_test": article_test_labels()},
    reference=always_normal_accuracy,
    what_to_give="one number between 0 and 1",
)


# --------------------------------------------------------------------------- Exercise 7.2
def count_test_anomalies(y: Any, random_state: int) -> int:
    """Number of anomalies in the 20 % test part of an *unstratified* ``train_test_split`` of ``y``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels, 1 = anomaly.
    random_state : int
        Seed passed to ``train_test_split``.

    Returns
    -------
    int
    """
    from sklearn.model_selection import train_test_split

    _, y_test = train_test_split(np.asarray(y), test_size=0.2, random_state=random_state)
    return int(np.sum(y_test))


def _cases() -> list[tuple]:
    _, y = _wbc()
    return [(y, 42), (y, 0), (y, 7), (y, 3), (y, 11)]


def _split_context() -> dict:
    from sklearn.model_selection import train_test_split

    return {"train_test_split": train_test_split}


def _compare_counts(got: Any, expected: int, args: tuple) -> None:
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got.item()
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (numbers.Integral, numbers.Real, np.number)):
        raise Incorrect(f"return one number (the count), got {short_repr(got)}.")
    if float(got) != expected:
        seed = args[1]
        hint = ""
        if float(got) == round(0.2 * int(np.sum(args[0]))):
            hint = " That is the stratified count; the article's split is not stratified."
        raise Incorrect(
            f"with random_state={seed} your function returns {got}, but the test part holds {expected}.{hint}"
        )


q2 = FunctionExercise(
    "Exercise 7.2 (★☆☆)",
    reference=count_test_anomalies,
    cases=_cases,
    compare=_compare_counts,
    hints=[
        "Split the labels exactly as the article does: `train_test_split(y, test_size=0.2, random_state=random_state)` "
        "returns (y_train, y_test) when you pass only y.",
        "The labels are 0/1, so the number of anomalies is `y_test.sum()`; return it as an int.",
    ],
    solution=(
        "def count_test_anomalies(y, random_state):\n"
        "    _, y_test_part = train_test_split(y, test_size=0.2, random_state=random_state)\n"
        "    return int(y_test_part.sum())"
    ),
    context=_split_context,
)


# --------------------------------------------------------------------------- Exercise 7.3
q3 = ChoiceExercise(
    "Exercise 7.3 (★★☆)",
    answer={"b", "e"},
    choices=["a", "b", "c", "d", "e"],
    explanation=(
        "(b) fits the scaler's means and standard deviations on every row, test rows included; (e) picks "
        "the threshold with the test labels. Both make the test figures optimistic."
    ),
    why_not={
        "a": "(a) is a stratified split: it keeps the anomaly rate equal in both parts and leaks nothing.",
        "c": "(c) holds out a validation part of the *training* rows: that is how it should be done.",
        "d": "(d) trains on the training rows and stops early on the validation rows; no test row is used.",
    },
    hints=[
        "A line leaks when it lets the test rows (their features or their labels) influence anything that is fitted "
        "or chosen before the final evaluation.",
        "Look for X or X_test / y_test used in a fit or in a threshold choice. There are two such lines.",
    ],
)


# --------------------------------------------------------------------------- Exercise 7.4
def _lesson_weights() -> dict[int, float]:
    X, y = _wbc()
    _, _, _, y_tr, _, _ = corrected_split(X, y)
    return balanced_class_weights(y_tr)


def _training_labels() -> Any:
    X, y = _wbc()
    return corrected_split(X, y)[3]


def _check_weights(answer: Any) -> None:
    check_class_weights(
        answer,
        _lesson_weights(),
        "not the balanced weights. Use w_c = n / (2 n_c) with n = len(y_tr) and n_c the rows of class c.",
        rtol=1e-3,
    )


q4 = CustomExercise(
    "Exercise 7.4 (★☆☆)",
    check_fn=_check_weights,
    hints=[
        "n = len(y_tr); n_1 = number of anomalies in y_tr (y_tr.sum()); n_0 = n - n_1.",
        "weights = {0: n / (2 * n_0), 1: n / (2 * n_1)}: each class then carries half of the total weight.",
    ],
    solution=(
        "n, n_1 = len(y_tr), int(y_tr.sum())   # {n} training rows, {n_1} anomalies\n"
        "class_weight = {0: n / (2 * (n - n_1)), 1: n / (2 * n_1)}"
        "   # {{0: {class_weight[0]:.3f}, 1: {class_weight[1]:.3f}}}"
    ),
    context=lambda: {"y_tr": _training_labels()},
    reference=_lesson_weights,
    what_to_give="a dict such as {0: 0.5, 1: 5.0}",
)


# --------------------------------------------------------------------------- Check yourself
q5 = ChoiceExercise(
    "Question 7.1 (★☆☆)",
    answer="c",
    choices=["a", "b", "c"],
    explanation=(
        "Accuracy must be read against the always-normal baseline, 1 - prevalence = 0.91 here; only recall and "
        "precision of the anomaly class say whether anomalies are found."
    ),
    why_not={
        "a": "0.95 sounds high, but calling everything normal already scores 1 - 0.09 = 0.91 on this test set.",
        "b": "accuracy says nothing about over-fitting on its own; it is measured on the test set here.",
    },
    hints=["What accuracy does a model reach that never flags anything, when 9 % of the rows are anomalies?"],
)

q6 = ChoiceExercise(
    "Question 7.2 (★★☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "With costs c_FP and c_FN and a calibrated probability p, flagging costs (1 - p) c_FP and not flagging "
        "costs p c_FN: flag when p >= c_FP / (c_FP + c_FN) = 1 / 11."
    ),
    why_not={
        "a": "0.5 is the cost-minimising threshold only when a miss and a false alarm cost the same.",
        "c": "a *higher* threshold flags less: the opposite of what expensive misses call for.",
    },
    hints=[
        "Flag a row when the expected cost of not flagging it, p * c_FN, exceeds that of flagging it, (1 - p) * c_FP."
    ],
)

q7 = ChoiceExercise(
    "Question 7.3 (★☆☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "A one-class model needs only normal data and can flag anomalies of kinds never seen; a classifier can "
        "only learn the anomalies its labels show."
    ),
    why_not={
        "a": "with many labelled anomalies of recurring kinds, a supervised classifier is usually better (section 6).",
        "c": "being 'deep' is not a reason; on small tables a classical detector is often as good (section 6).",
    },
    hints=["Which of the two models needs labelled anomalies to train, and which anomalies can each of them flag?"],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (always_normal_accuracy, lambda: 1 - float(_wbc()[1].mean())),
    "q2": (
        lambda: count_test_anomalies,
        lambda: lambda y, random_state: int(round(0.2 * int(np.sum(y)))),
    ),
    "q3": (lambda: "b, e", lambda: "b"),
    "q4": (_lesson_weights, lambda: {0: 1.0, 1: float(np.mean(list(_lesson_weights().values())))}),
    "q5": (lambda: "c", lambda: "a"),
    "q6": (lambda: "b", lambda: "a"),
    "q7": (lambda: "b", lambda: "a"),
}
