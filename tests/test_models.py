"""Tests for anomaly_helpers.models: shapes, sizes, encoders, saving, bad input."""

from __future__ import annotations

import anomaly_helpers  # noqa: F401  - first: sets the TensorFlow environment before keras is imported

# isort: split
import keras
import numpy as np
import pytest

from anomaly_helpers import models as M

# Keras 3 + NumPy 2 emit this from Keras internals when converting tensors; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

# (builder, kwargs, input shape without the sample axis, output shape without the sample axis)
AUTOENCODERS = {
    "dense": (M.dense_autoencoder, {"n_features": 30}, (30,), (30,)),
    "conv2d": (M.conv2d_autoencoder, {}, (8, 8, 1), (8, 8, 1)),
    "conv2d_dense": (M.conv2d_autoencoder, {"latent_dense": 4}, (8, 8, 1), (8, 8, 1)),
    "conv1d": (M.conv1d_autoencoder, {"width": 32}, (32, 1), (32, 1)),
    "lstm": (M.lstm_autoencoder, {"width": 24}, (24, 1), (24, 1)),
    "gru": (M.gru_autoencoder, {"width": 24, "n_channels": 2}, (24, 2), (24, 2)),
}
OTHERS = {
    "forecaster_lstm": (M.rnn_forecaster, {"width": 24}, (24, 1), (1, 1)),
    "forecaster_gru": (M.rnn_forecaster, {"width": 24, "cell": "gru", "horizon": 3, "n_channels": 2}, (24, 2), (3, 2)),
    "mlp": (M.mlp_classifier, {"n_features": 30}, (30,), (1,)),
}
ALL = {**AUTOENCODERS, **OTHERS}
LATENT = {"dense": (4,), "conv2d": (2, 2, 8), "conv2d_dense": (4,), "conv1d": (8, 8), "lstm": (8,), "gru": (8,)}


def _data(shape, n=5, seed=0):
    return np.random.default_rng(seed).random((n, *shape)).astype("float32")


def _out(model, x):
    return np.asarray(model(x, training=False))


@pytest.mark.parametrize("key", list(ALL))
def test_builder_shapes_and_size(key):
    builder, kwargs, in_shape, out_shape = ALL[key]
    model = builder(**kwargs)
    assert isinstance(model, keras.Model)
    assert not model.compiled  # builders return uncompiled models
    assert model.name
    assert tuple(model.input_shape[1:]) == in_shape
    assert _out(model, _data(in_shape)).shape == (5, *out_shape)
    assert 0 < M.count_params(model) < 20_000
    assert M.count_params(model) == model.count_params()


def test_documented_param_counts():
    assert M.count_params(M.dense_autoencoder(30)) == 1154
    assert M.count_params(M.conv2d_autoencoder()) == 3217
    assert M.count_params(M.conv1d_autoencoder(64)) == 2513
    assert M.count_params(M.lstm_autoencoder(32)) == 2905
    assert M.count_params(M.mlp_classifier(30)) == 1537
    assert M.count_params(M.cnn_feature_extractor()[0]) == 9225


def test_mlp_classifier_is_the_articles_model():
    model = M.mlp_classifier(10)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [d.units for d in dense] == [32, 16, 1]
    assert [d.activation.__name__ for d in dense] == ["relu", "relu", "sigmoid"]
    out = _out(model, _data((10,)))
    assert np.all((out >= 0) & (out <= 1))
    compiled = M.compile_model(model)
    assert compiled is model and model.compiled
    assert model.loss == "binary_crossentropy"
    assert isinstance(model.optimizer, keras.optimizers.Adam)


def test_conv2d_output_in_unit_interval_and_odd_sizes():
    model = M.conv2d_autoencoder((7, 9, 1), filters=(4, 4))
    out = _out(model, _data((7, 9, 1)))
    assert out.shape == (5, 7, 9, 1)
    assert out.min() >= 0 and out.max() <= 1


@pytest.mark.parametrize("width", [16, 50, 37])
def test_conv1d_any_width(width):
    model = M.conv1d_autoencoder(width, filters=(4, 4), kernel_size=3)
    assert _out(model, _data((width, 1))).shape == (5, width, 1)


