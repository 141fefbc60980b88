"""Preprocessing for anomaly detection: cleaning, and augmentation of series and images.

The article's section 3.1 names three steps — data cleaning (数据清洗), normalisation
(数据归一化) and augmentation (数据增强). This module holds the small pieces the lesson
needs that scikit-learn does not ship:

* cleaning: :func:`inject_missing` (make gaps to study, since real gaps are rarely
  labelled) and :func:`rolling_median` (a simple noise filter);
* augmentation of one series: :func:`jitter`, :func:`scale_series`, :func:`time_warp`,
  :func:`window_slice`;
* augmentation of small images: :func:`augment_images`.

Normalisation is taught with scikit-learn's own scalers (``StandardScaler``,
``MinMaxScaler``, ``RobustScaler``) inside a ``Pipeline``, fitted on training data only.

Augment **normal** data only: a transformed normal sample is still normal, but a
synthesised "anomaly" only shows the kinds of anomaly you already imagined.

Used in lesson 02 (preprocessing).
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import pandas as pd

from anomaly_helpers._validate import check_array, check_fraction, check_positive_int, check_random_state

__all__ = [
    "inject_missing",
    "rolling_median",
    "jitter",
    "scale_series",
    "time_warp",
    "window_slice",
    "augment_images",
]


def _check_nonnegative(v: Any, name: str, example: str) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} must be a number >= 0, got {v!r} ({type(v).__name__}); pass e.g. {name}={example}.")
    if not np.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {v}; pass e.g. {name}={example}.")
    return float(v)


def _check_series(x: Any, name: str = "x", min_len: int = 2) -> np.ndarray:
    arr = check_array(x, name, ndim=(1, 2), min_len=1)
    if arr.shape[0] < min_len:
        raise ValueError(
            f"{name} has {arr.shape[0]} time step(s); it needs at least {min_len}. "
            f"Pass one series of shape (n_timesteps,) or (n_timesteps, n_channels)."
        )
    return arr


# --------------------------------------------------------------------------- cleaning


def inject_missing(X: Any, fraction: float, random_state: int | np.random.Generator | None = 0) -> Any:
    """Return a copy of ``X`` with a random ``fraction`` of its cells set to NaN.

    Every cell is removed independently with probability ``fraction`` ("missing
    completely at random"). To simulate gaps that depend on the class (sensor faults
    that come with anomalies), call it separately on the rows of each class.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
        Complete data (no NaN yet).
    fraction : float in [0, 1)
        Probability that a cell becomes missing.
    random_state : None, int or numpy.random.Generator, default 0
        The same int gives the same result; a Generator continues from its state; None is unseeded.

    Returns
    -------
    DataFrame or ndarray of shape (n_samples, n_features)
        A float copy of ``X`` with NaN in the removed cells; a DataFrame stays a
        DataFrame with the same index and columns. ``X`` itself is not changed.

    See Also
    --------
    sklearn.impute.SimpleImputer : fill the gaps (fit it on training data only).

    Notes
    -----
    When to use: to study what dropping or imputing does to a detector, since real
    datasets seldom say which values were lost and why.

    See lesson 02 (preprocessing).
    """
    arr = check_array(X, "X", ndim=2)
    fraction = check_fraction(fraction, "fraction", inclusive="left")
    rng = check_random_state(random_state)
    out = arr.astype(np.float64, copy=True)
    out[rng.random(out.shape) < fraction] = np.nan
    if isinstance(X, pd.DataFrame):
        return pd.DataFrame(out, index=X.index, columns=X.columns)
    return out


def rolling_median(x: Any, window: int) -> np.ndarray:
    """Centred rolling median of a series: a simple filter against impulse noise.

    Each output value is the median of the ``window`` values centred on it; at the two
    ends the window is cut short. A median filter removes any bump narrower than
    about half the window — noise *and* short anomalies such as spikes.

    Parameters
    ----------
    x : array-like of shape (n_timesteps,) or (n_timesteps, n_channels)
    window : int
        Odd window length, at least 1 and at most ``n_timesteps`` (1 returns ``x``).

    Returns
    -------
    ndarray of the same shape as ``x`` (float64)

    See Also
    --------
    pandas.Series.rolling

    Notes
    -----
    When to use: impulse noise on a series whose anomalies last longer than the
    window. Keep the window well below the length of the shortest anomaly you want
    to find.

    See lesson 02 (preprocessing).
    """
    arr = _check_series(x, "x", min_len=1)
    window = check_positive_int(window, "window")
    if window % 2 == 0:
        raise ValueError(f"window must be odd so the median is centred, got {window}; pass {window + 1} instead.")
    if window > arr.shape[0]:
        raise ValueError(
            f"window={window} is longer than the series ({arr.shape[0]} time steps); pass a smaller window."
        )
    frame = pd.DataFrame(arr.reshape(arr.shape[0], -1))
    out = frame.rolling(window, center=True, min_periods=1).median().to_numpy()
    return out.reshape(arr.shape)


# --------------------------------------------------------------------------- series augmentation


def jitter(x: Any, sigma: float = 0.03, random_state: int | np.random.Generator | None = 0) -> np.ndarray:
    """Add Gaussian noise to a series: :math:`\\tilde x_t = x_t + \\varepsilon_t`, :math:`\\varepsilon_t \\sim N(0, \\sigma^2)`.

    Parameters
    ----------
    x : array-like of shape (n_timesteps,) or (n_timesteps, n_channels)
    sigma : float >= 0, default 0.03
        Standard deviation of the noise, in the units of ``x`` (scale ``x`` first).
    random_state : None, int or numpy.random.Generator, default 0
        The same int gives the same result; a Generator continues from its state; None is unseeded.

    Returns
    -------
    ndarray of the same shape as ``x`` (float64)

    See Also
    --------
    scale_series, time_warp, window_slice

    Notes
    -----
    When to use: the sensor is noisy and the model should not care about noise of
    that size. Keep ``sigma`` below the size of the anomalies you want to find.

    See lesson 02 (preprocessing).
    """
    arr = _check_series(x, "x", min_len=1)
    sigma = _check_nonnegative(sigma, "sigma", "0.03")
    rng = check_random_state(random_state)
    return arr + rng.normal(0.0, sigma, size=arr.shape)


def scale_series(x: Any, sigma: float = 0.1, random_state: int | np.random.Generator | None = 0) -> np.ndarray:
    """Multiply each channel of a series by one random factor :math:`a \\sim N(1, \\sigma^2)`.

    Parameters
    ----------
    x : array-like of shape (n_timesteps,) or (n_timesteps, n_channels)
    sigma : float >= 0, default 0.1
        Standard deviation of the factor around 1.
    random_state : None, int or numpy.random.Generator, default 0
        The same int gives the same result; a Generator continues from its state; None is unseeded.

    Returns
    -------
    ndarray of the same shape as ``x`` (float64)

    See Also
    --------
    jitter, time_warp, window_slice

    Notes
    -----
    When to use: amplitudes vary between recordings (electrode contact, gain) in
    ways that are not anomalies.

    See lesson 02 (preprocessing).
    """
    arr = _check_series(x, "x", min_len=1)
    sigma = _check_nonnegative(sigma, "sigma", "0.1")
    rng = check_random_state(random_state)
    factors = rng.normal(1.0, sigma, size=(1,) + arr.shape[1:])
    return arr * factors


def _resample(arr: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Linearly interpolate every channel of ``arr`` at fractional time ``positions``."""
    grid = np.arange(arr.shape[0], dtype=np.float64)
    flat = arr.reshape(arr.shape[0], -1)
    out = np.column_stack([np.interp(positions, grid, flat[:, j]) for j in range(flat.shape[1])])
    return out.reshape((len(positions),) + arr.shape[1:])


