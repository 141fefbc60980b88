"""Checks and batching of the arrays that :func:`anomaly_helpers.training.fit_model` and
:func:`~anomaly_helpers.training.predict` take (private: use those two).
"""

from __future__ import annotations

import math
from typing import Any

import keras
import numpy as np

from anomaly_helpers._validate import check_array

__all__ = [
    "ShuffledBatches",
    "check_input",
    "check_target",
    "loss_name",
    "shape_text",
    "split_validation",
    "train_and_validation",
    "unpack_validation",
]


def shape_text(shape: tuple[Any, ...]) -> str:
    return "(" + ", ".join(["n_samples", *(str(d) for d in shape[1:])]) + ")"


def check_input(x: Any, model: keras.Model, name: str = "X", *, min_len: int = 1) -> np.ndarray:
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
            hint = f" Reshape the flat rows: {name} = {name}.reshape{shape_text(expected).replace('n_samples', '-1')}."
        else:
            hint = f" Build the model for this data (e.g. with n_features={arr.shape[1]})." if arr.ndim == 2 else ""
        raise ValueError(
            f"{name} has shape {arr.shape} but model {model.name!r} expects input of shape "
            f"{shape_text(expected)}.{hint}"
        )
    return arr


def loss_name(model: keras.Model) -> str:
    loss = getattr(model, "loss", None)
    if isinstance(loss, str):
        return loss
    return str(getattr(loss, "name", "") or getattr(loss, "__name__", "") or type(loss).__name__).lower()


def check_target(y: Any, model: keras.Model, n: int, name: str = "y") -> np.ndarray:
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
    loss = loss_name(model)
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
            f"{name} has shape {arr.shape} but model {model.name!r} outputs shape {shape_text(out)}; "
            f"pass targets of that shape (for an autoencoder leave {name} out: it defaults to the input)."
        )
    if "binary_crossentropy" in loss and (arr.min() < 0 or arr.max() > 1):
        raise ValueError(
            f"{name} must contain 0/1 labels (1 = anomaly) for binary cross-entropy, found values from "
            f"{arr.min():g} to {arr.max():g}."
        )
    return arr.reshape((n, *out[1:]))


def split_validation(n: int, fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Random split of ``range(n)`` into (train, validation) indices, both sorted, drawn from ``rng``."""
    if n < 2:
        raise ValueError(
            f"X has only {n} sample; validation_split needs at least 2 (pass more data or validation_split=None)."
        )
    n_val = min(max(1, round(n * fraction)), n - 1)
    order = rng.permutation(n)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


class ShuffledBatches(keras.utils.PyDataset):
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


def unpack_validation(validation_data: Any, model: keras.Model, y_given: bool) -> tuple[np.ndarray, np.ndarray]:
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
    x_val = check_input(x_val, model, "X_val")
    if y_val is None:
        if y_given:
            raise ValueError(
                "validation_data must be a tuple (X_val, y_val) when y is given; pass the validation labels."
            )
        y_val = x_val
    return x_val, check_target(y_val, model, len(x_val), "y_val")


def train_and_validation(
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
        return X, y_arr, unpack_validation(validation_data, model, y_given)
    if validation_split is not None:
        train_idx, val_idx = split_validation(len(X), validation_split, rng)
        return X[train_idx], y_arr[train_idx], (X[val_idx], y_arr[val_idx])
    return X, y_arr, None