def test_dense_autoencoder_options():
    model = M.dense_autoencoder(6, hidden=(), latent=2, activation="tanh")
    assert _out(model, _data((6,))).shape == (5, 6)
    assert M.encoder_of(model).output_shape == (None, 2)
    deep = M.dense_autoencoder(6, hidden=(8, 4), latent=2)
    assert [layer.name for layer in deep.layers].count("latent") == 1


@pytest.mark.parametrize("key", list(AUTOENCODERS))
def test_encoder_of_each_autoencoder(key):
    builder, kwargs, in_shape, _ = AUTOENCODERS[key]
    model = builder(**kwargs)
    encoder = M.encoder_of(model)
    assert encoder.name == f"{model.name}_encoder"
    z = _out(encoder, _data(in_shape))
    assert z.shape == (5, *LATENT[key])
    # the encoder shares (does not copy) the autoencoder's layers
    assert encoder.get_layer("latent") is model.get_layer("latent")


def test_encoder_of_forecaster_and_feature_extractor():
    assert M.encoder_of(M.rnn_forecaster(10, units=5)).output_shape == (None, 5)
    classifier, encoder = M.cnn_feature_extractor()
    assert M.encoder_of(classifier).output_shape == encoder.output_shape


def test_cnn_feature_extractor_shares_layers():
    classifier, encoder = M.cnn_feature_extractor(n_classes=9, embedding=32)
    x = _data((8, 8, 1))
    probs = _out(classifier, x)
    assert probs.shape == (5, 9)
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    assert _out(encoder, x).shape == (5, 32)
    assert encoder.get_layer("embedding") is classifier.get_layer("embedding")
    assert M.count_params(classifier) < 20_000
    assert M.default_loss(classifier) == "sparse_categorical_crossentropy"


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_rnn_feature_extractor(cell):
    classifier, encoder = M.rnn_feature_extractor(20, units=6, cell=cell, n_classes=3)
    x = _data((20, 1))
    assert _out(classifier, x).shape == (5, 3)
    assert _out(encoder, x).shape == (5, 6)
    assert encoder.get_layer("embedding") is classifier.get_layer("embedding")
    assert isinstance(classifier.get_layer("embedding"), keras.layers.LSTM if cell == "lstm" else keras.layers.GRU)


def test_default_loss_and_compile_model():
    assert M.default_loss(M.dense_autoencoder(4)) == "mse"
    assert M.default_loss(M.conv2d_autoencoder()) == "mse"  # sigmoid output, but a reconstruction
    assert M.default_loss(M.rnn_forecaster(8)) == "mse"
    model = M.compile_model(M.dense_autoencoder(4), learning_rate=0.01, optimizer="sgd", metrics=["mae"])
    assert isinstance(model.optimizer, keras.optimizers.SGD)
    assert float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)) == pytest.approx(0.01)
    assert model.loss == "mse"


@pytest.mark.parametrize("key", ["dense", "conv2d_dense", "conv1d", "lstm", "forecaster_gru", "mlp"])
def test_save_load_round_trip(tmp_path, key):
    builder, kwargs, in_shape, _ = ALL[key]
    model = M.compile_model(builder(**kwargs))
    x = _data(in_shape)
    path = M.save_model(model, tmp_path / "sub" / "model.keras")
    assert path.is_file()
    loaded = M.load_model(str(path))
    assert loaded.name == model.name
    np.testing.assert_array_equal(_out(loaded, x), _out(model, x))
    assert loaded.compiled
    # the loaded model still has a usable encoder
    if key in AUTOENCODERS:
        assert M.encoder_of(loaded).output_shape == M.encoder_of(model).output_shape


def test_save_load_feature_extractor(tmp_path):
    classifier, _ = M.cnn_feature_extractor()
    path = M.save_model(classifier, tmp_path / "cnn.keras")
    x = _data((8, 8, 1))
    np.testing.assert_array_equal(_out(M.load_model(path), x), _out(classifier, x))


