"""Exercises of lesson 04 · RNN feature extraction.

Exercises 4.1-4.4 sit in the lesson's core sections (4.3 builds the recurrent model in Keras, 4.4 is the
window-length experiment), exercise 4.5 in its "Going further" section; questions 4.1-4.3 (``q6``-``q8``)
are its "Check yourself". The reference implementations are used by the lesson's later cells through
``ex.qN.use(...)``, so the lesson runs before the learner solves anything.

The lesson's ECG-like series and its three-way cut (fit / held-out clean tail / test) are defined here
once (:func:`ecg_split`), so that the window experiment's check recomputes the learner's own setting on
the very data the lesson uses.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, FunctionExercise, Incorrect, ValueExercise
from anomaly_helpers.exercises.feedback import check_number, short_repr
from anomaly_helpers.exercises.progress import progress_of

#: The lesson's ECG-like series (``synthetic.make_ecg_like`` arguments).
ECG_SERIES = {"n_timesteps": 6000, "n_anomalies": 12, "random_state": 1}
#: The generator keeps this fraction of the series clean: the training period.
CLEAN_FRACTION = 0.4
#: The first part of the training period that models are fitted on; the rest (the clean tail) sets thresholds.
FIT_FRACTION = 0.8
#: The lesson's short window (past samples a model sees): about a quarter of a beat.
SHORT_WINDOW = 24
#: Neighbours of the raw-window kNN detector (mean distance to the k nearest fit windows).
KNN_NEIGHBORS = 5
#: The false-alarm budget: thresholds are the 99th percentile of held-out clean scores.
CONTAMINATION = 0.01
#: The window experiment asks for about one beat or longer (a beat is about 83 samples at 72 bpm, 100 Hz).
LONG_WINDOW_RANGE = (80, 300)


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
def build_forecaster(width: int, units: int = 16, seed: int = 0) -> Any:
    """A next-step GRU forecaster, seeded: (batch, width, 1) -> (batch, 1).

    ``GRU(units)`` named ``"embedding"`` (its final hidden state is the window's feature vector)
    followed by ``Dense(1)`` named ``"forecast"``. Every initializer takes ``seed``, so the same
    seed builds the same weights whatever ran before.

    Parameters
    ----------
    width : int
        Number of past samples the model reads.
    units : int, default 16
    seed : int, default 0

    Returns
    -------
    keras.Sequential
        Uncompiled; ``3 u (d + u + 2) + u + 1`` parameters with d = 1 input channel.
    """
    import keras

    init = keras.initializers
    return keras.Sequential(
        [
            keras.Input(shape=(width, 1)),
            keras.layers.GRU(
                units,
                kernel_initializer=init.GlorotUniform(seed=seed),
                recurrent_initializer=init.Orthogonal(seed=seed),
                name="embedding",
            ),
            keras.layers.Dense(1, kernel_initializer=init.GlorotUniform(seed=seed), name="forecast"),
        ],
        name="gru_forecaster",
    )


def _same_weights(a: Any, b: Any) -> bool:
    wa, wb = a.get_weights(), b.get_weights()
    return len(wa) == len(wb) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(wa, wb, strict=True))


def _check_one_forecaster(fn: Any, width: int, units: int, seed: int) -> Any:
    import keras

    call = f"build_forecaster({width}, units={units}, seed={seed})"
    model = fn(width, units, seed, case=call)
    if not isinstance(model, keras.Model):
        raise Incorrect(f"{call} returned {short_repr(model)}; return the Keras model (keras.Sequential([...])).")
    if tuple(model.input_shape) != (None, width, 1):
        raise Incorrect(f"{call} takes input of shape {model.input_shape}; start with keras.Input(shape=(width, 1)).")
    try:
        gru = model.get_layer("embedding")
    except ValueError:
        raise Incorrect("name the recurrent layer: GRU(units, name='embedding') — section 4 reads its state.") from None
    if not isinstance(gru, keras.layers.GRU):
        raise Incorrect(f"the layer 'embedding' is a {type(gru).__name__}; use keras.layers.GRU.")
    if gru.units != units:
        raise Incorrect(f"{call} has a GRU of {gru.units} units; use the `units` argument.")
    if gru.return_sequences:
        raise Incorrect("the GRU returns the whole sequence; a forecaster needs only the final state (the default).")
    if tuple(model.output_shape) != (None, 1):
        raise Incorrect(f"{call} outputs shape {model.output_shape}; end with Dense(1): one forecast per window.")
    expected = 3 * units * (1 + units + 2) + units + 1
    if model.count_params() != expected:
        raise Incorrect(
            f"{call} has {model.count_params():,} parameters; GRU + Dense(1) have 3u(d+u+2) + u + 1 = {expected:,}."
        )
    return model


def _check_forecaster(fn: Any) -> None:
    for width, units, seed in ((SHORT_WINDOW, 16, 0), (50, 8, 3)):
        model = _check_one_forecaster(fn, width, units, seed)
        if not _same_weights(model, fn(width, units, seed, case="a second call")):
            raise Incorrect(
                "two calls with the same seed built different initial weights: give every layer a seeded "
                "initializer, e.g. kernel_initializer=keras.initializers.GlorotUniform(seed=seed) and "
                "recurrent_initializer=keras.initializers.Orthogonal(seed=seed)."
            )
        if _same_weights(model, fn(width, units, seed + 1, case="another seed")):
            raise Incorrect("another seed built the same weights: pass `seed` to the initializers.")


q3 = FunctionExercise(
    "Exercise 4.3 (★★☆)",
    reference=build_forecaster,
    check_fn=_check_forecaster,
    hints=[
        "keras.Sequential([keras.Input(shape=(width, 1)), keras.layers.GRU(units, name='embedding'), "
        "keras.layers.Dense(1, name='forecast')]) has the right shape; then seed it.",
        "A Keras layer draws its initial weights from its initializers. Pass "
        "kernel_initializer=keras.initializers.GlorotUniform(seed=seed) to GRU and Dense, and "
        "recurrent_initializer=keras.initializers.Orthogonal(seed=seed) to GRU.",
    ],
    solution=(
        "def build_forecaster(width, units=16, seed=0):\n"
        "    init = keras.initializers\n"
        "    return keras.Sequential(\n"
        "        [\n"
        "            keras.Input(shape=(width, 1)),\n"
        "            keras.layers.GRU(\n"
        "                units,\n"
        "                kernel_initializer=init.GlorotUniform(seed=seed),\n"
        "                recurrent_initializer=init.Orthogonal(seed=seed),\n"
        '                name="embedding",\n'
        "            ),\n"
        '            keras.layers.Dense(1, kernel_initializer=init.GlorotUniform(seed=seed), name="forecast"),\n'
        "        ],\n"
        '        name="gru_forecaster",\n'
        "    )"
    ),
    context=lambda: {"keras": __import__("keras")},
)


# --------------------------------------------------------------------------- Exercise 4.4 (experiment)
@lru_cache(maxsize=1)
def ecg_split() -> dict[str, Any]:
    """The lesson's ECG-like series, scaled with the training period, and its three-way cut.

    Returns
    -------
    dict
        ``x`` (ndarray of shape (6000,), float32, scaled with the mean and std of the fit
        part), ``labels`` (ndarray of shape (6000,)), ``events`` (DataFrame), ``n_fit`` (models are
        fitted on ``x[:n_fit]``), ``n_clean`` (``x[n_fit:n_clean]`` is the clean tail that sets
        thresholds; ``x[n_clean:]`` is the test period).
    """
    from anomaly_helpers import synthetic

    ecg = synthetic.make_ecg_like(**ECG_SERIES)
    x_raw = ecg.values[:, 0]
    n_clean = int(CLEAN_FRACTION * len(x_raw))
    n_fit = int(FIT_FRACTION * n_clean)
    x = ((x_raw - x_raw[:n_fit].mean()) / x_raw[:n_fit].std()).astype("float32")  # scaled with the fit part
    x.setflags(write=False)
    return {"x": x, "labels": ecg.labels, "events": ecg.events, "n_fit": n_fit, "n_clean": n_clean}


def knn_window_scores(x: Any, w: int, n_fit: int, n_neighbors: int = KNN_NEIGHBORS) -> np.ndarray:
    """kNN on raw windows: the window ending at sample t (its w past samples and x_t) scores sample t.

    Parameters
    ----------
    x : ndarray of shape (n_timesteps,)
    w : int
        Number of past samples in a window (a window holds ``w + 1`` samples).
    n_fit : int
        The detector is fitted on the windows that end before ``n_fit``.
    n_neighbors : int, default KNN_NEIGHBORS

    Returns
    -------
    ndarray of shape (n_timesteps,)
        Mean distance to the ``n_neighbors`` nearest fit windows; 0 for the first ``w`` samples.
    """
    from anomaly_helpers import detectors, series

    windows = series.sliding_windows(np.asarray(x, dtype="float32"), w + 1)[..., 0]  # window i ends at i + w
    knn = detectors.KNNDetector(n_neighbors=n_neighbors, scale=False).fit(windows[: n_fit - w])
    return np.concatenate([np.zeros(w), knn.decision_function(windows)])


def evaluate_scores(scores: Any, name: str = "scores") -> dict[str, Any]:
    """Threshold ``scores`` on the clean tail (1 % budget) and report the test period.

    Returns a dict: ``threshold``, ``pr_auc``, ``events_detected``, ``missing_found`` (missing beats with
    a score at or above the threshold), ``false_alarm_rate`` (share of normal test samples flagged).
    """
    from anomaly_helpers import metrics, scoring

    cut = ecg_split()
    s = np.asarray(scores, dtype=float)
    n_fit, n_clean, labels, events = cut["n_fit"], cut["n_clean"], cut["labels"], cut["events"]
    tau = scoring.threshold_percentile(s[n_fit:n_clean], contamination=CONTAMINATION)
    report = metrics.series_report(labels[n_clean:], s[n_clean:], tau, name=name)
    missing = events[events["kind"] == "missing_beat"]
    y_test = labels[n_clean:]
    return {
        "threshold": float(tau),
        "pr_auc": float(report["pr_auc"].iloc[0]),
        "events_detected": int(report["events_detected"].iloc[0]),
        "missing_found": int(sum(bool((s[a:b] >= tau).any()) for a, b in zip(missing.start, missing.end, strict=True))),
        "false_alarm_rate": float((s[n_clean:][y_test == 0] >= tau).mean()),
    }


@lru_cache(maxsize=16)
def knn_window_result(w: int) -> dict[str, Any]:
    """:func:`evaluate_scores` of :func:`knn_window_scores` on the lesson's series, for ``w`` past samples."""
    cut = ecg_split()
    return evaluate_scores(knn_window_scores(cut["x"], w, cut["n_fit"]), name=f"kNN, w = {w}")


def better_window(w_long: int) -> str:
    """'long' if the kNN with ``w_long`` past samples has a higher test PR-AUC than with SHORT_WINDOW, else 'short'."""
    return "long" if knn_window_result(w_long)["pr_auc"] > knn_window_result(SHORT_WINDOW)["pr_auc"] else "short"


def _check_experiment(answer: Any) -> None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise Incorrect(f"give the tuple (w_long, pr_auc_long, keep), got {short_repr(answer)}.")
    w_long, pr_auc_long, keep = answer
    if isinstance(w_long, bool) or not isinstance(w_long, (int, np.integer)):
        raise Incorrect(f"w_long must be a whole number of samples, got {short_repr(w_long)}.")
    low, high = LONG_WINDOW_RANGE
    if not low <= int(w_long) <= high:
        raise Incorrect(
            f"w_long = {int(w_long)}: the experiment asks for about one beat or longer — pick between {low} and "
            f"{high} samples (a beat lasts about 83 samples)."
        )
    result = knn_window_result(int(w_long))
    check_number(pr_auc_long, result["pr_auc"], what="pr_auc_long (the test PR-AUC printed for your window)")
    if not isinstance(keep, str) or keep.strip().lower() not in ("short", "long"):
        raise Incorrect(f"keep must be 'short' or 'long', got {short_repr(keep)}.")
    short = knn_window_result(SHORT_WINDOW)["pr_auc"]
    right = better_window(int(w_long))
    if keep.strip().lower() != right:
        raise Incorrect(
            f"with w = {int(w_long)} the test PR-AUC is {result['pr_auc']:.3f}, with w = {SHORT_WINDOW} it is "
            f"{short:.3f}: keep the window that ranks the anomalies better ('{right}')."
        )


q4 = CustomExercise(
    "Exercise 4.4 (★★☆)",
    check_fn=_check_experiment,
    reference=lambda: (100, knn_window_result(100)["pr_auc"], better_window(100)),
    what_to_give="the tuple (w_long, pr_auc_long, keep)",
    hints=[
        "Set w_long to a number of samples between 80 and 300, run the cell, and read pr_auc_long off the printed "
        "table (3 decimals).",
        "keep is 'long' only if your longer window's test PR-AUC beats the short window's.",
    ],
    solution=(
        "w_long = 100\n"
        'pr_auc_long = knn_window_result(w_long)["pr_auc"]   # {pr_auc_long:.3f}, against {pr_auc_short:.3f} '
        "for w = {short}\n"
        'keep = "long" if pr_auc_long > pr_auc_short else "short"   # {keep}\n'
        "experiment = (w_long, round(pr_auc_long, 3), keep)"
    ),
    context=lambda: {
        "knn_window_result": knn_window_result,
        "pr_auc_short": knn_window_result(SHORT_WINDOW)["pr_auc"],
        "short": SHORT_WINDOW,
    },
)


# --------------------------------------------------------------------------- Exercise 4.5
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


q5 = FunctionExercise(
    "Exercise 4.5 (★★☆)",
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
q6 = ChoiceExercise(
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
        "c": "truncating backpropagation through time cuts the long paths off altogether: it makes long "
        "dependencies harder to learn, not easier. LSTMs are trained through time like any RNN.",
    },
    hints=["Write ∂c_t/∂c_{t-1} for the LSTM cell state and compare it with diag(1 - h_t²) U for the simple RNN."],
)

q7 = ChoiceExercise(
    "Question 4.2 (★☆☆)",
    answer="c",
    choices=["a", "b", "c", "d"],
    explanation=(
        "A threshold must come from scores the model has not been fitted on and that contain no test data: "
        "the clean tail held out from fitting. Scores on fitted windows are too small, so a percentile of them "
        "sits too low and flags more than the budget on new normal data."
    ),
    why_not={
        "a": "the best F1 on the test labels is tuned on the test set: the reported F1 is then not an estimate.",
        "b": "the forecaster was fitted on those windows, so their errors are smaller than on new normal data; "
        "the threshold is biased low and the false alarms exceed the budget (section 3 measures it).",
        "d": "the test errors contain the anomalies you want to find; a percentile of them depends on how many "
        "anomalies the test part happens to contain.",
    },
    hints=["Which choice uses neither test data nor data the model was fitted on?"],
)

q8 = ChoiceExercise(
    "Question 4.3 (★★☆)",
    answer="a",
    choices=["a", "b", "c"],
    explanation=(
        "Fixed windows cut each beat at a different phase, so with few beats the autoencoder must learn every "
        "phase shift; R-peak alignment removes that nuisance and leaves only the differences between beats. "
        "(kNN, which memorises the training windows instead, ranked the abnormal beat first on both cuts; and the "
        "excerpt has one abnormal beat, n = 1.)"
    ),
    why_not={
        "b": "the aligned beats carry fewer training examples, not more (one per beat instead of many "
        "overlapping windows).",
        "c": "both cuts were scaled with the mean and standard deviation of the training part only.",
    },
    hints=["Compare the final training loss of the two autoencoders in section 6: which one could learn 'normal'?"],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (lambda: rnn_step, lambda: lambda x, h, W, U, b: np.tanh(x @ W + h @ U)),
    "q2": (lambda: steps_to_vanish(0.8, 0.01), lambda: steps_to_vanish(0.8, 0.01) - 1),
    "q3": (lambda: build_forecaster, lambda: _unseeded_forecaster),
    "q4": (
        lambda: (100, round(knn_window_result(100)["pr_auc"], 3), better_window(100)),
        lambda: (
            100,
            round(knn_window_result(100)["pr_auc"], 3),
            {"long": "short", "short": "long"}[better_window(100)],
        ),
    ),
    "q5": (
        lambda: rolling_zscore,
        lambda: lambda x, w: np.abs(x - np.mean(x)) / np.std(x),
    ),
    "q6": (lambda: "b", lambda: "a"),
    "q7": (lambda: "c", lambda: "b"),
    "q8": (lambda: "a", lambda: "b"),
}


def _unseeded_forecaster(width: int, units: int = 16, seed: int = 0) -> Any:
    """The typical mistake of exercise 4.3: the right model, with unseeded initializers."""
    import keras

    return keras.Sequential(
        [keras.Input(shape=(width, 1)), keras.layers.GRU(units, name="embedding"), keras.layers.Dense(1)]
    )
