"""Exercises of lesson 06 · Evaluation metrics.

Exercises 6.1-6.7 sit in the lesson's sections (6.4 is the experiment, ``q10``; 6.5-6.7 are the
"spot the bug" snippets, ``q4``-``q6``, with 6.7 in the Going-further section on the maximum-score
trap); questions 6.1-6.3 (``q7``-``q9``) are its "Check yourself".
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, FunctionExercise, Incorrect, is_placeholder
from anomaly_helpers.exercises.feedback import NotAttempted, check_number
from anomaly_helpers.exercises.progress import progress_of

#: The confusion matrix of exercise 6.1, ``[[TN, FP], [FN, TP]]`` (rows = truth, columns = prediction).
CONFUSION = np.array([[950, 30], [5, 15]])


# --------------------------------------------------------------------------- Exercise 6.1
def precision_recall_f1(cm: Any) -> tuple[float, float, float]:
    """Precision, recall and F1 of the anomaly class from ``[[TN, FP], [FN, TP]]`` (reference of exercise 6.1)."""
    (tn, fp), (fn, tp) = np.asarray(cm, dtype=float)
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    return precision, recall, 2 * precision * recall / (precision + recall)


def _close(a: float, b: float) -> bool:
    """Loose enough to recognise a trap answered with 3 decimals."""
    return math.isclose(a, b, rel_tol=2e-3, abs_tol=1e-4)


def _check_prf(answer: Any) -> None:
    if isinstance(answer, (str, dict)) or np.shape(answer) != (3,):
        raise Incorrect("answer with three numbers in this order: (precision, recall, f1).")
    try:
        got = [float(v) for v in answer]
    except (TypeError, ValueError):
        raise Incorrect("all three items must be numbers: (precision, recall, f1).") from None
    if not all(math.isfinite(v) for v in got):
        raise Incorrect("one of your numbers is NaN or infinite.")
    p, r, f1 = precision_recall_f1(CONFUSION)
    (tn, fp), (fn, tp) = CONFUSION
    accuracy = (tn + tp) / CONFUSION.sum()
    gp, gr, gf = got
    if _close(gp, r) and _close(gr, p):
        raise Incorrect("precision and recall are swapped: precision divides TP by the *flagged* samples (TP + FP).")
    if _close(gp, tn / (tn + fn)):
        raise Incorrect(
            "that precision is the normal class's, TN / (TN + FN); we want the anomaly class's, TP / (TP + FP)."
        )
    _check_part(answer[0], p, "your precision", "precision = TP / (TP + FP)")
    _check_part(answer[1], r, "your recall", "recall = TP / (TP + FN)")
    if _close(gf, (p + r) / 2):
        raise Incorrect("that is the arithmetic mean of precision and recall; F1 is their *harmonic* mean.")
    if _close(gf, 2 * accuracy * r / (accuracy + r)) or _close(gf, (accuracy + r) / 2):
        raise Incorrect(
            "that F1 uses accuracy; F1 combines *precision* and recall (the article's 准确率 means precision there)."
        )
    _check_part(answer[2], f1, "your F1", "F1 = 2 * precision * recall / (precision + recall)")


def _check_part(got: Any, expected: float, what: str, formula: str) -> None:
    try:
        check_number(got, expected, what=what)
    except Incorrect as exc:
        if "rounded" in str(exc):
            raise
        raise Incorrect(f"{what} {float(got):.4g} is wrong: {formula}.") from None


q1 = CustomExercise(
    "Exercise 6.1 (★☆☆)",
    check_fn=_check_prf,
    hints=[
        "Unpack the matrix first: `(tn, fp), (fn, tp) = cm`. Rows are the truth, columns the prediction.",
        "precision = tp / (tp + fp); recall = tp / (tp + fn); f1 = 2 * precision * recall / (precision + recall).",
    ],
    solution=(
        "(tn, fp), (fn, tp) = cm\n"
        "precision = tp / (tp + fp)   # {tp} / {tp + fp} = {precision:.3f}\n"
        "recall = tp / (tp + fn)      # {tp} / {tp + fn} = {recall:.3f}\n"
        "f1 = 2 * precision * recall / (precision + recall)   # {f1:.3f}\n"
        "answer = (precision, recall, f1)"
    ),
    context=lambda: {"cm": CONFUSION},
    reference=lambda: precision_recall_f1(CONFUSION),
    what_to_give="three numbers in this order: (precision, recall, f1)",
)


# --------------------------------------------------------------------------- Exercise 6.2
_STRATEGIES = ("percentile", "min_cost", "best_f1", "max")
_STRATEGY_NAMES = {
    "max": "max",
    "threshold_max": "max",
    "mean_std": "mean_std",
    "threshold_mean_std": "mean_std",
    "percentile": "percentile",
    "threshold_percentile": "percentile",
    "best_f1": "best_f1",
    "threshold_best_f1": "best_f1",
    "min_cost": "min_cost",
    "threshold_min_cost": "min_cost",
}
_STRATEGY_WHY = (
    "no labels, but a known alarm budget (2 % of the machines): flag the top 2 % -> threshold_percentile.",
    "labelled validation data and a miss costs 50 false alarms: minimise cost_fp * FP + cost_fn * FN -> threshold_min_cost.",
    "labelled validation data and equal costs: maximise F1 on validation -> threshold_best_f1.",
    "the training data is certified clean and anything beyond what was ever seen must raise an alarm: "
    "the maximum training score is the one case where threshold_max fits.",
)


def _check_strategies(answer: Any) -> None:
    if isinstance(answer, np.ndarray):
        answer = answer.tolist()
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
        raise Incorrect(f"answer with a list of {len(_STRATEGIES)} strategy names, e.g. ['best_f1', 'best_f1', ...].")
    if len(answer) != len(_STRATEGIES):
        raise Incorrect(f"your list has {len(answer)} item(s); there are {len(_STRATEGIES)} situations, one name each.")
    given = []
    for i, a in enumerate(answer):
        word = str(a).strip().lower().replace("-", "_").replace(" ", "_")
        if word not in _STRATEGY_NAMES:
            raise Incorrect(f"item {i + 1} is {a!r}; use one of {sorted(set(_STRATEGY_NAMES.values()))}.")
        given.append(_STRATEGY_NAMES[word])
    wrong = [i for i, (g, e) in enumerate(zip(given, _STRATEGIES, strict=True)) if g != e]
    if wrong:
        parts = [f"({chr(97 + i)}) is not {given[i]}: {_STRATEGY_WHY[i]}" for i in wrong]
        raise Incorrect(f"{len(wrong)} of {len(_STRATEGIES)} wrong. " + " ".join(parts))


q2 = CustomExercise(
    "Exercise 6.2 (★☆☆)",
    check_fn=_check_strategies,
    hints=[
        "First ask: are there labelled anomalies in a validation split? Without them only the training-score "
        "strategies (max, mean_std, percentile) are possible.",
        "With labels, ask whether a miss and a false alarm cost the same (best_f1) or not (min_cost). "
        "Without labels, a known alarm budget is a percentile.",
    ],
    solution='strategies_answer = ["percentile", "min_cost", "best_f1", "max"]',
    reference=lambda: list(_STRATEGIES),
    what_to_give="a list of four strategy names such as ['max', 'max', 'max', 'max']",
)


# --------------------------------------------------------------------------- Exercise 6.3
def point_adjust(y_true: Any, y_pred: Any) -> np.ndarray:
    """Point-adjust protocol (reference of exercise 6.3): a hit anywhere in an event marks the whole event."""
    y_true = np.asarray(y_true).astype(np.int64)
    adjusted = np.asarray(y_pred).astype(np.int64).copy()
    padded = np.concatenate(([0], y_true, [0]))
    change = np.flatnonzero(np.diff(padded))
    for start, end in zip(change[::2], change[1::2], strict=True):
        if adjusted[start:end].any():
            adjusted[start:end] = 1
    return adjusted


def _point_adjust_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(6)
    y_long = np.zeros(200, dtype=np.int64)
    y_long[20:60] = 1
    y_long[120:125] = 1
    y_long[199] = 1
    return [
        (np.array([0, 1, 1, 1, 0, 0, 1, 1, 0]), np.array([1, 0, 1, 0, 0, 0, 0, 0, 0])),  # one event hit, one missed
        (np.array([1, 1, 0, 0, 1]), np.array([0, 1, 0, 1, 0])),  # events at both ends, a false alarm kept
        (np.array([0, 0, 0, 0]), np.array([0, 1, 0, 0])),  # no event at all
        (y_long, (rng.random(200) > 0.97).astype(np.int64)),
    ]


def _metrics_context() -> dict:
    from anomaly_helpers import metrics

    return {"metrics": metrics}


q3 = FunctionExercise(
    "Exercise 6.3 (★★☆)",
    reference=point_adjust,
    cases=_point_adjust_cases,
    tolerance=0,
    hints=[
        "`metrics.label_events(y_true)` gives the events as (start, end) pairs, end exclusive.",
        "Start from a copy of y_pred. For each event, if `y_pred[start:end].any()`, set `adjusted[start:end] = 1`. "
        "Leave everything outside the events unchanged.",
    ],
    solution=(
        "def point_adjust(y_true, y_pred):\n"
        "    adjusted = np.asarray(y_pred).copy()\n"
        "    for start, end in metrics.label_events(y_true):\n"
        "        if adjusted[start:end].any():\n"
        "            adjusted[start:end] = 1\n"
        "    return adjusted"
    ),
    context=_metrics_context,
)


# --------------------------------------------------------------------------- Spot the bug (6.4-6.6)
q4 = ChoiceExercise(
    "Exercise 6.5 (★★☆)",
    answer="c",
    choices=["a", "b", "c", "d"],
    explanation=(
        "with early stopping, validation_data=(test_data, test_data) lets the test set choose the epoch: the test "
        "set has become a validation set, and its figures are no longer an independent estimate (choosing by the "
        "unlabelled test loss may even favour an epoch that reconstructs the anomalies well). Hold out a separate "
        "validation split (validation_split=0.1 or your own), and touch the test set once, at the end."
    ),
    why_not={
        "a": "training on normal data only is the semi-supervised setting of an autoencoder: that is right.",
        "b": "MAE is a perfectly good reconstruction error; MSE would be too. The loss is not the bug.",
        "d": "a percentile of the training errors is a sensible threshold that never looks at the test set.",
    },
    hints=["Which data does EarlyStopping look at to decide when to stop?"],
)

q5 = ChoiceExercise(
    "Exercise 6.6 (★★☆)",
    answer="b",
    choices=["a", "b", "c", "d"],
    explanation=(
        "the positive class here is *normal* (True = normal), so the printed precision and recall describe how "
        "well normal samples are found — high on any imbalanced data set. Report them for the anomaly class: "
        "precision_score(y_test_is_anomaly, errors >= threshold)."
    ),
    why_not={
        "a": "mean + 1 std is a low threshold (many alarms), but that is a choice, not what makes the printed "
        "figures misleading. Look at which class they describe.",
        "c": "accuracy_score takes 0/1 predictions, which is what it gets. (Accuracy is a poor guide, but "
        "the line itself computes it correctly.)",
        "d": "the order of the arguments, (labels, predictions), is right.",
    },
    hints=["`is_normal` is True for a sample predicted *normal*. Which class is 'positive' for precision_score?"],
)

q6 = ChoiceExercise(
    "Exercise 6.7 (★★☆)",
    answer="c",
    choices=["a", "b", "c", "d"],
    explanation=(
        "the maximum of the training errors is set by the single most unusual training sample: one noisy or "
        "anomalous sample slipped into the training data raises it, and every anomaly that scores lower is missed. "
        "Use a high percentile of the training errors, or choose the threshold on labelled validation data."
    ),
    why_not={
        "a": "validation_split=0.1 holds out the last 10 % of the *training* data; that is the right way to "
        "monitor training.",
        "b": "MAE per window is a fine score; the problem is what is done with it afterwards.",
        "d": "> or >= changes the decision only for a score exactly equal to the threshold.",
    },
    hints=["What happens to line 3 if one training window contains a glitch?"],
)


# --------------------------------------------------------------------------- Check yourself
q7 = ChoiceExercise(
    "Question 6.1 (★☆☆)",
    answer="c",
    choices=["a", "b", "c"],
    explanation=(
        "a random ranking has ROC-AUC 0.5 whatever the prevalence, but PR-AUC ≈ prevalence (0.01 here), so 0.30 is "
        "thirty times chance. ROC-AUC ignores the prevalence: at 1 % frauds a false-positive rate of 5 % means "
        "about 5 false alarms per fraud, which a high ROC-AUC does not show."
    ),
    why_not={
        "a": "ROC-AUC is the same at any prevalence, so it cannot tell how many false alarms come with each fraud "
        "when frauds are rare; PR-AUC can.",
        "b": "PR-AUC must be compared with its no-skill value, the prevalence (0.01 here), not with 0.5.",
    },
    hints=["What would each metric be for a detector that ranks at random, with 1 % anomalies?"],
)

q8 = ChoiceExercise(
    "Question 6.2 (★☆☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "with 3 % anomalies, flagging nothing is already 97 % accurate. Accuracy alone cannot tell a detector "
        "from 'always normal': ask for precision and recall of the anomaly class (and the confusion matrix)."
    ),
    why_not={
        "a": "97 % is exactly what 'always normal' scores here: the figure is consistent with finding nothing.",
        "c": "accuracy is computed correctly; it just answers the wrong question on rare anomalies.",
    },
    hints=["What accuracy does a detector that never raises an alarm get on this data?"],
)

q9 = ChoiceExercise(
    "Question 6.3 (★★☆)",
    answer={"a", "c"},
    choices=["a", "b", "c", "d"],
    explanation=(
        "point adjustment credits a whole event for one lucky point, so long events make even random scores "
        "look excellent. Ask for point-wise (or event-wise, with false alarms) figures, and for a random "
        "baseline under the same protocol."
    ),
    why_not={
        "b": "a higher point-adjusted F1 is what a random score also gets on long events; it is no evidence.",
        "d": "ROC-AUC of the point adjusted predictions inherits the same adjustment; it does not remove the trap.",
    },
    hints=["Section 5: what did a random score get under point adjustment, and which figures exposed it?"],
)

# --------------------------------------------------------------------------- Exercise 6.4 (experiment)
#: The window widths the exercise suggests; the learner may try any whole number in WIDTH_RANGE.
WIDTHS = (10, 20, 40, 80)
WIDTH_RANGE = (10, 120)


@functools.lru_cache(maxsize=1)
def _ecg_series() -> tuple[np.ndarray, np.ndarray]:
    """The ECG-like series of section 5.2 (same generator call as the lesson): values and labels."""
    from anomaly_helpers import synthetic

    data = synthetic.make_ecg_like(n_timesteps=6000, n_anomalies=12, random_state=1)
    return np.asarray(data.values[:, 0]), np.asarray(data.labels)


@functools.lru_cache(maxsize=16)
def window_outcome(width: int) -> tuple[int, int]:
    """``(events_detected, false_alarm_steps)`` on the test part for kNN windows of ``width`` (section 5.2's recipe).

    The detector is fitted on the first 30 % of the series, the threshold is the 99th percentile of the scores
    of the next 10 % (clean validation), and the last 60 % is reported.
    """
    from anomaly_helpers import detectors, metrics, scoring, series

    x, labels = _ecg_series()
    n = len(x)
    n_fit, n_clean = int(0.3 * n), int(0.4 * n)
    windows = series.sliding_windows(x, width)[..., 0]
    knn = detectors.KNNDetector(n_neighbors=1, scale=False).fit(windows[: n_fit - width + 1])
    scores = series.windows_to_timesteps(knn.decision_function(windows), n, width, reduce="max")
    tau = scoring.threshold_percentile(scores[n_fit:n_clean], contamination=0.01)
    flags = scoring.apply_threshold(scores[n_clean:], tau)
    events = metrics.label_events(labels[n_clean:])
    detected = sum(bool(flags[s:e].any()) for s, e in events)
    return detected, int(((flags == 1) & (labels[n_clean:] == 0)).sum())


def smallest_enough_width() -> int:
    """The smallest suggested width whose windows detect every test event."""
    from anomaly_helpers import metrics

    _, labels = _ecg_series()
    n_events = len(metrics.label_events(labels[int(0.4 * len(labels)) :]))
    return min(w for w in WIDTHS if window_outcome(w)[0] == n_events)


def _width_context(width: int) -> dict:
    """The names the exercise's solution uses, as the lesson's cell leaves them for ``width``."""
    import sys

    from anomaly_helpers import metrics

    _, labels = _ecg_series()
    detected, false_alarms = window_outcome(width)
    return {
        "width_try": width,
        "events_detected": detected,
        "false_alarm_steps": false_alarms,
        "test_events": metrics.label_events(labels[int(0.4 * len(labels)) :]),
        "ex": sys.modules[__name__],
    }


def _check_width_answer(answer: Any) -> None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise Incorrect("answer with the tuple (width_try, measured, enough), e.g. (40, (12, 900), 40).")
    width, measured, enough = answer
    if is_placeholder(measured) or is_placeholder(enough):
        raise NotAttempted()
    lo, hi = WIDTH_RANGE
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or not lo <= width <= hi:
        raise Incorrect(f"width_try must be a whole number from {lo} to {hi}, got {width!r}: set it and run the cell.")
    if np.shape(measured) != (2,):
        raise Incorrect("measured must be the pair (events_detected, false_alarm_steps) printed for your width.")
    expected = window_outcome(int(width))
    got = tuple(int(round(float(v))) for v in measured)
    if got != expected:
        others = [w for w in WIDTHS if w != width and window_outcome(w) == got]
        if others:
            raise Incorrect(
                f"{got} are the figures of width {others[0]}, but width_try is {width}: run the cell again with "
                "your width and copy what it prints."
            )
        raise Incorrect(
            f"for width {width} the cell prints {expected[0]} events detected and {expected[1]} false-alarm steps, "
            f"not {got}: set `width_try` first, run the cell, then copy the two printed numbers."
        )
    if isinstance(enough, bool) or enough not in WIDTHS:
        raise Incorrect(f"enough must be one of the suggested widths {list(WIDTHS)}; run the cell with each.")
    best = smallest_enough_width()
    if enough > best:
        d, f = window_outcome(best)
        raise Incorrect(
            f"width {best} already detects all {d} events, with {f} false-alarm steps; a wider window only spills "
            f"more alarms ({window_outcome(int(enough))[1]} at width {enough})."
        )
    if enough < best:
        d, _ = window_outcome(int(enough))
        raise Incorrect(f"width {enough} detects {d} events, not all of them; run the cell with it and count.")


q10 = CustomExercise(
    "Exercise 6.4 (★★☆)",
    check_fn=_check_width_answer,
    hints=[
        "Change the first line of the cell above (`width_try = ...`), run it, and copy the two numbers it prints.",
        "Run the cell four times, with 10, 20, 40 and 80: the smallest width whose line says 'n of n events' "
        "is `enough`.",
    ],
    solution=(
        "measured = (events_detected, false_alarm_steps)   # for width {width_try}: {measured}\n"
        "enough = min(w for w in (10, 20, 40, 80) if ex.window_outcome(w)[0] == len(test_events))   # {enough}\n"
        "answer = (width_try, measured, enough)"
    ),
    context=lambda: _width_context(40),
    reference=lambda: (40, window_outcome(40), smallest_enough_width()),
    what_to_give="the tuple (width_try, (events_detected, false_alarm_steps), enough)",
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (lambda: precision_recall_f1(CONFUSION), lambda: (0.75, 1 / 3, 0.4615)),
    "q2": (lambda: list(_STRATEGIES), lambda: ["percentile", "best_f1", "best_f1", "max"]),
    "q3": (lambda: point_adjust, lambda: lambda y_true, y_pred: np.maximum(y_true, y_pred)),
    "q4": (lambda: "c", lambda: "b"),
    "q5": (lambda: "b", lambda: "a"),
    "q6": (lambda: "c", lambda: "a"),
    "q7": (lambda: "c", lambda: "b"),
    "q8": (lambda: "b", lambda: "a"),
    "q9": (lambda: "a, c", lambda: "a, b"),
    "q10": (
        lambda: (40, window_outcome(40), smallest_enough_width()),
        lambda: (40, window_outcome(80), 80),
    ),
}
