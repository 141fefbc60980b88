"""Tests for anomaly_helpers.datasets: shipped files, checksums, loaders, digits set-ups."""

from __future__ import annotations

import gzip
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from anomaly_helpers import datasets as d
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
    with pytest.raises(FileNotFoundError, match=r"make data"):
        d.load_mitdb()


# --------------------------------------------------------------------------------------
# A shipped file that no longer parses: a clear error that sends the learner to the doctor
# --------------------------------------------------------------------------------------


def _copy_data(tmp_path, monkeypatch):
    for name in d.DATA_FILES:
        shutil.copy(d.data_dir() / name, tmp_path / name)
    monkeypatch.setenv("ANOMALY_DATA_DIR", str(tmp_path))
    return tmp_path


def _truncate(path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


CORRUPTIONS = {
    "truncated mid-line": lambda p: _truncate(p, 0.5),
    "truncated at a line end": lambda p: p.write_bytes(b"".join(p.read_bytes().splitlines(keepends=True)[:100])),
    "garbage bytes": lambda p: p.write_bytes(bytes(range(256)) * 40),
    "a text row": lambda p: p.write_text(p.read_text().replace("\n", "\noops,oops\n", 1)),
    "empty": lambda p: p.write_bytes(b""),
}


@pytest.mark.parametrize("how", sorted(CORRUPTIONS))
@pytest.mark.parametrize(
    ("name", "loader"),
    [("breast_cancer.csv", d.load_breast_cancer), ("mitdb_ecg.csv", d.load_mitdb), ("breast_cancer.csv", d.make_wbc)],
)
def test_corrupted_csv_names_the_file_and_the_doctor(tmp_path, monkeypatch, name, loader, how):
    folder = _copy_data(tmp_path, monkeypatch)
    CORRUPTIONS[how](folder / name)
    with pytest.raises(d.DataFileError) as info:
        loader()
    message = str(info.value)
    assert name in message and "does not parse" in message
    assert "make doctor" in message and "anomaly_helpers.doctor()" in message
    assert isinstance(info.value, ValueError)  # old `except ValueError` still catches it
    assert info.value.__cause__ is None  # no pandas traceback chained above the message


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda p: _truncate(p, 0.5),  # a gzip stream cut short
        lambda p: p.write_bytes(b"not a gzip file at all" * 10),
        lambda p: p.write_bytes(gzip.compress(b"f1,f2\n1,2\n")),  # a valid gzip of the wrong table
    ],
    ids=["truncated gzip", "not gzip", "wrong table"],
)
def test_corrupted_shuttle_names_the_file_and_the_doctor(tmp_path, monkeypatch, corrupt):
    folder = _copy_data(tmp_path, monkeypatch)
    corrupt(folder / "shuttle.csv.gz")
    with pytest.raises(d.DataFileError, match=r"shuttle\.csv\.gz.*does not parse.*make doctor"):
        d.load_shuttle()


def test_intact_copy_loads_and_doctor_flags_the_corrupted_file(tmp_path, monkeypatch):
    folder = _copy_data(tmp_path, monkeypatch)
    X, _ = d.load_breast_cancer()  # the control: an unaltered copy loads
    assert X.shape == (569, 30)
    _truncate(folder / "mitdb_ecg.csv")
    table = d.verify_data_files()  # the check the doctor runs
    assert table.set_index("file")["ok"].to_dict() == {
        "breast_cancer.csv": True,
        "mitdb_ecg.csv": False,
        "shuttle.csv.gz": True,
    }


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


def test_make_wbc_random_state_rule():
    X0, _ = d.make_wbc(random_state=0)
    Xg, _ = d.make_wbc(random_state=np.random.default_rng(0))  # a Generator seeded alike: the same rows
    pd.testing.assert_frame_equal(X0, Xg)
    rng = np.random.default_rng(0)
    first, second = d.make_wbc(random_state=rng)[0], d.make_wbc(random_state=rng)[0]
    assert not first.equals(second)  # a Generator's draws continue
    assert d.make_wbc(random_state=None)[0].shape == (378, 30)
    with pytest.raises(ValueError, match=r"random_state must be a non-negative int.*pass e\.g\. random_state=0"):
        d.make_wbc(random_state=-1)
    with pytest.raises(TypeError, match=r"random_state must be None, a non-negative int or a numpy\.random\.Generator"):
        d.make_wbc(random_state=np.random.RandomState(0))


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
# Digits set-ups
# --------------------------------------------------------------------------------------


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


def test_digits_info_keys_and_random_state_rule():
    s = d.load_digits_leave_one_out(7, val_size=0.15, random_state=1)
    assert list(s.info) == [
        "rows_train",
        "rows_val",
        "rows_test",
        "digits_train",
        "digits_val",
        "digits_test",
        "anomaly_digit",
    ]
    assert list(d.load_digits_one_class(3).info)[-1] == "normal_digit"
    g = d.load_digits_one_class(3, random_state=np.random.default_rng(0))
    np.testing.assert_array_equal(g.info["rows_test"], d.load_digits_one_class(3, random_state=0).info["rows_test"])
    with pytest.raises(ValueError, match="random_state must be a non-negative int"):
        d.load_digits_one_class(3, random_state=-5)
    with pytest.raises(TypeError, match="random_state must be None"):
        d.load_digits_leave_one_out(7, random_state=0.5)


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------

BAD_INPUT = [
    ("make_wbc too many", lambda: d.make_wbc(300), ValueError, "n_anomalies"),
    ("make_wbc zero", lambda: d.make_wbc(0), ValueError, "n_anomalies"),
    ("make_wbc float", lambda: d.make_wbc(2.5), TypeError, "n_anomalies"),
    ("make_wbc seed str", lambda: d.make_wbc(random_state="0"), TypeError, r"random_state must be None"),
    ("digit 10", lambda: d.load_digits_one_class(10), ValueError, "normal_digit"),
    ("digit str", lambda: d.load_digits_leave_one_out("3"), TypeError, "anomaly_digit"),
    ("digits flatten str", lambda: d.load_digits_one_class(3, flatten="yes"), TypeError, "flatten must be True"),
    ("digits test_size", lambda: d.load_digits_one_class(3, test_size=1.5), ValueError, "test_size"),
]


@pytest.mark.parametrize(("case", "call", "error", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input(case, call, error, message):
    with pytest.raises(error, match=message):
        call()
