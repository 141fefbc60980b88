"""The suite's kernels are pinned to one CPU and see disturbed global random state.

``tests/kernel_startup.py`` makes every lesson's nbval run a proof that its stored outputs
depend neither on the core count nor on the global random generators. These tests show
the mechanism works: a notebook whose output depends on the global state fails, one that
uses local generators passes, and a kernel sees exactly one CPU.
"""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from tests.conftest import ROOT


def _notebook(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """A notebook whose code cells have the given sources and stored stdout."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for count, (source, stdout) in enumerate(cells, start=1):
        outputs = [new_output("stream", name="stdout", text=stdout)] if stdout else []
        nb.cells.append(new_code_cell(source, execution_count=count, outputs=outputs))
    return nb


# Stored outputs as an undisturbed kernel prints them (seed 0 everywhere).
GLOBAL_STATE = [
    ("import random\nimport numpy as np\nrandom.seed(0)\nnp.random.seed(0)", ""),
    ("print(random.random(), np.random.random())", "0.8444218515250481 0.5488135039273248\n"),
]
LOCAL_STATE = [
    ("import random\nimport numpy as np\nr = random.Random(0)\ng = np.random.default_rng(0)", ""),
    ("print(r.random(), g.random())", "0.8444218515250481 0.6369616873214543\n"),
    ("import os\nprint(len(os.sched_getaffinity(0)))", "1\n"),
]


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="CPU affinity is Linux-only")
def test_global_state_fails_local_state_passes_and_the_kernel_sees_one_cpu(tmp_path):
    for name, cells in {"global_state": GLOBAL_STATE, "local_state": LOCAL_STATE}.items():
        nbformat.write(_notebook(cells), tmp_path / f"{name}.ipynb")
    env = {**os.environ, "ANOMALY_TESTS_PIN_CPU": "1", "ANOMALY_TESTS_DISTURB_RANDOM": "1"}
    env.pop("PYTEST_XDIST_WORKER", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", "-o", "addopts=",
         "--rootdir", str(tmp_path), "--nbval", "--nbval-current-env", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = run.stdout
    assert "FAILED global_state.ipynb::Cell 1" in out, out[-3000:]
    for cell in range(3):
        assert f"PASSED local_state.ipynb::Cell {cell}" in out, out[-3000:]
    assert "1 failed, 4 passed" in out, out[-3000:]


def test_the_startup_file_is_used_only_by_the_test_run():
    startup = os.path.join(os.environ["IPYTHONDIR"], "profile_default", "startup", "00-anomaly-tests.py")
    assert open(startup, encoding="utf-8").read() == (ROOT / "tests" / "kernel_startup.py").read_text("utf-8")
    assert not os.environ["IPYTHONDIR"].startswith(str(ROOT)), "the test IPYTHONDIR must not be in the repository"