BAD = [
    (M.dense_autoencoder, {"n_features": 0}, ValueError, "n_features"),
    (M.dense_autoencoder, {"n_features": 2.5}, TypeError, "n_features"),
    (M.dense_autoencoder, {"n_features": "30"}, TypeError, "n_features"),
    (M.dense_autoencoder, {"n_features": 5, "hidden": (16, 0)}, ValueError, r"hidden\[1\]"),
    (M.dense_autoencoder, {"n_features": 5, "hidden": "16"}, TypeError, "hidden"),
    (M.dense_autoencoder, {"n_features": 5, "latent": 0}, ValueError, "latent"),
    (M.dense_autoencoder, {"n_features": 5, "activation": "relu2"}, ValueError, "activation"),
    (M.conv2d_autoencoder, {"input_shape": (8, 8)}, ValueError, "input_shape"),
    (M.conv2d_autoencoder, {"input_shape": (3, 8, 1)}, ValueError, r"input_shape\[0\]"),
    (M.conv2d_autoencoder, {"filters": ()}, ValueError, "filters"),
    (M.conv2d_autoencoder, {"latent_dense": 0}, ValueError, "latent_dense"),
    (M.conv1d_autoencoder, {"width": 3}, ValueError, "width"),
    (M.conv1d_autoencoder, {"width": 32, "n_channels": 0}, ValueError, "n_channels"),
    (M.lstm_autoencoder, {"width": 0}, ValueError, "width"),
    (M.gru_autoencoder, {"width": 10, "units": -1}, ValueError, "units"),
    (M.rnn_forecaster, {"width": 10, "cell": "rnn"}, ValueError, "cell"),
    (M.rnn_forecaster, {"width": 10, "horizon": 0}, ValueError, "horizon"),
    (M.rnn_feature_extractor, {"width": 10, "cell": "transformer"}, ValueError, "cell"),
    (M.rnn_feature_extractor, {"width": 10, "n_classes": 1}, ValueError, "n_classes"),
    (M.cnn_feature_extractor, {"n_classes": 1}, ValueError, "n_classes"),
    (M.cnn_feature_extractor, {"input_shape": (2, 2, 1)}, ValueError, r"input_shape\[0\]"),
    (M.mlp_classifier, {"n_features": True}, TypeError, "n_features"),
    (M.mlp_classifier, {"n_features": 4, "random_state": "0"}, TypeError, "random_state"),
    (M.dense_autoencoder, {"n_features": 4, "random_state": -3}, ValueError, "random_state"),
    (M.lstm_autoencoder, {"width": 8, "random_state": 0.5}, TypeError, "random_state"),
    (M.encoder_of, {"model": "dense_autoencoder"}, TypeError, "model"),
    (M.count_params, {"model": None}, TypeError, "model"),
    (M.load_model, {"path": "model.h5"}, ValueError, "path"),
    (M.load_model, {"path": "does_not_exist.keras"}, FileNotFoundError, "path"),
    (M.load_model, {"path": 42}, TypeError, "path"),
]


@pytest.mark.parametrize("key", list(ALL))
def test_random_state_gives_the_same_initial_weights(key):
    builder, kwargs, _, _ = ALL[key]
    first = builder(**kwargs, random_state=0).get_weights()
    keras.utils.set_random_seed(123)  # the global seed no longer matters
    second = builder(**kwargs, random_state=np.random.default_rng(0)).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    other = builder(**kwargs, random_state=1).get_weights()
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_random_state_none_follows_keras_global_seed():
    keras.utils.set_random_seed(5)
    first = M.dense_autoencoder(6).get_weights()
    keras.utils.set_random_seed(5)
    second = M.dense_autoencoder(6).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


@pytest.mark.parametrize(("func", "kwargs", "error", "match"), BAD)
def test_bad_input(func, kwargs, error, match):
    with pytest.raises(error, match=match):
        func(**kwargs)


def test_bad_input_needing_a_model(tmp_path):
    model = M.dense_autoencoder(4)
    with pytest.raises(ValueError, match="path"):
        M.save_model(model, tmp_path / "model.h5")
    with pytest.raises(ValueError, match="model 'mlp_classifier'"):
        M.encoder_of(M.mlp_classifier(4))
    with pytest.raises(ValueError, match="learning_rate"):
        M.compile_model(model, learning_rate=-1)
    with pytest.raises(ValueError, match="optimizer"):
        M.compile_model(model, optimizer="adamm")
