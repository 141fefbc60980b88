"""Tests for anomaly_helpers.training: fit_model, predict, snapshot_weights, check_learning."""

from __future__ import annotations

import random
import re

import anomaly_helpers  # noqa: F401  - first: sets the TensorFlow environment before keras is imported

# isort: split
import keras
import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from anomaly_helpers import models as M
from anomaly_helpers import training as T
from anomaly_helpers._training_data import split_validation

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

EPOCH_LINE = re.compile(r"^epoch +\d+/\d+  loss \d+\.\d{4}(  [a-z_]+ \d+\.\d{4})*$")


@pytest.fixture
def X():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(64, 2))
    # 6 correlated features: an autoencoder with a 2-D bottleneck can learn them
    return np.hstack([base, base @ rng.normal(size=(2, 4))]).astype("float32")


def _ae(n_features=6):
    return M.dense_autoencoder(n_features, hidden=(8,), latent=2)


def test_fit_prints_one_line_per_epoch(X, capsys):
    history = T.fit_model(_ae(), X, epochs=4, patience=None)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    for i, line in enumerate(lines[:4], start=1):
        assert EPOCH_LINE.match(line), line
        assert line.startswith(f"epoch {i}/4  loss ")
        assert "val_loss" in line
    assert lines[4] == "finished all 4 epochs (no early stopping; the model has the last epoch's weights)"
    text = "\n".join(lines)
    assert not re.search(r"\d+m?s\b|/step|ETA", text)  # no timings
    assert isinstance(history, keras.callbacks.History)
    assert len(history.history["loss"]) == 4 and len(history.history["val_loss"]) == 4
    assert history.best_epoch == 4 and history.stopped_early is False
    # figures printed with 4 decimals are the recorded losses
    assert f"{history.history['loss'][0]:.4f}" in lines[0]


def test_fit_verbose_modes(X, capsys):
    T.fit_model(_ae(), X, epochs=3, verbose=0)
    assert capsys.readouterr().out == ""
    T.fit_model(_ae(), X, epochs=3, verbose="summary")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines[:2]] == ["epoch 1/3", "epoch 3/3"]
    assert lines[2].startswith("finished all 3 epochs; restored the weights of epoch")
    assert len(lines) == 3


def test_early_stopping_stops_and_says_so(X, capsys):
    # learning rate 0: val_loss never improves, so patience 1 stops after epoch 2
    history = T.fit_model(_ae(), X, epochs=20, patience=1, learning_rate=0.0)
    lines = capsys.readouterr().out.splitlines()
    assert len(history.history["loss"]) == 2
    assert history.stopped_early is True and history.best_epoch == 1
    assert lines[-1].startswith("early stopping at epoch 2: val_loss did not improve for 1 epoch;")
    assert "restored the weights of epoch 1" in lines[-1]


def test_best_weights_are_restored(X):
    rng = np.random.default_rng(1)
    X_val = X[rng.permutation(len(X))[:16]] + 0.3
    model = _ae()
    history = T.fit_model(model, X, validation_data=X_val, epochs=6, patience=2, learning_rate=0.05, verbose=0)
    best = history.best_epoch - 1
    assert history.history["val_loss"][best] == min(history.history["val_loss"])
    assert model.evaluate(X_val, X_val, verbose=0) == pytest.approx(history.history["val_loss"][best], rel=1e-4)


def test_validation_split_is_seeded_and_shuffled():
    def split(n, fraction, seed):
        return split_validation(n, fraction, np.random.default_rng(seed))

    train, val = split(100, 0.2, 0)
    assert len(val) == 20 and len(train) == 80
    assert set(train) | set(val) == set(range(100)) and not set(train) & set(val)
    assert list(val) != list(range(80, 100))  # not Keras's "last 20 %"
    assert np.array_equal(val, split(100, 0.2, 0)[1])
    assert not np.array_equal(val, split(100, 0.2, 1)[1])
    assert len(split(3, 0.01, 0)[1]) == 1  # at least one validation sample