def time_warp(
    x: Any, strength: float = 0.2, n_knots: int = 4, random_state: int | np.random.Generator | None = 0
) -> np.ndarray:
    """Speed a series up and slow it down smoothly, keeping its length and end points.

    A random speed is drawn at ``n_knots + 2`` evenly spaced knots,
    :math:`v_k \\sim N(1, \\text{strength}^2)` (clipped to at least 0.1), linearly
    interpolated to every time step, and integrated into a monotone time map from
    0 to ``n_timesteps - 1``; the series is resampled on that map.

    Parameters
    ----------
    x : array-like of shape (n_timesteps,) or (n_timesteps, n_channels)
        At least 3 time steps.
    strength : float >= 0, default 0.2
        Standard deviation of the speed; 0 returns ``x`` unchanged.
    n_knots : int, default 4
        Number of interior knots; more knots give a more wiggly warp.
    random_state : None, int or numpy.random.Generator, default 0
        The same int gives the same result; a Generator continues from its state; None is unseeded.

    Returns
    -------
    ndarray of the same shape as ``x`` (float64)

    See Also
    --------
    jitter, scale_series, window_slice

    Notes
    -----
    When to use: the rhythm of normal data varies a little (heart rate, machine
    speed). Too much warping turns normal beats into the "rhythm change" anomalies a
    detector should find.

    See lesson 02 (preprocessing).
    """
    arr = _check_series(x, "x", min_len=3)
    strength = _check_nonnegative(strength, "strength", "0.2")
    n_knots = check_positive_int(n_knots, "n_knots")
    rng = check_random_state(random_state)
    n = arr.shape[0]
    speeds = np.clip(rng.normal(1.0, strength, size=n_knots + 2), 0.1, None)
    speed = np.interp(np.arange(n), np.linspace(0, n - 1, n_knots + 2), speeds)
    time = np.concatenate([[0.0], np.cumsum(speed[1:])])
    time *= (n - 1) / time[-1]
    return _resample(arr, time)


