"""Small Keras model builders for the lessons (all fit in seconds on a laptop CPU).

Every builder returns an **uncompiled** ``keras.Model`` with a name. Compile it yourself
(``model.compile(...)``, as lesson 07 does), with :func:`compile_model`, or let
:func:`anomaly_helpers.training.fit_model` compile it (Adam, learning rate 1e-3, the loss
from :func:`default_loss`). Keeping compilation separate means one model can be trained
with several learning rates, or frozen, without rebuilding it.

Layer names are the same across builders, so helpers work on any of them:

* ``"latent"`` — the bottleneck of every autoencoder (what :func:`encoder_of` returns);
* ``"embedding"`` — the feature vector of the feature extractors (lessons 03 and 04);
* ``"reconstruction"`` / ``"forecast"`` / ``"probability"`` / ``"class_probabilities"`` — the output layer.

Default sizes stay well under 20,000 parameters.

Randomness: every builder takes ``random_state`` (None, an int or a ``numpy.random.Generator``).
With an int or a Generator each layer gets its own seeded initialiser (seeds drawn in turn from
one generator), so ``dense_autoencoder(30, random_state=0)`` has the same initial weights on
every call, whatever consumed Python's, NumPy's or Keras's global random state before. With
``None`` the layers use Keras's default initialisers, which draw from Keras's global seed
(set by ``keras.utils.set_random_seed`` or ``setup_lesson``) and so depend on what ran before.

See Also
--------
Lesson 03 (CNN features), lesson 04 (RNN features), lesson 05 (training),
lesson 07 (the article's code example, :func:`mlp_classifier`).
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import keras
import numpy as np

from anomaly_helpers._validate import check_choice, check_positive_int, check_random_state

__all__ = [
    "dense_autoencoder",
    "conv2d_autoencoder",
    "conv1d_autoencoder",
    "lstm_autoencoder",
    "gru_autoencoder",
    "rnn_forecaster",
    "mlp_classifier",
    "cnn_feature_extractor",
    "rnn_feature_extractor",
    "encoder_of",
    "compile_model",
    "default_loss",
    "count_params",
    "save_model",
    "load_model",
    "RNN_CELLS",
]

#: The recurrent cells the RNN builders accept.
RNN_CELLS = ("lstm", "gru")


# --------------------------------------------------------------------------- checks


def _check_sizes(values: Any, name: str, *, allow_empty: bool = False) -> tuple[int, ...]:
    """Check a tuple of layer sizes (positive ints) and return it as a tuple."""
    if isinstance(values, int) and not isinstance(values, bool):
        values = (values,)
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a tuple of positive integers such as (16, 8), got {values!r}.")
    if not values and not allow_empty:
        raise ValueError(f"{name} is empty; pass at least one layer size, e.g. (16,).")
    return tuple(check_positive_int(v, f"{name}[{i}]") for i, v in enumerate(values))


def _check_activation(activation: Any, name: str = "activation") -> str:
    if not isinstance(activation, str):
        raise TypeError(f"{name} must be the name of a Keras activation such as 'relu', got {activation!r}.")
    try:
        keras.activations.get(activation)
    except ValueError as exc:
        raise ValueError(
            f"{name}={activation!r} is not a Keras activation; use e.g. 'relu', 'tanh', 'elu' or 'sigmoid'."
        ) from exc
    return activation


def _check_shape(shape: Any, name: str, ndim: int) -> tuple[int, ...]:
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence) or len(shape) != ndim:
        example = "(8, 8, 1)" if ndim == 3 else "(width, n_channels)"
        raise ValueError(
            f"{name} must be a tuple of {ndim} positive integers such as {example}, got {shape!r}. "
            "Images need a channel axis: use (height, width, 1) for grey images."
        )
    return tuple(check_positive_int(v, f"{name}[{i}]") for i, v in enumerate(shape))


def _check_poolable(size: int, n_pool: int, name: str, what: str) -> None:
    need = 2**n_pool
    if size < need:
        raise ValueError(
            f"{name}={size} is too small for {n_pool} pooling step(s) (each halves the {what}); "
            f"pass {name} >= {need} or fewer filters."
        )


class _LayerSeeds:
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


def _rnn_layer(cell: str, units: int, seeds: _LayerSeeds, **kwargs: Any) -> keras.layers.Layer:
    cell = check_choice(cell, "cell", RNN_CELLS)
    layer = keras.layers.LSTM if cell == "lstm" else keras.layers.GRU
    return layer(units, **seeds.recurrent(), **kwargs)


# --------------------------------------------------------------------------- autoencoders


def dense_autoencoder(
    n_features: int,
    hidden: Sequence[int] = (16,),
    latent: int = 4,
    activation: str = "relu",
    *,
    random_state: int | np.random.Generator | None = None,
    name: str = "dense_autoencoder",
) -> keras.Model:
    """Build a fully connected autoencoder for tabular data.

    The encoder is ``Dense(h, activation)`` for each ``h`` in ``hidden`` followed by a linear
    ``Dense(latent)`` bottleneck named ``"latent"``; the decoder mirrors it and ends in a linear
    ``Dense(n_features)`` named ``"reconstruction"`` (so standardise the features first).

    When to use: tabular features (lesson 02); the reconstruction error is the anomaly score.

    Parameters
    ----------
    n_features : int
        Number of input columns.
    hidden : tuple of int, default (16,)
        Sizes of the hidden layers between input and bottleneck (may be empty).
    latent : int, default 4
        Size of the bottleneck; keep it smaller than ``n_features``.
    activation : str, default "relu"
        Activation of the hidden layers.
    random_state : None, int or numpy.random.Generator, default None
        Seeds the initial weights (see "Randomness" in the module notes): the same int builds
        the same weights whatever ran before; None uses Keras's global seed.
    name : str, default "dense_autoencoder"

    Returns
    -------
    keras.Model
        Uncompiled. Input of shape (n_samples, n_features), output of the same shape.
        With 30 features and the defaults it has 1,154 parameters.

    See Also
    --------
    encoder_of : the encoder part (input -> latent).
    anomaly_helpers.training.fit_model : train it (lesson 05).
    """
    n_features = check_positive_int(n_features, "n_features")
    hidden = _check_sizes(hidden, "hidden", allow_empty=True)
    latent = check_positive_int(latent, "latent")
    activation = _check_activation(activation)
    seeds = _LayerSeeds(random_state)
    inputs = keras.Input(shape=(n_features,), name="features")
    x = inputs
    for i, units in enumerate(hidden):
        x = keras.layers.Dense(
            units, activation=activation, name=f"encoder_{i + 1}", kernel_initializer=seeds.kernel()
        )(x)
    x = keras.layers.Dense(latent, name="latent", kernel_initializer=seeds.kernel())(x)
    for i, units in enumerate(reversed(hidden)):
        x = keras.layers.Dense(
            units, activation=activation, name=f"decoder_{i + 1}", kernel_initializer=seeds.kernel()
        )(x)
    outputs = keras.layers.Dense(n_features, name="reconstruction", kernel_initializer=seeds.kernel())(x)
    return keras.Model(inputs, outputs, name=name)


def conv2d_autoencoder(
    input_shape: Sequence[int] = (8, 8, 1),
    filters: Sequence[int] = (16, 8),
    latent_dense: int | None = None,
    *,
    kernel_size: int = 3,
    random_state: int | np.random.Generator | None = None,
    name: str = "conv2d_autoencoder",
) -> keras.Model:
    """Build a convolutional autoencoder for small images with pixel values in [0, 1].

    Encoder: ``Conv2D(f, kernel_size, relu)`` + ``MaxPooling2D(2)`` for each ``f`` in ``filters``.
    Without ``latent_dense`` the last pooling output is the bottleneck (named ``"latent"``);
    with ``latent_dense=k`` it is flattened into a ``Dense(k)`` bottleneck. Decoder:
    ``Conv2DTranspose(f, kernel_size, strides=2, relu)`` in reverse order, a crop back to the
    input size when it is not a multiple of ``2 ** len(filters)``, and a sigmoid ``Conv2D``
    named ``"reconstruction"``, so outputs lie in [0, 1].

    When to use: images (lesson 03). A plain convolutional autoencoder copies its input too well
    (it reconstructs anomalies as well as normal images); a small dense bottleneck
    (``latent_dense=8``, say) forces it to learn what normal images look like.

    Parameters
    ----------
    input_shape : tuple of int (height, width, channels), default (8, 8, 1)
        The digits images of scikit-learn are 8 x 8 x 1. Height and width must be at least
        ``2 ** len(filters)``.
    filters : tuple of int, default (16, 8)
        Filters of each encoder block (one pooling step per block).
    latent_dense : int or None, default None
        Size of an optional dense bottleneck.
    kernel_size : int, default 3
    random_state : None, int or numpy.random.Generator, default None
        Seeds the initial weights (see "Randomness" in the module notes): the same int builds
        the same weights whatever ran before; None uses Keras's global seed.
    name : str, default "conv2d_autoencoder"

    Returns
    -------
    keras.Model
        Uncompiled. Input and output of shape (n_samples, height, width, channels).
        With the defaults it has 3,217 parameters (3,509 with ``latent_dense=4``).

    See Also
    --------
    encoder_of, cnn_feature_extractor
    """
    height, width, channels = _check_shape(input_shape, "input_shape", 3)
    filters = _check_sizes(filters, "filters")
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    if latent_dense is not None:
        latent_dense = check_positive_int(latent_dense, "latent_dense")
    _check_poolable(height, len(filters), "input_shape[0]", "height")
    _check_poolable(width, len(filters), "input_shape[1]", "width")

    seeds = _LayerSeeds(random_state)
    inputs = keras.Input(shape=(height, width, channels), name="images")
    x = inputs
    last = len(filters) - 1
    for i, f in enumerate(filters):
        x = keras.layers.Conv2D(
            f,
            kernel_size,
            padding="same",
            activation="relu",
            name=f"encoder_conv_{i + 1}",
            kernel_initializer=seeds.kernel(),
        )(x)
        pool_name = "latent" if (i == last and latent_dense is None) else f"encoder_pool_{i + 1}"
        x = keras.layers.MaxPooling2D(2, padding="same", name=pool_name)(x)
    if latent_dense is not None:
        bottleneck_shape = tuple(x.shape[1:])
        x = keras.layers.Flatten(name="flatten")(x)
        x = keras.layers.Dense(latent_dense, name="latent", kernel_initializer=seeds.kernel())(x)
        x = keras.layers.Dense(
            math.prod(bottleneck_shape), activation="relu", name="decoder_dense", kernel_initializer=seeds.kernel()
        )(x)
        x = keras.layers.Reshape(bottleneck_shape, name="decoder_reshape")(x)
    for i, f in enumerate(reversed(filters)):
        x = keras.layers.Conv2DTranspose(
            f,
            kernel_size,
            strides=2,
            padding="same",
            activation="relu",
            name=f"decoder_deconv_{i + 1}",
            kernel_initializer=seeds.kernel(),
        )(x)
    extra_h, extra_w = x.shape[1] - height, x.shape[2] - width
    if extra_h or extra_w:
        x = keras.layers.Cropping2D(((0, extra_h), (0, extra_w)), name="crop")(x)
    outputs = keras.layers.Conv2D(
        channels,
        kernel_size,
        padding="same",
        activation="sigmoid",
        name="reconstruction",
        kernel_initializer=seeds.kernel(),
    )(x)
    return keras.Model(inputs, outputs, name=name)


def conv1d_autoencoder(
    width: int,
    n_channels: int = 1,
    filters: Sequence[int] = (16, 8),
    kernel_size: int = 7,
    *,
    random_state: int | np.random.Generator | None = None,
    name: str = "conv1d_autoencoder",
) -> keras.Model:
    """Build a 1-D convolutional autoencoder for windows of a time series.

    Encoder: ``Conv1D(f, kernel_size, relu)`` + ``MaxPooling1D(2)`` per entry of ``filters``;
    the last pooling output is the bottleneck (``"latent"``). Decoder:
    ``Conv1DTranspose(f, kernel_size, strides=2, relu)`` in reverse order, a crop back to
    ``width`` when ``width`` is not a multiple of ``2 ** len(filters)`` (any width works), and a
    linear ``Conv1D(n_channels)`` named ``"reconstruction"`` (so scale the series first).

    When to use: fixed-length windows of a series (lesson 04), as in the Keras example
    "Timeseries anomaly detection using an Autoencoder".

    Parameters
    ----------
    width : int
        Window length; at least ``2 ** len(filters)``.
    n_channels : int, default 1
        Number of variables per time step.
    filters : tuple of int, default (16, 8)
    kernel_size : int, default 7
    random_state : None, int or numpy.random.Generator, default None
        Seeds the initial weights (see "Randomness" in the module notes): the same int builds
        the same weights whatever ran before; None uses Keras's global seed.
    name : str, default "conv1d_autoencoder"

    Returns
    -------
    keras.Model
        Uncompiled. Input and output of shape (n_windows, width, n_channels).
        With one channel and the defaults it has 2,513 parameters (for any width).

    See Also
    --------
    lstm_autoencoder, anomaly_helpers.data (making windows)
    """
    width = check_positive_int(width, "width")
    n_channels = check_positive_int(n_channels, "n_channels")
    filters = _check_sizes(filters, "filters")
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    _check_poolable(width, len(filters), "width", "window length")

    seeds = _LayerSeeds(random_state)
    inputs = keras.Input(shape=(width, n_channels), name="windows")
    x = inputs
    last = len(filters) - 1
    for i, f in enumerate(filters):
        x = keras.layers.Conv1D(
            f,
            kernel_size,
            padding="same",
            activation="relu",
            name=f"encoder_conv_{i + 1}",
            kernel_initializer=seeds.kernel(),
        )(x)
        x = keras.layers.MaxPooling1D(2, padding="same", name="latent" if i == last else f"encoder_pool_{i + 1}")(x)
    for i, f in enumerate(reversed(filters)):
        x = keras.layers.Conv1DTranspose(
            f,
            kernel_size,
            strides=2,
            padding="same",
            activation="relu",
            name=f"decoder_deconv_{i + 1}",
            kernel_initializer=seeds.kernel(),
        )(x)
    extra = x.shape[1] - width
    if extra:
        x = keras.layers.Cropping1D((0, extra), name="crop")(x)
    outputs = keras.layers.Conv1D(
        n_channels, kernel_size, padding="same", name="reconstruction", kernel_initializer=seeds.kernel()
    )(x)
    return keras.Model(inputs, outputs, name=name)


def _rnn_autoencoder(
    width: int, n_channels: int, units: int, latent: int, cell: str, name: str, random_state: Any
) -> keras.Model:
    width = check_positive_int(width, "width")
    n_channels = check_positive_int(n_channels, "n_channels")
    units = check_positive_int(units, "units")
    latent = check_positive_int(latent, "latent")
    cell = check_choice(cell, "cell", RNN_CELLS)
    seeds = _LayerSeeds(random_state)
    inputs = keras.Input(shape=(width, n_channels), name="windows")
    x = _rnn_layer(cell, units, seeds, name=f"encoder_{cell}")(inputs)
    x = keras.layers.Dense(latent, name="latent", kernel_initializer=seeds.kernel())(x)
    x = keras.layers.RepeatVector(width, name="repeat")(x)
    x = _rnn_layer(cell, units, seeds, return_sequences=True, name=f"decoder_{cell}")(x)
    outputs = keras.layers.TimeDistributed(
        keras.layers.Dense(n_channels, kernel_initializer=seeds.kernel()), name="reconstruction"
    )(x)
    return keras.Model(inputs, outputs, name=name)


def lstm_autoencoder(
    width: int,
    n_channels: int = 1,
    units: int = 16,
    latent: int = 8,
    *,
    random_state: int | np.random.Generator | None = None,
    name: str = "lstm_autoencoder",
) -> keras.Model:
    """Build a sequence-to-sequence LSTM autoencoder for windows of a time series.

    ``LSTM(units)`` reads the window into its final state, a linear ``Dense(latent)`` named
    ``"latent"`` compresses it, ``RepeatVector(width)`` hands it to every step of a decoder
    ``LSTM(units, return_sequences=True)``, and ``TimeDistributed(Dense(n_channels))`` (named
    ``"reconstruction"``) writes the window back.

    When to use: windows where order and long patterns matter (lesson 04). Slower than
    :func:`conv1d_autoencoder`; keep ``width`` below ~100.

    Parameters
    ----------
    width : int
        Window length.
    n_channels : int, default 1
    units : int, default 16
        Size of the LSTM states.
    latent : int, default 8
        Size of the bottleneck.
    random_state : None, int or numpy.random.Generator, default None
        Seeds the initial weights (see "Randomness" in the module notes): the same int builds
        the same weights whatever ran before; None uses Keras's global seed.
    name : str, default "lstm_autoencoder"

    Returns
    -------
    keras.Model
        Uncompiled. Input and output of shape (n_windows, width, n_channels).
        With one channel and the defaults it has 2,905 parameters (for any width).

    See Also
    --------
    gru_autoencoder, rnn_forecaster, encoder_of
    """
    return _rnn_autoencoder(width, n_channels, units, latent, "lstm", name, random_state)


def gru_autoencoder(
    width: int,
    n_channels: int = 1,
    units: int = 16,
    latent: int = 8,
    *,
    random_state: int | np.random.Generator | None = None,
    name: str = "gru_autoencoder",
) -> keras.Model:
    """Build a sequence-to-sequence GRU autoencoder; same design as :func:`lstm_autoencoder`.

    A GRU has three gates instead of four, so it is smaller and a little faster.

    Parameters
    ----------
    width : int
        Window length.
    n_channels : int, default 1
    units : int, default 16
    latent : int, default 8
    random_state : None, int or numpy.random.Generator, default None
        Seeds the initial weights (see "Randomness" in the module notes): the same int builds
        the same weights whatever ran before; None uses Keras's global seed.
    name : str, default "gru_autoencoder"

    Returns
    -------
    keras.Model
        Uncompiled. Input and output of shape (n_windows, width, n_channels).
        With one channel and the defaults it has 2,313 parameters.

    See Also
    --------
    lstm_autoencoder : lesson 04.
    """
    return _rnn_autoencoder(width, n_channels, units, latent, "gru", name, random_state)


def rnn_forecaster(
    width: int,
    n_channels: int = 1,
    units: int = 16,
    cell: str = "lstm",
    horizon: int = 1,
    *,
    random_state: int | np.random.Generator | None = None,
    name: str = "rnn_forecaster",
) -> keras.Model:
    """Build a recurrent model that predicts the next ``horizon`` steps of a window.

    ``LSTM``/``GRU(units)`` (layer ``"embedding"``) reads the window; ``Dense(horizon * n_channels)`` reshaped to
    (horizon, n_channels) is the forecast (layer ``"forecast"``). The anomaly score is the
    prediction error: a point the model could not foresee is suspicious.

    When to use: series with learnable dynamics (lesson 04); the alternative to reconstructing
    whole windows.

    Parameters
    ----------
    width : int
        Number of past steps the model sees.
    n_channels : int, default 1
    units : int, default 16
    cell : {"lstm", "gru"}, default "lstm"
    horizon : int, default 1
        Number of future steps predicted.
    random_state : None, int or numpy.random.Generator, default None
        Seeds the initial weights (see "Randomness" in the module notes): the same int builds
        the same weights whatever ran before; None uses Keras's global seed.
    name : str, default "rnn_forecaster"

    Returns
    -------
    keras.Model
        Uncompiled. Input of shape (n_windows, width, n_channels); output of shape
        (n_windows, horizon, n_channels) — always 3-D, also for one step and one channel.
        With the defaults it has 1,169 parameters (LSTM) or 929 (GRU).

    See Also
    --------
    lstm_autoencoder : scoring by reconstruction instead of prediction.
    """
    width = check_positive_int(width, "width")
    n_channels = check_positive_int(n_channels, "n_channels")
    units = check_positive_int(units, "units")
    cell = check_choice(cell, "cell", RNN_CELLS)
    horizon = check_positive_int(horizon, "horizon")
    seeds = _LayerSeeds(random_state)
    inputs = keras.Input(shape=(width, n_channels), name="windows")
    x = _rnn_layer(cell, units, seeds, name="embedding")(inputs)
    x = keras.layers.Dense(horizon * n_channels, name="forecast_flat", kernel_initializer=seeds.kernel())(x)
    outputs = keras.layers.Reshape((horizon, n_channels), name="forecast")(x)
    return keras.Model(inputs, outputs, name=name)


# --------------------------------------------------------------------------- classifiers and feature extractors


def mlp_classifier(
    n_features: int, *, random_state: int | np.random.Generator | None = None, name: str = "mlp_classifier"
) -> keras.Model:
    """Build the article's model: Dense 32 relu -> Dense 16 relu -> Dense 1 sigmoid.

    Compile it with Adam and binary cross-entropy, exactly as the article does
    (``compile_model(model)`` picks these, or ``model.compile(optimizer="adam",
    loss="binary_crossentropy", metrics=["accuracy"])``).

    When to use: lesson 07, where labels are available (supervised detection). The output is
    the probability of class 1, i.e. of "anomaly" — it is already an anomaly score.

    Parameters
    ----------
    n_features : int
    random_state : None, int or numpy.random.Generator, default None
        Seeds the initial weights (see "Randomness" in the module notes): the same int builds
        the same weights whatever ran before; None uses Keras's global seed.
    name : str, default "mlp_classifier"

    Returns
    -------
    keras.Model
        Uncompiled. Input of shape (n_samples, n_features); output of shape (n_samples, 1),
        named ``"probability"``. With 30 features it has 1,537 parameters.

    See Also
    --------
    dense_autoencoder : the unsupervised alternative.
    """
    n_features = check_positive_int(n_features, "n_features")
    seeds = _LayerSeeds(random_state)
    inputs = keras.Input(shape=(n_features,), name="features")
    x = keras.layers.Dense(32, activation="relu", name="hidden_1", kernel_initializer=seeds.kernel())(inputs)
    x = keras.layers.Dense(16, activation="relu", name="hidden_2", kernel_initializer=seeds.kernel())(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="probability", kernel_initializer=seeds.kernel())(x)
    return keras.Model(inputs, outputs, name=name)


def cnn_feature_extractor(
    input_shape: Sequence[int] = (8, 8, 1),
    n_classes: int = 9,
    filters: Sequence[int] = (16, 32),
    embedding: int = 32,
    *,
    random_state: int | np.random.Generator | None = None,
    name: str = "cnn_classifier",
) -> tuple[keras.Model, keras.Model]:
    """Build a small CNN classifier and the encoder that outputs its embedding.

    ``Conv2D(f, 3, relu)`` + ``MaxPooling2D(2)`` per filter, ``Flatten``, ``Dense(embedding, relu)``
    named ``"embedding"``, and a softmax ``Dense(n_classes)`` named ``"class_probabilities"``.
    Train the classifier on the *normal* classes only (e.g. 9 of the 10 digits); the encoder
    shares its layers, so after training it maps images to features in which a distance-based
    detector (k-NN, Isolation Forest, ...) can spot the unseen class.

    Parameters
    ----------
    input_shape : tuple of int (height, width, channels), default (8, 8, 1)
        Height and width at least ``2 ** len(filters)``.
    n_classes : int, default 9
        Number of normal classes (at least 2).
    filters : tuple of int, default (16, 32)
    embedding : int, default 32
        Size of the feature vector.
    random_state : None, int or numpy.random.Generator, default None
        Seeds the initial weights (see "Randomness" in the module notes): the same int builds
        the same weights whatever ran before; None uses Keras's global seed.
    name : str, default "cnn_classifier"

    Returns
    -------
    classifier : keras.Model
        Uncompiled. Input (n_samples, height, width, channels) -> class probabilities
        (n_samples, n_classes). Compile with ``sparse_categorical_crossentropy`` (integer labels).
        With the defaults it has 9,225 parameters.
    encoder : keras.Model
        Input (n_samples, height, width, channels) -> embedding (n_samples, embedding).
        Shares the classifier's weights: train the classifier, then call the encoder.

    See Also
    --------
    Lesson 03 (CNN feature extraction); rnn_feature_extractor.
    """
    height, width, channels = _check_shape(input_shape, "input_shape", 3)
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    filters = _check_sizes(filters, "filters")
    embedding = check_positive_int(embedding, "embedding")
    _check_poolable(height, len(filters), "input_shape[0]", "height")
    _check_poolable(width, len(filters), "input_shape[1]", "width")
    seeds = _LayerSeeds(random_state)
    inputs = keras.Input(shape=(height, width, channels), name="images")
    x = inputs
    for i, f in enumerate(filters):
        x = keras.layers.Conv2D(
            f, 3, padding="same", activation="relu", name=f"conv_{i + 1}", kernel_initializer=seeds.kernel()
        )(x)
        x = keras.layers.MaxPooling2D(2, padding="same", name=f"pool_{i + 1}")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    features = keras.layers.Dense(embedding, activation="relu", name="embedding", kernel_initializer=seeds.kernel())(x)
    outputs = keras.layers.Dense(
        n_classes, activation="softmax", name="class_probabilities", kernel_initializer=seeds.kernel()
    )(features)
    classifier = keras.Model(inputs, outputs, name=name)
    encoder = keras.Model(inputs, features, name=f"{name}_encoder")
    return classifier, encoder


def rnn_feature_extractor(
    width: int,
    n_channels: int = 1,
    units: int = 16,
    cell: str = "gru",
    n_classes: int = 2,
    *,
    random_state: int | np.random.Generator | None = None,
    name: str = "rnn_classifier",
) -> tuple[keras.Model, keras.Model]:
    """Build a recurrent window classifier and the encoder that outputs its final hidden state.

    ``GRU``/``LSTM(units)`` named ``"embedding"`` reads the window; a softmax ``Dense(n_classes)``
    named ``"class_probabilities"`` classifies it. The encoder returns the final hidden state,
    a fixed-length feature vector for any classical detector.

    Parameters
    ----------
    width : int
        Window length.
    n_channels : int, default 1
    units : int, default 16
        Size of the hidden state (= of the features).
    cell : {"gru", "lstm"}, default "gru"
    n_classes : int, default 2
        Number of window classes the classifier is trained on (at least 2).
    random_state : None, int or numpy.random.Generator, default None
        Seeds the initial weights (see "Randomness" in the module notes): the same int builds
        the same weights whatever ran before; None uses Keras's global seed.
    name : str, default "rnn_classifier"

    Returns
    -------
    classifier : keras.Model
        Uncompiled. (n_windows, width, n_channels) -> (n_windows, n_classes).
        With the defaults it has 946 parameters (GRU).
    encoder : keras.Model
        (n_windows, width, n_channels) -> (n_windows, units), sharing the classifier's weights.

    See Also
    --------
    Lesson 04 (RNN feature extraction); cnn_feature_extractor.
    """
    width = check_positive_int(width, "width")
    n_channels = check_positive_int(n_channels, "n_channels")
    units = check_positive_int(units, "units")
    cell = check_choice(cell, "cell", RNN_CELLS)
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    seeds = _LayerSeeds(random_state)
    inputs = keras.Input(shape=(width, n_channels), name="windows")
    features = _rnn_layer(cell, units, seeds, name="embedding")(inputs)
    outputs = keras.layers.Dense(
        n_classes, activation="softmax", name="class_probabilities", kernel_initializer=seeds.kernel()
    )(features)
    classifier = keras.Model(inputs, outputs, name=name)
    encoder = keras.Model(inputs, features, name=f"{name}_encoder")
    return classifier, encoder


# --------------------------------------------------------------------------- utilities


def _check_model(model: Any, name: str = "model") -> keras.Model:
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"{name} must be a keras.Model (e.g. from anomaly_helpers.models.dense_autoencoder), "
            f"got {type(model).__name__}."
        )
    return model


def encoder_of(model: keras.Model) -> keras.Model:
    """Return the encoder of an autoencoder built here (input -> layer ``"latent"``).

    The encoder shares the autoencoder's layers and weights; it is not a copy. For the feature
    extractors' classifiers it returns input -> layer ``"embedding"``.

    Parameters
    ----------
    model : keras.Model
        An autoencoder from this module (or any functional model with a layer named
        ``"latent"`` or ``"embedding"``).

    Returns
    -------
    keras.Model
        Named ``"<model name>_encoder"``. Output shape: (n_samples, latent) for the dense and
        RNN autoencoders, (n_samples, h, w, filters[-1]) for the plain conv2d autoencoder, etc.

    See Also
    --------
    Lessons 03 and 04: the latent codes as features.
    """
    model = _check_model(model)
    names = [layer.name for layer in model.layers]
    for layer_name in ("latent", "embedding"):
        if layer_name in names:
            # a single input tensor, not a one-element list: otherwise calling the encoder on an array warns
            inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
            return keras.Model(inputs, model.get_layer(layer_name).output, name=f"{model.name}_encoder")
    raise ValueError(
        f"model {model.name!r} has no layer named 'latent' or 'embedding', so its encoder is unknown; "
        "pass an autoencoder built by anomaly_helpers.models (or name your bottleneck layer 'latent')."
    )


def default_loss(model: keras.Model) -> str:
    """Return the loss that suits a model built here.

    ``"sparse_categorical_crossentropy"`` when the last layer is a softmax ``Dense`` (integer class
    labels), ``"binary_crossentropy"`` when it is a one-unit sigmoid ``Dense`` (0/1 labels, e.g.
    :func:`mlp_classifier`), ``"mse"`` otherwise (autoencoders and forecasters).

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    str
    """
    model = _check_model(model)
    last = model.layers[-1]
    if isinstance(last, keras.layers.Dense):
        activation = getattr(last.activation, "__name__", "")
        if activation == "softmax":
            return "sparse_categorical_crossentropy"
        if activation == "sigmoid" and last.units == 1:
            return "binary_crossentropy"
    return "mse"


def _make_optimizer(optimizer: Any, learning_rate: float | None) -> keras.optimizers.Optimizer:
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


def compile_model(
    model: keras.Model,
    *,
    learning_rate: float = 1e-3,
    loss: str | None = None,
    optimizer: str | keras.optimizers.Optimizer = "adam",
    metrics: list[str] | None = None,
) -> keras.Model:
    """Compile ``model`` (in place) and return it.

    Parameters
    ----------
    model : keras.Model
    learning_rate : float, default 1e-3
        Must be >= 0 (0 is allowed, to demonstrate a model that cannot learn).
    loss : str, optional
        Default: :func:`default_loss` (mse for autoencoders, binary cross-entropy for
        :func:`mlp_classifier`, sparse categorical cross-entropy for the feature extractors).
    optimizer : str or keras optimizer, default "adam"
    metrics : list of str, optional
        E.g. ``["accuracy"]`` for classifiers.

    Returns
    -------
    keras.Model
        The same model, compiled.

    See Also
    --------
    anomaly_helpers.training.fit_model : compiles uncompiled models itself. Lesson 05.
    """
    model = _check_model(model)
    learning_rate = _check_learning_rate(learning_rate)
    loss = default_loss(model) if loss is None else loss
    model.compile(optimizer=_make_optimizer(optimizer, learning_rate), loss=loss, metrics=metrics)
    return model


def _check_learning_rate(lr: Any, name: str = "learning_rate") -> float:
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f"{name} must be a number such as 1e-3, got {lr!r} ({type(lr).__name__}).")
    if not np.isfinite(lr) or lr < 0:
        raise ValueError(f"{name} must be a finite number >= 0 (typically 1e-4 to 1e-2), got {lr}.")
    return float(lr)


def count_params(model: keras.Model) -> int:
    """Return the total number of weights (trainable and not) of ``model``.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    int
    """
    return int(_check_model(model).count_params())


def _check_keras_path(path: Any, name: str = "path") -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a file path ending in .keras, got {path!r}.")
    p = Path(path)
    if p.suffix != ".keras":
        raise ValueError(
            f"{name}={str(path)!r} must end with '.keras' (the Keras 3 model format), "
            f"e.g. {str(p.with_suffix('.keras'))!r}."
        )
    return p


def save_model(model: keras.Model, path: str | os.PathLike) -> Path:
    """Save ``model`` (architecture, weights, compile settings) to a ``.keras`` file.

    Parameters
    ----------
    model : keras.Model
    path : str or path-like
        Must end with ``.keras``. Missing parent folders are created.

    Returns
    -------
    pathlib.Path
        The file written.

    See Also
    --------
    load_model. Lesson 08 (practice) saves a trained detector.
    """
    model = _check_model(model)
    p = _check_keras_path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    optimizer = getattr(model, "optimizer", None)
    if model.compiled and optimizer is not None and not optimizer.built:
        # an unbuilt optimizer is saved without its slots, and loading it then warns
        optimizer.build(model.trainable_variables)
    model.save(p)
    return p


def load_model(path: str | os.PathLike) -> keras.Model:
    """Load a model saved with :func:`save_model`, with Keras's ``safe_mode=True``.

    Safe mode refuses to run code stored in the file (``Lambda`` layers), so loading a file from
    someone else cannot execute arbitrary code. The builders here use no ``Lambda`` layers.

    Parameters
    ----------
    path : str or path-like
        A ``.keras`` file.

    Returns
    -------
    keras.Model
        Compiled again if it was compiled when saved.
    """
    p = _check_keras_path(path)
    if not p.is_file():
        raise FileNotFoundError(f"path={str(path)!r} does not exist; check the file name (save it with save_model).")
    return keras.saving.load_model(p, safe_mode=True)
