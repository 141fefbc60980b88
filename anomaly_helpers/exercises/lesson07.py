"""Exercises of lesson 07 · The article's code example, run and examined.

Exercises 7.1-7.4 sit in the lesson's sections (7.4 is the experiment: the learner builds the corrected
pipeline with a cost ratio of their choice); questions 7.1-7.3 (``q5``-``q7``) are its "Check yourself".
The splits the checks need are rebuilt here with the lesson's arguments (:data:`ARTICLE_SPLIT`,
:data:`CORRECTED_SPLIT`), so a check never depends on the learner's variables.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping
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
    from anomaly_helpers.datasets import make_wbc

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
def accuracy_from_rates(prevalence: float, recall: float, fpr: float) -> float:
    """Accuracy of a detector from the prevalence of anomalies, its recall and its false-positive rate.

    A fraction ``prevalence`` of the rows are anomalies, of which the detector finds ``recall``; of the
    normal rows it wrongly flags ``fpr``. It is right on ``prevalence * recall`` of the rows (anomalies
    found) and on ``(1 - prevalence) * (1 - fpr)`` (normal rows left alone).

    Parameters
    ----------
    prevalence, recall, fpr : float in [0, 1]

    Returns
    -------
    float
    """
    return prevalence * recall + (1 - prevalence) * (1 - fpr)


def _rate_cases() -> list[tuple]:
    return [(0.092, 0.0, 0.0), (0.092, 1.0, 0.1), (0.05, 0.8, 0.02), (0.5, 0.6, 0.3), (0.01, 0.9, 0.05)]


def _compare_accuracy(got: Any, expected: float, args: tuple) -> None:
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got.item()
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (numbers.Real, np.number)):
        raise Incorrect(f"return one number (the accuracy), got {short_repr(got)}.")
    pi, recall, fpr = args
    got = float(got)
    if math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-12):
        return
    if math.isclose(got, pi * recall + (1 - pi) * fpr, rel_tol=1e-6):
        raise Incorrect("the normal rows are right when they are *not* flagged: use (1 - fpr), not fpr.")
    if math.isclose(got, (1 - pi) * recall + pi * (1 - fpr), rel_tol=1e-6):
        raise Incorrect("the weights are swapped: recall applies to the anomalies (a fraction `prevalence`).")
    if math.isclose(got, (recall + 1 - fpr) / 2, rel_tol=1e-6):
        raise Incorrect(
            "that is the balanced accuracy (both classes weighted alike); accuracy weights each class by its share."
        )
    raise Incorrect(f"for prevalence={pi}, recall={recall}, fpr={fpr} the accuracy is {expected:.4g}, not {got:.4g}.")


q1 = FunctionExercise(
    "Exercise 7.1 (★★☆)",
    reference=accuracy_from_rates,
    cases=_rate_cases,
    compare=_compare_accuracy,
    hints=[
        "Split the rows in two: a fraction `prevalence` are anomalies, `1 - prevalence` are normal. On which "
        "fraction of each group is the detector right?",
        "Right on the anomalies it finds (recall of them) and on the normal rows it does not flag (1 - fpr of them): "
        "accuracy = prevalence * recall + (1 - prevalence) * (1 - fpr).",
    ],
    solution=(
        "def accuracy_from_rates(prevalence, recall, fpr):\n"
        "    return prevalence * recall + (1 - prevalence) * (1 - fpr)"
    ),
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
#: What the learner's ``built`` dict must hold (exercise 7.4).
BUILT_KEYS = (
    "scaler",
    "class_weight",
    "model",
    "history",
    "cost_fn",
    "threshold",
    "test_recall",
    "test_false_alarms",
    "ship",
)

#: The reference solution's settings (the lesson's).
REFERENCE_FIT = {"epochs": 100, "patience": 3, "learning_rate": 3e-3, "random_state": 42}
REFERENCE_COST_FN = 10


def _corrected_parts() -> tuple:
    X, y = _wbc()
    return corrected_split(X, y)


def _probabilities(model: Any, scaler: Any, X: Any) -> np.ndarray:
    from anomaly_helpers.training import predict

    return np.asarray(predict(model, scaler.transform(X)), dtype=float).reshape(len(X), -1)[:, 0]


def build_corrected(cost_fn: float = REFERENCE_COST_FN) -> dict:
    """The reference solution of exercise 7.4: the corrected pipeline on the lesson's split.

    Scaler fitted on the training rows, balanced class weights, the article's 32-16-1 network trained with
    early stopping on the validation rows, the threshold of lowest cost on the validation rows (a miss costs
    ``cost_fn`` false alarms), and its test recall and false alarms.

    Parameters
    ----------
    cost_fn : float, default 10
        How many false alarms one miss costs.

    Returns
    -------
    dict
        With the keys of :data:`BUILT_KEYS` (a new dict each call; the training is cached).
    """
    return dict(_build_corrected(cost_fn))


@functools.lru_cache(maxsize=4)
def _build_corrected(cost_fn: float) -> dict:
    """Train once per cost ratio (cached); see :func:`build_corrected`."""
    from sklearn.preprocessing import StandardScaler

    from anomaly_helpers import models, scoring, training

    X_tr, X_va, X_te, y_tr, y_va, y_te = _corrected_parts()
    scaler = StandardScaler().fit(X_tr)
    weights = balanced_class_weights(y_tr)
    model = models.mlp_classifier(n_features=X_tr.shape[1], random_state=REFERENCE_FIT["random_state"])
    history = training.fit_model(
        model,
        scaler.transform(X_tr),
        y_tr,
        validation_data=(scaler.transform(X_va), y_va),
        class_weight=weights,
        verbose="silent",
        **REFERENCE_FIT,
    )
    tau = scoring.threshold_min_cost(y_va, _probabilities(model, scaler, X_va), cost_fp=1, cost_fn=cost_fn)
    flag = _probabilities(model, scaler, X_te) >= tau
    y_te = np.asarray(y_te)
    return {
        "scaler": scaler,
        "class_weight": weights,
        "model": model,
        "history": history,
        "cost_fn": cost_fn,
        "threshold": tau,
        "test_recall": float(flag[y_te == 1].mean()),
        "test_false_alarms": int(flag[y_te == 0].sum()),
        "ship": "validation",
    }


def _check_scaler(scaler: Any, X_tr: Any, X_va: Any) -> None:
    import pandas as pd

    mean = getattr(scaler, "mean_", None)
    if mean is None or not hasattr(scaler, "transform"):
        raise Incorrect("built['scaler'] must be a fitted StandardScaler: `StandardScaler().fit(X_tr)`.")
    mean = np.asarray(mean, dtype=float)
    if mean.shape != (X_tr.shape[1],):
        raise Incorrect(f"the scaler was fitted on {mean.shape[0]} columns; fit it on the {X_tr.shape[1]} of X_tr.")
    if np.allclose(mean, X_tr.mean(axis=0).to_numpy()):
        return
    X, _ = _wbc()
    if np.allclose(mean, X.mean(axis=0).to_numpy()):
        raise Incorrect("the scaler is fitted on every row, test rows included: fit it on X_tr only (lesson 02).")
    if np.allclose(mean, pd.concat([X_tr, X_va]).mean(axis=0).to_numpy()):
        raise Incorrect("the scaler is fitted on the training and validation rows: fit it on X_tr only.")
    raise Incorrect("the scaler's means are not those of the training rows: `StandardScaler().fit(X_tr)`.")


def _check_model(built: Mapping, X_va: Any, y_va: Any) -> np.ndarray:
    from sklearn.metrics import roc_auc_score

    model, history = built["model"], built["history"]
    try:
        p_va = _probabilities(model, built["scaler"], X_va)
    except Exception:
        raise Incorrect(
            "built['model'] must be the trained Keras network that takes the 30 scaled features "
            "(`models.mlp_classifier(n_features=30, ...)`)."
        ) from None
    if not (np.all(p_va >= 0) and np.all(p_va <= 1)):
        raise Incorrect("the network must output probabilities (a sigmoid output, as `models.mlp_classifier` has).")
    if "val_loss" not in getattr(history, "history", {}):
        raise Incorrect(
            "built['history'] has no validation loss: train with `validation_data=(Z_va, y_va)` so that early "
            "stopping watches the validation rows."
        )
    if roc_auc_score(np.asarray(y_va), p_va) < 0.8:
        raise Incorrect("your network ranks the validation rows almost at random: was it trained (fit_model)?")
    return p_va


def _check_threshold(built: Mapping, p_va: np.ndarray, y_va: Any, p_te: np.ndarray, y_te: Any) -> float:
    from anomaly_helpers import scoring

    cost_fn = built["cost_fn"]
    if isinstance(cost_fn, bool) or not isinstance(cost_fn, numbers.Real) or not cost_fn > 0:
        raise Incorrect(f"built['cost_fn'] must be a positive number (COST_FN), got {short_repr(cost_fn)}.")
    tau = built["threshold"]
    if isinstance(tau, bool) or not isinstance(tau, (numbers.Real, np.number)):
        raise Incorrect(f"built['threshold'] must be one number, got {short_repr(tau)}.")
    right = scoring.threshold_min_cost(y_va, p_va, cost_fp=1, cost_fn=cost_fn)
    if math.isclose(float(tau), right, rel_tol=1e-6, abs_tol=1e-9):
        return right
    on_test = scoring.threshold_min_cost(y_te, p_te, cost_fp=1, cost_fn=cost_fn)
    if math.isclose(float(tau), on_test, rel_tol=1e-6, abs_tol=1e-9):
        raise Incorrect("that threshold is chosen on the *test* rows: choose it on the validation rows (p_va, y_va).")
    raise Incorrect(
        f"with COST_FN = {cost_fn}, the lowest-cost threshold on the validation rows is "
        "`scoring.threshold_min_cost(y_va, p_va, cost_fp=1, cost_fn=COST_FN)`; yours differs."
    )


def _check_built(built: Any) -> None:
    if not isinstance(built, Mapping):
        raise Incorrect(f"pass the dict `built` with the keys {', '.join(BUILT_KEYS)}; got {short_repr(built)}.")
    missing = [k for k in BUILT_KEYS if k not in built]
    if missing:
        raise Incorrect(f"built is missing the key(s) {', '.join(missing)}.")
    X_tr, X_va, X_te, y_tr, y_va, y_te = _corrected_parts()
    _check_scaler(built["scaler"], X_tr, X_va)
    check_class_weights(
        built["class_weight"],
        balanced_class_weights(y_tr),
        "use the balanced weights of lesson 05: `ex.balanced_class_weights(y_tr)`.",
        rtol=1e-3,
    )
    p_va = _check_model(built, X_va, y_va)
    p_te = _probabilities(built["model"], built["scaler"], X_te)
    tau = _check_threshold(built, p_va, y_va, p_te, y_te)
    y_te = np.asarray(y_te)
    flag = p_te >= tau
    check_number(built["test_recall"], float(flag[y_te == 1].mean()), what="your test recall", rtol=1e-3)
    check_number(built["test_false_alarms"], int(flag[y_te == 0].sum()), what="your count of test false alarms")
    ship = str(built["ship"]).strip().lower()
    if ship not in ("validation", "0.5"):
        raise Incorrect("built['ship'] must be 'validation' or '0.5': which threshold would you ship?")
    if ship == "0.5":
        at_half = p_te >= 0.5
        raise Incorrect(
            f"on your run 0.5 finds {int(at_half[y_te == 1].sum())} of {int(y_te.sum())} test anomalies and "
            f"your threshold {int(flag[y_te == 1].sum())}, but knowing that takes the test labels: shipping 0.5 "
            "*because* it did better on the test rows is tuning on the test set. Ship the validation threshold "
            "(or get more validation data)."
        )


#: The code of exercise 7.4's reference solution (the same steps as :func:`build_corrected`).
SOLUTION_7_4 = """scaler = StandardScaler().fit(X_tr)  # training rows only
Z_tr, Z_va, Z_te = (scaler.transform(part) for part in (X_tr, X_va, X_te))
weights = ex.balanced_class_weights(y_tr)  # lesson 05
mlp = models.mlp_classifier(n_features=Z_tr.shape[1], random_state=SEED)
history = training.fit_model(
    mlp, Z_tr, y_tr, validation_data=(Z_va, y_va), epochs=100, patience=3, learning_rate=3e-3,
    class_weight=weights, verbose="summary", random_state=SEED,
)
p_va, p_te = training.predict(mlp, Z_va).ravel(), training.predict(mlp, Z_te).ravel()
threshold = scoring.threshold_min_cost(y_va, p_va, cost_fp=1, cost_fn=COST_FN)  # chosen on validation
flag = p_te >= threshold  # the test rows, used once
built = {
    "scaler": scaler, "class_weight": weights, "model": mlp, "history": history, "cost_fn": COST_FN,
    "threshold": threshold,  # {threshold:.3f}
    "test_recall": flag[y_te.to_numpy() == 1].mean(),  # {built['test_recall']:.3f}
    "test_false_alarms": int(flag[y_te.to_numpy() == 0].sum()),  # {built['test_false_alarms']}
    "ship": "validation",  # a better test result at the usual threshold is no reason: that is tuning on the test set
}"""


def _built_context() -> dict:
    import sys

    from sklearn.preprocessing import StandardScaler

    from anomaly_helpers import models, scoring, training

    X_tr, X_va, X_te, y_tr, y_va, y_te = _corrected_parts()
    return {
        "StandardScaler": StandardScaler, "models": models, "scoring": scoring, "training": training,
        "ex": sys.modules[__name__], "SEED": REFERENCE_FIT["random_state"], "COST_FN": REFERENCE_COST_FN,
        "X_tr": X_tr, "X_va": X_va, "X_te": X_te, "y_tr": y_tr, "y_va": y_va, "y_te": y_te,
    }  # fmt: skip


q4 = CustomExercise(
    "Exercise 7.4 (★★★)",
    check_fn=_check_built,
    hints=[
        "Follow the table row by row: StandardScaler().fit(X_tr); ex.balanced_class_weights(y_tr); "
        "models.mlp_classifier(n_features=30, random_state=SEED); training.fit_model(..., "
        "validation_data=(Z_va, y_va), class_weight=..., patience=3, random_state=SEED).",
        "p_va = training.predict(mlp, Z_va).ravel(); threshold = scoring.threshold_min_cost(y_va, p_va, "
        "cost_fp=1, cost_fn=COST_FN); then flag = p_te >= threshold gives the test recall "
        "(flag[y_te == 1].mean()) and false alarms (flag[y_te == 0].sum()).",
    ],
    solution=SOLUTION_7_4,
    context=_built_context,
    reference=build_corrected,
    what_to_give="the dict `built` with the keys " + ", ".join(BUILT_KEYS),
)


# --------------------------------------------------------------------------- Check yourself
q5 = ChoiceExercise(
    "Question 7.1 (★☆☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "Accuracy must be read against the always-normal baseline, 1 - prevalence = 0.91 here; only recall and "
        "precision of the anomaly class say whether anomalies are found."
    ),
    why_not={
        "a": "95 % of all rows says little about the 9 % that are anomalies: calling everything normal already "
        "scores 1 - 0.09 = 0.91 and finds none.",
        "c": "accuracy on the test set says nothing about over-fitting on its own; the question is what it says "
        "about the anomalies.",
    },
    hints=["What accuracy does a model reach that never flags anything, when 9 % of the rows are anomalies?"],
)

q6 = ChoiceExercise(
    "Question 7.2 (★★☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "c_FP / (c_FP + c_FN) = 1/11 is the best threshold only for a calibrated p. After 100 epochs the network "
        "is over-confident (the lesson's reliability curve), so pick the threshold with the lowest total cost, "
        "c_FP * FP + c_FN * FN, on validation data."
    ),
    why_not={
        "a": "1/11 assumes p is calibrated; most normal rows below 1e-5 is a sign that it is a score, not a "
        "probability, and the lesson's reliability curve shows it.",
        "c": "class weights change where the probabilities sit, not what a miss costs you; with them, 0.5 does not "
        "even mean equal costs.",
    },
    hints=["Which assumption does the derivation of tau* = c_FP / (c_FP + c_FN) make about p? Does it hold here?"],
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
        "a": "with many labelled anomalies of recurring kinds, a supervised classifier is usually better.",
        "c": "the autoencoder (30-16-4-16-30) has about as many weights as the classifier, and on this small table "
        "Isolation Forest was as good as either (section 6): size is not the reason.",
    },
    hints=["Which of the two models needs labelled anomalies to train, and which anomalies can each of them flag?"],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (lambda: accuracy_from_rates, lambda: lambda prevalence, recall, fpr: prevalence * recall + fpr),
    "q2": (
        lambda: count_test_anomalies,
        lambda: lambda y, random_state: int(round(0.2 * int(np.sum(y)))),
    ),
    "q3": (lambda: "b, e", lambda: "b"),
    "q4": (build_corrected, lambda: {**build_corrected(), "ship": "0.5"}),
    "q5": (lambda: "b", lambda: "a"),
    "q6": (lambda: "b", lambda: "a"),
    "q7": (lambda: "b", lambda: "a"),
}
