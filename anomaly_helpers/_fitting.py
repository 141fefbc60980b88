"""``fit_model`` and its quiet, deterministic progress lines; import them from
:mod:`anomaly_helpers.training`.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping
from typing import Any

import keras
import numpy as np

from anomaly_helpers._keras_common import check_learning_rate, check_model, make_optimizer
from anomaly_helpers._training_data import ShuffledBatches, check_input, check_target, train_and_validation
from anomaly_helpers._validate import check_bool, check_fraction, check_positive_int, check_random_state
from anomaly_helpers.models import compile_model, default_loss

__all__ = ["EpochPrinter", "fit_model"]


def _parse_verbose(verbose: Any) -> str:
    if isinstance(verbose, str) and verbose in ("epoch", "summary", "silent"):
        return verbose
    if isinstance(verbose, (bool, numbers.Integral)) and verbose in (0, 1):
        return "epoch" if verbose else "silent"
    raise ValueError(f"verbose must be 'epoch' (one line per epoch), 'summary', or 0/'silent', got {verbose!r}.")


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


def _prepare_compile(model: keras.Model, learning_rate: Any, optimizer: Any, loss: Any) -> None:
    """Compile an uncompiled model; apply explicit overrides to a compiled one."""
    if learning_rate is not None:
        learning_rate = check_learning_rate(learning_rate)
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
        optimizer=make_optimizer(opt, learning_rate),
        loss=loss if loss is not None else (model.loss or default_loss(model)),
        metrics=metrics,
    )


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

    See Also
    --------
    check_learning : does the model learn at all?
    predict : scores/reconstructions without the progress bar.
    anomaly_helpers.setup_lesson : op determinism and the global seeds (run it first).

    Notes
    -----
    ``fit_model`` leaves the global random generators alone: it neither seeds nor draws from
    Python's ``random``, NumPy's global generator, TensorFlow's or Keras's global seed (earlier
    versions called ``keras.utils.set_random_seed`` on every call). To seed those, call
    ``anomaly_helpers.setup_lesson(seed)`` yourself. Keras's own shuffling is not used, because it
    draws from TensorFlow's global random state.
    """
    model = check_model(model)
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

    X = check_input(X, model, "X")
    _prepare_compile(model, learning_rate, optimizer, loss)
    y_arr = check_target(X if y is None else y, model, len(X), "y")
    x_train, y_train, val = train_and_validation(model, X, y_arr, y is not None, validation_split, validation_data, rng)
    batches = ShuffledBatches(x_train, y_train, batch_size, rng if shuffle else None)

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
            validation_batch_size=batch_size,  # as Keras does for arrays
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
