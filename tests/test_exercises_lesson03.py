"""Lesson 03's exercises name the known mistakes, and the experiment is judged from the learner's own setting."""

from __future__ import annotations

import numpy as np
import pytest

from anomaly_helpers.exercises import lesson03 as ex


def _message(exercise, answer) -> tuple[str, str]:
    verdict = exercise._evaluate(answer)
    return verdict.status, verdict.message


def test_flipped_kernel_is_named():
    status, message = _message(
        ex.q2, lambda x, w, b=0.0, stride=1: ex.conv2d_valid(x, np.asarray(w)[::-1, ::-1], b, stride)
    )
    assert status == "incorrect" and "flipped the kernel" in message


def test_forgotten_bias_is_named():
    status, message = _message(ex.q2, lambda x, w, b=0.0, stride=1: ex.conv2d_valid(x, w, 0.0, stride))
    assert status == "incorrect" and "bias is missing" in message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (144, "forgot the biases"),
        (10, "one filter"),
        (8 * 8 * 16 * 10, "does not depend on the image size"),
        (150, "too"),
    ],
)
def test_parameter_count_mistakes(answer, words):
    status, message = _message(ex.q4, answer)
    assert status == "incorrect" and words in message


@pytest.mark.parametrize("k", [2, 64])
def test_experiment_accepts_any_setting_measured_right(k):
    assert ex.q8._evaluate(ex.pca_experiment(k)).correct


def test_experiment_names_its_traps():
    data = ex.scratch_data()
    x, mask = data["faint"]
    auc = ex._pixel_auc(mask, ex.pca_residual_map(data["train"], x, 16))
    assert "1 minus" in _message(ex.q8, (16, 1 - auc, "b"))[1]
    bright_x, bright_mask = data["bright"]
    bright = ex._pixel_auc(bright_mask, ex.pca_residual_map(data["train"], bright_x, 16))
    assert "bright" in _message(ex.q8, (16, bright, "b"))[1]
    leak = ex._pixel_auc(mask, ex.pca_residual_map(x, x, 16))
    assert "scratched test patches" in _message(ex.q8, (16, leak, "b"))[1]
    assert "256" in _message(ex.q8, (16, auc, "a"))[1]
    assert "whole number" in _message(ex.q8, (0, auc, "b"))[1]


def test_with_every_component_pca_copies_the_scratch():
    """The right letter of exercise 3.5 is a measured fact: at 256 components the map is at chance."""
    assert abs(ex.pca_experiment(ex.PATCH * ex.PATCH)[1] - 0.5) < 0.1
    assert ex.pca_experiment(ex.PCA_COMPONENTS)[1] > 0.75
