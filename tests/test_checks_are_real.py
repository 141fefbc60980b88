"""The suite's notebook checks can fail: an altered stored output and a wrong reference solution are caught."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from tests.conftest import ROOT
from tools.nbtools import execute_notebook

LESSON = ROOT / "notebooks" / "00_start_here.ipynb"


def _source(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


@pytest.mark.slow
def test_changing_one_character_of_a_stored_output_fails_nbval(tmp_path):
    nb = json.loads(LESSON.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "NBVAL_IGNORE_OUTPUT" in _source(cell):
            continue
        streams = [o for o in cell.get("outputs", []) if o["output_type"] == "stream" and "".join(o["text"]).strip()]
        if streams:
            text = "".join(streams[0]["text"])
            i = next(i for i, ch in enumerate(text) if ch.isalnum())
            streams[0]["text"] = text[:i] + ("X" if text[i] != "X" else "Y") + text[i + 1 :]
            break
    else:
        pytest.fail("lesson 00 has no compared stream output to alter")
    copy = tmp_path / LESSON.name
    copy.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            "--rootdir",
            str(tmp_path),
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(ROOT / "tests" / "nbval_sanitize.cfg"),
            str(copy),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stdout[-2000:]
    assert "mismatch" in run.stdout.lower()


@pytest.mark.slow
def test_a_wrong_reference_solution_fails_the_run():
    nb = nbformat.read(LESSON, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source and "y.mean()" in cell.source:
            cell.source = cell.source.replace("y.mean()", "y.sum()")
            changed = True
    assert changed, "lesson 00's exercise solution was not found"
    with pytest.raises(CellExecutionError, match="Incorrect"):
        execute_notebook(nb, LESSON.parent)
