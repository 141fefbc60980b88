"""The autoencoder builders; import them from :mod:`anomaly_helpers.models`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import keras
import numpy as np

from anomaly_helpers._keras_common import (
    RNN_CELLS,
    LayerSeeds,
    check_activation,
    check_poolable,
    check_shape,
    check_sizes,
    rnn_layer,
)
from anomaly_helpers._validate import check_choice, check_positive_int

__all__ = ["dense_autoencoder", "conv2d_autoencoder", "conv1d_autoencoder", "lstm_autoencoder", "gru_autoencoder"]


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
    hidden = check_sizes(hidden, "hidden", allow_empty=True)
    latent = check_positive_int(latent, "latent")
    activation = check_activation(activation)
    seeds = LayerSeeds(random_state)
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
    height, width, channels = check_shape(input_shape, "input_shape", 3)
    filters = check_sizes(filters, "filters")
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    if latent_dense is not None:
        latent_dense = check_positive_int(latent_dense, "latent_dense")
    check_poolable(height, len(filters), "input_shape[0]", "height")
    check_poolable(width, len(filters), "input_shape[1]", "width")

    seeds = LayerSeeds(random_state)
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
    lstm_autoencoder, gru_autoencoder : recurrent alternatives for the same windows.

    Notes
    -----
    See lesson 04 (RNN feature extraction) for cutting a series into windows.
    """
    width = check_positive_int(width, "width")
    n_channels = check_positive_int(n_channels, "n_channels")
    filters = check_sizes(filters, "filters")
    kernel_size = check_positive_int(kernel_size, "kernel_size")
    check_poolable(width, len(filters), "width", "window length")

    seeds = LayerSeeds(random_state)
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
    seeds = LayerSeeds(random_state)
    inputs = keras.Input(shape=(width, n_channels), name="windows")
    x = rnn_layer(cell, units, seeds, name=f"encoder_{cell}")(inputs)
    x = keras.layers.Dense(latent, name="latent", kernel_initializer=seeds.kernel())(x)
    x = keras.layers.RepeatVector(width, name="repeat")(x)
    x = rnn_layer(cell, units, seeds, return_sequences=True, name=f"decoder_{cell}")(x)
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
