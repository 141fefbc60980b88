"""Exercises of lesson 05 · Training: losses and optimisers.

Exercises 5.1, 5.2 and 5.4 sit in the lesson's sections, exercise 5.3 (``q8``, an experiment) in section 5 and
exercise 5.5 (``q3``, Adam by hand) in a Going-further section; questions 5.1-5.3 (``q5``-``q7``) are its "Check yourself".
The reference solutions are public functions here (:func:`reconstruction_losses`,
:func:`binary_cross_entropy`, :func:`adam_step`, :func:`balanced_class_weights`), so that the lesson's later
cells use them and never depend on the learner's answers.
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
from anomaly_helpers.exercises.progress import progress_of

#: Keras' default ``epsilon``: probabilities are clipped to [EPSILON, 1 - EPSILON] before the logarithm.
EPSILON = 1e-7


# --------------------------------------------------------------------------- Exercise 5.1
def reconstruction_losses(X: Any, X_hat: Any) -> tuple[float, float]:
    """Return ``(MSE, MAE)`` of a reconstruction, each averaged over every entry.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The inputs.
    X_hat : ndarray of shape (n_samples, n_features)
        Their reconstructions.

    Returns
    -------
    tuple of float
        ``mean((X - X_hat) ** 2)`` and ``mean(|X - X_hat|)`` — what ``keras.losses.MeanSquaredError()`` and
        ``keras.losses.MeanAbsoluteError()`` return (mean over the features, then over the samples).
    """
    err = np.asarray(X, dtype=float) - np.asarray(X_hat, dtype=float)
    return float(np.mean(err**2)), float(np.mean(np.abs(err)))


def _loss_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(6, 4))
    return [
        (X, X + rng.normal(scale=0.5, size=X.shape)),
        (np.zeros((3, 2)), np.array([[1.0, -1.0], [2.0, 0.0], [0.0, -3.0]])),
        (np.array([[1.0, 2.0, 3.0]]), np.array([[1.0, 2.0, 3.0]])),
    ]


def _compare_pair(got: Any, expected: tuple[float, float], args: tuple) -> None:
    if isinstance(got, (str, dict)) or np.shape(got) != (2,):
        raise Incorrect(f"return two numbers, `return mse, mae`; got {short_repr(got)}.")
    for what, g, e in (("MSE", got[0], expected[0]), ("MAE", got[1], expected[1])):
        try:
            g = float(np.asarray(g))
        except (TypeError, ValueError):
            raise Incorrect(f"your {what} should be a single number, got {short_repr(g)}.") from None
        if not math.isclose(g, e, rel_tol=1e-6, abs_tol=1e-9):
            if what == "MSE" and math.isclose(g, math.sqrt(e), rel_tol=1e-6):
                raise Incorrect("your MSE is the root of the mean squared error (RMSE); drop the square root.")
            if what == "MSE" and math.isclose(g, float(np.sum((args[0] - args[1]) ** 2)), rel_tol=1e-6):
                raise Incorrect("your MSE is a sum, not a mean: divide by the number of entries (use np.mean).")
            raise Incorrect(f"your {what} is {g:.6g} but should be {e:.6g} on a test case.")


q1 = FunctionExercise(
    "Exercise 5.1 (★☆☆)",
    reference=reconstruction_losses,
    cases=_loss_cases,
    compare=_compare_pair,
    hints=[
        "Compute the error matrix `err = X - X_hat` once; MSE squares it, MAE takes its absolute value.",
        "Average over *every* entry with `np.mean(...)`, and return the two numbers as a tuple: `return mse, mae`.",
    ],
    solution=(
        "def reconstruction_losses(X, X_hat):\n    err = X - X_hat\n    return np.mean(err ** 2), np.mean(np.abs(err))"
    ),
)


# --------------------------------------------------------------------------- Exercise 5.2
def binary_cross_entropy(y: Any, p: Any, eps: float = EPSILON) -> float:
    """Mean binary cross-entropy of predicted probabilities, clipped as Keras does.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        True labels, 0 or 1 (1 = anomaly).
    p : ndarray of shape (n_samples,)
        Predicted probabilities of class 1.
    eps : float, default 1e-7
        ``p`` is clipped to ``[eps, 1 - eps]`` so that ``log(0)`` never happens.

    Returns
    -------
    float
        ``-mean(y log p + (1 - y) log(1 - p))``.
    """
    y = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _bce_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    return [
        (np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.6, 0.4])),
        (np.array([1.0, 1.0, 0.0]), np.array([0.01, 0.5, 0.99])),
        (np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.0, 1.0, 1.0, 0.0])),  # needs the clipping
    ]


q2 = FunctionExercise(
    "Exercise 5.2 (★★☆)",
    reference=binary_cross_entropy,
    cases=_bce_cases,
    tolerance=1e-6,
    hints=[
        "Per sample the loss is -(y * log(p) + (1 - y) * log(1 - p)); return the mean over the samples.",
        "A probability of exactly 0 or 1 makes log(0) = -inf. Clip first: `p = np.clip(p, eps, 1 - eps)`.",
    ],
    solution=(
        "def binary_cross_entropy(y, p, eps=1e-7):\n"
        "    p = np.clip(p, eps, 1 - eps)\n"
        "    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))"
    ),
)


# --------------------------------------------------------------------------- Exercise 5.5 (q3)
def adam_step(
    theta: Any,
    grad: Any,
    m: Any,
    v: Any,
    t: int,
    lr: float = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = EPSILON,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One Adam update (Kingma & Ba, 2015); returns the new ``(theta, m, v)``.

    Parameters
    ----------
    theta, grad, m, v : ndarray of shape (n_params,)
        Parameters, their gradient, and the first and second moment estimates.
    t : int
        The step number, starting at 1 (for the bias correction).
    lr, beta1, beta2, eps : float
        Keras' defaults.

    Returns
    -------
    tuple of ndarray
        ``theta - lr * m_hat / (sqrt(v_hat) + eps)``, the new ``m`` and the new ``v``.
    """
    grad = np.asarray(grad, dtype=float)
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return np.asarray(theta, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def _adam_cases() -> list[tuple]:
    theta = np.array([0.5, -1.0, 2.0])
    grad = np.array([0.1, -3.0, 0.0])
    zeros = np.zeros(3)
    return [
        (theta, grad, zeros, zeros, 1),
        (theta, grad, np.array([0.05, -0.2, 0.01]), np.array([0.001, 0.5, 0.0001]), 5, 0.01),
        (theta, np.array([1e-3, 2.0, -0.5]), np.array([0.0, 1.0, -0.1]), np.array([0.01, 2.0, 0.3]), 100),
    ]


def _compare_adam(got: Any, expected: tuple, args: tuple) -> None:
    if not isinstance(got, tuple | list) or len(got) != 3:
        raise Incorrect(f"return a tuple (theta, m, v), got {type(got).__name__}.")
    for what, g, e in zip(("theta", "m", "v"), got, expected, strict=True):
        g = np.asarray(g, dtype=float)
        if g.shape != e.shape or not np.allclose(g, e, rtol=1e-6, atol=1e-9):
            hint = ""
            if what == "theta":
                t, lr = args[4], args[5] if len(args) > 5 else 0.001
                m_new, v_new = expected[1], expected[2]
                plain = np.asarray(args[0]) - lr * m_new / (np.sqrt(v_new) + EPSILON)
                if g.shape == plain.shape and np.allclose(g, plain, rtol=1e-6, atol=1e-9) and t > 0:
                    hint = " It looks like the bias correction is missing: divide m by (1 - beta1**t), v by (1 - beta2**t)."
            raise Incorrect(f"the new {what} differs from the expected one on a test case (step t={args[4]}).{hint}")


q3 = FunctionExercise(
    "Exercise 5.5 (★★★)",
    reference=adam_step,
    cases=_adam_cases,
    compare=_compare_adam,
    hints=[
        "Update the moments first: m = beta1 * m + (1 - beta1) * grad, v = beta2 * v + (1 - beta2) * grad**2.",
        "Then correct their bias towards 0: m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t); the step is "
        "theta - lr * m_hat / (np.sqrt(v_hat) + eps). Return theta, m, v (the *uncorrected* m and v).",
    ],
    solution=(
        "def adam_step(theta, grad, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):\n"
        "    m = beta1 * m + (1 - beta1) * grad\n"
        "    v = beta2 * v + (1 - beta2) * grad**2\n"
        "    m_hat = m / (1 - beta1**t)\n"
        "    v_hat = v / (1 - beta2**t)\n"
        "    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v"
    ),
)


# --------------------------------------------------------------------------- Exercise 5.4
def balanced_class_weights(y: Any) -> dict[int, float]:
    """Class weights ``w_c = n / (2 n_c)`` (scikit-learn's "balanced"): both classes weigh the same in total.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        0/1 labels with both classes present.

    Returns
    -------
    dict
        ``{0: n / (2 n_0), 1: n / (2 n_1)}``, ready for ``fit_model(class_weight=...)``.
    """
    y = np.asarray(y)
    n, n1 = y.shape[0], int(np.sum(y == 1))
    return {0: float(n / (2 * (n - n1))), 1: float(n / (2 * n1))}


def _weights_cases() -> list[tuple[np.ndarray]]:
    return [
        (np.array([0] * 90 + [1] * 10),),
        (np.array([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]),),
        (np.array([0, 1] * 5),),
    ]


def class_weights_of(answer: Any, what: str = "your dict") -> dict[int, float]:
    """``{0: w0, 1: w1}`` from a learner's dict (keys may be NumPy integers), or Incorrect saying why not."""
    if not isinstance(answer, Mapping):
        raise Incorrect(f"give a dict such as {{0: 0.5, 1: 5.0}}, got {short_repr(answer)}.")
    keys = {int(k) if isinstance(k, (numbers.Integral, np.integer)) and not isinstance(k, bool) else k for k in answer}
    if keys != {0, 1}:
        raise Incorrect(f"{what} needs exactly the keys 0 and 1 (the classes), got {sorted(map(str, answer))}.")
    try:
        return {int(k): float(v) for k, v in answer.items()}
    except (TypeError, ValueError):
        raise Incorrect("the weights must be numbers.") from None


def check_class_weights(answer: Any, expected: dict[int, float], otherwise: str, rtol: float = 1e-6) -> None:
    """Raise Incorrect unless ``answer`` holds the balanced weights ``expected``, naming the usual mistakes.

    ``otherwise`` is the message when no known mistake fits.
    """
    got = class_weights_of(answer)
    w0, w1 = got[0], got[1]
    if math.isclose(w0, expected[0], rel_tol=rtol) and math.isclose(w1, expected[1], rel_tol=rtol):
        return
    if math.isclose(w0, expected[1], rel_tol=rtol) and math.isclose(w1, expected[0], rel_tol=rtol):
        raise Incorrect("the weights are swapped: the *rare* class (1 = anomaly) gets the *large* weight.")
    if w0 > 0 and math.isclose(w1 / w0, expected[1] / expected[0], rel_tol=rtol):
        raise Incorrect(
            "the ratio is right, but the scale is not: use w_c = n / (2 n_c), so that the average weight over "
            "the rows is 1 and the learning rate keeps its meaning."
        )
    if w0 > w1:
        raise Incorrect("the rare class (1, anomaly) must get the *larger* weight; yours are the other way round.")
    raise Incorrect(otherwise)


def _compare_weights(got: Any, expected: dict[int, float], args: tuple) -> None:
    n1 = int(np.sum(np.asarray(args[0]) == 1))
    check_class_weights(
        got, expected, f"for {len(args[0])} labels with {n1} anomalies use w_c = n / (2 n_c) for each class c."
    )


q4 = FunctionExercise(
    "Exercise 5.4 (★☆☆)",
    reference=balanced_class_weights,
    cases=_weights_cases,
    compare=_compare_weights,
    hints=[
        "Count n (all labels), n_1 = (y == 1).sum() and n_0 = n - n_1.",
        "w_c = n / (2 * n_c): then n_0 * w_0 = n_1 * w_1 = n / 2, so both classes weigh the same in total.",
    ],
    solution=(
        "def balanced_class_weights(y):\n"
        "    n, n1 = len(y), int((y == 1).sum())\n"
        "    return {0: n / (2 * (n - n1)), 1: n / (2 * n1)}"
    ),
)


# --------------------------------------------------------------------------- Exercise 5.3 (q8, an experiment)
#: How the autoencoders of exercise 5.3 are trained (no validation data: the training rows are not clean).
#: 20 epochs keep the lesson's two live fits short; study ``wbc_contamination_mse_vs_mae`` (five initialisations)
#: reached the same conclusion with 40.
CONTAMINATION_FIT = {"epochs": 20, "batch_size": 32, "optimizer": "adam", "learning_rate": 0.01, "patience": None}
#: Largest number of malignant rows exercise 5.3 can mix into the training rows.
MAX_CONTAMINATING = 60
#: Two ROC-AUCs closer than this are "no clear difference" in exercise 5.3 (one run, 13 test anomalies).
AUC_MARGIN = 0.02


def contaminated_wbc(n_contaminating: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lesson 05's WBC split with ``n_contaminating`` extra malignant rows mixed into the training rows.

    The extra rows are malignant tumours of the breast-cancer table that are *not* in the WBC subset, so none
    of them is a test row. The scaler is fitted on the contaminated training rows (nobody knows they are there).

    Returns
    -------
    X_train : ndarray of shape (179 + n_contaminating, 30)
    X_test : ndarray of shape (120, 30)
    y_test : ndarray of shape (120,)
    """
    from sklearn.preprocessing import StandardScaler

    from anomaly_helpers import datasets, splits

    n = int(n_contaminating)
    if not 0 <= n <= MAX_CONTAMINATING:
        raise ValueError(f"n_contaminating must be between 0 and {MAX_CONTAMINATING}, got {n}; pass e.g. 30.")
    X, y = datasets.make_wbc(random_state=0)
    split = splits.one_class_split(X, y, test_size=0.3, val_size=0.2, random_state=0)
    X_all, y_all = datasets.load_breast_cancer()
    in_wbc = {tuple(row) for row in X.to_numpy()}
    pool = [row for row in X_all.to_numpy()[y_all.to_numpy() == 1] if tuple(row) not in in_wbc]
    extra = np.random.default_rng(0).permutation(np.array(pool))[:n]
    X_train = np.vstack([split.X_train.to_numpy(), extra])
    scaler = StandardScaler().fit(X_train)
    return (
        scaler.transform(X_train).astype("float32"),
        scaler.transform(split.X_test.to_numpy()).astype("float32"),
        split.y_test.to_numpy(),
    )


@functools.lru_cache(maxsize=64)
def contamination_auc(n_contaminating: int, loss: str, random_state: int = 0) -> float:
    """Test ROC-AUC of lesson 05's autoencoder trained with ``loss`` on contaminated rows (exercise 5.3).

    The 30-16-4-16-30 autoencoder is built with ``random_state`` and trained as :data:`CONTAMINATION_FIT` says on
    :func:`contaminated_wbc` ``(n_contaminating)``; its score is the mean squared reconstruction error per row,
    whatever the training loss, so that only the loss changes. Cached: the check reuses the lesson's runs.

    Parameters
    ----------
    n_contaminating : int
        Malignant rows mixed into the 179 normal training rows, 0 to :data:`MAX_CONTAMINATING`.
    loss : {"mse", "mae"}
        The training loss.
    random_state : int, default 0
        Seeds the initial weights and the batch order.
    """
    from sklearn.metrics import roc_auc_score

    from anomaly_helpers import models, scoring, training

    if loss not in ("mse", "mae"):
        raise ValueError(f"loss must be 'mse' or 'mae', got {loss!r}; pass one of them.")
    X_train, X_test, y_test = contaminated_wbc(n_contaminating)
    model = models.dense_autoencoder(X_train.shape[1], random_state=random_state)
    training.fit_model(
        model, X_train, loss=loss, validation_split=None, verbose="silent", random_state=random_state,
        **CONTAMINATION_FIT,
    )  # fmt: skip
    scores = scoring.reconstruction_error(X_test, training.predict(model, X_test))
    return round(float(roc_auc_score(y_test, scores)), 3)


def contamination_verdict(auc_mse: float, auc_mae: float) -> str:
    """``"mae"`` or ``"mse"`` if that loss's ROC-AUC is higher by more than :data:`AUC_MARGIN`, else ``"same"``."""
    if auc_mae - auc_mse > AUC_MARGIN:
        return "mae"
    if auc_mse - auc_mae > AUC_MARGIN:
        return "mse"
    return "same"


def contamination_report(n_contaminating: int = 30) -> dict[str, Any]:
    """The reference answer of exercise 5.3 for a setting: the measured ROC-AUCs and the verdict."""
    auc_mse = contamination_auc(n_contaminating, "mse")
    auc_mae = contamination_auc(n_contaminating, "mae")
    return {
        "n_contaminating": int(n_contaminating),
        "auc_mse": auc_mse,
        "auc_mae": auc_mae,
        "verdict": contamination_verdict(auc_mse, auc_mae),
    }


def stored_contamination_auc(n_contaminating: int, loss: str, random_state: int = 0) -> float:
    """What :func:`contamination_auc` returned when the study ``wbc_contamination_mse_vs_mae`` ran it.

    The generated answer key quotes these stored figures instead of training again: a training run
    differs in its last digits from one processor to another, and the key must read the same everywhere.
    """
    from anomaly_helpers.studies import load_result

    rows = load_result("wbc_contamination_mse_vs_mae")["rows"]
    for row in rows:
        if row["malignant rows in training"] == n_contaminating and row["seed"] == random_state:
            return float(row[loss.upper()])
    raise ValueError(
        f"the study wbc_contamination_mse_vs_mae holds no run with n_contaminating={n_contaminating} and "
        f"random_state={random_state}; use one it stored (e.g. 30 and 0), or rerun it with that setting."
    )


#: Figures the generated answer key takes from the stored study, not from a fresh training (tools/teacher_guide.py).
ANSWER_KEY_FIGURES = {"contamination_auc": stored_contamination_auc}

_VERDICTS = {"mae": "MAE's ROC-AUC is higher", "mse": "MSE's ROC-AUC is higher", "same": "no clear difference"}


def _check_contamination(answer: Any) -> None:
    if not isinstance(answer, Mapping) or not {"n_contaminating", "auc_mse", "auc_mae", "verdict"} <= set(answer):
        raise Incorrect(
            "give a dict with the keys 'n_contaminating', 'auc_mse', 'auc_mae' and 'verdict', "
            f"e.g. {{'n_contaminating': 30, 'auc_mse': 0.8, 'auc_mae': 0.8, 'verdict': 'same'}}; got {short_repr(answer)}."
        )
    n = answer["n_contaminating"]
    if isinstance(n, bool) or not isinstance(n, (numbers.Integral, np.integer)) or not 1 <= n <= MAX_CONTAMINATING:
        raise Incorrect(f"'n_contaminating' must be a whole number from 1 to {MAX_CONTAMINATING} (0 is no experiment).")
    expected = contamination_report(int(n))
    for key in ("auc_mse", "auc_mae"):
        check_number(answer[key], expected[key], what=f"your '{key}' for {int(n)} contaminating rows", rtol=2e-3)
    verdict = str(answer["verdict"]).strip().lower()
    if verdict not in _VERDICTS:
        raise Incorrect(f"'verdict' must be one of {sorted(_VERDICTS)}, got {short_repr(answer['verdict'])}.")
    if verdict != expected["verdict"]:
        gap = expected["auc_mae"] - expected["auc_mse"]
        raise Incorrect(
            f"your own numbers differ by {gap:+.3f} (MAE minus MSE); a difference counts as clear only beyond "
            f"{AUC_MARGIN} (one run, 13 test anomalies), so the verdict is '{expected['verdict']}' "
            f"({_VERDICTS[expected['verdict']]})."
        )


q8 = CustomExercise(
    "Exercise 5.3 (★★☆)",
    check_fn=_check_contamination,
    reference=contamination_report,
    what_to_give="a dict with the keys 'n_contaminating', 'auc_mse', 'auc_mae' and 'verdict'",
    hints=[
        "Set n_contaminating, run the cell that trains both autoencoders, and copy the two printed ROC-AUCs.",
        f"The verdict is 'mae' or 'mse' when that loss is ahead by more than {AUC_MARGIN}, otherwise 'same'.",
    ],
    solution=(
        "report = {\n"
        "    'n_contaminating': 30,\n"
        "    'auc_mse': contamination_auc(30, 'mse'),   # {report['auc_mse']:.3f}\n"
        "    'auc_mae': contamination_auc(30, 'mae'),   # {report['auc_mae']:.3f}\n"
        "    'verdict': contamination_verdict(contamination_auc(30, 'mse'), contamination_auc(30, 'mae')),"
        "   # {report['verdict']}\n"
        "}"
    ),
    context=lambda: {"contamination_auc": contamination_auc, "contamination_verdict": contamination_verdict},
)


# --------------------------------------------------------------------------- Check yourself
q5 = ChoiceExercise(
    "Question 5.1 (★☆☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "An autoencoder learns to reconstruct whatever it is trained on, anomalies included, under either loss: in "
        "exercise 5.3 both lost much of their ROC-AUC on contaminated rows and, over five initialisations, MAE was "
        "no better. Screen or clean the training rows first, then compare the losses on validation data."
    ),
    why_not={
        "a": "the equal-sized gradient keeps one outlier from dragging a fitted *constant*, but a network has the "
        "capacity to fit the anomalies too: in exercise 5.3 the MAE autoencoder lost as much as the MSE one.",
        "c": "binary cross-entropy needs 0/1 targets (or probabilities); an autoencoder's targets are real-valued "
        "standardised features.",
    },
    hints=["Look at exercise 5.3's table: what happened to *both* losses when anomalies were mixed into training?"],
)

q6 = ChoiceExercise(
    "Question 5.2 (★☆☆)",
    answer="a",
    choices=["a", "b", "c"],
    explanation=(
        "A loss that grows and turns NaN is the classic sign of steps that overshoot: lower the learning "
        "rate and check that the inputs are standardised."
    ),
    why_not={
        "b": "more epochs only take more of the same too-large steps; the optimiser does not recover by itself.",
        "c": "check_learning catches dead or frozen models; it cannot make a diverging optimiser converge. "
        "And a NaN loss means training failed — there is nothing to evaluate.",
    },
    hints=["Look at the learning-rate experiment in section 4: which setting blew up, and why?"],
)

q7 = ChoiceExercise(
    "Question 5.3 (★★☆)",
    answer="c",
    choices=["a", "b", "c"],
    explanation=(
        "Class weights mostly shift the predicted probabilities up for the rare class — much like lowering the "
        "threshold — while the ranking of the samples, which PR-AUC measures, changes little. So choose the "
        "threshold on validation data either way, and judge the model by recall, F1 and PR-AUC."
    ),
    why_not={
        "a": "accuracy is dominated by the normal class; a model that misses every anomaly is still about 90 % "
        "accurate here.",
        "b": "the test set is for reporting only: a threshold tuned on it makes the reported figures optimistic.",
    },
    hints=["What does a class weight change: the order of the scores, or their level?"],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (
        lambda: reconstruction_losses,
        lambda: lambda X, X_hat: (float(np.sqrt(np.mean((X - X_hat) ** 2))), float(np.mean(np.abs(X - X_hat)))),
    ),
    "q2": (
        lambda: binary_cross_entropy,
        lambda: lambda y, p: float(-np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))),
    ),
    "q3": (
        lambda: adam_step,
        lambda: (
            lambda theta, grad, m, v, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7: (
                theta - lr * (beta1 * m + (1 - beta1) * grad) / (np.sqrt(beta2 * v + (1 - beta2) * grad**2) + eps),
                beta1 * m + (1 - beta1) * grad,
                beta2 * v + (1 - beta2) * grad**2,
            )
        ),
    ),
    "q4": (lambda: balanced_class_weights, lambda: lambda y: {0: 1.0, 1: float(np.sum(y == 0) / np.sum(y == 1))}),
    "q5": (lambda: "b", lambda: "a"),
    "q6": (lambda: "a", lambda: "b"),
    "q7": (lambda: "c", lambda: "b"),
    "q8": (
        lambda: contamination_report(30),
        lambda: {
            **contamination_report(30),
            "verdict": "mse" if contamination_report(30)["verdict"] != "mse" else "mae",
        },
    ),
}
