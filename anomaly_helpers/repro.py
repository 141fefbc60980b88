"""Reproducible, quiet lessons: the setup call every lesson runs, and the doctor.

See Also
--------
Lesson 00 (``notebooks/00_start_here.ipynb``) runs :func:`doctor` and explains both.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import platform
import random
import sys
from dataclasses import dataclass, field

import numpy as np

from anomaly_helpers._validate import check_bool, check_positive_int

__all__ = ["setup_lesson", "doctor", "DoctorReport", "MIN_VERSIONS", "versions", "processor"]

#: Oldest versions the course supports (the lower bounds in ``pyproject.toml``).
MIN_VERSIONS: dict[str, str] = {
    "tensorflow": "2.16.2",
    "keras": "3.3",
    "numpy": "1.26",
    "pandas": "2.1",
    "scipy": "1.11",
    "matplotlib": "3.8",
    "scikit-learn": "1.4",
}
#: Packages only needed to open the course in JupyterLab (the ``lab`` extra).
LAB_PACKAGES = ("jupyterlab", "ipywidgets", "ipykernel")
SUPPORTED_PYTHON = ((3, 11), (3, 13))
#: How to rebuild the data files: it installs the packages that ship the originals.
_REBUILD = "`make data` (it needs the package index: it installs sktime and river, which ship the originals)"


def _version_tuple(v: str) -> tuple[int, ...]:
    import re

    parts = []
    for piece in v.split("."):
        m = re.match(r"\d+", piece)
        if not m:
            break
        parts.append(int(m.group()))
        if m.end() != len(piece):
            break
    return tuple(parts)


def _installed_version(dist: str) -> str | None:
    names = (dist, "tensorflow-cpu", "tensorflow-macos") if dist == "tensorflow" else (dist,)
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def versions() -> dict[str, str | None]:
    """Return the installed versions of Python and the course's packages (``None`` if missing)."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for dist in (*MIN_VERSIONS, *LAB_PACKAGES):
        out[dist] = _installed_version(dist)
    return out


#: Instruction sets that decide how a processor rounds TensorFlow's matrix products (flag in /proc/cpuinfo -> name).
_ISA_FLAGS = (("avx512f", "AVX-512"), ("avx2", "AVX2"), ("avx", "AVX"), ("sse4_1", "SSE4.1"))


def processor(cap: str | None = None) -> str:
    """The processor's name and the instruction sets that change a trained model's last digits.

    ``cap`` is the value of ``ONEDNN_MAX_CPU_ISA`` to report (by default this process's).

    E.g. ``"AMD EPYC (AVX-512, AVX2), oneDNN capped at AVX2"``. Printed by :func:`doctor` and recorded
    by the benchmark: trained figures are identical on processors that run the same kernels, and
    differ in their last digits otherwise (the README, "Numbers on another machine").
    """
    name, flags = platform.processor() or platform.machine(), set()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name") and name in ("", platform.machine(), platform.processor()):
                    name = line.split(":", 1)[1].strip()
                elif line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    break
    except OSError:  # macOS, Windows: no /proc
        pass
    found = [label for flag, label in _ISA_FLAGS if flag in flags]
    text = f"{name} ({', '.join(found[:2])})" if found else name
    cap = os.environ.get("ONEDNN_MAX_CPU_ISA") if cap is None else cap
    return f"{text}, oneDNN capped at {cap}" if cap else text