def window_slice(x: Any, fraction: float = 0.9, random_state: int | np.random.Generator | None = 0) -> np.ndarray:
    """Cut a random slice of ``fraction`` of the series and stretch it back to full length.

    Parameters
    ----------
    x : array-like of shape (n_timesteps,) or (n_timesteps, n_channels)
        At least 2 time steps.
    fraction : float in (0, 1], default 0.9
        Length of the slice relative to the series (at least 2 time steps are kept);
        1 returns ``x`` unchanged.
    random_state : None, int or numpy.random.Generator, default 0
        The same int gives the same result; a Generator continues from its state; None is unseeded.

    Returns
    -------
    ndarray of the same shape as ``x`` (float64)

    See Also
    --------
    jitter, scale_series, time_warp

    Notes
    -----
    When to use: windows of normal data may start anywhere and events may be a
    little longer or shorter. The stretch also slows the series down by
    ``1 / fraction``, so keep ``fraction`` near 1 when timing matters.

    See lesson 02 (preprocessing).
    """
    arr = _check_series(x, "x", min_len=2)
    fraction = check_fraction(fraction, "fraction", inclusive="right")
    rng = check_random_state(random_state)
    n = arr.shape[0]
    length = max(2, int(round(fraction * n)))
    start = int(rng.integers(0, n - length + 1))
    positions = np.linspace(start, start + length - 1, n)
    return _resample(arr, positions)


# --------------------------------------------------------------------------- image augmentation


def augment_images(
    images: Any,
    shift: int = 1,
    rotate: float = 10.0,
    noise: float = 0.05,
    random_state: int | np.random.Generator | None = 0,
) -> np.ndarray:
    """Randomly shift, rotate and add noise to small images with pixel values in [0, 1].

    Each image gets its own integer shift of up to ``shift`` pixels along each axis
    (uncovered pixels are 0, the background), a rotation by an angle drawn uniformly
    from [-``rotate``, ``rotate``] degrees about its centre, and Gaussian noise of
    standard deviation ``noise``; results are clipped to [0, 1].

    Parameters
    ----------
    images : array-like of shape (n_images, height, width) or (n_images, height, width, channels)
        Pixel values in [0, 1] (e.g. from :func:`anomaly_helpers.data.load_digits_one_class`).
    shift : int >= 0, default 1
    rotate : float >= 0, default 10.0
        Largest rotation in degrees.
    noise : float >= 0, default 0.05
    random_state : None, int or numpy.random.Generator, default 0
        The same int gives the same result; a Generator continues from its state; None is unseeded.

    Returns
    -------
    ndarray of the same shape as ``images`` (float32)
        New images; ``images`` is not changed. Call it several times with different
        ``random_state`` values (or with one Generator) to get several augmented copies.

    See Also
    --------
    scipy.ndimage.shift, scipy.ndimage.rotate

    Notes
    -----
    When to use: few normal images, and the detector should not flag a digit merely
    because it sits one pixel off or leans a little. On 8 x 8 images one pixel is
    12 % of the width: keep shifts and angles small.

    See lesson 02 (preprocessing), lesson 03 (CNN features).
    """
    from scipy import ndimage

    arr = check_array(images, "images", ndim=(3, 4))
    if arr.min() < 0 or arr.max() > 1:
        raise ValueError(
            f"images must have pixel values in [0, 1], got values from {arr.min():.3g} to {arr.max():.3g}; "
            "divide by the largest possible pixel value first (e.g. images / 255 or images / 16)."
        )
    if isinstance(shift, bool) or not isinstance(shift, numbers.Integral) or shift < 0:
        raise TypeError(f"shift must be an integer >= 0 (pixels), got {shift!r}; pass e.g. shift=1.")
    rotate = _check_nonnegative(rotate, "rotate", "10")
    noise = _check_nonnegative(noise, "noise", "0.05")
    rng = check_random_state(random_state)
    out = np.empty_like(arr)
    for i, img in enumerate(arr):
        dy, dx = rng.integers(-int(shift), int(shift) + 1, size=2)
        angle = rng.uniform(-rotate, rotate)
        offsets = (dy, dx) + (0,) * (img.ndim - 2)
        moved = ndimage.shift(img, offsets, order=0, mode="constant", cval=0.0)
        if rotate > 0:
            moved = ndimage.rotate(moved, angle, axes=(0, 1), reshape=False, order=1, mode="constant", cval=0.0)
        out[i] = moved
    if noise > 0:
        out = out + rng.normal(0.0, noise, size=out.shape)
    return np.clip(out, 0.0, 1.0).astype(np.float32)
