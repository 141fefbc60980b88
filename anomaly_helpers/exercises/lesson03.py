"""Exercises of lesson 03 · CNN feature extraction.

Exercises 3.1-3.4 sit in the lesson's sections, exercise 3.5 (``q8``, an experiment) in section 4;
questions 3.1-3.3 (``q5``-``q7``) are its "Check yourself". The references are plain NumPy and
scikit-learn, so the checks never need the learner's Keras models. Section 4's data (texture
patches with pasted scratches) is built here, so the lesson, the checks and the benchmark study
share one definition.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from anomaly_helpers.exercises.core import ChoiceExercise, CustomExercise, FunctionExercise, Incorrect
from anomaly_helpers.exercises.feedback import check_number, compare
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


def _conv_mistakes(got: Any, expected: Any, args: tuple) -> None:
    """Name the known mistakes of exercise 3.2 (a flipped kernel, a forgotten bias) before the generic message."""
    x, w, b, stride = args
    w = np.asarray(w, dtype=float)
    shape_ok = np.shape(got) == np.shape(expected)
    if shape_ok and not np.allclose(w, w[::-1, ::-1]):
        if np.allclose(got, conv2d_valid(x, w[::-1, ::-1], b, stride), atol=1e-6):
            raise Incorrect(
                "you flipped the kernel (w[::-1, ::-1]): that is the convolution of signal processing. "
                "Keras, like every deep-learning library, computes a cross-correlation: use w as it is."
            )
    if shape_ok and b != 0 and np.allclose(got, np.asarray(expected) - b, atol=1e-6):
        raise Incorrect(f"the bias is missing: with b = {b} every output is exactly b too low; add b to each sum.")
    compare(got, expected, what="your result", rtol=1e-6, accept_rounded=False, reveal=True)


q2 = FunctionExercise(
    "Exercise 3.2 (★★☆)",
    reference=conv2d_valid,
    cases=_conv_cases,
    tolerance=1e-6,
    compare=_conv_mistakes,
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


def _check_params(answer: Any) -> None:
    expected = conv_params()
    weights_only = CONV_FILTERS * KERNEL * KERNEL * 1
    known = {
        weights_only: "you forgot the biases: each of the 16 filters also has one bias.",
        KERNEL * KERNEL + 1: "that is one filter; the layer has 16, each with its own kernel and bias.",
        IMAGE * IMAGE * CONV_FILTERS * (KERNEL * KERNEL + 1): "a kernel is shared by every position: the "
        "count does not depend on the image size (8 x 8).",
        IMAGE * IMAGE * CONV_FILTERS * KERNEL * KERNEL: "a kernel is shared by every position: the count does "
        "not depend on the image size (8 x 8).",
    }
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise Incorrect(f"give one whole number, e.g. 100; got {type(answer).__name__}.") from None
    if value != expected and value in known:
        raise Incorrect(known[int(value)])
    check_number(answer, expected, what="your count", rtol=0, accept_rounded=False)


q4 = CustomExercise(
    "Exercise 3.4 (★☆☆)",
    check_fn=_check_params,
    reference=conv_params,
    what_to_give="one whole number",
    hints=[
        "Each of the 16 filters has one 3 x 3 kernel per input channel (here 1 channel) and one bias.",
        "16 * (3 * 3 * 1 + 1). It does not depend on the image size: the same kernel slides over every position.",
    ],
    solution="n_params = 16 * (3 * 3 * 1 + 1)   # filters * (kernel height * width * channels + 1 bias) = {n_params}",
)


# --------------------------------------------------------------------------- Section 4 data, exercise 3.5
#: Side of the square texture patches of section 4 (pixels).
PATCH = 16
#: Brightness of the two pasted scratches (the texture's mean is about 0.48).
SCRATCH_VALUES = {"bright": 1.0, "faint": 0.45}
#: Number of training and test patches, and the PCA size section 4 shows.
N_TRAIN_PATCHES, N_TEST_PATCHES, PCA_COMPONENTS = 400, 50, 16


def texture_image() -> np.ndarray:
    """The petals of scikit-learn's bundled dahlia photo, grey, values in [0, 1], shape (260, 190)."""
    from sklearn.datasets import load_sample_images

    photo = load_sample_images().images[1].mean(axis=2) / 255.0
    return photo[110:370, 240:430]


