"""Exercises of lesson 00 · Start here."""

from __future__ import annotations

from anomaly_helpers.exercises.core import ChoiceExercise, ValueExercise
from anomaly_helpers.exercises.progress import progress_of


def _wbc_labels():
    from anomaly_helpers.data import make_wbc

    return make_wbc()[1]


def _wbc_prevalence() -> float:
    return float(_wbc_labels().mean())


q1 = ValueExercise(
    "Exercise 0.1 (★☆☆)",
    expected=_wbc_prevalence,
    tolerance=1e-6,
    hints=[
        "The prevalence is the fraction of samples that are anomalies: (number of 1s) / (number of samples).",
        "With labels stored as 0/1, the mean of `y` *is* the fraction of 1s: `y.mean()`.",
    ],
    solution="prevalence = y.mean()   # {int(y.sum())} anomalies / {len(y)} samples = {prevalence:.4f}",
    context=lambda: {"y": _wbc_labels()},
)

q2 = ChoiceExercise(
    "Exercise 0.2 (★☆☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation="In this course a higher score always means more anomalous, and label 1 always means anomaly.",
    why_not={
        "a": "scikit-learn's decision_function is higher for *normal* points — which is exactly why the course wraps it.",
        "c": "the sign convention is fixed once for the whole course so that you never have to guess.",
    },
    hints=["Look at the conventions stated at the top of the section 'How the course is built'."],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (_wbc_prevalence, lambda: float(_wbc_labels().sum()) / 569),
    "q2": (lambda: "b", lambda: "a"),
}