def _disturb_global_random_state():
    """What a scratch cell or a front-end might do between two runs."""
    random.random()
    np.random.rand()  # noqa: NPY002 - the legacy global generator, on purpose
    keras.random.uniform((1,))
    tf.random.uniform((1,))


def _build_and_fit(X, random_state):
    model = M.dense_autoencoder(X.shape[1], hidden=(8,), latent=2, random_state=random_state)
    history = T.fit_model(model, X, epochs=4, batch_size=16, verbose=0, random_state=random_state)
    return model.get_weights(), history.history


def test_random_state_makes_build_and_fit_independent_of_global_state(X):
    weights_a, losses_a = _build_and_fit(X, 0)
    _disturb_global_random_state()
    weights_b, losses_b = _build_and_fit(X, 0)
    assert losses_a == losses_b
    assert all(np.array_equal(a, b) for a, b in zip(weights_a, weights_b, strict=True))
    # a Generator works the same way as the int it was seeded with
    weights_c, losses_c = _build_and_fit(X, np.random.default_rng(0))
    assert np.isfinite(losses_c["loss"]).all()
    _, losses_1 = _build_and_fit(X, 1)
    assert losses_1 != losses_a


@pytest.mark.parametrize("kind", ["conv1d", "lstm", "cnn_features"])
def test_random_state_seeds_every_builder_locally(kind):
    builders = {
        "conv1d": lambda rs: M.conv1d_autoencoder(16, filters=(4,), kernel_size=3, random_state=rs),
        "lstm": lambda rs: M.lstm_autoencoder(8, units=4, latent=2, random_state=rs),
        "cnn_features": lambda rs: M.cnn_feature_extractor(filters=(4,), embedding=4, random_state=rs)[0],
    }
    first = builders[kind](3).get_weights()
    _disturb_global_random_state()
    second = builders[kind](3).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    other = builders[kind](4).get_weights()
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_fit_model_leaves_the_global_generators_alone(X):
    model = M.dense_autoencoder(X.shape[1], hidden=(8,), latent=2, random_state=0)
    python_state, numpy_state = random.getstate(), np.random.get_state()  # noqa: NPY002
    T.fit_model(model, X, epochs=2, verbose=0, random_state=0)
    T.fit_model(model, X, epochs=2, verbose=0, random_state=np.random.default_rng(1), validation_split=None)
    M.dense_autoencoder(X.shape[1], random_state=5)
    assert random.getstate() == python_state
    after = np.random.get_state()  # noqa: NPY002
    assert all(np.array_equal(a, b) for a, b in zip(numpy_state, after, strict=True))


def test_shuffle_false_keeps_the_order(X):
    runs = []
    for seed in (0, 1):
        model = M.dense_autoencoder(X.shape[1], hidden=(8,), latent=2, random_state=0)
        runs.append(T.fit_model(model, X, epochs=2, verbose=0, random_state=seed, shuffle=False, validation_split=None))
    assert runs[0].history == runs[1].history  # no split and no shuffling: the seed has nothing to draw


def test_determinism_with_setup_lesson(X):
    histories = []
    with mpl.rc_context():
        options, precision = np.get_printoptions(), pd.get_option("display.precision")
        try:
            for _ in range(2):
                anomaly_helpers.setup_lesson(7)
                model = M.conv1d_autoencoder(16, filters=(4,), kernel_size=3)
                windows = X[:, :, None].repeat(3, axis=1)[:, :16]
                histories.append(T.fit_model(model, windows, epochs=3, verbose=0).history)
        finally:
            np.set_printoptions(**options)
            pd.set_option("display.precision", precision)
    assert histories[0] == histories[1]


def test_classifiers_and_compiled_models(X, capsys):
    y = (X[:, 0] > 0).astype(int)
    model = M.mlp_classifier(6)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    T.fit_model(model, X, y, epochs=2, learning_rate=0.01)
    line = capsys.readouterr().out.splitlines()[0]
    assert EPOCH_LINE.match(line), line
    assert "accuracy" in line and "val_accuracy" in line  # the compiled metrics are kept
    assert float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)) == pytest.approx(0.01)
    probs = T.predict(model, X)
    assert probs.shape == (64, 1) and probs.min() >= 0 and probs.max() <= 1

    classifier, encoder = M.rnn_feature_extractor(8, units=4, n_classes=3)
    windows = X[:, :, None].repeat(2, axis=1)[:, :8]
    labels = np.arange(64) % 3
    T.fit_model(classifier, windows, labels, epochs=2, verbose=0)
    assert classifier.loss == "sparse_categorical_crossentropy"
    assert T.predict(encoder, windows).shape == (64, 4)


