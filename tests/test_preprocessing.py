"""Tests for anomaly_helpers.preprocessing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from anomaly_helpers.preprocessing import (
    augment_images,
    inject_missing,
    jitter,
    rolling_median,
    scale_series,
    time_warp,
    window_slice,
)


@pytest.fixture
def series() -> np.ndarray:
    return np.sin(np.linspace(0, 6 * np.pi, 120))


# --------------------------------------------------------------------------- inject_missing
def test_inject_missing_fraction_copy_and_seed():
    X = np.ones((400, 5))
    out = inject_missing(X, 0.2, random_state=3)
    assert out.shape == X.shape and not np.isnan(X).any()
    assert 0.17 < np.isnan(out).mean() < 0.23
    np.testing.assert_array_equal(np.isnan(out), np.isnan(inject_missing(X, 0.2, random_state=3)))
    assert not np.array_equal(np.isnan(out), np.isnan(inject_missing(X, 0.2, random_state=4)))
    assert not np.isnan(inject_missing(X, 0.0)).any()


def test_inject_missing_keeps_dataframe():
    df = pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 5.0, 6.0]}, index=[10, 11, 12])
    out = inject_missing(df, 0.5, random_state=0)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["a", "b"] and list(out.index) == [10, 11, 12]
    assert not df.isna().any().any()


# --------------------------------------------------------------------------- rolling_median
def test_rolling_median_removes_short_spike_and_keeps_shape():
    x = np.zeros(21)
    x[10] = 5.0
    np.testing.assert_allclose(rolling_median(x, 3), np.zeros(21))
    np.testing.assert_allclose(rolling_median(x, 1), x)
    wide = np.zeros(21)
    wide[8:13] = 5.0  # 5 samples survive a window of 5 (3 of the 5 values are high)
    assert rolling_median(wide, 5)[10] == 5.0
    two = np.column_stack([x, -x])
    assert rolling_median(two, 3).shape == (21, 2)


def test_rolling_median_edges_use_shorter_windows():
    x = np.array([1.0, 2.0, 30.0, 4.0, 5.0])
    np.testing.assert_allclose(rolling_median(x, 3), [1.5, 2.0, 4.0, 5.0, 4.5])


# --------------------------------------------------------------------------- series augmentation
def test_jitter_and_scale(series):
    j = jitter(series, 0.1, random_state=0)
    assert j.shape == series.shape
    assert 0.08 < np.std(j - series) < 0.12
    np.testing.assert_allclose(jitter(series, 0.0), series)
    np.testing.assert_array_equal(j, jitter(series, 0.1, random_state=0))
    two = np.column_stack([series, series])
    s = scale_series(two, 0.2, random_state=1)
    ratio = s[5] / two[5]
    np.testing.assert_allclose(s, two * ratio, rtol=1e-9, atol=1e-12)
    assert ratio[0] != ratio[1]  # one factor per channel
    np.testing.assert_allclose(scale_series(series, 0.0), series)


def test_time_warp_keeps_ends_and_range(series):
    w = time_warp(series, 0.3, random_state=0)
    assert w.shape == series.shape
    assert w[0] == pytest.approx(series[0]) and w[-1] == pytest.approx(series[-1])
    assert w.min() >= series.min() - 1e-12 and w.max() <= series.max() + 1e-12
    assert not np.allclose(w, series)
    np.testing.assert_allclose(time_warp(series, 0.0), series)
    assert time_warp(np.column_stack([series, series]), 0.3).shape == (120, 2)


def test_window_slice_stretches_a_part(series):
    ramp = np.arange(100.0)
    s = window_slice(ramp, 0.5, random_state=0)
    assert s.shape == ramp.shape
    assert s[-1] - s[0] == pytest.approx(49.0)
    assert np.all(np.diff(s) > 0)
    np.testing.assert_allclose(window_slice(series, 1.0), series)


# --------------------------------------------------------------------------- images
def test_augment_images_shape_range_and_identity():
    rng = np.random.default_rng(0)
    imgs = rng.random((6, 8, 8, 1)).astype(np.float32)
    out = augment_images(imgs, random_state=0)
    assert out.shape == imgs.shape and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 1
    assert not np.allclose(out, imgs)
    np.testing.assert_allclose(augment_images(imgs, shift=0, rotate=0, noise=0), imgs, atol=1e-6)
    np.testing.assert_array_equal(out, augment_images(imgs, random_state=0))
    assert augment_images(imgs[..., 0], random_state=0).shape == (6, 8, 8)


def test_augment_images_shift_moves_pixels():
    img = np.zeros((1, 8, 8))
    img[0, 4, 4] = 1.0
    out = augment_images(img, shift=1, rotate=0, noise=0, random_state=5)
    r, c = np.argwhere(out[0] == 1.0)[0]
    assert abs(r - 4) <= 1 and abs(c - 4) <= 1 and out.sum() == 1.0


# --------------------------------------------------------------------------- bad input
ARR = np.ones((5, 3))
S = np.ones(10)
IMGS = np.zeros((2, 8, 8))


@pytest.mark.parametrize(
    ("func", "error", "match"),
    [
        (lambda: inject_missing(np.ones(5), 0.1), ValueError, "X must be 2-D"),
        (lambda: inject_missing(ARR, 1.0), ValueError, "fraction"),
        (lambda: inject_missing(ARR, "0.1"), TypeError, "fraction"),
        (lambda: inject_missing(ARR, 0.1, random_state=-1), ValueError, "random_state must be a non-negative"),
        (lambda: jitter(S, 0.1, random_state=np.random.RandomState(0)), TypeError, "random_state"),  # noqa: NPY002
        (lambda: time_warp(S, 0.2, random_state="0"), TypeError, "random_state"),
        (lambda: inject_missing(pd.DataFrame({"a": ["x", "y"]}), 0.1), TypeError, "X has non-numeric"),
        (lambda: rolling_median(S, 4), ValueError, "window must be odd"),
        (lambda: rolling_median(S, 11), ValueError, "window=11 is longer"),
        (lambda: rolling_median(S, 0), ValueError, "window"),
        (lambda: rolling_median(np.r_[1.0, np.nan], 1), ValueError, "x contains 1 NaN"),
        (lambda: rolling_median(np.ones((2, 2, 2)), 1), ValueError, "x must be 1-D or 2-D"),
        (lambda: jitter(S, -0.1), ValueError, "sigma"),
        (lambda: jitter(S, None), TypeError, "sigma"),
        (lambda: jitter([], 0.1), ValueError, "x is empty"),
        (lambda: scale_series(S, float("nan")), ValueError, "sigma"),
        (lambda: time_warp(S[:2], 0.2), ValueError, "x has 2 time step"),
        (lambda: time_warp(S, 0.2, n_knots=0), ValueError, "n_knots"),
        (lambda: window_slice(S, 0.0), ValueError, "fraction"),
        (lambda: window_slice(S, 1.5), ValueError, "fraction"),
        (lambda: augment_images(np.zeros((8, 8)), 1), ValueError, "images must be 3-D or 4-D"),
        (lambda: augment_images(IMGS + 16, 1), ValueError, r"images must have pixel values in \[0, 1\]"),
        (lambda: augment_images(IMGS, shift=1.5), TypeError, "shift"),
        (lambda: augment_images(IMGS, rotate=-5), ValueError, "rotate"),
        (lambda: augment_images(IMGS, noise="a"), TypeError, "noise"),
        (lambda: augment_images(IMGS, random_state=1.0), TypeError, "random_state"),
    ],
)
def test_bad_input(func, error, match):
    with pytest.raises(error, match=match):
        func()


RANDOM_HELPERS = {
    "inject_missing": lambda rs: inject_missing(np.ones((20, 3)), 0.3, random_state=rs),
    "jitter": lambda rs: jitter(np.zeros(30), 0.1, random_state=rs),
    "scale_series": lambda rs: scale_series(np.ones((30, 2)), 0.2, random_state=rs),
    "time_warp": lambda rs: time_warp(np.sin(np.arange(30.0)), 0.3, random_state=rs),
    "window_slice": lambda rs: window_slice(np.arange(30.0), 0.5, random_state=rs),
    "augment_images": lambda rs: augment_images(np.random.default_rng(0).random((3, 8, 8)), random_state=rs),
}


@pytest.mark.parametrize("name", list(RANDOM_HELPERS))
def test_random_state_accepts_none_int_and_generator(name):
    func = RANDOM_HELPERS[name]
    from_int = func(3)
    np.testing.assert_array_equal(func(np.random.default_rng(3)), from_int)  # a Generator seeded alike
    rng = np.random.default_rng(3)
    first, second = func(rng), func(rng)  # one Generator: draws continue, so two different copies
    assert not np.array_equal(first, second, equal_nan=True)
    assert func(None).shape == from_int.shape


def test_same_int_seed_gives_the_stored_numbers():
    # pinned values: the lessons' stored outputs depend on them
    np.testing.assert_allclose(
        jitter(np.zeros(3), 1.0, random_state=0), [0.12573022, -0.13210486, 0.64042265], rtol=1e-7
    )
    np.testing.assert_allclose(scale_series(np.ones(2), 1.0, random_state=0), [1.12573022, 1.12573022], rtol=1e-7)
