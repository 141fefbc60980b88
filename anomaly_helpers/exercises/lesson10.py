"""Exercises of lesson 10 · FAQ, review and next steps.

Questions 10.1-10.12 (``q1``-``q12``) are the review quiz across the course; ``q13`` is the
capstone, whose check runs the learner's plan itself (so nothing can be chosen on test data) and
judges both the procedure and the result.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, Incorrect, ValueExercise, is_placeholder
from anomaly_helpers.exercises.feedback import NotAttempted
from anomaly_helpers.exercises.progress import progress_of

# --------------------------------------------------------------------------- quiz: computations
#: Quiz 10.1: alarms raised, real anomalies among them, anomalies in the data.
ALARMS, HITS, ANOMALIES = 40, 10, 25


def _prf() -> tuple[float, float, float]:
    p, r = HITS / ALARMS, HITS / ANOMALIES
    return p, r, 2 * p * r / (p + r)


q1 = ValueExercise(
    "Question 10.1 (★☆☆)",
    expected=_prf,
    tolerance=1e-3,
    hints=["precision = hits / alarms; recall = hits / anomalies; F1 = 2PR / (P + R) (lesson 06)."],
    solution=(
        "precision = hits / alarms          # {precision:.3f}\n"
        "recall = hits / anomalies          # {recall:.3f}\n"
        "f1 = 2 * precision * recall / (precision + recall)   # {f1:.3f}\n"
        "answer_1 = (precision, recall, f1)"
    ),
    context=lambda: {"hits": HITS, "alarms": ALARMS, "anomalies": ANOMALIES},
)

#: Quiz 10.2: input size, kernel size, stride, padding of a convolution.
CONV = {"n": 28, "k": 5, "stride": 1, "padding": 0}

q2 = ValueExercise(
    "Question 10.2 (★☆☆)",
    expected=lambda: (CONV["n"] - CONV["k"] + 2 * CONV["padding"]) // CONV["stride"] + 1,
    tolerance=0,
    hints=["Output size = (n - k + 2p) / s + 1 (lesson 03)."],
    solution="answer_2 = (n - k + 2 * padding) // stride + 1   # {answer_2}",
    context=lambda: dict(CONV),
)

#: Quiz 10.3: anomalies and samples of a test set.
TEST_ANOMALIES, TEST_SAMPLES = 12, 400

q3 = ValueExercise(
    "Question 10.3 (★☆☆)",
    expected=lambda: TEST_ANOMALIES / TEST_SAMPLES,
    tolerance=1e-3,
    hints=["A random score's precision at every recall is about the share of anomalies (lesson 06)."],
    solution="answer_3 = n_anomalies / n_samples   # the prevalence, {answer_3:.3f}",
    context=lambda: {"n_anomalies": TEST_ANOMALIES, "n_samples": TEST_SAMPLES},
)

#: Quiz 10.8: the scalar RNN step h_t = tanh(w x_t + u h_{t-1} + b).
RNN = {"w": 0.5, "u": 0.8, "b": 0.1, "x_t": 1.0, "h_prev": 0.5}


def _rnn_step() -> float:
    return math.tanh(RNN["w"] * RNN["x_t"] + RNN["u"] * RNN["h_prev"] + RNN["b"])


q8 = ValueExercise(
    "Question 10.8 (★★☆)",
    expected=_rnn_step,
    tolerance=1e-3,
    hints=["h_t = tanh(w * x_t + u * h_prev + b) (lesson 04): add first, then squash with tanh."],
    solution="answer_8 = np.tanh(w * x_t + u * h_prev + b)   # {answer_8:.4f}",
    context=lambda: dict(RNN),
)

# --------------------------------------------------------------------------- quiz: choices
q4 = ChoiceExercise(
    "Question 10.4 (★☆☆)",
    answer="b",
    choices=["a", "b", "c", "d"],
    explanation="fit the scaler on the training split only, then transform validation and test with it (lesson 02).",
    why_not={
        "a": "fitting on all rows lets the test rows shape the scaling: a leak, whatever it does to the score.",
        "c": "the test split must not shape anything; a scaler fitted there is a leak.",
        "d": "separate scalers put each split on its own scale: the same raw value means different things.",
    },
    hints=["Which data may any fitted step — a scaler too — look at?"],
)

q5 = ChoiceExercise(
    "Question 10.5 (★★☆)",
    answer="d",
    choices=["a", "b", "c", "d"],
    explanation="the threshold is a percentile of the *test* scores: the test set chose it. Take it on validation data.",
    why_not={
        "a": "a stratified split is fine (and keeps some anomalies in both parts).",
        "b": "fitting Isolation Forest on the training split is right.",
        "c": "scikit-learn's score_samples is higher for normal points; the minus gives the course's sign, so this line is right.",
    },
    hints=["Which line looks at data it should not have seen?"],
)

q6 = ChoiceExercise(
    "Question 10.6 (★★☆)",
    answer="c",
    choices=["a", "b", "c"],
    explanation=(
        "each event of 300 steps catches at least one of the random alarms almost surely, and point adjustment "
        "then credits the whole event: recall near 1 and most flagged steps inside events, so F1 is near 1."
    ),
    why_not={
        "a": "point-wise F1 would be near 0; point adjustment credits whole events for single lucky hits.",
        "b": "the chance that a 300-step event gets no alarm at 2 % is 0.98 ** 300, about 0.002.",
    },
    hints=["What is the chance that an event of 300 steps receives no random alarm at all?"],
)

q7 = ChoiceExercise(
    "Question 10.7 (★☆☆)",
    answer="b",
    choices=["a", "b", "c", "d"],
    explanation=(
        "no labels and an alarm budget: a percentile of scores on held-out data like the training data — "
        "never the maximum (one hidden anomaly ruins it) and never test data."
    ),
    why_not={
        "a": "one unlabelled anomaly in the training data sets the maximum, and then nothing is flagged.",
        "c": "the test set must never choose anything; and there are no labels to compute F1 anyway.",
        "d": "mean + 3 std of *test* scores lets the test set choose the threshold.",
    },
    hints=["Lesson 06, section 4: which strategy needs no labels and spends a known alarm budget?"],
)

q9 = ChoiceExercise(
    "Question 10.9 (★☆☆)",
    answer="b",
    choices=["a", "b", "c", "d"],
    explanation="reconstruction of real values → MSE (or MAE); a yes/no label → binary cross-entropy (lesson 05).",
    why_not={
        "a": "MSE on 0/1 labels works poorly: its gradient vanishes when a sigmoid saturates on a wrong answer.",
        "c": "cross-entropy needs probabilities as targets; sensor values are not.",
        "d": "that is the two losses swapped.",
    },
    hints=["Which loss compares real-valued outputs, and which compares a probability with a 0/1 label?"],
)

q10 = ChoiceExercise(
    "Question 10.10 (★★☆)",
    answer="b",
    choices=["a", "b", "c", "d"],
    explanation=(
        "validation_data=(x_test, x_test) with early stopping lets the test set choose the epoch: its figures are "
        "no longer an independent estimate. Hold out a validation split (lesson 06, snippet A)."
    ),
    why_not={
        "a": "many epochs with early stopping is fine: training stops by itself.",
        "c": "early stopping with restored weights is good practice — on validation data.",
        "d": "scoring the test set once, at the end, is exactly right.",
    },
    hints=["Which data does EarlyStopping watch?"],
)

q11 = ChoiceExercise(
    "Question 10.11 (★☆☆)",
    answer="b",
    choices=["a", "b", "c", "d"],
    explanation="with 1 % anomalies, 'always normal' is 99 % accurate: accuracy alone says nothing (lesson 06).",
    why_not={
        "a": "a detector that finds no anomaly at all reaches the same 99 %.",
        "c": "precision is about the alarms; accuracy does not bound it.",
        "d": "F1 can be 0 at 99 % accuracy (no alarm at all).",
    },
    hints=["What accuracy does a detector get that never raises an alarm?"],
)

#: Quiz 10.12: the four options, each a column of the digits study (lesson 03).
STUDY_OPTIONS = {"a": "conv AE", "b": "dense AE", "c": "kNN (pixels)", "d": "IsolationForest (pixels)"}


@functools.lru_cache(maxsize=1)
def study_means() -> dict[str, float]:
    """Mean ROC-AUC of each option in the digits leave-one-out study (read through the package)."""
    from anomaly_helpers import studies

    rows = studies.load_result("digits_leave_one_out")["rows"]
    mean = next(r for r in rows if str(r["held-out digit"]) == "mean")
    return {letter: float(mean[column]) for letter, column in STUDY_OPTIONS.items()}


def _best_study_option() -> str:
    means = study_means()
    return max(means, key=means.get)


def _check_study(answer: Any) -> None:
    letter = str(answer).strip().strip("()[]'\" ").lower()
    if letter not in STUDY_OPTIONS:
        raise Incorrect(f"answer with one letter of {sorted(STUDY_OPTIONS)}.")
    means = study_means()
    best = _best_study_option()
    if letter != best:
        raise Incorrect(
            f"{STUDY_OPTIONS[letter]} reached {means[letter]:.3f} on average; {STUDY_OPTIONS[best]} reached "
            f"{means[best]:.3f}. Simple distances on raw pixels were hard to beat (lesson 03)."
        )


q12 = CustomExercise(
    "Question 10.12 (★☆☆)",
    check_fn=_check_study,
    hints=["Lesson 03's benchmark study trained on nine digits and flagged the tenth: which column won?"],
    solution=("means = study_means()   # {means}\nanswer_12 = max(means, key=means.get)   # {answer_12!r}"),
    context=lambda: {"study_means": study_means},
    reference=_best_study_option,
    what_to_give="one letter, e.g. 'a'",
)

# --------------------------------------------------------------------------- capstone
#: The capstone's series: a multi-lead ECG-like recording (the clean part is its first 40 %).
CAPSTONE_SERIES = {"n_timesteps": 4000, "n_channels": 3, "n_anomalies": 10, "random_state": 10}
CLEAN_FRACTION = 0.4
#: What the capstone asks of the result on the test part.
MIN_EVENT_RECALL = 0.7
MIN_PR_AUC_GAIN = 0.15


@functools.lru_cache(maxsize=1)
def capstone_series():
    """The capstone's series (``EcgSeries``) and the end of its clean part."""
    from anomaly_helpers import synthetic

    data = synthetic.make_ecg_like(**CAPSTONE_SERIES)
    return data, int(CLEAN_FRACTION * data.n_timesteps)