def test_forecaster_targets_are_reshaped(X):
    model = M.rnn_forecaster(5, units=4)
    windows = X[:, :5, None]
    history = T.fit_model(model, windows, X[:, 5], epochs=2, verbose=0)  # (n,) for output (n, 1, 1)
    assert len(history.history["loss"]) == 2
    assert T.predict(model, windows).shape == (64, 1, 1)


def test_predict_and_snapshot(X):
    model = _ae()
    out = T.predict(model, X, batch_size=7)
    assert out.shape == X.shape and out.dtype == np.float32
    snap = T.snapshot_weights(model)
    assert len(snap) == len(model.get_weights())
    snap[0][:] = 123.0  # a copy, not a view
    assert not np.any(model.get_weights()[0] == 123.0)


def test_check_learning_passes_for_a_normal_model(X):
    model = _ae()
    before = T.snapshot_weights(model)
    history = T.fit_model(model, X, epochs=5, learning_rate=0.01, verbose=0)
    result = T.check_learning(model, history, X, weights_before=before)
    assert result.passed, result
    assert all(f.startswith("ok:") for f in result.findings) and len(result.findings) == 3
    assert set(result.details) == {"loss_drop", "max_weight_change", "prediction_std"}
    assert repr(result).startswith("LearningCheck(passed=True)\n  ok: loss fell")
    assert T.check_learning(model, history, X, raise_on_fail=True).passed


def test_check_learning_catches_learning_rate_zero(X):
    model = _ae()
    before = T.snapshot_weights(model)
    history = T.fit_model(model, X, epochs=3, patience=None, learning_rate=0.0, verbose=0)
    result = T.check_learning(model, history, X, weights_before=before)
    assert not result.passed
    assert result.findings[0].startswith("FAIL: loss fell 0.0%")
    assert result.findings[1].startswith("FAIL: no weight changed")
    with pytest.raises(RuntimeError, match="did not pass the learning check"):
        T.check_learning(model, history, X, weights_before=before, raise_on_fail=True)


def test_check_learning_catches_a_frozen_model(X, capsys):
    model = _ae()
    model.trainable = False
    before = T.snapshot_weights(model)
    history = T.fit_model(model, X, epochs=3, patience=None)
    assert capsys.readouterr().out.startswith("note: the model has no trainable weights")
    result = T.check_learning(model, history, X, weights_before=before)
    assert not result.passed
    assert any("frozen" in f for f in result.findings if f.startswith("FAIL"))


def test_check_learning_without_training(X):
    model = _ae()
    for w in model.weights:
        w.assign(np.zeros(w.shape))  # every output is 0: constant scores
    result = T.check_learning(model, {"loss": [1.0, 0.5]}, X)
    assert not result.passed
    assert result.findings[0].startswith("ok: loss fell 50.0%")
    assert result.findings[-1].startswith("FAIL: the outputs are the same for every sample")
    assert not T.check_learning(model, {"loss": [1.0, float("nan")]}, X).passed
    one_epoch = T.check_learning(_ae(), {"loss": [1.0]}, X)
    assert not one_epoch.passed and "only 1 epoch" in one_epoch.findings[0]


