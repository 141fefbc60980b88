"""Tests for anomaly_helpers.persistence (saving the chosen pipeline, lesson 08)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from anomaly_helpers.persistence import load_pipeline, save_pipeline


class DistanceDetector(BaseEstimator):
    """Distance to the training mean."""

    def fit(self, X, y=None):
        self.center_ = np.asarray(X, dtype=float).mean(axis=0)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def decision_function(self, X):
        return np.linalg.norm(np.asarray(X, dtype=float) - self.center_, axis=1)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(120, 3)), rng.normal(size=(50, 3))


class KerasHolder(BaseEstimator):
    """Scores by the error of a tiny Keras network (identity-initialised), like an autoencoder."""

    def fit(self, X, y=None):
        import keras

        X = np.asarray(X, dtype="float32")
        inputs = keras.Input((X.shape[1],))
        self.model_ = keras.Model(inputs, keras.layers.Dense(X.shape[1], kernel_initializer="zeros")(inputs))
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X):
        X = np.asarray(X, dtype="float32")
        return ((X - self.model_.predict(X, verbose=0)) ** 2).mean(axis=1)


def test_save_and_load_a_pipeline(tmp_path, data):
    X_train, X_test = data
    pipe = make_pipeline(StandardScaler(), DistanceDetector()).fit(X_train)
    folder = save_pipeline(pipe, tmp_path / "shipped")
    loaded = load_pipeline(folder)
    assert loaded is not pipe
    np.testing.assert_allclose(loaded.decision_function(X_test), pipe.decision_function(X_test))


def test_save_and_load_keras_in_safe_mode(tmp_path, data):
    X_train, X_test = data
    pipe = make_pipeline(StandardScaler(), KerasHolder()).fit(X_train)
    folder = save_pipeline(pipe, tmp_path)
    assert (folder / "step1_model_.keras").is_file()
    assert pipe[-1].model_ is not None  # the fitted pipeline is left whole
    loaded = load_pipeline(folder)
    np.testing.assert_allclose(loaded.decision_function(X_test), pipe.decision_function(X_test), rtol=1e-6)


def test_load_from_an_empty_folder(tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        load_pipeline(tmp_path)
    assert re.search(r"\bdirectory\b", str(e.value)) and "pass" in str(e.value)
