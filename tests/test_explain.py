"""Occlusion attributions and the stability of explanations (anomaly_helpers.explain)."""

from __future__ import annotations

import numpy as np
import pytest

from anomaly_helpers import explain


def _score(A):
    return np.abs(np.asarray(A)).sum(axis=1)


def test_occlusion_of_a_separable_score_is_the_feature_contribution():
    X = np.array([[3.0, -1.0, 0.5], [0.0, 2.0, 0.0]])
    att = explain.occlusion_attributions(_score, X, reference=np.zeros(3))
    np.testing.assert_allclose(att, np.abs(X))


def test_score_fn_is_called_once_on_every_row():
    calls = []

    def score(A):
        calls.append(A.shape)
        return _score(A)

    explain.occlusion_attributions(score, np.ones((4, 3)), reference=np.zeros(3))
    assert calls == [(4 + 4 * 3, 3)]


def test_top_features_and_agreement():
    assert explain.top_features([0.1, 2.0, 0.5, 2.0], k=2).tolist() == [1, 3]
    assert explain.top_features(np.array([[1.0, 3.0, 2.0], [3.0, 2.0, 1.0]]), k=1).tolist() == [[1], [0]]
    assert explain.top_k_agreement([3, 2, 1, 0], [3, 2, 1, 0], k=2) == 1.0
    assert explain.top_k_agreement([3, 2, 1, 0], [0, 1, 2, 3], k=2) == 0.0
    assert explain.top_k_agreement([3, 2, 1, 0], [3, 0, 2, 1], k=2) == pytest.approx(1 / 3)
    assert explain.top_k_agreement([3, 2, 1, 0], [2, 3, 0, 1], k=2) == 1.0  # order inside the top-k does not count


@pytest.mark.parametrize(
    ("call", "exc", "word"),
    [
        (lambda: explain.occlusion_attributions("f", np.ones((2, 2)), np.zeros(2)), TypeError, "score_fn"),
        (lambda: explain.occlusion_attributions(_score, np.ones((2, 2)), np.zeros(3)), ValueError, "reference"),
        (lambda: explain.occlusion_attributions(_score, np.ones(3), np.zeros(3)), ValueError, "X"),
        (
            lambda: explain.occlusion_attributions(lambda A: np.ones(2), np.ones((2, 2)), np.zeros(2)),
            ValueError,
            "score_fn",
        ),
        (lambda: explain.top_features([1.0, 2.0], k=3), ValueError, "k"),
        (lambda: explain.top_k_agreement([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, "attr_b"),
    ],
)
def test_bad_input_names_the_argument(call, exc, word):
    with pytest.raises(exc, match=rf"\b{word}\b"):
        call()
