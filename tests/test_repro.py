"""Setup call, import-time environment, and the doctor."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import anomaly_helpers
from anomaly_helpers import _env, repro
from anomaly_helpers._env import COURSE_ENV
from tests.conftest import USER_ISA


def _run_clean(code: str, **extra: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter whose environment has NONE of the course's TensorFlow variables."""
    env = {k: v for k, v in os.environ.items() if k not in COURSE_ENV}
    env.update(extra)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)


def test_the_subprocess_really_starts_without_the_variables():
    run = _run_clean(f"import os; print(sorted(k for k in os.environ if k in {sorted(COURSE_ENV)!r}))")
    assert run.stdout.strip() == "[]", run.stdout


def test_import_sets_every_tensorflow_variable_before_tensorflow_starts():
    names = sorted(COURSE_ENV)
    code = (
        "import json, os, anomaly_helpers, sys\n"
        f"print(json.dumps({{k: os.environ.get(k) for k in {names!r}}}))\n"
        "print('tensorflow' in sys.modules)"
    )
    run = _run_clean(code)
    assert run.returncode == 0, run.stderr
    values, tf_imported = run.stdout.strip().splitlines()
    assert json.loads(values) == COURSE_ENV
    assert COURSE_ENV["TF_NUM_INTRAOP_THREADS"] == "2" and COURSE_ENV["TF_NUM_INTEROP_THREADS"] == "2"
    assert tf_imported == "False", "importing the package must not import TensorFlow"
    assert "Warning" not in run.stderr, run.stderr


_COUNT_TF_THREADS = """
import collections, os
os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
import anomaly_helpers, tensorflow as tf
tf.linalg.matmul(tf.ones((64, 64)), tf.ones((64, 64)))
names = [open(f"/proc/self/task/{t}/comm").read().strip() for t in os.listdir("/proc/self/task")]
print(collections.Counter(names)["tf_Compute"])
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs os.sched_setaffinity (Linux)")
def test_tensorflow_uses_two_threads_even_on_one_cpu():
    """What the variables are for: TensorFlow's pool has 2 threads on a one-CPU machine, as on two cores."""
    run = _run_clean(_COUNT_TF_THREADS)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split()[-1] == "2", run.stdout
    # Control: the count is really measured (a user's 1 gives 1 thread).
    run = _run_clean(_COUNT_TF_THREADS, TF_NUM_INTEROP_THREADS="1", TF_NUM_INTRAOP_THREADS="1")
    assert run.stdout.split()[-1] == "1", run.stdout


def test_a_conflicting_user_value_is_kept_with_one_clear_warning():
    code = (
        "import os, anomaly_helpers, anomaly_helpers._env as e; e.apply(); print(os.environ['TF_NUM_INTRAOP_THREADS'])"
    )
    run = _run_clean(code, TF_NUM_INTRAOP_THREADS="8")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "8", "the user's value must be kept"
    warnings_ = [line for line in run.stderr.splitlines() if "RuntimeWarning" in line]
    assert len(warnings_) == 1, run.stderr
    for part in ("TF_NUM_INTRAOP_THREADS='8'", "'2'", "stored outputs", "unset TF_NUM_INTRAOP_THREADS"):
        assert part in run.stderr, (part, run.stderr)


def test_override_replaces_a_user_value_and_says_so():
    env = {"TF_NUM_INTEROP_THREADS": "5", "TF_CPP_MIN_LOG_LEVEL": "3"}
    with pytest.warns(RuntimeWarning, match=r"TF_NUM_INTEROP_THREADS='5'.*uses the course's value"):
        found = _env.apply(env, override=True)
    assert found == {"TF_NUM_INTEROP_THREADS": "5"}
    assert env == COURSE_ENV


def test_tools_and_tests_use_the_same_variables():
    from tools.nbtools import LESSON_ENV

    assert {k: LESSON_ENV[k] for k in COURSE_ENV} == COURSE_ENV
    # set by conftest through _env.apply; the instruction-set cap is the one the run simulates when the user exports it
    expected = {**COURSE_ENV, "ONEDNN_MAX_CPU_ISA": USER_ISA or COURSE_ENV["ONEDNN_MAX_CPU_ISA"]}
    assert {k: os.environ[k] for k in COURSE_ENV} == expected


def test_import_does_not_import_tensorflow_and_warns_if_tf_came_first():
    code = "import anomaly_helpers, sys; print('tensorflow' in sys.modules)"
    run = _run_clean(code, TF_CPP_MIN_LOG_LEVEL="0")
    assert run.stdout.strip() == "False"
    assert "TF_CPP_MIN_LOG_LEVEL='0'" in run.stderr
    code = "import warnings; warnings.simplefilter('always'); import tensorflow; import anomaly_helpers"
    run = _run_clean(code)
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


def test_setup_lesson_without_tensorflow_does_not_start_it():
    code = (
        "import sys, numpy as np, anomaly_helpers as ah; rng = ah.setup_lesson(7, tensorflow=False); "
        "print('tensorflow' in sys.modules, 'keras' in sys.modules, round(np.random.rand(), 6), round(rng.random(), 6))"
    )
    import random as stdlib_random

    stdlib_random.seed(7)
    np.random.seed(7)  # noqa: NPY002
    expected = f"False False {round(np.random.rand(), 6)} {round(np.random.default_rng(7).random(), 6)}"  # noqa: NPY002
    assert _run_clean(code).stdout.strip() == expected


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"precision": "3"}, "precision"),
        ({"tensorflow": "no"}, "tensorflow"),
    ],
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
    from anomaly_helpers.datasets import DATA_FILES, data_dir

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
    for p in report.problems:  # the rebuild advice works as written: the make command, and it needs the index
        assert "`make data`" in p and "package index" in p and "build_data.py" not in p, p
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


def test_the_processor_line_names_its_instruction_sets_and_the_cap(monkeypatch):
    from anomaly_helpers.repro import processor

    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    line = processor()
    assert line.endswith(", oneDNN capped at AVX2")
    if os.path.exists("/proc/cpuinfo") and "avx2" in open("/proc/cpuinfo").read():
        assert "AVX2" in line.split(", oneDNN")[0]
    assert processor(cap="").count("oneDNN") == 0
