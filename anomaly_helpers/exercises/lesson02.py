"""Exercises of lesson 02 · Data preprocessing."""

from __future__ import annotations

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, FunctionExercise, Incorrect
from anomaly_helpers.exercises.feedback import compare
from anomaly_helpers.exercises.progress import progress_of

#: Arguments of ``synthetic.make_ecg_like`` for the noisy series of section 1.2 of the lesson (lead 0 is used).
ECG_SERIES = {"n_samples": 12 * 250, "fs": 250, "noise": 0.1, "random_state": 0}
#: The 5-sample spike that exercise 2.1 adds to that series: first sample, length, height.
SPIKE = {"start": 2513, "width": 5, "height": 2.0}
#: Exercise 2.1 keeps a spike when the filter leaves at least this share of its raw height.
KEEP_SHARE = 0.5


def spike_series() -> tuple[np.ndarray, np.ndarray, slice]:
    """The series of exercise 2.1: ``(x, x_true, spike)``.

    ``x`` is the noisy ECG-like series of the lesson (lead 0) with a spike of ``SPIKE["width"]``
    samples added, ``x_true`` the same series without noise and without the spike, ``spike`` the
    slice of the spike's samples.
    """
    from anomaly_helpers.synthetic import make_ecg_like

    args = dict(ECG_SERIES)
    n = args.pop("n_samples")
    x = make_ecg_like(n, n_anomalies=0, **args).values[:, 0].copy()
    x_true = make_ecg_like(n, n_anomalies=0, **{**args, "noise": 0.0}).values[:, 0]
    spike = slice(SPIKE["start"], SPIKE["start"] + SPIKE["width"])
    x[spike] += SPIKE["height"]
    return x, x_true, spike


def measure_window(window: int) -> tuple[float, float]:
    """``(spike_left, noise_left)`` after a rolling median of ``window`` samples on :func:`spike_series`.

    ``spike_left`` is max |filtered - x_true| on the spike's samples (what a detector could still see),
    ``noise_left`` the root mean square of filtered - x_true everywhere else (the noise not removed).
    """
    from anomaly_helpers.preprocessing import rolling_median

    x, x_true, spike = spike_series()
    error = np.abs(rolling_median(x, window) - x_true)
    outside = np.ones(len(x), dtype=bool)
    outside[spike] = False
    return float(error[spike].max()), float(np.sqrt(np.mean(error[outside] ** 2)))


def best_window(max_window: int = 51) -> int:
    """The odd window with the least noise left among those that keep ``KEEP_SHARE`` of the raw spike (measured)."""
    raw = measure_window(1)[0]
    keeping = {w: measure_window(w)[1] for w in range(1, max_window + 1, 2) if measure_window(w)[0] >= KEEP_SHARE * raw}
    return min(keeping, key=keeping.get)


def _best_answer(window: int | None = None) -> tuple[int, float, float]:
    window = best_window() if window is None else window
    return (window, *measure_window(window))


def _check_window(answer) -> None:
    import numbers

    from anomaly_helpers.exercises.feedback import check_number

    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise Incorrect("pass three values: `ex.q1.check((window, spike_left, noise_left))`.")
    window, spike_got, noise_got = answer
    if any(v is Ellipsis for v in answer):
        raise Incorrect("set all three of window, spike_left and noise_left (one is still `...`).")
    if isinstance(window, bool) or not isinstance(window, numbers.Integral) or window < 1 or window % 2 == 0:
        raise Incorrect(f"window must be an odd whole number of samples (1, 3, 5, ...), got {window!r}.")
    window = int(window)
    (spike, noise), raw = measure_window(window), measure_window(1)[0]
    check_number(spike_got, spike, what=f"spike_left (window {window})", rtol=1e-3)
    check_number(noise_got, noise, what=f"noise_left (window {window})", rtol=1e-3)
    if spike < KEEP_SHARE * raw:
        raise Incorrect(
            f"at window {window} only {spike:.3f} of the spike's {raw:.3f} is left: the filter erased it. "
            f"A bump of {SPIKE['width']} samples survives only while {SPIKE['width']} > window // 2; "
            "try smaller windows."
        )
    best = best_window()
    if window != best:
        raise Incorrect(
            f"window {window} keeps the spike ({spike:.3f} of {raw:.3f}), but another window that keeps it "
            f"leaves less noise than your {noise:.3f}: measure the windows around {window}."
            + (
                " (The largest window is not the least noisy one: a wide median also flattens the R peaks.)"
                if window > best
                else ""
            )
        )


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


def _q1_context() -> dict:
    rule = 2 * SPIKE["width"] - 1  # the largest window the rule w > window // 2 allows
    return {
        "measure": measure_window,
        "raw": measure_window(1)[0],
        "rule": rule,
        "at_rule": measure_window(rule),
        "past_rule": measure_window(rule + 2),
    }


q1 = CustomExercise(
    "Exercise 2.1 (★★☆)",
    check_fn=_check_window,
    reference=_best_answer,
    what_to_give="three values (window, spike_left, noise_left): an odd window and what it leaves",
    hints=[
        "Try windows with `measure(window)` (defined above in the lesson): 5, 7, 9, 11, ... "
        "Where does spike_left collapse? Among the windows before it, which leaves the least noise?",
        f"The rule of section 1.2: a bump of w samples survives a centred median while w > window // 2 "
        f"(w = {SPIKE['width']} here). Noise falls with the window at first, then rises again.",
    ],
    solution=(
        "window = 7\n"
        "spike_left, noise_left = measure(window)\n"
        "answer = (window, spike_left, noise_left)"
        "   # keeps {spike_left:.3f} of {raw:.3f}, noise {noise_left:.3f}; window {rule}: noise {at_rule[1]:.3f}, "
        "window {rule + 2}: spike {past_rule[0]:.3f}"
    ),
    context=_q1_context,
)


def _compare_min_max(got, expected, args) -> None:
    """Known mistakes of exercise 2.2: the data's own min/max (the leak), or one min/max for the whole array."""
    X_train, X = (np.asarray(a, dtype=float) for a in args)
    got_arr = np.asarray(got, dtype=float) if np.shape(got) == np.shape(expected) else None
    if got_arr is not None and not np.allclose(got_arr, expected, rtol=1e-9, atol=1e-12):
        own = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
        if np.allclose(got_arr, own, rtol=1e-9, atol=1e-12):
            raise Incorrect(
                "you scaled X with its own minimum and maximum — that is the leak of section 2: on test data "
                "the test rows would set the range. Learn x_min and x_max from X_train (axis=0) and apply them to X."
            )
        flat = (X - X_train.min()) / (X_train.max() - X_train.min())
        if np.allclose(got_arr, flat, rtol=1e-9, atol=1e-12):
            raise Incorrect("you used one minimum and maximum for the whole array; take them per column (axis=0).")
    compare(got, expected, what="your result", rtol=1e-9, accept_rounded=False, reveal=True)


q2 = FunctionExercise(
    "Exercise 2.2 (★☆☆)",
    reference=_min_max_reference,
    cases=_min_max_cases,
    tolerance=1e-9,
    compare=_compare_min_max,
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
        "d": "transform (not fit) on the test set applies what was learnt from training data: this step is right.",
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
        "often than normal rows. Split first, impute with statistics of the training rows, and test whether a "
        "missing-value indicator helps (in the lesson it was no consistent gain)."
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
    "q1": (_best_answer, lambda: _best_answer(11)),  # wrong: window 11 erases the spike
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