def _bad_fit_cases():
    X = np.random.default_rng(0).normal(size=(20, 6))
    X_nan = X.copy()
    X_nan[3, 2] = np.nan
    return [
        ({"X": X_nan}, ValueError, "X contains 1 NaN"),
        (
            {"X": X[:, :5]},
            ValueError,
            r"X has shape \(20, 5\) but model 'dense_autoencoder' expects .*\(n_samples, 6\)",
        ),
        ({"X": X[:, :, None]}, ValueError, r"X has shape \(20, 6, 1\)"),
        ({"X": X, "y": X[:10]}, ValueError, "y has 10 rows but X has 20"),
        ({"X": X, "y": X[:, :3]}, ValueError, r"y has shape \(20, 3\) but model"),
        ({"X": X, "epochs": 0}, ValueError, "epochs"),
        ({"X": X, "epochs": 2.0}, TypeError, "epochs"),
        ({"X": X, "validation_split": 1.0}, ValueError, "validation_split"),
        ({"X": X, "validation_split": 0}, ValueError, "validation_split"),
        ({"X": X, "validation_split": "20%"}, TypeError, "validation_split"),
        ({"X": X, "batch_size": 0}, ValueError, "batch_size"),
        ({"X": X, "patience": -1}, ValueError, "patience"),
        ({"X": X, "learning_rate": -0.1}, ValueError, "learning_rate"),
        ({"X": X, "learning_rate": "fast"}, TypeError, "learning_rate"),
        ({"X": X, "verbose": "loud"}, ValueError, "verbose"),
        ({"X": X, "verbose": 2}, ValueError, "verbose"),
        ({"X": X, "class_weight": [1, 10]}, TypeError, "class_weight"),
        ({"X": X, "random_state": -1}, ValueError, "random_state"),
        ({"X": X, "random_state": 1.5}, TypeError, "random_state"),
        ({"X": X, "random_state": np.random.RandomState(0)}, TypeError, "random_state"),  # noqa: NPY002
        ({"X": X, "shuffle": "yes"}, TypeError, "shuffle"),
        ({"X": X, "optimizer": "adamm"}, ValueError, "optimizer"),
        ({"X": X, "validation_data": X[:, :4]}, ValueError, r"X_val has shape \(20, 4\)"),
        ({"X": X, "validation_data": (X, X, X)}, ValueError, "validation_data"),
        ({"X": X[:1]}, ValueError, "validation_split needs at least 2"),
        ({"X": "data.csv"}, TypeError, "X"),
    ]


@pytest.mark.parametrize(("kwargs", "error", "match"), _bad_fit_cases())
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        T.fit_model(_ae(), **kwargs)


def test_bad_input_other_functions(X):
    ae = _ae()
    with pytest.raises(TypeError, match="model"):
        T.fit_model("autoencoder", X)
    with pytest.raises(TypeError, match="model"):
        T.predict(None, X)
    with pytest.raises(ValueError, match=r"validation_data must be a tuple \(X_val, y_val\) when y is given"):
        T.fit_model(M.mlp_classifier(6), X, np.zeros(64), validation_data=X)
    with pytest.raises(ValueError, match="y must contain 0/1 labels"):
        T.fit_model(M.mlp_classifier(6), X, np.arange(64))
    with pytest.raises(ValueError, match="y must contain integer class labels 0 ... 2"):
        T.fit_model(M.rnn_feature_extractor(6, n_classes=3)[0], X[:, :, None], np.arange(64))
    with pytest.raises(ValueError, match=r"Add the channel axis: X = X\[\.\.\., np\.newaxis\]"):
        T.predict(M.conv1d_autoencoder(6, filters=(2,)), X)
    with pytest.raises(ValueError, match=r"X.reshape\(-1, 2, 3, 1\)"):
        T.predict(M.conv2d_autoencoder((2, 3, 1), filters=(2,)), X)
    with pytest.raises(ValueError, match="batch_size"):
        T.predict(ae, X, batch_size=0)
    with pytest.raises(ValueError, match="min_loss_drop"):
        T.check_learning(ae, {"loss": [1.0, 0.5]}, X, min_loss_drop=2)
    with pytest.raises(TypeError, match="history"):
        T.check_learning(ae, [1.0, 0.5], X)
    with pytest.raises(ValueError, match="weights_before"):
        T.check_learning(ae, {"loss": [1.0, 0.5]}, X, weights_before=T.snapshot_weights(ae)[:2])
    with pytest.raises(ValueError, match="min_std"):
        T.check_learning(ae, {"loss": [1.0, 0.5]}, X, min_std=-1)