def _check_range(plan: dict, key: str, n_clean: int) -> tuple[int, int]:
    value = plan.get(key)
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise Incorrect(f"plan['{key}'] must be a (start, end) pair of time steps, e.g. (0, 1200).")
    start, end = (int(v) for v in value)
    if not 0 <= start < end:
        raise Incorrect(f"plan['{key}'] = {value}: start must be >= 0 and below end.")
    if end > n_clean:
        raise Incorrect(
            f"plan['{key}'] ends at {end}, past the clean part (which ends at {n_clean}): everything after it is "
            "the test part, and nothing may be fitted or chosen there."
        )
    return start, end


def _check_plan(plan: Any) -> tuple:
    if is_placeholder(plan):
        raise NotAttempted()
    if not isinstance(plan, dict):
        raise Incorrect("plan must be a dict with the keys 'width', 'detector', 'fit', 'validation', 'budget'.")
    missing = {"width", "detector", "fit", "validation", "budget"} - set(plan)
    if missing:
        raise Incorrect(f"plan has no {sorted(missing)}: fill in every key of the template.")
    data, n_clean = capstone_series()
    fit = _check_range(plan, "fit", n_clean)
    val = _check_range(plan, "validation", n_clean)
    if fit[0] < val[1] and val[0] < fit[1]:
        raise Incorrect(
            f"the validation stretch {val} overlaps the fit stretch {fit}: a threshold set on data the detector was "
            "fitted on is biased low (too many alarms later). Make them disjoint."
        )
    width = plan["width"]
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or not 5 <= width <= 200:
        raise Incorrect(f"plan['width'] must be a whole number of time steps from 5 to 200, got {width!r}.")
    if fit[1] - fit[0] < 5 * width:
        raise Incorrect(f"the fit stretch {fit} holds fewer than 5 windows of width {width}; make it longer.")
    budget = plan["budget"]
    if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not 0 < budget <= 0.1:
        raise Incorrect(
            f"plan['budget'] is the share of validation steps allowed above the threshold, in (0, 0.1]; got {budget!r}."
        )
    detector = plan["detector"]
    if not (hasattr(detector, "fit") and hasattr(detector, "decision_function")):
        raise Incorrect(
            "plan['detector'] must be a detector with fit and decision_function, e.g. detectors.KNNDetector(...)."
        )
    return data, n_clean, fit, val, int(width), float(budget), detector


