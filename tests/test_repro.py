"""Setup call, import-time environment, and the doctor."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import anomaly_helpers
from anomaly_helpers import repro


def test_import_sets_tensorflow_environment():
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"


def test_import_does_not_import_tensorflow_and_warns_if_tf_came_first():
    code = "import anomaly_helpers, sys; print('tensorflow' in sys.modules)"
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "0"}
    )
    assert run.stdout.strip() == "False"
    code = "import warnings; warnings.simplefilter('always'); import tensorflow; import anomaly_helpers"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "TensorFlow was imported before anomaly_helpers" in run.stderr


def test_setup_lesson_seeds_everything():
    import keras

    def draw():
        rng = anomaly_helpers.setup_lesson(7)
        layer = keras.layers.Dense(3)
        layer.build((None, 4))
        return rng, (rng.random(), np.random.rand(), layer.get_weights()[0].ravel().tolist())  # noqa: NPY002

    rng, a = draw()
    _, b = draw()
    assert a == b
    assert isinstance(rng, np.random.Generator)
    assert np.get_printoptions()["precision"] == 3


@pytest.mark.parametrize(
    ("kwargs", "match"), [({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"), ({"precision": "3"}, "precision")]
)
def test_setup_lesson_rejects_bad_arguments(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        anomaly_helpers.setup_lesson(**kwargs)


def test_doctor_all_ok(capsys):
    report = anomaly_helpers.doctor()
    out = capsys.readouterr().out
    assert report.ok, report.problems
    assert "All OK" in out and "tensorflow" in out and "breast_cancer.csv    ok" in out


def test_doctor_names_an_altered_and_a_missing_data_file(tmp_path, monkeypatch, capsys):
    from anomaly_helpers.data import DATA_FILES, data_dir

    for name in DATA_FILES:
        (tmp_path / name).write_bytes((data_dir() / name).read_bytes())
    (tmp_path / "breast_cancer.csv").write_bytes((tmp_path / "breast_cancer.csv").read_bytes().replace(b"1", b"2", 1))
    (tmp_path / "shuttle.csv.gz").unlink()
    monkeypatch.setenv("ANOMALY_DATA_DIR", str(tmp_path))
    report = anomaly_helpers.doctor()
    out = capsys.readouterr().out
    assert not report.ok
    assert any("breast_cancer.csv has been altered" in p and "git checkout" in p for p in report.problems)
    assert any("shuttle.csv.gz is missing" in p for p in report.problems)
    assert "ALTERED" in out and "MISSING" in out


def test_doctor_names_missing_and_old_packages(monkeypatch):
    real = repro._installed_version
    monkeypatch.setattr(
        repro,
        "_installed_version",
        lambda d: (
            {"ipywidgets": None, "tensorflow": "2.10.0"}.get(d, real(d))
            if d in ("ipywidgets", "tensorflow")
            else real(d)
        ),
    )
    report = anomaly_helpers.doctor(print_report=False)
    assert any(p.startswith("ipywidgets is not installed") and "[lab]" in p for p in report.problems)
    assert any("tensorflow 2.10.0 is too old" in p for p in report.problems)


def test_doctor_flags_unsupported_python(monkeypatch):
    monkeypatch.setattr(repro, "SUPPORTED_PYTHON", ((3, 99), (3, 99)))
    report = anomaly_helpers.doctor(print_report=False)
    assert any("is not supported" in p for p in report.problems)


def test_version_parsing():
    assert repro._version_tuple("2.16.2") == (2, 16, 2)
    assert repro._version_tuple("3.0.0rc1") == (3, 0, 0)
    assert repro._version_tuple("1.26") < repro._version_tuple("2.1")


def test_unknown_attribute():
    with pytest.raises(AttributeError):
        anomaly_helpers.nope  # noqa: B018