def _setup_tensorflow(seed: int, quiet: bool) -> None:
    """Seed Keras and TensorFlow, turn on op determinism, and (if ``quiet``) silence their Python logging."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    if quiet:
        import logging

        tf.get_logger().setLevel("ERROR")
        try:
            import absl.logging

            absl.logging.set_verbosity(absl.logging.ERROR)
        except ImportError:  # pragma: no cover - absl ships with TensorFlow
            pass
        logging.getLogger("tensorflow").setLevel(logging.ERROR)


def setup_lesson(
    seed: int = 42, *, precision: int = 3, quiet: bool = True, tensorflow: bool = True
) -> np.random.Generator:
    """Make a lesson reproducible and quiet; return a seeded NumPy generator.

    One call at the top of every lesson. It

    * seeds Python's ``random``, NumPy's legacy global generator, TensorFlow and Keras
      (``keras.utils.set_random_seed``);
    * turns on TensorFlow's op determinism (same results on every run on this machine);
    * silences TensorFlow's Python-side logging (the C++ lines are already silenced by
      importing ``anomaly_helpers`` before TensorFlow);

    (the three TensorFlow steps only with ``tensorflow=True``, the default)
    * sets NumPy's and pandas' print precision to ``precision`` decimals and a plain
      Matplotlib look.

    Parameters
    ----------
    seed : int, default 42
        The seed for every generator.
    precision : int, default 3
        Decimals shown when printing arrays and data frames.
    quiet : bool, default True
        Whether to silence TensorFlow's Python-side log messages.
    tensorflow : bool, default True
        Whether to start, seed and quiet TensorFlow and Keras. A lesson that trains no neural
        network passes ``False``: TensorFlow is then not loaded at all, which saves the
        seconds it takes to start (about 3 s on a laptop CPU). Call ``setup_lesson`` again
        with ``True`` before building a Keras model.

    Returns
    -------
    numpy.random.Generator
        ``np.random.default_rng(seed)``: pass it (or ``seed``) to anything random.
    """
    seed = check_positive_int(seed, "seed", minimum=0)
    precision = check_positive_int(precision, "precision", minimum=0)
    quiet = check_bool(quiet, "quiet")
    tensorflow = check_bool(tensorflow, "tensorflow")
    import matplotlib as mpl
    import pandas as pd

    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - legacy global generator, used by some libraries
    if tensorflow:
        _setup_tensorflow(seed, quiet)
    np.set_printoptions(precision=precision, suppress=True)
    pd.set_option("display.precision", precision)
    mpl.rcParams.update(
        {
            "figure.figsize": (8, 3.5),
            "figure.dpi": 80,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return np.random.default_rng(seed)


@dataclass
class DoctorReport:
    """What :func:`doctor` found: the facts it printed and the problems, each with a fix."""

    facts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def __repr__(self) -> str:
        return f"DoctorReport(ok={self.ok}, problems={len(self.problems)})"


def doctor(*, check_lab: bool = True, print_report: bool = True) -> DoctorReport:
    """Check the environment and data files, printing what to do about each problem.

    It reports Python and package versions, the CPU and any GPU, and whether every data
    file is present and intact (its sha256 matches the one recorded in
    ``anomaly_helpers.datasets.DATA_FILES`` and ``data/README.md``).

    Parameters
    ----------
    check_lab : bool, default True
        Also check the JupyterLab packages (the ``lab`` extra).
    print_report : bool, default True
        Print the report; set False to only get the returned object.

    Returns
    -------
    DoctorReport
        ``report.ok`` is True when nothing needs fixing; ``report.problems`` lists the rest.
    """
    report = DoctorReport()
    lines: list[str] = []
    _check_python(report, lines)
    _check_packages(report, lines, check_lab)
    _check_tensorflow(report, lines)
    _check_data(report, lines)
    if print_report:
        _print_report(report, lines)
    return report


def _check_python(report: DoctorReport, lines: list[str]) -> None:
    py = sys.version_info[:2]
    report.facts["python"] = platform.python_version()
    lines.append(f"Python        {platform.python_version()} ({sys.executable})")
    if not (SUPPORTED_PYTHON[0] <= py <= SUPPORTED_PYTHON[1]):
        report.problems.append(
            f"Python {py[0]}.{py[1]} is not supported: use Python 3.11, 3.12 or 3.13 "
            "(create the environment again with one of them, e.g. `python3.12 -m venv .venv`)."
        )
    report.facts["platform"] = f"{platform.system()} {platform.machine()}"
    lines.append(f"Platform      {platform.system()} {platform.release()} {platform.machine()}")
    lines.append(f"CPU           {processor()}, {os.cpu_count()} cores")


def _check_packages(report: DoctorReport, lines: list[str], check_lab: bool) -> None:
    packages = dict(MIN_VERSIONS)
    if check_lab:
        packages.update({name: "" for name in LAB_PACKAGES})
    for dist, minimum in packages.items():
        installed = _installed_version(dist)
        report.facts[dist] = installed or "missing"
        if installed is None:
            extra = "lab" if dist in LAB_PACKAGES else ""
            target = f"'.[{extra}]'" if extra else "."
            report.problems.append(
                f"{dist} is not installed: run `python -m pip install -e {target}` in the course folder "
                "(or `make lab`), then restart the kernel."
            )
            lines.append(f"{dist:13s} MISSING")
            continue
        status = ""
        if minimum and _version_tuple(installed) < _version_tuple(minimum):
            status = f"  TOO OLD (need >= {minimum})"
            report.problems.append(
                f"{dist} {installed} is too old; the course needs {dist} >= {minimum}: run "
                f"`python -m pip install -U '{dist}>={minimum}'`, then restart the kernel."
            )
        lines.append(f"{dist:13s} {installed}{status}")


def _check_tensorflow(report: DoctorReport, lines: list[str]) -> None:
    if _installed_version("tensorflow") is None:
        return
    try:
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        report.facts["gpu"] = ", ".join(g.name for g in gpus) or "none"
        lines.append(f"GPU           {report.facts['gpu']} (the course runs on the CPU)")
    except Exception as exc:  # a broken TensorFlow install
        report.problems.append(
            f"TensorFlow is installed but fails to import ({type(exc).__name__}: {exc}); "
            "reinstall it with `python -m pip install --force-reinstall -e .`."
        )


def _check_data(report: DoctorReport, lines: list[str]) -> None:
    from anomaly_helpers.datasets import DATA_FILES, data_dir, sha256_of

    folder = data_dir()
    lines.append(f"Data folder   {folder}")
    for name, expected in DATA_FILES.items():
        path = folder / name
        if not path.exists():
            report.problems.append(
                f"data file {name} is missing from {folder}: restore it with `git checkout -- data/{name}` "
                f"(or rebuild every data file with {_REBUILD})."
            )
            lines.append(f"  {name:20s} MISSING")
        elif sha256_of(path) != expected:
            report.problems.append(
                f"data file {name} has been altered (its sha256 does not match data/README.md): "
                f"restore it with `git checkout -- data/{name}` or rebuild every data file with {_REBUILD}."
            )
            lines.append(f"  {name:20s} ALTERED")
        else:
            lines.append(f"  {name:20s} ok")


def _print_report(report: DoctorReport, lines: list[str]) -> None:
    print("\n".join(lines))
    if report.ok:
        print("\nAll OK: you are ready for the course.")
    else:
        print(f"\n{len(report.problems)} problem(s) found:")
        for p in report.problems:
            print(f"  - {p}")
