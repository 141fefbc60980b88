"""Exercises of lesson 02 · Data preprocessing."""

from __future__ import annotations

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, FunctionExercise, Incorrect, ValueExercise
from anomaly_helpers.exercises.progress import progress_of

#: Arguments of ``data.make_ecg_like`` for the noisy series with one spike in section 1.2 of the lesson.
SPIKE_SERIES = {
    "n_samples": 12 * 250,
    "fs": 250,
    "noise": 0.1,
    "kinds": ("spike",),
    "n_anomalies": 1,
    "random_state": 0,
}


def _spike():
    """The injected spike of the lesson's series (an event with ``start`` and end-exclusive ``end``)."""
    from anomaly_helpers.data import make_ecg_like

    args = dict(SPIKE_SERIES)
    return make_ecg_like(args.pop("n_samples"), **args).events.iloc[0]


def largest_window() -> int:
    """Largest odd window of a centred rolling median that keeps the spike: w > window // 2, so 2w - 1."""
    spike = _spike()
    return 2 * int(spike.end - spike.start) - 1


def _min_max_reference(X_train: np.ndarray, X: np.ndarray) -> np.ndarray:
    from sklearn.preprocessing import MinMaxScaler

    return MinMaxScaler().fit(X_train).transform(X)


def _min_max_cases() -> list[tuple]:
    rng = np.random.default_rng(7)
    X_train = rng.normal(5.0, 2.0, size=(40, 3))
    X_new = rng.normal(5.0, 4.0, size=(10, 3))  # some values outside the training range
    return [
        (X_train, X_train),
        (X_train, X_new),
        (np.array([[0.0, 10.0], [2.0, 30.0], [4.0, 20.0]]), np.array([[1.0, 40.0], [-2.0, 10.0]])),
    ]


def _jitter_reference(x: np.ndarray, sigma: float, random_state: int) -> np.ndarray:
    from anomaly_helpers.preprocessing import jitter

    return jitter(x, sigma, random_state)


q1 = ValueExercise(
    "Exercise 2.1 (★☆☆)",
    expected=largest_window,
    hints=[
        "Look at the table: in which row does the spike's height collapse?",
        "A centred median over `window` values ignores a bump of w samples when w is at most half the window, "
        "i.e. when w <= window // 2. With w = 3 the bump survives while 3 > window // 2.",
    ],
    solution=(
        "w = spike.end - spike.start   # the spike is {w} samples long\n"
        "largest_window = 2 * w - 1   # {w} > {largest_window} // 2 = {largest_window // 2}, "
        "but {w} > {largest_window + 2} // 2 = {(largest_window + 2) // 2} is false"
    ),
    context=lambda: {"spike": _spike()},
)

q2 = FunctionExercise(
    "Exercise 2.2 (★☆☆)",
    reference=_min_max_reference,
    cases=_min_max_cases,
    tolerance=1e-9,
    hints=[
        "Compute the minimum and maximum of each column of X_train (axis=0) — not of X.",
        "Then return (X - x_min) / (x_max - x_min). Values outside the training range fall outside [0, 1]; "
        "that is correct (MinMaxScaler does the same).",
    ],
    solution=(
        "def min_max_scale(X_train, X):\n"
        "    x_min = X_train.min(axis=0)\n"
        "    x_max = X_train.max(axis=0)\n"
        "    return (X - x_min) / (x_max - x_min)"
    ),
)

q3 = ChoiceExercise(
    "Exercise 2.3 (★★☆)",
    answer="b",
    choices=["a", "b", "c", "d"],
    explanation=(
        "Line b fits the imputer on train and test together: the test rows' values (anomalies included) "
        "decide the medians used to fill the training gaps. Fit every preprocessing step on X_train only."
    ),
    why_not={
        "a": "splitting before any fitting is exactly right: the test set is put aside first.",
        "c": "fit on X_train only, then transform both: that is the correct pattern.",
        "d": "transform (not fit) on the test set applies what was learnt from training data — correct.",
    },
    hints=[
        "Look for a `fit` or `fit_transform` call whose input contains test rows.",
        "`pd.concat([X_train, X_test])` glues the test set back onto the training set.",
    ],
)


def _noise(call, x: np.ndarray, sigma: float, seed: int) -> np.ndarray:
    case = f"x of shape {x.shape}, sigma = {sigma}, random_state = {seed}"
    out = np.asarray(call(x, sigma, seed, case=case), dtype=float)
    if out.shape != x.shape:
        raise Incorrect(f"on {case} your function returned shape {out.shape}; return one value per entry of x.")
    return out - x


