"""Tests for anomaly_helpers.data: shipped files, loaders, splits, the ECG generator, windows."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from anomaly_helpers import data as d
from tests.conftest import ROOT

# --------------------------------------------------------------------------------------
# Shipped files and README
# --------------------------------------------------------------------------------------


def _readme_table() -> dict[str, tuple[int, str]]:
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|\s*`([0-9a-f]{64})`\s*\|\s*$", text, flags=re.M)
    return {name: (int(size), digest) for name, size, digest in rows}


@pytest.mark.parametrize("name", sorted(d.DATA_FILES))
def test_file_sha256_matches_data_files_and_readme(name):
    path = d.data_dir() / name
    digest = d.sha256_of(path)
    assert digest == d.DATA_FILES[name]
    table = _readme_table()
    assert table[name] == (path.stat().st_size, digest)


def test_readme_lists_exactly_the_shipped_files():
    assert set(_readme_table()) == set(d.DATA_FILES)
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for needle in ("CC BY 4.0", "ODC-By 1.0", "TSB-UAD", "build_data.py", "rebuild-data", "downloaded"):
        assert needle in text


def test_verify_data_files(tmp_path):
    table = d.verify_data_files()
    assert list(table.columns) == ["file", "bytes", "sha256", "ok"]
    assert table["ok"].all()
    empty = d.verify_data_files(tmp_path)
    assert not empty["ok"].any() and (empty["bytes"] == -1).all()


def test_missing_file_message(tmp_path, monkeypatch):
    monkeypatch.setenv("ANOMALY_DATA_DIR", str(tmp_path))
    with pytest.raises(
        FileNotFoundError, match=r"shuttle\.csv\.gz.*git checkout -- data/shuttle\.csv\.gz.*build_data\.py"
    ):
        d.load_shuttle()
    with pytest.raises(FileNotFoundError, match="breast_cancer.csv"):
        d.make_wbc()


# --------------------------------------------------------------------------------------
# Loaders
# --------------------------------------------------------------------------------------


def test_load_breast_cancer():
    X, y = d.load_breast_cancer()
    assert X.shape == (569, 30) and isinstance(X, pd.DataFrame)
    assert (X.dtypes == np.float64).all() and "target" not in X.columns
    assert y.name == "target" and y.dtype == np.int64
    assert int(y.sum()) == 212  # malignant = 1


def test_make_wbc_default_and_seed():
    X, y = d.make_wbc()
    assert X.shape == (378, 30) and len(y) == 378
    assert int(y.sum()) == 21 and round(y.mean(), 3) == 0.056
    assert list(X.index) == list(range(378))
    X2, y2 = d.make_wbc()
    pd.testing.assert_frame_equal(X, X2)
    X3, _ = d.make_wbc(random_state=1)
    assert not X.equals(X3)
    _, y5 = d.make_wbc(5)
    assert int(y5.sum()) == 5 and len(y5) == 362


def test_load_mitdb():
    m = d.load_mitdb()
    assert m.shape == (7500, 2) and list(m.columns) == ["value", "label"]
    assert m["value"].dtype == np.float64 and m["label"].dtype == np.int64
    assert m.index.name == "sample" and m.index[0] == 0 and m.index[-1] == 7499
    abnormal = np.flatnonzero(m["label"].to_numpy())
    assert abnormal[0] == 6936 and abnormal[-1] == 7287
    assert abnormal.size == 7287 - 6936 + 1  # one contiguous beat
    assert d.MITDB_FS == 360


def test_load_shuttle():
    X, y = d.load_shuttle()
    assert X.shape == (49097, 9) and list(X.columns) == [f"f{i}" for i in range(1, 10)]
    assert y.name == "anomaly" and y.dtype == np.int64
    assert int(y.sum()) == 3511 and round(y.mean(), 4) == 0.0715


# --------------------------------------------------------------------------------------
# Splits
# --------------------------------------------------------------------------------------


def test_one_class_split_dataframe():
    X, y = d.make_wbc()
    s = d.one_class_split(X, y, test_size=0.3, random_state=0)
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
    s = d.one_class_split(X, y, test_size=0.2, val_size=0.2, random_state=3)
    assert isinstance(s.X_train, np.ndarray)
    assert s.y_train.sum() == 0
    assert len(s.y_val) - s.y_val.sum() == 36 and len(s.y_test) - s.y_test.sum() == 36
    assert s.y_val.sum() == 10 and s.y_test.sum() == 10  # anomalies split val:test = 0.2:0.2
    rows = [s.info["rows_train"], s.info["rows_val"], s.info["rows_test"]]
    allrows = np.concatenate(rows)
    assert allrows.size == 200 and np.unique(allrows).size == 200
    np.testing.assert_array_equal(s.X_val, X[s.info["rows_val"]])
    # seeded reproducibility
    s2 = d.one_class_split(X, y, test_size=0.2, val_size=0.2, random_state=3)
    np.testing.assert_array_equal(s.X_test, s2.X_test)
    s3 = d.one_class_split(X, y, test_size=0.2, val_size=0.2, random_state=4)
    assert not np.array_equal(s.info["rows_train"], s3.info["rows_train"])


def test_split_summary_and_repr():
    s = d.one_class_split(*d.make_wbc(), val_size=0.2)
    table = s.summary()
    assert list(table.index) == ["train", "val", "test"]
    assert table.loc["train", "n_anomalies"] == 0
    assert table["n_anomalies"].sum() == 21 and table["n_samples"].sum() == 378
    text = repr(s)
    assert "train:" in text and "val:" in text and "anomalies of" in text
    no_val = d.one_class_split(*d.make_wbc())
    assert "none" in repr(no_val) and list(no_val.summary().index) == ["train", "test"]
    with pytest.raises(AttributeError):
        s.X_train = None  # frozen


def test_digits_one_class():
    s = d.load_digits_one_class(3)
    assert s.X_train.shape[1:] == (8, 8, 1) and s.X_train.dtype == np.float32
    assert s.X_train.min() >= 0 and s.X_train.max() <= 1
    assert s.y_train.sum() == 0 and set(s.info["digits_train"]) == {3}
    digits_test = s.info["digits_test"]
    assert len(digits_test) == len(s.y_test)
    np.testing.assert_array_equal(s.y_test, (digits_test != 3).astype(int))
    assert set(digits_test) == set(range(10))
    assert len(s.y_train) + len(s.y_test) == 1797
    flat = d.load_digits_one_class(3, flatten=True)
    assert flat.X_test.shape == (len(s.y_test), 64)
    np.testing.assert_array_equal(flat.X_test, s.X_test.reshape(-1, 64))


def test_digits_leave_one_out():
    s = d.load_digits_leave_one_out(7, val_size=0.15, random_state=1)
    assert 7 not in set(s.info["digits_train"]) and s.y_train.sum() == 0
    assert s.y_val.sum() > 0 and s.y_test.sum() > 0
    n_sevens = s.y_val.sum() + s.y_test.sum()
    assert n_sevens == 179  # every 7 is in val or test
    np.testing.assert_array_equal(s.y_val, (s.info["digits_val"] == 7).astype(int))
    assert s.info["anomaly_digit"] == 7
    no_val = d.load_digits_leave_one_out(7)
    assert no_val.X_val is None and no_val.y_test.sum() == 179


# --------------------------------------------------------------------------------------
# ECG-like generator
# --------------------------------------------------------------------------------------


def test_ecg_shapes_and_repr():
    e = d.make_ecg_like()
    assert e.values.shape == (3000, 1) and e.values.dtype == np.float32
    assert e.labels.shape == (3000,) and set(np.unique(e.labels)) == {0, 1}
    assert list(e.events.columns) == ["start", "end", "kind", "channel"]
    assert e.fs == 100 and e.t[-1] == pytest.approx(29.99)
    assert e.n_timesteps == 3000 and e.n_channels == 1
    assert "EcgSeries(" in repr(e) and "6 anomalies" in repr(e)


def test_ecg_deterministic():
    a = d.make_ecg_like(2000, n_channels=2, random_state=5, n_anomalies=4)
    b = d.make_ecg_like(2000, n_channels=2, random_state=5, n_anomalies=4)
    np.testing.assert_array_equal(a.values, b.values)
    pd.testing.assert_frame_equal(a.events, b.events)
    c = d.make_ecg_like(2000, n_channels=2, random_state=6, n_anomalies=4)
    assert not np.array_equal(a.values, c.values)


@pytest.mark.parametrize(
    ("seed", "n_channels", "fs", "heart_rate"), [(0, 1, 100, 72), (1, 3, 250, 60), (2, 2, 360, 110)]
)
def test_ecg_events_and_labels_consistent(seed, n_channels, fs, heart_rate):
    n = 60 * fs
    kw = dict(n_channels=n_channels, fs=fs, heart_rate=heart_rate, random_state=seed)
    e = d.make_ecg_like(n, n_anomalies=12, **kw)
    clean = d.make_ecg_like(n, n_anomalies=0, **kw)
    ev = e.events
    # each kind appears (12 anomalies cycle through the 6 kinds)
    assert ev["kind"].value_counts().to_dict() == {k: 2 for k in d.ECG_KINDS}
    # sorted, non-overlapping, after the clean start, labels = union of the spans
    assert (ev["start"].to_numpy()[1:] >= ev["end"].to_numpy()[:-1]).all()
    assert ev["start"].min() >= int(np.ceil(0.4 * n)) and ev["end"].max() <= n
    expected = np.zeros(n, int)
    for start, end in zip(ev["start"], ev["end"], strict=True):
        expected[start:end] = 1
    np.testing.assert_array_equal(e.labels, expected)
    # the labelled spans cover every sample that differs from the clean series...
    diff = np.abs(e.values - clean.values).max(axis=1)
    assert (diff[e.labels == 0] == 0).all()
    # ...and every event changes something; channel -1 = all leads, else a valid lead
    for row in ev.itertuples():
        assert diff[row.start : row.end].max() > 0
        assert row.channel == -1 or 0 <= row.channel < n_channels
    beat_kinds = ev["kind"].isin(["distorted_beat", "missing_beat", "rhythm_change"])
    assert (ev.loc[beat_kinds, "channel"] == -1).all()


def test_ecg_kinds_subset_and_clean_series():
    e = d.make_ecg_like(3000, kinds=("spike",), n_anomalies=3, random_state=2)
    assert set(e.events["kind"]) == {"spike"} and len(e.events) == 3
    assert ((e.events["end"] - e.events["start"]).between(2, 4)).all()
    clean = d.make_ecg_like(n_anomalies=0)
    assert clean.labels.sum() == 0 and clean.events.empty


# --------------------------------------------------------------------------------------
# Windows
# --------------------------------------------------------------------------------------


def test_sliding_windows_shapes():
    x = np.arange(10.0)
    w = d.sliding_windows(x, 4, stride=3)
    assert w.shape == (3, 4, 1) and w.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(w[:, :, 0], [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]])
    w[0, 0, 0] = 99  # a copy, not a view
    assert x[0] == 0
    multi = d.sliding_windows(np.ones((20, 3), np.float32), 5)
    assert multi.shape == (16, 5, 3) and multi.dtype == np.float32
    np.testing.assert_array_equal(d.window_starts(10, 4, 3), [0, 3, 6])


@pytest.mark.parametrize(
    ("rule", "expected"),
    [("any", [1, 1, 1, 1, 1, 1, 0]), ("majority", [0, 0, 1, 1, 0, 0, 0]), ("center", [0, 1, 1, 1, 0, 0, 0])],
)
def test_window_labels(rule, expected):
    labels = np.array([0, 0, 0, 1, 1, 1, 0, 0, 0, 0])
    np.testing.assert_array_equal(d.window_labels(labels, 4, rule=rule), expected)


@pytest.mark.parametrize(("n", "width", "stride"), [(100, 10, 1), (100, 10, 3), (97, 8, 5), (50, 5, 7)])
@pytest.mark.parametrize("reduce", ["mean", "max"])
def test_windows_round_trip(n, width, stride, reduce):
    x = np.random.default_rng(0).normal(size=n)
    w = d.sliding_windows(x, width, stride)[:, :, 0]
    back = d.windows_to_timesteps(w, n, width, stride, reduce=reduce)
    covered = np.zeros(n, bool)
    for s in d.window_starts(n, width, stride):
        covered[s : s + width] = True
    np.testing.assert_allclose(back[covered], x[covered])
    if stride <= width and (n - width) % stride == 0:
        np.testing.assert_allclose(back, x)


def test_windows_to_timesteps_reduce_and_fill():
    scores = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(d.windows_to_timesteps(scores, 10, 4, 3, reduce="max"), [1, 1, 1, 2, 2, 2, 3, 3, 3, 3])
    np.testing.assert_allclose(
        d.windows_to_timesteps(scores, 10, 4, 3, reduce="mean"), [1, 1, 1, 1.5, 2, 2, 2.5, 3, 3, 3]
    )
    # tail not covered (stride does not divide): nearest covered step
    np.testing.assert_allclose(d.windows_to_timesteps(np.array([1.0, 2.0]), 9, 4, 3), [1, 1, 1, 1.5, 2, 2, 2, 2, 2])
    # gaps between windows (stride > width): nearest covered step, earlier on a tie
    np.testing.assert_allclose(d.windows_to_timesteps(scores, 12, 2, 5), [1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3])


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------

_X, _Y = np.random.default_rng(0).normal(size=(20, 2)), np.r_[np.zeros(18, int), np.ones(2, int)]

BAD_INPUT = [
    ("make_wbc too many", lambda: d.make_wbc(300), ValueError, "n_anomalies"),
    ("make_wbc zero", lambda: d.make_wbc(0), ValueError, "n_anomalies"),
    ("make_wbc float", lambda: d.make_wbc(2.5), TypeError, "n_anomalies"),
    ("split test_size 0", lambda: d.one_class_split(_X, _Y, test_size=0), ValueError, "test_size"),
    ("split sizes sum", lambda: d.one_class_split(_X, _Y, test_size=0.6, val_size=0.4), ValueError, "test_size"),
    ("split val_size neg", lambda: d.one_class_split(_X, _Y, val_size=-0.1), ValueError, "val_size"),
    ("split labels 0/1", lambda: d.one_class_split(_X, np.arange(20)), ValueError, "y must contain only 0"),
    ("split length", lambda: d.one_class_split(_X, _Y[:5]), ValueError, "y has 5 labels"),
    ("split NaN", lambda: d.one_class_split(np.full((20, 2), np.nan), _Y), ValueError, "X contains"),
    ("split strings", lambda: d.one_class_split(pd.DataFrame({"a": ["x"] * 20}), _Y), TypeError, "X has non-numeric"),
    ("split too few", lambda: d.one_class_split(_X[:3], [0, 1, 1]), ValueError, "too few"),
    ("digit 10", lambda: d.load_digits_one_class(10), ValueError, "normal_digit"),
    ("digit str", lambda: d.load_digits_leave_one_out("3"), TypeError, "anomaly_digit"),
    ("ecg unknown kind", lambda: d.make_ecg_like(kinds=("spik",)), ValueError, "kinds contains unknown.*spike"),
    ("ecg kinds str", lambda: d.make_ecg_like(kinds="spike"), TypeError, "kinds must be a list"),
    ("ecg too many", lambda: d.make_ecg_like(n_anomalies=50), ValueError, "n_anomalies=50"),
    ("ecg clean_fraction", lambda: d.make_ecg_like(clean_fraction=1.0), ValueError, "clean_fraction"),
    ("ecg heart_rate", lambda: d.make_ecg_like(heart_rate=300), ValueError, "heart_rate"),
    ("ecg fs", lambda: d.make_ecg_like(fs=10), ValueError, "fs"),
    ("ecg noise", lambda: d.make_ecg_like(noise=-1), ValueError, "noise"),
    ("ecg empty kinds", lambda: d.make_ecg_like(kinds=()), ValueError, "kinds is empty"),
    ("windows too long", lambda: d.sliding_windows(np.zeros(10), 11), ValueError, "width=11 is longer"),
    ("windows stride 0", lambda: d.sliding_windows(np.zeros(10), 3, stride=0), ValueError, "stride"),
    ("windows 3-D x", lambda: d.sliding_windows(np.zeros((4, 3, 2)), 2), ValueError, "x must be 1-D or 2-D"),
    ("windows NaN", lambda: d.sliding_windows(np.array([1.0, np.nan, 2.0]), 2), ValueError, "x contains"),
    ("window_labels rule", lambda: d.window_labels(np.zeros(10), 3, rule="all"), ValueError, "rule"),
    ("window_labels values", lambda: d.window_labels(np.arange(10), 3), ValueError, "labels must contain"),
    ("window_starts width", lambda: d.window_starts(5, 6), ValueError, "width=6"),
    ("to_timesteps count", lambda: d.windows_to_timesteps(np.ones(5), 10, 4, 3), ValueError, "5 windows.*give 3"),
    ("to_timesteps width", lambda: d.windows_to_timesteps(np.ones((3, 5)), 10, 4, 3), ValueError, "width=4"),
    ("to_timesteps 3-D", lambda: d.windows_to_timesteps(np.ones((3, 4, 2)), 10, 4, 3), ValueError, "mean\\(axis=-1\\)"),
    ("to_timesteps reduce", lambda: d.windows_to_timesteps(np.ones(3), 10, 4, 3, reduce="sum"), ValueError, "reduce"),
]


@pytest.mark.parametrize(("case", "call", "error", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input(case, call, error, message):
    with pytest.raises(error, match=message):
        call()