def random_patches(image: np.ndarray, n: int, random_state: int) -> np.ndarray:
    """``n`` random ``PATCH x PATCH`` crops of ``image``, shape (n, PATCH, PATCH, 1), float32."""
    r = np.random.default_rng(random_state)
    rows = r.integers(0, image.shape[0] - PATCH + 1, n)
    cols = r.integers(0, image.shape[1] - PATCH + 1, n)
    crops = [image[i : i + PATCH, j : j + PATCH] for i, j in zip(rows, cols, strict=True)]
    return np.stack(crops)[..., None].astype(np.float32)


def add_scratch(patch: np.ndarray, value: float, random_state: int) -> tuple[np.ndarray, np.ndarray]:
    """Paste an anti-aliased straight line of brightness ``value`` into one patch.

    Returns the scratched patch, shape (PATCH, PATCH, 1), and its pixel mask (1 = scratch),
    shape (PATCH, PATCH).
    """
    r = np.random.default_rng(random_state)
    yy, xx = np.mgrid[0:PATCH, 0:PATCH]
    angle, (cy, cx) = r.uniform(0, np.pi), r.uniform(0.3 * PATCH, 0.7 * PATCH, 2)
    across = np.abs(-(xx - cx) * np.sin(angle) + (yy - cy) * np.cos(angle))
    along = np.abs((xx - cx) * np.cos(angle) + (yy - cy) * np.sin(angle))
    alpha = np.clip(1.0 - across, 0, 1) * (along < 0.35 * PATCH)  # 1 on the line, fading over one pixel
    out = patch[..., 0] * (1 - alpha) + value * alpha
    return out[..., None].astype(np.float32), (alpha >= 0.5).astype(np.int64)


def scratch_data() -> dict[str, Any]:
    """Section 4's data: ``"train"`` patches (left 65 % of the texture, no scratch), and for each
    scratch of :data:`SCRATCH_VALUES` a pair (patches, masks) cut from the right part."""
    texture = texture_image()
    cut = int(texture.shape[1] * 0.65)
    data: dict[str, Any] = {"train": random_patches(texture[:, :cut], N_TRAIN_PATCHES, random_state=0)}
    clean = random_patches(texture[:, cut:], N_TEST_PATCHES, random_state=1)
    for name, value in SCRATCH_VALUES.items():
        pairs = [add_scratch(p, value, random_state=i) for i, p in enumerate(clean)]
        data[name] = (np.stack([p for p, _ in pairs]), np.stack([m for _, m in pairs]))
    return data


def pca_residual_map(train: np.ndarray, x: np.ndarray, n_components: int) -> np.ndarray:
    """Per-pixel squared residual of a PCA fitted on ``train`` patches, shape (n, PATCH, PATCH)."""
    from sklearn.decomposition import PCA

    flat_train, flat = train.reshape(len(train), -1), x.reshape(len(x), -1)
    pca = PCA(n_components, svd_solver="full").fit(flat_train)
    return ((flat - pca.inverse_transform(pca.transform(flat))) ** 2).reshape(x.shape[:3])


def median_residual_map(x: np.ndarray, size: int = 5) -> np.ndarray:
    """Per-pixel squared difference between each patch and its ``size x size`` median filter, shape (n, PATCH, PATCH)."""
    from scipy.ndimage import median_filter

    img = x[..., 0]
    return (img - median_filter(img, size=(1, size, size))) ** 2


def _pixel_auc(mask: np.ndarray, score_map: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(mask.ravel(), score_map.ravel()))


def pca_experiment(n_components: int) -> tuple[int, float, str]:
    """The reference answer of exercise 3.5 for the learner's ``n_components``."""
    data = scratch_data()
    x, mask = data["faint"]
    return n_components, _pixel_auc(mask, pca_residual_map(data["train"], x, n_components)), "b"