def _check_jitter(call) -> None:
    """Properties, not one order of draws: x + N(0, sigma^2) noise, reproducible from random_state."""
    t = np.linspace(0, 200 * np.pi, 20_000)
    x = np.sin(t)
    for sigma in (0.2, 0.05):
        noise = _noise(call, x, sigma, 0)
        std, mean = float(noise.std()), float(noise.mean())
        if np.allclose(noise, -x, atol=1e-9) or std < 1e-12:
            raise Incorrect("your function adds no noise: return x plus normal noise of standard deviation sigma.")
        if abs(np.corrcoef(noise, x)[0, 1]) > 0.5:
            raise Incorrect("the noise depends on x: return x + noise, with noise drawn independently of x.")
        if abs(std - sigma**2) < 0.05 * sigma**2:
            raise Incorrect(f"the noise's standard deviation is sigma**2 = {sigma**2:g}; pass sigma as the scale.")
        if abs(std - sigma) > 0.05 * sigma:
            raise Incorrect(f"with sigma = {sigma} the noise's standard deviation is {std:.4g}; it should be sigma.")
        if abs(mean) > 5 * sigma / np.sqrt(x.size):
            raise Incorrect(f"the noise's mean is {mean:.3g}; it should be 0 (noise centred on x).")
        inside = float(np.mean(np.abs(noise - mean) < sigma))
        if abs(inside - 0.6827) > 0.02:
            raise Incorrect(
                f"{inside:.1%} of the noise lies within one sigma of 0 (a normal law puts 68.3% there): "
                "draw normal (Gaussian) noise, e.g. rng.normal(0.0, sigma, size=x.shape)."
            )
    if not np.array_equal(_noise(call, x, 0.2, 0), _noise(call, x, 0.2, 0)):
        raise Incorrect("two calls with random_state=0 gave different noise: make the generator from random_state.")
    if np.array_equal(_noise(call, x, 0.2, 0), _noise(call, x, 0.2, 1)):
        raise Incorrect("random_state=0 and random_state=1 gave the same noise: seed the generator with random_state.")
    grid = np.zeros((10_000, 2))
    noise = _noise(call, grid, 0.1, 3)
    if abs(np.corrcoef(noise[:, 0], noise[:, 1])[0, 1]) > 0.1 or abs(noise.std() - 0.1) > 0.005:
        raise Incorrect("on a 2-column x the noise must be independent in every entry, with standard deviation sigma.")


q4 = FunctionExercise(
    "Exercise 2.4 (★★☆)",
    reference=_jitter_reference,
    check_fn=_check_jitter,
    answer_name="my_jitter",
    hints=[
        "Build a generator from the seed: rng = np.random.default_rng(random_state).",
        "Draw one normal value per entry of x, with the same shape: rng.normal(0.0, sigma, size=x.shape); "
        "return x plus that noise. (np.random.normal without a generator ignores random_state.)",
    ],
    solution=(
        "def my_jitter(x, sigma, random_state):\n"
        "    rng = np.random.default_rng(random_state)\n"
        "    return x + rng.normal(0.0, sigma, size=x.shape)"
    ),
)

q5 = ChoiceExercise(
    "Question 2.1 (★☆☆)",
    answer="c",
    choices=["a", "b", "c"],
    explanation=(
        "When gaps come with the faults you want to detect, dropping incomplete rows deletes anomalies more "
        "often than normal rows; impute (fitted on training data) and keep a missing-value indicator."
    ),
    why_not={
        "a": "dropping rows removed far more anomalies than normal rows in the lesson — the test set got easier, "
        "not the detector better.",
        "b": "a median computed on the whole dataset uses the test rows: that is the leak of section 2.",
    },
    hints=["Re-read the table in section 1.1: which share of anomalous rows had a gap?"],
)

q6 = ChoiceExercise(
    "Question 2.2 (★☆☆)",
    answer="a",
    choices=["a", "b", "c"],
    explanation=(
        "Min-max scaling uses the two most extreme values of each feature, so a single extreme sample moves "
        "the whole scale; z-score moves less and robust scaling (median, IQR) hardly at all."
    ),
    why_not={
        "b": "the robust scaler uses the median and the interquartile range, which one extreme value hardly moves.",
        "c": "the z-score does move with an extreme value (through the mean and the standard deviation), "
        "but less than min-max, which is set by the extreme value itself.",
    },
    hints=["Which formula contains max(x) directly?"],
)

q7 = ChoiceExercise(
    "Question 2.3 (★★☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "A synthetic anomaly only shows the anomalies you already imagined; a model trained to flag them can "
        "miss every other kind, and its test score (on the same kind) looks better than it is."
    ),
    why_not={
        "a": "the detector can learn synthetic anomalies perfectly well — that is the danger: it learns *those*.",
        "c": "augmentation of *normal* data is fine when the variation it adds is really normal (section 3).",
    },
    hints=["Ask: who decided what the synthetic anomalies look like?"],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables), for tests/test_exercises.py.
ANSWERS = {
    "q1": (largest_window, lambda: largest_window() + 2),
    "q2": (
        lambda: _min_max_reference,
        lambda: lambda X_train, X: (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0)),
    ),
    "q3": (lambda: "b", lambda: "c"),
    "q4": (
        lambda: _jitter_reference,
        lambda: lambda x, sigma, random_state: x + np.random.default_rng(random_state).normal(0.0, sigma**2, x.shape),
    ),
    "q5": (lambda: "c", lambda: "a"),
    "q6": (lambda: "a", lambda: "b"),
    "q7": (lambda: "b", lambda: "a"),
}
