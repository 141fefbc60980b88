"""Training Keras models quietly and reproducibly, and checking that they learn.

* :func:`fit_model` trains with early stopping on a *validation* set, printing one short,
  deterministic line per epoch (no timings, no progress bar), so notebook outputs compare
  exactly under nbval.
* :func:`check_learning` answers "does it learn at all?": the loss falls, the weights move,
  the outputs are not constant. It catches a learning rate of 0, a frozen model, dead units.
* :func:`predict` is ``model.predict`` without the progress bar and with shape checks.

Used in lesson 05 (training) and lesson 07 (the article's code example).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np

from anomaly_helpers._fitting import EpochPrinter, fit_model
from anomaly_helpers._keras_common import check_model
from anomaly_helpers._training_data import check_input
from anomaly_helpers._validate import check_fraction, check_positive_int

__all__ = ["fit_model", "predict", "snapshot_weights", "check_learning", "LearningCheck", "EpochPrinter"]


def predict(model: keras.Model, X: Any, batch_size: int = 256) -> np.ndarray:
    """Return ``model``'s outputs for ``X`` as a NumPy array, without a progress bar.

    Parameters
    ----------
    model : keras.Model
    X : ndarray of shape (n_samples, ...)
        Must match ``model.input_shape`` after the first axis.
    batch_size : int, default 256

    Returns
    -------
    ndarray of shape (n_samples, ...)
        ``model.output_shape`` with ``n_samples`` rows (float32).

    See Also
    --------
    anomaly_helpers.scoring : turns reconstructions into anomaly scores (lesson 05).
    """
    model = check_model(model)
    batch_size = check_positive_int(batch_size, "batch_size")
    X = check_input(X, model, "X")
    return np.asarray(model.predict(X, batch_size=batch_size, verbose=0))


def snapshot_weights(model: keras.Model) -> list[np.ndarray]:
    """Return a copy of all of ``model``'s weights, to compare after training.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    list of ndarray
        One array per weight variable (``model.get_weights()``, copied).

    See Also
    --------
    check_learning : pass the snapshot as ``weights_before``.
    """
    return [np.array(w, copy=True) for w in check_model(model).get_weights()]


@dataclass
class LearningCheck:
    """Result of :func:`check_learning`: ``passed`` and one readable finding per check.

    Attributes
    ----------
    passed : bool
        True when every check passed.
    findings : list of str
        Each starts with ``"ok:"`` or ``"FAIL:"``.
    details : dict of str to float
        The measured figures: ``loss_drop`` (relative), ``max_weight_change`` (if a snapshot
        was given), ``prediction_std``.
    """

    passed: bool
    findings: list[str] = field(default_factory=list)
    details: dict[str, float] = field(default_factory=dict)

    def __repr__(self) -> str:
        lines = [f"LearningCheck(passed={self.passed})"]
        lines += [f"  {f}" for f in self.findings]
        return "\n".join(lines)

    __str__ = __repr__


def _loss_history(history: Any) -> np.ndarray:
    logs = history.history if hasattr(history, "history") else history
    if not isinstance(logs, Mapping) or "loss" not in logs:
        raise TypeError(
            f"history must be the History returned by fit_model (or its .history dict with a 'loss' list), "
            f"got {type(history).__name__}."
        )
    losses = np.asarray(logs["loss"], dtype=float)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError("history has no recorded epochs; train for at least 2 epochs before checking.")
    return losses


def check_learning(
    model: keras.Model,
    history: Any,
    X: Any,
    *,
    weights_before: list[np.ndarray] | None = None,
    min_loss_drop: float = 0.05,
    min_std: float = 1e-6,
    raise_on_fail: bool = False,
) -> LearningCheck:
    """Check that a model actually learned: loss fell, weights moved, outputs vary.

    Three checks, each reported as a finding:

    1. the training loss fell by at least ``min_loss_drop`` (relative) from the first epoch to
       the best epoch, and never became NaN;
    2. the weights changed (only when ``weights_before`` from :func:`snapshot_weights` is given);
    3. the model's outputs on ``X`` are not the same for every sample (largest standard
       deviation across samples > ``min_std``) — a constant output gives useless scores.

    When to use: right after a first training (lesson 05). It catches a learning rate of 0, a
    frozen model (``trainable=False``), an exploding loss and dead ReLU units. Passing does not
    mean the model is *good* — only that it trains.

    Parameters
    ----------
    model : keras.Model
        The trained model.
    history : keras.callbacks.History or dict
        Returned by :func:`fit_model` (at least 2 epochs).
    X : ndarray of shape (n_samples, ...)
        Some inputs (e.g. the training data) to check the outputs on.
    weights_before : list of ndarray, optional
        ``snapshot_weights(model)`` taken before training.
    min_loss_drop : float in (0, 1), default 0.05
        Required relative drop of the loss (0.05 = 5 %).
    min_std : float, default 1e-6
        Outputs whose spread across samples is at most this count as constant.
    raise_on_fail : bool, default False
        Raise ``RuntimeError`` listing the findings instead of returning a failed check.

    Returns
    -------
    LearningCheck
        ``passed`` and ``findings``; its repr prints one finding per line.

    See Also
    --------
    fit_model, snapshot_weights

    Notes
    -----
    See lesson 05 (training losses and optimisers).
    """
    model = check_model(model)
    min_loss_drop = check_fraction(min_loss_drop, "min_loss_drop")
    if isinstance(min_std, bool) or not isinstance(min_std, numbers.Real) or not min_std >= 0:
        raise ValueError(f"min_std must be a number >= 0 such as 1e-6, got {min_std!r}.")
    losses = _loss_history(history)
    details: dict[str, float] = {}
    results = [_check_loss(losses, min_loss_drop, details)]
    if weights_before is not None:
        results.append(_check_weights(model, weights_before, details))
    results.append(_check_outputs(predict(model, X), min_std, details))
    passed = all(ok for ok, _ in results)
    findings = [finding for _, finding in results]
    if raise_on_fail and not passed:
        raise RuntimeError("the model did not pass the learning check:\n" + "\n".join(findings))
    return LearningCheck(passed=passed, findings=findings, details=details)


def _check_loss(losses: np.ndarray, min_loss_drop: float, details: dict[str, float]) -> tuple[bool, str]:
    """Check 1: the training loss fell enough and stayed finite."""
    finite = np.isfinite(losses)
    if not finite.all():
        first_bad = int(np.argmin(finite)) + 1
        return False, (
            f"FAIL: the loss became NaN or infinite at epoch {first_bad}; lower the learning rate "
            "or scale the inputs (lesson 02)"
        )
    if losses.size < 2:
        return False, "FAIL: only 1 epoch was trained; train for at least 2 epochs to see the loss fall"
    first, best_i = losses[0], int(np.argmin(losses))
    drop = float((first - losses[best_i]) / first) if first > 0 else 0.0
    details["loss_drop"] = drop
    text = (
        f"loss fell {100 * drop:.1f}% from epoch 1 ({first:.4f}) to its best, epoch {best_i + 1} "
        f"({losses[best_i]:.4f}); needed >= {100 * min_loss_drop:.1f}%"
    )
    if drop >= min_loss_drop:
        return True, f"ok: {text}"
    return False, f"FAIL: {text}. Is the learning rate 0 or far too small, or the model frozen? Try learning_rate=1e-3."


def _check_weights(model: keras.Model, weights_before: Any, details: dict[str, float]) -> tuple[bool, str]:
    """Check 2: at least one weight changed since the snapshot."""
    now = model.get_weights()
    if not isinstance(weights_before, list | tuple) or len(weights_before) != len(now):
        raise ValueError(
            f"weights_before must be snapshot_weights(model) taken from this model before training "
            f"({len(now)} arrays), got {type(weights_before).__name__}"
            + (f" with {len(weights_before)} arrays." if isinstance(weights_before, list | tuple) else ".")
        )
    changes = []
    for before, after in zip(weights_before, now, strict=True):
        before = np.asarray(before)
        if before.shape != after.shape:
            raise ValueError(
                "weights_before does not match the model's weights (different shapes); "
                "take it with snapshot_weights(model) from this very model before training."
            )
        changes.append(float(np.max(np.abs(after - before))) if after.size else 0.0)
    largest = max(changes, default=0.0)
    details["max_weight_change"] = largest
    if largest > 0:
        return True, f"ok: weights changed (largest change {largest:.3g})"
    why = "the model is frozen (no trainable weights)" if not model.trainable_weights else "the learning rate may be 0"
    return False, f"FAIL: no weight changed during training: {why}"


def _check_outputs(outputs: np.ndarray, min_std: float, details: dict[str, float]) -> tuple[bool, str]:
    """Check 3: the outputs differ between samples."""
    flat = outputs.reshape(len(outputs), -1).astype(np.float64)
    std = float(np.max(np.std(flat, axis=0))) if len(flat) > 1 else 0.0
    details["prediction_std"] = std
    if len(flat) < 2:
        return False, "FAIL: X has a single sample; pass several samples to see whether the outputs vary"
    if not np.isfinite(flat).all():
        return False, "FAIL: the model outputs NaN or infinite values; the training diverged"
    if std > min_std:
        return True, f"ok: outputs vary across samples (largest std {std:.3g})"
    return False, (
        f"FAIL: the outputs are the same for every sample (std {std:.3g}); the scores cannot rank anything "
        "(dead ReLU units after a too-large learning rate? constant or unscaled inputs?)"
    )
