"""Exercises of lesson 00 · Start here."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, Incorrect, ValueExercise
from anomaly_helpers.exercises.feedback import check_number, short_repr
from anomaly_helpers.exercises.progress import progress_of

#: Seed of the permutation that splits Shuttle into a reference half and a new half (exercise 0.3).
SHUTTLE_SEED = 0

#: Exercise 0.3's rule for "good enough": at least this recall ...
GOOD_RECALL = 0.9
#: ... with at most this false-alarm rate.
GOOD_FALSE_ALARM_RATE = 0.02


def _wbc_labels():
    from anomaly_helpers.datasets import make_wbc

    return make_wbc(random_state=0)[1]


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
        "a": "scikit-learn's own detectors (IsolationForest, LocalOutlierFactor, ...) score *normal* points higher; "
        "the course's detectors flip that once, so you never meet both conventions.",
        "c": "the sign convention is fixed once for the whole course so that you never have to guess.",
    },
    hints=["Look at the conventions stated at the top of the section 'How the course is built'."],
)

# --------------------------------------------------------------------------- Exercise 0.3 (experiment)
EXPERIMENT_KEYS = ("percentile", "false_alarm_rate", "recall", "good_enough")


@functools.lru_cache(maxsize=1)
def shuttle_halves() -> dict[str, np.ndarray]:
    """Sensor ``f1`` of Shuttle, split at random (seed :data:`SHUTTLE_SEED`) into two halves.

    Returns
    -------
    dict
        ``ref_normal``: the f1 readings of the normal rows of the reference half (the cut is set on
        them); ``new_f1`` and ``new_y``: readings and labels (1 = anomaly) of the other half.
    """
    from anomaly_helpers.datasets import load_shuttle

    X, y = load_shuttle()
    f1, labels = X["f1"].to_numpy(dtype=float), y.to_numpy()
    perm = np.random.default_rng(SHUTTLE_SEED).permutation(len(labels))
    ref, new = perm[: len(perm) // 2], perm[len(perm) // 2 :]
    return {"ref_normal": f1[ref][labels[ref] == 0], "new_f1": f1[new], "new_y": labels[new]}


def one_sensor_experiment(percentile: float = 99.0) -> dict[str, Any]:
    """Reference answer of exercise 0.3: flag ``f1 >= cut``, the cut being the ``percentile`` of the normal
    reference readings; rates measured on the other half."""
    h = shuttle_halves()
    cut = float(np.percentile(h["ref_normal"], percentile))
    flagged = h["new_f1"] >= cut
    far = float(flagged[h["new_y"] == 0].mean())
    recall = float(flagged[h["new_y"] == 1].mean())
    good = bool(recall >= GOOD_RECALL and far <= GOOD_FALSE_ALARM_RATE)
    return {"percentile": float(percentile), "false_alarm_rate": far, "recall": recall, "good_enough": good, "cut": cut}


def _same(got: float, value: float) -> bool:
    return math.isclose(got, value, rel_tol=1e-6, abs_tol=1e-9) or round(got, 3) == round(value, 3)


def _traps(key: str, percentile: float, right: dict[str, Any]) -> dict[str, float]:
    h = shuttle_halves()
    strict = h["new_f1"] > right["cut"]
    is_normal, is_anomaly = h["new_y"] == 0, h["new_y"] == 1
    if key == "false_alarm_rate":
        return {
            "the budget 1 - percentile/100, not a measurement: count the flagged normal rows of the new half": 1
            - percentile / 100,
            "measured with f1 > cut; the course flags score >= threshold (many readings equal the cut)": float(
                strict[is_normal].mean()
            ),
            "divided by all rows of the new half; count among its normal rows only": float(
                (right["false_alarm_rate"] * is_normal.sum()) / len(is_normal)
            ),
            "the recall: the two are swapped": right["recall"],
        }
    return {
        "measured with f1 > cut; the course flags score >= threshold": float(strict[is_anomaly].mean()),
        "the miss rate (1 - recall): count the flagged rows among the anomalies": 1 - right["recall"],
        "the false-alarm rate: the two are swapped": right["false_alarm_rate"],
    }


def _check_experiment(answer: Any) -> None:
    if not isinstance(answer, dict):
        raise Incorrect(
            f"give a dict such as dict(percentile=99, false_alarm_rate=..., ...), got {short_repr(answer)}."
        )
    missing = [k for k in EXPERIMENT_KEYS if k not in answer]
    if missing:
        raise Incorrect(f"your dict has no {', '.join(repr(k) for k in missing)}; give all of {list(EXPERIMENT_KEYS)}.")
    p = answer["percentile"]
    if isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, float, np.number)) or not 50 <= p <= 100:
        raise Incorrect(f"percentile must be a number between 50 and 100, e.g. 99; got {short_repr(p)}.")
    right = one_sensor_experiment(float(p))
    for key in ("false_alarm_rate", "recall"):
        got = answer[key]
        if isinstance(got, (int, float, np.number)) and not isinstance(got, (bool, np.bool_)):
            for why, value in _traps(key, float(p), right).items():
                if _same(float(got), value) and not _same(float(got), right[key]):
                    raise Incorrect(f"your {key} is {why}.")
        check_number(got, right[key], what=f"your {key}", rtol=1e-6, atol=1e-9)
    good = answer["good_enough"]
    if not isinstance(good, (bool, np.bool_)):
        raise Incorrect(f"good_enough must be True or False, got {short_repr(good)}.")
    if bool(good) != right["good_enough"]:
        raise Incorrect(
            f"your rates are right, but the rule is recall >= {GOOD_RECALL} and false-alarm rate <= "
            f"{GOOD_FALSE_ALARM_RATE}: with recall {right['recall']:.3f} and false-alarm rate "
            f"{right['false_alarm_rate']:.3f}, good_enough is {right['good_enough']}."
        )


def _experiment_feedback(answer: dict) -> str:
    r = one_sensor_experiment(float(answer["percentile"]))
    return (
        f"percentile {r['percentile']:g}: cut f1 >= {r['cut']:g}, false-alarm rate {r['false_alarm_rate']:.3f}, "
        f"recall {r['recall']:.3f}. Try a lower and a higher percentile: the recall hardly moves (the anomalies "
        "that sit inside the normal range stay hidden), while the false alarms change a lot."
    )


def _experiment_context() -> dict[str, Any]:
    h = shuttle_halves()
    return {"f1_ref_normal": h["ref_normal"], "f1_new": h["new_f1"], "y_new": h["new_y"], "percentile": 99}


q3 = CustomExercise(
    "Exercise 0.3 (★★☆)",
    report=_experiment_feedback,
    check_fn=_check_experiment,
    hints=[
        "cut = np.percentile(f1_ref_normal, percentile); flagged = f1_new >= cut (a boolean array).",
        "false_alarm_rate = flagged[y_new == 0].mean(); recall = flagged[y_new == 1].mean(); good_enough = "
        "recall >= 0.9 and false_alarm_rate <= 0.02.",
    ],
    solution=(
        "cut = np.percentile(f1_ref_normal, percentile)   # f1 >= {cut:g} is flagged\n"
        "flagged = f1_new >= cut\n"
        "false_alarm_rate = flagged[y_new == 0].mean()   # {int(flagged[y_new == 0].sum())} of "
        "{int((y_new == 0).sum())} normal rows\n"
        "recall = flagged[y_new == 1].mean()   # {int(flagged[y_new == 1].sum())} of {int((y_new == 1).sum())} "
        "anomalies\n"
        "experiment = dict(percentile=percentile, false_alarm_rate=false_alarm_rate, recall=recall,\n"
        "                  good_enough=bool(recall >= 0.9 and false_alarm_rate <= 0.02))"
    ),
    context=_experiment_context,
    reference=one_sensor_experiment,
    what_to_give="a dict with the keys 'percentile', 'false_alarm_rate', 'recall' and 'good_enough'",
)


def _right_experiment() -> dict[str, Any]:
    r = one_sensor_experiment(99.0)
    return {k: r[k] for k in EXPERIMENT_KEYS}


def _wrong_experiment() -> dict[str, Any]:
    """The budget reported instead of the measured false-alarm rate."""
    r = _right_experiment()
    return {**r, "false_alarm_rate": 0.01}


#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (_wbc_prevalence, lambda: float(_wbc_labels().sum()) / 569),
    "q2": (lambda: "b", lambda: "a"),
    "q3": (_right_experiment, _wrong_experiment),
}
