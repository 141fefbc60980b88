"""The forecaster, classifier and feature-extractor builders; import them from :mod:`anomaly_helpers.models`.

These models learn a target other than their input: the next steps of a window, or a class.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from anomaly_helpers._keras_common import (
    RNN_CELLS,
    LayerSeeds,
    check_poolable,
    check_shape,
    check_sizes,
    rnn_layer,
)
from anomaly_helpers._validate import check_choice, check_positive_int

__all__ = ["rnn_forecaster", "mlp_classifier", "cnn_feature_extractor", "rnn_feature_extractor"]


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
    seeds = LayerSeeds(random_state)
    inputs = keras.Input(shape=(width, n_channels), name="windows")
    x = rnn_layer(cell, units, seeds, name="embedding")(inputs)
    x = keras.layers.Dense(horizon * n_channels, name="forecast_flat", kernel_initializer=seeds.kernel())(x)
    outputs = keras.layers.Reshape((horizon, n_channels), name="forecast")(x)
    return keras.Model(inputs, outputs, name=name)


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
    seeds = LayerSeeds(random_state)
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
    rnn_feature_extractor : the same idea for windows of a series.

    Notes
    -----
    See lesson 03 (CNN feature extraction).
    """
    height, width, channels = check_shape(input_shape, "input_shape", 3)
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    filters = check_sizes(filters, "filters")
    embedding = check_positive_int(embedding, "embedding")
    check_poolable(height, len(filters), "input_shape[0]", "height")
    check_poolable(width, len(filters), "input_shape[1]", "width")
    seeds = LayerSeeds(random_state)
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
    cnn_feature_extractor : the same idea for images.

    Notes
    -----
    See lesson 04 (RNN feature extraction).
    """
    width = check_positive_int(width, "width")
    n_channels = check_positive_int(n_channels, "n_channels")
    units = check_positive_int(units, "units")
    cell = check_choice(cell, "cell", RNN_CELLS)
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    seeds = LayerSeeds(random_state)
    inputs = keras.Input(shape=(width, n_channels), name="windows")
    features = rnn_layer(cell, units, seeds, name="embedding")(inputs)
    outputs = keras.layers.Dense(
        n_classes, activation="softmax", name="class_probabilities", kernel_initializer=seeds.kernel()
    )(features)
    classifier = keras.Model(inputs, outputs, name=name)
    encoder = keras.Model(inputs, features, name=f"{name}_encoder")
    return classifier, encoder
