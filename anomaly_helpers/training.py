"""Training Keras models quietly and reproducibly, and checking that they learn.

* :func:`fit_model` trains with early stopping on a *validation* set, printing one short,
  deterministic line per epoch (no timings, no progress bar), so notebook outputs compare
  exactly under nbval.
* :func:`check_learning` answers "does it learn at all?": the loss falls, the weights move,
  the outputs are not constant. It catches a learning rate of 0, a frozen model, dead units.
* :func:`predict` is ``model.predict`` without the progress bar and with shape checks.

See Also
--------
Lesson 05 (training), lesson 07 (the article's code example).
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np

from anomaly_helpers._validate import check_array, check_bool, check_fraction, check_positive_int, check_random_state
from anomaly_helpers.models import _check_learning_rate, _check_model, _make_optimizer, compile_model, default_loss

__all__ = ["fit_model", "predict", "snapshot_weights", "check_learning", "LearningCheck", "EpochPrinter"]


# --------------------------------------------------------------------------- input checks


def _shape_text(shape: tuple[Any, ...]) -> str:
    return "(" + ", ".join(["n_samples", *(str(d) for d in shape[1:])]) + ")"


def _check_input(x: Any, model: keras.Model, name: str = "X", *, min_len: int = 1) -> np.ndarray:
    """Check ``x`` against the model's input shape and return it as float32."""
    arr = check_array(x, name, min_len=min_len, dtype=np.float32)
    expected = tuple(model.input_shape)
    if isinstance(model.input_shape, list):  # pragma: no cover - multi-input models are not built here
        raise ValueError(f"model {model.name!r} has several inputs; fit_model and predict take one array {name}.")
    ok = arr.ndim == len(expected) and all(
        e is None or e == a for e, a in zip(expected[1:], arr.shape[1:], strict=False)
    )
    if not ok:
        hint = ""
        if arr.ndim == len(expected) - 1 and expected[-1] == 1 and tuple(arr.shape[1:]) == tuple(expected[1:-1]):
            hint = f" Add the channel axis: {name} = {name}[..., np.newaxis]."
        elif arr.ndim == 2 and len(expected) > 2 and arr.shape[1] == math.prod(d or 0 for d in expected[1:]):
            hint = f" Reshape the flat rows: {name} = {name}.reshape{_shape_text(expected).replace('n_samples', '-1')}."
        else:
            hint = f" Build the model for this data (e.g. with n_features={arr.shape[1]})." if arr.ndim == 2 else ""
        raise ValueError(
            f"{name} has shape {arr.shape} but model {model.name!r} expects input of shape "
            f"{_shape_text(expected)}.{hint}"
        )
    return arr


def _loss_name(model: keras.Model) -> str:
    loss = getattr(model, "loss", None)
    if isinstance(loss, str):
        return loss
    return str(getattr(loss, "name", "") or getattr(loss, "__name__", "") or type(loss).__name__).lower()


def _check_target(y: Any, model: keras.Model, n: int, name: str = "y") -> np.ndarray:
    """Check targets ``y`` against the model's output shape and loss; reshape them to fit."""
    arr = check_array(y, name, dtype=np.float32)
    if arr.shape[0] != n:
        x_name = "X_val" if name == "y_val" else "X"
        raise ValueError(
            f"{name} has {arr.shape[0]} rows but {x_name} has {n}; pass one target per sample "
            f"(taken from the same rows as {x_name})."
        )
    out = tuple(model.output_shape)
    per_sample = math.prod(arr.shape[1:])
    loss = _loss_name(model)
    if "sparse_categorical" in loss:
        n_classes = out[-1]
        if per_sample != 1:
            raise ValueError(
                f"{name} has shape {arr.shape} but a classifier trained with {loss} needs one integer class "
                f"label per sample, shape (n_samples,)."
            )
        arr = arr.reshape(n)
        if np.any(arr != np.round(arr)) or arr.min() < 0 or (n_classes is not None and arr.max() >= n_classes):
            raise ValueError(
                f"{name} must contain integer class labels 0 ... {n_classes - 1} for model {model.name!r}, "
                f"found values from {arr.min():g} to {arr.max():g}; encode the classes first "
                "(e.g. with np.unique(labels, return_inverse=True))."
            )
        return arr
    if any(d is None for d in out[1:]):  # pragma: no cover - builders here have fixed shapes
        return arr
    if per_sample != math.prod(out[1:]):
        raise ValueError(
            f"{name} has shape {arr.shape} but model {model.name!r} outputs shape {_shape_text(out)}; "
            f"pass targets of that shape (for an autoencoder leave {name} out: it defaults to the input)."
        )
    if "binary_crossentropy" in loss and (arr.min() < 0 or arr.max() > 1):
        raise ValueError(
            f"{name} must contain 0/1 labels (1 = anomaly) for binary cross-entropy, found values from "
            f"{arr.min():g} to {arr.max():g}."
        )
    return arr.reshape((n, *out[1:]))


