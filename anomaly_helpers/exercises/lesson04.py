"""Exercises of lesson 04 · RNN feature extraction.

Exercises 4.1-4.3 sit in the lesson's sections; questions 4.1-4.3 (``q4``-``q6``) are its
"Check yourself". The reference implementations (:func:`rnn_step`, :func:`rolling_zscore`) are
used by the lesson's later cells, so the lesson runs before the learner solves anything.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, FunctionExercise, Incorrect, ValueExercise
from anomaly_helpers.exercises.progress import progress_of


# --------------------------------------------------------------------------- Exercise 4.1
def rnn_step(x_t: Any, h_prev: Any, W: Any, U: Any, b: Any) -> np.ndarray:
    """One step of a simple RNN in Keras' layout: h_t = tanh(x_t W + h_{t-1} U + b).

    Parameters
    ----------
    x_t : ndarray of shape (batch, n_inputs)
    h_prev : ndarray of shape (batch, units)
    W : ndarray of shape (n_inputs, units)
        Keras' ``kernel``.
    U : ndarray of shape (units, units)
        Keras' ``recurrent_kernel``.
    b : ndarray of shape (units,)
        Keras' ``bias``.

    Returns
    -------
    ndarray of shape (batch, units)
    """
    return np.tanh(np.asarray(x_t) @ np.asarray(W) + np.asarray(h_prev) @ np.asarray(U) + np.asarray(b))


def _rnn_cases() -> list[tuple]:
    rng = np.random.default_rng(4)
    cases = []
    for batch, n_in, units in ((1, 1, 3), (4, 2, 5), (3, 3, 2)):
        cases.append(
            (
                rng.normal(size=(batch, n_in)),
                rng.normal(size=(batch, units)),
                rng.normal(size=(n_in, units)),
                rng.normal(size=(units, units)),
                rng.normal(size=units),
            )
        )
    return cases


q1 = FunctionExercise(
    "Exercise 4.1 (★★☆)",
    reference=rnn_step,
    cases=_rnn_cases,
    tolerance=1e-6,
    hints=[
        "Keras stores the weights so that a batch of row vectors is multiplied from the left: "
        "x_t @ W has shape (batch, units), and so has h_prev @ U.",
        "return np.tanh(x_t @ W + h_prev @ U + b) — the bias broadcasts over the batch.",
    ],
    solution=("def rnn_step(x_t, h_prev, W, U, b):\n    return np.tanh(x_t @ W + h_prev @ U + b)"),
)


# --------------------------------------------------------------------------- Exercise 4.2
def steps_to_vanish(factor: float = 0.8, fraction: float = 0.01) -> int:
    """Smallest k with factor ** k < fraction: steps until a gradient shrinks below ``fraction``."""
    return int(math.floor(math.log(fraction) / math.log(factor))) + 1


q2 = ValueExercise(
    "Exercise 4.2 (★☆☆)",
    expected=lambda: steps_to_vanish(0.8, 0.01),
    tolerance=1e-9,
    hints=[
        "After k steps back the gradient is multiplied by 0.8 ** k. Find the smallest whole k with 0.8 ** k < 0.01.",
        "Take logarithms: k > log(0.01) / log(0.8) ≈ 20.6 (dividing by a negative log flips the inequality).",
    ],
    solution=(
        "factor, fraction = 0.8, 0.01\n"
        "k_vanish = math.floor(math.log(fraction) / math.log(factor)) + 1"
        "   # log(fraction) / log(factor) = {math.log(fraction) / math.log(factor):.2f}, so k = {k_vanish}"
    ),
)


# --------------------------------------------------------------------------- Exercise 4.3
def rolling_zscore(x: Any, window: int) -> np.ndarray:
    """Trailing rolling z-score |x_t - mean| / std of the ``window`` samples *before* t (ddof=0).

    The first ``window`` samples, which have no full past window, get 0.

    Parameters
    ----------
    x : ndarray of shape (n_timesteps,)
    window : int
        Number of past samples (the current one excluded).

    Returns
    -------
    ndarray of shape (n_timesteps,)
    """
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    for t in range(window, len(x)):
        past = x[t - window : t]
        out[t] = abs(x[t] - past.mean()) / past.std()
    return out


def _zscore_cases() -> list[tuple]:
    rng = np.random.default_rng(7)
    return [(rng.normal(size=40), 5), (np.sin(np.arange(30) / 3.0) + 0.1 * rng.normal(size=30), 8)]


def _compare_zscore(got: Any, expected: np.ndarray, args: tuple) -> None:
    arr = np.asarray(got, dtype=float)
    if arr.shape != expected.shape:
        raise Incorrect(f"your function returned shape {arr.shape}; expected one score per sample, {expected.shape}.")
    window = args[1]
    if not np.all(np.isfinite(arr)):
        raise Incorrect("your scores contain NaN or inf: give the first `window` samples the score 0.")
    if np.allclose(arr[window:], expected[window:], atol=1e-6):
        if not np.allclose(arr[:window], 0.0):
            raise Incorrect("the first `window` samples have no full past window: give them the score 0.")
        return
    x = np.asarray(args[0], dtype=float)
    centred = np.zeros_like(x)
    for t in range(window - 1, len(x)):
        past = x[t - window + 1 : t + 1]
        centred[t] = abs(x[t] - past.mean()) / past.std()
    if np.allclose(arr[window:], centred[window:], atol=1e-6):
        raise Incorrect("your window includes x_t itself; use only the `window` samples *before* t: x[t-window:t].")
    raise Incorrect("the scores differ from |x_t - mean(past)| / std(past) with past = x[t-window:t] and ddof=0.")


q3 = FunctionExercise(
    "Exercise 4.3 (★★☆)",
    reference=rolling_zscore,
    cases=_zscore_cases,
    compare=_compare_zscore,
    hints=[
        "Loop over t from `window` to len(x) - 1; past = x[t - window : t] holds the samples *before* t.",
        "out[t] = abs(x[t] - past.mean()) / past.std(); start from out = np.zeros(len(x)).",
    ],
    solution=(
        "def rolling_zscore(x, window):\n"
        "    x = np.asarray(x, dtype=float)\n"
        "    out = np.zeros_like(x)\n"
        "    for t in range(window, len(x)):\n"
        "        past = x[t - window : t]\n"
        "        out[t] = abs(x[t] - past.mean()) / past.std()\n"
        "    return out"
    ),
)


# --------------------------------------------------------------------------- Check yourself
q4 = ChoiceExercise(
    "Question 4.1 (★★☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "The cell state is updated additively, c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t, so ∂c_t/∂c_{t-1} = f_t: "
        "a forget gate near 1 lets the gradient pass many steps without shrinking."
    ),
    why_not={
        "a": "an LSTM still uses tanh and sigmoid; it is the additive cell-state path, not the activation, "
        "that keeps gradients alive.",
        "c": "an LSTM is unrolled over time and trained by backpropagation through time like any RNN.",
    },
    hints=["Write ∂c_t/∂c_{t-1} for the LSTM cell state and compare it with diag(1 - h_t²) U for the simple RNN."],
)

q5 = ChoiceExercise(
    "Question 4.2 (★☆☆)",
    answer="c",
    choices=["a", "b", "c"],
    explanation=(
        "The threshold may use only what is known before testing: errors on the clean training part. "
        "Any choice made with the test labels makes the test figures optimistic."
    ),
    why_not={
        "a": "the best F1 on the test labels is tuned on the test set: the reported F1 is then not an estimate.",
        "b": "the test errors contain the anomalies you want to find; a percentile of them depends on how many "
        "anomalies the test part happens to contain.",
    },
    hints=["Which of the three uses neither test scores nor test labels?"],
)

q6 = ChoiceExercise(
    "Question 4.3 (★★☆)",
    answer="a",
    choices=["a", "b", "c"],
    explanation=(
        "Fixed windows cut each beat at a different phase, so with few beats the model must learn every phase "
        "shift; R-peak alignment removes that nuisance and leaves only the differences between hearts."
    ),
    why_not={
        "b": "the same kind of model, trained the same way, separates the abnormal beat after alignment: the "
        "model was not the problem.",
        "c": "the aligned beats carry less data, not more (one window per beat instead of overlapping windows).",
    },
    hints=["Compare the training loss of the two autoencoders in section 4: which one could learn 'normal'?"],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (lambda: rnn_step, lambda: lambda x, h, W, U, b: np.tanh(x @ W + h @ U)),
    "q2": (lambda: steps_to_vanish(0.8, 0.01), lambda: steps_to_vanish(0.8, 0.01) - 1),
    "q3": (
        lambda: rolling_zscore,
        lambda: lambda x, w: np.abs(x - np.mean(x)) / np.std(x),
    ),
    "q4": (lambda: "b", lambda: "a"),
    "q5": (lambda: "c", lambda: "a"),
    "q6": (lambda: "a", lambda: "b"),
}