def run_capstone(plan: Any) -> pd.DataFrame:
    """Carry out a capstone plan and report on the test part.

    The detector is fitted on windows lying entirely inside ``plan['fit']``, the threshold is the
    ``1 - budget`` quantile of the scores inside ``plan['validation']``, and the test part (after the
    clean part) is only scored. Returns a one-row table.
    """
    from sklearn.base import clone

    from anomaly_helpers import metrics, scoring, series

    data, n_clean, fit, val, width, budget, detector = _check_plan(plan)
    values, labels, n = np.asarray(data.values), np.asarray(data.labels), data.n_timesteps
    windows = series.sliding_windows(values, width).reshape(-1, width * values.shape[1])
    model = clone(detector).fit(windows[fit[0] : fit[1] - width + 1])
    scores = series.windows_to_timesteps(model.decision_function(windows), n, width, reduce="max")
    tau = scoring.threshold_percentile(scores[val[0] : val[1]], contamination=budget)
    report = metrics.series_report(labels[n_clean:], scores[n_clean:], tau, name=type(detector).__name__)
    report.insert(0, "threshold", tau)
    return report


def _check_capstone(plan: Any) -> None:
    report = run_capstone(plan)
    row = report.iloc[0]
    prevalence, pr_auc, event_recall = float(row["prevalence"]), float(row["pr_auc"]), float(row["event_recall"])
    if pr_auc < prevalence + MIN_PR_AUC_GAIN:
        raise Incorrect(
            f"the procedure is sound, but the test PR-AUC {pr_auc:.3f} is barely above the no-skill level "
            f"{prevalence:.3f}: try another window width or detector (compare them on the validation stretch)."
        )
    if event_recall < MIN_EVENT_RECALL:
        raise Incorrect(
            f"the procedure is sound, but only {row['events_detected']} of {row['n_events']} test events raise an "
            "alarm: a longer window or a larger budget usually helps (check the false alarms it costs)."
        )