def _parse_verbose(verbose: Any) -> str:
    if isinstance(verbose, str) and verbose in ("epoch", "summary", "silent"):
        return verbose
    if isinstance(verbose, (bool, numbers.Integral)) and verbose in (0, 1):
        return "epoch" if verbose else "silent"
    raise ValueError(f"verbose must be 'epoch' (one line per epoch), 'summary', or 0/'silent', got {verbose!r}.")


# --------------------------------------------------------------------------- progress


def _format_logs(logs: Mapping[str, Any]) -> str:
    keys = [k for k in logs if k != "learning_rate"]
    train = sorted((k for k in keys if not k.startswith("val_")), key=lambda k: (k != "loss", k))
    val = sorted((k for k in keys if k.startswith("val_")), key=lambda k: (k != "val_loss", k))
    return "  ".join(f"{k} {float(logs[k]):.4f}" for k in (*train, *val))


class EpochPrinter(keras.callbacks.Callback):
    """Print one deterministic line per epoch: ``epoch  3/50  loss 0.0123  val_loss 0.0145``.

    Figures are rounded to 4 decimals and there are no timings, so the output of a notebook
    cell is the same on every run on the same machine (and across machines in practice).

    Parameters
    ----------
    epochs : int
        The planned number of epochs (shown after the slash).
    mode : {"epoch", "summary"}, default "epoch"
        "epoch" prints every epoch; "summary" only the first and the last one.
    """

    def __init__(self, epochs: int, mode: str = "epoch") -> None:
        super().__init__()
        self.epochs = epochs
        self.mode = mode
        self._last: tuple[int, dict[str, Any]] | None = None
        self._printed_last = False

    def _line(self, epoch: int, logs: Mapping[str, Any]) -> str:
        width = len(str(self.epochs))
        return f"epoch {epoch + 1:>{width}}/{self.epochs}  {_format_logs(logs)}"

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        logs = dict(logs or {})
        self._last = (epoch, logs)
        self._printed_last = self.mode == "epoch" or epoch == 0
        if self._printed_last:
            print(self._line(epoch, logs))

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        if self._last is not None and not self._printed_last:
            print(self._line(*self._last))


# --------------------------------------------------------------------------- fit


def _prepare_compile(model: keras.Model, learning_rate: Any, optimizer: Any, loss: Any) -> None:
    """Compile an uncompiled model; apply explicit overrides to a compiled one."""
    if learning_rate is not None:
        learning_rate = _check_learning_rate(learning_rate)
    if loss is not None and not isinstance(loss, str) and not callable(loss):
        raise TypeError(f"loss must be a Keras loss name such as 'mse', got {loss!r}.")
    if not model.compiled:
        compile_model(
            model,
            learning_rate=1e-3 if learning_rate is None else learning_rate,
            loss=loss,
            optimizer="adam" if optimizer is None else optimizer,
        )
        return
    if loss is None and optimizer is None:
        if learning_rate is not None:
            model.optimizer.learning_rate = learning_rate
        return
    config = model.get_compile_config() or {}
    metrics = config.get("metrics")
    if not (isinstance(metrics, list) and all(isinstance(m, str) for m in metrics)):
        metrics = None
    opt = optimizer if optimizer is not None else type(model.optimizer).from_config(model.optimizer.get_config())
    model.compile(
        optimizer=_make_optimizer(opt, learning_rate),
        loss=loss if loss is not None else (model.loss or default_loss(model)),
        metrics=metrics,
    )


