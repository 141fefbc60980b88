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

Default sizes stay well under 20,000 parameters. This module is the public face: the
autoencoder builders are written in ``_autoencoders.py``, the forecaster, classifier and
feature-extractor builders in ``_forecasters_classifiers.py``; import all of them from here.

Randomness: every builder takes ``random_state`` (None, an int or a ``numpy.random.Generator``).
With an int or a Generator each layer gets its own seeded initialiser (seeds drawn in turn from
one generator), so ``dense_autoencoder(30, random_state=0)`` has the same initial weights on
every call, whatever consumed Python's, NumPy's or Keras's global random state before. With
``None`` the layers use Keras's default initialisers, which draw from Keras's global seed
(set by ``keras.utils.set_random_seed`` or ``setup_lesson``) and so depend on what ran before.

Used in lesson 03 (CNN features), lesson 04 (RNN features), lesson 05 (training) and
lesson 07 (the article's code example, :func:`mlp_classifier`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import keras

from anomaly_helpers._autoencoders import (
    conv1d_autoencoder,
    conv2d_autoencoder,
    dense_autoencoder,
    gru_autoencoder,
    lstm_autoencoder,
)
from anomaly_helpers._forecasters_classifiers import (
    cnn_feature_extractor,
    mlp_classifier,
    rnn_feature_extractor,
    rnn_forecaster,
)
from anomaly_helpers._keras_common import RNN_CELLS, check_learning_rate, check_model, make_optimizer

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

# --------------------------------------------------------------------------- utilities


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

    Notes
    -----
    See lessons 03 and 04: the latent codes as features.
    """
    model = check_model(model)
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
    model = check_model(model)
    last = model.layers[-1]
    if isinstance(last, keras.layers.Dense):
        activation = getattr(last.activation, "__name__", "")
        if activation == "softmax":
            return "sparse_categorical_crossentropy"
        if activation == "sigmoid" and last.units == 1:
            return "binary_crossentropy"
    return "mse"


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
    model = check_model(model)
    learning_rate = check_learning_rate(learning_rate)
    loss = default_loss(model) if loss is None else loss
    model.compile(optimizer=make_optimizer(optimizer, learning_rate), loss=loss, metrics=metrics)
    return model


def count_params(model: keras.Model) -> int:
    """Return the total number of weights (trainable and not) of ``model``.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    int
    """
    return int(check_model(model).count_params())


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
    load_model : read it back.
    """
    model = check_model(model)
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
