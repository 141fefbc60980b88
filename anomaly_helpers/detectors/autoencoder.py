"""A Keras autoencoder as a detector with the same interface as the classical ones.

See Also
--------
anomaly_helpers.detectors : the interface it shares with the classical detectors.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from anomaly_helpers._validate import check_fraction, check_positive_int, seed_from_random_state
from anomaly_helpers.detectors.base import BaseDetector

__all__ = ["AutoencoderDetector"]


class AutoencoderDetector(BaseDetector):
    """Autoencoder reconstruction error as a detector (Keras), scikit-learn style.

    ``fit`` builds the network (a dense autoencoder by default, or ``builder(n_features,
    random_state)``), trains it to reproduce ``X`` with
    :func:`anomaly_helpers.training.fit_model` (early stopping on a random validation part
    of ``X``), and scores each sample by its mean squared reconstruction error
    (:func:`anomaly_helpers.scoring.reconstruction_error`): higher = more anomalous, as
    for every detector here and in PyOD (``pyod.models.auto_encoder.AutoEncoder``).

    Weight initialisation, the validation split and the batch order are seeded from
    ``random_state`` locally: ``fit`` leaves the global generators (Python, NumPy,
    TensorFlow) alone, so the result does not depend on what ran before.

    When to use: next to the classical detectors, in the same loop
    (:func:`~anomaly_helpers.detectors.compare_detectors`) or the same pipeline. Scale the
    features first: ``make_pipeline(StandardScaler(), AutoencoderDetector())``.

    Parameters
    ----------
    hidden : sequence of int, default (16,)
        Sizes of the hidden layers between input and bottleneck (default builder only).
    latent : int, default 4
        Size of the bottleneck; keep it smaller than the number of features (default
        builder only).
    activation : str, default "relu"
        Activation of the hidden layers (default builder only).
    learning_rate : float or None, default 1e-3
        Adam's step size. ``None`` keeps a compiled builder model's own optimizer settings.
    epochs : int, default 50
        Maximum number of epochs.
    batch_size : int, default 32
    validation_fraction : float in (0, 1) or None, default 0.1
        Part of ``X`` held out to decide when to stop. ``None`` trains on all of ``X`` and
        watches the training loss.
    patience : int or None, default 5
        Early stopping: stop after this many epochs without improvement and keep the best
        weights. ``None`` trains all ``epochs``.
    builder : callable or None, default None
        ``builder(n_features, random_state) -> keras.Model``, compiled or not, taking input
        of shape (n_samples, n_features) and returning the same shape. Use it for another
        architecture, e.g. a 1-D convolutional one that starts with
        ``keras.layers.Reshape((n_features, 1))`` and ends with ``keras.layers.Flatten()``.
        ``random_state`` is an int seed (or None) for its initialisers.
    contamination : float in (0, 0.5], default 0.1
    random_state : None, int or numpy.random.Generator, default 0
        Seeds weight initialisation, the validation split and the batch order. ``None``
        gives a different network at each fit; a Generator gives a seed drawn from it.
    verbose : int or str, default 0
        0: silent; otherwise passed to ``fit_model`` (``"epoch"``: one line per epoch).

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    history_ : dict of str -> list of float
        Losses per epoch (``"loss"``, and ``"val_loss"`` with a validation fraction).
    best_epoch_ : int
        The epoch (1-based) whose weights the model kept (early stopping restores the best).
    decision_scores_, threshold_, labels_ : see :class:`BaseDetector`.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline  # doctest: +SKIP
    >>> from sklearn.preprocessing import StandardScaler  # doctest: +SKIP
    >>> pipe = make_pipeline(StandardScaler(), AutoencoderDetector(epochs=20))  # doctest: +SKIP
    >>> scores = pipe.fit(X_train).decision_function(X_test)  # doctest: +SKIP

    See Also
    --------
    anomaly_helpers.detectors.PCADetector : the linear version of the same idea.
    anomaly_helpers.models.dense_autoencoder : the default network.
    Lesson 02 (preprocessing) and lesson 07 (the article's code example).
    """

    name = "autoencoder"

    def __init__(
        self,
        hidden: Sequence[int] = (16,),
        latent: int = 4,
        activation: str = "relu",
        learning_rate: float | None = 1e-3,
        epochs: int = 50,
        batch_size: int = 32,
        validation_fraction: float | None = 0.1,
        patience: int | None = 5,
        builder: Callable[[int, int | None], Any] | None = None,
        contamination: float = 0.1,
        random_state: Any = 0,
        verbose: int | str = 0,
    ) -> None:
        self.hidden = hidden
        self.latent = latent
        self.activation = activation
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.builder = builder
        self.contamination = contamination
        self.random_state = random_state
        self.verbose = verbose

    def _check_params(self) -> None:
        check_positive_int(self.epochs, "epochs")
        check_positive_int(self.batch_size, "batch_size")
        if self.validation_fraction is not None:
            check_fraction(self.validation_fraction, "validation_fraction")
        if self.patience is not None:
            check_positive_int(self.patience, "patience", minimum=0)
        lr = self.learning_rate
        if lr is not None and (isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not lr > 0):
            raise ValueError(f"learning_rate must be a positive number or None, got {lr!r}; pass e.g. 1e-3.")
        if self.builder is not None and not callable(self.builder):
            raise TypeError(
                f"builder must be a function (n_features, random_state) -> keras.Model, got "
                f"{type(self.builder).__name__}; pass e.g. builder=my_builder (no parentheses) or None."
            )

    def _min_samples(self) -> int:
        return 2 if self.validation_fraction is None else 4

    def _build(self, n_features: int, seed: int | None) -> Any:
        import keras

        from anomaly_helpers import models

        if self.builder is None:
            return models.dense_autoencoder(
                n_features, hidden=self.hidden, latent=self.latent, activation=self.activation, random_state=seed
            )
        model = self.builder(n_features, seed)
        if not isinstance(model, keras.Model):
            raise TypeError(
                f"builder returned a {type(model).__name__}, not a keras.Model; make it return the model "
                "(e.g. return keras.Model(inputs, outputs))."
            )
        if tuple(model.output_shape[1:]) != (n_features,):
            raise ValueError(
                f"builder's model outputs shape {model.output_shape} but an autoencoder for this data must output "
                f"(None, {n_features}); end it with a Dense({n_features}) or a Flatten() layer."
            )
        return model

    def _fit(self, X: np.ndarray) -> None:
        from anomaly_helpers import training

        seed = seed_from_random_state(self.random_state, "random_state")
        self.model_ = self._build(X.shape[1], seed)
        history = training.fit_model(
            self.model_,
            X,
            validation_split=self.validation_fraction,
            epochs=self.epochs,
            batch_size=self.batch_size,
            patience=self.patience,
            learning_rate=self.learning_rate,
            verbose="silent" if self.verbose == 0 else self.verbose,
            random_state=seed,
        )
        self.history_ = {key: [float(v) for v in values] for key, values in history.history.items()}
        self.best_epoch_ = int(history.best_epoch)

    def _score(self, X: np.ndarray) -> np.ndarray:
        import keras

        from anomaly_helpers import scoring

        # Calling the model in chunks is much faster than model.predict on small tables, and it
        # does not retrace (nor warn about retracing) when the number of rows changes.
        x = X.astype(np.float32)
        chunks = [
            keras.ops.convert_to_numpy(self.model_(x[i : i + 4096], training=False)) for i in range(0, len(x), 4096)
        ]
        return scoring.reconstruction_error(X, np.concatenate(chunks).reshape(X.shape))
