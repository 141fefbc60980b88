"""Tests for anomaly_helpers.splits: Split and one_class_split."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.impute import SimpleImputer

from anomaly_helpers import splits as sp
from anomaly_helpers.datasets import make_wbc


def test_one_class_split_dataframe():
    X, y = make_wbc()
    s = sp.one_class_split(X, y, test_size=0.3, random_state=0)
    assert isinstance(s.X_train, pd.DataFrame) and isinstance(s.y_test, pd.Series)
    assert s.X_val is None and s.y_val is None
    assert int(s.y_train.sum()) == 0 and len(s.X_train) == 250  # 357 - round(0.3 * 357)
    assert int(s.y_test.sum()) == 21 and len(s.y_test) == 107 + 21
    assert set(s.X_train.index).isdisjoint(s.X_test.index)
    assert len(s.X_train) + len(s.X_test) == len(X)
    # labels travel with their rows
    pd.testing.assert_series_equal(s.y_test, y.loc[s.X_test.index])


def test_one_class_split_with_validation_and_arrays():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    y = np.r_[np.zeros(180, int), np.ones(20, int)]
    s = sp.one_class_split(X, y, test_size=0.2, val_size=0.2, random_state=3)
    assert isinstance(s.X_train, np.ndarray)
    assert s.y_train.sum() == 0
    assert len(s.y_val) - s.y_val.sum() == 36 and len(s.y_test) - s.y_test.sum() == 36
    assert s.y_val.sum() == 10 and s.y_test.sum() == 10  # anomalies split val:test = 0.2:0.2
    rows = [s.info["rows_train"], s.info["rows_val"], s.info["rows_test"]]
    allrows = np.concatenate(rows)
    assert allrows.size == 200 and np.unique(allrows).size == 200
    np.testing.assert_array_equal(s.X_val, X[s.info["rows_val"]])
    # seeded reproducibility
    s2 = sp.one_class_split(X, y, test_size=0.2, val_size=0.2, random_state=3)
    np.testing.assert_array_equal(s.X_test, s2.X_test)
    s3 = sp.one_class_split(X, y, test_size=0.2, val_size=0.2, random_state=4)
    assert not np.array_equal(s.info["rows_train"], s3.info["rows_train"])


def test_split_summary_and_repr():
    s = sp.one_class_split(*make_wbc(), val_size=0.2)
    table = s.summary()
    assert list(table.index) == ["train", "val", "test"]
    assert table.loc["train", "n_anomalies"] == 0
    assert table["n_anomalies"].sum() == 21 and table["n_samples"].sum() == 378
    text = repr(s)
    assert "train:" in text and "val:" in text and "anomalies of" in text
    no_val = sp.one_class_split(*make_wbc())
    assert "none" in repr(no_val) and list(no_val.summary().index) == ["train", "test"]
    with pytest.raises(AttributeError):
        s.X_train = None  # frozen


def test_images_and_float32_are_kept():
    X = np.random.default_rng(0).random((50, 8, 8, 1)).astype(np.float32)
    y = np.r_[np.zeros(45, int), np.ones(5, int)]
    s = sp.one_class_split(X, y)
    assert s.X_train.dtype == np.float32 and s.X_train.shape[1:] == (8, 8, 1)


# --------------------------------------------------------------------------------------
# One rule for random_state
# --------------------------------------------------------------------------------------


def test_random_state_accepts_a_generator_and_none():
    X, y = make_wbc()
    by_int = sp.one_class_split(X, y, val_size=0.2, random_state=7)
    by_gen = sp.one_class_split(X, y, val_size=0.2, random_state=np.random.default_rng(7))
    for key in ("rows_train", "rows_val", "rows_test"):
        np.testing.assert_array_equal(by_int.info[key], by_gen.info[key])
    rng = np.random.default_rng(7)
    a = sp.one_class_split(X, y, random_state=rng)
    b = sp.one_class_split(X, y, random_state=rng)  # the generator has moved on
    assert not np.array_equal(a.info["rows_train"], b.info["rows_train"])
    unseeded = sp.one_class_split(X, y, random_state=None)
    assert len(unseeded.X_train) == 250


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (-1, ValueError, r"random_state must be a non-negative int, got -1; pass e\.g\. random_state=0"),
        (1.5, TypeError, r"random_state must be None, a non-negative int or a numpy\.random\.Generator"),
        ("0", TypeError, r"random_state must be None"),
        (True, TypeError, r"random_state must be None"),
        (np.random.RandomState(0), TypeError, r"random_state must be None"),
    ],
)
def test_random_state_rejects_anything_else(bad, error, match):
    X, y = make_wbc()
    with pytest.raises(error, match=match):
        sp.one_class_split(X, y, random_state=bad)


# --------------------------------------------------------------------------------------
# NaN in X: split first, impute after (lesson 02's leak)
# --------------------------------------------------------------------------------------


def test_nan_in_features_goes_through_and_is_imputed_after_splitting():
    X, y = make_wbc()
    X = X.copy()
    rng = np.random.default_rng(0)
    holes = rng.random(X.shape) < 0.05
    X = X.mask(holes)
    n_nan = int(X.isna().sum().sum())
    assert n_nan > 0
    s = sp.one_class_split(X, y, test_size=0.3, val_size=0.2, random_state=0)
    # the split is the one clean data would give: NaN changes nothing about which rows go where
    clean = sp.one_class_split(*make_wbc(), test_size=0.3, val_size=0.2, random_state=0)
    for key in ("rows_train", "rows_val", "rows_test"):
        np.testing.assert_array_equal(s.info[key], clean.info[key])
    # every NaN is kept where it was, for an imputer fitted on the training part only
    parts = (s.X_train, s.X_val, s.X_test)
    assert sum(int(p.isna().sum().sum()) for p in parts) == n_nan
    imputer = SimpleImputer(strategy="median").fit(s.X_train)
    assert not np.isnan(imputer.transform(s.X_test)).any()
    # arrays too, images too
    arr = sp.one_class_split(X.to_numpy(), y.to_numpy(), random_state=0)
    assert np.isnan(arr.X_train).any() and np.isnan(arr.X_test).any()
    img = np.random.default_rng(1).random((30, 4, 4, 1))
    img[0, 0, 0, 0] = np.nan
    sp.one_class_split(img, np.r_[np.zeros(27, int), np.ones(3, int)])


def test_labels_must_stay_clean():
    X, y = make_wbc()
    y_nan = y.astype(float)
    y_nan.iloc[3] = np.nan
    with pytest.raises(ValueError, match="y contains NaN"):
        sp.one_class_split(X, y_nan)
    with pytest.raises(ValueError, match="y must contain only 0"):
        sp.one_class_split(X, y.replace({1: 2}))


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------

_X, _Y = np.random.default_rng(0).normal(size=(20, 2)), np.r_[np.zeros(18, int), np.ones(2, int)]

BAD_INPUT = [
    ("split test_size 0", lambda: sp.one_class_split(_X, _Y, test_size=0), ValueError, "test_size"),
    ("split sizes sum", lambda: sp.one_class_split(_X, _Y, test_size=0.6, val_size=0.4), ValueError, "test_size"),
    ("split val_size neg", lambda: sp.one_class_split(_X, _Y, val_size=-0.1), ValueError, "val_size"),
    ("split labels 0/1", lambda: sp.one_class_split(_X, np.arange(20)), ValueError, "y must contain only 0"),
    ("split length", lambda: sp.one_class_split(_X, _Y[:5]), ValueError, "y has 5 labels"),
    # NaN is allowed now (impute after splitting); infinities are not
    ("split inf", lambda: sp.one_class_split(np.full((20, 2), np.inf), _Y), ValueError, "X contains"),
    (
        "split inf frame",
        lambda: sp.one_class_split(pd.DataFrame({"a": [np.inf] + [0.0] * 19}), _Y),
        ValueError,
        r"X contains 1 infinite value\(s\); replace them with NaN",
    ),
    ("split strings", lambda: sp.one_class_split(pd.DataFrame({"a": ["x"] * 20}), _Y), TypeError, "X has non-numeric"),
    ("split too few", lambda: sp.one_class_split(_X[:3], [0, 1, 1]), ValueError, "too few"),
    ("split 1-D X", lambda: sp.one_class_split(np.zeros(20), _Y), ValueError, r"X must be 2-D.*reshape"),
]


@pytest.mark.parametrize(("case", "call", "error", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input(case, call, error, message):
    with pytest.raises(error, match=message):
        call()