def _split_validation(n: int, fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random split of ``range(n)`` into (train, validation) indices, both sorted, drawn from ``rng``."""
    if n < 2:
        raise ValueError(
            f"X has only {n} sample; validation_split needs at least 2 (pass more data or validation_split=None)."
        )
    n_val = min(max(1, round(n * fraction)), n - 1)
    order = rng.permutation(n)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


class _ShuffledBatches(keras.utils.PyDataset):
    """Mini-batches of (x, y) in an order drawn from a local generator, new for every epoch.

    Keras shuffles arrays with TensorFlow's global random state (and a ``PyDataset`` with
    Python's ``random``), so the batch order would depend on whatever ran before; here it
    depends only on ``rng``.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, batch_size: int, rng: np.random.Generator | None) -> None:
        super().__init__(workers=1, use_multiprocessing=False)
        self._x, self._y, self._batch_size, self._rng = x, y, batch_size, rng
        self._order = np.arange(len(x))
        self.on_epoch_end()

    def __len__(self) -> int:
        return math.ceil(len(self._x) / self._batch_size)

    def __getitem__(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        idx = self._order[i * self._batch_size : (i + 1) * self._batch_size]
        return self._x[idx], self._y[idx]

    def on_epoch_end(self) -> None:
        if self._rng is not None:
            self._order = self._rng.permutation(len(self._x))


def _unpack_validation(validation_data: Any, model: keras.Model, y_given: bool) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(validation_data, tuple | list) and not isinstance(validation_data, np.ndarray):
        if len(validation_data) == 2:
            x_val, y_val = validation_data
        elif len(validation_data) == 1:
            x_val, y_val = validation_data[0], None
        else:
            raise ValueError(
                f"validation_data must be X_val or a tuple (X_val, y_val), got a {type(validation_data).__name__} "
                f"of length {len(validation_data)}."
            )
    else:
        x_val, y_val = validation_data, None
    x_val = _check_input(x_val, model, "X_val")
    if y_val is None:
        if y_given:
            raise ValueError(
                "validation_data must be a tuple (X_val, y_val) when y is given; pass the validation labels."
            )
        y_val = x_val
    return x_val, _check_target(y_val, model, len(x_val), "y_val")


def fit_model(
    model: keras.Model,
    X: Any,
    y: Any = None,
    *,
    validation_split: float | None = 0.2,
    validation_data: Any = None,
    epochs: int = 50,
    batch_size: int = 32,
    patience: int | None = 5,
    learning_rate: float | None = None,
    optimizer: str | keras.optimizers.Optimizer | None = None,
    loss: str | None = None,
    class_weight: Mapping[int, float] | None = None,
    verbose: str | int = "epoch",
    random_state: int | np.random.Generator | None = 0,
    shuffle: bool = True,
) -> keras.callbacks.History:
    """Train ``model`` with early stopping on validation data; print one line per epoch.

    The validation data decide when to stop and which weights to keep. They must come from the
    **training** period or the training set — **never use the test data for validation**: the
    stopping epoch would then be chosen on the test set and the test scores would be optimistic
    (the mistake of several well-known tutorials).

    When to use: every training in the course (lesson 05 explains each argument).

    Parameters
    ----------
    model : keras.Model
        From :mod:`anomaly_helpers.models`. An uncompiled model is compiled with ``optimizer``
        (Adam), ``learning_rate`` (1e-3) and ``loss`` (:func:`~anomaly_helpers.models.default_loss`).
        A compiled model keeps its settings, except those passed explicitly here.
    X : ndarray of shape (n_samples, ...)
        Inputs; the shape after the first axis must match ``model.input_shape``.
    y : ndarray of shape (n_samples, ...), optional
        Targets. Default: ``X`` (an autoencoder learns to reproduce its input).
    validation_split : float in (0, 1) or None, default 0.2
        Fraction of the samples held out for validation. They are chosen at random with
        ``random_state`` — unlike Keras's own ``validation_split``, which takes the *last* rows
        unshuffled and so validates on a single class or period when the data are sorted.
        Ignored when ``validation_data`` is given; ``None`` trains without validation
        (early stopping then watches the training loss). For time series, prefer
        ``validation_data`` from a separate stretch of the *training* period: overlapping windows
        of a random split are near-copies of training windows.
    validation_data : ndarray or tuple (X_val, y_val), optional
        Explicit validation data (``y_val`` defaults to ``X_val`` when ``y`` is None).
    epochs : int, default 50
        Maximum number of epochs.
    batch_size : int, default 32
    patience : int or None, default 5
        Stop after this many epochs without improvement and restore the best epoch's weights
        (``EarlyStopping(restore_best_weights=True)``). ``None`` trains all epochs without
        early stopping or restoring.
    learning_rate : float, optional
        Step size (>= 0). Default: 1e-3, or the compiled model's.
    optimizer : str or keras optimizer, optional
        Default: ``"adam"``, or the compiled model's.
    loss : str, optional
        Default: the compiled model's loss, else ``default_loss(model)``.
    class_weight : dict {class: weight}, optional
        Passed to Keras, e.g. ``{0: 1.0, 1: 10.0}`` to weight rare anomalies (classifiers only).
    verbose : {"epoch", "summary", "silent"} or 0/1, default "epoch"
        "epoch": one line per epoch plus a final line saying which epoch's weights were kept;
        "summary": only the first and last epoch and the final line; 0 or "silent": nothing.
    random_state : None, int or numpy.random.Generator, default 0
        Draws the validation split and then the order of the mini-batches in every epoch, from
        one local generator: the same model (built with the same ``random_state``), data and
        settings give the same losses, whatever ran before. ``None`` draws them afresh on every
        call. The initial weights are not set here: pass ``random_state`` to the builder in
        :mod:`anomaly_helpers.models`.
    shuffle : bool, default True
        Shuffle the training samples before each epoch.

    Returns
    -------
    keras.callbacks.History
        ``history.history["loss"]`` (and ``"val_loss"``) hold one value per epoch that ran.
        Two attributes are added: ``best_epoch`` (1-based epoch whose weights the model now
        has) and ``stopped_early`` (bool).

    Notes
    -----
    ``fit_model`` leaves the global random generators alone: it neither seeds nor draws from
    Python's ``random``, NumPy's global generator, TensorFlow's or Keras's global seed (earlier
    versions called ``keras.utils.set_random_seed`` on every call). To seed those, call
    ``anomaly_helpers.setup_lesson(seed)`` yourself. Keras's own shuffling is not used, because it
    draws from TensorFlow's global random state.

    See Also
    --------
    check_learning : does the model learn at all?
    predict : scores/reconstructions without the progress bar.
    anomaly_helpers.setup_lesson : op determinism and the global seeds (run it first).
    """
    model = _check_model(model)
    mode = _parse_verbose(verbose)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    rng = check_random_state(random_state)
    shuffle = check_bool(shuffle, "shuffle")
    if patience is not None:
        patience = check_positive_int(patience, "patience", minimum=0)
    if validation_split is not None and validation_data is None:
        validation_split = check_fraction(validation_split, "validation_split")
    if class_weight is not None and not isinstance(class_weight, Mapping):
        raise TypeError(f"class_weight must be a dict such as {{0: 1.0, 1: 10.0}}, got {class_weight!r}.")

    X = _check_input(X, model, "X")
    _prepare_compile(model, learning_rate, optimizer, loss)
    y_arr = _check_target(X if y is None else y, model, len(X), "y")
    x_train, y_train, val = _train_and_validation(
        model, X, y_arr, y is not None, validation_split, validation_data, rng
    )
    batches = _ShuffledBatches(x_train, y_train, batch_size, rng if shuffle else None)

    monitor = "val_loss" if val is not None else "loss"
    stopper = None
    if patience is not None:
        stopper = keras.callbacks.EarlyStopping(monitor=monitor, patience=patience, restore_best_weights=True)
    callbacks = [keras.callbacks.TerminateOnNaN(), *([stopper] if stopper else [])]
    if mode != "silent":
        callbacks.append(EpochPrinter(epochs, mode))
        if not model.trainable_weights:
            print("note: the model has no trainable weights (it is frozen), so training cannot change it")

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The model does not have any trainable weights")
        history = model.fit(
            batches,
            validation_data=val,
            epochs=epochs,
            shuffle=False,  # the batches are shuffled by the local generator
            class_weight=dict(class_weight) if class_weight is not None else None,
            callbacks=callbacks,
            verbose=0,
        )
    _finish(model, history, stopper, monitor)
    if mode != "silent":
        print(_final_line(history, stopper, monitor, epochs, patience))
    return history


def _train_and_validation(
    model: keras.Model,
    X: np.ndarray,
    y_arr: np.ndarray,
    y_given: bool,
    validation_split: float | None,
    validation_data: Any,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """Return (x_train, y_train, validation) from explicit validation data, a split, or neither."""
    if validation_data is not None:
        return X, y_arr, _unpack_validation(validation_data, model, y_given)
    if validation_split is not None:
        train_idx, val_idx = _split_validation(len(X), validation_split, rng)
        return X[train_idx], y_arr[train_idx], (X[val_idx], y_arr[val_idx])
    return X, y_arr, None


def _finish(model: keras.Model, history: keras.callbacks.History, stopper: Any, monitor: str) -> None:
    """Restore the best weights and add ``best_epoch`` and ``stopped_early`` to ``history``."""
    values = np.asarray(history.history.get(monitor, []), dtype=float)
    ran = len(values)
    if stopper is not None and stopper.best_weights is not None:
        model.set_weights(stopper.best_weights)  # also on older Keras, which restores only after stopping early
        best = int(np.nanargmin(values)) if np.isfinite(values).any() else ran - 1
    else:
        best = ran - 1
    history.best_epoch = best + 1
    history.stopped_early = stopper is not None and stopper.stopped_epoch > 0


def _final_line(history: keras.callbacks.History, stopper: Any, monitor: str, epochs: int, patience: int | None) -> str:
    """The last printed line: why training ended and which epoch's weights the model has."""
    values = np.asarray(history.history.get(monitor, []), dtype=float)
    ran, best = len(values), history.best_epoch - 1
    if ran and not np.isfinite(values[-1]):
        return (
            f"stopped at epoch {ran}: the {monitor} is NaN or infinite "
            "(lower the learning rate, or scale the inputs: lesson 02)"
        )
    if stopper is None:
        return f"finished all {epochs} epochs (no early stopping; the model has the last epoch's weights)"
    kept = f"restored the weights of epoch {best + 1} ({monitor} {values[best]:.4f})"
    if history.stopped_early:
        epochs_text = "1 epoch" if patience == 1 else f"{patience} epochs"
        return f"early stopping at epoch {ran}: {monitor} did not improve for {epochs_text}; {kept}"
    return f"finished all {epochs} epochs; {kept}"


# --------------------------------------------------------------------------- predict and checks


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
    model = _check_model(model)
    batch_size = check_positive_int(batch_size, "batch_size")
    X = _check_input(X, model, "X")
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
    return [np.array(w, copy=True) for w in _check_model(model).get_weights()]


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
    fit_model, snapshot_weights. Lesson 05.
    """
    model = _check_model(model)
    min_loss_drop = check_fraction(min_loss_drop, "min_loss_drop")
    if isinstance(min_std, bool) or not isinstance(min_std, numbers.Real) or not min_std >= 0:
        raise ValueError(f"min_std must be a number >= 0 such as 1e-6, got {min_std!r}.")
    losses = _loss_history(history)
    findings: list[str] = []
    details: dict[str, float] = {}
    passed = True

    # 1. the loss
    finite = np.isfinite(losses)
    if not finite.all():
        first_bad = int(np.argmin(finite)) + 1
        findings.append(
            f"FAIL: the loss became NaN or infinite at epoch {first_bad}; lower the learning rate "
            "or scale the inputs (lesson 02)"
        )
        passed = False
    elif losses.size < 2:
        findings.append("FAIL: only 1 epoch was trained; train for at least 2 epochs to see the loss fall")
        passed = False
    else:
        first, best_i = losses[0], int(np.argmin(losses))
        drop = float((first - losses[best_i]) / first) if first > 0 else 0.0
        details["loss_drop"] = drop
        text = (
            f"loss fell {100 * drop:.1f}% from epoch 1 ({first:.4f}) to its best, epoch {best_i + 1} "
            f"({losses[best_i]:.4f}); needed >= {100 * min_loss_drop:.1f}%"
        )
        if drop >= min_loss_drop:
            findings.append(f"ok: {text}")
        else:
            findings.append(
                f"FAIL: {text}. Is the learning rate 0 or far too small, or the model frozen? Try learning_rate=1e-3."
            )
            passed = False

    # 2. the weights
    if weights_before is not None:
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
            findings.append(f"ok: weights changed (largest change {largest:.3g})")
        else:
            trainable = len(model.trainable_weights)
            why = "the model is frozen (no trainable weights)" if not trainable else "the learning rate may be 0"
            findings.append(f"FAIL: no weight changed during training: {why}")
            passed = False

    # 3. the outputs
    outputs = predict(model, X)
    flat = outputs.reshape(len(outputs), -1).astype(np.float64)
    std = float(np.max(np.std(flat, axis=0))) if len(flat) > 1 else 0.0
    details["prediction_std"] = std
    if len(flat) < 2:
        findings.append("FAIL: X has a single sample; pass several samples to see whether the outputs vary")
        passed = False
    elif not np.isfinite(flat).all():
        findings.append("FAIL: the model outputs NaN or infinite values; the training diverged")
        passed = False
    elif std > min_std:
        findings.append(f"ok: outputs vary across samples (largest std {std:.3g})")
    else:
        findings.append(
            f"FAIL: the outputs are the same for every sample (std {std:.3g}); the scores cannot rank anything "
            "(dead ReLU units after a too-large learning rate? constant or unscaled inputs?)"
        )
        passed = False

    result = LearningCheck(passed=passed, findings=findings, details=details)
    if raise_on_fail and not passed:
        raise RuntimeError("the model did not pass the learning check:\n" + "\n".join(findings))
    return result