def _check_experiment(answer: Any) -> None:
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise Incorrect("give a tuple of three items: (n_components, pixel ROC-AUC, letter), e.g. (16, 0.85, 'a').")
    k, auc, trend = answer
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= int(k) <= PATCH * PATCH:
        raise Incorrect(f"n_components must be a whole number from 1 to {PATCH * PATCH} (the pixels of a patch).")
    k = int(k)
    data = scratch_data()
    x, mask = data["faint"]
    expected = _pixel_auc(mask, pca_residual_map(data["train"], x, k))
    value = float(auc) if isinstance(auc, (int, float, np.number)) else None
    if value is not None and not np.isclose(value, expected, atol=5e-4):
        if np.isclose(value, 1 - expected, atol=5e-4):
            raise Incorrect("your ROC-AUC is 1 minus the right one: a larger residual must mean 'more likely scratch'.")
        bright_x, bright_mask = data["bright"]
        if np.isclose(value, _pixel_auc(bright_mask, pca_residual_map(data["train"], bright_x, k)), atol=5e-4):
            raise Incorrect("that is the ROC-AUC on the bright scratches; the exercise asks about the faint ones.")
        if k <= len(x) and np.isclose(value, _pixel_auc(mask, pca_residual_map(x, x, k)), atol=5e-4):
            raise Incorrect(
                "you fitted the PCA on the scratched test patches: it learns the scratches too. Fit it on "
                "the clean training patches only."
            )
    check_number(auc, expected, what=f"your pixel ROC-AUC for n_components={k}", rtol=1e-3)
    letters = str(trend).strip().strip("()").lower()
    if letters != "b":
        why = {
            "a": "run n_components=256: with every component the PCA reproduces any patch exactly, the residual "
            "is zero everywhere and the ROC-AUC falls to about 0.5.",
            "c": "compare 2, 16 and 256 components: the ROC-AUC moves a lot.",
        }
        raise Incorrect(why.get(letters, "answer with one letter: 'a', 'b' or 'c'."))


q8 = CustomExercise(
    "Exercise 3.5 (★★☆)",
    check_fn=_check_experiment,
    reference=lambda: pca_experiment(PCA_COMPONENTS),
    what_to_give="a tuple (n_components, pixel ROC-AUC, letter)",
    hints=[
        "Flatten the patches to 256 numbers, fit `PCA(n_components)` on the clean training patches only, "
        "then `pca.inverse_transform(pca.transform(flat))` is the reconstruction; square the difference.",
        "Run it for 2, 16, 64 and 256 components. With all 256 the PCA can rebuild *any* patch, scratch included "
        "— the copying problem of the plain conv autoencoder in section 2.",
    ],
    solution=(
        "n_components = 16\n"
        "flat_train = patches_train.reshape(len(patches_train), -1)\n"
        "flat = x_faint.reshape(len(x_faint), -1)\n"
        "pca = PCA(n_components).fit(flat_train)\n"
        "pca_map = (flat - pca.inverse_transform(pca.transform(flat))) ** 2\n"
        "pca_auc = roc_auc_score(mask_faint.ravel(), pca_map.ravel())   # {pca_auc:.3f}\n"
        "experiment = (n_components, pca_auc, 'b')"
    ),
    context=lambda: _experiment_context(),
)


def _experiment_context() -> dict[str, Any]:
    from sklearn.decomposition import PCA
    from sklearn.metrics import roc_auc_score

    data = scratch_data()
    x, mask = data["faint"]
    return {
        "patches_train": data["train"],
        "x_faint": x,
        "mask_faint": mask,
        "PCA": PCA,
        "roc_auc_score": roc_auc_score,
    }


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
    answer="b",
    choices=["a", "b", "c"],
    explanation=(
        "A per-pixel map needs only a model of normal patches: the autoencoder's error, a PCA residual and a "
        "median-filter residual all give one. On this texture the median filter located the faint scratch best."
    ),
    why_not={
        "a": "the median-filter residual and the PCA residual of section 4 are per-pixel maps too, and they "
        "located the faint scratch at least as well as the autoencoder.",
        "c": "a bright line stands out in brightness alone: every map of section 4 finds it.",
    },
    hints=["Look at the table of section 4: which methods produced a map, and which located the faint scratch best?"],
)

#: Shows every exercise of this lesson with its status and points.
progress = progress_of(__name__)

#: A right and a wrong answer for every exercise (zero-argument callables returning
#: the answer), used by tests/test_exercises.py.
ANSWERS = {
    "q1": (lambda: conv_output_size, lambda: lambda n, k, p=0, s=1: (n + p - k) // s + 1),
    "q2": (lambda: conv2d_valid, lambda: lambda x, w, b=0.0, stride=1: conv2d_valid(x, w[::-1, ::-1], b, stride)),
    "q3": (lambda: max_pool2d, lambda: lambda x, size=2: conv2d_valid(x, np.ones((size, size)) / size**2, 0.0, size)),
    "q4": (conv_params, lambda: CONV_FILTERS * KERNEL * KERNEL),  # wrong: the biases forgotten
    "q5": (lambda: "b", lambda: "a"),
    "q6": (lambda: "a, c", lambda: "a, b"),
    "q7": (lambda: "b", lambda: "a"),
    "q8": (lambda: pca_experiment(PCA_COMPONENTS), lambda: (PCA_COMPONENTS, pca_experiment(PCA_COMPONENTS)[1], "a")),
}
