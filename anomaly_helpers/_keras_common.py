"""Checks and building blocks shared by the model builders and the training helpers.

Private to the package: import the public helpers from :mod:`anomaly_helpers.models` and
:mod:`anomaly_helpers.training` instead.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from anomaly_helpers._validate import check_choice, check_positive_int, check_random_state

__all__ = [
    "RNN_CELLS",
    "LayerSeeds",
    "check_activation",
    "check_learning_rate",
    "check_model",
    "check_poolable",
    "check_shape",
    "check_sizes",
    "make_optimizer",
    "rnn_layer",
]

#: The recurrent cells the RNN builders accept.
RNN_CELLS = ("lstm", "gru")


def check_sizes(values: Any, name: str, *, allow_empty: bool = False) -> tuple[int, ...]:
    """Check a tuple of layer sizes (positive ints) and return it as a tuple."""
    if isinstance(values, int) and not isinstance(values, bool):
        values = (values,)
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a tuple of positive integers such as (16, 8), got {values!r}.")
    if not values and not allow_empty:
        raise ValueError(f"{name} is empty; pass at least one layer size, e.g. (16,).")
    return tuple(check_positive_int(v, f"{name}[{i}]") for i, v in enumerate(values))


def check_activation(activation: Any, name: str = "activation") -> str:
    if not isinstance(activation, str):
        raise TypeError(f"{name} must be the name of a Keras activation such as 'relu', got {activation!r}.")
    try:
        keras.activations.get(activation)
    except ValueError as exc:
        raise ValueError(
            f"{name}={activation!r} is not a Keras activation; use e.g. 'relu', 'tanh', 'elu' or 'sigmoid'."
        ) from exc
    return activation


def check_shape(shape: Any, name: str, ndim: int) -> tuple[int, ...]:
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence) or len(shape) != ndim:
        example = "(8, 8, 1)" if ndim == 3 else "(width, n_channels)"
        raise ValueError(
            f"{name} must be a tuple of {ndim} positive integers such as {example}, got {shape!r}. "
            "Images need a channel axis: use (height, width, 1) for grey images."
        )
    return tuple(check_positive_int(v, f"{name}[{i}]") for i, v in enumerate(shape))


def check_poolable(size: int, n_pool: int, name: str, what: str) -> None:
    need = 2**n_pool
    if size < need:
        raise ValueError(
            f"{name}={size} is too small for {n_pool} pooling step(s) (each halves the {what}); "
            f"pass {name} >= {need} or fewer filters."
        )


class LayerSeeds:
    """Hand out seeded initialisers, one fresh seed per layer, all drawn from one generator.

    With ``random_state=None`` nothing is seeded here: the layers get Keras's default
    initialisers, which draw from Keras's global seed (``keras.utils.set_random_seed``).
    """

    def __init__(self, random_state: Any) -> None:
        self._rng = None if random_state is None else check_random_state(random_state)

    def _seed(self) -> int:
        return int(self._rng.integers(0, 2**31 - 1))

    def kernel(self) -> str | keras.initializers.Initializer:
        """The kernel initialiser of a Dense or convolution layer (Glorot uniform, Keras's default)."""
        if self._rng is None:
            return "glorot_uniform"
        return keras.initializers.GlorotUniform(seed=self._seed())

    def recurrent(self) -> dict[str, Any]:
        """Keyword arguments for an LSTM or GRU layer (input and recurrent weights, dropout seed)."""
        if self._rng is None:
            return {}
        return {
            "kernel_initializer": keras.initializers.GlorotUniform(seed=self._seed()),
            "recurrent_initializer": keras.initializers.Orthogonal(seed=self._seed()),
            "seed": self._seed(),
        }


def rnn_layer(cell: str, units: int, seeds: LayerSeeds, **kwargs: Any) -> keras.layers.Layer:
    cell = check_choice(cell, "cell", RNN_CELLS)
    layer = keras.layers.LSTM if cell == "lstm" else keras.layers.GRU
    return layer(units, **seeds.recurrent(), **kwargs)


def check_model(model: Any, name: str = "model") -> keras.Model:
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"{name} must be a keras.Model (e.g. from anomaly_helpers.models.dense_autoencoder), "
            f"got {type(model).__name__}."
        )
    return model


def check_learning_rate(lr: Any, name: str = "learning_rate") -> float:
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f"{name} must be a number such as 1e-3, got {lr!r} ({type(lr).__name__}).")
    if not np.isfinite(lr) or lr < 0:
        raise ValueError(f"{name} must be a finite number >= 0 (typically 1e-4 to 1e-2), got {lr}.")
    return float(lr)


def make_optimizer(optimizer: Any, learning_rate: float | None) -> keras.optimizers.Optimizer:
    if isinstance(optimizer, keras.optimizers.Optimizer):
        if learning_rate is not None:
            optimizer.learning_rate = learning_rate
        return optimizer
    if not isinstance(optimizer, str):
        raise TypeError(f"optimizer must be a name such as 'adam' or a keras optimizer, got {optimizer!r}.")
    try:
        opt = keras.optimizers.get(optimizer)
    except ValueError as exc:
        raise ValueError(
            f"optimizer={optimizer!r} is not a Keras optimizer; use 'adam', 'sgd', 'rmsprop' or 'adamw'."
        ) from exc
    opt.learning_rate = 1e-3 if learning_rate is None else learning_rate
    return opt