q13 = CustomExercise(
    "Exercise 10.13 (★★★)",
    check_fn=_check_capstone,
    hints=[
        "Keep the fit and validation stretches inside the clean part and apart from each other, e.g. fit (0, 1200) "
        "and validation (1200, 1600).",
        "A 1-nearest-neighbour detector on raw windows of about one beat (40-80 steps) is a strong start (lesson 04).",
    ],
    solution=(
        "plan = {\n"
        '    "width": 40,\n'
        '    "detector": detectors.KNNDetector(n_neighbors=1, scale=False),\n'
        '    "fit": (0, 1200),\n'
        '    "validation": (1200, 1600),\n'
        '    "budget": 0.01,\n'
        "}"
    ),
    context=lambda: {"detectors": __import__("anomaly_helpers.detectors", fromlist=["KNNDetector"])},
    reference=lambda: _reference_plan(),
    what_to_give="the plan dict of the template",
)


def _reference_plan() -> dict:
    from anomaly_helpers import detectors

    return {
        "width": 40,
        "detector": detectors.KNNDetector(n_neighbors=1, scale=False),
        "fit": (0, 1200),
        "validation": (1200, 1600),
        "budget": 0.01,
    }


def _leaky_plan() -> dict:
    plan = _reference_plan()
    plan["validation"] = (800, 1600)  # overlaps the fit stretch
    return plan


#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning the answer),
#: used by tests/test_exercises.py.
ANSWERS = {
    "q1": (_prf, lambda: (HITS / ANOMALIES, HITS / ALARMS, 0.3)),
    "q2": (lambda: 24, lambda: 23),
    "q3": (lambda: TEST_ANOMALIES / TEST_SAMPLES, lambda: 0.5),
    "q4": (lambda: "b", lambda: "a"),
    "q5": (lambda: "d", lambda: "c"),
    "q6": (lambda: "c", lambda: "a"),
    "q7": (lambda: "b", lambda: "a"),
    "q8": (_rnn_step, lambda: RNN["w"] * RNN["x_t"] + RNN["u"] * RNN["h_prev"] + RNN["b"]),
    "q9": (lambda: "b", lambda: "d"),
    "q10": (lambda: "b", lambda: "c"),
    "q11": (lambda: "b", lambda: "a"),
    "q12": (_best_study_option, lambda: "a"),
    "q13": (_reference_plan, _leaky_plan),
}
