"""Exercises of lesson 03 · CNN feature extraction.

Exercises 3.1-3.4 sit in the lesson's sections; questions 3.1-3.3 (``q5``-``q7``) are its "Check yourself".
The references are plain NumPy, so the checks never need the learner's models or data.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, FunctionExercise, ValueExercise
from anomaly_helpers.exercises.progress import progress_of


# --------------------------------------------------------------------------- Exercise 3.1
def conv_output_size(n: int, k: int, p: int = 0, s: int = 1) -> int:
    """Output length of a convolution or pooling along one axis: floor((n + 2p - k) / s) + 1.

    Parameters
    ----------
    n : int
        Input length (height or width).
    k : int
        Kernel (or pooling window) size.
    p : int, default 0
        Zeros added on each side (padding).
    s : int, default 1
        Stride.
    """
    return (n + 2 * p - k) // s + 1


q1 = FunctionExercise(
    "Exercise 3.1 (★☆☆)",
    reference=conv_output_size,
    cases=[(8, 3, 0, 1), (8, 3, 1, 1), (8, 3, 1, 2), (8, 2, 0, 2), (28, 5, 0, 1), (7, 3, 0, 2), (32, 4, 1, 3)],
    hints=[
        "Count how many positions the kernel can take: it starts at the first (padded) cell and moves s cells at "
        "a time while it still fits inside the n + 2p cells.",
        "Use integer division: return (n + 2 * p - k) // s + 1.",
    ],
    solution="def conv_output_size(n, k, p=0, s=1):\n    return (n + 2 * p - k) // s + 1",
)


# --------------------------------------------------------------------------- Exercise 3.2
def conv2d_valid(x: Any, w: Any, b: float = 0.0, stride: int = 1) -> np.ndarray:
    """2-D convolution as deep learning defines it (cross-correlation), no padding.

    ``y[i, j] = sum_m sum_n x[i*stride + m, j*stride + n] * w[m, n] + b``

    Parameters
    ----------
    x : ndarray of shape (height, width)
    w : ndarray of shape (k_h, k_w)
    b : float, default 0.0
    stride : int, default 1

    Returns
    -------
    ndarray of shape ((height - k_h) // stride + 1, (width - k_w) // stride + 1)
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    kh, kw = w.shape
    out_h = (x.shape[0] - kh) // stride + 1
    out_w = (x.shape[1] - kw) // stride + 1
    y = np.empty((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            patch = x[i * stride : i * stride + kh, j * stride : j * stride + kw]
            y[i, j] = np.sum(patch * w) + b
    return y


def _conv_cases() -> list[tuple]:
    rng = np.random.default_rng(3)
    return [
        (np.arange(16.0).reshape(4, 4), np.array([[1.0, 0.0], [0.0, -1.0]]), 0.0, 1),
        (rng.normal(size=(6, 6)), rng.normal(size=(3, 3)), 0.5, 1),
        (rng.normal(size=(7, 5)), rng.normal(size=(3, 2)), -1.0, 2),
        (rng.normal(size=(8, 8)), np.array([[-1.0, 0.0, 1.0]] * 3), 0.0, 1),  # not symmetric: catches flipping
    ]


q2 = FunctionExercise(
    "Exercise 3.2 (★★☆)",
    reference=conv2d_valid,
    cases=_conv_cases,
    tolerance=1e-6,
    hints=[
        "First the output size (exercise 3.1 with p = 0): out_h = (x.shape[0] - kh) // stride + 1, same for the "
        "width. Then two loops over the output positions i, j.",
        "At (i, j) take the patch x[i*stride : i*stride + kh, j*stride : j*stride + kw] and return "
        "np.sum(patch * w) + b. Do not flip the kernel: Keras, like every deep-learning library, computes a "
        "cross-correlation.",
    ],
    solution=(
        "def conv2d_valid(x, w, b=0.0, stride=1):\n"
        "    kh, kw = w.shape\n"
        "    out_h = (x.shape[0] - kh) // stride + 1\n"
        "    out_w = (x.shape[1] - kw) // stride + 1\n"
        "    y = np.empty((out_h, out_w))\n"
        "    for i in range(out_h):\n"
        "        for j in range(out_w):\n"
        "            patch = x[i * stride : i * stride + kh, j * stride : j * stride + kw]\n"
        "            y[i, j] = np.sum(patch * w) + b\n"
        "    return y"
    ),
)


# --------------------------------------------------------------------------- Exercise 3.3
def max_pool2d(x: Any, size: int = 2) -> np.ndarray:
    """Non-overlapping max pooling of a 2-D array (stride = size); trailing rows/columns that do not fill
    a window are dropped, as in Keras's ``padding="valid"``.

    Parameters
    ----------
    x : ndarray of shape (height, width)
    size : int, default 2

    Returns
    -------
    ndarray of shape (height // size, width // size)
    """
    x = np.asarray(x, dtype=float)
    h, w = x.shape[0] // size, x.shape[1] // size
    return x[: h * size, : w * size].reshape(h, size, w, size).max(axis=(1, 3))


def _pool_cases() -> list[tuple]:
    rng = np.random.default_rng(4)
    return [
        (np.arange(16.0).reshape(4, 4), 2),
        (rng.normal(size=(6, 6)), 3),
        (rng.normal(size=(8, 8)), 2),
        (rng.normal(size=(5, 7)), 2),  # odd sizes: the last row and column are dropped
    ]


q3 = FunctionExercise(
    "Exercise 3.3 (★☆☆)",
    reference=max_pool2d,
    cases=_pool_cases,
    tolerance=1e-9,
    hints=[
        "The output has x.shape[0] // size rows and x.shape[1] // size columns; output (i, j) is the maximum "
        "of the block x[i*size:(i+1)*size, j*size:(j+1)*size].",
        "Two loops work. Without loops: crop x to a multiple of size, reshape it to (h, size, w, size) and take "
        ".max(axis=(1, 3)).",
    ],
    solution=(
        "def max_pool2d(x, size=2):\n"
        "    h, w = x.shape[0] // size, x.shape[1] // size\n"
        "    return x[: h * size, : w * size].reshape(h, size, w, size).max(axis=(1, 3))"
    ),
)


# --------------------------------------------------------------------------- Exercise 3.4
#: Exercise 3.4 compares a convolution with a dense layer on 8 x 8 grey images.
CONV_FILTERS, KERNEL, IMAGE = 16, 3, 8


def conv_params() -> int:
    """Weights of Conv2D(16, 3) on a 1-channel image: 16 kernels of 3 x 3 x 1 plus 16 biases."""
    return CONV_FILTERS * (KERNEL * KERNEL * 1 + 1)


q4 = ValueExercise(
    "Exercise 3.4 (★☆☆)",
    expected=conv_params,
    tolerance=0,
    hints=[
        "Each of the 16 filters has one 3 x 3 kernel per input channel (here 1 channel) and one bias.",
        "16 * (3 * 3 * 1 + 1). It does not depend on the image size: the same kernel slides over every position.",
    ],
    solution="n_params = 16 * (3 * 3 * 1 + 1)   # filters * (kernel height * width * channels + 1 bias) = {n_params}",
)


# --------------------------------------------------------------------------- Check yourself
q5 = ChoiceExercise(
    "Question 3.1 (★☆☆)",
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "Its 2 x 2 x 8 code keeps where strokes are, and its small kernels learn to copy local stroke pieces; "
        "an unseen digit is made of the same pieces, so it comes back almost as well as a normal one."
    ),
    why_not={
        "a": "more epochs make it copy even better: the problem is what it can represent, not how long it trains.",
        "c": "pooling does shrink the maps, but a 2 x 2 x 8 code is 32 numbers for 64 pixels: there is no "
        "real bottleneck to force it to learn what normal digits look like.",
    },
    hints=["Look at the first-layer kernels and the feature maps in section 2: what do they do to a stroke?"],
)

q6 = ChoiceExercise(
    "Question 3.2 (★★☆)",
    answer={"a", "c"},
    choices=["a", "b", "c", "d"],
    explanation=(
        "On 64 aligned pixels a nearest-neighbour distance already compares shapes; learned features pay off "
        "when images are larger, shifted or textured."
    ),
    why_not={
        "b": "kNN does not learn features at all: it keeps the training images and measures distances.",
        "d": "the digits are centred and size-normalised by the dataset's makers; that is exactly why raw "
        "pixel distances work so well here.",
    },
    hints=["What does kNN store, and what makes two 8 x 8 digit images close in pixel space?"],
)

q7 = ChoiceExercise(
    "Question 3.3 (★☆☆)",
    answer="c",
    choices=["a", "b", "c"],
    explanation=(
        "Only a model of local structure says *where* an image is abnormal: the per-pixel error map of a "
        "convolutional autoencoder locates the scratch, a per-image score can only say that something is wrong."
    ),
    why_not={
        "a": "a per-image score is one number per patch: it cannot say which pixels are damaged.",
        "b": "a bright line stands out in brightness alone; the naive baseline finds it as well as the "
        "autoencoder does. The CNN earns its cost on faint defects whose brightness is ordinary.",
    },
    hints=["Compare the two scratches of section 3: where did the naive baseline fail?"],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (lambda: conv_output_size, lambda: lambda n, k, p=0, s=1: (n + p - k) // s + 1),
    "q2": (lambda: conv2d_valid, lambda: lambda x, w, b=0.0, stride=1: conv2d_valid(x, w[::-1, ::-1], b, stride)),
    "q3": (lambda: max_pool2d, lambda: lambda x, size=2: conv2d_valid(x, np.ones((size, size)) / size**2, 0.0, size)),
    "q4": (conv_params, lambda: 8 * 8 * 16 * 9),
    "q5": (lambda: "b", lambda: "a"),
    "q6": (lambda: "a, c", lambda: "a, b"),
    "q7": (lambda: "c", lambda: "b"),
}
